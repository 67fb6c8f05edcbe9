import BoardCore

/// Where a workspace keeps its state: the Workspace's `state:` block, resolved.
public enum StateLocation: Sendable {
  /// A local SQLite file (absolute path).
  case sqlite(path: String)
  /// An orphan branch of a git remote.
  case git(GitStateLocation)
  /// A PostgreSQL database.
  case postgres(PostgresStateLocation)

  /// For messages; never a secret.
  public var description: String {
    switch self {
    case .sqlite(let path): return "the SQLite state '\(path)'"
    case .git(let git): return git.description
    case .postgres(let postgres): return postgres.description
    }
  }
}

/// State kept as text files in an orphan branch of a git remote.
public struct GitStateLocation: Sendable, Hashable {
  /// The repository whose remote holds the branch (the config folder's parent).
  public var repository: String
  /// A remote name of that repository (`origin`) or a URL.
  public var remote: String
  public var branch: String
  /// How long a lock lives without renewal.
  public var lease: Duration

  public static let defaultBranch = "boardctl-state"
  public static let defaultRemote = "origin"

  public init(repository: String, remote: String = defaultRemote, branch: String = defaultBranch, lease: Duration) {
    self.repository = repository
    self.remote = remote
    self.branch = branch
    self.lease = lease
  }

  /// For messages: credentials embedded in a remote URL are hidden (`https://***@host/…`).
  public var description: String {
    "the git state on branch '\(branch)' of remote '\(GitRemote.redactingCredentials(in: remote))'"
  }
}

/// State in a PostgreSQL database. The URL is a secret (it may hold a password): it is never
/// printed; `display` names where it came from.
public struct PostgresStateLocation: Sendable {
  public var url: any SensitiveValue
  /// Where the URL came from, for messages: "$BOARDCTL_PG_URL" or "credential 'state-db'".
  public var source: String
  /// How long a lock lives without renewal.
  public var lease: Duration

  public static let defaultURLEnvironment = "BOARDCTL_PG_URL"

  public init(url: any SensitiveValue, source: String, lease: Duration) {
    self.url = url
    self.source = source
    self.lease = lease
  }

  public var description: String { "the PostgreSQL state at \(source)" }
}

/// Opens a state on any backend.
public enum StateStores {
  /// The default lease of a lock on a shared backend: renewed at a third of it while held, taken
  /// over once it lapses.
  public static let defaultLease: Duration = .seconds(60)

  /// Opens the state at `location`. With `create` false nothing is created, migrated or locked
  /// (plans on read-only checkouts and forks), and the result is nil when there is no state yet.
  public static func open(_ location: StateLocation, create: Bool) async throws -> (any StateStore)? {
    switch location {
    case .sqlite(let path):
      return create ? try SQLiteStateStore.open(path: path) : try SQLiteStateStore.openReadOnly(path: path)
    case .git(let git):
      return try await GitStateStore.open(git, create: create)
    case .postgres(let postgres):
      return try await PostgresStateStore.open(postgres, create: create)
    }
  }
}
