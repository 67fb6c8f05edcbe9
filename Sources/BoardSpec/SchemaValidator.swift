import Foundation

/// The schema pass: walks a document's `YAMLValue` tree against its `SchemaType`, collecting every
/// problem (unknown keys, wrong types, bad enum values, missing keys) and every reference to
/// another document, which the loader resolves once all files are read.
struct SchemaValidator {
  struct Reference {
    var kind: String
    var name: String
    var location: SourceLocation
    /// The key path the reference sits under, for the message ("boards[1]").
    var path: String
  }

  var platforms: [PlatformDescriptor]
  var diagnostics: [Diagnostic] = []
  var references: [Reference] = []
  /// Every `path`-format value, for the repository check (which needs the file system).
  var paths: [PathSetting] = []

  init(platforms: [PlatformDescriptor]) {
    self.platforms = platforms
  }

  /// Validates `value` against `type`; `path` names the value in messages.
  mutating func check(_ value: YAMLValue, against type: SchemaType, path: String, document: YAMLValue? = nil) {
    switch type {
    case .nullable(let inner):
      if !value.isNull { check(value, against: inner, path: path, document: document) }
    case .string(let format):
      guard let text = value.string, value.array == nil, value.pairs == nil else {
        return mismatch(value, expected: format == .text ? "a string" : describe(format), path: path)
      }
      checkFormat(text, format, value: value, path: path)
    case .integer(let minimum):
      guard let number = value.int else { return mismatch(value, expected: "an integer", path: path) }
      if let minimum, number < minimum { error("'\(path)' must be at least \(minimum)", at: value.location) }
    case .number(let minimum):
      guard let number = value.double else { return mismatch(value, expected: "a number", path: path) }
      if let minimum, number < minimum {
        error("'\(path)' must be at least \(Self.format(minimum))", at: value.location)
      }
    case .boolean:
      if value.bool == nil { mismatch(value, expected: "true or false", path: path) }
    case .scalar:
      if value.string == nil || value.array != nil || value.pairs != nil {
        mismatch(value, expected: "a string, number or boolean", path: path)
      }
    case .oneOf(let alternatives):
      guard let chosen = alternatives.first(where: { Self.shape(of: $0) == Self.shape(of: value) }) else {
        let shapes = alternatives.map { Self.describe(shape: Self.shape(of: $0)) }
        return mismatch(value, expected: shapes.joined(separator: " or "), path: path)
      }
      check(value, against: chosen, path: path, document: document)
    case .enumeration(let cases):
      guard let text = value.string, value.array == nil, value.pairs == nil else {
        return mismatch(value, expected: "one of \(cases.joined(separator: ", "))", path: path)
      }
      if !cases.contains(text) {
        error(
          "'\(path)' must be one of \(cases.joined(separator: ", ")); found '\(text)'", at: value.location,
          notes: Suggestion.note(for: text, in: cases))
      }
    case .reference(let kind):
      guard let name = value.string, value.array == nil, value.pairs == nil else {
        return mismatch(value, expected: "the name of a \(kind)", path: path)
      }
      references.append(Reference(kind: kind, name: name, location: value.location, path: path))
    case .array(let element, let minItems):
      guard let items = value.array else { return mismatch(value, expected: "a list", path: path) }
      if items.count < minItems {
        error("'\(path)' must list at least \(minItems) item\(minItems == 1 ? "" : "s")", at: value.location)
      }
      for (index, item) in items.enumerated() {
        check(item, against: element, path: "\(path)[\(index)]", document: document)
      }
    case .map(let element, let keyKind):
      guard let pairs = value.pairs else { return mismatch(value, expected: "a mapping", path: path) }
      for pair in pairs {
        if let keyKind {
          references.append(
            Reference(kind: keyKind, name: pair.key, location: pair.keyLocation, path: "\(path) key"))
        }
        check(pair.value, against: element, path: "\(path).\(pair.key)", document: document)
      }
    case .object(let schema):
      checkObject(value, schema, path: path)
    case .platformSettings:
      checkPlatformSettings(value, path: path, document: document)
    }
  }

  mutating func checkObject(_ value: YAMLValue, _ schema: ObjectSchema, path: String) {
    guard let pairs = value.pairs else { return mismatch(value, expected: "a mapping", path: path) }
    let known = schema.fields.map(\.name)
    let prefix = path.isEmpty ? "" : "\(path)."
    // A misspelled required key is one problem: the unknown key, with its did-you-mean.
    var misspelled: Set<String> = []
    for pair in pairs {
      guard let field = schema.field(pair.key) else {
        let guess = Suggestion.closest(to: pair.key, in: known)
        var message = "unknown key '\(prefix)\(pair.key)' in \(schema.title)"
        if let guess, schema.field(guess)?.required == true, value[guess] == nil {
          misspelled.insert(guess)
          message += "; '\(prefix)\(guess)' is required and missing"
        }
        error(message, at: pair.keyLocation, notes: guess.map { ["did you mean '\($0)'?"] } ?? [])
        continue
      }
      check(pair.value, against: field.type, path: prefix + pair.key, document: value)
      warnIndentedKeys(in: pair, of: value, schema, path: prefix + pair.key)
    }
    for field in schema.fields where field.required && value[field.name] == nil && !misspelled.contains(field.name) {
      error("missing required key '\(prefix)\(field.name)' in \(schema.title)", at: value.location)
    }
  }

  /// A key indented one level too deep under a block scalar (`description: |`) becomes a line of
  /// the text, silently: warn when a line of a block scalar reads `key: value` for a key this
  /// mapping may have but does not.
  private mutating func warnIndentedKeys(
    in pair: YAMLValue.Pair, of mapping: YAMLValue, _ schema: ObjectSchema, path: String
  ) {
    guard case .scalar(let text, _, let location) = pair.value, text.hasSuffix("\n") else { return }
    for (offset, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
      guard let colon = line.firstIndex(of: ":"), line[line.index(after: colon)...].first.map({ $0 == " " }) ?? true
      else { continue }
      let key = String(line[..<colon])
      guard schema.field(key) != nil, mapping[key] == nil, key != pair.key else { continue }
      diagnostics.append(
        .warning(
          "'\(key):' is indented into the text of '\(path)', so it is part of that text, not a key; unindent it to make it a key",
          at: SourceLocation(file: location.file, line: location.line + 1 + offset, column: 1)))
    }
  }

  private mutating func checkPlatformSettings(_ value: YAMLValue, path: String, document: YAMLValue?) {
    // An unknown platform is reported at the `platform` key; its settings cannot be checked.
    guard let platformID = document?["platform"]?.string,
      let platform = platforms.first(where: { $0.id == platformID })
    else {
      if value.pairs == nil && !value.isNull { mismatch(value, expected: "a mapping", path: path) }
      return
    }
    if value.isNull {
      for field in platform.settings.fields where field.required {
        error("missing required key '\(path).\(field.name)' for platform \(platform.id)", at: value.location)
      }
      return
    }
    var schema = platform.settings
    schema.title = "\(platform.id) settings"
    checkObject(value, schema, path: path)
  }

  private mutating func checkFormat(_ text: String, _ format: StringFormat, value: YAMLValue, path: String) {
    switch format {
    case .text, .template:
      return
    case .path:
      paths.append(PathSetting(text: text, location: value.location, key: path))
    case .name:
      if !Self.isValidName(text) {
        error(
          "'\(path)' must be lowercase letters, digits and '-' (starting with a letter or digit); found '\(text)'",
          at: value.location)
      }
    case .date:
      if CalendarDate(text) == nil {
        error("'\(path)' must be a date written YYYY-MM-DD; found '\(text)'", at: value.location)
      }
    case .url:
      if !Self.isAbsoluteHTTPURL(text) {
        error("'\(path)' must be an absolute http(s) URL; found '\(text)'", at: value.location)
      }
    case .urlPattern:
      if !Self.isAbsoluteHTTPURL(text.replacingOccurrences(of: "{name}", with: "name")) {
        error(
          "'\(path)' must be an absolute http(s) URL, with {name} where the posting's name goes; found '\(text)'",
          at: value.location)
      }
    case .currency:
      if !ISOCodes.currencies.contains(text) {
        error(
          "'\(path)' must be an ISO 4217 currency code such as USD; found '\(text)'", at: value.location,
          notes: ISOCodes.currencies.contains(text.uppercased()) ? ["did you mean '\(text.uppercased())'?"] : [])
      }
    case .duration:
      if DurationText.seconds(text) == nil {
        error("'\(path)' must be a duration such as 30s, 2m or 500ms; found '\(text)'", at: value.location)
      }
    case .gitRef:
      if !Self.isValidBranch(text) {
        error(
          "'\(path)' must be a git branch name (letters, digits, '-', '_', '.' and '/'); found '\(text)'",
          at: value.location)
      }
    case .environmentVariable:
      if !Self.isValidEnvironmentName(text) {
        error(
          "'\(path)' must name an environment variable (letters, digits and '_'), not hold a value; found '\(text)'",
          at: value.location)
      }
    case .country:
      if !ISOCodes.countries.contains(text) {
        error(
          "'\(path)' must be an ISO 3166-1 alpha-2 country code such as FJ; found '\(text)'", at: value.location,
          notes: ISOCodes.countries.contains(text.uppercased()) ? ["did you mean '\(text.uppercased())'?"] : [])
      }
    }
  }

  private func describe(_ format: StringFormat) -> String {
    switch format {
    case .date: return "a date (YYYY-MM-DD)"
    case .url, .urlPattern: return "a URL"
    case .currency: return "a currency code"
    case .country: return "a country code"
    case .name: return "a name"
    case .duration: return "a duration"
    default: return "a string"
    }
  }

  private mutating func mismatch(_ value: YAMLValue, expected: String, path: String) {
    error("'\(path)' must be \(expected); found \(value.typeDescription)", at: value.location)
  }

  private mutating func error(_ message: String, at location: SourceLocation, notes: [String] = []) {
    diagnostics.append(.error(message, at: location, notes: notes))
  }

  /// What a value looks like in YAML, to choose among `oneOf` alternatives.
  enum Shape { case scalar, list, mapping }

  static func shape(of type: SchemaType) -> Shape {
    switch type {
    case .object, .map, .platformSettings: return .mapping
    case .array: return .list
    case .nullable(let inner): return shape(of: inner)
    case .oneOf(let alternatives): return alternatives.first.map(shape(of:)) ?? .scalar
    default: return .scalar
    }
  }

  static func shape(of value: YAMLValue) -> Shape {
    value.pairs != nil ? .mapping : value.array != nil ? .list : .scalar
  }

  static func describe(shape: Shape) -> String {
    switch shape {
    case .scalar: return "a string"
    case .list: return "a list"
    case .mapping: return "a mapping"
    }
  }

  static func isValidName(_ text: String) -> Bool {
    guard let first = text.utf8.first, text.utf8.count <= 63 else { return false }
    func ok(_ c: UInt8) -> Bool { (c >= 97 && c <= 122) || (c >= 48 && c <= 57) || c == 45 }
    return first != 45 && text.utf8.allSatisfy(ok)
  }

  /// A conservative subset of git's branch names: no leading `-`, `.` or `/`, no `..`.
  static func isValidBranch(_ text: String) -> Bool {
    guard let first = text.utf8.first, text.utf8.count <= 200, !text.contains(".."), !text.hasSuffix("/"),
      !text.hasSuffix(".lock"), first != UInt8(ascii: "-"), first != UInt8(ascii: "."), first != UInt8(ascii: "/")
    else { return false }
    return text.utf8.allSatisfy { c in
      (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 45 || c == 95 || c == 46
        || c == 47
    }
  }

  static func isValidEnvironmentName(_ text: String) -> Bool {
    guard let first = text.utf8.first, !(first >= 48 && first <= 57), text.utf8.count <= 100 else { return false }
    return text.utf8.allSatisfy { c in (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 95
    }
  }

  static func isAbsoluteHTTPURL(_ text: String) -> Bool {
    guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host,
      !host.isEmpty
    else { return false }
    return scheme == "http" || scheme == "https"
  }

  static func format(_ number: Double) -> String {
    number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
  }
}
