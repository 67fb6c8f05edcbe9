/// The workspace-wide settings (`kind: Workspace`).
public struct Workspace: Sendable, Hashable {
  public var name: String
  /// Where boardctl keeps what it applied.
  public var state: StateSettings
  public var organization: Organization?
  public var source: DocumentSource?

  /// The workspace name credentials are bound to when there is no Workspace document.
  public static let defaultName = "default"

  public init(
    name: String, state: StateSettings = StateSettings(), organization: Organization? = nil,
    source: DocumentSource? = nil
  ) {
    self.name = name
    self.state = state
    self.organization = organization
    self.source = source
  }
}

/// The Workspace's `state:` block, as written (paths not yet resolved).
public struct StateSettings: Sendable, Hashable {
  public enum Backend: String, Sendable, Hashable, CaseIterable {
    case sqlite, git, postgres
  }

  public var backend: Backend
  /// sqlite: the file, relative to the config folder's parent.
  public var path: String
  /// git: the branch and the remote (a remote name of the repository, or a URL).
  public var branch: String
  public var remote: String
  /// postgres: the environment variable holding the URL, or a Credential holding it.
  public var urlEnvironment: String
  public var urlCredential: String?
  /// git and postgres: how long a lock lives without renewal, in seconds.
  public var leaseSeconds: Double

  public static let defaultPath = ".boardctl/state.db"
  public static let defaultBranch = "boardctl-state"
  public static let defaultRemote = "origin"
  public static let defaultURLEnvironment = "BOARDCTL_PG_URL"
  public static let defaultLeaseSeconds = 60.0

  public init(
    backend: Backend = .sqlite, path: String = defaultPath, branch: String = defaultBranch,
    remote: String = defaultRemote, urlEnvironment: String = defaultURLEnvironment, urlCredential: String? = nil,
    leaseSeconds: Double = defaultLeaseSeconds
  ) {
    self.backend = backend
    self.path = path
    self.branch = branch
    self.remote = remote
    self.urlEnvironment = urlEnvironment
    self.urlCredential = urlCredential
    self.leaseSeconds = leaseSeconds
  }

  /// The keys each backend reads; any other backend's key is a mistake worth reporting.
  static let keys: [Backend: Set<String>] = [
    .sqlite: ["path"], .git: ["branch", "remote", "lease"], .postgres: ["url_env", "url_credential", "lease"],
  ]
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
