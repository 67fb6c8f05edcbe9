/// Builds the headers that authenticate a request. The client asks before every attempt, so a
/// retry carries whatever the authenticator holds then (a token renewed in between included).
///
/// Static keys need only `headers(for:)`: `TokenAuthenticator` (Manatal), `WixKeyAuthenticator`.
/// Where the next ones go, when a platform needs them:
/// - OAuth2 client credentials (LinkedIn, Google): an actor that caches the access token and its
///   expiry; `headers(for:)` fetches a token when none is fresh (with a `BoardHTTPClient` of its
///   own, at the token endpoint), and `renew(afterRejecting:)` drops the cached one after a 401.
/// - Google service accounts: the same, with a signed JWT assertion (jwt-kit) exchanged for the
///   token instead of a client secret.
public protocol Authenticator: Sendable, CustomStringConvertible {
  /// The headers that authenticate one attempt of `request`; may fetch or renew a credential.
  func headers(for request: HTTPRequestSpec) async throws -> [(String, String)]

  /// The platform answered 401 to headers built by this authenticator. Renew what can be renewed
  /// and return true to have the request sent once more, or false to return the 401 as it is.
  func renew(afterRejecting request: HTTPRequestSpec) async throws -> Bool
}

extension Authenticator {
  /// A static key cannot be renewed: a 401 is the answer.
  public func renew(afterRejecting request: HTTPRequestSpec) async throws -> Bool { false }
}
