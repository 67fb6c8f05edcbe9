/// The workspace-wide settings (`kind: Workspace`).
public struct Workspace: Sendable, Hashable {
  public var name: String
  public var stateBackend: String
  /// The state file, as written in the configuration (relative to the config folder's parent).
  public var statePath: String
  public var organization: Organization?
  public var source: DocumentSource?

  public static let defaultStatePath = ".boardctl/state.db"

  public init(
    name: String, stateBackend: String = "sqlite", statePath: String = Workspace.defaultStatePath,
    organization: Organization? = nil, source: DocumentSource? = nil
  ) {
    self.name = name
    self.stateBackend = stateBackend
    self.statePath = statePath
    self.organization = organization
    self.source = source
  }
}

/// The hiring organization (schema.org `hiringOrganization`).
public struct Organization: Sendable, Hashable, Codable {
  public var name: String
  public var url: String?
  public var logo: String?

  public init(name: String, url: String? = nil, logo: String? = nil) {
    self.name = name
    self.url = url
    self.logo = logo
  }
}
