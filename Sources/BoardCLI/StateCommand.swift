import ArgumentParser
import BoardCore
import BoardPlatforms
import BoardSpec
import BoardState
import Foundation

struct StateCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "state", abstract: "Inspect and edit the state.",
    subcommands: [List.self, Show.self, Remove.self])

  struct List: ReportingCommand {
    static let configuration = CommandConfiguration(commandName: "list", abstract: "List every resource in state.")
    @OptionGroup var global: GlobalOptions
    @Argument(help: ArgumentHelp("Only addresses matching these patterns.", valueName: "address"))
    var patterns: [String] = []

    func execute(_ terminal: Terminal) async throws -> ExitStatus {
      let state = try await StateAccess.open(global.configDirectory, create: false)
      let selected = try StateAccess.patterns(patterns)
      for record in try await StateAccess.records(state)
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
        throw CLIError("'\(address)' is not an address; addresses look like careers.page.backend-engineer")
      }
      let state = try await StateAccess.open(global.configDirectory, create: false)
      guard let state, let record = try await StateAccess.records(state).first(where: { $0.address == parsed }) else {
        throw CLIError("no resource '\(address)' in state; boardctl state list shows what there is")
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
      let selected = try StateAccess.patterns(patterns)
      guard let state = try await StateAccess.open(global.configDirectory, create: true) else {
        throw CLIError("there is no state yet; nothing to remove")
      }
      return try await StateAccess.withLock(
        state, operation: "state rm", timeout: try lockOptions.seconds(), terminal: terminal
      ) { _ in
        let matches = try await StateAccess.records(state).filter { record in
          selected.contains { $0.matches(record.address) }
        }
        guard !matches.isEmpty else {
          throw CLIError(
            "no resource in state matches \(patterns.joined(separator: ", ")); boardctl state list shows what there is")
        }
        var changes: [Address: StateRecord?] = [:]
        for record in matches { changes[record.address] = .some(nil) }
        do { try await state.write(changes) } catch let error as StateError { throw CLIError(error.description) }
        for record in matches { terminal.out("Removed \(record.address) from state (left on the board).\n") }
        return .success
      }
    }
  }
}

struct ForceUnlockCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "force-unlock",
    abstract: "Clear a state lock left by a process that is gone. Give the lock id the error printed.")
  @OptionGroup var global: GlobalOptions
  @Argument(help: ArgumentHelp("The lock id.", valueName: "id"))
  var id: String
  @Flag(name: .long, help: "Clear the lock even though its holder is still running on this host.")
  var force = false

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    guard let state = try await StateAccess.open(global.configDirectory, create: true) else {
      throw CLIError("there is no state yet; nothing is locked")
    }
    do {
      let held = try await state.forceUnlock(id: id, evenIfAlive: force)
      terminal.out("Lock \(held.id) (\(held.operation) by \(held.holder), pid \(held.pid)) cleared.\n")
    } catch let error as StateError {
      throw CLIError(error.description)
    }
    return .success
  }
}

struct HistoryCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "history", abstract: "Show the apply journal, newest first.")
  @OptionGroup var global: GlobalOptions
  @Option(name: .long, help: "How many entries to show.")
  var limit = 50

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    guard let state = try await StateAccess.open(global.configDirectory, create: false) else {
      terminal.out("No history: nothing has been applied yet.\n")
      return .success
    }
    let entries: [JournalEntry]
    do { entries = try await state.journal(limit: limit) } catch let error as StateError {
      throw CLIError(error.description)
    }
    for entry in entries {
      var line =
        "\(entry.startedAt)  \(entry.outcome.padded(to: 7))  \(entry.action.padded(to: 7))  \(entry.address)"
      if let error = entry.error { line += "  (\(error))" }
      terminal.out(line + "\n")
    }
    return .success
  }
}

/// State access for commands that need the state path but not a valid board configuration
/// (state surgery must work even while boards.d is broken).
enum StateAccess {
  static func statePath(_ configDirectory: String) -> String {
    // Only the Workspace's state.path matters here, even while other documents have problems.
    let workspace = ConfigLoader(platforms: Platforms.descriptors).loadWorkspace(directory: configDirectory)
    let environment = BoardEnvironment(
      root: Session.root(of: configDirectory), workspace: nil, today: Clock.current.today, now: "")
    return environment.resolve(workspace?.statePath ?? Workspace.defaultStatePath)
  }

  static func open(_ configDirectory: String, create: Bool) async throws -> (any StateStore)? {
    let path = statePath(configDirectory)
    do {
      if !create && !FileManager.default.fileExists(atPath: path) { return nil }
      return try await StateStores.open(.sqlite(path: path), create: create)
    } catch let error as StateError {
      throw CLIError(error.description)
    }
  }

  static func records(_ state: (any StateStore)?) async throws -> [StateRecord] {
    do { return try await state?.snapshot()?.records ?? [] } catch let error as StateError {
      throw CLIError(error.description)
    }
  }

  static func patterns(_ texts: [String]) throws -> [AddressPattern] {
    try texts.map { text in
      guard let pattern = AddressPattern(text) else {
        throw CLIError("'\(text)' is not an address or pattern; use board, board.object or board.object.name")
      }
      return pattern
    }
  }

  /// Runs `body` holding the state lock (waiting up to `timeout`), and releases it however
  /// `body` ends. A held lock is exit 3 naming its holder; a provably gone holder's lock is taken
  /// over with a notice.
  static func withLock<T>(
    _ state: any StateStore, operation: String, timeout: Double, terminal: Terminal,
    _ body: (LockInfo) async throws -> T
  ) async throws -> T {
    let lock = try await self.lock(state, operation: operation, timeout: timeout, terminal: terminal)
    do {
      let result = try await body(lock)
      try? await state.unlock(lock)
      return result
    } catch {
      try? await state.unlock(lock)
      throw error
    }
  }

  /// Takes the state lock, waiting up to `timeout`; a held lock is exit 3 naming its holder.
  static func lock(_ state: any StateStore, operation: String, timeout: Double, terminal: Terminal) async throws
    -> LockInfo
  {
    let request = LockRequest(
      operation: operation, timeout: .milliseconds(Int64(timeout * 1000)),
      onWaiting: { holder in
        terminal.err("Waiting up to \(Int(timeout))s for the state lock held by \(holder.summary)...\n")
      },
      onTakeover: { gone in
        terminal.err(
          "Taking over the state lock of \(gone.summary): its holder is gone (an interrupted run). Its unfinished actions are checked before acting again.\n"
        )
      })
    do {
      return try await state.lock(request)
    } catch let error as StateError {
      if case .locked(let info) = error {
        throw CLIError(
          "the state is locked by \(info.summary).\nWait for it to finish (or pass --lock-timeout 2m). If that process is gone for good, clear the lock with: boardctl force-unlock \(info.id)",
          status: .locked)
      }
      throw CLIError(error.description)
    }
  }
}
