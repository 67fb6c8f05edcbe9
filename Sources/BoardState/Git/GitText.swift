/// One-line text fields of the branch's files: backslash, tab, newline and carriage return are
/// escaped as `AttributeCodec` escapes them, so a field never breaks a line or a column.
enum GitText {
  static func escape(_ text: String) -> String {
    guard text.utf8.contains(where: { $0 == 92 || $0 == 9 || $0 == 10 || $0 == 13 }) else { return text }
    var out = ""
    for character in text.unicodeScalars {
      switch character {
      case "\\": out += "\\\\"
      case "\t": out += "\\t"
      case "\n": out += "\\n"
      case "\r": out += "\\r"
      default: out.unicodeScalars.append(character)
      }
    }
    return out
  }

  static func unescape(_ text: Substring) -> String {
    var text = text
    return text.withUTF8 { unescape($0) }
  }

  static func unescape(_ bytes: UnsafeBufferPointer<UInt8>) -> String {
    guard bytes.contains(92) else { return String(decoding: bytes, as: UTF8.self) }
    var out: [UInt8] = []
    out.reserveCapacity(bytes.count)
    var escaping = false
    for byte in bytes {
      if escaping {
        switch byte {
        case UInt8(ascii: "t"): out.append(9)
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "r"): out.append(13)
        default: out.append(byte)
        }
        escaping = false
      } else if byte == 92 {
        escaping = true
      } else {
        out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// An optional field: `-` stands for nil, and a text that is exactly `-` is written `\-`.
  static func escape(optional text: String?) -> String {
    guard let text else { return "-" }
    return text == "-" ? "\\-" : escape(text)
  }

  static func unescape(optional text: Substring) -> String? {
    text == "-" ? nil : unescape(text)
  }
}
