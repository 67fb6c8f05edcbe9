import BoardSupport
import Foundation

/// A Wix query filter: the Mongo-like subset Wix documents (`$eq`, `$ne`, `$in`, `$nin`, `$gt`,
/// `$gte`, `$lt`, `$lte`, `$exists`, `$startsWith`, `$hasSome`, `$hasAll`, combined with `$and`,
/// `$or`, `$not`), checked against the fields and operators one endpoint allows.
struct WixFilter: Sendable {
  enum Operator: String, Sendable, CaseIterable {
    case eq = "$eq", ne = "$ne", `in` = "$in", nin = "$nin", gt = "$gt", gte = "$gte", lt = "$lt", lte = "$lte"
    case exists = "$exists", startsWith = "$startsWith", hasSome = "$hasSome", hasAll = "$hasAll"

    static let equality: Set<Operator> = [.eq, .ne, .in, .nin]
    static let range: Set<Operator> = [.eq, .ne, .gt, .gte, .lt, .lte]
    static let text: Set<Operator> = [.eq, .ne, .in, .nin, .startsWith, .exists, .gt, .gte, .lt, .lte]
    static let list: Set<Operator> = [.hasSome, .hasAll]
  }

  indirect enum Condition: Sendable {
    case all([Condition])
    case any([Condition])
    case not(Condition)
    case field(String, Operator, JSONValue)
  }

  let condition: Condition
  /// The filter as sent, which a cursor carries to the next page.
  let json: JSONValue
  /// Every field the filter names.
  let fields: Set<String>

  static let none = WixFilter(condition: .all([]), json: [:], fields: [])

  private init(condition: Condition, json: JSONValue, fields: Set<String>) {
    self.condition = condition
    self.json = json
    self.fields = fields
  }

  init(_ json: JSONValue?, schema: WixQuerySchema) throws {
    guard let json, json != .null else {
      self = .none
      return
    }
    var fields: Set<String> = []
    condition = try Self.parse(json, schema: schema, fields: &fields)
    self.json = json
    self.fields = fields
  }

  private static func parse(_ json: JSONValue, schema: WixQuerySchema, fields: inout Set<String>) throws -> Condition {
    guard case .object(let entries) = json else { throw WixError.invalid("query.filter", "must be an object") }
    var conditions: [Condition] = []
    for (key, value) in entries.sorted(by: { $0.key < $1.key }) {
      switch key {
      case "$and", "$or":
        guard case .array(let parts) = value else { throw WixError.invalid("query.filter.\(key)", "must be a list") }
        let parsed = try parts.map { try parse($0, schema: schema, fields: &fields) }
        conditions.append(key == "$and" ? .all(parsed) : .any(parsed))
      case "$not":
        conditions.append(.not(try parse(value, schema: schema, fields: &fields)))
      default:
        guard let allowed = schema.operators(for: key) else {
          throw WixError.invalid(
            "query.filter.\(key)", "is not a filterable field", message: "Invalid filter: unsupported field '\(key)'")
        }
        fields.insert(key)
        let operations: [(String, JSONValue)] = {
          if case .object(let ops) = value, ops.keys.allSatisfy({ $0.hasPrefix("$") }), !ops.isEmpty {
            return ops.sorted { $0.key < $1.key }.map { ($0.key, $0.value) }
          }
          return [("$eq", value)]
        }()
        for (name, operand) in operations {
          guard let op = Operator(rawValue: name), allowed.contains(op) else {
            throw WixError.invalid(
              "query.filter.\(key)", "does not support \(name)",
              message: "Invalid filter: operator '\(name)' is not supported for field '\(key)'")
          }
          if [.in, .nin, .hasSome, .hasAll].contains(op), operand.array == nil {
            throw WixError.invalid("query.filter.\(key).\(name)", "must be a list")
          }
          conditions.append(.field(key, op, Self.unwrapDate(operand)))
        }
      }
    }
    return conditions.count == 1 ? conditions[0] : .all(conditions)
  }

  /// `{"$date": "…"}` is how some clients send a date.
  private static func unwrapDate(_ value: JSONValue) -> JSONValue {
    if case .object(let o) = value, o.count == 1, let date = o["$date"] { return date }
    if case .array(let items) = value { return .array(items.map(unwrapDate)) }
    return value
  }

  func matches(_ object: JSONValue, schema: WixQuerySchema) -> Bool {
    Self.evaluate(condition, object, schema)
  }

  private static func evaluate(_ condition: Condition, _ object: JSONValue, _ schema: WixQuerySchema) -> Bool {
    switch condition {
    case .all(let parts): return parts.allSatisfy { evaluate($0, object, schema) }
    case .any(let parts): return parts.contains { evaluate($0, object, schema) }
    case .not(let part): return !evaluate(part, object, schema)
    case .field(let name, let op, let operand):
      return test(schema.resolve(object, name), op, operand)
    }
  }

  private static func test(_ value: JSONValue?, _ op: Operator, _ operand: JSONValue) -> Bool {
    let present = value.map { $0 != .null } ?? false
    func equals(_ candidate: JSONValue) -> Bool {
      if case .array(let items)? = value { return items.contains { same($0, candidate) } }
      if candidate == .null { return !present }
      return value.map { same($0, candidate) } ?? false
    }
    switch op {
    case .eq: return equals(operand)
    case .ne: return !equals(operand)
    case .in: return (operand.array ?? []).contains(where: equals)
    case .nin: return !(operand.array ?? []).contains(where: equals)
    case .exists: return present == (operand.bool ?? true)
    case .startsWith:
      guard let text = value?.string, let prefix = operand.string else { return false }
      return text.lowercased().hasPrefix(prefix.lowercased())
    case .hasSome:
      let items = value?.array ?? []
      return (operand.array ?? []).contains { wanted in items.contains { same($0, wanted) } }
    case .hasAll:
      let items = value?.array ?? []
      return (operand.array ?? []).allSatisfy { wanted in items.contains { same($0, wanted) } }
    case .gt, .gte, .lt, .lte:
      guard let value, let order = compare(value, operand) else { return false }
      switch op {
      case .gt: return order == .orderedDescending
      case .gte: return order != .orderedAscending
      case .lt: return order == .orderedAscending
      default: return order != .orderedDescending
      }
    }
  }

  private static func same(_ a: JSONValue, _ b: JSONValue) -> Bool {
    if a == b { return true }
    return compare(a, b) == .orderedSame
  }

  /// Numbers by value, dates (ISO 8601, with or without fractions) by time, other text by
  /// character; nil when the two cannot be compared.
  static func compare(_ a: JSONValue, _ b: JSONValue) -> ComparisonResult? {
    switch (a, b) {
    case (.number(let x), .number(let y)): return x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
    case (.bool(let x), .bool(let y)): return x == y ? .orderedSame : (!x ? .orderedAscending : .orderedDescending)
    case (.string(let x), .string(let y)):
      if let dx = date(x), let dy = date(y) {
        return dx < dy ? .orderedAscending : dx > dy ? .orderedDescending : .orderedSame
      }
      return x < y ? .orderedAscending : x > y ? .orderedDescending : .orderedSame
    default: return nil
    }
  }

  static func date(_ text: String) -> Date? {
    guard text.count >= 20, text.dropFirst(4).first == "-" else { return nil }
    return (try? Date.ISO8601FormatStyle(includingFractionalSeconds: true).parse(text))
      ?? (try? Date.ISO8601FormatStyle().parse(text))
  }
}
