extension YAMLValue.ScalarKind {
  /// Resolves a plain (unquoted) scalar as YAML 1.1 does: null, bool, int, float, timestamp,
  /// else string. Hand-written instead of regular expressions: loading 10,000 postings
  /// resolves several hundred thousand scalars.
  public init(plain text: String) {
    // Every keyword below is at most five bytes and starts with one of a few characters: checking
    // that first spares most scalars forty string comparisons.
    if text.utf8.count <= 5, Self.mayStartKeyword(text.utf8.first) {
      if let keyword = Self.keyword(text) {
        self = keyword
        return
      }
    }
    guard let first = text.utf8.first, Self.startsNumberOrDate(first) else {
      self = .string
      return
    }
    let bytes = Array(text.utf8)
    if Self.isTimestamp(bytes) {
      self = .timestamp
    } else if Self.isInt(bytes) {
      self = .int
    } else if Self.isFloat(bytes) {
      self = .float
    } else {
      self = .string
    }
  }

  private static func mayStartKeyword(_ c: UInt8?) -> Bool {
    guard let c else { return true }
    return switch c | 0x20 {  // lowercased, for letters
    case UInt8(ascii: "~"), UInt8(ascii: "n"), UInt8(ascii: "y"), UInt8(ascii: "t"), UInt8(ascii: "f"),
      UInt8(ascii: "o"), UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "-"):
      true
    default: false
    }
  }

  /// The null, bool and special-float keywords.
  private static func keyword(_ text: String) -> Self? {
    return switch text {
    case "", "~", "null", "Null", "NULL":
      .null
    case "y", "Y", "yes", "Yes", "YES", "n", "N", "no", "No", "NO", "true", "True", "TRUE", "false", "False", "FALSE",
      "on", "On", "ON", "off", "Off", "OFF":
      .bool
    case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN":
      .float
    default:
      nil
    }
  }

  private static func startsNumberOrDate(_ c: UInt8) -> Bool {
    isDigit(c) || c == UInt8(ascii: "-") || c == UInt8(ascii: "+") || c == UInt8(ascii: ".")
  }

  private static func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }

  /// `[-+]?(0|[1-9][0-9_]*)`, `0x…`, `0b…`, `0[0-7_]+`.
  private static func isInt(_ bytes: [UInt8]) -> Bool {
    var digits = bytes[...]
    if let sign = digits.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") { digits = digits.dropFirst() }
    guard let first = digits.first else { return false }
    if digits.count > 2, first == UInt8(ascii: "0") {
      let marker = digits[digits.startIndex + 1]
      let rest = digits.dropFirst(2)
      if marker == UInt8(ascii: "x") {
        return rest.allSatisfy { isDigit($0) || ($0 | 0x20 >= 97 && $0 | 0x20 <= 102) || $0 == 95 }
      }
      if marker == UInt8(ascii: "b") { return rest.allSatisfy { $0 == 48 || $0 == 49 || $0 == 95 } }
    }
    return digits.allSatisfy { isDigit($0) || $0 == 95 } && isDigit(first)
  }

  /// `[-+]?([0-9][0-9_]*)?\.[0-9_]*([eE][-+]?[0-9]+)?`.
  private static func isFloat(_ bytes: [UInt8]) -> Bool {
    var i = 0
    if bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
    var sawDigit = false
    while i < bytes.count, isDigit(bytes[i]) || bytes[i] == 95 {
      sawDigit = true
      i += 1
    }
    var sawDot = false
    if i < bytes.count, bytes[i] == UInt8(ascii: ".") {
      sawDot = true
      i += 1
      while i < bytes.count, isDigit(bytes[i]) || bytes[i] == 95 {
        sawDigit = true
        i += 1
      }
    }
    guard sawDigit else { return false }
    if i < bytes.count, bytes[i] | 0x20 == UInt8(ascii: "e") {
      i += 1
      if i < bytes.count, bytes[i] == UInt8(ascii: "-") || bytes[i] == UInt8(ascii: "+") { i += 1 }
      let start = i
      while i < bytes.count, isDigit(bytes[i]) { i += 1 }
      guard i > start else { return false }
      return i == bytes.count
    }
    return sawDot && i == bytes.count
  }

  /// `YYYY-MM-DD`, optionally followed by a time (`T` or a space, then digits and separators).
  private static func isTimestamp(_ bytes: [UInt8]) -> Bool {
    guard bytes.count >= 8, bytes[4] == UInt8(ascii: "-"),
      [0, 1, 2, 3].allSatisfy({ isDigit(bytes[$0]) }), isDigit(bytes[5])
    else { return false }
    // Months and days may have one or two digits in YAML 1.1 timestamps.
    var i = 5
    while i < bytes.count, isDigit(bytes[i]) { i += 1 }
    guard i - 5 <= 2, i < bytes.count, bytes[i] == UInt8(ascii: "-") else { return false }
    i += 1
    let dayStart = i
    while i < bytes.count, isDigit(bytes[i]) { i += 1 }
    guard i > dayStart, i - dayStart <= 2 else { return false }
    if i == bytes.count { return true }
    guard bytes[i] == UInt8(ascii: "T") || bytes[i] == UInt8(ascii: "t") || bytes[i] == UInt8(ascii: " ") else {
      return false
    }
    return bytes[(i + 1)...].allSatisfy {
      isDigit($0) || $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ".") || $0 == UInt8(ascii: "Z")
        || $0 == UInt8(ascii: "+") || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: " ")
    }
  }
}
