/// One-line text fields of the branch's files, escaped as `AttributeCodec` escapes attribute
/// values, so a field never breaks a line or a column.
enum GitText {
  static func escape(_ text: String) -> String { AttributeCodec.escape(text) }

  static func unescape(_ text: Substring) -> String {
    var text = text
    return text.withUTF8 { unescape($0) }
  }

  static func unescape(_ bytes: UnsafeBufferPointer<UInt8>) -> String { AttributeCodec.unescape(bytes) }

  /// An optional field: `-` stands for nil, and a text that is exactly `-` is written `\-`.
  static func escape(optional text: String?) -> String {
    guard let text else { return "-" }
    return text == "-" ? "\\-" : escape(text)
  }

  static func unescape(optional text: Substring) -> String? {
    text == "-" ? nil : unescape(text)
  }
}
