import BoardSpec
import CSodium
import Foundation

/// Checks Recipient and Credential documents without opening anything: keys well formed, every
/// field sealed to every current recipient and to no retired one.
public enum CredentialChecker {
  public static func check(_ config: Config) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    var current: [String: Recipient] = [:]
    for recipient in config.recipients {
      guard let bytes = Data(base64Encoded: recipient.publicKey), bytes.count == Int(crypto_box_publickeybytes())
      else {
        diagnostics.append(
          .error(
            "recipient '\(recipient.name)': public_key is not an X25519 public key (32 bytes, base64)",
            at: recipient.source.location(of: "public_key")))
        continue
      }
      let expected = PublicKey(name: recipient.name, bytes: [UInt8](bytes)).id
      if recipient.keyID != expected {
        diagnostics.append(
          .error(
            "recipient '\(recipient.name)': key_id '\(recipient.keyID)' does not match its public key (expected '\(expected)'); regenerate the document with boardctl keys generate",
            at: recipient.source.location(of: "key_id")))
        continue
      }
      current[recipient.keyID] = recipient
    }
    for credential in config.credentials {
      for field in credential.fields {
        let path = "fields.\(field.name)"
        for (keyID, ciphertext) in field.ciphertexts.sorted(by: { $0.key < $1.key }) {
          let location = field.source.location(of: "\(path).ciphertexts.\(keyID)")
          if let data = Data(base64Encoded: ciphertext), data.count > Int(crypto_box_sealbytes()) {
            if current[keyID] == nil {
              diagnostics.append(
                .warning(
                  "credential '\(credential.name)' field '\(field.name)' is sealed to '\(keyID)', which is no longer a recipient; run boardctl reseal",
                  at: location))
            }
          } else {
            diagnostics.append(
              .error(
                "credential '\(credential.name)' field '\(field.name)': the ciphertext for '\(keyID)' is not a sealed value (damaged?); seal it again",
                at: location))
          }
        }
        for keyID in current.keys.sorted() where field.ciphertexts[keyID] == nil {
          diagnostics.append(
            .warning(
              "credential '\(credential.name)' field '\(field.name)' is not sealed to recipient '\(keyID)'; run boardctl reseal",
              at: field.source.location(of: path)))
        }
      }
    }
    return diagnostics
  }
}
