/// Characters that never belong in a job posting because the formats it is published in cannot
/// carry them: XML 1.0 forbids the C0 control characters other than tab, newline and carriage
/// return, and the noncharacters U+FFFE and U+FFFF; HTML treats DEL and the C1 controls as parse
/// errors. (Lone surrogates cannot occur in a Swift string.)
///
/// The configuration loader refuses them in every YAML value, and the feed writer drops any that
/// arrive from elsewhere, so the Indeed feed is always well-formed XML.
public enum MarkupCharacters {
  /// Whether `scalar` is one the formats cannot carry.
  public static func isForbidden(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09, 0x0A, 0x0D: return false
    case 0x00...0x1F, 0x7F...0x9F, 0xFFFE, 0xFFFF: return true
    default: return false
    }
  }

  /// The first forbidden character in `text`, or nil when there is none.
  public static func firstForbidden(in text: String) -> Unicode.Scalar? {
    guard mayContainForbidden(text) else { return nil }
    return text.unicodeScalars.first(where: isForbidden)
  }

  /// `text` without its forbidden characters.
  public static func removingForbidden(from text: String) -> String {
    guard mayContainForbidden(text) else { return text }
    var out = String.UnicodeScalarView()
    for scalar in text.unicodeScalars where !isForbidden(scalar) { out.append(scalar) }
    return String(out)
  }

  /// How a message names `scalar`: "the control character U+001B", "the noncharacter U+FFFE".
  public static func describe(_ scalar: Unicode.Scalar) -> String {
    let kind = scalar.value >= 0xFFFE ? "noncharacter" : "control character"
    return "the \(kind) \(codePoint(scalar))"
  }

  /// `U+001B`: at least four uppercase hex digits, as the Unicode standard writes code points.
  public static func codePoint(_ scalar: Unicode.Scalar) -> String {
    let hex = String(scalar.value, radix: 16, uppercase: true)
    return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
  }

  /// A quick look at the UTF-8 bytes: false when no forbidden character can be present (no C0
  /// byte but tab, newline or carriage return; no DEL; no lead byte of a C1 control or U+FFFx).
  private static func mayContainForbidden(_ text: String) -> Bool {
    // Over the contiguous bytes when the string has them (native strings do): this runs on every
    // YAML value and every feed field, and iterating `utf8` by index is several times slower.
    text.utf8.withContiguousStorageIfAvailable { $0.contains(where: isSuspect) } ?? text.utf8.contains(where: isSuspect)
  }

  private static func isSuspect(_ byte: UInt8) -> Bool {
    (byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D) || byte == 0x7F || byte == 0xC2 || byte == 0xEF
  }
}
