import BoardCore

/// Where each part of the state lives in the branch's tree:
///
///     meta                             format version, lineage, serial
///     lock                             the lock as JSON, present while held
///     resources/<board>/<object>/<name> one record per resource
///     journal/<block>                  journal entries, 256 ids per block
///     README.md                        what the branch is, for people browsing it
enum GitStatePaths {
  static let meta = "meta"
  static let lock = "lock"
  static let readme = "README.md"
  static let resourcesFolder = "resources/"
  static let journalFolder = "journal/"

  static func record(_ address: Address) -> String {
    resourcesFolder + component(address.board) + "/" + component(address.object) + "/" + component(address.name)
  }

  /// The address a record's path stands for; nil for a path that is not a record's.
  static func address(ofRecord path: String) -> Address? {
    guard path.hasPrefix(resourcesFolder) else { return nil }
    let parts = path.dropFirst(resourcesFolder.count).split(separator: "/", omittingEmptySubsequences: false)
    guard parts.count == 3 else { return nil }
    guard let board = decode(parts[0]), let object = decode(parts[1]), let name = decode(parts[2]) else { return nil }
    return Address(board: board, object: object, name: name)
  }

  static func journalBlock(_ index: Int64) -> String {
    let digits = String(index)
    return journalFolder + String(repeating: "0", count: max(0, 10 - digits.count)) + digits
  }

  /// The block a journal path holds; nil for any other path.
  static func journalBlockIndex(_ path: String) -> Int64? {
    guard path.hasPrefix(journalFolder) else { return nil }
    return Int64(path.dropFirst(journalFolder.count))
  }

  /// A path component that is safe on every file system and in git's tree (never `.`, `..` or
  /// `.git`): letters, digits, `-` and `_` are kept, and `.` except in front; every other byte
  /// is `%XX`.
  static func component(_ text: String) -> String {
    var out = ""
    for (offset, byte) in text.utf8.enumerated() {
      let keep =
        (byte >= 0x30 && byte <= 0x39) || (byte >= 0x41 && byte <= 0x5A) || (byte >= 0x61 && byte <= 0x7A)
        || byte == 0x2D || byte == 0x5F || (byte == 0x2E && offset > 0)
      if keep {
        out.unicodeScalars.append(Unicode.Scalar(byte))
      } else {
        out += "%" + String(byte >> 4, radix: 16, uppercase: true) + String(byte & 0xF, radix: 16, uppercase: true)
      }
    }
    return out
  }

  static func decode(_ component: Substring) -> String? {
    guard component.contains("%") else { return component.isEmpty ? nil : String(component) }
    var bytes: [UInt8] = []
    var iterator = component.utf8.makeIterator()
    while let byte = iterator.next() {
      if byte == UInt8(ascii: "%") {
        guard let high = iterator.next(), let low = iterator.next(),
          let value = UInt8(String(decoding: [high, low], as: UTF8.self), radix: 16)
        else { return nil }
        bytes.append(value)
      } else {
        bytes.append(byte)
      }
    }
    return String(decoding: bytes, as: UTF8.self)
  }
}
