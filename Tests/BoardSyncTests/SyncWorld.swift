import BoardSpec
import BoardSync

/// Two platforms' records and a rule's links, in memory: the planner's actions carried out the
/// way apply carries them out, so tests can plan, apply and plan again.
struct SyncWorld {
  var sources: [String: SyncRecord]
  var targets: [String: SyncRecord]
  var links: [String: SyncLink] = [:]
  var clock = 0
  var created = 0
  /// Writes made, per side, to count and to look for echoes.
  var targetWrites = 0
  var sourceWrites = 0

  init(sources: [SyncRecord], targets: [SyncRecord]) {
    self.sources = Dictionary(uniqueKeysWithValues: sources.map { ($0.id, $0) })
    self.targets = Dictionary(uniqueKeysWithValues: targets.map { ($0.id, $0) })
  }

  mutating func tick() -> String {
    clock += 1
    return SyncWorld.time(clock)
  }

  static func time(_ n: Int) -> String {
    "2026-11-26T10:\(n / 60 < 10 ? "0" : "")\(n / 60):\(n % 60 < 10 ? "0" : "")\(n % 60).000Z"
  }

  /// Every record as read in full (every target counts as changed, for two-way rules).
  func input(today: CalendarDate = CalendarDate(year: 2026, month: 11, day: 26)) -> SyncPlanner.Input {
    var input = SyncPlanner.Input(
      sources: Array(sources.values), targets: Array(targets.values), links: links, present: Set(sources.keys),
      today: today)
    input.changedTargets = Set(targets.keys)
    return input
  }

  /// Carries out a plan as the engine does: each write, then the link settled from both records.
  mutating func apply(_ result: SyncPlanner.Result, planner: SyncPlanner) {
    for link in result.settled { links[link.sourceID] = link }
    for action in result.actions {
      switch action.kind {
      case .create:
        created += 1
        targetWrites += 1
        let id = "t\(1000 + created)"
        targets[id] = SyncRecord(id: id, updatedAt: tick(), fields: action.values)
        for sourceID in [action.sourceID!] + action.alsoLinks {
          links[sourceID] = planner.settled(
            nil, source: sources[sourceID]!, target: targets[id]!, linkedOn: "2026-11-26")
        }
      case .link, .update:
        let id = action.targetID!
        if !action.values.isEmpty {
          targetWrites += 1
          targets[id]!.fields.merge(action.values) { _, new in new }
          targets[id]!.updatedAt = tick()
        }
        links[action.sourceID!] = planner.settled(
          links[action.sourceID!], source: sources[action.sourceID!]!, target: targets[id]!, linkedOn: "2026-11-26")
      case .createSource:
        created += 1
        sourceWrites += 1
        let id = "s\(1000 + created)"
        sources[id] = SyncRecord(id: id, updatedAt: tick(), fields: action.values)
        links[id] = planner.settled(
          nil, source: sources[id]!, target: targets[action.targetID!]!, linkedOn: "2026-11-26")
      case .updateSource:
        let id = action.sourceID!
        sourceWrites += 1
        sources[id]!.fields.merge(action.values) { _, new in new }
        sources[id]!.updatedAt = tick()
        links[id] = planner.settled(
          links[id], source: sources[id]!, target: targets[action.targetID!]!, linkedOn: "2026-11-26")
      case .conflict:
        let id = action.sourceID!
        links[id] = planner.settled(
          links[id], source: sources[id]!, target: targets[action.targetID!]!, linkedOn: "2026-11-26",
          review: Array(action.values.keys))
      case .delete:
        targets[action.targetID!] = nil
        links[action.sourceID!] = nil
      case .unlink:
        links[action.sourceID!] = nil
      case .purge:
        sources[action.sourceID!] = nil
        targets[action.targetID!] = nil
        links[action.sourceID!] = nil
      case .skip:
        break
      }
    }
  }
}

/// A rule as the loader would build it, without a file.
func syncRule(
  direction: SyncRule.Direction = .oneWay, conflict: SyncRule.Conflict? = nil, consent: SyncRule.Consent? = nil,
  map: [SyncRule.Mapping]? = nil, onDelete: SyncRule.OnDelete = .ignore, retention: SyncRule.Retention? = nil
) -> SyncRule {
  SyncRule(
    name: "contacts", source: .init(board: "wix", object: "contacts"),
    target: .init(board: "ats", object: "candidates"), match: .init(source: "email", target: "email"),
    map: map ?? [
      .init(target: "email", source: .field("email"), transform: .lowercase),
      .init(target: "full_name", source: .template("{{first_name}} {{last_name}}")),
      .init(target: "phone_number", source: .field("phone")),
    ], direction: direction, conflict: conflict, consent: consent, retention: retention, onDelete: onDelete,
    document: DocumentSource(
      file: "boards.d/sync.yaml", root: .mapping([], SourceLocation(file: "boards.d/sync.yaml", line: 1, column: 1))))
}
