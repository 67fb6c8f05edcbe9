import BoardCore

/// Where each part of the state lives in the branch's tree:
///
///     meta                             format version, lineage, serial
///     lock                             the lock as JSON, present while held
///     resources/<board>/<object>/<shard>/<name>  one record per resource (shard: 2 hex digits)
///     journal/<block>                  journal entries, 256 ids per block
///     README.md                        what the branch is, for people browsing it
enum GitStatePaths {
  static let meta = "meta"
  static let lock = "lock"
  static let readme = "README.md"
  static let resourcesFolder = "resources/"
  static let journalFolder = "journal/"

  static func record(_ address: Address) -> String {
    resourcesFolder + component(address.board) + "/" + component(address.object.rawValue) + "/" + shard(address.name)
      + "/"
      + component(address.name)
  }

  /// The address a record's path stands for; nil for a path that is not a record's.
  static func address(ofRecord path: String) -> Address? {
    guard path.hasPrefix(resourcesFolder) else { return nil }
    // Split as bytes: splitting as characters would weigh on reading 20,000 paths.
    let parts = path.utf8.dropFirst(resourcesFolder.utf8.count).split(
      separator: UInt8(ascii: "/"), omittingEmptySubsequences: false
    ).map { Substring($0) }
    guard parts.count == 4 else { return nil }
    guard let board = decode(parts[0]), let object = decode(parts[1]), let name = decode(parts[3]),
      parts[2] == shard(name)
    else { return nil }
    return Address(board: board, object: ObjectKind(object), name: name)
  }

  /// The folder of 256 a record's name falls in: two hex digits of its FNV-1a hash. A change to
  /// one record then rewrites a tree of a few dozen entries, not one of every record of its
  /// kind (20,000 names in one tree made each commit and push write 800 KB).
  static func shard(_ name: String) -> String {
    var hash: UInt32 = 2_166_136_261
    for byte in name.utf8 {
      hash ^= UInt32(byte)
      hash = hash &* 16_777_619
    }
    let low = UInt8(truncatingIfNeeded: hash)
    return String(low >> 4, radix: 16) + String(low & 0xF, radix: 16)
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
    guard component.utf8.contains(UInt8(ascii: "%")) else { return component.isEmpty ? nil : String(component) }
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
