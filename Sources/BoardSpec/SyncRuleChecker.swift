import Foundation

/// The checks of sync rules that need more than one document: the boards they name, the objects
/// those boards' platforms offer, and the fields of those objects. Every problem points at the
/// key or value it is about.
struct SyncRuleChecker {
  var boards: [Board]
  var platforms: [PlatformDescriptor]
  /// Every rule, for `link` mappings that name another.
  var rules: [SyncRule] = []
  var diagnostics: [Diagnostic] = []

  /// Board names the sync records in state are filed under; no board may take them.
  static let reservedBoardNames: Set<String> = ["sync"]

  init(boards: [Board], platforms: [PlatformDescriptor]) {
    self.boards = boards
    self.platforms = platforms
  }

  mutating func check(_ rule: SyncRule) {
    let doc = rule.document
    let source = object(rule.source, key: "source", in: doc)
    let target = object(rule.target, key: "target", in: doc)
    if rule.source.board == rule.target.board && rule.source.object == rule.target.object {
      error("a rule's source and target are the same records", at: doc.location(of: "target.object"))
    }
    if let target, !target.canWrite {
      error(
        "sync rules can read \(rule.target.board)'s \(target.name) but not write them; choose another target",
        at: doc.location(of: "target.object"),
        notes: writableNote(rule.target.board))
    }
    if rule.direction == .twoWay {
      if rule.conflict == nil {
        error(
          "a two_way rule needs a conflict policy: add conflict: source_wins, target_wins, newest_wins or review",
          at: doc.keyLocation(of: "direction"))
      }
      if let source, !source.canWrite {
        error(
          "a two_way rule writes its source too, and \(rule.source.board)'s \(source.name) cannot be written; make it one_way",
          at: doc.location(of: "direction"))
      }
    } else if rule.conflict != nil {
      error(
        "conflict applies to two_way rules only; remove it, or set direction: two_way",
        at: doc.keyLocation(of: "conflict"))
    }
    if let source {
      for (field, _) in rule.source.filter.sorted(by: { $0.key < $1.key }) {
        requireField(field, of: source, side: rule.source, at: doc.keyLocation(of: "source.filter.\(field)"))
      }
      if let consent = rule.consent {
        requireField(consent.field, of: source, side: rule.source, at: doc.location(of: "consent.field"))
      }
      if let match = rule.match {
        requireField(match.source, of: source, side: rule.source, at: doc.location(of: "match.source"))
      }
    }
    if let target, let match = rule.match {
      requireField(match.target, of: target, side: rule.target, at: doc.location(of: "match.target"))
    }
    if let via = rule.match?.via, let other = rules.first(where: { $0.name == via }) {
      // The other rule must link this rule's target object with the object the source field names.
      let mine = rule.target.qualified
      let theirs = [other.source.qualified, other.target.qualified]
      if other.name == rule.name {
        error(
          "match.via names this rule itself; it names the rule whose links lead to \(mine)",
          at: doc.location(of: "match.via"))
      } else if other.match?.via != nil {
        // One step only: a chain (or a loop) of via rules could never resolve a record.
        error(
          "match.via names rule '\(via)', which itself matches through match.via; name a rule that matches its records directly",
          at: doc.location(of: "match.via"))
      } else if !theirs.contains(mine) {
        error(
          "match.via names rule '\(via)', which links \(theirs.joined(separator: " and ")); it must link \(mine), this rule's target",
          at: doc.location(of: "match.via"))
      }
    }
    for mapping in rule.map {
      checkMapping(mapping, rule: rule, source: source, target: target)
    }
    if rule.map.isEmpty {
      error("'map' names no field; map at least one target field", at: doc.location(of: "map"))
    }
    if rule.source.object == SyncObjectSchema.postings.name, source != nil {
      error(
        "postings are made from other records; they cannot be a rule's source", at: doc.location(of: "source.object"))
    }
    // A two-way rule makes records on its source too (`create_source`), from what flows back.
    if let source, rule.direction == .twoWay {
      for field in source.required where !rule.map.contains(where: { $0.flowsBackTo == field }) {
        error(
          "a two_way rule makes \(source.name) too, so it must carry '\(field)' back: map a target field from it by name (\(rule.source.board) cannot make one without it)",
          at: doc.keyLocation(of: "map"))
      }
    }
    // A rule that can make target records maps what the platform needs to make one (a `via`
    // rule only writes records that exist).
    if let target, rule.match?.via == nil {
      for field in target.required where !rule.map.contains(where: { $0.target == field }) {
        error(
          "a rule that makes \(target.name) must map '\(field)': \(rule.target.board) cannot make one without it",
          at: doc.keyLocation(of: "map"))
      }
    }
    if rule.target.object == SyncObjectSchema.postings.name, target != nil {
      if rule.direction == .twoWay {
        error("postings are made one way; remove direction: two_way", at: doc.location(of: "direction"))
      }
    }
  }

  private mutating func checkMapping(
    _ mapping: SyncRule.Mapping, rule: SyncRule, source: SyncObjectSchema?, target: SyncObjectSchema?
  ) {
    let doc = rule.document
    let path = "map.\(mapping.target)"
    if let target, target.canWrite, !target.canWrite(mapping.target) {
      let known = target.has(mapping.target)
      error(
        known
          ? "\(rule.target.board)'s \(target.name) field '\(mapping.target)' is not one boardctl can write"
          : "\(rule.target.board)'s \(target.name) have no field '\(mapping.target)'",
        at: doc.keyLocation(of: path),
        notes: Suggestion.note(for: mapping.target, in: target.writable) + [
          "fields it can write: \(target.writable.joined(separator: ", "))"
        ])
    }
    guard let source else { return }
    switch mapping.source {
    case .field(let name):
      let at =
        doc.root["map"]?[mapping.target]?.string != nil ? doc.location(of: path) : doc.location(of: "\(path).field")
      requireField(name, of: source, side: rule.source, at: at)
    case .template(let text):
      if let problem = TemplateText.problem(text) {
        error("map.\(mapping.target): the template \(problem)", at: doc.location(of: "\(path).template"))
        return
      }
      for name in Self.templateNames(text) {
        requireField(name, of: source, side: rule.source, at: doc.location(of: "\(path).template"))
      }
    case .link(let name):
      guard let other = rules.first(where: { $0.name == name }) else { break }  // the reference check says so
      let at = doc.location(of: "\(path).link")
      if other.name == rule.name {
        error("map.\(mapping.target) links to its own rule; name the rule that links this record first", at: at)
      } else if other.source.board != rule.source.board || other.source.object != rule.source.object {
        error(
          "rule '\(name)' reads \(other.source.qualified), not \(rule.source.qualified): a link names a rule with the same source",
          at: at)
      } else if other.map.contains(where: { if case .link = $0.source { return true } else { return false } }) {
        error("rule '\(name)' itself uses link; a link names a rule that does not use link", at: at)
      }
    case .constant: break
    }
  }

  /// The object a rule's side names, or nil (with a diagnostic) when the board's platform has none by that name.
  private mutating func object(_ side: SyncRule.Endpoint, key: String, in doc: DocumentSource) -> SyncObjectSchema? {
    guard let board = boards.first(where: { $0.name == side.board }),
      let platform = platforms.first(where: { $0.id == board.platform })
    else { return nil }  // an undefined board is reported by the reference check
    let objects = platform.syncObjects
    if let object = objects.first(where: { $0.name == side.object }) { return object }
    if objects.isEmpty {
      let offering = platforms.filter { !$0.syncObjects.isEmpty }.map(\.id)
      error(
        "board '\(board.name)' (\(platform.id)) has no records sync rules can move; sync rules work with boards of \(offering.joined(separator: ", "))",
        at: doc.location(of: "\(key).board"))
    } else {
      let names = objects.map(\.name)
      error(
        "\(platform.id) board '\(board.name)' has no object '\(side.object)'; it has \(names.joined(separator: ", "))",
        at: doc.location(of: "\(key).object"), notes: Suggestion.note(for: side.object, in: names))
    }
    return nil
  }

  private mutating func requireField(
    _ field: String, of object: SyncObjectSchema, side: SyncRule.Endpoint, at location: SourceLocation
  ) {
    guard !object.has(field) else { return }
    let open =
      object.openPrefixes.isEmpty ? "" : " (or \(object.openPrefixes.map { "\($0)<name>" }.joined(separator: ", ")))"
    error(
      "\(side.board)'s \(object.name) have no field '\(field)'; they have \(object.fields.joined(separator: ", "))\(open)",
      at: location, notes: Suggestion.note(for: field, in: object.fields))
  }

  private func writableNote(_ board: String) -> [String] {
    guard
      let platform = boards.first(where: { $0.name == board }).flatMap({ b in platforms.first { $0.id == b.platform } })
    else { return [] }
    let writable = platform.syncObjects.filter(\.canWrite).map(\.name)
    return writable.isEmpty ? [] : ["\(platform.id) objects boardctl can write: \(writable.joined(separator: ", "))"]
  }

  private mutating func error(_ message: String, at location: SourceLocation, notes: [String] = []) {
    diagnostics.append(.error(message, at: location, notes: notes))
  }

  /// The variable names a Mustache template reads: `{{name}}`, `{{{name}}}`, `{{#name}}`, `{{^name}}`.
  static func templateNames(_ text: String) -> [String] {
    var names: [String] = []
    var rest = Substring(text)
    while let open = rest.range(of: "{{") {
      rest = rest[open.upperBound...]
      guard let close = rest.range(of: "}}") else { break }
      var name = rest[..<close.lowerBound].trimmingCharacters(in: [" ", "{", "}", "#", "^", "/", "&"])
      rest = rest[close.upperBound...]
      if name.hasPrefix("!") || name.hasPrefix(">") || name.hasPrefix("=") || name.isEmpty || name == "." { continue }
      if let space = name.firstIndex(of: " ") { name = String(name[..<space]) }
      if !names.contains(name) { names.append(name) }
    }
    return names
  }
}
