import BoardCore
import BoardSpec
import BoardState
import BoardSupport
import BoardSync
import Logging

/// Carries out planned sync rules: each record's action journaled (intent, then outcome with the
/// link it produced, in one step), so a killed run resumes without duplicates (a create whose
/// link was never saved is found again by the rule's match key); the cursors move last, and
/// never past a record whose action failed.
struct SyncApply: Sendable {
  let state: any StateStore
  let connections: [String: any BoardConnection]
  let run: String
  let now: String
  let today: CalendarDate
  let stop: StopSignal?
  /// `board.object` for every object boardctl can erase (a purge leaves the others, and forgets
  /// the link).
  let erasable: Set<String>
  let logger = Logger(label: "boardctl")

  struct Outcome: Sendable {
    var done = 0
    var failures: [(address: String, message: String)] = []
  }

  /// `selected` says which records' actions the run keeps (--target/--exclude, and with a saved
  /// plan only the actions it showed); the action is nil for a link settled with no write.
  func execute(_ works: [SyncWork], selected: @Sendable (Address, String?) -> Bool) async throws -> Outcome {
    var outcome = Outcome()
    let created = CreatedRecords()
    for work in works where work.hasWork {
      try await execute(work, created: created, selected: selected, outcome: &outcome)
    }
    return outcome
  }

  /// Records this run created, by target `board.object` and match key: a second rule writing the
  /// same object (form submissions and contacts both making candidates) links to the record the
  /// first made instead of making the person twice.
  actor CreatedRecords {
    private var records: [String: SyncRecord] = [:]
    /// `board.object:id` of every record a purge erased in this run: no later write touches it.
    private var erased: Set<String> = []

    func erase(_ side: SyncRule.Endpoint, id: String) { erased.insert("\(side.qualified):\(id)") }
    func isErased(_ side: SyncRule.Endpoint, id: String?) -> Bool {
      id.map { erased.contains("\(side.qualified):\($0)") } ?? false
    }

    /// Makes a record with `values` on `side` (its board is `board`), or, when another rule made
    /// one with the same key on that object in this run, writes the values into that one.
    func make(
      _ values: [String: String], on board: any SyncRecordBoard, _ side: SyncRule.Endpoint,
      key: (field: String, value: String)?
    ) async throws -> SyncRecord {
      let object = side.qualified
      if let key, let earlier = records[object + "\u{0}" + key.value] {
        return try await board.updateRecord(side.object, id: earlier.id, values: values)
      }
      let made = try await board.createRecord(side.object, values: values, key: key)
      if let key { records[object + "\u{0}" + key.value] = made }
      return made
    }
  }

  private func execute(
    _ work: SyncWork, created: CreatedRecords, selected: (Address, String?) -> Bool, outcome: inout Outcome
  ) async throws {
    let rule = work.rule
    guard let source = connections[rule.source.board] as? any SyncRecordBoard,
      let target = connections[rule.target.board] as? any SyncRecordBoard
    else { return }
    var saves: [Address: StateRecord?] = [:]
    for link in work.result.settled where selected(SyncStateRecords.address(rule: rule.name, name: link.sourceID), nil)
    {
      saves[SyncStateRecords.address(rule: rule.name, name: link.sourceID)] = SyncStateRecords.record(
        link, rule: rule.name, run: work.serial, now: now)
    }
    if !saves.isEmpty { try await state.write(saves) }
    // One target record's actions in order (it written, then its source), records in parallel:
    // several sources linking to one target (one-way, many to one) never write it at once.
    var groups: [String: [SyncAction]] = [:]
    var order: [String] = []
    var skipped = false
    for action in work.result.actions where action.kind != .skip {
      let name = action.recordName
      let key = action.targetID.map { "t:" + $0 } ?? "s:" + name
      guard selected(SyncStateRecords.address(rule: rule.name, name: name), action.kind.rawValue) else {
        skipped = true
        continue
      }
      if groups[key] == nil { order.append(key) }
      groups[key, default: []].append(action)
    }
    // Records waiting for another rule's link, or a placement, are read again.
    var failedSources = Set(work.result.actions.filter(\.later).compactMap(\.sourceID))
    var failedTargets: Set<String> = []
    let results = try await Self.bounded(order.map { groups[$0]! }, width: Self.concurrency) { actions in
      try await self.execute(actions, work: work, created: created, source: source, target: target)
    }
    for result in results {
      outcome.done += result.done
      outcome.failures += result.failures
      failedSources.formUnion(result.failedSources)
      failedTargets.formUnion(result.failedTargets)
    }
    // Records left out by --target are read again next run: the cursor does not pass them.
    if skipped { return }
    var cursors: [Address: StateRecord?] = [:]
    let sourceCursor = work.sourceCursor.advanced(
      processed: work.readSources, failed: work.readSources.filter { failedSources.contains($0.id) })
    if sourceCursor != work.sourceCursor {
      cursors[SyncStateRecords.address(rule: rule.name, name: SyncStateRecords.sourceCursor)] = SyncStateRecords.record(
        sourceCursor, rule: rule.name, name: SyncStateRecords.sourceCursor, now: now)
    }
    let targetCursor = work.targetCursor.advanced(
      processed: work.readTargets, failed: work.readTargets.filter { failedTargets.contains($0.id) })
    // A two-way rule's first run saves the target's cursor even when it saw no record: the next
    // run then knows the rule has run (`SyncPlanner.Input.firstTargetRead`).
    if targetCursor != work.targetCursor || rule.direction == .twoWay && !work.targetCursorSaved {
      cursors[SyncStateRecords.address(rule: rule.name, name: SyncStateRecords.targetCursor)] = SyncStateRecords.record(
        targetCursor, rule: rule.name, name: SyncStateRecords.targetCursor, now: now)
    }
    // A record read again for a new link that failed is read again next run: the cursor holds.
    if work.viaSeen != work.viaCursor, failedSources.isDisjoint(with: work.reread) {
      cursors[SyncStateRecords.address(rule: rule.name, name: SyncStateRecords.viaCursor)] = SyncStateRecords.record(
        work.viaSeen, rule: rule.name, name: SyncStateRecords.viaCursor, now: now)
    }
    if !cursors.isEmpty { try await state.write(cursors) }
  }

  /// Records whose actions run at once; the HTTP layer's budgets keep each board within its limit.
  static let concurrency = 4

  struct GroupResult: Sendable {
    var done = 0
    var failures: [(address: String, message: String)] = []
    var failedSources: Set<String> = []
    var failedTargets: Set<String> = []
  }

  /// One record's actions, journaled one by one; the records each write returns are what the
  /// next action (and the link) is computed from.
  private func execute(
    _ actions: [SyncAction], work: SyncWork, created: CreatedRecords, source: any SyncRecordBoard,
    target: any SyncRecordBoard
  ) async throws -> GroupResult {
    var result = GroupResult()
    var current = Current(work: work)
    // Fields waiting for review stay so through this run's other writes to the same pair.
    for action in actions where action.kind == .conflict {
      current.review[action.sourceID ?? ""] = Array(action.values.keys)
    }
    func failed(_ action: SyncAction) {
      result.failedSources.insert(action.sourceID ?? "")
      result.failedSources.formUnion(action.alsoLinks)
      if let id = action.targetID { result.failedTargets.insert(id) }
    }
    for action in actions {
      let address = SyncStateRecords.address(rule: work.rule.name, name: action.recordName)
      if stop?.requested != nil {
        failed(action)
        continue
      }
      let entry = try await state.journalBegin(run: run, address: address, action: "sync-" + action.kind.rawValue)
      do {
        let records = try await carryOut(
          action, work: work, current: &current, created: created, source: source, target: target)
        try await state.journalFinish(entry, saving: records)
        result.done += 1
      } catch let error as CancellationError {
        try await state.journalFinish(entry, error: "stopped")
        throw error
      } catch {
        // Personal data never goes into the journal or the terminal, even quoted by a platform.
        let record = [action.sourceID.flatMap { current.sources[$0] }, action.targetID.flatMap { current.targets[$0] }]
        let message = PersonalData.redact(
          "\(error)",
          values: Array(action.values.values) + Array(action.before.values) + (action.key.map { [$0] } ?? [])
            + record.compactMap { $0 }.flatMap { $0.fields.values })
        logger.debug("sync: \(address) failed: \(message)")
        try await state.journalFinish(entry, error: message)
        result.failures.append((address.description, message))
        failed(action)
        for later in actions.drop(while: { $0 != action }).dropFirst() { failed(later) }
        break  // the record's later actions build on this one
      }
    }
    return result
  }

  /// The records and links as this run's writes left them.
  struct Current {
    var sources: [String: SyncRecord]
    var targets: [String: SyncRecord]
    var links: [String: SyncLink]
    /// By source id: the fields of this run's conflict, kept in review by every write.
    var review: [String: [String]] = [:]

    init(work: SyncWork) {
      sources = work.sources
      targets = work.targets
      links = work.links
    }
  }

  static func bounded<Item: Sendable, Result: Sendable>(
    _ items: [Item], width: Int, _ body: @escaping @Sendable (Item) async throws -> Result
  ) async throws -> [Result] {
    try await withThrowingTaskGroup(of: Result.self) { group in
      var results: [Result] = []
      var next = 0
      while next < min(width, items.count) {
        let item = items[next]
        group.addTask { try await body(item) }
        next += 1
      }
      while let result = try await group.next() {
        results.append(result)
        if next < items.count {
          let item = items[next]
          group.addTask { try await body(item) }
          next += 1
        }
      }
      return results
    }
  }

  /// One action against the platforms; returns the state records it leaves.
  private func carryOut(
    _ action: SyncAction, work: SyncWork, current: inout Current, created registry: CreatedRecords,
    source: any SyncRecordBoard, target: any SyncRecordBoard
  ) async throws -> [Address: StateRecord?] {
    let rule = work.rule
    let planner = work.planner
    let linkedOn = today.description
    func save(_ link: SyncLink, _ current: inout Current) -> (Address, StateRecord?) {
      current.links[link.sourceID] = link
      return (
        SyncStateRecords.address(rule: rule.name, name: link.sourceID),
        SyncStateRecords.record(link, rule: rule.name, run: work.serial, now: now)
      )
    }
    func forget(_ id: String) -> (Address, StateRecord?) { (SyncStateRecords.address(rule: rule.name, name: id), nil) }
    // A purge earlier in this run erased the person: nothing is written back into the blanked
    // record; the next run drops the link (`SyncPlanner.Input.erasedTargets`).
    if [.link, .update, .updateSource].contains(action.kind) {
      let targetErased = await registry.isErased(rule.target, id: action.targetID)
      let sourceErased = await registry.isErased(rule.source, id: action.sourceID)
      if targetErased || sourceErased { return [:] }
    }
    switch action.kind {
    case .create:
      let created = try await registry.make(
        action.values, on: target, rule.target,
        key: rule.match.flatMap { match in action.key.map { (match.target, $0) } })
      var records: [Address: StateRecord?] = [:]
      current.targets[created.id] = created
      for id in [action.sourceID!] + action.alsoLinks {
        guard let record = current.sources[id] else { continue }
        let (address, state) = save(
          planner.settled(nil, source: record, target: created, linkedOn: linkedOn), &current)
        records[address] = state
      }
      return records
    case .createSource:
      let made = try await registry.make(
        action.values, on: source, rule.source,
        key: rule.match.flatMap { match in action.key.map { (match.source, $0) } })
      // A platform that answers a create with a record it had (Wix: the email is taken) may give
      // one this rule links already: linking it again would take it from its target.
      if let linked = current.links[made.id], linked.targetID != action.targetID {
        throw EngineError.user(
          "\(rule.source.object) record \(made.id) has the same \(rule.match?.source ?? "key") and links to \(rule.target.object) record \(linked.targetID); a two_way rule links one record to one"
        )
      }
      current.sources[made.id] = made
      let link = planner.settled(nil, source: made, target: current.targets[action.targetID!]!, linkedOn: linkedOn)
      return Dictionary(uniqueKeysWithValues: [save(link, &current)])
    case .link, .update:
      let sourceRecord = current.sources[action.sourceID!]!
      var targetRecord = current.targets[action.targetID!]!
      if !action.values.isEmpty {
        let change = planner.mapper.change(action.values, before: action.before)
        targetRecord = try await target.updateRecord(
          rule.target.object, id: targetRecord.id, values: change.values, removing: change.removing)
        current.targets[targetRecord.id] = targetRecord
      }
      let link = planner.settled(
        current.links[sourceRecord.id], source: sourceRecord, target: targetRecord, linkedOn: linkedOn,
        review: current.review[sourceRecord.id] ?? [])
      return Dictionary(uniqueKeysWithValues: [save(link, &current)])
    case .updateSource:
      let updated = try await source.updateRecord(rule.source.object, id: action.sourceID!, values: action.values)
      current.sources[updated.id] = updated
      let link = planner.settled(
        current.links[updated.id], source: updated, target: current.targets[action.targetID!]!, linkedOn: linkedOn,
        review: current.review[updated.id] ?? [])
      return Dictionary(uniqueKeysWithValues: [save(link, &current)])
    case .conflict:
      let link = planner.settled(
        current.links[action.sourceID!], source: current.sources[action.sourceID!]!,
        target: current.targets[action.targetID!]!, linkedOn: linkedOn, review: Array(action.values.keys))
      return Dictionary(uniqueKeysWithValues: [save(link, &current)])
    case .delete:
      try await target.deleteRecord(rule.target.object, id: action.targetID!)
      return Dictionary(uniqueKeysWithValues: [forget(action.sourceID!)])
    case .unlink:
      // A two-way rule marks the target, so its record is not made again on the source.
      let (address, _) = forget(action.sourceID!)
      current.links[action.sourceID!] = nil
      if action.forgets {
        let tombstone = SyncStateRecords.tombstone(
          rule: rule.name, sourceID: action.sourceID!, targetID: action.targetID, day: linkedOn, now: now,
          erased: false)
        return [tombstone.address: tombstone]
      }
      guard rule.direction == .twoWay, let targetID = action.targetID else { return [address: nil] }
      let marker = SyncStateRecords.released(rule: rule.name, targetID: targetID, day: linkedOn, now: now)
      return [address: nil, marker.address: marker]
    case .purge:
      let anonymize = rule.retention?.action == .anonymize
      let sides = [
        (target, rule.target, action.targetID!), (source, rule.source, action.sourceID!),
      ]
      for (board, side, id) in sides where erasable.contains(side.qualified) {
        await registry.erase(side, id: id)
        if anonymize {
          try await board.anonymizeRecord(side.object, id: id)
        } else {
          try await board.deleteRecord(side.object, id: id)
        }
      }
      let tombstone = SyncStateRecords.tombstone(
        rule: rule.name, sourceID: action.sourceID!, targetID: action.targetID, day: linkedOn, now: now)
      return [tombstone.address: tombstone]
    case .skip:
      return [:]
    }
  }
}
