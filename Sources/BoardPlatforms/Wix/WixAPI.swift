import BoardCore
import BoardHTTP
import BoardSupport
import Foundation

/// Wix's REST API through the shared HTTP layer; the client's `WixKeyAuthenticator` adds the raw
/// key and the site id to every attempt.
struct WixAPI: RemoteAPI {
  let base: String
  let http: BoardHTTPClient
  static let platformName = "Wix"

  /// A 403 in Wix's error shape whose message is empty is Wix throttling, not a refusal (a 403
  /// without Wix's JSON, from a proxy say, is not).
  @Sendable static func isThrottled(_ result: HTTPResult) -> Bool {
    result.status == 429 || (result.status == 403 && hasEmptyMessage(result.body))
  }

  static func hasEmptyMessage(_ body: Data) -> Bool {
    guard case .string(let message)? = JSONValue.parse(body)?["message"] else { return false }
    return message.trimmingCharacters(in: .whitespaces).isEmpty
  }

  static func kind(status: Int, body: Data) -> PlatformError.Kind {
    switch status {
    case 401: return .badKey
    case 403: return hasEmptyMessage(body) ? .rateLimited : .forbidden
    case 404: return .notFound
    case 400, 409, 422, 428: return .invalid
    case 429: return .rateLimited
    case 500...599: return .server
    default: return .other
    }
  }

  /// `message`, then each field violation ("draftPost.title: must not be empty") or the
  /// application error's code and description.
  static func errorText(_ body: Data) -> String {
    guard let object = JSONValue.parse(body) else { return "" }
    var parts: [String] = []
    if let message = object["message"]?.string, !message.isEmpty { parts.append(message) }
    let details = object["details"]
    for violation in details?["validationError"]?["fieldViolations"]?.array ?? [] {
      let field = violation["field"]?.string ?? ""
      let text = violation["description"]?.string ?? violation["violatedRule"]?.string ?? "invalid"
      let line = field.isEmpty ? text : "\(field): \(text)"
      if !parts.contains(line) { parts.append(line) }
    }
    if let application = details?["applicationError"] {
      let text = [application["code"]?.string, application["description"]?.string].compactMap { $0 }
        .filter { !$0.isEmpty && !parts.contains($0) }
      if !text.isEmpty { parts.append(text.joined(separator: ": ")) }
    }
    return parts.joined(separator: "; ")
  }

  // MARK: Queries

  /// Every item of a query (`POST …/query` with `{query:{filter, sort}}`), one request per
  /// `limit` items (offset paging). `sort` should be a field that does not change (a creation
  /// date), so an item edited while the pages are read does not move between them.
  func query(
    _ path: String, filter: JSONValue, sort: String? = nil, items key: String, limit: Int = 100,
    extra: [String: JSONValue] = [:]
  ) async throws -> [JSONValue] {
    var body = extra
    var query: [String: JSONValue] = ["filter": filter]
    if let sort { query["sort"] = [["fieldName": .string(sort), "order": "ASC"]] }
    body["query"] = .object(query)
    return try await walk(request(.POST, base + path, body: body, idempotent: true), limit: limit, items: key)
  }

  func draftPosts(filter: JSONValue) async throws -> [JSONValue] {
    try await query(
      "/blog/v3/draft-posts/query", filter: filter, items: "draftPosts", extra: ["fieldsets": ["RICH_CONTENT"]])
  }

  func categories() async throws -> [JSONValue] {
    try await query("/blog/v3/categories/query", filter: [:], items: "categories")
  }

  func tags() async throws -> [JSONValue] {
    try await query("/blog/v3/tags/query", filter: [:], items: "tags")
  }

  func draftURL(_ id: String) -> String {
    "\(base)/blog/v3/draft-posts/" + (id.addingPercentEncoding(withAllowedCharacters: Self.pathSegmentAllowed) ?? id)
  }

  func memberURL(_ id: String) -> String {
    "\(base)/members/v1/members/" + (id.addingPercentEncoding(withAllowedCharacters: Self.pathSegmentAllowed) ?? id)
      + "?fieldsets=FULL"
  }
}
