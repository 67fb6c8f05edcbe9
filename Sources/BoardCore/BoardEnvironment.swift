import BoardSpec

/// What a board needs to know about where it runs.
public struct BoardEnvironment: Sendable {
  /// The folder relative paths in settings resolve against: the config folder's parent.
  public var root: String
  public var workspace: Workspace?
  /// Every board of the configuration, for a board whose output points at another's (an Indeed
  /// job linking to a careers page).
  public var boards: [Board]
  /// Every sync rule, so a board's Test Connection checks what the rules naming it need.
  public var syncRules: [SyncRule]
  public var today: CalendarDate
  /// The current time, ISO 8601, for `lastBuildDate` and journal entries.
  public var now: String
  /// The board's credential, opened; nil for boards that need none, and when no key opens it.
  public var credential: OpenedCredential?
  /// What the command (or server) that opened the board lends it for its length, such as the
  /// HTTP runtime; opaque to the pure core. Nil where nothing is sent (file boards, validation).
  public var services: (any BoardServices)?

  public init(
    root: String, workspace: Workspace?, boards: [Board] = [], syncRules: [SyncRule] = [], today: CalendarDate,
    now: String,
    credential: OpenedCredential? = nil, services: (any BoardServices)? = nil
  ) {
    self.root = root
    self.workspace = workspace
    self.boards = boards
    self.syncRules = syncRules
    self.today = today
    self.now = now
    self.credential = credential
    self.services = services
  }

  /// `path` resolved against `root` unless absolute.
  public func resolve(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    if root.isEmpty || root == "." { return path }
    return root.hasSuffix("/") ? root + path : root + "/" + path
  }
}

/// What a command lends the boards it opens (the platforms module defines it: an HTTP runtime).
/// The core only passes it along.
public protocol BoardServices: Sendable {}
