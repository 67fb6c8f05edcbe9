import BoardCore
import BoardPlatforms
import BoardSecrets
import BoardSpec
import BoardSupport
import Foundation

/// `seal` and `reseal`: values sealed to every recipient key, bound to the workspace, the
/// credential and the field; documents written only once everything sealed.
public struct CredentialSealer: Sendable {
  public let layout: ProjectLayout
  public let config: Config
  let platforms: [String: any Platform]

  public init(layout: ProjectLayout, platforms known: [any Platform] = Platforms.all) throws {
    self.layout = layout
    config = try CheckedWorkspace.loadForSecrets(layout)
    platforms = Dictionary(known.map { ($0.descriptor.id, $0) }, uniquingKeysWith: { first, _ in first })
  }

  /// The hosts a credential may be sent to: `requested` (each `host` or `host:port`), else
  /// those it was sealed for before (when a key at hand opens it), else the platform's own hosts
  /// for every board that uses it; nil when none names any (a credential no board sends, such
  /// as a state database URL).
  public func hosts(for name: String, requested: [String]) throws -> CredentialHosts? {
    if !requested.isEmpty {
      for text in requested where CredentialHosts.entry(from: text) == nil {
        throw EngineError.user("--host takes a host name, host:port or URL; '\(text)' is none; nothing was written")
      }
      return CredentialHosts(requested)
    }
    // Sealing a credential again (a rotated token, another field) keeps where it may go.
    if let credential = config.credential(named: name), let keys = try? KeyRing.load(keyFile: nil),
      let previous = credential.fields.lazy.compactMap({
        try? CredentialOpener.open(credential, field: $0.name, workspace: workspace, keys: keys)
      }).first
    {
      return previous.hosts
    }
    let defaults = config.boards.filter { $0.credential == name }.flatMap { board in
      platforms[board.platform]?.credentialDestinations(of: board)?.defaultHosts.entries ?? []
    }
    return defaults.isEmpty ? nil : CredentialHosts(defaults)
  }

  var workspace: String { config.workspace?.name ?? Workspace.defaultName }

  /// The recipient keys, checked; an error when there are none.
  func recipients() throws -> [PublicKey] {
    let keys = try config.recipients.map { try CredentialDocument.publicKey(of: $0) }
    guard !keys.isEmpty else {
      throw EngineError.user("there are no recipient keys to seal to; make one first with: boardctl keys generate NAME")
    }
    return keys
  }

  /// Checks a `seal` request before any value is read.
  public func checkSeal(name: String, fields: [String]) throws -> (path: String, recipients: [PublicKey]) {
    guard ConfigSchema.isValidName(name) else {
      throw EngineError.user("credential names are lowercase letters, digits and '-'; got '\(name)'")
    }
    for field in fields where !ConfigSchema.isValidFieldName(field) {
      throw EngineError.user("field names are lowercase letters, digits and '_'; got '\(field)'")
    }
    if Set(fields).count != fields.count { throw EngineError.user("a field is named twice") }
    let recipients = try recipients()
    let path = layout.credentialPath(name)
    if let existing = config.credential(named: name),
      URL(fileURLWithPath: existing.source.file).standardizedFileURL != URL(fileURLWithPath: path).standardizedFileURL
    {
      throw EngineError.user(
        "credential '\(name)' is defined in \(existing.source.file); seal writes \(path). Move the document there first"
      )
    }
    return (path, recipients)
  }

  /// Seals `values` as the credential's `fields` (other fields kept) and writes its document;
  /// returns the file written and the key ids sealed to.
  public func seal(name: String, fields: [String], values: [Secret], hosts: CredentialHosts?, now: String) throws -> (
    path: String, keyIDs: [String]
  ) {
    let (path, recipients) = try checkSeal(name: name, fields: fields)
    var document = CredentialDocument(name: name, fields: [:])
    for field in config.credential(named: name)?.fields ?? [] {
      document.fields[field.name] = (field.sealedAt, field.ciphertexts)
    }
    // A private key at hand opens the field's previous value: keeping its fingerprint key means
    // sealing the same value again does not show as a change in the next plan.
    let keys = try? KeyRing.load(keyFile: nil)
    for (field, value) in zip(fields, values) {
      let binding = SealBinding(workspace: workspace, credential: name, field: field)
      let previous = config.credential(named: name).flatMap { credential in
        keys.flatMap { try? CredentialOpener.open(credential, field: field, workspace: workspace, keys: $0) }
      }
      let fingerprintKey = previous?.fingerprintKey ?? Sealing.newFingerprintKey()
      var ciphertexts: [String: String] = [:]
      for recipient in recipients {
        do {
          ciphertexts[recipient.id] = try Sealing.seal(
            value, for: binding, to: recipient, fingerprintKey: fingerprintKey, hosts: hosts)
        } catch let error as SealError {
          throw EngineError.user("cannot seal field '\(field)': \(error.description); nothing was written")
        }
      }
      document.fields[field] = (now, ciphertexts)
    }
    try SecretFiles.writeDocument(document.yaml, to: path, root: layout.root)
    return (path, recipients.map(\.id))
  }

  /// Seals every credential again to the current recipients (keeping ciphertexts already sealed
  /// to a recipient, dropping retired ones); writes nothing unless every credential opens.
  /// Returns how many credentials were written and to which key ids.
  public func reseal(keyFile: String?) throws -> (count: Int, keyIDs: [String]) {
    let recipients = try recipients()
    let keys: KeyRing
    do { keys = try KeyRing.load(keyFile: keyFile) } catch let error as KeyRing.LoadError {
      throw EngineError.user(error.description)
    }
    var documents: [(path: String, document: CredentialDocument)] = []
    let otherFiles = Set(
      config.boards.map(\.source.file) + config.postings.map(\.source.file) + config.templates.map(\.source.file)
        + config.recipients.map(\.source.file) + (config.workspace?.source.map { [$0.file] } ?? []))
    for credential in config.credentials {
      let sharing = config.credentials.filter { $0.source.file == credential.source.file }.count > 1
      if sharing || otherFiles.contains(credential.source.file) {
        throw EngineError.user(
          "credential '\(credential.name)' shares \(credential.source.file) with other documents; reseal rewrites whole files, so move it to its own file (boardctl seal writes credentials/NAME.yaml); nothing was written"
        )
      }
      var document = CredentialDocument(name: credential.name, fields: [:])
      for field in credential.fields {
        let value: OpenedValue
        do {
          value = try CredentialOpener.open(credential, field: field.name, workspace: workspace, keys: keys)
        } catch let error as CredentialOpener.OpenError {
          throw EngineError.user(
            "a credential could not be opened; nothing was written",
            diagnostics: [.error(error.description, at: error.location)])
        }
        let binding = SealBinding(workspace: workspace, credential: credential.name, field: field.name)
        var ciphertexts: [String: String] = [:]
        for recipient in recipients {
          // Keep a ciphertext that is already sealed to this recipient: only new recipients change.
          if let existing = field.ciphertexts[recipient.id] {
            ciphertexts[recipient.id] = existing
          } else {
            ciphertexts[recipient.id] = try Sealing.seal(
              value.value, for: binding, to: recipient, fingerprintKey: value.fingerprintKey, hosts: value.hosts)
          }
        }
        document.fields[field.name] = (field.sealedAt, ciphertexts)
      }
      documents.append((credential.source.file, document))
    }
    for (path, document) in documents { try SecretFiles.writeDocument(document.yaml, to: path, root: layout.root) }
    return (documents.count, recipients.map(\.id))
  }
}
