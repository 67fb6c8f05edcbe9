import BoardSupport
import Foundation

/// What one Wix query endpoint accepts: its filterable fields and their operators, sortable
/// fields and default order, and its paging limits. Asking for anything else is a 400, as Wix
/// answers, so an adapter cannot come to rely on a filter the real API refuses.
struct WixQuerySchema: Sendable {
  var fields: [String: Set<WixFilter.Operator>]
  /// Fields under a prefix (`info.extendedFields.`), for keys a site defines.
  var prefixes: [String: Set<WixFilter.Operator>] = [:]
  var sortable: Set<String>
  var defaultSort: [WixQuery.SortKey]
  /// How many sort objects a query may carry.
  var maxSorts = 3
  var defaultLimit = 50
  var maxLimit = 100
  /// Reads a filter or sort field of an object (a dotted path unless an endpoint says otherwise).
  var resolve: @Sendable (JSONValue, String) -> JSONValue? = WixQuerySchema.walk

  func operators(for field: String) -> Set<WixFilter.Operator>? {
    if let ops = fields[field] { return ops }
    return prefixes.first { field.hasPrefix($0.key) && field.count > $0.key.count }?.value
  }

  /// `a.b.c` down nested objects.
  static func walk(_ object: JSONValue, _ path: String) -> JSONValue? {
    var current: JSONValue? = object
    for key in path.split(separator: ".") { current = current?[String(key)] }
    return current
  }
}
