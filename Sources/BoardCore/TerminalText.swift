/// Text from the configuration or a platform made safe to show on a terminal: every character
/// that could move the cursor, change the title, clear the screen or reorder what is shown is
/// written as an escape (`\u{1B}`), the way Swift writes it in a string literal.
///
/// Everything boardctl prints that it did not write itself (values, addresses, names, messages
/// built from a platform's answers) goes through `escaped(_:keepingNewlines:)`, so only the
/// colour codes `TextStyle` adds ever reach the terminal as control sequences.
public enum TerminalText {
  /// `text` with the control characters (C0 but tab, DEL, C1) and the bidirectional embedding,
  /// override and isolate characters (U+202A–U+202E, U+2066–U+2069) escaped. A newline is kept
  /// only when `keepingNewlines` is set, for multi-line messages; a single-line piece such as an
  /// address or a key shows it escaped, so it cannot pretend to start a line of its own.
  public static func escaped(_ text: String, keepingNewlines: Bool = false) -> String {
    guard mayNeedEscaping(text) else { return text }
    var out = ""
    out.reserveCapacity(text.utf8.count + 8)
    for scalar in text.unicodeScalars {
      if needsEscaping(scalar) && !(keepingNewlines && scalar == "\n") {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        out += "\\u{" + (hex.count < 2 ? "0" : "") + hex + "}"
      } else {
        out.unicodeScalars.append(scalar)
      }
    }
    return out
  }

  /// Whether `scalar` is shown escaped (a newline is, unless the caller keeps newlines).
  public static func needsEscaping(_ scalar: Unicode.Scalar) -> Bool {
    switch scalar.value {
    case 0x09: return false
    case 0x00...0x1F, 0x7F...0x9F, 0x202A...0x202E, 0x2066...0x2069: return true
    default: return false
    }
  }

  /// A quick look at the UTF-8 bytes: false when nothing can need escaping (no C0 byte but tab,
  /// no DEL, no lead byte of a C1 control or of U+20xx).
  private static func mayNeedEscaping(_ text: String) -> Bool {
    text.utf8.contains { byte in (byte < 0x20 && byte != 0x09) || byte == 0x7F || byte == 0xC2 || byte == 0xE2 }
  }
}
