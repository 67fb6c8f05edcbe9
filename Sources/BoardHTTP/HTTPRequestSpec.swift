import Foundation

/// One request as an adapter describes it; the client adds authentication on every attempt.
public struct HTTPRequestSpec: Sendable {
  public enum Method: String, Sendable {
    case GET, POST, PATCH, PUT, DELETE
  }

  public var method: Method
  public var url: String
  public var headers: [(String, String)]
  public var body: Data?
  /// Sending it twice has the same effect as once (GET, PUT, DELETE, and a PATCH that sets
  /// absolute values), so it may be retried whatever happened to the first attempt.
  public var idempotent: Bool

  public init(
    _ method: Method, _ url: String, headers: [(String, String)] = [], body: Data? = nil, idempotent: Bool? = nil
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.idempotent = idempotent ?? [.GET, .PUT, .DELETE].contains(method)
  }
}
