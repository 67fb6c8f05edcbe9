import ArgumentParser
import Foundation
import Logging

/// The `boardctl` command line.
public struct BoardctlCommand: AsyncParsableCommand {
  public static let version = "0.1.0"

  public static let configuration = CommandConfiguration(
    commandName: "boardctl",
    abstract: "Configuration as code for job distribution: plan and apply job postings across boards.",
    discussion: """
      Exit codes: 0 success (no changes), 1 error, 2 changes present (plan --detailed-exitcode), \
      3 state locked, 4 saved plan stale. Global options (--config, --no-color) may come before \
      the command too: boardctl --config ../acme/boards.d plan.
      """,
    version: version,
    subcommands: [
      InitCommand.self, ValidateCommand.self, PlanCommand.self, ApplyCommand.self, PreviewCommand.self,
      StateCommand.self, ForceUnlockCommand.self, HistoryCommand.self, SchemaCommand.self, KeysCommand.self,
      SealCommand.self, ResealCommand.self, CredentialsCommand.self, BoardsCommand.self, ImportCommand.self,
      SyncCommand.self, ForgetCommand.self,
    ])

  public init() {}

  /// Parses the process's arguments and runs the command; the executable's whole body.
  public static func runMain() async {
    // Every module's loggers write to stderr at BOARDCTL_LOG's level (default warning).
    LoggingSystem.bootstrap { label in
      var handler = TerminalLogHandler(inner: StreamLogHandler.standardError(label: label))
      handler.logLevel = Command.logLevel
      return handler
    }
    await main(globalOptionsLast(Array(CommandLine.arguments.dropFirst())))
  }

  /// Moves global options written before the subcommand (`boardctl --config x plan`) after it,
  /// where each subcommand parses them, as git accepts `git -C dir status`.
  static func globalOptionsLast(_ arguments: [String]) -> [String] {
    var leading: [String] = []
    var rest = arguments[...]
    while let first = rest.first, first.hasPrefix("--") {
      let name = String(first.split(separator: "=", maxSplits: 1)[0])
      if GlobalOptions.flags.contains(first) {
        leading.append(first)
        rest = rest.dropFirst()
      } else if GlobalOptions.options.contains(name) {
        leading.append(first)
        rest = rest.dropFirst()
        if !first.contains("="), let value = rest.first {
          leading.append(value)
          rest = rest.dropFirst()
        }
      } else {
        break
      }
    }
    guard !leading.isEmpty else { return arguments }
    // The subcommand path: leading words that are not options (`state list`).
    var path: [String] = []
    while let word = rest.first, !word.hasPrefix("-") {
      path.append(word)
      rest = rest.dropFirst()
      if path.count == 2 { break }
    }
    return path + leading + rest
  }
}
