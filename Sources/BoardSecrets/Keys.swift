import BoardSpec
import BoardSupport
import CSodium
import Foundation

/// A recipient's X25519 public key, committed in the configuration as a `Recipient` document.
public struct PublicKey: Sendable, Hashable {
  /// `name:fingerprint`, e.g. `ci:3f2a9c1d`; names the key in ciphertexts and messages.
  public let id: String
  public let bytes: [UInt8]

  public init(name: String, bytes: [UInt8]) {
    self.bytes = bytes
    id = "\(name):\(Self.fingerprint(bytes))"
  }

  public var base64: String { Data(bytes).base64EncodedString() }

  /// The first 8 hex digits of the key's BLAKE2b hash.
  public static func fingerprint(_ bytes: [UInt8]) -> String {
    String(Sodium.hash(bytes, length: 16).hexString.prefix(8))
  }
}

/// A private key: the X25519 secret key and the public key it belongs to.
public struct PrivateKey: Sendable {
  public let publicKey: PublicKey
  let secret: Secret

  /// The text form written to key files and accepted in `BOARDCTL_KEY`:
  /// `boardctl-key-v1:<name>:<base64 public key>:<base64 secret key>`.
  public var fileText: String {
    let name = publicKey.id.split(separator: ":").first.map(String.init) ?? "key"
    return secret.reveal { bytes in
      "boardctl-key-v1:\(name):\(publicKey.base64):\(Data(bytes).base64EncodedString())\n"
    }
  }

  /// Parses a key file's text; nil when it is not one.
  public init?(fileText: String) {
    let parts = fileText.trimmingCharacters(in: .whitespacesAndNewlines).split(separator: ":")
    guard parts.count == 4, parts[0] == "boardctl-key-v1",
      let publicBytes = Data(base64Encoded: String(parts[2])), publicBytes.count == Int(crypto_box_publickeybytes()),
      let secretBytes = Data(base64Encoded: String(parts[3])), secretBytes.count == Int(crypto_box_secretkeybytes())
    else { return nil }
    // The public key must be the one the secret key derives.
    var derived = [UInt8](repeating: 0, count: Int(crypto_box_publickeybytes()))
    let secret = [UInt8](secretBytes)
    guard crypto_scalarmult_base(&derived, secret) == 0, derived == [UInt8](publicBytes) else { return nil }
    self.publicKey = PublicKey(name: String(parts[1]), bytes: derived)
    self.secret = Secret(secret)
  }

  init(publicKey: PublicKey, secret: Secret) {
    self.publicKey = publicKey
    self.secret = secret
  }

  /// A new X25519 key pair named `name`.
  public static func generate(name: String) -> PrivateKey {
    precondition(Sodium.ready, "libsodium failed to initialise")
    var publicBytes = [UInt8](repeating: 0, count: Int(crypto_box_publickeybytes()))
    var secretBytes = [UInt8](repeating: 0, count: Int(crypto_box_secretkeybytes()))
    crypto_box_keypair(&publicBytes, &secretBytes)
    defer { sodium_memzero(&secretBytes, secretBytes.count) }
    return PrivateKey(publicKey: PublicKey(name: name, bytes: publicBytes), secret: Secret(secretBytes))
  }
}
