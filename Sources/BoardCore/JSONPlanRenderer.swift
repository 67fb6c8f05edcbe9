import Foundation

/// The machine-readable plan (`--format json`). Documented in docs/plan-json.md; bump
/// `formatVersion` on any incompatible change.
public enum JSONPlanRenderer {
  public static let formatVersion = "1.0"

  struct Document: Encodable {
    var format_version = JSONPlanRenderer.formatVersion
    var has_changes: Bool
    var changes: [Change]
    var drift: [DriftEntry]
    var conflicts: [Conflict]
    var warnings: [String]
    var summary: Plan.Summary
    var cost: [String: Double]
    var sync: [Sync]
  }

  struct Sync: Encodable {
    var rule: String
    var source: String
    var target: String
    var direction: String
    var read: Int
    var counts: [String: Int]
    var problem: String?
    var changes: [SyncChange]
  }

  struct SyncChange: Encodable {
    var address: String
    var action: String
    var target_id: String?
    var fields: [String: SyncField]
    var reason: String
    var key: String?
  }

  struct SyncField: Encodable {
    var before: String
    var after: String
  }

  struct Change: Encodable {
    var address: String
    var board: String
    var platform: String
    var actions: [String]
    var before: Attributes?
    var after: Attributes?
    var changed_fields: [String]
    var replace_fields: [String]
    var reason: String
    var content_changed: Bool
  }

  public static func render(_ plan: Plan) -> String {
    let document = Document(
      has_changes: !plan.isEmpty,
      changes: plan.changes.map {
        Change(
          address: $0.address.description, board: $0.address.board, platform: $0.platform, actions: $0.action.actions,
          before: $0.before, after: $0.after, changed_fields: $0.fields.map(\.key),
          replace_fields: $0.fields.filter(\.forcesReplacement).map(\.key), reason: $0.reason,
          content_changed: $0.contentChanged)
      }, drift: plan.drift, conflicts: plan.conflicts, warnings: plan.warnings, summary: plan.summary, cost: plan.cost,
      sync: plan.sync.map { section in
        Sync(
          rule: section.rule, source: section.source, target: section.target, direction: section.direction,
          read: section.read, counts: section.counts, problem: section.problem,
          changes: section.changes.map { change in
            SyncChange(
              address: change.address.description, action: change.action, target_id: change.targetID,
              fields: Dictionary(change.fields.map { ($0.name, SyncField(before: $0.before, after: $0.after)) }) {
                a, _ in a
              },
              reason: change.reason, key: change.key)
          })
      })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
    return escapingTerminalControls(String(decoding: data, as: UTF8.self)) + "\n"
  }

  /// The encoder escapes the C0 controls; the others `TerminalText` escapes (DEL, C1, the bidi
  /// overrides) it writes raw. Written as `\u` escapes instead, the JSON means the same and is
  /// safe to print on a terminal. They can only occur inside strings: JSON's syntax is ASCII.
  static func escapingTerminalControls(_ json: String) -> String {
    func needsEscaping(_ scalar: Unicode.Scalar) -> Bool { scalar != "\n" && TerminalText.needsEscaping(scalar) }
    guard json.unicodeScalars.contains(where: needsEscaping) else { return json }
    var out = String.UnicodeScalarView()
    for scalar in json.unicodeScalars {
      if needsEscaping(scalar) {
        let hex = String(scalar.value, radix: 16)
        out.append(contentsOf: ("\\u" + String(repeating: "0", count: 4 - hex.count) + hex).unicodeScalars)
      } else {
        out.append(scalar)
      }
    }
    return String(out)
  }
}
