import ArgumentParser
import BoardCore
import BoardEngine
import BoardState
import Foundation

/// `boardctl forget person --email ADDRESS`: the right to erasure across every linked board.
struct ForgetCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "forget", abstract: "Erase a person's synced records.", subcommands: [Person.self])

  struct Person: ReportingCommand {
    static let configuration = CommandConfiguration(
      commandName: "person",
      abstract:
        "Plan (and with --apply, carry out) deleting or anonymising one person's records on every board a sync rule links them to, and removing their links.",
      discussion:
        "Each rule's retention action decides delete or anonymize (delete when it has none). Records no rule links are not touched. The journal names addresses, never the person."
    )
    @OptionGroup var global: GlobalOptions
    @OptionGroup var keyOptions: KeyOptions
    @OptionGroup var lockOptions: LockOptions
    @Option(name: .long, help: ArgumentHelp("The person's email address.", valueName: "address"))
    var email: String
    @Flag(name: .long, help: "Carry the plan out (without it, only show it).")
    var apply = false

    func execute(_ terminal: Terminal) async throws -> ExitStatus {
      try await Command.withHTTP(terminal) { http in
        let workspace = try CheckedWorkspace.load(global.layout)
        let connected = try workspace.connect(keyFile: keyOptions.keyFile, requireCredentials: true, http: http)
        let state = try await StateAccess.openForWriting(StateAccess.location(global.layout))
        let request = try lockOptions.request("forget person", terminal: terminal)
        let forgetting = PersonForgetting(workspace: workspace, connected: connected)
        let shown = PersonalData.mask(email)
        let done = try await StateAccess.withLock(state, request) { _ -> Int? in
          let steps = try await forgetting.plan(email: email, state: state)
          guard !steps.isEmpty else {
            terminal.out("No sync rule links \(TerminalText.escaped(shown)); nothing to forget.\n")
            return nil
          }
          for step in steps {
            let line =
              step.action == "unlink"
              ? "  - forget the link \(step.address)\n"
              : step.action == "keep"
                ? "  · \(step.board).\(step.object) \(step.id) stays (boardctl cannot erase \(step.object)); its link goes\n"
                : "  - \(step.action) \(step.board).\(step.object) \(step.id)\n"
            terminal.out(TerminalText.escaped(line, keepingNewlines: true))
          }
          guard apply else {
            terminal.out("Run again with --apply to carry this out.\n")
            return nil
          }
          return try await forgetting.execute(steps, email: email, state: state)
        }
        await state.close()
        if let done { terminal.out("Forgot \(TerminalText.escaped(shown)): \(done) steps done.\n") }
        return .success
      }
    }
  }
}
