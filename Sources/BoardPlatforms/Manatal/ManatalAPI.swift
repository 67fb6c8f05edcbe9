import BoardCore
import BoardHTTP
import BoardSupport
import Foundation

/// Why a Manatal call failed, in words a user can act on. Never contains the token.
struct ManatalError: Error, CustomStringConvertible, Sendable {
  enum Kind: Sendable {
    case noCredential, badKey, forbidden, notFound, invalid, rateLimited, unreachable, server, unknownOutcome, other
  }

  var kind: Kind
  var description: String

  init(_ kind: Kind, _ description: String) {
    self.kind = kind
    self.description = description
  }
}

/// The Manatal Open API v3 and the Manahook webhook service, through the shared HTTP layer; the
/// client's `TokenAuthenticator` adds `Authorization: Token <key>` to every attempt.
struct ManatalAPI: Sendable {
  let base: String
  let hooks: String
  let http: BoardHTTPClient

  // MARK: Requests

  /// One request; `url` is absolute. Connection failures become `ManatalError`s.
  func send(
    _ method: HTTPRequestSpec.Method, _ url: String, body: [String: JSONValue]? = nil, idempotent: Bool? = nil
  ) async throws -> HTTPResult {
    do {
      return try await http.send(request(method, url, body: body, idempotent: idempotent))
    } catch let failure as HTTPFailure {
      throw try Self.error(failure, method: method, url: url)
    }
  }

  func request(
    _ method: HTTPRequestSpec.Method, _ url: String, body: [String: JSONValue]? = nil, idempotent: Bool? = nil
  ) -> HTTPRequestSpec {
    var headers = [("Accept", "application/json")]
    if body != nil { headers.append(("Content-Type", "application/json")) }
    return HTTPRequestSpec(
      method, url, headers: headers, body: body.map { JSONValue.object($0).data }, idempotent: idempotent)
  }

  /// The HTTP layer's failure in Manatal's terms; a refused page is checked like any answer.
  static func error(_ failure: HTTPFailure, method: HTTPRequestSpec.Method, url: String) throws -> ManatalError {
    switch failure {
    case .unreachable: return ManatalError(.unreachable, failure.description)
    case .writeOutcomeUnknown: return ManatalError(.unknownOutcome, failure.description)
    case .rateLimited: return ManatalError(.rateLimited, failure.description)
    case .gaveUp(_, let status, _): return ManatalError(status == 429 ? .rateLimited : .server, failure.description)
    case .unsuccessful(let page, let result):
      try check(result, method: method, url: page)
      return ManatalError(.other, failure.description)
    case .badPage, .shutDown, .credentialNotAllowed: return ManatalError(.other, failure.description)
    }
  }

  /// Sends and checks the status; a non-2xx answer becomes a `ManatalError` with Manatal's words.
  @discardableResult
  func expect(
    _ method: HTTPRequestSpec.Method, _ url: String, body: [String: JSONValue]? = nil, idempotent: Bool? = nil
  ) async throws -> JSONValue {
    let result = try await send(method, url, body: body, idempotent: idempotent)
    try Self.check(result, method: method, url: url)
    return JSONValue.parse(result.body).flatMap { $0.object.map(JSONValue.object) } ?? [:]
  }

  static func check(_ result: HTTPResult, method: HTTPRequestSpec.Method, url: String) throws {
    guard !(200...299).contains(result.status) else { return }
    let what = "\(method.rawValue) \(Redaction.url(url)) answered \(result.status)"
    let detail = errorText(result.body)
    let message = detail.isEmpty ? what : "\(what): \(detail)"
    switch result.status {
    case 401: throw ManatalError(.badKey, message)
    case 402, 403: throw ManatalError(.forbidden, message)
    case 404: throw ManatalError(.notFound, message)
    case 400, 409, 422: throw ManatalError(.invalid, message)
    case 429: throw ManatalError(.rateLimited, message)
    case 500...599: throw ManatalError(.server, message)
    default: throw ManatalError(.other, message)
    }
  }

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
          throw ManatalError(.other, "GET \(Redaction.url(url)) did not answer with a JSON list")
        }
      }
    } catch let failure as HTTPFailure {
      throw try Self.error(failure, method: .GET, url: url)
    }
  }

  func jobsURL(_ query: String = "page_size=100") -> String { "\(base)/jobs/?\(query)" }
  func collectionURL(_ name: String) -> String { "\(base)/\(name)/" }

  /// Before a write is sent again (after its outcome was looked up): the policy's backoff, and
  /// the retry counted with the HTTP layer's.
  /// Creates an object with a POST, never two: when the answer leaves the outcome unknown (a
  /// 5xx, a connection reset after sending), `find` looks for it (by ownership tag or name)
  /// before the POST is sent again; with `lookFirst` (an interrupted earlier run), before the
  /// first one too. Returns the object's id, from `find` or from the created object.
  func createOnce<ID: Sendable>(
    _ url: String, body: [String: JSONValue], what: String, lookFirst: Bool = false,
    find: @Sendable () async throws -> ID?, id: (JSONValue) -> ID?
  ) async throws -> ID {
    var mustLook = lookFirst
    var attempts = 0
    while true {
      attempts += 1
      if mustLook, let found = try await find() { return found }
      do {
        let result = try await send(.POST, url, body: body)
        if (500...599).contains(result.status) && attempts < 4 {
          // The platform may have acted before failing: look before sending it again.
          mustLook = true
          try await pauseBeforeResend(attempt: attempts)
          continue
        }
        try Self.check(result, method: .POST, url: url)
        guard let created = JSONValue.parse(result.body), let value = id(created) else {
          throw ManatalError(.other, "Manatal created \(what) but answered without its id")
        }
        return value
      } catch let error as ManatalError where error.kind == .unknownOutcome && attempts < 4 {
        mustLook = true
        try await pauseBeforeResend(attempt: attempts)
      }
    }
  }

  func pauseBeforeResend(attempt: Int) async throws {
    http.counters.countRetry()
    try await Task.sleep(for: http.policy.delay(afterAttempt: attempt, retryAfter: nil))
  }
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
