import BoardCore
import BoardSpec
import BoardState
import BoardSupport
import Foundation
import Logging

/// Carries out a plan board by board: the journal gets an intent before each action and the
/// outcome after it, and state is written as actions complete, so a failed or killed apply
/// leaves state true to what was done and a re-run finishes the rest.
public struct ApplyRun: Sendable {
  let state: any StateStore
  let connections: [String: any BoardConnection]
  let now: String
  /// Set by a signal: no new action starts; those in flight finish and are journaled.
  let stop: StopSignal?
  /// Who runs it; every journal entry of the run carries it.
  let provenance: RunProvenance
  let logger = Logger(label: "boardctl")

  public init(
    state: any StateStore, connections: [String: any BoardConnection], now: String, stop: StopSignal? = nil,
    provenance: RunProvenance = RunProvenance()
  ) {
    self.state = state
    self.connections = connections
    self.now = now
    self.stop = stop
    self.provenance = provenance
  }

  /// What was done, and per failed board what remains.
  public struct Outcome: Sendable {
    public var done: [PlannedChange] = []
    public var failed: [Failure] = []
    /// Sync records moved, and those whose action failed.
    public var syncDone = 0
    public var syncFailures: [SyncFailure] = []

    public struct SyncFailure: Sendable {
      /// `sync.<rule>.<source-id>`
      public var address: String
      public var message: String
    }

    public struct Failure: Sendable {
      public var board: String
      public var message: String
      public var remaining: [PlannedChange]
    }
  }

  /// Journals into the state under one run id.
  struct Journal: ApplyJournal {
    let state: any StateStore
    let run: String
    let logger: Logger
    let interrupted: Set<Address>
    let stop: StopSignal?

    var stopRequested: Bool { stop?.requested != nil }

    func save(_ records: [Address: StateRecord?]) async throws {
      try await state.write(records)
    }

    func begin(_ address: Address, action: PlanAction) async throws -> Int64 {
      logger.debug("apply: \(action.rawValue) \(address)")
      return try await state.journalBegin(run: run, address: address, action: action.rawValue)
    }

    func finish(_ entry: Int64, error: String?) async throws {
      if let error { logger.debug("apply: failed: \(error)") }
      try await state.journalFinish(entry, error: error)
    }

    func finish(_ entry: Int64, saving records: [Address: StateRecord?]) async throws {
      try await state.journalFinish(entry, saving: records)
    }
  }

  public func execute(_ plan: Plan, desired: [Address: DesiredResource], prior: [Address: StateRecord])
    async throws -> Outcome
  {
    try await EngineError.mappingState { try await run(plan, desired: desired, prior: prior) }
  }

  private func run(_ plan: Plan, desired: [Address: DesiredResource], prior: [Address: StateRecord])
    async throws -> Outcome
  {
    let run = provenance.encoded
    let interrupted = try await state.takeInterrupted(exceptRun: run)
    if !interrupted.isEmpty {
      logger.info(
        "an earlier apply was interrupted during \(interrupted.count) action\(interrupted.count == 1 ? "" : "s"); their boards are checked before acting again"
      )
    }
    let journal = Journal(state: state, run: run, logger: logger, interrupted: interrupted, stop: stop)
    var outcome = Outcome()
    var byBoard: [String: [PlannedChange]] = [:]
    for change in plan.changes { byBoard[change.address.board, default: []].append(change) }
    for board in byBoard.keys.sorted() {
      let changes = byBoard[board]!
      if journal.stopRequested {
        outcome.failed.append(.init(board: board, message: ApplyStopped().description, remaining: changes))
        continue
      }
      guard let connection = connections[board] else {
        outcome.failed.append(.init(board: board, message: "board '\(board)' is not in boards.d", remaining: changes))
        continue
      }
      var boardPrior: [Address: StateRecord] = [:]
      for (address, record) in prior where address.board == board { boardPrior[address] = record }
      // A credential's fingerprints are state only: no platform call records them.
      for change in changes where change.address.object == .credential {
        let entry = try await journal.begin(change.address, action: change.action)
        let record = CredentialResources.record(for: change, desired: desired[change.address], now: now)
        try await journal.finish(entry, saving: [change.address: record])
        outcome.done.append(change)
      }
      let platformChanges = changes.filter { $0.address.object != .credential }
      guard !platformChanges.isEmpty else { continue }
      do {
        let records = try await connection.apply(
          platformChanges, desired: desired, prior: boardPrior, journal: journal)
        try await state.write(records)
        outcome.done += platformChanges
      } catch let error as BoardApplyError {
        try await state.write(error.completed)
        let completed = Set(error.completed.keys)
        outcome.done += platformChanges.filter { completed.contains($0.address) }
        outcome.failed.append(
          .init(
            board: board, message: error.message,
            remaining: platformChanges.filter { !completed.contains($0.address) }))
      }
    }
    return outcome
  }
}
