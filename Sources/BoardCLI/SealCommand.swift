import ArgumentParser
import BoardEngine
import BoardSecrets
import BoardSpec
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

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
  @Option(
    name: .long,
    help: ArgumentHelp(
      "A host (host or host:port) the value may be sent to, bound inside the seal. Repeatable; default: the platform's own hosts for every board that uses the credential.",
      valueName: "host"))
  var host: [String] = []

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    let fields = field.isEmpty ? ["value"] : field
    let sealer = try CredentialSealer(layout: global.layout)
    // Check everything before asking for a value.
    _ = try sealer.checkSeal(name: name, fields: fields)
    let hosts = try sealer.hosts(for: name, requested: host)
    let values = try Self.readValues(for: fields, credential: name, terminal: terminal)
    let sealed = try sealer.seal(name: name, fields: fields, values: values, hosts: hosts, now: EngineClock.current.now)
    terminal.err(
      "Sealed \(fields.map { "\(name).\($0)" }.joined(separator: ", ")) to \(sealed.keyIDs.joined(separator: ", ")) in \(sealed.path)"
        + (field.isEmpty ? " (field 'value': pass --field to name another)" : "")
        + (hosts.map { "; it may be sent to \($0) only.\n" } ?? ".\n"))
    return .success
  }

  /// Reads one value per field from standard input: typed without echo on a terminal, else one
  /// line per field (a single field takes the whole input, less one final newline).
  static func readValues(for fields: [String], credential: String, terminal: Terminal) throws -> [Secret] {
    if Terminal.isTTY(0) {
      return try fields.map { field in
        terminal.err("Value for \(credential).\(field) (input hidden): ")
        let line = readHidden()
        terminal.err("\n")
        guard let line, !line.isEmpty else {
          throw EngineError.user("the value for field '\(field)' is empty; nothing was written")
        }
        return Secret(line)
      }
    }
    var data = FileHandle.standardInput.readDataToEndOfFile()
    defer { data.resetBytes(in: 0..<data.count) }
    var text = String(decoding: data, as: UTF8.self)
    if text.hasSuffix("\n") { text.removeLast() }
    if text.hasSuffix("\r") { text.removeLast() }
    let values =
      fields.count == 1 ? [text] : text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
    guard values.count == fields.count else {
      throw EngineError.user(
        "expected \(fields.count) lines on standard input, one per field (\(fields.joined(separator: ", "))), got \(values.count); nothing was written"
      )
    }
    return try zip(fields, values).map { field, value in
      guard !value.isEmpty else {
        throw EngineError.user("the value for field '\(field)' is empty; nothing was written")
      }
      return Secret(value)
    }
  }

  /// One line from a terminal with echo turned off.
  private static func readHidden() -> String? {
    var original = termios()
    let hasTerminal = tcgetattr(STDIN_FILENO, &original) == 0
    if hasTerminal {
      var silent = original
      silent.c_lflag &= ~tcflag_t(ECHO)
      tcsetattr(STDIN_FILENO, TCSANOW, &silent)
    }
    defer { if hasTerminal { tcsetattr(STDIN_FILENO, TCSANOW, &original) } }
    return Swift.readLine(strippingNewline: true)
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
      let config = try CheckedWorkspace.loadForSecrets(global.layout)
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

struct ResealCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "reseal",
    abstract: "Seal every credential again to the current recipient keys (after adding or removing one).",
    discussion: "Needs a private key that opens the credentials: BOARDCTL_KEY, --key-file, or the key folder.")

  @OptionGroup var global: GlobalOptions
  @Option(name: .long, help: ArgumentHelp("A private key file to open the credentials with.", valueName: "path"))
  var keyFile: String?

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    let resealed = try CredentialSealer(layout: global.layout).reseal(keyFile: keyFile)
    terminal.err(
      "Resealed \(resealed.count) credential\(resealed.count == 1 ? "" : "s") to \(resealed.keyIDs.joined(separator: ", ")).\n"
    )
    return .success
  }
}
