extension HTMLSanitizer {
  /// Writes the allowed markup and escaped text, keeping elements balanced.
  struct Writer {
    private var out: [UInt8] = []
    private var open: [String] = []

    /// Text, escaped; a bare http(s) URL in running text becomes a link to itself, as a reader
    /// expects ("Apply at https://…").
    mutating func text(_ bytes: ArraySlice<UInt8>) {
      guard !open.contains(where: { $0 == "a" || $0 == "code" || $0 == "pre" }) else {
        escape(bytes)
        return
      }
      var start = bytes.startIndex
      while let url = HTMLSanitizer.nextURL(in: bytes, from: start) {
        escape(bytes[start..<url.lowerBound])
        let href = HTMLSanitizer.decodeReferences(bytes[url])
        out += Array("<a href=\"\(HTMLSanitizer.escapeAttribute(href))\">".utf8)
        escape(bytes[url])
        out += Array("</a>".utf8)
        start = url.upperBound
      }
      escape(bytes[start...])
    }

    private mutating func escape(_ bytes: ArraySlice<UInt8>) {
      var index = bytes.startIndex
      while index < bytes.endIndex {
        let byte = bytes[index]
        switch byte {
        case UInt8(ascii: "<"): out += Array("&lt;".utf8)
        case UInt8(ascii: ">"): out += Array("&gt;".utf8)
        case UInt8(ascii: "&"):
          // A well-formed character reference stays as written (it can only ever be text);
          // any other ampersand is escaped.
          if let end = HTMLSanitizer.referenceEnd(bytes, at: index) {
            out += bytes[index..<end]
            index = end
            continue
          }
          out += Array("&amp;".utf8)
        case 0: break
        default: out.append(byte)
        }
        index += 1
      }
    }

    mutating func start(_ name: String, _ attributes: [(String, String)]) {
      guard let permitted = HTMLSanitizer.allowed[name] else { return }
      out += Array("<\(name)".utf8)
      var written: Set<String> = []
      // The first of a repeated attribute wins, as in a browser.
      for (attribute, value) in attributes where permitted.contains(attribute) && !written.contains(attribute) {
        written.insert(attribute)
        guard HTMLSanitizer.accepts(value, for: attribute, on: name) else { continue }
        out += Array(" \(attribute)=\"\(HTMLSanitizer.escapeAttribute(value))\"".utf8)
      }
      out.append(UInt8(ascii: ">"))
      if !HTMLSanitizer.void.contains(name) { open.append(name) }
    }

    mutating func end(_ name: String) {
      guard let index = open.lastIndex(of: name) else { return }
      while open.count > index { close() }
    }

    mutating func finish() -> String {
      while !open.isEmpty { close() }
      return String(decoding: out, as: UTF8.self)
    }

    private mutating func close() {
      out += Array("</\(open.removeLast())>".utf8)
    }
  }

  /// The end of the well-formed character reference at `index` (`&name;`, `&#123;`, `&#x1F;`).
  static func referenceEnd(_ bytes: ArraySlice<UInt8>, at index: Int) -> Int? {
    var i = index + 1
    guard i < bytes.endIndex else { return nil }
    let isHexDigit = { (c: UInt8) in (c >= 48 && c <= 57) || ((c | 0x20) >= 97 && (c | 0x20) <= 102) }
    let isDigit = { (c: UInt8) in c >= 48 && c <= 57 }
    let accepts: (UInt8) -> Bool
    var limit = 32
    if bytes[i] == UInt8(ascii: "#") {
      i += 1
      if i < bytes.endIndex, bytes[i] | 0x20 == UInt8(ascii: "x") {
        i += 1
        accepts = isHexDigit
        limit = 6
      } else {
        accepts = isDigit
        limit = 7
      }
    } else {
      guard Scanner.isLetter(bytes[i]) else { return nil }
      accepts = { Scanner.isLetter($0) || isDigit($0) }
    }
    let start = i
    while i < bytes.endIndex, i - start < limit, accepts(bytes[i]) { i += 1 }
    guard i > start, i < bytes.endIndex, bytes[i] == UInt8(ascii: ";") else { return nil }
    return i + 1
  }

  /// An attribute's value with its character references decoded (the numeric ones and those a
  /// link is likely to hold); an unknown reference stays as written, and is escaped on output,
  /// so what a browser reads is exactly the value checked.
  static func decodeReferences(_ bytes: ArraySlice<UInt8>) -> String {
    guard bytes.contains(UInt8(ascii: "&")) else { return String(decoding: bytes, as: UTF8.self) }
    var out = String.UnicodeScalarView()
    var index = bytes.startIndex
    while index < bytes.endIndex {
      if bytes[index] == UInt8(ascii: "&"), let end = referenceEnd(bytes, at: index),
        let scalar = scalar(of: bytes[(index + 1)..<(end - 1)])
      {
        out.append(scalar)
        index = end
        continue
      }
      // Copy up to the next ampersand as text.
      let next = bytes[(index + 1)...].firstIndex(of: UInt8(ascii: "&")) ?? bytes.endIndex
      out.append(contentsOf: String(decoding: bytes[index..<next], as: UTF8.self).unicodeScalars)
      index = next
    }
    return String(out)
  }

  static let named: [String: Unicode.Scalar] = [
    "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "colon": ":", "Tab": "\t", "NewLine": "\n",
    "nbsp": "\u{A0}", "sol": "/", "quest": "?", "num": "#", "period": ".", "lpar": "(", "rpar": ")",
    "equals": "=", "semi": ";", "comma": ",", "excl": "!",
  ]

  /// The character a reference's body (`amp`, `#58`, `#x3A`) names.
  private static func scalar(of body: ArraySlice<UInt8>) -> Unicode.Scalar? {
    let text = String(decoding: body, as: UTF8.self)
    guard text.hasPrefix("#") else { return named[text] }
    let digits = text.dropFirst()
    let value =
      digits.first.map { $0 == "x" || $0 == "X" } == true
      ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
    // A browser reads NUL and out-of-range references as U+FFFD.
    guard let value, value != 0 else { return "\u{FFFD}" }
    return Unicode.Scalar(value) ?? "\u{FFFD}"
  }

  /// A value for a double-quoted attribute.
  static func escapeAttribute(_ value: String) -> String { attributeEscapes(value) }

  private static let attributeEscapes = CharacterEscapes([
    "&": "&amp;", "\"": "&quot;", "<": "&lt;", ">": "&gt;", "\0": "",
  ])
}
