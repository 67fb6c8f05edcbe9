import BoardCore
import BoardHTTP
import BoardSupport
import Foundation

/// The Manatal Open API v3 and the Manahook webhook service, through the shared HTTP layer; the
/// client's `TokenAuthenticator` adds `Authorization: Token <key>` to every attempt.
struct ManatalAPI: RemoteAPI {
  let base: String
  let hooks: String
  let http: BoardHTTPClient
  static let platformName = "Manatal"

  // MARK: Errors

  /// DRF's `{"detail": …}` or `{"field": ["message"]}`, and FastAPI's `{"detail": [{loc, msg}]}`.
  static func errorText(_ body: Data) -> String {
    guard let object = JSONValue.parse(body)?.object else { return "" }
    if case .string(let detail)? = object["detail"] { return detail }
    if let details = object["detail"]?.array {
      return details.map { item in
        let location =
          item["loc"]?.array?.compactMap(\.string).filter { $0 != "body" }.joined(separator: ".") ?? ""
        return "\(location.isEmpty ? "" : location + ": ")\(item["msg"]?.string ?? "invalid")"
      }.joined(separator: "; ")
    }
    return object.keys.sorted().map { key in
      let messages = object[key]?.array?.map { $0.string ?? "\($0)" } ?? [object[key]?.string ?? ""]
      return "\(key): \(messages.joined(separator: " "))"
    }.joined(separator: "; ")
  }

  // MARK: Lists

  /// Every object of a paged list (DRF envelope, `next` as an absolute URL), one request per
  /// page; also copes with a bare JSON array, which some Manatal endpoints return.
  func list(_ url: String) async throws -> [JSONValue] {
    do {
      return try await http.pages(.nextURL(request(.GET, url))) { answer in
        switch JSONValue.parse(answer.body) {
        case .object(let envelope)?:
          return envelope["results"]?.array ?? []
        case .array(let items)?:
          return items
        default:
          throw PlatformError(.other, "GET \(Redaction.url(url)) did not answer with a JSON list")
        }
      }
    } catch let failure as HTTPFailure {
      throw try Self.error(failure, method: .GET, url: url)
    }
  }

  func jobsURL(_ query: String = "page_size=100") -> String { "\(base)/jobs/?\(query)" }
  func collectionURL(_ name: String) -> String { "\(base)/\(name)/" }

  func jobURL(_ id: String) -> String { "\(base)/jobs/\(id)/" }

  /// Every job, one request per 100.
  func jobs() async throws -> [JSONValue] { try await list(jobsURL()) }

  /// Jobs carrying exactly this `external_id` (the ownership-tag lookup before a create).
  func jobs(externalID: String) async throws -> [JSONValue] {
    let value = externalID.addingPercentEncoding(withAllowedCharacters: .urlQueryValueAllowed) ?? externalID
    return try await list(jobsURL("external_id=\(value)&page_size=100"))
  }

  func organizations() async throws -> [JSONValue] { try await list("\(base)/organizations/?page_size=100") }

  func webhooks() async throws -> [JSONValue] { try await list("\(hooks)/webhooks/") }
}

extension CharacterSet {
  /// What may stand unescaped in a query value: `&`, `=`, `+` and `#` must not.
  static let urlQueryValueAllowed = CharacterSet.urlQueryAllowed.subtracting(CharacterSet(charactersIn: "&=+#"))
}
