import BoardSupport

/// A board's credential, opened for the length of one command.
public struct OpenedCredential: Sendable {
  public var name: String
  public var fields: [String: any SensitiveValue]
  /// Keyed fingerprints per field: state and plans know values only by these.
  public var fingerprints: [String: String]
  /// The hosts it was sealed for; nil when sealed before credentials carried hosts (then the
  /// platform's default hosts only).
  public var hosts: CredentialHosts?

  public init(
    name: String, fields: [String: any SensitiveValue], fingerprints: [String: String], hosts: CredentialHosts? = nil
  ) {
    self.name = name
    self.fields = fields
    self.fingerprints = fingerprints
    self.hosts = hosts
  }

  /// The address of the resource that records the credential's fingerprints on a board.
  public static func address(board: String, credential: String) -> Address {
    Address(board: board, object: .credential, name: credential)
  }
}
