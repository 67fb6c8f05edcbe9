import Foundation

/// A real folder under the system's temporary directory, removed when the value is released.
public final class TemporaryFolder: @unchecked Sendable {
  public let path: String

  public init() {
    let base = FileManager.default.temporaryDirectory.appendingPathComponent(
      "boardctl-test-\(UUID().uuidString.prefix(12))")
    try! FileManager.default.createDirectory(at: base, withIntermediateDirectories: true)
    path = base.path
  }

  deinit {
    try? FileManager.default.removeItem(atPath: path)
  }

  /// Writes `text` to `relative` inside the folder, creating folders; returns the full path.
  @discardableResult
  public func write(_ relative: String, _ text: String) -> String {
    let url = URL(fileURLWithPath: path).appendingPathComponent(relative)
    try! FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try! Data(text.utf8).write(to: url)
    return url.path
  }

  public func read(_ relative: String) -> String? {
    FileManager.default.contents(atPath: self.path + "/" + relative).map { String(decoding: $0, as: UTF8.self) }
  }

  public func exists(_ relative: String) -> Bool {
    FileManager.default.fileExists(atPath: path + "/" + relative)
  }

  public func remove(_ relative: String) {
    try? FileManager.default.removeItem(atPath: path + "/" + relative)
  }

  /// `snapshot()` without SQLite's side files (`-wal`, `-shm`), which come and go with any
  /// reader of a state: for "nothing was written" after commands that read it.
  public func snapshotWithoutSideFiles() -> [String: Data] {
    snapshot().filter { !$0.key.hasSuffix("-wal") && !$0.key.hasSuffix("-shm") }
  }

  /// Every file under the folder with its bytes, for "nothing changed" assertions.
  public func snapshot() -> [String: Data] {
    var files: [String: Data] = [:]
    guard let enumerator = FileManager.default.enumerator(atPath: path) else { return files }
    while let relative = enumerator.nextObject() as? String {
      var isDirectory: ObjCBool = false
      let full = path + "/" + relative
      if FileManager.default.fileExists(atPath: full, isDirectory: &isDirectory), !isDirectory.boolValue {
        files[relative] = FileManager.default.contents(atPath: full)
      }
    }
    return files
  }
}
