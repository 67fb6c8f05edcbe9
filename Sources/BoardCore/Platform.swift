import BoardSpec

/// A platform adapter: its board settings, its rules for a board, and how to open one board.
/// What a platform's boards can do beyond that is adopted as capabilities (`PostingPlatform`,
/// and on the connection `PlacementBoard`, `DeclaredObjectsBoard`, `ImportableBoard`).
///
/// Adding a platform means its folder of adapter code, a simulator and a docs page.
public protocol Platform: Sendable {
  /// The adapter id and board settings schema the configuration loader checks against.
  var descriptor: PlatformDescriptor { get }
  /// Problems with a board as a whole (a setting, a missing workspace fact, how it relates to
  /// the configuration's other boards), at validate time.
  func problems(with board: Board, in config: Config) -> [Diagnostic]
  /// Files or folders the board writes, as written in its settings (relative to the repository
  /// root): two boards may not write to the same place.
  func outputs(of board: Board) -> [String]
  /// Fields of this board's objects that the platform owns: edits there are never drift.
  func platformOwned(_ board: Board) -> Set<String>
  /// Attributes of objects of `kind` that cannot change in place: a change plans a replace (`-/+`).
  func replaceFields(of kind: ObjectKind) -> Set<String>
  /// Where the board sends its credential; nil for boards that send none.
  func credentialDestinations(of board: Board) -> CredentialDestinations?
  /// Opens one board: reads what it needs (a layout, its settings) and checks them.
  func connect(_ board: Board, environment: BoardEnvironment) throws -> any BoardConnection
}

extension Platform {
  public func problems(with board: Board, in config: Config) -> [Diagnostic] { [] }
  public func outputs(of board: Board) -> [String] { [] }
  public func platformOwned(_ board: Board) -> Set<String> { [] }
  public func replaceFields(of kind: ObjectKind) -> Set<String> { [] }
  public func credentialDestinations(of board: Board) -> CredentialDestinations? { nil }
}

/// Capability: a platform whose boards publish postings. Each (posting, board) pair is one
/// placement, `<board>.<placementKind>.<posting>`.
public protocol PostingPlatform: Platform {
  /// The kind of object a placement is on this platform (`page`, `job`, `post`).
  var placementKind: ObjectKind { get }
  /// The platform's rules for a posting, checked at validate and plan time, before anything is written.
  func problems(with posting: ResolvedPosting, today: CalendarDate) -> [PostingProblem]
}
