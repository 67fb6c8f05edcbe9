import ArgumentParser
import BoardCore
import BoardEngine
import BoardHTTP
import BoardSecrets
import BoardSpec
import BoardState
import Foundation
import Synchronization

/// Options shared by `plan` and `apply` that shape the plan.
struct PlanOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Plan only these addresses (board, board.object, or board.object.name; * matches any part). Repeatable.",
      valueName: "address"))
  var target: [String] = []

  @Option(name: .long, help: ArgumentHelp("Leave these addresses out of the plan. Repeatable.", valueName: "address"))
  var exclude: [String] = []

  @Flag(name: .long, help: "Overwrite fields changed both in boards.d and on the board (boards.d wins).")
  var force = false

  @Flag(name: .long, help: "Print what each remote board's HTTP layer did (requests, retries, 429s, bytes) to stderr.")
  var stats = false

  @Flag(
    name: .long,
    help:
      "Show synced people's names, emails and other fields in the plan instead of masking them (never saved in a plan file)."
  )
  var showPersonalData = false

  /// The `--stats` lines, one per board that sent requests through `http`.
  func printStats(_ terminal: Terminal, http: HTTPRuntime) {
    guard stats else { return }
    let boards = http.stats.filter { $0.value.requests > 0 }
    if boards.isEmpty { terminal.err("HTTP: no requests\n") }
    for name in boards.keys.sorted() { terminal.err("HTTP \(name): \(boards[name]!.summary)\n") }
  }

  func patterns() throws -> (targets: [AddressPattern], excludes: [AddressPattern]) {
    func parse(_ texts: [String], _ flag: String) throws -> [AddressPattern] {
      try texts.map { text in
        guard let pattern = AddressPattern(text) else {
          throw ValidationError(
            "\(flag) takes an address such as careers.page.backend-engineer, careers.page or careers; got '\(text)'")
        }
        return pattern
      }
    }
    return (try parse(target, "--target"), try parse(exclude, "--exclude"))
  }
}

struct PlanCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "plan",
    abstract: "Show what apply would change on every board, and what changed outside boardctl.")

  @OptionGroup var global: GlobalOptions
  @OptionGroup var planOptions: PlanOptions
  @OptionGroup var keyOptions: KeyOptions

  @OptionGroup var formatOption: OutputFormatOption
  var format: OutputFormat { formatOption.format }
  var outputFormat: OutputFormat { format }

  @Option(name: .long, help: ArgumentHelp("Save the plan to this file for `boardctl apply FILE`.", valueName: "file"))
  var out: String?

  @Flag(name: .long, help: "Exit 2 when the plan has changes (0: none, 1: error).")
  var detailedExitcode = false

  @Flag(
    name: .long,
    help: "Compare with state only: read no board, send no request (a plan saved so cannot be applied).")
  var noRefresh = false

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    try await Command.withHTTP(terminal) { http in try await plan(terminal, http: http) }
  }

  private func plan(_ terminal: Terminal, http: HTTPRuntime) async throws -> ExitStatus {
    // Plan takes no lock, so state can be read while the configuration is still being checked.
    let layout = global.layout
    let keyFile = keyOptions.keyFile
    let prefetch = Prefetch()
    let workspace = try CheckedWorkspace.load(layout) { config in
      prefetch.task = Task.detached {
        let location = try layout.stateLocation(
          config.workspace?.state ?? StateSettings(), credentials: config.credentials,
          workspace: config.workspace?.name ?? Workspace.defaultName, keys: { try KeyRing.load(keyFile: keyFile) })
        return try await PriorState.read(StateAccess.open(location, create: false))
      }
    }
    terminal.report(workspace.warnings)
    let (targets, excludes) = try planOptions.patterns()
    var connected = try workspace.connect(keyFile: keyOptions.keyFile, http: http)
    if noRefresh {
      for name in connected.connections.keys where connected.unopened[name] == nil {
        connected.unopened[name] = "--no-refresh was given"
      }
    }
    let prior = try await (prefetch.task!).value
    if planOptions.showPersonalData && out != nil {
      throw ValidationError(
        "--show-personal-data cannot be used with --out: a saved plan never holds personal data. Drop one of them")
    }
    let result = try await Planner(
      workspace: workspace, connected: connected, showPersonalData: planOptions.showPersonalData
    ).plan(prior: prior, targets: targets, excludes: excludes)
    Self.print(result.plan, format: format, terminal: terminal)
    planOptions.printStats(terminal, http: http)
    Command.keepUntilExit(workspace, connected, result)
    if let out {
      let saved = SavedPlan(
        createdAt: workspace.environment.now, lineage: result.lineage, serial: result.serial,
        configDigest: workspace.config.contentDigest, liveFingerprint: SavedPlan.fingerprint(result.live),
        targets: planOptions.target, excludes: planOptions.exclude, force: planOptions.force, plan: result.plan,
        unrefreshedBoards: result.unrefreshed)
      try SavedPlanFile.write(saved, to: out)
      if format == .text || format == .github {
        terminal.out("\nSaved the plan to \(out). Apply exactly this plan with: boardctl apply \(out)\n")
      }
    }
    if !result.plan.conflicts.isEmpty && !planOptions.force {
      throw EngineError.user(
        "\(result.plan.conflicts.count) conflict\(result.plan.conflicts.count == 1 ? "" : "s"): fields changed both in boards.d and on the board; re-run with --force to let boards.d win"
      )
    }
    return detailedExitcode && !result.plan.isEmpty ? .changesPresent : .success
  }

  static func print(_ plan: Plan, format: OutputFormat, terminal: Terminal) {
    switch format {
    // The renderers escape what they show from the configuration and the boards themselves.
    case .text: terminal.out(styled: TextPlanRenderer(style: terminal.style).render(plan))
    case .github:
      // The plan as text in the log, its warnings and summary as annotations on the run.
      terminal.out(styled: TextPlanRenderer(style: TextStyle(colour: false)).render(plan))
      for warning in plan.warnings {
        terminal.out(styled: DiagnosticRenderer.annotation("warning", command: "plan", warning))
      }
      terminal.out(styled: DiagnosticRenderer.annotation("notice", command: "plan", plan.summaryLine))
    case .json: terminal.out(styled: JSONPlanRenderer.render(plan))
    case .markdown:
      let parts = MarkdownPlanRenderer.render(plan)
      terminal.out(styled: parts.joined(separator: "\n<!-- boardctl: next comment -->\n\n"))
    }
  }
}

/// Reads and writes saved plan files.
enum SavedPlanFile {
  static func write(_ plan: SavedPlan, to path: String) throws {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
    do {
      let data = try encoder.encode(plan)
      try data.write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw EngineError.user("cannot write the plan to '\(path)': \(error.localizedDescription)")
    }
  }

  static func read(_ path: String) throws -> SavedPlan {
    guard let data = FileManager.default.contents(atPath: path) else {
      throw EngineError.user("cannot read plan file '\(path)'")
    }
    struct Header: Decodable {
      var format: String?
      var formatVersion: Int?
    }
    guard let header = try? JSONDecoder().decode(Header.self, from: data), header.format == SavedPlan.formatName else {
      throw EngineError.user("'\(path)' is not a boardctl plan file (make one with boardctl plan --out FILE)")
    }
    guard header.formatVersion == SavedPlan.currentVersion else {
      throw EngineError.user(
        "plan file '\(path)' has format version \(header.formatVersion ?? 0); this boardctl reads version \(SavedPlan.currentVersion). Run plan again"
      )
    }
    do {
      return try JSONDecoder().decode(SavedPlan.self, from: data)
    } catch {
      throw EngineError.user("plan file '\(path)' is damaged; run plan again")
    }
  }
}

/// The state read that `plan` starts early; set once, before it is awaited.
final class Prefetch: Sendable {
  private let slot = Mutex<Task<PriorState, any Error>?>(nil)

  var task: Task<PriorState, any Error>? {
    get { slot.withLock { $0 } }
    set { slot.withLock { $0 = newValue } }
  }
}
