import ArgumentParser
import Logging

/// The `boardctl` command line.
public struct BoardctlCommand: AsyncParsableCommand {
  public static let version = "0.1.0"

  public static let configuration = CommandConfiguration(
    commandName: "boardctl",
    abstract: "Configuration as code for job distribution: plan and apply job postings across boards.",
    discussion: """
      Exit codes: 0 success (no changes), 1 error, 2 changes present (plan --detailed-exitcode), \
      3 state locked, 4 saved plan stale.
      """,
    version: version,
    subcommands: [
      ValidateCommand.self, PlanCommand.self, ApplyCommand.self, StateCommand.self, ForceUnlockCommand.self,
      HistoryCommand.self, SchemaCommand.self, KeysCommand.self, SealCommand.self, ResealCommand.self,
      CredentialsCommand.self, BoardsCommand.self, ImportCommand.self,
    ])

  public init() {}

  /// Parses the process's arguments and runs the command; the executable's whole body.
  public static func runMain() async {
    // Every module's loggers write to stderr at BOARDCTL_LOG's level (default warning).
    LoggingSystem.bootstrap { label in
      var handler = StreamLogHandler.standardError(label: label)
      handler.logLevel = Command.logLevel
      return handler
    }
    await main()
  }
}
