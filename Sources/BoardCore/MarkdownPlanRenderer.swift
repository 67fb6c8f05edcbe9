import Foundation

/// The plan as pull-request comments: the summary always visible, the full diff folded in
/// `<details>`, split into parts when one comment would be too long.
public enum MarkdownPlanRenderer {
  /// GitHub rejects comments over 65,536 characters; stay well under.
  public static let defaultLimit = 60_000

  public static func render(_ plan: Plan, limit: Int = defaultLimit) -> [String] {
    var header = "### boardctl plan\n\n"
    if plan.isEmpty && plan.sync.isEmpty {
      header += "**No changes.** The boards match the configuration.\n"
    } else {
      header += "**\(plan.summaryLine)**\n"
      if let cost = plan.costLine { header += "\n\(literal(cost))\n" }
    }
    if !plan.drift.isEmpty {
      header +=
        "\n> **Drift:** \(plan.drift.count) object\(plan.drift.count == 1 ? "" : "s") changed outside boardctl.\n"
    }
    if !plan.conflicts.isEmpty {
      header +=
        "\n> **Conflicts:** \(plan.conflicts.count) field\(plan.conflicts.count == 1 ? "" : "s") changed both in boards.d and on the board; apply needs `--force`.\n"
    }
    for warning in plan.warnings { header += "\n> **Warning:** \(literal(warning))\n" }
    if plan.changes.isEmpty && plan.drift.isEmpty && !plan.sync.contains(where: { !$0.changes.isEmpty }) {
      return [header]
    }

    let text = TextPlanRenderer(style: .plain)
    var blocks: [String] = []
    if !plan.drift.isEmpty {
      blocks.append("# Objects have changed outside of boardctl\n\n")
      blocks += plan.drift.map { text.drift($0) + "\n" }
    }
    blocks += plan.changes.map { text.change($0) + "\n" }
    // Sync rules' records, masked as in the text plan.
    blocks += plan.sync.filter { !$0.changes.isEmpty || $0.problem != nil }.map { text.sync($0) + "\n" }

    // Pack blocks into bodies that fit beside the header and the fences.
    let overhead = header.count + 200
    let budget = max(limit - overhead, 1_000)
    var bodies: [String] = []
    var current = ""
    var currentCount = 0
    for block in blocks {
      var block = block
      var count = block.count
      if count > budget {
        block = String(block.prefix(budget - 40)) + "\n… (truncated)\n"
        count = block.count
      }
      if currentCount + count > budget, !current.isEmpty {
        bodies.append(current)
        current = ""
        currentCount = 0
      }
      current += block
      currentCount += count
    }
    if !current.isEmpty { bodies.append(current) }

    return bodies.enumerated().map { index, body in
      let part = bodies.count > 1 ? " (part \(index + 1) of \(bodies.count))" : ""
      let summary = plan.changes.isEmpty && plan.sync.isEmpty ? "Drift details" : "Full plan\(part)"
      return (index == 0 ? header : "### boardctl plan\(part)\n\n**\(plan.summaryLine)**\n")
        + "\n<details><summary>\(summary)</summary>\n\n```diff\n"
        + diffMarkers(body) + "```\n\n</details>\n"
    }
  }

  /// Text from a board or the configuration outside the code block, shown literally: controls
  /// escaped as in the text plan, and Markdown's punctuation backslash-escaped so it cannot add
  /// links, images, HTML or code spans to the comment.
  static func literal(_ text: String) -> String {
    var out = ""
    for character in TerminalText.escaped(text) {
      if "\\`*_[]<>!|~&".contains(character) { out.append("\\") }
      out.append(character)
    }
    return out
  }

  /// GitHub's diff highlighting keys on the first character: put the action symbol there.
  static func diffMarkers(_ body: String) -> String {
    var out = ""
    for line in body.split(separator: "\n", omittingEmptySubsequences: false).dropLast() {
      let trimmed = line.drop { $0 == " " }
      if trimmed.hasPrefix("+") || trimmed.hasPrefix("<=") {
        out += "+" + line.dropFirst() + "\n"
      } else if trimmed.hasPrefix("-/+") || trimmed.hasPrefix("~") {
        out += "!" + line.dropFirst() + "\n"
      } else if trimmed.hasPrefix("-") {
        out += "-" + line.dropFirst() + "\n"
      } else {
        out += line + "\n"
      }
    }
    return out.replacingOccurrences(of: "```", with: "ˋˋˋ")
  }
}
