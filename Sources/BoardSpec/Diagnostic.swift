/// One problem found in the configuration: data, rendered by the CLI only.
public struct Diagnostic: Hashable, Sendable, Error, CustomStringConvertible {
  public enum Severity: String, Sendable, Hashable {
    case error
    case warning
  }

  public var severity: Severity
  public var message: String
  /// Where the problem is; `nil` when it has no place in a file (e.g. a missing folder).
  public var location: SourceLocation?
  /// Extra lines printed under the message ("did you mean", "first defined here").
  public var notes: [String]
  /// The same rule broken by many postings shares this text (`board 'indeed' (indeed-feed):
  /// Indeed expects <state>`): `grouped()` folds them into one line with a count.
  public var rule: String?
  /// The posting it is about, for a grouped line's examples.
  public var subject: String?

  public init(
    _ severity: Severity = .error, _ message: String, at location: SourceLocation? = nil, notes: [String] = []
  ) {
    self.severity = severity
    self.message = message
    self.location = location
    self.notes = notes
  }

  public static func error(_ message: String, at location: SourceLocation?, notes: [String] = []) -> Diagnostic {
    Diagnostic(.error, message, at: location, notes: notes)
  }

  public static func warning(_ message: String, at location: SourceLocation?, notes: [String] = []) -> Diagnostic {
    Diagnostic(.warning, message, at: location, notes: notes)
  }

  /// `path:line:column: error: message`, the compiler convention editors understand.
  public var description: String {
    var text = ""
    if let location { text += "\(location): " }
    text += "\(severity.rawValue): \(message)"
    for note in notes { text += "\n  note: \(note)" }
    return text
  }
}

extension Array where Element == Diagnostic {
  /// Sorted by file, line and column; diagnostics without a location come first.
  public func sortedByLocation() -> [Diagnostic] {
    enumerated().sorted { a, b in
      switch (a.element.location, b.element.location) {
      case (nil, nil): return a.offset < b.offset
      case (nil, _): return true
      case (_, nil): return false
      case (let l?, let r?): return l == r ? a.offset < b.offset : l < r
      }
    }.map(\.element)
  }

  public var hasErrors: Bool { contains { $0.severity == .error } }

  /// Warnings of one rule broken more than `threshold` times folded into one, at the first's
  /// place, with a count and a few examples (3,000 postings without a region are one line, not
  /// 3,000). Errors are never folded: each needs its own fix.
  public func grouped(threshold: Int = 3, examples: Int = 3) -> [Diagnostic] {
    var members: [String: [Diagnostic]] = [:]
    for diagnostic in self where diagnostic.severity == .warning {
      if let rule = diagnostic.rule { members[rule, default: []].append(diagnostic) }
    }
    var emitted: Set<String> = []
    var out: [Diagnostic] = []
    for diagnostic in self {
      guard diagnostic.severity == .warning, let rule = diagnostic.rule, let group = members[rule],
        group.count > threshold
      else {
        out.append(diagnostic)
        continue
      }
      guard emitted.insert(rule).inserted else { continue }
      var notes = group.prefix(examples).map { member in
        "e.g. \(member.subject.map { "posting '\($0)'" } ?? "here")\(member.location.map { " at \($0)" } ?? "")"
      }
      notes.append(
        "and \(group.count - examples) more; --verbose lists each, --format json lists them all")
      out.append(Diagnostic(.warning, "\(group.count) postings: \(rule)", at: group[0].location, notes: notes))
    }
    return out
  }
}

/// The configuration could not be loaded; carries every problem found.
public struct ConfigErrors: Error, Sendable {
  public var diagnostics: [Diagnostic]
  public init(_ diagnostics: [Diagnostic]) { self.diagnostics = diagnostics }
}
