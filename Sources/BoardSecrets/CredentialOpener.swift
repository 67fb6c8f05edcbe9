import BoardCore
import BoardSpec
import BoardSupport

/// Opens credential fields with whatever private keys are at hand.
public enum CredentialOpener {
  /// Why a field could not be opened; names files and key ids, never values.
  public struct OpenError: Error, CustomStringConvertible, Sendable {
    public var description: String
    public var location: SourceLocation?
    /// True when no key at hand is one the value is sealed to: a machine without the key (a pull
    /// request from a fork) plans against state only. False when a key is at hand and the
    /// document is wrong (tampered, truncated, bound to another workspace or field, no such
    /// field): an error wherever it is found.
    public var noKey: Bool

    public init(description: String, location: SourceLocation?, noKey: Bool = false) {
      self.description = description
      self.location = location
      self.noKey = noKey
    }
  }

  /// The value of `field`, from the first ciphertext a key in `keys` opens.
  public static func open(
    _ credential: Credential, field name: String, workspace: String, keys: KeyRing
  ) throws -> OpenedValue {
    guard let field = credential.field(name) else {
      throw OpenError(
        description:
          "credential '\(credential.name)' has no field '\(name)'; seal it with boardctl seal \(credential.name) --field \(name)",
        location: credential.source.root.location)
    }
    let binding = SealBinding(workspace: workspace, credential: credential.name, field: name)
    let usable = field.ciphertexts.keys.sorted().filter { keys.key(for: $0) != nil }
    guard let keyID = usable.first, let key = keys.key(for: keyID) else {
      let present = keys.keys.map(\.publicKey.id)
      throw OpenError(
        description:
          "no private key opens credential '\(credential.name)' field '\(name)': it is sealed to \(field.ciphertexts.keys.sorted().joined(separator: ", ")); keys available: \(present.isEmpty ? "none" : present.joined(separator: ", ")). Set BOARDCTL_KEY, pass --key-file, or put the key in \(KeyRing.defaultFolder())",
        location: field.source.location(of: "fields.\(name)"), noKey: true)
    }
    do {
      return try Sealing.open(field.ciphertexts[keyID]!, for: binding, with: key)
    } catch let error as SealError {
      throw OpenError(
        description: "credential '\(credential.name)' field '\(name)': \(error.description)",
        location: field.source.location(of: "fields.\(name).ciphertexts.\(keyID)"))
    }
  }
}

extension CredentialOpener {
  /// Every field of `credential`, opened, with its keyed fingerprint: what a board that uses it
  /// gets for one command.
  public static func openAll(_ credential: Credential, workspace: String, keys: KeyRing) throws -> OpenedCredential {
    var fields: [String: any SensitiveValue] = [:]
    var fingerprints: [String: String] = [:]
    var hosts: CredentialHosts?
    for field in credential.fields {
      let value = try open(credential, field: field.name, workspace: workspace, keys: keys)
      fields[field.name] = value.value
      // Every field's hosts bind: the credential goes only where all of them allow.
      if let sealed = value.hosts {
        hosts = hosts.map { CredentialHosts($0.entries.filter(sealed.entries.contains)) } ?? sealed
      }
      fingerprints[field.name] = value.fingerprint(
        binding: SealBinding(workspace: workspace, credential: credential.name, field: field.name))
    }
    return OpenedCredential(name: credential.name, fields: fields, fingerprints: fingerprints, hosts: hosts)
  }
}
