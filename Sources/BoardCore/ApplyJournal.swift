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
  /// True once the run was asked to stop (SIGINT, SIGTERM): start no new action, let the ones
  /// in flight finish and be journaled, then throw `BoardApplyError` with what was completed.
  var stopRequested: Bool { get }
  /// Saves records of completed actions before the board is done (file boards, which write
  /// many artifacts and finish their journal entries without state, call it every so often),
  /// so a killed apply's next plan sees what was written.
  func save(_ records: [Address: StateRecord?]) async throws
}

extension ApplyJournal {
  public var stopRequested: Bool { false }
  public func save(_ records: [Address: StateRecord?]) async throws {}
}
