import BoardCore
import BoardSpec
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Where commands print: stdout for results, stderr for diagnostics and progress.
struct Terminal {
  var colour: Bool

  static func isTTY(_ fd: Int32) -> Bool { isatty(fd) == 1 }

  /// Colour only on a TTY, never with `NO_COLOR` set (https://no-color.org) or `--no-color`.
  static func colourEnabled(noColorFlag: Bool) -> Bool {
    if noColorFlag { return false }
    if let value = ProcessInfo.processInfo.environment["NO_COLOR"], !value.isEmpty { return false }
    return isTTY(1)
  }

  var style: TextStyle { TextStyle(colour: colour) }

  func out(_ text: String) {
    FileHandle.standardOutput.write(Data(text.utf8))
  }

  func err(_ text: String) {
    FileHandle.standardError.write(Data(text.utf8))
  }

  /// Prints diagnostics as `path:line:column: error: message`, sorted, then a count line.
  func report(_ diagnostics: [Diagnostic]) {
    let errorStyle = TextStyle(colour: colour && Terminal.isTTY(2))
    for diagnostic in diagnostics.sortedByLocation() {
      var line = ""
      if let location = diagnostic.location { line += "\(location): " }
      line +=
        diagnostic.severity == .error ? errorStyle.red("error:") : errorStyle.yellow("warning:")
      line += " \(diagnostic.message)\n"
      for note in diagnostic.notes { line += "  note: \(note)\n" }
      err(line)
    }
  }

  /// Reads one line from stdin (for the apply confirmation).
  func readLine() -> String? { Swift.readLine(strippingNewline: true) }
}
