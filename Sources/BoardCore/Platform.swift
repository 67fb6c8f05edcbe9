import BoardHTTP
import BoardSpec

/// A platform adapter: the rules a posting must meet, and how to reach one board.
///
/// Adding a platform means one type conforming to this protocol, one simulator and one docs page.
public protocol Platform: Sendable {
  /// The adapter id and board settings schema the configuration loader checks against.
  var descriptor: PlatformDescriptor { get }
  /// The object kind in addresses (`page`, `job`).
  var objectType: String { get }
  /// Attributes that cannot change in place: a change plans a replace (`-/+`).
  var replaceFields: Set<String> { get }
  /// The platform's rules for a posting, checked at validate and plan time, before anything is written.
  func problems(with posting: ResolvedPosting, today: CalendarDate) -> [PostingProblem]
  /// Problems with a board as a whole (a setting, a missing workspace fact), at validate time.
  func problems(with board: Board, workspace: Workspace?) -> [Diagnostic]
  /// Files or folders the board writes, as written in its settings (relative to the repository
  /// root): two boards may not write to the same place.
  func outputs(of board: Board) -> [String]
  /// Fields of this board's objects that the platform owns: edits there are never drift.
  func platformOwned(_ board: Board) -> Set<String>
  /// Opens one board: reads what rendering needs (a layout) and checks the board's settings.
  func connect(_ board: Board, environment: BoardEnvironment) throws -> any BoardConnection
}

/// One board, ready to describe, refresh and change.
public protocol BoardConnection: Sendable {
  var board: Board { get }
  /// The desired resource for a posting on this board.
  func desired(_ posting: ResolvedPosting, context: PlacementContext) -> DesiredResource
  /// Objects the board's own settings declare (Manatal webhooks), beside the placements.
  func boardResources() -> [DesiredResource]
  /// Reads what is on the board now; one request per page of results, never one per object.
  func refresh(prior: [StateRecord]) async throws -> BoardReading
  /// Test Connection: can this board be reached and written, as configured?
  func check() async -> ConnectionCheck
  /// One object found by the platform's own id, for `boardctl import`; nil when there is none.
  /// Boards whose objects cannot be adopted by id throw `ImportUnsupported`.
  func lookup(remoteID: String) async throws -> RemoteObject?
  /// Carries out this board's changes; journals each action and returns the new state records.
  func apply(
    _ changes: [PlannedChange], desired: [Address: DesiredResource], prior: [Address: StateRecord],
    journal: any ApplyJournal
  ) async throws -> [Address: StateRecord?]
}

/// What a board needs to know about where it runs.
public struct BoardEnvironment: Sendable {
  /// The folder relative paths in settings resolve against: the config folder's parent.
  public var root: String
  public var workspace: Workspace?
  public var today: CalendarDate
  /// The current time, ISO 8601, for `lastBuildDate` and journal entries.
  public var now: String
  /// The board's credential, opened; nil for boards that need none, and when no key opens it.
  public var credential: OpenedCredential?
  /// The HTTP runtime of the command (or server) that opened the board, which shuts it down;
  /// nil where nothing is sent (file boards, validation).
  public var http: HTTPRuntime?

  public init(
    root: String, workspace: Workspace?, today: CalendarDate, now: String, credential: OpenedCredential? = nil,
    http: HTTPRuntime? = nil
  ) {
    self.root = root
    self.workspace = workspace
    self.today = today
    self.now = now
    self.credential = credential
    self.http = http
  }

  /// `path` resolved against `root` unless absolute.
  public func resolve(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    if root.isEmpty || root == "." { return path }
    return root.hasSuffix("/") ? root + path : root + "/" + path
  }
}

/// What state knows about a placement that its desired attributes depend on.
public struct PlacementContext: Sendable {
  public var prior: StateRecord?
  public var today: CalendarDate

  public init(prior: StateRecord?, today: CalendarDate) {
    self.prior = prior
    self.today = today
  }
}

/// A posting that breaks a platform rule; `field` is the dotted posting key it is about.
public struct PostingProblem: Sendable, Hashable {
  public var field: String
  public var message: String
  public var severity: Diagnostic.Severity

  public init(field: String, _ message: String, severity: Diagnostic.Severity = .error) {
    self.field = field
    self.message = message
    self.severity = severity
  }
}

/// Where apply records each action before and after it runs.
public protocol ApplyJournal: Sendable {
  /// Records the intent to act; returns an entry id for `finish`.
  func begin(_ address: Address, action: PlanAction) async throws -> Int64
  /// Records the outcome; `error` is nil on success.
  func finish(_ entry: Int64, error: String?) async throws
  /// Records a successful outcome and the resulting state in one transaction, so a remote
  /// change is in state the moment it is done (a kill loses at most the action in flight).
  func finish(_ entry: Int64, saving records: [Address: StateRecord?]) async throws
  /// Addresses whose action an earlier, interrupted apply began but never finished: the
  /// platform may hold the outcome, so look (by ownership tag) before acting again.
  var interrupted: Set<Address> { get }
}

/// A board-level failure that stops apply for that board, with what was done before it.
public struct BoardApplyError: Error, Sendable {
  public var message: String
  public var completed: [Address: StateRecord?]
  public init(_ message: String, completed: [Address: StateRecord?]) {
    self.message = message
    self.completed = completed
  }
}

extension Platform {
  public func problems(with board: Board, workspace: Workspace?) -> [Diagnostic] { [] }
  public func outputs(of board: Board) -> [String] { [] }
  public func platformOwned(_ board: Board) -> Set<String> { [] }
}

extension BoardConnection {
  public func boardResources() -> [DesiredResource] { [] }
  public func lookup(remoteID: String) async throws -> RemoteObject? { throw ImportUnsupported(board: board.name) }
}

/// An object on a board, found by its platform id.
public struct RemoteObject: Sendable {
  public var remoteID: String
  /// The address its ownership tag names, when it carries one.
  public var taggedAs: Address?
  /// A few words a user recognises it by ("Backend Engineer").
  public var summary: String

  public init(remoteID: String, taggedAs: Address?, summary: String) {
    self.remoteID = remoteID
    self.taggedAs = taggedAs
    self.summary = summary
  }
}

/// `boardctl import` on a board whose platform has nothing to adopt by id (file boards).
public struct ImportUnsupported: Error, CustomStringConvertible, Sendable {
  public var board: String
  public var description: String {
    "board '\(board)' has nothing to import by id: boardctl finds its own objects there by their tag"
  }
}

/// A credential value in memory, whose every printed form is redacted. BoardSecrets' `Secret`
/// is the one implementation; adapters see only this.
public protocol SensitiveValue: Sendable, CustomStringConvertible {
  /// The value as text, for the code that builds a request's authentication. Nowhere else.
  func revealText() -> String
}

/// A board's credential, opened for the length of one command.
public struct OpenedCredential: Sendable {
  public var name: String
  public var fields: [String: any SensitiveValue]
  /// Keyed fingerprints per field: state and plans know values only by these.
  public var fingerprints: [String: String]

  public init(name: String, fields: [String: any SensitiveValue], fingerprints: [String: String]) {
    self.name = name
    self.fields = fields
    self.fingerprints = fingerprints
  }

  /// The address of the resource that records the credential's fingerprints on a board.
  public static func address(board: String, credential: String) -> Address {
    Address(board: board, object: "credential", name: credential)
  }
}

/// The outcome of Test Connection for one board.
public struct ConnectionCheck: Sendable, Hashable {
  public var ok: Bool
  /// What was checked and found, e.g. "writes public/careers (7 pages)".
  public var summary: String
  /// What failed and the likely fix, when not ok.
  public var problem: String?
  public var fix: String?

  public init(ok: Bool, summary: String, problem: String? = nil, fix: String? = nil) {
    self.ok = ok
    self.summary = summary
    self.problem = problem
    self.fix = fix
  }
}
