import BoardSecrets
import BoardSpec
import Foundation

/// The Credential document `seal` and `reseal` write: ciphertexts only, one per recipient key.
struct CredentialDocument {
  var name: String
  var fields: [String: (sealedAt: String, ciphertexts: [String: String])]

  var yaml: String {
    var text = "# Sealed with boardctl seal; only a recipient's private key opens these values. Commit this file.\n"
    text += "kind: Credential\nname: \(name)\nfields:\n"
    for field in fields.keys.sorted() {
      let (sealedAt, ciphertexts) = fields[field]!
      text += "  \(field):\n    sealed_at: \"\(sealedAt)\"\n    ciphertexts:\n"
      for keyID in ciphertexts.keys.sorted() { text += "      \"\(keyID)\": \(ciphertexts[keyID]!)\n" }
    }
    return text
  }

  /// A Recipient document's public key, checked against its key id.
  static func publicKey(of recipient: Recipient) throws -> PublicKey {
    guard let bytes = Data(base64Encoded: recipient.publicKey), bytes.count == 32 else {
      throw EngineError.user(
        "recipient '\(recipient.name)' at \(recipient.source.root.location) has a malformed public_key")
    }
    let key = PublicKey(name: recipient.name, bytes: [UInt8](bytes))
    guard key.id == recipient.keyID else {
      throw EngineError.user(
        "recipient '\(recipient.name)' at \(recipient.source.root.location): key_id does not match public_key")
    }
    return key
  }
}
