import ArgumentParser
import BoardCore
import BoardEngine
import BoardHTTP
import BoardSpec
import Foundation
import Logging
import Synchronization

/// A command whose errors become one message and an exit status: every command but `schema`.
protocol ReportingCommand: AsyncParsableCommand {
  var global: GlobalOptions { get }
  /// The `--format` of commands that have one: failures are reported in it too.
  var outputFormat: OutputFormat { get }
  /// The command's work; throws `EngineError` for anything the user should read.
  func execute(_ terminal: Terminal) async throws -> ExitStatus
}

extension ReportingCommand {
  var outputFormat: OutputFormat { .text }

  func run() async throws {
    var terminal = global.terminal
    terminal.format = outputFormat
    terminal.command = Self.configuration.commandName ?? ""
    if outputFormat == .github { terminal.colour = false }
    let start = ContinuousClock.now
    let status = await Command.run(terminal) { try await execute(terminal) }
    Command.logger.debug("command finished after \(ContinuousClock.now - start)")
    throw ExitCode(status.rawValue)
  }
}

/// Runs a command body and turns its errors into one message and an exit status: the one place
/// engine errors become text.
enum Command {
  /// Keeps large values alive until the process exits, so they are reclaimed with the address
  /// space instead of object by object (0.2 s for a 10,000-posting plan).
  static func keepUntilExit(_ values: any Sendable...) {
    Retained.shared.append(values)
  }

  private final class Retained: Sendable {
    static let shared = Retained()
    private let values = Mutex<[any Sendable]>([])
    func append(_ more: [any Sendable]) { values.withLock { $0 += more } }
  }

  /// An HTTP runtime for one command's length: its progress lines ("rate limited by manatal;
  /// waiting 43 s for the window") go to stderr, and its clients are shut down when `body` ends.
  static func withHTTP<Result>(_ terminal: Terminal, _ body: (HTTPRuntime) async throws -> Result) async throws
    -> Result
  {
    try await withHTTPRuntime(reporter: { terminal.err($0 + "\n") }, body)
  }

  static func run(_ terminal: Terminal, _ body: () async throws -> ExitStatus) async -> ExitStatus {
    do {
      return try await body()
    } catch let error as EngineError {
      // In a machine format the failure is a document on stdout (a pull-request comment is then
      // never empty); stderr keeps the text for whoever reads the log.
      let report = terminal.diagnosticReport(error.diagnostics, error: error.description)
      switch terminal.format {
      case .github:
        terminal.out(styled: DiagnosticRenderer.github(report))
        return status(of: error)
      case .json: terminal.out(styled: DiagnosticRenderer.json(report))
      case .markdown: terminal.out(styled: DiagnosticRenderer.markdown(report))
      case .text: break
      }
      var terminal = terminal
      terminal.format = .text
      terminal.report(error.diagnostics)
      let style = TextStyle(colour: terminal.colour && Terminal.isTTY(2))
      var message = style.red("error:") + " \(TerminalText.escaped(error.description, keepingNewlines: true))\n"
      if case .bug = error {
        message += "  note: this is a bug in boardctl; please report it with the command you ran\n"
      }
      terminal.err(styled: message)
      return status(of: error)
    } catch let error as ValidationError {
      terminal.err("error: \(error.message)\n")
      return .error
    } catch {
      terminal.err("error: \(error)\n  note: this is a bug in boardctl; please report it with the command you ran\n")
      return .error
    }
  }

  /// The exit status of each kind of engine error.
  static func status(of error: EngineError) -> ExitStatus {
    switch error {
    case .locked: return .locked
    case .stalePlan: return .stalePlan
    case .invalidConfiguration, .user, .bug: return .error
    }
  }

  /// Logs to stderr at `BOARDCTL_LOG` (trace, debug, info, notice, warning, error; default warning).
  static let logger: Logger = {
    var logger = Logger(label: "boardctl") { TerminalLogHandler(inner: StreamLogHandler.standardError(label: $0)) }
    logger.logLevel = logLevel
    return logger
  }()

  static let logLevel: Logger.Level =
    ProcessInfo.processInfo.environment["BOARDCTL_LOG"].flatMap { Logger.Level(rawValue: $0.lowercased()) } ?? .warning
}
