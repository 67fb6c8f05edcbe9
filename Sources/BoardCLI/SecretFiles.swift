import BoardSecrets
import BoardSpec
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Writing key and credential files, and reading secret input.
enum SecretFiles {
  /// Creates `path` with mode 0600, failing if it exists: a private key is never overwritten.
  static func createPrivate(_ text: String, at path: String) throws {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    do {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw CLIError("cannot create the key folder '\(folder)'")
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard fd >= 0 else {
      if errno == EEXIST { throw CLIError("'\(path)' already exists; boardctl never overwrites a key") }
      throw CLIError("cannot write '\(path)': \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    guard write(fd, bytes, bytes.count) == bytes.count else {
      throw CLIError("cannot write '\(path)': \(String(cString: strerror(errno)))")
    }
  }

  /// Writes a configuration document (atomically, through a temporary file).
  static func writeDocument(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    do {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data(text.utf8).write(to: url, options: .atomic)
    } catch {
      throw CLIError("cannot write '\(path)': \(error.localizedDescription)")
    }
  }

  /// Reads one value per field from standard input: typed without echo on a terminal, else one
  /// line per field (a single field takes the whole input, less one final newline).
  static func readValues(for fields: [String], credential: String, terminal: Terminal) throws -> [Secret] {
    if Terminal.isTTY(0) {
      return try fields.map { field in
        terminal.err("Value for \(credential).\(field) (input hidden): ")
        let line = readHidden()
        terminal.err("\n")
        guard let line, !line.isEmpty else {
          throw CLIError("the value for field '\(field)' is empty; nothing was written")
        }
        return Secret(line)
      }
    }
    var data = FileHandle.standardInput.readDataToEndOfFile()
    defer { data.resetBytes(in: 0..<data.count) }
    var text = String(decoding: data, as: UTF8.self)
    if text.hasSuffix("\n") { text.removeLast() }
    if text.hasSuffix("\r") { text.removeLast() }
    let values =
      fields.count == 1 ? [text] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard values.count == fields.count else {
      throw CLIError(
        "expected \(fields.count) lines on standard input, one per field (\(fields.joined(separator: ", "))), got \(values.count); nothing was written"
      )
    }
    return try zip(fields, values).map { field, value in
      guard !value.isEmpty else { throw CLIError("the value for field '\(field)' is empty; nothing was written") }
      return Secret(value)
    }
  }

  /// One line from a terminal with echo turned off.
  private static func readHidden() -> String? {
    var original = termios()
    let hasTerminal = tcgetattr(STDIN_FILENO, &original) == 0
    if hasTerminal {
      var silent = original
      silent.c_lflag &= ~tcflag_t(ECHO)
      tcsetattr(STDIN_FILENO, TCSANOW, &silent)
    }
    defer { if hasTerminal { tcsetattr(STDIN_FILENO, TCSANOW, &original) } }
    return Swift.readLine(strippingNewline: true)
  }
}
