extension HTMLSanitizer {
  /// What the scanner reads: a run of text, a start tag, an end tag. Comments, doctypes and
  /// processing instructions are skipped.
  enum Token {
    case text(ArraySlice<UInt8>)
    case start(String, [(String, String)])
    case end(String)
  }

  /// An HTML tokeniser, close enough to a browser's for fidelity; safety never depends on it,
  /// because nothing it reads is written out unchecked.
  struct Scanner {
    let bytes: [UInt8]
    var position = 0

    init(_ bytes: [UInt8]) { self.bytes = bytes }

    mutating func next() -> Token? {
      while position < bytes.count {
        guard bytes[position] == UInt8(ascii: "<") else {
          let start = position
          while position < bytes.count, bytes[position] != UInt8(ascii: "<") { position += 1 }
          return .text(bytes[start..<position])
        }
        let after = position + 1 < bytes.count ? bytes[position + 1] : 0
        if after == UInt8(ascii: "!") {
          if matches("<!--", at: position) {
            position = index(after: "-->", from: position + 4) ?? bytes.count
          } else {
            position = index(after: ">", from: position + 2) ?? bytes.count
          }
        } else if after == UInt8(ascii: "?") {
          position = index(after: ">", from: position + 2) ?? bytes.count
        } else if after == UInt8(ascii: "/") {
          let next = position + 2 < bytes.count ? bytes[position + 2] : 0
          guard Self.isLetter(next) else {
            // `</>` is dropped; `</` before anything else starts a bogus comment.
            position = index(after: ">", from: position + 2) ?? bytes.count
            continue
          }
          position += 2
          let name = readName()
          guard let end = index(after: ">", from: position) else {
            position = bytes.count
            return nil
          }
          position = end
          return .end(name)
        } else if Self.isLetter(after) {
          position += 1
          let name = readName()
          guard let attributes = readAttributes() else {
            // A tag the input never closes: a browser drops it, and so do we.
            position = bytes.count
            return nil
          }
          return .start(name, attributes)
        } else {
          position += 1
          return .text(bytes[(position - 1)..<position])
        }
      }
      return nil
    }

    /// Skips what `element` holds, up to and including its end tag (or to the end).
    mutating func skipContent(of element: String) {
      if element == "plaintext" {
        position = bytes.count
      } else if HTMLSanitizer.rawText.contains(element) {
        let closing = Array("</\(element)".utf8)
        while let found = index(of: closing, from: position, ignoringCase: true) {
          let after = found + closing.count
          if after >= bytes.count || Self.endsName(bytes[after]) {
            position = index(after: ">", from: after) ?? bytes.count
            return
          }
          position = after
        }
        position = bytes.count
      } else {
        var depth = 0
        while let token = next() {
          switch token {
          case .start(let name, _) where name == element: depth += 1
          case .start(let name, _) where HTMLSanitizer.dropsContent.contains(name): skipContent(of: name)
          case .end(let name) where name == element:
            if depth == 0 { return }
            depth -= 1
          default: break
          }
        }
      }
    }

    /// A tag or attribute name, lowercased, up to whitespace, `/` or `>`.
    private mutating func readName(stoppingAtEquals: Bool = false) -> String {
      let start = position
      while position < bytes.count, !Self.endsName(bytes[position]),
        !(stoppingAtEquals && bytes[position] == UInt8(ascii: "=") && position > start)
      {
        position += 1
      }
      return String(decoding: bytes[start..<position], as: UTF8.self).lowercased()
    }

    /// The attributes up to and including the tag's `>`; nil when the input ends first.
    private mutating func readAttributes() -> [(String, String)]? {
      var attributes: [(String, String)] = []
      while true {
        while position < bytes.count, Self.isSpace(bytes[position]) || bytes[position] == UInt8(ascii: "/") {
          position += 1
        }
        guard position < bytes.count else { return nil }
        if bytes[position] == UInt8(ascii: ">") {
          position += 1
          return attributes
        }
        let name = readName(stoppingAtEquals: true)
        while position < bytes.count, Self.isSpace(bytes[position]) { position += 1 }
        guard position < bytes.count, bytes[position] == UInt8(ascii: "=") else {
          attributes.append((name, ""))
          continue
        }
        position += 1
        while position < bytes.count, Self.isSpace(bytes[position]) { position += 1 }
        guard position < bytes.count else { return nil }
        let quote = bytes[position]
        let value: ArraySlice<UInt8>
        if quote == UInt8(ascii: "\"") || quote == UInt8(ascii: "'") {
          guard let close = bytes[(position + 1)...].firstIndex(of: quote) else { return nil }
          value = bytes[(position + 1)..<close]
          position = close + 1
        } else {
          let start = position
          while position < bytes.count, !Self.isSpace(bytes[position]), bytes[position] != UInt8(ascii: ">") {
            position += 1
          }
          value = bytes[start..<position]
        }
        attributes.append((name, HTMLSanitizer.decodeReferences(value)))
      }
    }

    private func matches(_ text: String, at index: Int) -> Bool {
      let pattern = Array(text.utf8)
      return index + pattern.count <= bytes.count && bytes[index..<(index + pattern.count)].elementsEqual(pattern)
    }

    /// The index just past the first `text` at or after `start`.
    private func index(after text: String, from start: Int) -> Int? {
      let pattern = Array(text.utf8)
      return index(of: pattern, from: start, ignoringCase: false).map { $0 + pattern.count }
    }

    private func index(of pattern: [UInt8], from start: Int, ignoringCase: Bool) -> Int? {
      guard start <= bytes.count - pattern.count else { return nil }
      for candidate in start...(bytes.count - pattern.count) {
        var found = true
        for (offset, byte) in pattern.enumerated() {
          let other = bytes[candidate + offset]
          if other != byte && !(ignoringCase && Self.isLetter(byte) && other | 0x20 == byte | 0x20) {
            found = false
            break
          }
        }
        if found { return candidate }
      }
      return nil
    }

    static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 97 && (c | 0x20) <= 122 }

    static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 10 || c == 12 || c == 13 }

    static func endsName(_ c: UInt8) -> Bool { isSpace(c) || c == UInt8(ascii: "/") || c == UInt8(ascii: ">") }
  }
}
