import BoardSupport
import CYaml

/// Reads one file's YAML documents into `YAMLValue` trees straight from libyaml's events (the
/// libyaml that Yams bundles), reporting errors as diagnostics.
///
/// Composing from events rather than through Yams' `Node` tree was measured: at 10,000 postings
/// Yams' composer (node copies, tag resolution by regular expression, duplicate-key hashing) took
/// most of the load time. Building the tree here also gives duplicate keys both positions, and
/// never embeds the document in a message as Yams' duplicate-key error does.
enum YAMLDocumentReader {
  struct Result: Sendable {
    var documents: [YAMLValue] = []
    var diagnostics: [Diagnostic] = []
    /// The parser stopped at an error: documents after it (and the one it is in) are missing.
    var stopped = false
  }

  static func read(_ text: String, file: String) -> Result {
    var utf8 = text
    return utf8.withUTF8 { bytes in
      var composer = Composer(file: file, text: text)
      composer.run(bytes)
      return composer.result
    }
  }

  /// A stack machine over the event stream.
  private struct Composer {
    let file: String
    /// The file's text, for positions of reader errors (which carry only a byte offset).
    let text: String
    var result = Result()
    private var stack: [Frame] = []
    private var anchors: [String: YAMLValue] = [:]

    /// An open mapping or sequence.
    private struct Frame {
      var isMapping: Bool
      var location: SourceLocation
      var anchor: String?
      var items: [YAMLValue] = []
      var pairs: [YAMLValue.Pair] = []
      /// A mapping's key waiting for its value.
      var pendingKey: (text: String, location: SourceLocation)?
      var keys: [String: SourceLocation] = [:]
    }

    init(file: String, text: String) {
      self.file = file
      self.text = text
    }

    mutating func run(_ bytes: UnsafeBufferPointer<UInt8>) {
      var parser = yaml_parser_t()
      guard yaml_parser_initialize(&parser) == 1 else {
        result.diagnostics.append(.error("cannot parse YAML: out of memory", at: at(line: 0, column: 0)))
        return
      }
      defer { yaml_parser_delete(&parser) }
      yaml_parser_set_encoding(&parser, YAML_UTF8_ENCODING)
      yaml_parser_set_input_string(&parser, bytes.baseAddress, bytes.count)
      var event = yaml_event_t()
      while true {
        guard yaml_parser_parse(&parser, &event) == 1 else {
          result.diagnostics.append(error(from: parser))
          result.stopped = true
          return
        }
        defer { yaml_event_delete(&event) }
        if event.type == YAML_STREAM_END_EVENT { return }
        handle(&event)
      }
    }

    private func at(line: Int, column: Int) -> SourceLocation {
      SourceLocation(file: file, line: line + 1, column: column + 1)
    }

    /// The position of a byte offset, counted as libyaml counts marks: lines split at newlines,
    /// columns in Unicode scalars. Reader errors carry only an offset.
    private func at(offset: Int) -> SourceLocation {
      var line = 0
      var column = 0
      var index = 0
      for scalar in text.unicodeScalars {
        if index >= offset { break }
        index += UTF8.width(scalar)
        if scalar == "\n" {
          line += 1
          column = 0
        } else {
          column += 1
        }
      }
      return at(line: line, column: column)
    }

    private func at(_ mark: yaml_mark_t) -> SourceLocation { at(line: Int(mark.line), column: Int(mark.column)) }

    private static func string(_ pointer: UnsafeMutablePointer<yaml_char_t>?) -> String? {
      guard let pointer else { return nil }
      return String(cString: pointer)
    }

    private mutating func handle(_ event: inout yaml_event_t) {
      let location = at(event.start_mark)
      switch event.type {
      case YAML_DOCUMENT_START_EVENT:
        anchors = [:]
      case YAML_MAPPING_START_EVENT:
        stack.append(Frame(isMapping: true, location: location, anchor: Self.string(event.data.mapping_start.anchor)))
      case YAML_SEQUENCE_START_EVENT:
        stack.append(Frame(isMapping: false, location: location, anchor: Self.string(event.data.sequence_start.anchor)))
      case YAML_MAPPING_END_EVENT, YAML_SEQUENCE_END_EVENT:
        let frame = stack.removeLast()
        let value: YAMLValue =
          frame.isMapping ? .mapping(frame.pairs, frame.location) : .sequence(frame.items, frame.location)
        if let anchor = frame.anchor { anchors[anchor] = value }
        add(value, at: location)
      case YAML_SCALAR_EVENT:
        let scalar = event.data.scalar
        let text = String(decoding: UnsafeBufferPointer(start: scalar.value, count: scalar.length), as: UTF8.self)
        let kind: YAMLValue.ScalarKind
        if scalar.style != YAML_PLAIN_SCALAR_STYLE || scalar.quoted_implicit == 1 {
          kind = .string  // quoted and block scalars are strings, whatever they look like
        } else if let tag = Self.string(scalar.tag) {
          kind = tag == "tag:yaml.org,2002:int" ? .int : tag == "tag:yaml.org,2002:float" ? .float : .string
        } else {
          kind = YAMLValue.ScalarKind(plain: text)
        }
        checkCharacters(text, at: location)
        let value = YAMLValue.scalar(text, kind, location)
        if let anchor = Self.string(scalar.anchor) { anchors[anchor] = value }
        add(value, at: location)
      case YAML_ALIAS_EVENT:
        let name = Self.string(event.data.alias.anchor) ?? ""
        guard let value = anchors[name] else {
          result.diagnostics.append(.error("invalid YAML: alias *\(name) refers to no anchor", at: location))
          add(.scalar("", .null, location), at: location)
          return
        }
        add(value, at: location)
      default:
        break
      }
    }

    /// A scalar may not hold a character that XML and HTML cannot carry: every value can reach a
    /// feed or a page, and none is legitimate in a job posting. libyaml refuses such characters
    /// written raw; this catches the ones written as escapes (`"\e"`, `"\x01"`, `"\uFFFE"`).
    private mutating func checkCharacters(_ text: String, at location: SourceLocation) {
      guard let scalar = MarkupCharacters.firstForbidden(in: text) else { return }
      let isKey = stack.last.map { $0.isMapping && $0.pendingKey == nil } ?? false
      result.diagnostics.append(
        .error(
          "the \(isKey ? "key" : "value") contains \(MarkupCharacters.describe(scalar)), which XML and HTML cannot carry; remove it",
          at: location))
    }

    /// Puts a finished value into its parent, or ends the document when there is none.
    private mutating func add(_ value: YAMLValue, at location: SourceLocation) {
      guard !stack.isEmpty else {
        result.documents.append(value)
        return
      }
      let top = stack.count - 1
      if !stack[top].isMapping {
        stack[top].items.append(value)
      } else if let key = stack[top].pendingKey {
        stack[top].pairs.append(YAMLValue.Pair(key: key.text, keyLocation: key.location, value: value))
        stack[top].pendingKey = nil
      } else {
        let text = value.string ?? ""
        if let first = stack[top].keys[text] {
          result.diagnostics.append(
            .error(
              "duplicate key '\(text)': each key may appear once in a mapping", at: value.location,
              notes: ["first defined at \(first)"]))
        } else {
          stack[top].keys[text] = value.location
        }
        stack[top].pendingKey = (text, value.location)
      }
    }

    private func error(from parser: yaml_parser_t) -> Diagnostic {
      let problem = parser.problem.map { String(cString: $0) } ?? "unknown problem"
      var notes: [String] = []
      if let context = parser.context.map({ String(cString: $0) }), !context.isEmpty {
        notes.append("\(context) that starts at \(at(parser.context_mark))")
      }
      notes += Self.hint(for: problem)
      if parser.error == YAML_READER_ERROR {
        let location = at(offset: Int(parser.problem_offset))
        if problem == "control characters are not allowed",
          let scalar = UInt32(exactly: parser.problem_value).flatMap(Unicode.Scalar.init)
        {
          return .error(
            "the file contains \(MarkupCharacters.describe(scalar)), which YAML does not allow; remove it", at: location
          )
        }
        return .error("cannot read file as UTF-8 text: \(problem)", at: location)
      }
      return .error("invalid YAML: \(problem)", at: at(parser.problem_mark), notes: notes)
    }

    /// libyaml's messages are terse; add the usual cause of the common ones.
    private static func hint(for problem: String) -> [String] {
      if problem.contains("mapping values are not allowed") {
        return ["a value containing ': ' must be quoted, or a key is indented wrongly"]
      }
      if problem.contains("did not find expected key") {
        return ["check the indentation of this line and the one above"]
      }
      if problem.contains("found character that cannot start any token") {
        return ["tabs are not allowed for indentation in YAML; use spaces"]
      }
      return []
    }
  }
}
