/// Replaces a few ASCII characters by their escapes: the one loop behind each escaping boardctl
/// writes (JSON inside a page, HTML text and attribute values, state's line format).
///
/// It works on UTF-8 bytes: no byte of a multi-byte character is ASCII, so only the listed
/// characters are touched, and a `\r\n` is two replacements, not one character that slips
/// through (as it would when walking `Character`s). Text holding none of them is returned as it
/// is, without copying.
public struct CharacterEscapes: Sendable {
  /// The replacement for each ASCII byte, nil for bytes kept.
  private let replacements: [[UInt8]?]

  /// `table` maps ASCII characters to what replaces them (an empty string drops one).
  public init(_ table: [Unicode.Scalar: String]) {
    var replacements = [[UInt8]?](repeating: nil, count: 128)
    for (scalar, replacement) in table {
      precondition(scalar.isASCII, "CharacterEscapes replaces ASCII characters only")
      replacements[Int(scalar.value)] = Array(replacement.utf8)
    }
    self.replacements = replacements
  }

  public func callAsFunction(_ text: String) -> String {
    let utf8 = text.utf8
    guard utf8.contains(where: { $0 < 128 && replacements[Int($0)] != nil }) else { return text }
    var out: [UInt8] = []
    out.reserveCapacity(utf8.count + 16)
    for byte in utf8 {
      if byte < 128, let replacement = replacements[Int(byte)] {
        out += replacement
      } else {
        out.append(byte)
      }
    }
    return String(decoding: out, as: UTF8.self)
  }

  /// HTML text and double- or single-quoted attribute values.
  public static let html = CharacterEscapes(["&": "&amp;", "<": "&lt;", ">": "&gt;", "\"": "&quot;", "'": "&#39;"])
}
