import BoardCore
import BoardSpec
import BoardSupport
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// File operations the file boards share: atomic writes, writability checks, and a short line
/// diff for drift notes.
enum FileArtifacts {
  struct WriteError: Error, CustomStringConvertible {
    var description: String
  }

  /// Writes `text` to `path` through a temporary file and a rename, so a reader (or a killed
  /// apply) never sees half a file. Creates parent folders.
  static func write(_ text: String, to path: String) throws {
    let url = URL(fileURLWithPath: path)
    let folder = url.deletingLastPathComponent()
    do {
      try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
    } catch {
      throw WriteError(description: "cannot create folder \(folder.path): \(reason(error))")
    }
    let temporary = folder.appendingPathComponent(".\(url.lastPathComponent).boardctl-tmp")
    guard FileManager.default.createFile(atPath: temporary.path, contents: Data(text.utf8)) else {
      throw WriteError(description: "cannot write \(path): \(String(cString: strerror(errno)))")
    }
    if rename(temporary.path, path) != 0 {
      let message = String(cString: strerror(errno))
      try? FileManager.default.removeItem(at: temporary)
      throw WriteError(description: "cannot write \(path): \(message)")
    }
  }

  /// Removes `path`; a file already gone is fine.
  static func remove(_ path: String) throws {
    if unlink(path) != 0, errno != ENOENT {
      throw WriteError(description: "cannot remove \(path): \(String(cString: strerror(errno)))")
    }
  }

  /// `size:seconds.nanoseconds` of the file's modification time, or nil if it cannot be read.
  static func stamp(_ path: String) -> String? {
    var info = stat()
    guard stat(path, &info) == 0 else { return nil }
    return "\(info.st_size):\(info.st_mtim.tv_sec).\(info.st_mtim.tv_nsec)"
  }

  static func read(_ path: String) -> String? {
    guard let data = FileManager.default.contents(atPath: path) else { return nil }
    return String(decoding: data, as: UTF8.self)
  }

  /// Why `path` (a file, or a folder when `folder`, to be created) cannot be written, or nil if
  /// it can: the nearest existing ancestor must be a writable folder, and a folder's path may not
  /// be a file already.
  static func unwritableReason(_ path: String, folder expectsFolder: Bool = false) -> String? {
    var current = URL(fileURLWithPath: path).standardizedFileURL
    while true {
      var isDirectory: ObjCBool = false
      if FileManager.default.fileExists(atPath: current.path, isDirectory: &isDirectory) {
        let isTarget = current.path == URL(fileURLWithPath: path).standardizedFileURL.path
        if !isDirectory.boolValue && (!isTarget || expectsFolder) {
          return "\(current.path) is a file, not a folder"
        }
        if isDirectory.boolValue && isTarget && !expectsFolder {
          return "\(current.path) is a folder, not a file"
        }
        let folder = isDirectory.boolValue ? current.path : current.deletingLastPathComponent().path
        return access(folder, W_OK) == 0 ? nil : "\(folder) is not writable"
      }
      let parent = current.deletingLastPathComponent()
      if parent.path == current.path { return nil }
      current = parent
    }
  }

  /// Test Connection for a file board: the output can be written (nothing is written to find out).
  static func check(
    output: String, setting: String, kind: String, folder: Bool, count: () -> Int, describe: (Int) -> String
  ) -> ConnectionCheck {
    if let reason = unwritableReason(output, folder: folder) {
      return ConnectionCheck(
        ok: false, summary: "cannot write the \(kind) to \(setting)", problem: reason,
        fix: "point settings.output at a location this user can write, or fix its permissions")
    }
    let exists = FileManager.default.fileExists(atPath: output)
    return ConnectionCheck(
      ok: true, summary: exists ? "writes \(setting) (\(describe(count())) now)" : "writes \(setting) (not created yet)"
    )
  }

  /// A few lines showing how a file changed since boardctl wrote it, for drift notes, read like
  /// every other drift: old (`-`, as boardctl wrote it) to new (`+`, as the file is now).
  static func lineDiff(wrote: String, found: String, limit: Int = 6) -> [String] {
    let a = wrote.split(separator: "\n", omittingEmptySubsequences: false)
    let b = found.split(separator: "\n", omittingEmptySubsequences: false)
    var start = 0
    while start < a.count, start < b.count, a[start] == b[start] { start += 1 }
    var endA = a.count
    var endB = b.count
    while endA > start, endB > start, a[endA - 1] == b[endB - 1] {
      endA -= 1
      endB -= 1
    }
    var lines = ["@@ line \(start + 1) @@"]
    for line in a[start..<endA].prefix(limit / 2) { lines.append("- " + clip(line)) }
    for line in b[start..<endB].prefix(limit / 2) { lines.append("+ " + clip(line)) }
    let hidden = max(0, endA - start - limit / 2) + max(0, endB - start - limit / 2)
    if hidden > 0 { lines.append("(\(hidden) more changed lines)") }
    return lines
  }

  private static func clip(_ line: Substring) -> String {
    let text = line.trimmingCharacters(in: .whitespaces)
    return text.count > 120 ? String(text.prefix(117)) + "..." : text
  }

  static func reason(_ error: any Error) -> String {
    if let error = error as? CocoaError, let underlying = error.userInfo[NSUnderlyingErrorKey] as? NSError,
      let code = POSIXErrorCode(rawValue: Int32(underlying.code))
    {
      return String(cString: strerror(code.rawValue))
    }
    return error.localizedDescription
  }
}

/// Escaping for the formats the file boards write.
enum Escape {
  static func html(_ text: String) -> String { CharacterEscapes.html(text) }

  /// A CDATA section; a `]]>` inside the text is split across two sections (`]]]]><![CDATA[>`).
  /// Characters XML cannot carry are dropped, so the document stays well-formed whatever arrives.
  static func cdata(_ text: String) -> String {
    "<![CDATA["
      + MarkupCharacters.removingForbidden(from: text).replacingOccurrences(of: "]]>", with: "]]]]><![CDATA[>")
      + "]]>"
  }

  /// Plain XML text (used for element values that are not CDATA); characters XML cannot carry
  /// are dropped.
  static func xml(_ text: String) -> String {
    MarkupCharacters.removingForbidden(from: text).replacingOccurrences(of: "&", with: "&amp;")
      .replacingOccurrences(of: "<", with: "&lt;").replacingOccurrences(of: ">", with: "&gt;")
  }
}
