import BoardCore
import BoardSpec
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Where commands print: stdout for results, stderr for diagnostics and progress.
struct Terminal {
  var colour: Bool
  /// `--verbose`: every warning on its own line, not grouped by rule.
  var verbose = false
  /// The command's `--format`: how problems and failures are reported too.
  var format: OutputFormat = .text
  /// The command's name, for reports (`validate`, `plan`).
  var command = ""

  /// Problems and a failure as `format` reports them; paths relative to the repository
  /// (`GITHUB_WORKSPACE` in a workflow, else the current folder).
  func diagnosticReport(_ diagnostics: [Diagnostic], error: String? = nil) -> DiagnosticRenderer.Report {
    let currentDirectory = FileManager.default.currentDirectoryPath
    let root = ProcessInfo.processInfo.environment["GITHUB_WORKSPACE"] ?? currentDirectory
    // JSON is for programs: every warning. People get one line per rule unless --verbose.
    let listed = verbose || format == .json ? diagnostics : diagnostics.sortedByLocation().grouped()
    return DiagnosticRenderer.Report(
      command: command, diagnostics: listed, error: error, root: root, currentDirectory: currentDirectory)
  }

  static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// Colour only on a TTY, never with `NO_COLOR` set (https://no-color.org) or `--no-color`.
  static func colourEnabled(noColorFlag: Bool) -> Bool {
    if noColorFlag { return false }
    if let value = ProcessInfo.processInfo.environment["NO_COLOR"], !value.isEmpty { return false }
    return isTTY(1)
  }

  var style: TextStyle { TextStyle(colour: colour) }

  /// Prints `text` to stdout with its control characters escaped (`TerminalText`): for text that
  /// may carry values from the configuration or a platform, and no colour.
  func out(_ text: String) {
    out(styled: TerminalText.escaped(text, keepingNewlines: true))
  }

  /// Prints `text` to stderr with its control characters escaped, as `out(_:)` does.
  func err(_ text: String) {
    err(styled: TerminalText.escaped(text, keepingNewlines: true))
  }

  /// Prints `text` to stdout as it is: only for text whose foreign pieces were escaped when it was
  /// built, so that its colour codes are all `TextStyle`'s (a rendered plan, a status card).
  func out(styled text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  /// Prints `text` to stderr as it is, as `out(styled:)` does.
  func err(styled text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }

  /// Prints diagnostics as `path:line:column: error: message`, sorted, then a count line.
  func report(_ diagnostics: [Diagnostic]) {
    let diagnostics = verbose ? diagnostics.sortedByLocation() : diagnostics.sortedByLocation().grouped()
    if format == .github {
      out(styled: DiagnosticRenderer.github(diagnosticReport(diagnostics)))
      return
    }
    let errorStyle = TextStyle(colour: colour && Terminal.isTTY(2))
    for diagnostic in diagnostics {
      var line = ""
      if let location = diagnostic.location { line += TerminalText.escaped("\(location): ") }
      line +=
        diagnostic.severity == .error ? errorStyle.red("error:") : errorStyle.yellow("warning:")
      // A diagnostic and each note are one line: a newline in a value quoted there stays escaped.
      line += " \(TerminalText.escaped(diagnostic.message))\n"
      for note in diagnostic.notes { line += "  note: \(TerminalText.escaped(note))\n" }
      err(styled: line)
    }
  }

  /// Reads one line from stdin (for the apply confirmation).
  func readLine() -> String? { Swift.readLine(strippingNewline: true) }
}
