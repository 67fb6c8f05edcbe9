/// A public key that credentials are sealed to (`kind: Recipient`).
public struct Recipient: Sendable, Hashable {
  public var name: String
  public var keyID: String
  /// Base64 of the X25519 public key.
  public var publicKey: String
  public var source: DocumentSource

  public init(name: String, keyID: String, publicKey: String, source: DocumentSource) {
    self.name = name
    self.keyID = keyID
    self.publicKey = publicKey
    self.source = source
  }
}

/// Sealed values (`kind: Credential`): per field, one ciphertext per recipient key.
public struct Credential: Sendable, Hashable {
  public struct Field: Sendable, Hashable {
    public var name: String
    public var sealedAt: String
    /// Base64 sealed boxes by recipient key id.
    public var ciphertexts: [String: String]
    public var source: DocumentSource

    public init(name: String, sealedAt: String, ciphertexts: [String: String], source: DocumentSource) {
      self.name = name
      self.sealedAt = sealedAt
      self.ciphertexts = ciphertexts
      self.source = source
    }
  }

  public var name: String
  /// Fields in file order.
  public var fields: [Field]
  public var source: DocumentSource

  public init(name: String, fields: [Field], source: DocumentSource) {
    self.name = name
    self.fields = fields
    self.source = source
  }

  public func field(_ name: String) -> Field? { fields.first { $0.name == name } }
}
