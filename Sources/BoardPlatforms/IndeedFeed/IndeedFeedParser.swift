import Foundation

/// Reads back the feed boardctl wrote: the `<job>` elements under `<source>` and their children's
/// text.
///
/// A small XML parser, not string matching: markup inside a CDATA section (`</title></job>`) is
/// text, a value's `]]>` split across two sections is joined again, entity and character
/// references are decoded, comments and processing instructions are skipped. What is not
/// well-formed XML (an unclosed or mismatched element, a stray `]]>`, a character XML forbids, an
/// unknown entity) makes the whole feed unreadable rather than half read; so does a DOCTYPE, which
/// boardctl never writes and whose entities could expand. One forward pass over the bytes reads a
/// feed of 10,000 jobs.
enum IndeedFeedParser {
  /// Each job's elements, or nil when the text is not such a feed.
  static func jobs(in text: String) -> [[String: String]]? {
    var text = text
    return text.withUTF8 { bytes in
      var reader = Reader(bytes: bytes)
      return reader.read()
    }
  }

  private struct Reader {
    let bytes: UnsafeBufferPointer<UInt8>
    var index = 0
    /// Where the names of the open elements are, outermost first.
    var open: [Range<Int>] = []
    var jobs: [[String: String]] = []
    /// The job being read (an element at depth 2 named `job`), and its field being read (depth 3).
    var job: [String: String]?
    var field: (name: String, value: String)?
    var sawRoot = false

    init(bytes: UnsafeBufferPointer<UInt8>) { self.bytes = bytes }

    /// The jobs, or nil when the text is not well-formed or has another root than `source`.
    mutating func read() -> [[String: String]]? {
      if has("\u{FEFF}") { index = 3 }
      while index < bytes.count {
        if bytes[index] == UInt8(ascii: "<") {
          guard markup() else { return nil }
        } else {
          guard characterData() else { return nil }
        }
      }
      return sawRoot && open.isEmpty ? jobs : nil
    }

    // MARK: Markup

    /// One tag, comment, processing instruction or CDATA section, starting at `<`.
    mutating func markup() -> Bool {
      if has("<?") { return skip(past: "?>", from: index + 2) }
      if has("<!--") { return skip(past: "-->", from: index + 4) }
      if has("<![CDATA[") {
        let start = index + 9
        guard !open.isEmpty, let end = cdataEnd(from: start) else { return false }
        if field != nil {
          let text = string(start..<end)
          field?.value += text
        }
        index = end + 3
        return true
      }
      if has("<!") { return false }  // DOCTYPE and other declarations: not a feed boardctl wrote
      if has("</") { return endTag() }
      return startTag()
    }

    mutating func startTag() -> Bool {
      index += 1
      guard let name = name() else { return false }
      // Attributes are skipped; a quoted value may hold `>` or `/`.
      while index < bytes.count {
        switch bytes[index] {
        case UInt8(ascii: ">"):
          index += 1
          return start(name)
        case UInt8(ascii: "/"):
          guard index + 1 < bytes.count, bytes[index + 1] == UInt8(ascii: ">") else { return false }
          index += 2
          return start(name) && end(name)
        case UInt8(ascii: "\""), UInt8(ascii: "'"):
          let quote = bytes[index]
          index += 1
          while index < bytes.count, bytes[index] != quote { index += 1 }
          guard index < bytes.count else { return false }
          index += 1
        case UInt8(ascii: "<"):
          return false
        default:
          index += 1
        }
      }
      return false
    }

    mutating func endTag() -> Bool {
      index += 2
      guard let name = name() else { return false }
      while index < bytes.count, Self.isSpace(bytes[index]) { index += 1 }
      guard index < bytes.count, bytes[index] == UInt8(ascii: ">") else { return false }
      index += 1
      return end(name)
    }

    /// An element opens: the root must be `source`, and only one root is allowed.
    mutating func start(_ name: Range<Int>) -> Bool {
      switch open.count {
      case 0:
        guard !sawRoot, equals(name, "source") else { return false }
        sawRoot = true
      case 1:
        if equals(name, "job") { job = [:] }
      case 2:
        if job != nil { field = (string(name), "") }
      default:
        break
      }
      open.append(name)
      return true
    }

    /// An element closes: it must be the one open.
    mutating func end(_ name: Range<Int>) -> Bool {
      guard let last = open.popLast(), last.count == name.count,
        zip(last, name).allSatisfy({ bytes[$0] == bytes[$1] })
      else { return false }
      if open.count == 2, let finished = field {
        job?[finished.name] = finished.value
        field = nil
      } else if open.count == 1, let finished = job {
        jobs.append(finished)
        job = nil
      }
      return true
    }

    /// Where an element's name is: up to white space, `/` or `>`.
    mutating func name() -> Range<Int>? {
      let start = index
      while index < bytes.count {
        let byte = bytes[index]
        if Self.isSpace(byte) || byte == UInt8(ascii: "/") || byte == UInt8(ascii: ">") || byte == UInt8(ascii: "<") {
          break
        }
        index += 1
      }
      return index > start ? start..<index : nil
    }

    // MARK: Text

    /// Text up to the next `<`: outside the root only white space is allowed.
    mutating func characterData() -> Bool {
      let start = index
      guard let end = textEnd(from: start) else { return false }
      index = end
      guard !open.isEmpty else { return (start..<end).allSatisfy { Self.isSpace(bytes[$0]) } }
      // Between elements (no field open) the text is only checked: its references must be known.
      guard field != nil else { return !bytes[start..<end].contains(UInt8(ascii: "&")) || decode(start..<end) != nil }
      guard let decoded = decode(start..<end) else { return false }
      // Outside CDATA, the white space around text is layout (a hand-formatted feed), not value.
      field?.value += decoded.trimmingCharacters(in: .whitespacesAndNewlines)
      return true
    }

    /// Entity and character references decoded; nil for an unknown entity or a character XML
    /// does not allow.
    func decode(_ range: Range<Int>) -> String? {
      var out = ""
      var position = range.lowerBound
      while let amp = (position..<range.upperBound).first(where: { bytes[$0] == UInt8(ascii: "&") }) {
        out += string(position..<amp)
        guard let semicolon = (amp..<range.upperBound).first(where: { bytes[$0] == UInt8(ascii: ";") }) else {
          return nil
        }
        let entity = string((amp + 1)..<semicolon)
        switch entity {
        case "lt": out += "<"
        case "gt": out += ">"
        case "amp": out += "&"
        case "quot": out += "\""
        case "apos": out += "'"
        default:
          guard entity.hasPrefix("#") else { return nil }
          let digits = entity.dropFirst()
          let value = digits.hasPrefix("x") ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits, radix: 10)
          guard let value, let scalar = Unicode.Scalar(value), Self.isXMLCharacter(scalar) else { return nil }
          out.unicodeScalars.append(scalar)
        }
        position = semicolon + 1
      }
      return out + string(position..<range.upperBound)
    }

    // MARK: Bytes

    /// Where a CDATA section's text that begins at `start` ends (at its `]]>`); nil when the
    /// section is unterminated or holds a character XML does not allow.
    func cdataEnd(from start: Int) -> Int? {
      var i = start
      while i < bytes.count {
        let byte = bytes[i]
        if byte >= 0x20 && byte != 0x5D && byte != 0xEF {  // neither `]`, a control, nor U+Fxxx: the common case
          i += 1
          continue
        }
        if byte == UInt8(ascii: "]") {
          if i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "]"), bytes[i + 2] == UInt8(ascii: ">") { return i }
        } else if !isAllowed(at: i) {
          return nil
        }
        i += 1
      }
      return nil
    }

    /// Where character data that begins at `start` ends (at the next `<`, or the end); nil when it
    /// holds a `]]>` or a character XML does not allow.
    func textEnd(from start: Int) -> Int? {
      var i = start
      while i < bytes.count {
        let byte = bytes[i]
        if byte >= 0x20 && byte != 0x3C && byte != 0x5D && byte != 0xEF {  // neither `<`, `]`, a control, nor U+Fxxx
          i += 1
          continue
        }
        if byte == UInt8(ascii: "<") { return i }
        if byte == UInt8(ascii: "]") {
          if i + 2 < bytes.count, bytes[i + 1] == UInt8(ascii: "]"), bytes[i + 2] == UInt8(ascii: ">") { return nil }
        } else if !isAllowed(at: i) {
          return nil
        }
        i += 1
      }
      return i
    }

    /// Whether the byte at `i` is part of a character XML 1.0 allows: no C0 control but tab,
    /// newline and carriage return, no U+FFFE or U+FFFF (lone surrogates cannot survive UTF-8
    /// decoding).
    func isAllowed(at i: Int) -> Bool {
      let byte = bytes[i]
      if byte < 0x20 { return byte == 0x09 || byte == 0x0A || byte == 0x0D }
      if byte == 0xEF, i + 2 < bytes.count, bytes[i + 1] == 0xBF, bytes[i + 2] >= 0xBE { return false }
      return true
    }

    static func isXMLCharacter(_ scalar: Unicode.Scalar) -> Bool {
      switch scalar.value {
      case 0x09, 0x0A, 0x0D, 0x20...0xD7FF, 0xE000...0xFFFD, 0x10000...0x10FFFF: return true
      default: return false
      }
    }

    static func isSpace(_ byte: UInt8) -> Bool {
      byte == 0x20 || byte == 0x09 || byte == 0x0A || byte == 0x0D
    }

    func string(_ range: Range<Int>) -> String {
      String(decoding: UnsafeBufferPointer(rebasing: bytes[range]), as: UTF8.self)
    }

    /// Whether the bytes in `range` are `literal`'s.
    func equals(_ range: Range<Int>, _ literal: StaticString) -> Bool {
      range.count == literal.utf8CodeUnitCount && matches(literal, at: range.lowerBound)
    }

    /// Whether the text at `index` starts with `prefix`.
    func has(_ prefix: StaticString) -> Bool { matches(prefix, at: index) }

    func matches(_ literal: StaticString, at position: Int) -> Bool {
      let count = literal.utf8CodeUnitCount
      guard position + count <= bytes.count else { return false }
      let start = literal.utf8Start
      for k in 0..<count where bytes[position + k] != start[k] { return false }
      return true
    }

    mutating func skip(past terminator: StaticString, from start: Int) -> Bool {
      var i = start
      while i < bytes.count {
        if matches(terminator, at: i) {
          index = i + terminator.utf8CodeUnitCount
          return true
        }
        i += 1
      }
      return false
    }
  }
}
