/// One job (`kind: Posting`), published to every board it lists.
public struct Posting: Sendable, Hashable {
  public enum OnRemove: String, Sendable, Hashable, Codable {
    case close, delete, keep
  }

  public var name: String
  /// The posting's own fields; `title` and `description` are always present.
  public var fields: PostingFields
  public var directApply: Bool
  public var boards: [String]
  public var template: String?
  /// Per-board field overrides, keyed by board name.
  public var overrides: [String: PostingFields]
  public var onRemove: OnRemove
  public var source: DocumentSource

  public init(
    name: String, fields: PostingFields, directApply: Bool = false, boards: [String], template: String? = nil,
    overrides: [String: PostingFields] = [:], onRemove: OnRemove = .close, source: DocumentSource
  ) {
    self.name = name
    self.fields = fields
    self.directApply = directApply
    self.boards = boards
    self.template = template
    self.overrides = overrides
    self.onRemove = onRemove
    self.source = source
  }
}

/// The fields of a posting that boards publish, and that `overrides` may replace per board.
public struct PostingFields: Sendable, Hashable, Codable {
  public var title: String?
  public var description: String?
  public var employmentType: String?
  public var location: Location?
  public var salary: Salary?
  public var validThrough: String?
  public var applyURL: String?

  public init(
    title: String? = nil, description: String? = nil, employmentType: String? = nil, location: Location? = nil,
    salary: Salary? = nil, validThrough: String? = nil, applyURL: String? = nil
  ) {
    self.title = title
    self.description = description
    self.employmentType = employmentType
    self.location = location
    self.salary = salary
    self.validThrough = validThrough
    self.applyURL = applyURL
  }

  /// These fields with every field that `other` sets taken from `other`.
  public func overridden(by other: PostingFields?) -> PostingFields {
    guard let other else { return self }
    var result = self
    result.title = other.title ?? title
    result.description = other.description ?? description
    result.employmentType = other.employmentType ?? employmentType
    result.location = other.location ?? location
    result.salary = other.salary ?? salary
    result.validThrough = other.validThrough ?? validThrough
    result.applyURL = other.applyURL ?? applyURL
    return result
  }
}

/// Where a job is.
public struct Location: Sendable, Hashable, Codable {
  public var streetAddress: String?
  public var city: String?
  public var region: String?
  public var country: String?
  public var postalCode: String?
  public var remote: Bool

  public init(
    streetAddress: String? = nil, city: String? = nil, region: String? = nil, country: String? = nil,
    postalCode: String? = nil, remote: Bool = false
  ) {
    self.streetAddress = streetAddress
    self.city = city
    self.region = region
    self.country = country
    self.postalCode = postalCode
    self.remote = remote
  }
}

/// A pay range.
public struct Salary: Sendable, Hashable, Codable {
  public var min: Double?
  public var max: Double?
  public var currency: String
  public var period: String

  public init(min: Double? = nil, max: Double? = nil, currency: String, period: String) {
    self.min = min
    self.max = max
    self.currency = currency
    self.period = period
  }
}
