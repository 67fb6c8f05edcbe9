/// Why a call to a platform failed, in words a user can act on. Never contains a credential.
struct PlatformError: Error, CustomStringConvertible, Sendable {
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
