import Yams

/// Reads one file's YAML documents into `YAMLValue` trees, turning Yams' errors into diagnostics.
///
/// Yams' own error texts embed the whole document (duplicate keys) or libyaml jargon; they are
/// never printed raw.
enum YAMLDocumentReader {
  struct Result: Sendable {
    var documents: [YAMLValue] = []
    var diagnostics: [Diagnostic] = []
  }

  static func read(_ text: String, file: String) -> Result {
    var result = Result()
    do {
      // The basic resolver tags every plain scalar `str`; `ScalarKind(plain:)` resolves them
      // afterwards without Yams' regular expressions, which dominated load time at scale.
      let parser = try Parser(yaml: text, resolver: .basic)
      while let node = try parser.nextRoot() {
        result.documents.append(convert(node, file: file))
      }
    } catch let error as YamlError {
      result.diagnostics.append(diagnostic(for: error, text: text, file: file))
    } catch {
      result.diagnostics.append(.error("cannot parse YAML", at: SourceLocation(file: file, line: 1, column: 1)))
    }
    return result
  }

  static func convert(_ node: Node, file: String) -> YAMLValue {
    let location = SourceLocation(file: file, line: node.mark?.line ?? 1, column: node.mark?.column ?? 1)
    switch node {
    case .scalar(let scalar):
      return .scalar(scalar.string, kind(of: node), location)
    case .sequence(let sequence):
      return .sequence(sequence.map { convert($0, file: file) }, location)
    case .mapping(let mapping):
      var pairs: [YAMLValue.Pair] = []
      pairs.reserveCapacity(mapping.count)
      for (key, value) in mapping {
        let keyLocation = SourceLocation(file: file, line: key.mark?.line ?? 1, column: key.mark?.column ?? 1)
        pairs.append(.init(key: key.string ?? "", keyLocation: keyLocation, value: convert(value, file: file)))
      }
      return .mapping(pairs, location)
    case .alias:
      // Yams resolves aliases while composing; an unresolved one is treated as null.
      return .scalar("", .null, location)
    }
  }

  private static func kind(of node: Node) -> YAMLValue.ScalarKind {
    guard case .scalar(let scalar) = node else { return .string }
    // Quoted and block scalars are always strings, whatever they look like; so is an explicit tag.
    guard scalar.style == .plain || scalar.style == .any, scalar.tag.rawValue.isEmpty || scalar.tag.rawValue == "?"
    else {
      if scalar.tag.rawValue == Tag.Name.int.rawValue { return .int }
      return .string
    }
    return YAMLValue.ScalarKind(plain: scalar.string)
  }

  private static func diagnostic(for error: YamlError, text: String, file: String) -> Diagnostic {
    func at(_ mark: Mark) -> SourceLocation {
      SourceLocation(file: file, line: max(mark.line, 1), column: max(mark.column, 1))
    }
    switch error {
    case .scanner(let context, let problem, let mark, _):
      return .error("invalid YAML: \(problem)", at: at(mark), notes: note(context, at) + hint(for: problem))
    case .parser(let context, let problem, let mark, _):
      return .error("invalid YAML: \(problem)", at: at(mark), notes: note(context, at) + hint(for: problem))
    case .composer(_, let problem, let mark, _):
      return .error("invalid YAML: \(problem)", at: at(mark))
    case .reader(let problem, _, _, _):
      return .error("cannot read file as UTF-8 text: \(problem)", at: SourceLocation(file: file, line: 1, column: 1))
    case .duplicatedKeysInMapping(let duplicates, let context):
      let key = duplicates.first ?? ""
      let first = at(context.mark)
      let second = secondOccurrence(of: key, after: first, in: text, file: file)
      return .error(
        "duplicate key '\(key)': each key may appear once in a mapping", at: second ?? first,
        notes: second == nil ? [] : ["first defined at \(first)"])
    default:
      return .error("cannot parse YAML", at: SourceLocation(file: file, line: 1, column: 1))
    }
  }

  /// libyaml says what it was reading ("while parsing a flow sequence") and where that began.
  private static func note(_ context: YamlError.Context?, _ at: (Mark) -> SourceLocation) -> [String] {
    guard let context, !context.text.isEmpty else { return [] }
    return ["\(context.text) that starts at \(at(context.mark))"]
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

  /// Yams reports the first occurrence of a duplicate key; the user wants the second one too.
  private static func secondOccurrence(
    of key: String, after first: SourceLocation, in text: String, file: String
  ) -> SourceLocation? {
    let lines = text.split(separator: "\n", omittingEmptySubsequences: false)
    guard first.line >= 1, first.line <= lines.count else { return nil }
    let indent = first.column - 1
    for index in first.line..<lines.count {
      let line = lines[index]
      let leading = line.prefix { $0 == " " }.count
      let body = line.dropFirst(leading)
      if body.isEmpty || body.hasPrefix("#") { continue }
      if leading < indent && !body.hasPrefix("- ") { break }
      if leading == indent, body.hasPrefix(key + ":") || body.hasPrefix("\"\(key)\":") {
        return SourceLocation(file: file, line: index + 1, column: leading + 1)
      }
    }
    return nil
  }
}
