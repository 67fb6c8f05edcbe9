import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Writing key and credential files.
enum SecretFiles {
  /// Creates `path` with mode 0600, failing if it exists: a private key is never overwritten.
  static func createPrivate(_ text: String, at path: String) throws {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    do {
      try FileManager.default.createDirectory(
        atPath: folder, withIntermediateDirectories: true, attributes: [.posixPermissions: 0o700])
    } catch {
      throw EngineError.user("cannot create the key folder '\(folder)'")
    }
    let fd = open(path, O_WRONLY | O_CREAT | O_EXCL, 0o600)
    guard fd >= 0 else {
      if errno == EEXIST { throw EngineError.user("'\(path)' already exists; boardctl never overwrites a key") }
      throw EngineError.user("cannot write '\(path)': \(String(cString: strerror(errno)))")
    }
    defer { close(fd) }
    let bytes = Array(text.utf8)
    guard write(fd, bytes, bytes.count) == bytes.count else {
      throw EngineError.user("cannot write '\(path)': \(String(cString: strerror(errno)))")
    }
  }

  /// Writes a configuration document (atomically, through a temporary file).
  static func writeDocument(_ text: String, to path: String, root: String) throws {
    let url = URL(fileURLWithPath: path)
    // Editors validate and complete it like every other boards.d file.
    let modeline =
      "# yaml-language-server: $schema=\(relativePath(from: url.deletingLastPathComponent().path, to: root + "/schema/boards.schema.json"))\n"
    do {
      try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
      try Data((modeline + text).utf8).write(to: url, options: .atomic)
    } catch {
      throw EngineError.user("cannot write '\(path)': \(error.localizedDescription)")
    }
  }

  /// `target` as seen from the folder `from` (`../../schema/boards.schema.json`).
  static func relativePath(from folder: String, to target: String) -> String {
    let base = URL(fileURLWithPath: folder).standardizedFileURL.pathComponents
    let goal = URL(fileURLWithPath: target).standardizedFileURL.pathComponents
    var common = 0
    while common < min(base.count, goal.count) && base[common] == goal[common] { common += 1 }
    return (Array(repeating: "..", count: base.count - common) + goal[common...]).joined(separator: "/")
  }
}
