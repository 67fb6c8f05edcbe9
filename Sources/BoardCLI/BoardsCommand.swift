import ArgumentParser
import BoardCore
import BoardEngine
import BoardHTTP
import BoardSpec
import Foundation

struct BoardsCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "boards", abstract: "List boards and test their connections.", subcommands: [List.self, Test.self])

  struct List: ReportingCommand {
    static let configuration = CommandConfiguration(
      commandName: "list", abstract: "Every board: platform, tier, credential, and how many postings it carries.")
    @OptionGroup var global: GlobalOptions

    func execute(_ terminal: Terminal) async throws -> ExitStatus {
      let workspace = try CheckedWorkspace.load(global.layout)
      for board in workspace.config.boards {
        let postings = workspace.placements.filter { $0.board.name == board.name }.count
        terminal.out(
          "\(board.name.padded(to: 12)) \(board.platform.padded(to: 14)) \(board.tier.rawValue.padded(to: 8)) credential: \(board.credential ?? "none")  postings: \(postings)\n"
        )
      }
      return .success
    }
  }

  struct Test: ReportingCommand {
    static let configuration = CommandConfiguration(
      commandName: "test",
      abstract: "Test Connection: for each board, check it can be reached, authenticated and written.",
      discussion: "Prints one status card per board. Exit 1 if any board fails.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var keyOptions: KeyOptions
    @Argument(help: ArgumentHelp("Boards to test (default: all).", valueName: "name"))
    var names: [String] = []

    func execute(_ terminal: Terminal) async throws -> ExitStatus {
      try await Command.withHTTP(terminal) { http in try await test(terminal, http: http) }
    }

    private func test(_ terminal: Terminal, http: HTTPRuntime) async throws -> ExitStatus {
      let workspace = try CheckedWorkspace.load(global.layout)
      let known = workspace.config.boards.map(\.name)
      for name in names where !known.contains(name) {
        throw EngineError.user("no board named '\(name)'; the boards are \(known.joined(separator: ", "))")
      }
      let boards = workspace.config.boards.filter { names.isEmpty || names.contains($0.name) }
      let connected = try workspace.connect(keyFile: keyOptions.keyFile, tolerateFailures: true, http: http)
      var failed = 0
      let style = terminal.style
      for board in boards {
        let start = ContinuousClock.now
        var check: ConnectionCheck
        if let reason = connected.unopened[board.name] {
          check = ConnectionCheck(
            ok: false, summary: "not tested: the credential '\(board.credential ?? "?")' is not open", problem: reason,
            fix:
              "make the private key available (BOARDCTL_KEY, --key-file, or the key folder), or reseal the credential to this machine's key"
          )
        } else if let connection = connected.connections[board.name] {
          check = await connection.check()
        } else {
          let diagnostic = connected.failures[board.name]
          check = ConnectionCheck(
            ok: false, summary: "the board cannot be opened", problem: diagnostic?.message ?? "unknown",
            fix: "fix the setting at \(diagnostic?.location?.description ?? "its document")")
        }
        let elapsed = ContinuousClock.now - start
        let milliseconds = Int(
          elapsed.components.seconds * 1000 + elapsed.components.attoseconds / 1_000_000_000_000_000)
        if !check.ok { failed += 1 }
        // The summary, problem and fix may quote the platform's answer: escaped, as is the rest.
        func shown(_ text: String) -> String { TerminalText.escaped(text) }
        var card = "\(style.bold(shown(board.name))) (\(shown(board.platform)), \(board.tier.rawValue)): "
        card += check.ok ? style.green("OK") : style.red("FAILED")
        card += " in \(milliseconds) ms\n  \(shown(check.summary))\n"
        if let problem = check.problem { card += "  problem: \(shown(problem))\n" }
        if let fix = check.fix { card += "  fix: \(shown(fix))\n" }
        terminal.out(styled: card + "\n")
      }
      if failed > 0 {
        throw EngineError.user(
          "\(failed) of \(boards.count) board\(boards.count == 1 ? "" : "s") failed the connection test")
      }
      terminal.out("All \(boards.count) board\(boards.count == 1 ? "" : "s") passed.\n")
      return .success
    }
  }
}
