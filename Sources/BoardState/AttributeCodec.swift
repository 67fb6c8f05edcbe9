import BoardCore
import BoardSupport

/// A compact, line-based encoding of attributes for the state database: one `key\ttype value`
/// line per attribute, keys sorted. Decoding 20,000 records this way is several times faster
/// than JSON on Linux, which keeps a no-op plan on 10,000 postings fast.
enum AttributeCodec {
  static func encode(_ attributes: Attributes) -> String {
    var out = ""
    for key in attributes.keys.sorted() {
      out += escape(key)
      out += "\t"
      switch attributes[key]! {
      case .string(let s): out += "s" + escape(s)
      case .number(let n): out += "n" + String(n)
      case .bool(let b): out += b ? "bt" : "bf"
      case .null: out += "z"
      case .sensitive(let fingerprint): out += "x" + escape(fingerprint)
      }
      out += "\n"
    }
    return out
  }

  static func decode(_ text: String) -> Attributes {
    var keys: [String: String] = [:]
    return decode(text, keys: &keys)
  }

  /// Decodes with `keys` interning attribute names across records: 20,000 records share one
  /// copy of each long name instead of holding their own.
  static func decode(_ text: String, keys: inout [String: String]) -> Attributes {
    var text = text
    return text.withUTF8 { decode(bytes: $0, keys: &keys) }
  }

  /// Works on the bytes: decoding is on the path of every plan, once per resource in state.
  private static func decode(bytes: UnsafeBufferPointer<UInt8>, keys: inout [String: String]) -> Attributes {
    var attributes: Attributes = [:]
    var lineStart = 0
    let count = bytes.count
    while lineStart < count {
      var lineEnd = lineStart
      while lineEnd < count, bytes[lineEnd] != 10 { lineEnd += 1 }
      var tab = lineStart
      while tab < lineEnd, bytes[tab] != 9 { tab += 1 }
      if tab + 1 < lineEnd {
        let parsed = unescape(bytes, lineStart, tab)
        let key: String
        if let known = keys[parsed] {
          key = known
        } else {
          keys[parsed] = parsed
          key = parsed
        }
        let body = tab + 2
        switch bytes[tab + 1] {
        case UInt8(ascii: "s"): attributes[key] = .string(unescape(bytes, body, lineEnd))
        case UInt8(ascii: "n"): attributes[key] = .number(Double(unescape(bytes, body, lineEnd)) ?? 0)
        case UInt8(ascii: "b"): attributes[key] = .bool(body < lineEnd && bytes[body] == UInt8(ascii: "t"))
        case UInt8(ascii: "x"): attributes[key] = .sensitive(fingerprint: unescape(bytes, body, lineEnd))
        default: attributes[key] = .null
        }
      }
      lineStart = lineEnd + 1
    }
    return attributes
  }

  private static func unescape(_ bytes: UnsafeBufferPointer<UInt8>, _ start: Int, _ end: Int) -> String {
    unescape(UnsafeBufferPointer(rebasing: bytes[start..<end]))
  }

  /// One escaped field back to its text (the inverse of `escape`).
  static func unescape(_ slice: UnsafeBufferPointer<UInt8>) -> String {
    guard slice.contains(92) else { return String(decoding: slice, as: UTF8.self) }
    var out: [UInt8] = []
    out.reserveCapacity(slice.count)
    var escaping = false
    for byte in slice {
      if escaping {
        switch byte {
        case UInt8(ascii: "t"): out.append(9)
        case UInt8(ascii: "n"): out.append(10)
        case UInt8(ascii: "r"): out.append(13)
        case UInt8(ascii: "0"): out.append(0)
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

  /// Backslash, tab, newline, carriage return and NUL escaped, so a field never breaks a line
  /// or a column (and PostgreSQL's text can hold it).
  static func escape(_ s: String) -> String { escapes(s) }

  /// The line format's separators, the escape character, and NUL (PostgreSQL's text cannot
  /// hold it).
  private static let escapes = CharacterEscapes([
    "\\": "\\\\", "\t": "\\t", "\n": "\\n", "\r": "\\r", "\0": "\\0",
  ])
}
