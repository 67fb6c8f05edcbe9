import BoardSpec
import Foundation

/// Configuration problems and a command's failure in the forms CI reads: GitHub Actions workflow
/// annotations (`--format github`), a JSON document (`--format json`) and a pull-request comment
/// (`--format markdown`), so that a failed plan never posts an empty comment.
public enum DiagnosticRenderer {
  /// The report of one command run.
  public struct Report: Sendable {
    /// `validate` or `plan`.
    public var command: String
    public var diagnostics: [Diagnostic]
    /// Why the command failed, when it did (one sentence).
    public var error: String?
    /// Paths are shown relative to this folder (the repository, as GitHub names files).
    public var root: String
    /// The folder relative file positions are relative to (the command's current folder); the
    /// root when nil.
    public var currentDirectory: String?

    public init(
      command: String, diagnostics: [Diagnostic], error: String?, root: String, currentDirectory: String? = nil
    ) {
      self.command = command
      self.diagnostics = diagnostics.sortedByLocation()
      self.error = error
      self.root = root
      self.currentDirectory = currentDirectory
    }

    var errors: [Diagnostic] { diagnostics.filter { $0.severity == .error } }

    func path(_ location: SourceLocation) -> String {
      let absolute = location.file.hasPrefix("/") ? location.file : (currentDirectory ?? root) + "/" + location.file
      let standard = URL(fileURLWithPath: absolute).standardizedFileURL.path
      let prefix = root.hasSuffix("/") ? root : root + "/"
      return standard.hasPrefix(prefix) ? String(standard.dropFirst(prefix.count)) : standard
    }
  }

  // MARK: GitHub

  /// One workflow command per problem (`::error file=…,line=…,col=…::message`), then the
  /// failure itself. Values are escaped as the runner expects, and controls as in the terminal,
  /// so nothing in a message can start a command of its own.
  public static func github(_ report: Report) -> String {
    var out = ""
    for diagnostic in report.diagnostics {
      var properties: [String] = []
      if let location = diagnostic.location {
        properties += [
          "file=\(githubProperty(report.path(location)))", "line=\(location.line)", "col=\(location.column)",
        ]
      }
      let message = ([diagnostic.message] + diagnostic.notes.map { "note: \($0)" }).joined(separator: "\n")
      out += annotation(diagnostic.severity.rawValue, properties, command: report.command, message)
    }
    if let error = report.error { out += annotation("error", command: report.command, error) }
    return out
  }

  /// One workflow command: `::warning file=…,title=boardctl plan::message` (`kind` is `error`,
  /// `warning` or `notice`).
  public static func annotation(_ kind: String, _ properties: [String] = [], command: String, _ message: String)
    -> String
  {
    let all = properties + ["title=boardctl \(command)"]
    return "::\(kind) \(all.joined(separator: ","))::\(githubData(message))\n"
  }

  static func githubData(_ text: String) -> String {
    TerminalText.escaped(text, keepingNewlines: true).replacingOccurrences(of: "%", with: "%25")
      .replacingOccurrences(of: "\r", with: "%0D").replacingOccurrences(of: "\n", with: "%0A")
  }

  static func githubProperty(_ text: String) -> String {
    githubData(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
  }

  // MARK: JSON

  struct Document: Encodable {
    var format = "boardctl-diagnostics"
    var format_version = JSONPlanRenderer.formatVersion
    var command: String
    var valid: Bool
    var error: String?
    var diagnostics: [Entry]
  }

  struct Entry: Encodable {
    var severity: String
    var message: String
    var file: String?
    var line: Int?
    var column: Int?
    var notes: [String]
  }

  /// `{"format": "boardctl-diagnostics", "valid": …, "error": …, "diagnostics": [...]}`,
  /// documented in docs/plan-json.md.
  public static func json(_ report: Report) -> String {
    let document = Document(
      command: report.command, valid: report.error == nil && report.errors.isEmpty, error: report.error,
      diagnostics: report.diagnostics.map {
        Entry(
          severity: $0.severity.rawValue, message: $0.message, file: $0.location.map(report.path),
          line: $0.location?.line, column: $0.location?.column, notes: $0.notes)
      })
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
    return JSONPlanRenderer.escapingTerminalControls(String(decoding: data, as: UTF8.self)) + "\n"
  }

  // MARK: Markdown

  /// A comment a reviewer can act on: what failed, and each problem with its place.
  public static func markdown(_ report: Report) -> String {
    let errors = report.errors.count
    let warnings = report.diagnostics.count - errors
    var out: String
    if let error = report.error {
      out = "### boardctl \(report.command) failed\n\n**\(MarkdownPlanRenderer.literal(error))**\n"
    } else {
      out =
        "### boardctl \(report.command): the configuration is valid\n\n"
        + (warnings == 0 ? "No problems found.\n" : "")
    }
    if !report.diagnostics.isEmpty {
      func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
      out += "\n\(count(errors, "error")), \(count(warnings, "warning")):\n\n| | Where | Problem |\n|---|---|---|\n"
      for diagnostic in report.diagnostics {
        let mark = diagnostic.severity == .error ? "❌" : "⚠️"
        // A code span: a file name's backtick could end it, and a bar the table cell.
        let place =
          diagnostic.location.map {
            "`" + TerminalText.escaped(report.path($0)).replacingOccurrences(of: "`", with: "ˋ")
              + ":\($0.line):\($0.column)`"
          } ?? ""
        let notes = diagnostic.notes.map { "<br>note: " + MarkdownPlanRenderer.literal($0) }.joined()
        out += "| \(mark) | \(place.replacingOccurrences(of: "|", with: "\\|")) | "
        out += MarkdownPlanRenderer.literal(diagnostic.message) + notes + " |\n"
      }
    }
    return out
  }
}
