import BoardSupport
import Foundation

/// A parsed `query` object of a Wix query endpoint (`{filter, sort, paging | cursorPaging}`),
/// and the page it selects. A cursor carries the filter, sort and position of the next page, so
/// a client sends only `cursorPaging: {limit, cursor}` after the first page.
struct WixQuery: Sendable {
  struct SortKey: Sendable, Hashable {
    var field: String
    var ascending: Bool

    var json: JSONValue { ["fieldName": .string(field), "order": .string(ascending ? "ASC" : "DESC")] }
  }

  var filter: WixFilter
  var sort: [SortKey]
  var limit: Int
  var offset: Int
  var usesCursor: Bool

  init(_ query: JSONValue?, schema: WixQuerySchema) throws {
    let query = query ?? [:]
    guard case .object = query else { throw WixError.invalid("query", "must be an object") }
    let paging = query["paging"].flatMap { $0 == .null ? nil : $0 }
    let cursorPaging = query["cursorPaging"].flatMap { $0 == .null ? nil : $0 }
    if paging != nil && cursorPaging != nil {
      throw WixError.invalid("query", "paging and cursorPaging cannot be used together")
    }
    usesCursor = cursorPaging != nil
    limit = try Self.number(paging?["limit"] ?? cursorPaging?["limit"], "limit", default: schema.defaultLimit)
    if limit > schema.maxLimit {
      throw WixError.invalid(
        "query.\(usesCursor ? "cursorPaging" : "paging").limit", "must be at most \(schema.maxLimit)", rule: .max,
        data: ["max": .number(Double(schema.maxLimit))])
    }
    if let cursor = cursorPaging?["cursor"]?.string, !cursor.isEmpty {
      guard let data = Data(base64Encoded: cursor), let state = JSONValue.parse(data), let at = state["offset"]?.int
      else { throw WixError.invalid("query.cursorPaging.cursor", "is not a cursor this API gave", rule: .format) }
      offset = at
      filter = try WixFilter(state["filter"], schema: schema)
      sort = try Self.sort(state["sort"], schema: schema)
      return
    }
    offset = try Self.number(paging?["offset"], "offset", default: 0)
    filter = try WixFilter(query["filter"], schema: schema)
    sort = try Self.sort(query["sort"], schema: schema)
  }

  private static func number(_ value: JSONValue?, _ name: String, default fallback: Int) throws -> Int {
    guard let value, value != .null else { return fallback }
    guard let number = value.int, number >= 0 else {
      throw WixError.invalid("query.paging.\(name)", "must be a whole number of at least 0", rule: .format)
    }
    return number
  }

  private static func sort(_ value: JSONValue?, schema: WixQuerySchema) throws -> [SortKey] {
    let items: [JSONValue]
    switch value {
    case nil, .null?: return schema.defaultSort
    case .array(let list)?: items = list
    case .object?: items = [value!]
    default: throw WixError.invalid("query.sort", "must be a list of {fieldName, order}")
    }
    if items.isEmpty { return schema.defaultSort }
    if items.count > schema.maxSorts {
      throw WixError.invalid("query.sort", "must hold at most \(schema.maxSorts)", rule: .max)
    }
    return try items.map { item in
      guard let field = item["fieldName"]?.string, schema.sortable.contains(field) else {
        throw WixError.invalid(
          "query.sort.fieldName", "must be one of \(schema.sortable.sorted().joined(separator: ", "))",
          message: "Invalid sort: unsupported field '\(item["fieldName"]?.string ?? "")'")
      }
      let order = item["order"]?.string ?? "ASC"
      guard order == "ASC" || order == "DESC" else {
        throw WixError.invalid("query.sort.order", "must be ASC or DESC", rule: .format)
      }
      return SortKey(field: field, ascending: order == "ASC")
    }
  }

  /// Filters and sorts `objects` (ties broken by `id`, so pages are stable), and cuts the page.
  /// The metadata is `{count, offset, total, tooManyToCount, hasNext, cursors: {next?}}`.
  func page(_ objects: [JSONValue], schema: WixQuerySchema) -> (items: [JSONValue], metadata: JSONValue) {
    let selected = objects.filter { filter.matches($0, schema: schema) }.sorted { a, b in
      for key in sort {
        let order = Self.order(schema.resolve(a, key.field), schema.resolve(b, key.field))
        if order != .orderedSame { return key.ascending ? order == .orderedAscending : order == .orderedDescending }
      }
      return (a["id"]?.string ?? "") < (b["id"]?.string ?? "")
    }
    let items = Array(selected.dropFirst(offset).prefix(limit))
    let hasNext = offset + items.count < selected.count
    var cursors: [String: JSONValue] = [:]
    if hasNext {
      let state: JSONValue = [
        "offset": .number(Double(offset + items.count)), "filter": filter.json, "sort": .array(sort.map(\.json)),
      ]
      cursors["next"] = .string(state.data.base64EncodedString())
    }
    let metadata: JSONValue = [
      "count": .number(Double(items.count)), "offset": .number(Double(offset)),
      "total": .number(Double(selected.count)), "tooManyToCount": false, "hasNext": .bool(hasNext),
      "cursors": .object(cursors),
    ]
    return (items, metadata)
  }

  /// Absent values sort first, as nulls do.
  private static func order(_ a: JSONValue?, _ b: JSONValue?) -> ComparisonResult {
    switch (a ?? .null, b ?? .null) {
    case (.null, .null): return .orderedSame
    case (.null, _): return .orderedAscending
    case (_, .null): return .orderedDescending
    case (let x, let y): return WixFilter.compare(x, y) ?? .orderedSame
    }
  }
}
