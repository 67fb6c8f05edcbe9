import ArgumentParser
import BoardCore
import BoardEngine
import BoardSpec
import BoardState
import Foundation

struct StateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "state", abstract: "Inspect, edit and move the state.",
    subcommands: [List.self, Show.self, Remove.self, MigrateCommand.self])

  struct List: ReportingCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every resource in state.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("Only addresses matching these patterns.", valueName: "address"))
    var patterns: [String] = []

    func execute(_ terminal: Terminal) async throws -> ExitStatus {
      let selected = try StateCommand.patterns(patterns)
      for record in try await StateCommand.records(global.layout)
      where selected.isEmpty || selected.contains(where: { $0.matches(record.address) }) {
        terminal.out("\(record.address)\(record.status == .open ? "" : "  (\(record.status.rawValue))")\n")
      }
      return .success
    }
  }

  struct Show: ReportingCommand {
    static let configuration = CommandConfiguration(commandName: "show", abstract: "Show one resource's state.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("The resource's address.", valueName: "address"))
    var address: String

    func execute(_ terminal: Terminal) async throws -> ExitStatus {
      guard let parsed = Address(address) else {
        throw EngineError.user("'\(address)' is not an address; addresses look like careers.page.backend-engineer")
      }
      guard let record = try await StateCommand.records(global.layout).first(where: { $0.address == parsed }) else {
        throw EngineError.user("no resource '\(address)' in state; boardctl state list shows what there is")
      }
      var out = "# \(record.address)\n"
      out += "platform        = \(record.platform)\n"
      out += "status          = \(record.status.rawValue)\n"
      out += "on_remove       = \(record.onRemove.rawValue)\n"
      if let id = record.remoteID { out += "remote_id       = \(id)\n" }
      if let first = record.firstPublished { out += "first_published = \(first)\n" }
      out += "updated_at      = \(record.updatedAt)\n\nattributes:\n"
      let width = record.attributes.keys.map(\.count).max() ?? 0
      for key in record.attributes.keys.sorted() {
        out += "  \(key.padded(to: width)) = \(record.attributes[key]!)\n"
      }
      terminal.out(out)
      return .success
    }
  }

  struct Remove: ReportingCommand {
    static let configuration = CommandConfiguration(
      commandName: "rm", abstract: "Forget resources without touching the boards (they stay published, unmanaged).")
    @OptionGroup var global: GlobalOptions
    @OptionGroup var lockOptions: LockOptions
    @Argument(
      help: ArgumentHelp("Addresses or patterns (careers, careers.page, careers.page.name).", valueName: "address"))
    var patterns: [String]

    func execute(_ terminal: Terminal) async throws -> ExitStatus {
      let selected = try StateCommand.patterns(patterns)
      let location = try StateAccess.location(global.layout)
      let request = try lockOptions.request("state rm", terminal: terminal)
      let removed = try await StateAccess.withExisting(location) { state in
        guard let state else { throw EngineError.user("there is no state yet; nothing to remove") }
        return try await StateAccess.withLock(state, request) { _ in
          try await StateSurgery(state: state).remove(selected, described: patterns.joined(separator: ", "))
        }
      }
      for address in removed { terminal.out("Removed \(address) from state (left on the board).\n") }
      return .success
    }
  }

  static func records(_ layout: ProjectLayout) async throws -> [StateRecord] {
    try await StateAccess.with(StateAccess.location(layout), create: false) { state in
      try await PriorState.read(state).records
    }
  }

  static func patterns(_ texts: [String]) throws -> [AddressPattern] {
    try texts.map { text in
      guard let pattern = AddressPattern(text) else {
        throw EngineError.user("'\(text)' is not an address or pattern; use board, board.object or board.object.name")
      }
      return pattern
    }
  }
}

struct ForceUnlockCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "force-unlock",
    abstract: "Clear a state lock whose holder cannot be proven gone. Give the lock id the error printed.",
    discussion: """
      A lock whose holder is provably gone (its process died on this host, or its lease on a \
      shared backend lapsed) is taken over by the next command without this. force-unlock \
      refuses a holder that is still running on this host unless --force.
      """)
  @OptionGroup var global: GlobalOptions
  @Argument(help: ArgumentHelp("The lock id.", valueName: "id"))
  var id: String
  @Flag(name: .long, help: "Clear the lock even though its holder is still running on this host.")
  var force = false

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    let held = try await StateAccess.withExisting(StateAccess.location(global.layout)) { state in
      guard let state else { throw EngineError.user("there is no state yet; nothing is locked") }
      return try await StateSurgery(state: state).forceUnlock(id: id, evenIfAlive: force)
    }
    terminal.out("Lock \(held.id) (\(held.operation) by \(held.holder), pid \(held.pid)) cleared.\n")
    return .success
  }
}

struct HistoryCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "history",
    abstract: "Show the apply journal, newest first: each run with who ran it (user@host, commit, CI run).")
  @OptionGroup var global: GlobalOptions
  @Option(name: .long, help: "How many entries to show.")
  var limit = 50

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    let entries = try await StateAccess.with(StateAccess.location(global.layout), create: false) { state in
      guard let state else { return nil as [JournalEntry]? }
      return try await StateSurgery(state: state).journal(limit: limit)
    }
    guard let entries else {
      terminal.out("No history: nothing has been applied yet.\n")
      return .success
    }
    var run: String?
    for entry in entries {
      // Each run's entries under one line saying who ran it, from which commit and CI run.
      if entry.run != run {
        run = entry.run
        let provenance = entry.provenance
        terminal.out("apply \(provenance.id.prefix(8))" + (provenance.summary.map { "  \($0)" } ?? "") + "\n")
      }
      var line =
        "  \(entry.startedAt)  \(entry.outcome.padded(to: 7))  \(entry.action.padded(to: 7))  \(entry.address)"
      if let error = entry.error { line += "  (\(error))" }
      terminal.out(line + "\n")
    }
    return .success
  }
}
