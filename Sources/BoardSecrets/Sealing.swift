import BoardSpec
import BoardSupport
import CSodium
import Foundation

/// What a ciphertext is bound to: opening it anywhere else fails.
public struct SealBinding: Sendable, Hashable, Codable {
  public var workspace: String
  public var credential: String
  public var field: String

  public init(workspace: String, credential: String, field: String) {
    self.workspace = workspace
    self.credential = credential
    self.field = field
  }

  public var description: String { "\(workspace)/\(credential).\(field)" }
}

/// Why a ciphertext did not open. Messages never contain the value.
public enum SealError: Error, Sendable, Equatable, CustomStringConvertible {
  /// Not base64, or too short to be a sealed box.
  case malformed
  /// The box did not open with this key: damaged, or sealed to another key.
  case cannotOpen(keyID: String)
  /// It opened, but was sealed for another credential or field.
  case wrongBinding(expected: SealBinding, found: SealBinding)
  case emptyValue

  public var description: String {
    switch self {
    case .malformed: return "the ciphertext is not a sealed value (not base64, or truncated)"
    case .cannotOpen(let keyID):
      return "the ciphertext does not open with key \(keyID): it was changed, or sealed to a different key"
    case .wrongBinding(let expected, let found):
      return
        "the ciphertext was sealed for \(found.description), not \(expected.description): it was copied from another credential or field; seal the value again"
    case .emptyValue: return "the value is empty"
    }
  }
}

/// A value opened from its ciphertext, with the key its fingerprints are made with.
public struct OpenedValue: Sendable {
  public var value: Secret
  /// The field's fingerprint key, sealed beside the value: the same for every recipient, so
  /// every holder of a private key computes the same fingerprint.
  public var fingerprintKey: Secret
  /// The hosts the value may be sent to, sealed with it; nil when sealed before values carried
  /// them (then only the platform's default hosts).
  public var hosts: CredentialHosts?

  /// The keyed fingerprint state keeps: equal values give equal fingerprints, and it reveals
  /// nothing about the value without the key, which only holders of a private key can open.
  public func fingerprint(binding: SealBinding) -> String {
    Sealing.fingerprint(value, binding: binding, fingerprintKey: fingerprintKey)
  }
}

/// `crypto_box_seal` over an envelope that binds the value to its workspace, credential and field.
public enum Sealing {
  struct Envelope: Codable {
    var v = 1
    var binding: SealBinding
    var value: String
    /// Base64 of the field's fingerprint key (absent in envelopes sealed before it existed).
    var fk: String?
    /// The hosts the value may be sent to (absent in envelopes sealed before they existed).
    var hosts: [String]?
  }

  /// A new random fingerprint key, for a field sealed for the first time.
  public static func newFingerprintKey() -> Secret { Secret(Sodium.randomBytes(32)) }

  /// Seals `value` for `binding` to one recipient; returns base64. Every recipient of one field
  /// gets the same `fingerprintKey`.
  public static func seal(
    _ value: Secret, for binding: SealBinding, to recipient: PublicKey,
    fingerprintKey: Secret = Sealing.newFingerprintKey(), hosts: CredentialHosts? = nil
  ) throws -> String {
    precondition(Sodium.ready, "libsodium failed to initialise")
    guard value.count > 0 else { throw SealError.emptyValue }
    var envelope = value.reveal { bytes in
      fingerprintKey.reveal { key in
        (try? JSONEncoder().encode(
          Envelope(
            binding: binding, value: Data(bytes).base64EncodedString(), fk: Data(key).base64EncodedString(),
            hosts: hosts?.entries)))
          ?? Data()
      }
    }
    defer { envelope.resetBytes(in: 0..<envelope.count) }
    var box = [UInt8](repeating: 0, count: envelope.count + Int(crypto_box_sealbytes()))
    var plain = [UInt8](envelope)
    defer { sodium_memzero(&plain, plain.count) }
    guard crypto_box_seal(&box, plain, UInt64(plain.count), recipient.bytes) == 0 else { throw SealError.malformed }
    return Data(box).base64EncodedString()
  }

  /// Opens a base64 ciphertext with `key`, checking it was sealed for `binding`.
  public static func open(_ ciphertext: String, for binding: SealBinding, with key: PrivateKey) throws -> OpenedValue {
    precondition(Sodium.ready, "libsodium failed to initialise")
    guard let data = Data(base64Encoded: ciphertext), data.count > Int(crypto_box_sealbytes()) else {
      throw SealError.malformed
    }
    let box = [UInt8](data)
    var plain = [UInt8](repeating: 0, count: box.count - Int(crypto_box_sealbytes()))
    defer { sodium_memzero(&plain, plain.count) }
    let opened = key.secret.reveal { secret in
      crypto_box_seal_open(&plain, box, UInt64(box.count), key.publicKey.bytes, secret.baseAddress!)
    }
    guard opened == 0 else { throw SealError.cannotOpen(keyID: key.publicKey.id) }
    guard let envelope = try? JSONDecoder().decode(Envelope.self, from: Data(plain)),
      var value = Data(base64Encoded: envelope.value)
    else { throw SealError.malformed }
    defer { value.resetBytes(in: 0..<value.count) }
    guard envelope.binding == binding else { throw SealError.wrongBinding(expected: binding, found: envelope.binding) }
    var fingerprintKey: [UInt8]
    if let fk = envelope.fk.flatMap({ Data(base64Encoded: $0) }), fk.count == 32 {
      fingerprintKey = [UInt8](fk)
    } else {
      // Sealed before envelopes carried a fingerprint key: derive one from the private key.
      fingerprintKey = key.secret.reveal { Sodium.hash(Array("boardctl-fingerprint-v1".utf8) + Array($0), length: 32) }
    }
    defer { sodium_memzero(&fingerprintKey, fingerprintKey.count) }
    return OpenedValue(
      value: Secret([UInt8](value)), fingerprintKey: Secret(fingerprintKey),
      hosts: envelope.hosts.map(CredentialHosts.init))
  }

  /// A keyed fingerprint of a value for state (BLAKE2b keyed with the field's fingerprint key).
  public static func fingerprint(_ value: Secret, binding: SealBinding, fingerprintKey: Secret) -> String {
    let key = fingerprintKey.reveal { Array($0) }
    let message = Array(binding.description.utf8) + [0] + value.reveal { Array($0) }
    return Sodium.hash(message, key: key, length: 16).hexString
  }
}
