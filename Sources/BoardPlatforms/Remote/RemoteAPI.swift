import BoardCore
import BoardHTTP
import BoardSupport
import Foundation

/// What every platform's API client shares on top of the HTTP layer: JSON requests, an answer's
/// status turned into a `PlatformError` in the platform's own words, and creates that are never
/// sent twice. A platform supplies how its error bodies read and, where it differs, which kind
/// of failure a status is.
protocol RemoteAPI: Sendable {
  var http: BoardHTTPClient { get }
  /// The platform's name in messages ("Manatal", "Wix").
  static var platformName: String { get }
  /// The platform's words in an error body.
  static func errorText(_ body: Data) -> String
  /// What kind of failure a non-2xx answer is; the default reads the status alone.
  static func kind(status: Int, body: Data) -> PlatformError.Kind
}

extension RemoteAPI {
  static func kind(status: Int, body: Data) -> PlatformError.Kind {
    switch status {
    case 401: return .badKey
    case 402, 403: return .forbidden
    case 404: return .notFound
    case 400, 409, 422: return .invalid
    case 429: return .rateLimited
    case 500...599: return .server
    default: return .other
    }
  }

  /// One request; `url` is absolute. Connection failures become `PlatformError`s.
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

  /// The HTTP layer's failure in the platform's terms; a refused page is checked like any answer.
  static func error(_ failure: HTTPFailure, method: HTTPRequestSpec.Method, url: String) throws -> PlatformError {
    switch failure {
    case .unreachable: return PlatformError(.unreachable, failure.description)
    case .writeOutcomeUnknown: return PlatformError(.unknownOutcome, failure.description)
    case .rateLimited: return PlatformError(.rateLimited, failure.description)
    case .gaveUp(_, let status, _): return PlatformError(status == 429 ? .rateLimited : .server, failure.description)
    case .unsuccessful(let page, let result):
      try check(result, method: method, url: page)
      return PlatformError(.other, failure.description)
    case .badPage, .shutDown, .credentialNotAllowed: return PlatformError(.other, failure.description)
    }
  }

  /// Sends and checks the status; a non-2xx answer becomes a `PlatformError` with the
  /// platform's words. Returns the answer's JSON object (empty when it has none).
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
    throw PlatformError(kind(status: result.status, body: result.body), detail.isEmpty ? what : "\(what): \(detail)")
  }

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
          throw PlatformError(.other, "\(Self.platformName) created \(what) but answered without its id")
        }
        return value
      } catch let error as PlatformError where error.kind == .unknownOutcome && attempts < 4 {
        mustLook = true
        try await pauseBeforeResend(attempt: attempts)
      }
    }
  }

  /// Before a write is sent again (after its outcome was looked up): the policy's backoff, and
  /// the retry counted with the HTTP layer's.
  func pauseBeforeResend(attempt: Int) async throws {
    http.counters.countRetry()
    try await Task.sleep(for: http.policy.delay(afterAttempt: attempt, retryAfter: nil))
  }
}
