import BoardCore
import BoardSpec
import BoardState
import BoardSupport
import BoardSync
import Foundation

/// Builds a plan: desired from the configuration, prior from state, live from refreshing every
/// board, then the pure diff. Shared by `plan` and `apply` (and, later, the server).
public struct Planner: Sendable {
  public let workspace: CheckedWorkspace
  public let connected: ConnectedBoards
  /// Show synced people's data in the plan instead of masking it (never in a saved plan).
  public var showPersonalData: Bool
  var connections: [String: any BoardConnection] { connected.connections }

  public init(workspace: CheckedWorkspace, connected: ConnectedBoards, showPersonalData: Bool = false) {
    self.workspace = workspace
    self.connected = connected
    self.showPersonalData = showPersonalData
  }

  /// A plan and what it was made from.
  public struct Result: Sendable {
    public var plan: Plan
    public var desired: [Address: DesiredResource]
    public var prior: [Address: StateRecord]
    public var live: [LiveResource]
    public var lineage: String?
    public var serial: Int
    /// Boards compared with state only, because their credential could not be opened.
    public var unrefreshed: [String] = []
    /// Each sync rule's planned work, for apply.
    public var sync: [SyncWork] = []
  }

  /// Plans against what `state` holds now.
  public func plan(state: (any StateStore)?, targets: [AddressPattern], excludes: [AddressPattern]) async throws
    -> Result
  {
    try await plan(prior: PriorState.read(state), targets: targets, excludes: excludes)
  }

  /// Plans against a state already read.
  public func plan(prior snapshot: PriorState, targets: [AddressPattern], excludes: [AddressPattern]) async throws
    -> Result
  {
    var phase = Phase()
    // Sync rules' links and cursors are planned by the sync planner, not diffed as placements.
    let syncRecords = snapshot.records.filter { $0.address.board == SyncSection.board }
    let records =
      syncRecords.isEmpty ? snapshot.records : snapshot.records.filter { $0.address.board != SyncSection.board }
    var prior: [Address: StateRecord] = [:]
    prior.reserveCapacity(records.count)
    for record in records { prior[record.address] = record }
    phase.end("index state (\(records.count) records)")

    var desired: [Address: DesiredResource] = [:]
    let (platforms, today, known) = (workspace.platforms, workspace.environment.today, prior)
    let publishers = connections.compactMapValues { $0 as? any PlacementBoard }
    // Postings sync rules make from another board's records (the ATS's jobs), beside boards.d's.
    let sourced =
      SourcedPostings.rules(workspace.config).isEmpty
      ? SourcedPostings()
      : try await SourcedPostings.read(workspace, connections: connections, unopened: connected.unopened)
    let resources = Parallel.map(workspace.placements + sourced.placements) { placement -> DesiredResource? in
      guard let publisher = publishers[placement.board.name],
        let kind = (platforms[placement.board.platform] as? any PostingPlatform)?.placementKind
      else { return nil }
      let address = Address(board: placement.board.name, object: kind, name: placement.posting.name)
      return publisher.desired(placement, context: PlacementContext(prior: known[address], today: today))
    }
    for case var resource? in resources {
      if let origin = sourced.origins[resource.address.name],
        sourced.placements.contains(where: {
          $0.posting.name == resource.address.name && $0.board.name == resource.address.board
        })
      {
        resource.origin = origin
      }
      desired[resource.address] = resource
    }
    for case let declaring as any DeclaredObjectsBoard in connections.values {
      for resource in declaring.declaredObjects() { desired[resource.address] = resource }
    }
    let credentials = CredentialResources(workspace: workspace, connected: connected, prior: prior)
    for resource in credentials.desired { desired[resource.address] = resource }
    phase.end("desired (\(desired.count) resources)")

    var warnings: [String] = []
    var byBoard: [String: [StateRecord]] = [:]
    for record in records { byBoard[record.address.board, default: []].append(record) }
    let refreshed = connections.filter { connected.unopened[$0.key] == nil }
    for board in connected.unopened.keys.sorted() {
      warnings.append(
        "board '\(board)' was not refreshed: \(connected.unopened[board]!). This plan compares with state only; apply always refreshes before it acts"
      )
    }
    // Boards refresh concurrently; results are gathered in board order.
    let readings = try await withThrowingTaskGroup(of: (String, BoardReading).self) { group in
      for (name, connection) in refreshed {
        let prior = byBoard[name] ?? []
        group.addTask {
          do {
            return (name, try await connection.refresh(prior: prior))
          } catch let error as EngineError {
            throw error
          } catch {
            throw EngineError.user("refreshing board '\(name)' failed: \(error)")
          }
        }
      }
      var readings: [String: BoardReading] = [:]
      for try await (name, reading) in group { readings[name] = reading }
      return readings
    }
    var live: [LiveResource] = []
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

    live += credentials.live
    // Postings made by a rule whose source was not read are left as they are, not closed.
    if !sourced.held.isEmpty || !sourced.heldAddresses.isEmpty {
      let held = { (address: Address) in
        desired[address] == nil && sourced.held.contains { SourcedPostings.isMade(address, by: $0) }
          || sourced.heldAddresses.contains(address)
      }
      kept.removeAll { held($0.address) }
      live.removeAll { held($0.address) }
    }
    var input = DiffInput(
      desired: Array(desired.values), prior: kept, live: live, refreshedBoards: Set(refreshed.keys))
    for board in workspace.config.boards {
      if let platform = platforms[board.platform] {
        let kinds = Set(desired.keys.filter { $0.board == board.name }.map(\.object))
          .union(records.filter { $0.address.board == board.name }.map(\.address.object))
        input.replaceFields[board.name] = Dictionary(
          uniqueKeysWithValues: kinds.map { ($0, platform.replaceFields(of: $0)) })
      }
      input.platformOwned[board.name] = platforms[board.platform]?.platformOwned(board) ?? []
      if board.tier != .free, let amount = board.costPerPosting, let currency = board.costCurrency {
        input.costs[board.name] = (amount, currency)
      }
    }
    for resolved in workspace.expired + sourced.expired {
      guard let kind = (platforms[resolved.board.platform] as? any PostingPlatform)?.placementKind else { continue }
      input.expired[Address(board: resolved.board.name, object: kind, name: resolved.posting.name)] =
        resolved.fields.validThrough ?? ""
    }
    var plan = Diff.plan(input)
    phase.end("diff (\(plan.changes.count) changes)")
    var syncPlanning = SyncPlanning(
      rules: workspace.config.syncRules, connections: connections, unopened: connected.unopened,
      today: workspace.environment.today, salt: snapshot.lineage ?? "", showPersonalData: showPersonalData)
    syncPlanning.setFields = workspace.syncFields(\.setFields)
    syncPlanning.appendFields = workspace.syncFields(\.appendOnly)
    syncPlanning.serial = snapshot.serial
    if !workspace.config.syncRules.isEmpty {
      // Placements by posting name, for `placement` mappings (a form's job → its Manatal job id).
      for record in records where record.status == .open {
        guard let id = record.remoteID, let board = workspace.config.board(named: record.address.board),
          (platforms[board.platform] as? any PostingPlatform)?.placementKind == record.address.object
        else { continue }
        syncPlanning.placements[board.name, default: [:]][record.address.name] = id
      }
      for address in desired.keys where prior[address] == nil {
        syncPlanning.publishing[address.board, default: []].insert(address.name)
      }
    }
    let sync = try await syncPlanning.plan(prior: syncRecords)
    plan.sync = sync.map(\.section)
    if !sync.isEmpty { phase.end("sync (\(sync.count) rules)") }
    try Self.checkPatterns(
      targets: targets, excludes: excludes,
      known: Set(desired.keys).union(records.map(\.address)).union(live.map(\.address))
        .union(workspace.config.syncRules.map { SyncStateRecords.address(rule: $0.name, name: "*") })
        .union(plan.sync.flatMap { $0.changes.map(\.address) }))
    plan = plan.filtered(targets: targets, excludes: excludes)
    plan.warnings = warnings + sourced.warnings + plan.warnings
    if !targets.isEmpty || !excludes.isEmpty {
      let selected = Set(plan.changes.map(\.address))
      plan.conflicts.removeAll { !selected.contains($0.address) }
    }
    return Result(
      plan: plan, desired: desired, prior: prior, live: live, lineage: snapshot.lineage, serial: snapshot.serial,
      unrefreshed: connected.unopened.keys.sorted(), sync: sync)
  }

  /// A `--target` or `--exclude` that matches nothing the configuration, the state or the boards
  /// know is a typo: saying "No changes" would hide the changes it was meant to select.
  static func checkPatterns(
    targets: [AddressPattern], excludes: [AddressPattern], known addresses: @autoclosure () -> Set<Address>
  ) throws {
    // Only built when there is a pattern: a plain plan of 10,000 postings need not hash 60,000 addresses.
    guard !targets.isEmpty || !excludes.isEmpty else { return }
    let known = addresses()
    for (option, patterns) in [("--target", targets), ("--exclude", excludes)] {
      for pattern in patterns where !known.contains(where: pattern.matches) {
        let candidates = Set(
          known.map { address in
            [address.board, address.object.rawValue, address.name].prefix(pattern.parts.count).joined(separator: ".")
          }
        ).sorted()
        let guess = Suggestion.closest(to: pattern.description, in: candidates)
        let message =
          "\(option) \(pattern) matches nothing in the configuration, the state or on the boards"
          + (guess.map { "; did you mean \($0)?" } ?? "")
          + " (addresses are board, board.kind or board.kind.name, e.g. \(candidates.first ?? "careers.page.backend"))"
        throw EngineError.user(message, diagnostics: [])
      }
    }
  }
}
