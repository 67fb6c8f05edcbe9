import Foundation

/// The branch's `lock` file: the holder's `LockInfo` as JSON, keys sorted and one per line so a
/// renewal shows in `git log -p` as the one `expires` line that changed.
enum GitLockFile {
  static func encode(_ lock: LockInfo) -> String {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
    // Encoding a struct of strings and an integer cannot fail.
    return String(decoding: try! encoder.encode(lock), as: UTF8.self) + "\n"
  }

  static func decode(_ text: String) -> LockInfo? {
    try? JSONDecoder().decode(LockInfo.self, from: Data(text.utf8))
  }
}
