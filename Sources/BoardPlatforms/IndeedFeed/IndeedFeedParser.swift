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
    var reader = Reader(bytes: Array(text.utf8))
    return reader.read()
  }

  private struct Reader {
    let bytes: [UInt8]
    var index = 0
    /// The names of the open elements, outermost first.
    var open: [ArraySlice<UInt8>] = []
    var jobs: [[String: String]] = []
    /// The job being read (an element at depth 2 named `job`), and its field being read (depth 3).
    var job: [String: String]?
    var field: (name: String, pieces: [String])?
    var sawRoot = false

    init(bytes: [UInt8]) { self.bytes = bytes }

    /// The jobs, or nil when the text is not well-formed or has another root than `source`.
    mutating func read() -> [[String: String]]? {
      if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { index = 3 }
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
        guard !open.isEmpty else { return false }
        let start = index + 9
        guard let end = find("]]>", from: start), isXMLText(start, end) else { return false }
        if field != nil { field?.pieces.append(String(decoding: bytes[start..<end], as: UTF8.self)) }
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
          guard let close = bytes[(index + 1)...].firstIndex(of: quote) else { return false }
          index = close + 1
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
    mutating func start(_ name: ArraySlice<UInt8>) -> Bool {
      switch open.count {
      case 0:
        guard !sawRoot, name.elementsEqual("source".utf8) else { return false }
        sawRoot = true
      case 1:
        if name.elementsEqual("job".utf8) { job = [:] }
      case 2:
        if job != nil { field = (String(decoding: name, as: UTF8.self), []) }
      default:
        break
      }
      open.append(name)
      return true
    }

    /// An element closes: it must be the one open.
    mutating func end(_ name: ArraySlice<UInt8>) -> Bool {
      guard let last = open.popLast(), last.elementsEqual(name) else { return false }
      if open.count == 2, let finished = field {
        job?[finished.name] = finished.pieces.joined()
        field = nil
      } else if open.count == 1, let finished = job {
        jobs.append(finished)
        job = nil
      }
      return true
    }

    /// An element's name, up to white space, `/` or `>`.
    mutating func name() -> ArraySlice<UInt8>? {
      let start = index
      while index < bytes.count, !Self.isSpace(bytes[index]), bytes[index] != UInt8(ascii: "/"),
        bytes[index] != UInt8(ascii: ">"), bytes[index] != UInt8(ascii: "<")
      {
        index += 1
      }
      return index > start ? bytes[start..<index] : nil
    }

    // MARK: Text

    /// Text up to the next `<`: outside the root only white space is allowed.
    mutating func characterData() -> Bool {
      let start = index
      let end = bytes[start...].firstIndex(of: UInt8(ascii: "<")) ?? bytes.count
      index = end
      guard !open.isEmpty else { return bytes[start..<end].allSatisfy(Self.isSpace) }
      guard isXMLText(start, end), find("]]>", from: start, limit: end) == nil,
        let decoded = decode(bytes[start..<end])
      else { return false }
      // Outside CDATA, the white space around text is layout (a hand-formatted feed), not value.
      if field != nil { field?.pieces.append(decoded.trimmingCharacters(in: .whitespacesAndNewlines)) }
      return true
    }

    /// Entity and character references decoded; nil for an unknown entity or a character XML
    /// does not allow.
    func decode(_ slice: ArraySlice<UInt8>) -> String? {
      guard slice.contains(UInt8(ascii: "&")) else { return String(decoding: slice, as: UTF8.self) }
      var out = ""
      var position = slice.startIndex
      while let amp = slice[position...].firstIndex(of: UInt8(ascii: "&")) {
        out += String(decoding: slice[position..<amp], as: UTF8.self)
        guard let semicolon = slice[amp...].firstIndex(of: UInt8(ascii: ";")) else { return nil }
        let entity = String(decoding: slice[(amp + 1)..<semicolon], as: UTF8.self)
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
      return out + String(decoding: slice[position...], as: UTF8.self)
    }

    // MARK: Bytes

    /// Whether the bytes hold only characters XML 1.0 allows: no C0 control but tab, newline and
    /// carriage return, no U+FFFE or U+FFFF (lone surrogates cannot survive UTF-8 decoding).
    func isXMLText(_ start: Int, _ end: Int) -> Bool {
      var i = start
      while i < end {
        let byte = bytes[i]
        if byte < 0x20 && byte != 0x09 && byte != 0x0A && byte != 0x0D { return false }
        if byte == 0xEF, i + 2 < end, bytes[i + 1] == 0xBF, bytes[i + 2] >= 0xBE { return false }
        i += 1
      }
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

    func has(_ prefix: StaticString) -> Bool {
      let count = prefix.utf8CodeUnitCount
      guard index + count <= bytes.count else { return false }
      return prefix.withUTF8Buffer { bytes[index..<(index + count)].elementsEqual($0) }
    }

    mutating func skip(past terminator: StaticString, from start: Int) -> Bool {
      guard let end = find(terminator, from: start) else { return false }
      index = end + terminator.utf8CodeUnitCount
      return true
    }

    /// The first index of `needle` in `bytes[from..<limit]`.
    func find(_ needle: StaticString, from: Int, limit: Int? = nil) -> Int? {
      needle.withUTF8Buffer { needle in
        let end = (limit ?? bytes.count) - needle.count
        guard !needle.isEmpty, from <= end else { return nil }
        let first = needle[0]
        var i = from
        while i <= end {
          if bytes[i] == first {
            var j = 1
            while j < needle.count, bytes[i + j] == needle[j] { j += 1 }
            if j == needle.count { return i }
          }
          i += 1
        }
        return nil
      }
    }
  }
}
