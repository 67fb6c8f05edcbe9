import BoardCore
import BoardSpec
import Foundation
import Testing

@Suite("Configuration problems for CI")
struct DiagnosticRendererTests {
  static let root = "/repo"
  static let report = DiagnosticRenderer.Report(
    command: "plan",
    diagnostics: [
      Diagnostic(
        .warning, "Indeed expects <state>", at: SourceLocation(file: "/repo/boards.d/b.yaml", line: 9, column: 3)),
      Diagnostic(
        .error, "refers to Board 'carers', which is not defined",
        at: SourceLocation(file: "/repo/boards.d/a,b:c.yaml", line: 4, column: 10),
        notes: ["did you mean 'careers'?"]),
    ],
    error: "2 problems in the configuration; nothing was changed", root: root)

  @Test("GitHub annotations name the file relative to the repository, with line and column")
  func github() {
    let lines = DiagnosticRenderer.github(Self.report).split(separator: "\n")
    #expect(
      lines == [
        "::error file=boards.d/a%2Cb%3Ac.yaml,line=4,col=10,title=boardctl plan::refers to Board 'carers', which is not defined%0Anote: did you mean 'careers'?",
        "::warning file=boards.d/b.yaml,line=9,col=3,title=boardctl plan::Indeed expects <state>",
        "::error title=boardctl plan::2 problems in the configuration; nothing was changed",
      ])
  }

  @Test("a value cannot start a workflow command of its own or smuggle escapes")
  func githubInjection() {
    let hostile = DiagnosticRenderer.Report(
      command: "validate",
      diagnostics: [Diagnostic(.error, "found 'x\n::add-mask::secret\r\n%0A::error::fake \u{1B}[31m'", at: nil)],
      error: nil, root: Self.root)
    let output = DiagnosticRenderer.github(hostile)
    #expect(output.split(separator: "\n").count == 1, "\(output)")
    #expect(output.contains("x%0A::add-mask::secret\\u{0D}%0A%250A::error::fake \\u{1B}[31m"), "\(output)")
  }

  @Test("JSON: every problem with its place, and why the command failed")
  func json() throws {
    let object = try #require(
      try JSONSerialization.jsonObject(with: Data(DiagnosticRenderer.json(Self.report).utf8)) as? [String: Any])
    #expect(object["format"] as? String == "boardctl-diagnostics")
    #expect(object["valid"] as? Bool == false)
    #expect(object["error"] as? String == "2 problems in the configuration; nothing was changed")
    let entries = try #require(object["diagnostics"] as? [[String: Any]])
    #expect(entries.map { $0["file"] as? String } == ["boards.d/a,b:c.yaml", "boards.d/b.yaml"])
    #expect(entries.map { $0["line"] as? Int } == [4, 9])
    #expect(entries.map { $0["severity"] as? String } == ["error", "warning"])
  }

  @Test("Markdown: a comment that says what failed and where, never an empty one")
  func markdown() {
    let text = DiagnosticRenderer.markdown(Self.report)
    #expect(text.hasPrefix("### boardctl plan failed\n"))
    #expect(text.contains("1 error, 1 warning:"))
    #expect(
      text.contains(
        "| ❌ | `boards.d/a,b:c.yaml:4:10` | refers to Board 'carers', which is not defined<br>note: did you mean 'careers'? |"
      ))
    #expect(text.contains("Indeed expects \\<state\\>"), "markup in a message is shown, not rendered")
  }
}
