import ArgumentParser
import BoardEngine
import BoardSpec
import BoardState
import Foundation

/// Options every command that reads the configuration takes (before or after the subcommand).
struct GlobalOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The config folder (default: $BOARDCTL_CONFIG, else ./boards.d, else the nearest boards.d in a parent folder).",
      valueName: "dir"))
  var config: String?

  @Flag(name: .long, help: "Never colour output (NO_COLOR is honoured too).")
  var noColor = false

  @Flag(name: .long, help: "List every warning, instead of one line per rule broken by many postings.")
  var verbose = false

  /// The project's layout, derived once from the options, the environment and the current folder.
  var layout: ProjectLayout { ProjectLayout.discover(config: config) }

  var terminal: Terminal { Terminal(colour: Terminal.colourEnabled(noColorFlag: noColor), verbose: verbose) }

  /// The options that are global, as `runMain` moves them after the subcommand.
  static let flags: Set<String> = ["--no-color", "--verbose"]
  static let options: Set<String> = ["--config"]
}

/// How long to wait for the state lock.
struct LockOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Wait this long for the state lock, e.g. 30s or 2m (default: fail at once).", valueName: "duration"))
  var lockTimeout: String?

  func seconds() throws -> Double {
    guard let text = lockTimeout else { return 0 }
    guard let value = DurationText.seconds(text) else {
      throw ValidationError("--lock-timeout takes a duration such as 30s, 2m or 500ms; got '\(text)'")
    }
    return value
  }

  /// A lock request for `operation` that reports waiting and takeovers on the terminal.
  func request(_ operation: String, terminal: Terminal) throws -> LockRequest {
    let timeout = try seconds()
    return LockRequest(
      operation: operation, timeout: .milliseconds(Int64(timeout * 1000)),
      onWaiting: { holder in
        terminal.err("Waiting up to \(Int(timeout))s for the state lock held by \(holder.summary)...\n")
      },
      onTakeover: { gone in
        terminal.err(
          "Taking over the state lock of \(gone.summary): its holder is gone (an interrupted run). Its unfinished actions are checked before acting again.\n"
        )
      })
  }
}

/// Where private keys come from, for commands that open credentials to reach a platform.
struct KeyOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "A private key file (besides BOARDCTL_KEY and the key folder) to open credentials with.", valueName: "path"))
  var keyFile: String?
}
