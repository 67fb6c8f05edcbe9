import Foundation

/// The human plan: drift first, then the changes, then the summary line.
///
/// Every piece that comes from the configuration or a board (addresses, keys, values, reasons,
/// warnings, content lines) is shown through `TerminalText`, so only `style`'s colour codes reach
/// the terminal as control sequences.
public struct TextPlanRenderer: Sendable {
  public var style: TextStyle

  public init(style: TextStyle = .plain) { self.style = style }

  public func render(_ plan: Plan) -> String {
    var out = ""
    for warning in plan.warnings { out += style.yellow("Warning: ") + shown(warning) + "\n\n" }
    if !plan.drift.isEmpty {
      out += style.bold("Objects have changed outside of boardctl") + "\n\n"
      out += "boardctl refreshed the boards and found these differences from the last apply:\n\n"
      for entry in plan.drift { out += drift(entry) + "\n" }
    }
    if plan.changes.isEmpty && plan.sync.isEmpty {
      out += style.green("No changes.") + " The boards match the configuration.\n"
      return out
    }
    if plan.changes.isEmpty {
      out += style.green("No changes to placements.") + " The boards match the configuration.\n\n"
    } else {
      out += "boardctl will perform the following actions:\n\n"
      for change in plan.changes { out += self.change(change) + "\n" }
    }
    if !plan.conflicts.isEmpty {
      out += style.red("Conflicts:") + " these fields changed both in boards.d and on the board since the last apply:\n"
      for c in plan.conflicts {
        out +=
          "  \(shown(c.address)) \(shown(c.key)): last applied \(value(c.lastApplied)), boards.d \(value(c.desired)), board \(value(c.live))\n"
      }
      out += "Apply refuses conflicts unless --force (boards.d wins); or copy the board's value into boards.d.\n\n"
    }
    if !plan.sync.isEmpty {
      out +=
        style.bold("Sync rules")
        + " (records moving between boards; personal data masked unless --show-personal-data):\n\n"
      for section in plan.sync { out += sync(section) + "\n" }
    }
    out += style.bold(plan.summaryLine) + "\n"
    if let cost = plan.costLine { out += shown(cost) + "\n" }
    return out
  }

  /// How many records of each action the text plan lists; `--format json` lists every one.
  static let syncExamples = 3

  func sync(_ section: SyncSection) -> String {
    let arrow = section.direction == "two_way" ? "<->" : "->"
    var out =
      "  # \(style.bold(shown("sync." + section.rule))): \(shown(section.source)) \(arrow) \(shown(section.target))"
    out += ", \(section.read) record\(section.read == 1 ? "" : "s") changed since the last run\n"
    if let problem = section.problem {
      return out + "  " + style.yellow("not planned: ") + shown(problem) + "\n"
    }
    if section.changes.isEmpty { return out + "  nothing to move\n" }
    let grouped = Dictionary(grouping: section.changes, by: \.action)
    for action in SyncSection.actions {
      guard let changes = grouped[action] else { continue }
      for change in changes.prefix(Self.syncExamples) { out += syncChange(change) }
      if changes.count > Self.syncExamples {
        out +=
          style.dim("    … and \(changes.count - Self.syncExamples) more to \(action) (--format json lists every one)")
          + "\n"
      }
    }
    return out
  }

  private func syncChange(_ change: SyncSection.Change) -> String {
    let symbol: String
    switch change.action {
    case "create", "create_source": symbol = style.green("+")
    case "update", "update_source", "link": symbol = style.yellow("~")
    case "delete", "purge": symbol = style.red("-")
    case "conflict": symbol = style.red("!")
    default: symbol = style.dim("·")
    }
    var head = "  \(symbol) \(shown(change.action)) \(shown(change.address))"
    if let target = change.targetID { head += " → \(shown(target))" }
    if let key = change.key { head += " (\(shown(key)))" }
    var out = head + ": " + shown(change.reason) + "\n"
    let width = change.fields.map { shown($0.name).count }.max() ?? 0
    for field in change.fields {
      let name = shown(field.name).padded(to: width)
      if change.action == "conflict" {
        out += "      \(name) source: \(quoted(field.before))  target: \(quoted(field.after))\n"
      } else if field.before.isEmpty {
        out += "      \(style.green("+")) \(name) = \(quoted(field.after))\n"
      } else {
        out += "      \(style.yellow("~")) \(name) = \(quoted(field.before)) -> \(quoted(field.after))\n"
      }
    }
    return out
  }

  private func quoted(_ text: String) -> String { "\"" + shown(text) + "\"" }

  func drift(_ entry: DriftEntry) -> String {
    var out = ""
    switch entry.kind {
    case .changed:
      out += "  # \(style.bold(shown(entry.address))) has been changed\n"
      out += "  \(style.yellow("~")) \(shown(entry.address)) {\n"
      out += attributeLines(entry.fields, create: false)
      for key in entry.kept { out += "        # \(shown(key)): platform-owned, kept as the board has it\n" }
      if !entry.details.isEmpty {
        out += "        # content, as boardctl wrote it (-) and as it is now (+):\n"
        for line in entry.details { out += "        " + colourDetail(shown(line)) + "\n" }
      }
      out += "    }\n"
    case .deleted:
      out += "  # \(style.bold(shown(entry.address))) has been deleted\n"
      out += "  \(style.red("-")) \(shown(entry.address))\n"
    case .reopened:
      out += "  # \(style.bold(shown(entry.address))) was closed but is published again\n"
    case .unmanaged:
      out +=
        "  # \(style.bold(shown(entry.address))) is an orphan: it carries boardctl's tag but is in neither state nor boards.d; left as it is\n"
    }
    return out
  }

  private func colourDetail(_ line: String) -> String {
    if line.hasPrefix("-") { return style.red(line) }
    if line.hasPrefix("+") { return style.green(line) }
    return line
  }

  func change(_ change: PlannedChange) -> String {
    let address = shown(change.address)
    var out = "  # \(style.bold(address)) \(change.action.phrase)\n"
    out += "  # (\(shown(change.reason)))\n"
    let symbol = style.symbol(change.action)
    switch change.action {
    case .close, .delete, .forget:
      out += "  \(symbol) \(address)\n"
    case .create:
      out += "  \(symbol) \(address) {\n"
      out += attributeLines(change.fields, create: true)
      out += "    }\n"
    case .update, .replace, .import:
      out += "  \(symbol) \(address) {\n"
      out += attributeLines(change.fields, create: false)
      if change.contentChanged {
        out += "        # the rendered content will be rewritten\n"
      }
      let unchanged = (change.after?.count ?? 0) - change.fields.filter { change.after?[$0.key] != nil }.count
      if unchanged > 0 {
        out += style.dim("        (\(unchanged) unchanged attribute\(unchanged == 1 ? "" : "s") hidden)") + "\n"
      }
      out += "    }\n"
    }
    return out
  }

  func attributeLines(_ fields: [FieldChange], create: Bool) -> String {
    let keys = fields.map { shown($0.key) }
    let width = keys.map(\.count).max() ?? 0
    var out = ""
    for (field, key) in zip(fields, keys) {
      let key = key.padded(to: width)
      let replace = field.forcesReplacement ? style.red(" # forces replacement") : ""
      switch (field.before, field.after) {
      case (nil, let after?):
        out += "      \(style.green("+")) \(key) = \(long(after))\(replace)\n"
      case (let before?, nil):
        out += "      \(style.red("-")) \(key) = \(long(before))\(replace)\n"
      case (let before?, let after?):
        if case .sensitive = before, case .sensitive = after {
          out += "      \(style.yellow("~")) \(key) = (sensitive value changed)\(replace)\n"
        } else if before.isLongText || after.isLongText, let old = before.stringValue, let new = after.stringValue {
          // Escaped per piece, keeping newlines: the rendered diff is split into lines below.
          let pieces = WordDiff.diff(old, new).map(Self.escaped)
          let text = WordDiff.render(pieces, removed: { style.red("[-\($0)-]") }, added: { style.green("{+\($0)+}") })
          out += "      \(style.yellow("~")) \(key) = (word diff)\(replace)\n"
          for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            out += line.isEmpty ? "\n" : "            \(line)\n"
          }
        } else {
          out += "      \(style.yellow("~")) \(key) = \(shown(before)) -> \(shown(after))\(replace)\n"
        }
      case (nil, nil):
        continue
      }
    }
    return out
  }

  /// Long text as an indented block instead of one escaped line.
  private func long(_ value: AttributeValue) -> String {
    guard value.isLongText, let text = value.stringValue else { return shown(value) }
    var out = "<<-EOT\n"
    for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
      out += line.isEmpty ? "\n" : "            \(shown(String(line)))\n"
    }
    return out + "        EOT"
  }

  private func value(_ v: AttributeValue?) -> String { v.map { shown($0) } ?? "(absent)" }

  /// A piece from the configuration or a board, safe to show: one line, controls escaped.
  private func shown(_ piece: some CustomStringConvertible) -> String { TerminalText.escaped(piece.description) }

  /// A word-diff piece with its controls escaped; its newlines stay, the diff is shown by line.
  private static func escaped(_ piece: WordDiff.Piece) -> WordDiff.Piece {
    switch piece {
    case .same(let text): return .same(TerminalText.escaped(text, keepingNewlines: true))
    case .removed(let text): return .removed(TerminalText.escaped(text, keepingNewlines: true))
    case .added(let text): return .added(TerminalText.escaped(text, keepingNewlines: true))
    }
  }
}
