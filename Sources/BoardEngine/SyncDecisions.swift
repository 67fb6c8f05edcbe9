import BoardCore
import BoardSpec
import BoardState
import BoardSync

/// What people decide about sync rules, each under the state lock: which side of a conflict
/// wins (`sync resolve`), forgetting a rule's cursor (`sync reset`), and the status of every
/// rule from state alone (`sync status`).
public struct SyncDecisions: Sendable {
  public let workspace: CheckedWorkspace
  public let connected: ConnectedBoards

  public init(workspace: CheckedWorkspace, connected: ConnectedBoards) {
    self.workspace = workspace
    self.connected = connected
  }

  public enum Side: String, Sendable, CaseIterable {
    case source, target
  }

  /// One rule as state has it.
  public struct RuleStatus: Sendable {
    public var rule: String
    public var direction: String
    public var from: String
    public var to: String
    public var links: Int
    public var inReview: Int
    public var watermark: String?
    public var targetWatermark: String?
    /// The newest run's sync entries for this rule: when it started, done and failed.
    public var lastRun: String?
    public var done = 0
    public var failed = 0
    /// The newest failures' words (already free of personal data).
    public var failures: [String] = []
  }

  /// Every rule's links, review count, cursors and last run; reads state only.
  public static func status(_ config: Config, records: [StateRecord], journal: [JournalEntry]) -> [RuleStatus] {
    config.syncRules.map { rule in
      let mine = records.filter { $0.address.board == SyncSection.board && $0.address.object.rawValue == rule.name }
      let links = mine.compactMap(SyncStateRecords.link)
      var status = RuleStatus(
        rule: rule.name, direction: rule.direction.rawValue, from: rule.source.qualified,
        to: rule.target.qualified, links: links.count,
        inReview: links.filter { !$0.review.isEmpty }.count,
        watermark: SyncStateRecords.cursor(mine.first { $0.address.name == SyncStateRecords.sourceCursor }).watermark,
        targetWatermark: SyncStateRecords.cursor(mine.first { $0.address.name == SyncStateRecords.targetCursor })
          .watermark)
      let entries = journal.filter {
        $0.action.hasPrefix("sync-") && $0.address.hasPrefix("\(SyncSection.board).\(rule.name).")
      }
      if let newest = entries.first {
        let run = entries.filter { $0.run == newest.run }
        status.lastRun = run.map(\.startedAt).min()
        status.done = run.filter { $0.outcome == "ok" }.count
        status.failed = run.filter { $0.outcome != "ok" }.count
        status.failures = run.compactMap { entry in entry.error.map { "\(entry.address): \($0)" } }.prefix(5).map { $0 }
      } else {
        // A run that moved nothing journals nothing; its cursors say when it ran.
        status.lastRun = mine.filter { SyncStateRecords.isCursor($0.address) }.map(\.updatedAt).max()
      }
      return status
    }
  }

  /// Forgets a rule's source cursor: the next apply reads every source record again. Links stay,
  /// so nothing is created twice; returns how many cursors there were.
  public func reset(rule name: String, state: any StateStore) async throws -> Int {
    _ = try rule(named: name)
    // A two-way rule keeps its target's cursor: records made on the target since the last run
    // are still made on the source, and older ones are not copied back in bulk.
    let names = [SyncStateRecords.sourceCursor, SyncStateRecords.viaCursor]
    let addresses = names.map {
      SyncStateRecords.address(rule: name, name: $0)
    }
    var present: [Address: StateRecord?] = [:]
    for address in addresses where try await state.record(address) != nil { present[address] = .some(nil) }
    if !present.isEmpty { try await state.write(present) }
    return present.count
  }

  /// Settles a conflict: `take` says whose values win for the fields in review; the other side
  /// is written (a field that cannot flow back keeps the target's value), and the link leaves
  /// review. Returns the fields settled.
  public func resolve(rule name: String, record: String, take: Side, state: any StateStore) async throws -> [String] {
    _ = try rule(named: name)
    var planner = Planner(workspace: workspace, connected: connected)
    planner.showPersonalData = false
    let address = SyncStateRecords.address(rule: name, name: record)
    guard let pattern = AddressPattern(address.description), pattern.parts.count == 3 else {
      throw EngineError.user("'\(record)' is not a record id: give the last part of the sync address")
    }
    let result = try await planner.plan(state: state, targets: [pattern], excludes: [])
    guard let work = result.sync.first(where: { $0.rule.name == name }) else {
      throw EngineError.user("sync rule '\(name)' was not planned")
    }
    if let problem = work.section.problem { throw EngineError.user("sync rule '\(name)': \(problem)") }
    guard let conflict = work.result.actions.first(where: { $0.kind == .conflict && $0.sourceID == record }) else {
      throw EngineError.user(
        "\(address) has no conflict waiting: boardctl sync conflicts lists those that do")
    }
    // The decision becomes an ordinary action on the pair, carried out as apply carries one out
    // (journaled, redacted, the link settled from what the platform stored), with the fields out
    // of review.
    let fields = conflict.values.keys.sorted()
    var decided = work
    decided.links[record]?.review.removeAll { fields.contains($0) }
    // Only this record moves: the cursors stay where they are, for the next apply to read the rest.
    decided.readSources = []
    decided.readTargets = []
    decided.viaSeen = decided.viaCursor
    decided.targetCursorSaved = true  // a resolve never stands for a rule's first run
    let targetRecord = work.targets[conflict.targetID!]!
    let action: SyncAction
    switch take {
    case .source:
      action = SyncAction(
        kind: .update, sourceID: record, targetID: targetRecord.id,
        values: conflict.before.filter { !$0.value.isEmpty },
        reason: "resolved: the source's values taken")
    case .target:
      var values: [String: String] = [:]
      for field in fields {
        guard let back = work.planner.mapper.reverseField(of: field), let value = targetRecord[field] else { continue }
        values[back] = work.planner.mapper.reverseValue(of: field, value)
      }
      action = SyncAction(
        kind: .updateSource, sourceID: record, targetID: targetRecord.id, values: values,
        reason: "resolved: the target's values taken")
    }
    if action.values.isEmpty {
      // Nothing to write (the target's value cannot flow back): the pair is settled as it is.
      let link = work.planner.settled(
        decided.links[record], source: work.sources[record]!, target: targetRecord,
        linkedOn: decided.links[record]?.linkedOn ?? workspace.environment.today.description)
      decided.result = SyncPlanner.Result(settled: [link])
    } else {
      decided.result = SyncPlanner.Result(actions: [action])
    }
    let outcome = try await SyncApply(
      state: state, connections: connected.connections,
      run: RunProvenance.forThisProcess(commit: await ConfigurationCommit.describe(workspace.layout)).encoded,
      now: workspace.environment.now, today: workspace.environment.today, stop: nil,
      erasable: workspace.erasableSyncObjects
    ).execute([decided]) { candidate, _ in candidate == address }
    if let failure = outcome.failures.first {
      throw EngineError.user("resolving \(address) failed: \(failure.message)")
    }
    return fields
  }

  private func rule(named name: String) throws -> SyncRule {
    guard let rule = workspace.config.syncRule(named: name) else {
      let names = workspace.config.syncRules.map(\.name)
      let guess = Suggestion.closest(to: name, in: names).map { "; did you mean '\($0)'?" } ?? ""
      let list = names.isEmpty ? " (boards.d has no sync rules)" : " (rules: \(names.joined(separator: ", ")))"
      throw EngineError.user("no sync rule '\(name)' in boards.d" + guess + list, diagnostics: [])
    }
    return rule
  }
}
