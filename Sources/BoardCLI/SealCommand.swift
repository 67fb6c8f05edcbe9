import ArgumentParser
import BoardSecrets
import BoardSpec
import Foundation

struct SealCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "seal",
    abstract: "Seal credential values read from standard input into boards.d/credentials/NAME.yaml.",
    discussion: """
      Values are never taken from arguments. On a terminal each field is asked for without echo; \
      otherwise standard input holds the value (one line per field when sealing several). Each \
      value is sealed to every Recipient key, bound to the workspace, the credential and the field.
      """)

  @OptionGroup var global: GlobalOptions
  @Argument(help: ArgumentHelp("The credential's name.", valueName: "name"))
  var name: String
  @Option(name: .long, help: ArgumentHelp("A field to seal (default: value). Repeatable.", valueName: "field"))
  var field: [String] = []

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    guard ConfigSchema.isValidName(name) else {
      throw CLIError("credential names are lowercase letters, digits and '-'; got '\(name)'")
    }
    let fields = field.isEmpty ? ["value"] : field
    for field in fields where !ConfigSchema.isValidFieldName(field) {
      throw CLIError("field names are lowercase letters, digits and '_'; got '\(field)'")
    }
    if Set(fields).count != fields.count { throw CLIError("a field is named twice") }
    let config = try SecretConfig.load(global.configDirectory)
    let recipients = try config.recipients.map { try CredentialFile.publicKey(of: $0) }
    guard !recipients.isEmpty else {
      throw CLIError("there are no recipient keys to seal to; make one first with: boardctl keys generate NAME")
    }
    let path = global.configDirectory + "/credentials/\(name).yaml"
    var credential = CredentialFile.Document(name: name, fields: [:])
    if let existing = config.credential(named: name) {
      let existingFile = existing.source.file
      guard URL(fileURLWithPath: existingFile).standardizedFileURL == URL(fileURLWithPath: path).standardizedFileURL
      else {
        throw CLIError(
          "credential '\(name)' is defined in \(existingFile); seal writes \(path). Move the document there first")
      }
      for field in existing.fields { credential.fields[field.name] = (field.sealedAt, field.ciphertexts) }
    }
    let values = try SecretFiles.readValues(for: fields, credential: name, terminal: terminal)
    let workspace = config.workspace?.name ?? CredentialFile.defaultWorkspace
    let now = Clock.current.now
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
            value, for: binding, to: recipient, fingerprintKey: fingerprintKey)
        } catch let error as SealError {
          throw CLIError("cannot seal field '\(field)': \(error.description); nothing was written")
        }
      }
      credential.fields[field] = (now, ciphertexts)
    }
    try SecretFiles.writeDocument(credential.yaml, to: path)
    terminal.err(
      "Sealed \(fields.map { "\(name).\($0)" }.joined(separator: ", ")) to \(recipients.map(\.id).joined(separator: ", ")) in \(path).\n"
    )
    return .success
  }
}

struct CredentialsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "credentials", abstract: "Inspect sealed credentials (never their values).",
    subcommands: [List.self])

  struct List: ReportingCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "Credentials with their fields, recipients and when each was sealed.")
    @OptionGroup var global: GlobalOptions

    func execute(_ terminal: Terminal) async throws -> ExitStatus {
      let config = try SecretConfig.load(global.configDirectory)
      if config.credentials.isEmpty {
        terminal.out("No credentials. Seal one with: boardctl seal NAME --field FIELD\n")
      }
      for credential in config.credentials {
        let users = config.boards.filter { $0.credential == credential.name }.map(\.name)
        terminal.out("\(credential.name)\(users.isEmpty ? "" : "  (used by \(users.joined(separator: ", ")))")\n")
        for field in credential.fields {
          terminal.out(
            "  \(field.name)  sealed \(field.sealedAt)  to \(field.ciphertexts.keys.sorted().joined(separator: ", "))\n"
          )
        }
      }
      return .success
    }
  }
}

/// The Credential document `seal` writes.
enum CredentialFile {
  /// The binding's workspace when the configuration has no Workspace document.
  static let defaultWorkspace = "default"

  struct Document {
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
  }

  static func publicKey(of recipient: Recipient) throws -> PublicKey {
    guard let bytes = Data(base64Encoded: recipient.publicKey), bytes.count == 32 else {
      throw CLIError("recipient '\(recipient.name)' at \(recipient.source.root.location) has a malformed public_key")
    }
    let key = PublicKey(name: recipient.name, bytes: [UInt8](bytes))
    guard key.id == recipient.keyID else {
      throw CLIError(
        "recipient '\(recipient.name)' at \(recipient.source.root.location): key_id does not match public_key")
    }
    return key
  }
}

struct ResealCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "reseal",
    abstract: "Seal every credential again to the current recipient keys (after adding or removing one).",
    discussion: "Needs a private key that opens the credentials: BOARDCTL_KEY, --key-file, or the key folder.")

  @OptionGroup var global: GlobalOptions
  @Option(name: .long, help: ArgumentHelp("A private key file to open the credentials with.", valueName: "path"))
  var keyFile: String?

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    let config = try SecretConfig.load(global.configDirectory)
    let recipients = try config.recipients.map { try CredentialFile.publicKey(of: $0) }
    guard !recipients.isEmpty else {
      throw CLIError("there are no recipient keys to seal to; make one first with: boardctl keys generate NAME")
    }
    let keys: KeyRing
    do { keys = try KeyRing.load(keyFile: keyFile) } catch let error as KeyRing.LoadError {
      throw CLIError(error.description)
    }
    let workspace = config.workspace?.name ?? CredentialFile.defaultWorkspace
    // Open everything first: a credential that cannot be opened stops the command before any write.
    var documents: [(path: String, document: CredentialFile.Document)] = []
    let otherFiles = Set(
      config.boards.map(\.source.file) + config.postings.map(\.source.file) + config.templates.map(\.source.file)
        + config.recipients.map(\.source.file) + (config.workspace?.source.map { [$0.file] } ?? []))
    for credential in config.credentials {
      let sharing = config.credentials.filter { $0.source.file == credential.source.file }.count > 1
      if sharing || otherFiles.contains(credential.source.file) {
        throw CLIError(
          "credential '\(credential.name)' shares \(credential.source.file) with other documents; reseal rewrites whole files, so move it to its own file (boardctl seal writes credentials/NAME.yaml); nothing was written"
        )
      }
      var document = CredentialFile.Document(name: credential.name, fields: [:])
      for field in credential.fields {
        let value: OpenedValue
        do {
          value = try CredentialOpener.open(credential, field: field.name, workspace: workspace, keys: keys)
        } catch let error as CredentialOpener.OpenError {
          throw CLIError(
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
              value.value, for: binding, to: recipient, fingerprintKey: value.fingerprintKey)
          }
        }
        document.fields[field.name] = (field.sealedAt, ciphertexts)
      }
      documents.append((credential.source.file, document))
    }
    for (path, document) in documents { try SecretFiles.writeDocument(document.yaml, to: path) }
    terminal.err(
      "Resealed \(documents.count) credential\(documents.count == 1 ? "" : "s") to \(recipients.map(\.id).joined(separator: ", ")).\n"
    )
    return .success
  }
}
