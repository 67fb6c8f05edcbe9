import BoardCore
import BoardSpec
import BoardState
import Foundation
import Logging

/// Carries out a plan board by board: the journal gets an intent before each action and the
/// outcome after it, and state is written as each board finishes, so a failed or killed apply
/// leaves state true to what was done and a re-run finishes the rest.
struct ApplyRun {
  let state: any StateStore
  let connections: [String: any BoardConnection]
  let now: String
  let logger: Logger

  struct Outcome {
    var done: [PlannedChange] = []
    var failed: [(board: String, message: String, remaining: [PlannedChange])] = []
  }

  /// Journals into the state database under one run id.
  struct Journal: ApplyJournal {
    let state: any StateStore
    let run: String
    let logger: Logger
    let interrupted: Set<Address>

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

  func execute(_ plan: Plan, desired: [Address: DesiredResource], prior: [Address: StateRecord]) async throws -> Outcome
  {
    let run = UUID().uuidString.lowercased()
    let interrupted: Set<Address>
    do {
      interrupted = try await state.takeInterrupted(exceptRun: run)
    } catch let error as StateError {
      throw CLIError(error.description)
    }
    if !interrupted.isEmpty {
      logger.info(
        "an earlier apply was interrupted during \(interrupted.count) action\(interrupted.count == 1 ? "" : "s"); their boards are checked before acting again"
      )
    }
    let journal = Journal(state: state, run: run, logger: logger, interrupted: interrupted)
    var outcome = Outcome()
    var byBoard: [String: [PlannedChange]] = [:]
    for change in plan.changes { byBoard[change.address.board, default: []].append(change) }
    for board in byBoard.keys.sorted() {
      let changes = byBoard[board]!
      guard let connection = connections[board] else {
        outcome.failed.append((board, "board '\(board)' is not in boards.d", changes))
        continue
      }
      var boardPrior: [Address: StateRecord] = [:]
      for (address, record) in prior where address.board == board { boardPrior[address] = record }
      // A credential's fingerprints are state only: no platform call records them.
      let credentialChanges = changes.filter { $0.address.object == "credential" }
      do {
        for change in credentialChanges {
          let entry = try await journal.begin(change.address, action: change.action)
          let record = desired[change.address].flatMap { resource -> StateRecord? in
            guard change.after != nil else { return nil }
            return StateRecord(
              address: resource.address, platform: resource.platform, attributes: resource.attributes, status: .open,
              onRemove: .delete, updatedAt: now)
          }
          try await journal.finish(entry, saving: [change.address: record])
          outcome.done.append(change)
        }
      } catch let error as StateError {
        throw CLIError(error.description)
      }
      let platformChanges = changes.filter { $0.address.object != "credential" }
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
        outcome.failed.append((board, error.message, platformChanges.filter { !completed.contains($0.address) }))
      } catch let error as StateError {
        throw CLIError(error.description)
      }
    }
    return outcome
  }
}
