import ArgumentParser
import BoardCore
import BoardEngine
import BoardHTTP
import BoardSpec
import BoardState
import Foundation

/// `boardctl sync …`: what sync rules did, which conflicts wait for a person, and the decisions.
struct SyncCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "sync", abstract: "Inspect sync rules and decide their conflicts.",
    subcommands: [Status.self, Conflicts.self, Resolve.self, Reset.self])

  struct Status: ReportingCommand {
    static let configuration = CommandConfiguration(
      commandName: "status",
      abstract: "Each sync rule's last run, cursor, links, conflicts and failures (from state; reads no board).")
    @OptionGroup var global: GlobalOptions

    func execute(_ terminal: Terminal) async throws -> ExitStatus {
      let workspace = try CheckedWorkspace.load(global.layout)
      guard !workspace.config.syncRules.isEmpty else {
        terminal.out("boards.d has no sync rules.\n")
        return .success
      }
      let (records, journal) = try await StateAccess.with(StateAccess.location(global.layout), create: false) { state in
        guard let state else { return ([StateRecord](), [JournalEntry]()) }
        return (try await PriorState.read(state).records, try await state.journal(limit: 10_000))
      }
      for status in SyncDecisions.status(workspace.config, records: records, journal: journal) {
        let arrow = status.direction == "two_way" ? "<->" : "->"
        var out = "sync.\(status.rule): \(status.from) \(arrow) \(status.to)\n"
        out +=
          "  links: \(status.links)" + (status.inReview > 0 ? ", \(status.inReview) waiting for review" : "") + "\n"
        out += "  cursor: \(status.watermark ?? "none yet (the next apply reads every record)")"
        if let target = status.targetWatermark { out += "; target cursor: \(target)" }
        out += "\n"
        if let last = status.lastRun {
          out += "  last run: \(last), \(status.done) done, \(status.failed) failed\n"
          for failure in status.failures { out += "    failed: \(failure)\n" }
        } else {
          out += "  last run: never\n"
        }
        terminal.out(TerminalText.escaped(out, keepingNewlines: true))
      }
      return .success
    }
  }

  struct Conflicts: ReportingCommand {
    static let configuration = CommandConfiguration(
      commandName: "conflicts",
      abstract: "Records whose field changed on both sides of a two-way rule, with both values, until resolved.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var keyOptions: KeyOptions
    @Flag(name: .long, help: "Show the values instead of masking them.")
    var showPersonalData = false
    @Argument(help: ArgumentHelp("Only this rule's conflicts.", valueName: "rule"))
    var rule: String?

    func execute(_ terminal: Terminal) async throws -> ExitStatus {
      try await Command.withHTTP(terminal) { http in
        let workspace = try CheckedWorkspace.load(global.layout)
        let connected = try workspace.connect(keyFile: keyOptions.keyFile, http: http)
        let state = try await StateAccess.open(StateAccess.location(global.layout), create: false)
        guard let pattern = AddressPattern(rule.map { "sync.\($0)" } ?? "sync"), pattern.parts.count <= 2 else {
          throw ValidationError("'\(rule ?? "")' is not a rule name")
        }
        let result = try await Planner(workspace: workspace, connected: connected, showPersonalData: showPersonalData)
          .plan(state: state, targets: [pattern], excludes: [])
        await state?.close()
        var count = 0
        for section in result.plan.sync {
          for change in section.changes where change.action == "conflict" {
            count += 1
            // Each piece escaped on its own: a value's newline cannot fake a line of this list.
            func shown(_ text: String) -> String { TerminalText.escaped(text) }
            var out = "\(shown(change.address.description)) → \(shown(change.targetID ?? "?"))\n"
            for field in change.fields {
              out +=
                "  \(shown(field.name)): \(shown(section.source)) has \"\(shown(field.before))\", \(shown(section.target)) has \"\(shown(field.after))\"\n"
            }
            out +=
              "  decide with: boardctl sync resolve \(shown(section.rule)) \(shown(change.address.name)) --take source|target\n"
            terminal.out(out)
          }
        }
        terminal.out(count == 0 ? "No conflicts.\n" : "\(count) conflict\(count == 1 ? "" : "s") waiting.\n")
        return .success
      }
    }
  }

  struct Resolve: ReportingCommand {
    static let configuration = CommandConfiguration(
      commandName: "resolve",
      abstract: "Settle a conflict: the side you take wins, and the other side is written.")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var keyOptions: KeyOptions
    @OptionGroup var lockOptions: LockOptions
    @Argument(help: ArgumentHelp("The rule.", valueName: "rule"))
    var rule: String
    @Argument(help: ArgumentHelp("The source record's id (the last part of its sync address).", valueName: "record"))
    var record: String
    @Option(name: .long, help: ArgumentHelp("Whose values win: source or target.", valueName: "side"))
    var take: String

    func execute(_ terminal: Terminal) async throws -> ExitStatus {
      guard let side = SyncDecisions.Side(rawValue: take) else {
        throw ValidationError("--take is source or target; got '\(take)'")
      }
      return try await Command.withHTTP(terminal) { http in
        let workspace = try CheckedWorkspace.load(global.layout)
        let connected = try workspace.connect(keyFile: keyOptions.keyFile, requireCredentials: true, http: http)
        let state = try await StateAccess.openForWriting(StateAccess.location(global.layout))
        let request = try lockOptions.request("sync resolve", terminal: terminal)
        let fields = try await StateAccess.withLock(state, request) { _ in
          try await SyncDecisions(workspace: workspace, connected: connected).resolve(
            rule: rule, record: record, take: side, state: state)
        }
        await state.close()
        terminal.out(
          TerminalText.escaped(
            "Resolved sync.\(rule).\(record): \(fields.joined(separator: ", ")) now as the \(side.rawValue) has \(fields.count == 1 ? "it" : "them")."
          ) + "\n")
        return .success
      }
    }
  }

  struct Reset: ReportingCommand {
    static let configuration = CommandConfiguration(
      commandName: "reset",
      abstract: "Forget a rule's cursor: the next apply reads every source record again.",
      discussion:
        "Links stay, so nothing is created twice; the next run costs one full listing of the source (and of the target for a two-way rule)."
    )
    @OptionGroup var global: GlobalOptions
    @OptionGroup var lockOptions: LockOptions
    @Argument(help: ArgumentHelp("The rule.", valueName: "rule"))
    var rule: String

    func execute(_ terminal: Terminal) async throws -> ExitStatus {
      let workspace = try CheckedWorkspace.load(global.layout)
      let state = try await StateAccess.openForWriting(StateAccess.location(global.layout))
      let request = try lockOptions.request("sync reset", terminal: terminal)
      let count = try await StateAccess.withLock(state, request) { _ in
        try await SyncDecisions(workspace: workspace, connected: ConnectedBoards()).reset(rule: rule, state: state)
      }
      await state.close()
      terminal.err(
        "Warning: the next apply reads every record of sync.\(TerminalText.escaped(rule))'s source again (one full listing); links keep it from creating anything twice.\n"
      )
      terminal.out(
        count == 0
          ? "sync.\(TerminalText.escaped(rule)) had no cursor yet.\n"
          : "Forgot sync.\(TerminalText.escaped(rule))'s cursor.\n")
      return .success
    }
  }
}
