import ArgumentParser
import BoardEngine
import BoardSecrets
import BoardSpec
import Foundation

struct KeysCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "keys", abstract: "Manage the keys credentials are sealed to.",
    subcommands: [Generate.self, List.self])

  struct Generate: ReportingCommand {
    static let configuration = CommandConfiguration(
      commandName: "generate",
      abstract:
        "Make an X25519 key pair: the public key goes into boards.d/keys/NAME.yaml, the private key outside the repo.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The key's name, e.g. ci or alice-laptop.", valueName: "name"))
    var name: String
    @Flag(
      name: .long,
      help: "Print the private key once on standard output (for a CI secret store) instead of writing a file.")
    var stdout = false
    @Option(
      name: .long,
      help: ArgumentHelp("Write the private key here instead of the default key folder.", valueName: "path"))
    var keyFile: String?

    func execute(_ terminal: Terminal) async throws -> ExitStatus {
      let generated = try RecipientKeys.generate(
        name: name, layout: global.layout, keyFile: keyFile, printPrivateKey: stdout)
      if let text = generated.privateKeyText { terminal.out(text) }
      if let path = generated.privateKeyPath {
        terminal.err("Private key written to \(path) (mode 0600). Keep it out of the repository.\n")
      }
      terminal.err(
        "Public key \(generated.keyID) written to \(generated.documentPath). Run boardctl reseal to seal existing credentials to it.\n"
      )
      return .success
    }
  }

  struct List: ReportingCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "List recipient keys and the credentials sealed to each.")
    @OptionGroup var global: GlobalOptions

    func execute(_ terminal: Terminal) async throws -> ExitStatus {
      let config = try CheckedWorkspace.loadForSecrets(global.layout)
      if config.recipients.isEmpty {
        terminal.out("No recipient keys. Make one with: boardctl keys generate NAME\n")
      }
      for recipient in config.recipients {
        let sealed = config.credentials.filter { credential in
          credential.fields.contains { $0.ciphertexts[recipient.keyID] != nil }
        }.map(\.name)
        terminal.out(
          "\(recipient.keyID)  \(recipient.name)  credentials: \(sealed.isEmpty ? "(none)" : sealed.joined(separator: ", "))\n"
        )
      }
      return .success
    }
  }
}
