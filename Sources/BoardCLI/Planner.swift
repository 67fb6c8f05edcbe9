import BoardCore
import BoardSpec
import BoardState
import Foundation
import Logging

/// Builds a plan: desired from the configuration, prior from state, live from refreshing every
/// board, then the pure diff. Shared by `plan` and `apply`.
struct Planner {
  let session: Session
  let connected: Connected
  var connections: [String: any BoardConnection] { connected.connections }

  struct Result {
    var plan: Plan
    var desired: [Address: DesiredResource]
    var prior: [Address: StateRecord]
    var live: [LiveResource]
    var lineage: String?
    var serial: Int
    /// Boards compared with state only, because their credential could not be opened.
    var unrefreshed: [String] = []
  }

  func plan(state: (any StateStore)?, targets: [AddressPattern], excludes: [AddressPattern]) async throws -> Result {
    try await plan(prior: PriorState.read(state), targets: targets, excludes: excludes)
  }

  func plan(prior snapshot: PriorState, targets: [AddressPattern], excludes: [AddressPattern]) async throws -> Result {
    var phase = Phase()
    let (records, lineage, serial) = (snapshot.records, snapshot.lineage, snapshot.serial)
    var prior: [Address: StateRecord] = [:]
    prior.reserveCapacity(records.count)
    for record in records { prior[record.address] = record }
    phase.end("index state (\(records.count) records)")

    var desired: [Address: DesiredResource] = [:]
    let (platforms, today, known) = (session.platforms, session.environment.today, prior)
    let resources = Parallel.map(session.placements) { placement -> DesiredResource? in
      guard let connection = connections[placement.board.name] else { return nil }
      let address = Address(
        board: placement.board.name, object: platforms[placement.board.platform]?.objectType ?? "object",
        name: placement.posting.name)
      return connection.desired(placement, context: PlacementContext(prior: known[address], today: today))
    }
    for case let resource? in resources { desired[resource.address] = resource }
    for connection in connections.values {
      for resource in connection.boardResources() { desired[resource.address] = resource }
    }
    // Each board's credential is a resource too: its fingerprints, so a rotated value shows.
    var credentialLive: [LiveResource] = []
    for board in session.config.boards {
      guard let name = board.credential, session.platforms[board.platform]?.descriptor.needsCredential == true else {
        continue
      }
      let address = OpenedCredential.address(board: board.name, credential: name)
      let recorded = prior[address]
      if let recorded, recorded.status == .open {
        credentialLive.append(LiveResource(address: address, attributes: recorded.attributes))
      }
      var attributes: Attributes
      if let opened = connected.credentials[board.name] {
        attributes = [:]
        for (field, fingerprint) in opened.fingerprints { attributes[field] = .sensitive(fingerprint: fingerprint) }
      } else if let recorded {
        attributes = recorded.attributes  // not opened here: assume unchanged
      } else {
        continue
      }
      desired[address] = DesiredResource(
        address: address, platform: board.platform, attributes: attributes, onRemove: .delete,
        source: board.source.location(of: "credential"),
        origin: "the board uses this credential; state keeps a keyed fingerprint of each field, never the value")
    }

    phase.end("desired (\(desired.count) resources)")
    var live: [LiveResource] = []
    var warnings: [String] = []
    var byBoard: [String: [StateRecord]] = [:]
    for record in records { byBoard[record.address.board, default: []].append(record) }
    // Boards refresh concurrently; results are gathered in board order.
    let refreshed = connections.filter { connected.unopened[$0.key] == nil }
    for board in connected.unopened.keys.sorted() {
      warnings.append(
        "board '\(board)' was not refreshed: \(connected.unopened[board]!). This plan compares with state only; apply always refreshes before it acts"
      )
    }
    let readings = try await withThrowingTaskGroup(of: (String, BoardReading).self) { group in
      for (name, connection) in refreshed {
        let prior = byBoard[name] ?? []
        group.addTask {
          do {
            return (name, try await connection.refresh(prior: prior))
          } catch {
            throw CLIError("refreshing board '\(name)' failed: \(error)")
          }
        }
      }
      var readings: [String: BoardReading] = [:]
      for try await (name, reading) in group { readings[name] = reading }
      return readings
    }
    for name in readings.keys.sorted() {
      live += readings[name]!.resources
      warnings += readings[name]!.warnings.map { "board '\(name)': \($0)" }
    }
    phase.end("refresh \(readings.count) boards (\(live.count) objects)")
    // Resources on boards that left the configuration cannot be refreshed or changed.
    let orphanBoards = Set(records.map(\.address.board)).subtracting(connections.keys).sorted()
    var kept = records
    for board in orphanBoards {
      let count = records.filter { $0.address.board == board && $0.status == .open }.count
      kept.removeAll { $0.address.board == board }
      if count > 0 {
        warnings.append(
          "board '\(board)' is no longer in boards.d, but state has \(count) published resource\(count == 1 ? "" : "s") on it; they are left as they are. Restore the board to close them, or run `boardctl state rm \(board)` to forget them"
        )
      }
    }

    live += credentialLive
    var input = DiffInput(
      desired: Array(desired.values), prior: kept, live: live, refreshedBoards: Set(refreshed.keys))
    for board in session.config.boards {
      input.replaceFields[board.name] = session.platforms[board.platform]?.replaceFields ?? []
      input.platformOwned[board.name] = session.platforms[board.platform]?.platformOwned(board) ?? []
      if board.tier != .free, let amount = board.costPerPosting, let currency = board.costCurrency {
        input.costs[board.name] = (amount, currency)
      }
    }
    var plan = Diff.plan(input).filtered(targets: targets, excludes: excludes)
    phase.end("diff (\(plan.changes.count) changes)")
    plan.warnings = warnings + plan.warnings
    if !targets.isEmpty || !excludes.isEmpty {
      let selected = Set(plan.changes.map(\.address))
      plan.conflicts.removeAll { !selected.contains($0.address) }
    }
    return Result(
      plan: plan, desired: desired, prior: prior, live: live, lineage: lineage, serial: serial,
      unrefreshed: connected.unopened.keys.sorted())
  }
}

/// Times the phases of a command; `BOARDCTL_LOG=debug` prints them.
struct Phase {
  private var start = ContinuousClock.now

  mutating func end(_ name: String) {
    let now = ContinuousClock.now
    Command.logger.debug("\(name): \(now - start)")
    start = now
  }
}

/// What state holds before a plan: records, lineage and serial.
struct PriorState: Sendable {
  var records: [StateRecord] = []
  var lineage: String?
  var serial = 0

  static func read(_ state: (any StateStore)?) async throws -> PriorState {
    guard let state else { return PriorState() }
    var phase = Phase()
    do {
      guard let read = try await state.snapshot() else { return PriorState() }
      let snapshot = PriorState(records: read.records, lineage: read.lineage, serial: read.serial)
      phase.end("read state (\(snapshot.records.count) records)")
      return snapshot
    } catch let error as StateError {
      throw CLIError(error.description)
    }
  }
}
