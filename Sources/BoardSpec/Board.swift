/// One connection to one platform (`kind: Board`).
public struct Board: Sendable, Hashable {
  public enum Tier: String, Sendable, Hashable, Codable {
    case free, paid, premium
  }

  public var name: String
  public var platform: String
  public var tier: Tier
  public var costPerPosting: Double?
  public var costCurrency: String?
  public var credential: String?
  /// Platform-specific settings, already checked against the platform's schema.
  public var settings: YAMLValue?
  public var defaultTemplate: String?
  public var source: DocumentSource

  public init(
    name: String, platform: String, tier: Tier = .free, costPerPosting: Double? = nil,
    costCurrency: String? = nil, credential: String? = nil, settings: YAMLValue? = nil,
    defaultTemplate: String? = nil, source: DocumentSource
  ) {
    self.name = name
    self.platform = platform
    self.tier = tier
    self.costPerPosting = costPerPosting
    self.costCurrency = costCurrency
    self.credential = credential
    self.settings = settings
    self.defaultTemplate = defaultTemplate
    self.source = source
  }
}
