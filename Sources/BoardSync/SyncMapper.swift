import BoardSpec
import BoardSupport
import Mustache

/// A rule's `map`, `match` and `consent`, compiled once: what a source record becomes on the
/// target, which of those fields can flow back (two-way rules), the key a first run matches on,
/// and whether a record may be transferred at all.
public struct SyncMapper: Sendable {
  public let rule: SyncRule
  private let templates: [String: MustacheTemplate]
  /// Salts the hashes state keeps, so equal values hash differently in another state or rule.
  private let salt: String

  /// The problems of a rule's templates, with their positions (the loader cannot parse Mustache).
  public static func problems(_ rule: SyncRule) -> [Diagnostic] {
    rule.map.compactMap { mapping in
      guard case .template(let text) = mapping.source else { return nil }
      let location = rule.document.location(of: "map.\(mapping.target).template")
      // The loader reported it, and it must not reach the parser.
      if TemplateText.problem(text) != nil { return nil }
      do {
        _ = try MustacheTemplate(string: text)
        return nil
      } catch let error as MustacheTemplate.ParserError {
        return .error(
          "map.\(mapping.target): the template does not parse: \(TemplateText.words(error.error)) (template line \(error.context.lineNumber), column \(error.context.columnNumber))",
          at: location)
      } catch {
        return .error("map.\(mapping.target): the template does not parse", at: location)
      }
    }
  }

  /// Other rules' links and the placements, for `link` and `placement` mappings.
  public let context: SyncContext

  /// Target fields holding a set of names (a Wix contact's labels): see `merged`.
  public let setFields: Set<String>

  /// Target fields whose values add up (a Manatal note): one create for several source records
  /// writes all their values.
  public let appendFields: Set<String>

  public init(
    rule: SyncRule, salt: String = "", context: SyncContext = SyncContext(), setFields: Set<String> = [],
    appendFields: Set<String> = []
  ) {
    self.rule = rule
    self.context = context
    self.setFields = setFields
    self.appendFields = appendFields
    self.salt = "\(salt)\u{0}\(rule.name)\u{0}"
    var templates: [String: MustacheTemplate] = [:]
    for mapping in rule.map {
      if case .template(let text) = mapping.source, TemplateText.problem(text) == nil {
        templates[mapping.target] = try? MustacheTemplate(string: "{{% CONTENT_TYPE: TEXT}}" + text)
      }
    }
    self.templates = templates
  }

  /// The target fields the rule maps, in file order.
  public var targetFields: [String] { rule.map.map(\.target) }

  /// What `record` becomes on the target: only fields with a value (an empty value never erases one).
  public func values(of record: SyncRecord) -> [String: String] {
    var out: [String: String] = [:]
    for mapping in rule.map {
      if let value = value(mapping, record), !value.isEmpty { out[mapping.target] = value }
    }
    return out
  }

  private func value(_ mapping: SyncRule.Mapping, _ record: SyncRecord) -> String? {
    if case .constant(let value) = mapping.source { return value }
    if case .link(let other) = mapping.source { return context.links[other]?[record.id] }
    guard let value = plainValue(mapping, record) else { return nil }
    if let board = mapping.placement { return context.placements[board]?[value] }
    return value
  }

  /// A field or template mapping's value after `transform`, `values` and `default`: for a
  /// `placement` mapping, the posting's name.
  private func plainValue(_ mapping: SyncRule.Mapping, _ record: SyncRecord) -> String? {
    var text: String?
    switch mapping.source {
    case .constant(let value): return value
    case .link: return nil
    case .field(let name): text = record[name]
    case .template:
      text = templates[mapping.target]?.render(Self.context(record.fields)).trimmingWhitespace()
    }
    guard var value = text else { return mapping.fallback }
    if let transform = mapping.transform { value = Self.apply(transform, value) }
    if !mapping.values.isEmpty { value = mapping.values[value] ?? mapping.fallback ?? value }
    return value
  }

  /// What a set field (`labels`) should hold: the target's names, less those this rule wrote
  /// before and no longer wants, plus the names it wants now. The rule owns the names its
  /// `values` and `default` can give, and those it wrote last (up to three names: their set mark
  /// is `previous`, the field's source mark); a person's own names stay. Names compare ignoring
  /// case; the target's text comes back as it is when the names are the same.
  public func merged(_ field: String, _ wanted: String, into target: String?, previous: String?) -> String {
    let names = Self.names(wanted)
    let wantedKeys = Set(names.map { $0.lowercased() })
    var owned: Set<String> = []
    if let mapping = rule.map.first(where: { $0.target == field }) {
      owned = Set((Array(mapping.values.values) + [mapping.fallback].compactMap { $0 }).map { $0.lowercased() })
      if case .constant(let value) = mapping.source { owned.insert(value.lowercased()) }
    }
    let held = Self.names(target ?? "")
    owned.formUnion(written(previous, among: held))
    var result = held.filter { name in wantedKeys.contains(name.lowercased()) || !owned.contains(name.lowercased()) }
    for name in names where !result.contains(where: { $0.lowercased() == name.lowercased() }) { result.append(name) }
    if let target, Set(Self.names(target).map { $0.lowercased() }) == Set(result.map { $0.lowercased() }) {
      return target
    }
    return result.sorted { ($0.lowercased(), $0) < ($1.lowercased(), $1) }.joined(separator: ", ")
  }

  /// What a write to the target sends for `values` (the planned values, `before` what the target
  /// held when planned): a set field becomes the names to add and, in `removing`, the names to
  /// remove, so a name someone adds between plan and apply, or another rule writes in the same
  /// run, stays. Other fields are sent as they are.
  public func change(_ values: [String: String], before: [String: String]) -> (
    values: [String: String], removing: [String: [String]]
  ) {
    var sent = values
    var removing: [String: [String]] = [:]
    for field in setFields {
      guard let wanted = values[field].map(Self.names) else { continue }
      let had = Self.names(before[field] ?? "")
      let wantedKeys = Set(wanted.map { $0.lowercased() })
      let hadKeys = Set(had.map { $0.lowercased() })
      let adding = wanted.filter { !hadKeys.contains($0.lowercased()) }
      sent[field] = adding.isEmpty ? nil : adding.joined(separator: ", ")
      let removed = had.filter { !wantedKeys.contains($0.lowercased()) }
      if !removed.isEmpty { removing[field] = removed }
    }
    return (sent, removing)
  }

  /// The names among `held` that make up the value whose set mark is `previous` (what the rule
  /// wrote last): one, two or three of them (lowercased), or none.
  private func written(_ previous: String?, among held: [String]) -> Set<String> {
    guard let previous, !previous.isEmpty else { return [] }
    let keys = Array(Set(held.map { $0.lowercased() })).sorted()
    func hash(_ names: [String]) -> String { mark(names.joined(separator: ", ")) }
    for key in keys where hash([key]) == previous { return [key] }
    guard keys.count <= 40 else { return [] }
    for (i, a) in keys.enumerated() {
      for (j, b) in keys.enumerated() where j > i {
        if hash([a, b]) == previous { return [a, b] }
        for c in keys[(j + 1)...] where hash([a, b, c]) == previous { return [a, b, c] }
      }
    }
    return []
  }

  /// A set field's names: its `, `-separated parts, trimmed, without empty ones.
  public static func names(_ value: String) -> [String] {
    value.split(separator: ",").map { String($0).trimmingWhitespace() }.filter { !$0.isEmpty }
  }

  /// Why a record cannot be created now, and whether it can be later in this run: another rule
  /// has not linked it yet (later), the posting it names is being published in this run
  /// (later), or is not placed on the board at all (not later: the cursor passes it). Nil when
  /// every `link` and `placement` resolves.
  public func unresolved(_ record: SyncRecord) -> (reason: String, later: Bool)? {
    for mapping in rule.map {
      if case .link(let other) = mapping.source, context.links[other]?[record.id] == nil {
        return ("waiting for rule \(other) to link this record", true)
      }
      guard let board = mapping.placement, let posting = plainValue(mapping, record),
        context.placements[board]?[posting] == nil
      else { continue }
      // The value is a record's, so the reason names the field, never the value.
      var named = "the posting named by its template"
      if case .field(let name) = mapping.source { named = "the posting its \(name) names" }
      if context.publishing[board]?.contains(posting) == true {
        return ("waiting for \(named) to be published on board \(board)", true)
      }
      return ("\(named) is not placed on board \(board)", false)
    }
    return nil
  }

  /// The source field a target field's value flows back to in a two-way rule: only plain field
  /// mappings whose transform keeps the value (`lowercase`, `trim`, …) can; templates, constants,
  /// enumerations and name splits are one-way.
  public func reverseField(of target: String) -> String? {
    rule.map.first { $0.target == target }?.flowsBackTo
  }

  /// What the source field should hold for a target value, as the mapping would map it again.
  public func reverseValue(of target: String, _ value: String) -> String {
    guard let transform = rule.map.first(where: { $0.target == target })?.transform else { return value }
    return Self.apply(transform, value)
  }

  /// The key a record is matched on, normalised as `match.ignore_case` says; nil when it has none.
  public func sourceKey(_ record: SyncRecord) -> String? {
    guard let match = rule.match else { return nil }
    guard let via = match.via else { return normalised(record[match.source], match) }
    // Through the other rule's links, in the direction that reaches this rule's target.
    guard let id = record[match.source] else { return nil }
    let links = context.links[via] ?? [:]
    guard context.reversed.contains(via) else { return normalised(links[id], match) }
    let sources = links.filter { $0.value == id }.map(\.key)
    return sources.count == 1 ? normalised(sources[0], match) : nil  // none, or not one record
  }

  public func targetKey(_ record: SyncRecord) -> String? {
    guard let match = rule.match else { return nil }
    return normalised(record[match.target], match)
  }

  private func normalised(_ value: String?, _ match: SyncRule.Match) -> String? {
    guard let value = value?.trimmingWhitespace(), !value.isEmpty else { return nil }
    return match.ignoreCase ? value.lowercased() : value
  }

  /// Whether `record` may be transferred: the rule asks for no consent, or its consent field
  /// holds one of the consenting values (compared ignoring case).
  public func consents(_ record: SyncRecord) -> Bool {
    guard let consent = rule.consent else { return true }
    guard let value = record[consent.field]?.lowercased() else { return false }
    return consent.values.contains { $0.lowercased() == value }
  }

  /// A field's mark: a set field's names are hashed as a set (any order, any case), so the name
  /// a rule wrote can be told from a person's (`merged`).
  public func mark(_ value: String?, of field: String) -> String {
    guard setFields.contains(field), let value else { return mark(value) }
    return mark(Self.names(value).map { $0.lowercased() }.sorted().joined(separator: ", "))
  }

  /// The salted hash state keeps for a value; "" stands for no value.
  public func mark(_ value: String?) -> String {
    guard let value, !value.isEmpty else { return "" }
    return String(ContentDigest.sha256(salt + value).prefix(16))
  }

  static func apply(_ transform: SyncRule.Transform, _ value: String) -> String {
    switch transform {
    case .lowercase: return value.lowercased()
    case .uppercase: return value.uppercased()
    case .trim: return value.trimmingWhitespace()
    case .firstName: return value.trimmingWhitespace().split(separator: " ").first.map(String.init) ?? ""
    case .lastName: return value.trimmingWhitespace().split(separator: " ").dropFirst().joined(separator: " ")
    }
  }

  /// Dotted field names (`answers.phone`) become nested values, as Mustache reads them.
  static func context(_ fields: [String: String]) -> [String: Any] {
    var root: [String: Any] = [:]
    for (key, value) in fields {
      let parts = key.split(separator: ".").map(String.init)
      root[key] = value
      guard parts.count > 1 else { continue }
      func insert(_ node: inout [String: Any], _ index: Int) {
        if index == parts.count - 1 {
          node[parts[index]] = value
          return
        }
        var child = node[parts[index]] as? [String: Any] ?? [:]
        insert(&child, index + 1)
        node[parts[index]] = child
      }
      insert(&root, 0)
    }
    return root
  }
}
