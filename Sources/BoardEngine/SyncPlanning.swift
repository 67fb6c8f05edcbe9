import BoardCore
import BoardSpec
import BoardSupport
import BoardSync
import Foundation

/// Reads what each sync rule needs and plans it: the source's records changed since its cursor
/// (one query, paged), the target records those link or match, and for a two-way rule the
/// target's changes since its own cursor. A run with nothing changed costs one request per
/// rule source; a delete sweep (`on_delete` other than ignore) adds one listing.
struct SyncPlanning: Sendable {
  let rules: [SyncRule]
  let connections: [String: any BoardConnection]
  /// Boards whose credential could not be opened, with the reason.
  let unopened: [String: String]
  let today: CalendarDate
  /// Salts the marks kept in state: the state's lineage, random and set once, so a mark from one
  /// state matches nothing in another, and migration keeps them valid.
  let salt: String
  /// The state serial the plan read.
  var serial = 0
  let showPersonalData: Bool
  /// By board: posting name → its placement's remote id, from state (`placement` mappings).
  var placements: [String: [String: String]] = [:]
  /// By board: postings this run publishes for the first time.
  var publishing: [String: Set<String>] = [:]
  /// By `board.object`: fields holding a set of names (`SyncObjectSchema.setFields`).
  var setFields: [String: Set<String>] = [:]
  /// By `board.object`: write-only fields whose values add up (`SyncObjectSchema.appendOnly`).
  var appendFields: [String: Set<String>] = [:]

  /// Unlinked records a run looks up by key one by one at most; with more, the target is read whole.
  static let lookupLimit = 50

  func plan(prior: [StateRecord]) async throws -> [SyncWork] {
    var byRule: [String: [StateRecord]] = [:]
    var context = SyncContext(placements: placements, publishing: publishing)
    for rule in rules {
      guard let via = rule.match?.via, let other = rules.first(where: { $0.name == via }) else { continue }
      if other.source.board == rule.target.board && other.source.object == rule.target.object {
        context.reversed.insert(via)
      }
    }
    // Records a purge or `forget person` erased, as `board.object:id`, with the rule that did.
    var erased: [String: String] = [:]
    for record in prior where record.address.board == SyncSection.board && SyncStateRecords.erased(record) {
      guard let rule = rules.first(where: { $0.name == record.address.object.rawValue }) else { continue }
      erased["\(rule.source.qualified):\(record.address.name)"] = rule.name
      if let target = SyncStateRecords.forgottenTarget(record) {
        erased["\(rule.target.qualified):\(target)"] = rule.name
      }
    }
    for record in prior where record.address.board == SyncSection.board {
      byRule[record.address.object.rawValue, default: []].append(record)
      if let link = SyncStateRecords.link(record) {
        context.links[record.address.object.rawValue, default: [:]][link.sourceID] = link.targetID
      }
    }
    var works: [SyncWork] = []
    // Keys an earlier rule creates on a target object: a later rule's create of the same key
    // links to that record when applied (see `SyncApply.CreatedRecords`).
    var creating: [String: String] = [:]
    // Rules that make postings are planned as placements (`SourcedPostings`).
    for rule in rules where rule.target.object != SyncObjectSchema.postings.name {
      var work = try await plan(
        rule, state: byRule[rule.name] ?? [], via: rule.match?.via.flatMap { byRule[$0] } ?? [], context: context,
        erased: erased)
      for (index, action) in work.result.actions.enumerated() where [.create, .createSource].contains(action.kind) {
        guard let key = action.key else { continue }
        let side = action.kind == .create ? rule.target : rule.source
        let object = side.qualified
        if let first = creating[object + "\u{0}" + key] {
          work.section.changes[index].reason += "; rule \(first) creates it first in this run, and this links to it"
        } else {
          creating[object + "\u{0}" + key] = rule.name
        }
      }
      works.append(work)
    }
    return works
  }

  /// `via`: the state records of the rule `match.via` names (its links, with when each was saved).
  private func plan(
    _ rule: SyncRule, state: [StateRecord], via: [StateRecord], context: SyncContext, erased: [String: String]
  ) async throws -> SyncWork {
    let planner = SyncPlanner(
      mapper: SyncMapper(
        rule: rule, salt: salt, context: context,
        setFields: setFields[rule.target.qualified] ?? [],
        appendFields: appendFields[rule.target.qualified] ?? []))
    var work = SyncWork(
      section: SyncSection(
        rule: rule.name, source: rule.source.qualified,
        target: rule.target.qualified, direction: rule.direction.rawValue),
      planner: planner, result: SyncPlanner.Result())
    work.serial = serial
    for board in [rule.source.board, rule.target.board] where unopened[board] != nil {
      work.section.problem = "board '\(board)' was not read: \(unopened[board]!)"
      return work
    }
    guard let source = connections[rule.source.board] as? any SyncRecordBoard,
      let target = connections[rule.target.board] as? any SyncRecordBoard
    else {
      work.section.problem = "a board of this rule cannot move records"
      return work
    }
    for record in state {
      if record.address.name == SyncStateRecords.sourceCursor {
        work.sourceCursor = SyncStateRecords.cursor(record)
      } else if record.address.name == SyncStateRecords.targetCursor {
        work.targetCursor = SyncStateRecords.cursor(record)
        work.targetCursorSaved = true
      } else if record.address.name == SyncStateRecords.viaCursor {
        work.viaCursor = SyncStateRecords.cursor(record)
      } else if let day = SyncStateRecords.forgottenDay(record) {
        work.forgotten[record.address.name] = day
        if let target = SyncStateRecords.forgottenTarget(record) { work.forgottenTargets.insert(target) }
      } else if let target = SyncStateRecords.releasedTarget(record) {
        work.forgottenTargets.insert(target)
      } else if let link = SyncStateRecords.link(record) {
        work.links[link.sourceID] = link
      }
    }
    // A rule whose boards cannot be read (a missing permission, a missing Forms app) stops the
    // plan: moving some records and not others would be worse than moving none.
    var present: Set<String>?
    do {
      try await readNewlyLinked(&work, source: source, via: via, context: context)
      try await read(&work, source: source, target: target)
      if rule.onDelete != .ignore {
        present = try await source.recordIDs(rule.source.object, filter: rule.source.filter)
      }
    } catch let error as EngineError {
      throw error
    } catch {
      throw EngineError.unreadable(rule, error)
    }
    var input = SyncPlanner.Input(
      sources: Array(work.sources.values), targets: Array(work.targets.values), links: work.links, present: present,
      today: today)
    input.forgotten = work.forgotten
    input.forgottenTargets = work.forgottenTargets
    input.changedTargets = Set(work.readTargets.map(\.id))
    input.firstTargetRead = !work.targetCursorSaved
    for link in work.links.values {
      input.erasedSources[link.sourceID] = erased["\(rule.source.qualified):\(link.sourceID)"]
      input.erasedTargets[link.targetID] = erased["\(rule.target.qualified):\(link.targetID)"]
    }
    for other in rules
    where other.name != rule.name && other.source.board == rule.source.board
      && (other.target.board, other.target.object) == (rule.target.board, rule.target.object)
    {
      for target in (context.links[other.name] ?? [:]).values { input.linkedByOtherRules[target] = other.name }
    }
    work.result = planner.plan(input)
    work.section.read = work.readSources.count + work.readTargets.count
    work.section.changes = work.result.actions.map { change($0, rule: rule, work: work) }
    return work
  }

  /// The source's changes, the target's (two-way), and the counterparts both need.
  private func read(_ work: inout SyncWork, source: any SyncRecordBoard, target: any SyncRecordBoard) async throws {
    let rule = work.rule
    let changed = try await source.records(
      rule.source.object, since: work.sourceCursor.watermark, filter: rule.source.filter
    ).filter(work.sourceCursor.isNew)
    work.readSources = changed
    for record in changed { work.sources[record.id] = record }
    if rule.direction == .twoWay {
      let changedTargets = try await target.records(rule.target.object, since: work.targetCursor.watermark, filter: [:])
        .filter(work.targetCursor.isNew)
      work.readTargets = changedTargets
      for record in changedTargets { work.targets[record.id] = record }
      // A changed target's source, when the source did not change itself.
      var sourceOf: [String: String] = [:]
      for link in work.links.values { sourceOf[link.targetID] = link.sourceID }
      let missing = changedTargets.compactMap { sourceOf[$0.id] }.filter { work.sources[$0] == nil }
      for record in try await source.records(rule.source.object, ids: missing) { work.sources[record.id] = record }
      // A changed target no link names: a source record with its key links to it (else the
      // planner makes it on the source).
      let keys = changedTargets.filter { sourceOf[$0.id] == nil }.compactMap { record in
        rule.match.flatMap { record[$0.target] }
      }
      if let match = rule.match, match.via == nil {
        let found = try await Self.lookup(
          source, rule.source.object, field: match.source, values: keys, ignoreCase: match.ignoreCase,
          filter: rule.source.filter)
        // Linked ones too: the planner must see that the key is taken.
        for record in found where record.isSelected(by: rule.source.filter) {
          work.sources[record.id] = work.sources[record.id] ?? record
        }
      }
    }
    // Pairs waiting for review are shown every run, until a person decides or both sides agree.
    let reviewing = work.links.values.filter { !$0.review.isEmpty && work.sources[$0.sourceID] == nil }.map(\.sourceID)
    for record in try await source.records(rule.source.object, ids: reviewing.sorted()) {
      work.sources[record.id] = record
    }
    // Targets of linked sources, and candidates for the unlinked ones' keys.
    let linkedTargets = work.sources.keys.compactMap { work.links[$0]?.targetID }.filter { work.targets[$0] == nil }
    for record in try await target.records(rule.target.object, ids: linkedTargets) { work.targets[record.id] = record }
    let unlinked = work.sources.values.filter {
      work.links[$0.id] == nil || work.targets[work.links[$0.id]!.targetID] == nil
    }
    guard !unlinked.isEmpty, let match = rule.match else { return }
    // The values as the source holds them (a platform's lookup matches them), or for `via` the
    // ids the other rule links them to.
    let mapper = work.planner.mapper
    let keys = unlinked.compactMap { match.via == nil ? $0[match.source] : mapper.sourceKey($0) }
    let candidates =
      match.target == "id"
      ? try await target.records(rule.target.object, ids: keys)
      : try await Self.lookup(
        target, rule.target.object, field: match.target, values: keys, ignoreCase: match.ignoreCase, filter: [:])
    for record in candidates { work.targets[record.id] = record }
  }

  /// A `via` rule's source records whose counterpart the other rule linked since this rule last
  /// ran (a match whose candidate only now has a contact): read again, by the field the rule
  /// matches on, so their values reach the target without waiting for their next change. Costs
  /// nothing when no link is new, and nothing on a full read (every record is read anyway).
  private func readNewlyLinked(
    _ work: inout SyncWork, source: any SyncRecordBoard, via: [StateRecord], context: SyncContext
  ) async throws {
    let rule = work.rule
    guard let match = rule.match, let other = match.via else { return }
    // Links saved by runs that planned at or after this rule's last run, as this rule's source
    // names them: the other rule's targets when it reads this rule's target (`reversed`), else
    // its sources. The cursor moves only when there are some (or on the first run): a run with
    // nothing new writes nothing.
    work.viaSeen = work.viaCursor
    let since = work.viaCursor.watermark.flatMap { Int($0) }
    let reversed = context.reversed.contains(other)
    let ids = via.filter { SyncStateRecords.run($0) >= since ?? 0 }.compactMap(SyncStateRecords.link).map {
      reversed ? $0.targetID : $0.sourceID
    }
    if since == nil || !ids.isEmpty { work.viaSeen = SyncCursor(watermark: String(serial)) }
    // A first run, or a full read of the source, reads every record anyway.
    guard since != nil, work.sourceCursor.watermark != nil, !ids.isEmpty else { return }
    let found = try await Self.lookup(
      source, rule.source.object, field: match.source, values: ids, ignoreCase: false, filter: rule.source.filter)
    for record in found where record.isSelected(by: rule.source.filter) {
      work.sources[record.id] = work.sources[record.id] ?? record
      work.reread.insert(record.id)
    }
  }

  /// The records of `object` whose `field` holds one of `values` (ignoring case when asked): one
  /// lookup when there are at most `lookupLimit` and the platform can look the field up, else
  /// every record `filter` selects, read and compared.
  static func lookup(
    _ board: any SyncRecordBoard, _ object: String, field: String, values: [String], ignoreCase: Bool,
    filter: [String: [String]]
  ) async throws -> [SyncRecord] {
    guard !values.isEmpty else { return [] }
    if values.count <= lookupLimit,
      let found = try await board.records(object, field: field, values: values, ignoreCase: ignoreCase)
    {
      return found
    }
    // Compared as the planner matches keys: trimmed, and without case when asked.
    func key(_ value: String) -> String {
      ignoreCase ? value.trimmingWhitespace().lowercased() : value.trimmingWhitespace()
    }
    let wanted = Set(values.map(key))
    return try await board.records(object, since: nil, filter: filter).filter {
      $0[field].map { wanted.contains(key($0)) } ?? false
    }
  }

  /// An action as the plan shows it, personal data masked unless asked for.
  private func change(_ action: SyncAction, rule: SyncRule, work: SyncWork) -> SyncSection.Change {
    let personal = showPersonalData
    func shown(_ value: String) -> String { personal ? value : PersonalData.mask(value) }
    var fields: [SyncSection.Change.Field] = []
    for name in Set(action.values.keys).union(action.before.keys).sorted() {
      let before = action.before[name].map(shown) ?? ""
      let after = action.values[name].map(shown) ?? ""
      fields.append(SyncSection.Change.Field(name: name, before: before, after: after))
    }
    var reason = action.reason
    if !action.alsoLinks.isEmpty {
      reason +=
        "; \(action.alsoLinks.count) more record\(action.alsoLinks.count == 1 ? "" : "s") with the same \(rule.match?.source ?? "key") link to it"
    }
    return SyncSection.Change(
      address: SyncStateRecords.address(rule: rule.name, name: action.recordName),
      action: action.kind.rawValue, targetID: action.targetID, fields: fields, reason: reason,
      key: action.key.map { rule.match?.target == "id" ? $0 : shown($0) })  // an id is no personal data
  }
}
