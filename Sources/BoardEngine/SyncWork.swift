import BoardCore
import BoardSpec
import BoardSync

/// One sync rule planned: what the plan shows (masked), and what apply needs to carry it out
/// (the records read, in memory only: personal data never reaches a file).
public struct SyncWork: Sendable {
  public var section: SyncSection
  let planner: SyncPlanner
  var result: SyncPlanner.Result
  var sources: [String: SyncRecord] = [:]
  var targets: [String: SyncRecord] = [:]
  var links: [String: SyncLink] = [:]
  /// Forgotten source ids, by the day.
  var forgotten: [String: String] = [:]
  /// Target ids those forgotten links held: never made again on the source.
  var forgottenTargets: Set<String> = []
  /// The source records read since the cursor, and the target's for a two-way rule.
  var readSources: [SyncRecord] = []
  var readTargets: [SyncRecord] = []
  var sourceCursor = SyncCursor()
  var targetCursor = SyncCursor()
  /// Whether state holds the target's cursor (a two-way rule ran before), even one that has
  /// seen no record yet.
  var targetCursorSaved = false
  /// The state serial this plan read: links apply saves carry it.
  var serial = 0
  /// A `via` rule: the serial of its last run (links saved with it or later are new to it), and
  /// this run's.
  var viaCursor = SyncCursor()
  var viaSeen = SyncCursor()
  /// Source ids read again because the other rule linked them since this rule's last run.
  var reread: Set<String> = []

  var rule: SyncRule { planner.rule }

  /// Whether some record waits for another rule's link or a placement: after the rest of the run
  /// is applied, the rule is planned once more.
  var waits: Bool { result.actions.contains(where: \.later) }

  /// Whether apply has anything to do: a write, a conflict or links to settle, or a cursor to move.
  var hasWork: Bool {
    section.problem == nil
      && (!result.actions.isEmpty || !result.settled.isEmpty || !readSources.isEmpty || !readTargets.isEmpty
        || viaSeen != viaCursor || rule.direction == .twoWay && !targetCursorSaved)
  }
}
