import BoardTesting
import Foundation
import Testing

/// Text from the configuration or a board cannot drive the terminal: control and bidi characters
/// are shown escaped (`\u{1B}`), and only boardctl's own colour codes reach the terminal.
@Suite("Terminal output with hostile values")
struct TerminalSafetyTests {
  static let title = "Backend Engineer\u{1B}]0;pwned\u{07}\u{1B}[2J"
  static let shownTitle = #"Backend Engineer\u{1B}]0;pwned\u{07}\u{1B}[2J"#

  /// An applied workspace whose careers page for `backend` was edited outside boardctl: its
  /// placement block (read back as the live attributes) and its HTML hold escape sequences, and
  /// whose `analyst` posting's title holds a right-to-left override (legal in boards.d).
  static func hostileWorkspace() async throws -> TemporaryFolder {
    let folder = makeWorkspace()
    #expect(try await Boardctl(folder).run("apply", "--auto-approve").status == 0)
    let path = "public/careers/backend.html"
    let page = try #require(folder.read(path))
    let marker = "<script type=\"application/json\" id=\"boardctl-placement\">"
    let parts = page.components(separatedBy: marker)
    try #require(parts.count == 2)
    let json = parts[1].replacingOccurrences(
      of: "\"title\":\"Backend Engineer\"", with: "\"title\":\"Backend Engineer\\u001b]0;pwned\\u0007\\u001b[2J\"")
    try #require(json != parts[1])
    let html = parts[0].replacingOccurrences(of: "<h1>Backend Engineer</h1>", with: "<h1>Hacked\u{1B}[2J</h1>")
    folder.write(path, html + marker + json)
    let analyst = try #require(folder.read("boards.d/postings/analyst.yaml"))
    folder.write(
      "boards.d/postings/analyst.yaml",
      analyst.replacingOccurrences(of: "title: Analyst Engineer", with: "title: Analyst \u{202E}reenignE"))
    return folder
  }

  @Test("plan shows values from a board and boards.d escaped, with no control character of theirs")
  func plainPlan() async throws {
    let folder = try await Self.hostileWorkspace()
    let plan = try await Boardctl(folder).run("plan")
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.contains("~ title = \"\(Self.shownTitle)\" -> \"Backend Engineer\""), "\(plan.stdout)")
    #expect(plan.stdout.contains(#"+ <h1>Hacked\u{1B}[2J</h1>"#), "the content lines are escaped too")
    #expect(plan.stdout.contains(#"~ title = "Analyst Engineer" -> "Analyst \u{202E}reenignE""#))
    #expect(!plan.stdout.contains("\u{1B}"), "without colour, no escape character at all")
    #expect(!plan.stdout.unicodeScalars.contains("\u{202E}"))
  }

  @Test("on a terminal, every escape sequence is one of boardctl's colours; with NO_COLOR there is none")
  func terminalPlan() async throws {
    let folder = try await Self.hostileWorkspace()
    let coloured = try await runOnTerminal(folder, ["plan"], answer: "")
    #expect(coloured.status == 0, "\(coloured.screen)")
    #expect(coloured.screen.contains(Self.shownTitle))
    let escapes = coloured.screen.components(separatedBy: "\u{1B}").count - 1
    let ours = try Regex(#"\x1B\[(0|1|2|31|32|33|36)m"#)
    #expect(escapes > 0, "the plan is coloured")
    #expect(coloured.screen.matches(of: ours).count == escapes, "\(coloured.screen.debugDescription)")
    #expect(!coloured.screen.unicodeScalars.contains("\u{202E}"))

    let plain = try await runOnTerminal(folder, ["plan"], answer: "", environment: ["NO_COLOR": "1"])
    #expect(plain.screen.contains(Self.shownTitle))
    #expect(!plain.screen.contains("\u{1B}"))
  }

  @Test("the JSON plan carries the exact values as JSON escapes; markdown shows them escaped")
  func otherFormats() async throws {
    let folder = try await Self.hostileWorkspace()
    let json = try await Boardctl(folder).run("plan", "--format", "json")
    #expect(!json.stdout.contains("\u{1B}") && !json.stdout.unicodeScalars.contains("\u{202E}"))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    let drift = try #require(object["drift"] as? [[String: Any]])
    let fields = drift.compactMap { $0["fields"] as? [[String: Any]] }.joined()
    #expect(fields.contains { $0["after"] as? String == Self.title }, "live values are the drift's after: \(fields)")
    let changes = try #require(object["changes"] as? [[String: Any]])
    #expect(changes.contains { ($0["after"] as? [String: Any])?["title"] as? String == "Analyst \u{202E}reenignE" })

    let markdown = try await Boardctl(folder).run("plan", "--format", "markdown")
    #expect(markdown.stdout.contains(Self.shownTitle))
    #expect(!markdown.stdout.contains("\u{1B}") && !markdown.stdout.unicodeScalars.contains("\u{202E}"))
  }

  @Test("a refused control character never reaches the terminal, and neither does one in a file's name")
  func messages() async throws {
    let folder = makeWorkspace()
    folder.write("boards.d/evil\u{1B}[2J.yaml", "kind: Template\nname: \"x\\e[31m\"\n")
    let result = try await Boardctl(folder).run("validate")
    #expect(result.status == 1)
    #expect(result.stderr.contains(#"boards.d/evil\u{1B}[2J.yaml:2:7: error: the value contains"#), "\(result.stderr)")
    #expect(!result.stderr.contains("\u{1B}"))
  }
}
