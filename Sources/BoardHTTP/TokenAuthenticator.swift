/// `Authorization: <scheme> <token>`: Manatal's `Token <key>` (its docs, not "Bearer").
public struct TokenAuthenticator: Authenticator {
  public let scheme: String
  let token: HTTPSecret

  public init(token: HTTPSecret, scheme: String = "Token") {
    self.scheme = scheme
    self.token = token
  }

  public func headers(for request: HTTPRequestSpec) async throws -> [(String, String)] {
    [("Authorization", "\(scheme) \(token.revealText())")]
  }

  public var description: String { "Authorization: \(scheme) \(token)" }
}
