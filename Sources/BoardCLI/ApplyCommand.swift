import ArgumentParser
import BoardCore
import BoardHTTP
import BoardSpec
import BoardState
import Foundation

struct ApplyCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "apply",
    abstract: "Carry out the plan: publish, update and close postings on every board.",
    discussion: """
      Without PLANFILE, apply makes a plan, shows it and asks for 'yes' (on a terminal) or needs \
      --auto-approve. With PLANFILE (from plan --out), it applies exactly that plan, and refuses \
      with exit 4 if the state, the configuration or the boards changed since it was made.
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup var planOptions: PlanOptions
  @OptionGroup var lockOptions: LockOptions
  @OptionGroup var keyOptions: KeyOptions

  @Argument(help: ArgumentHelp("A plan saved with plan --out.", valueName: "planfile"))
  var planFile: String?

  @Flag(name: .long, help: "Apply without asking for confirmation.")
  var autoApprove = false

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    let saved = try planFile.map(SavedPlanFile.read)
    if saved != nil && (!planOptions.target.isEmpty || !planOptions.exclude.isEmpty) {
      throw CLIError(
        "--target and --exclude belong to plan when applying a saved plan; the plan file already holds them")
    }
    if let saved, let boards = saved.unrefreshedBoards, !boards.isEmpty {
      // Refuse before reaching any platform: such a plan never saw the boards.
      let reason = saved.staleness(lineage: nil, serial: 0, configDigest: "", liveFingerprint: "") ?? ""
      throw CLIError("the saved plan \(planFile!) cannot be applied: \(reason)", status: .stalePlan)
    }
    return try await Command.withHTTP(terminal) { http in try await apply(saved, terminal, http: http) }
  }

  private func apply(_ saved: SavedPlan?, _ terminal: Terminal, http: HTTPRuntime) async throws -> ExitStatus {
    let session = try Session.load(configDirectory: global.configDirectory)
    terminal.report(session.warnings)
    let connected = try session.connect(keys: keyOptions.keyFile, requireCredentials: true, http: http)
    let timeout = try lockOptions.seconds()
    let patterns: (targets: [AddressPattern], excludes: [AddressPattern])
    if let saved {
      patterns = (saved.targets.compactMap(AddressPattern.init), saved.excludes.compactMap(AddressPattern.init))
    } else {
      patterns = try planOptions.patterns()
    }
    let planner = Planner(session: session, connected: connected)
    defer { planOptions.printStats(terminal, http: http) }
    if saved == nil && !autoApprove && !Terminal.isTTY(0) {
      // Show what would change, then refuse before anything is locked, created or written.
      let preview = try await planner.plan(
        prior: await PriorState.read(session.existingState()), targets: patterns.targets, excludes: patterns.excludes)
      PlanCommand.print(preview.plan, format: .text, terminal: terminal)
      if preview.plan.changes.isEmpty { return .success }
      throw CLIError(
        "apply needs confirmation, but standard input is not a terminal; nothing was changed. Re-run with --auto-approve, or apply a saved plan (boardctl plan --out FILE, then boardctl apply FILE)"
      )
    }
    let state = try await session.openState()
    return try await StateAccess.withLock(state, operation: "apply", timeout: timeout, terminal: terminal) { _ in
      try await applyLocked(
        state: state, session: session, connected: connected, planner: planner, saved: saved, patterns: patterns,
        terminal: terminal)
    }
  }

  private func applyLocked(
    state: any StateStore, session: Session, connected: Connected, planner: Planner, saved: SavedPlan?,
    patterns: (targets: [AddressPattern], excludes: [AddressPattern]), terminal: Terminal
  ) async throws -> ExitStatus {
    var result = try await planner.plan(state: state, targets: patterns.targets, excludes: patterns.excludes)
    let force = saved?.force ?? planOptions.force

    if let saved {
      // A plan made before any state existed is bound to serial 0 of a fresh state.
      let lineage = saved.lineage == nil && result.serial == 0 ? nil : result.lineage
      if let reason = saved.staleness(
        lineage: lineage, serial: result.serial, configDigest: session.config.contentDigest,
        liveFingerprint: SavedPlan.fingerprint(result.live))
      {
        throw CLIError("the saved plan \(planFile!) is stale: \(reason). Run plan again", status: .stalePlan)
      }
      let planned = Set(saved.plan.changes.map(\.address))
      result.plan.changes.removeAll { !planned.contains($0.address) }
    } else {
      PlanCommand.print(result.plan, format: .text, terminal: terminal)
    }

    if !result.plan.conflicts.isEmpty && !force {
      throw CLIError(
        "\(result.plan.conflicts.count) conflict\(result.plan.conflicts.count == 1 ? "" : "s"): fields changed both in boards.d and on the board; nothing was changed. Re-run with --force to let boards.d win"
      )
    }
    if result.plan.changes.isEmpty {
      if saved != nil { terminal.out("No changes. The boards match the configuration.\n") }
      return .success
    }
    if saved == nil && !autoApprove {
      terminal.out(
        "\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ")
      guard terminal.readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
        throw CLIError("apply cancelled; nothing was changed")
      }
      terminal.out("\n")
    }

    let run = ApplyRun(
      state: state, connections: connected.connections, now: session.environment.now, logger: Command.logger)
    let outcome = try await run.execute(result.plan, desired: result.desired, prior: result.prior)
    for change in outcome.done {
      terminal.out("\(change.address): \(Self.pastTense(change.action))\n")
    }
    var done = Plan(changes: outcome.done)
    done.cost = [:]
    let summary = done.summary
    if outcome.failed.isEmpty {
      terminal.out(
        terminal.style.green("\nApply complete!")
          + " Resources: \(summary.add) added, \(summary.change) changed, \(summary.close) closed, \(summary.destroy) destroyed.\n"
      )
      return .success
    }
    for failure in outcome.failed {
      terminal.err("error: board '\(failure.board)': \(failure.message)\n")
      for change in failure.remaining { terminal.err("  not applied: \(change.address) (\(change.action.rawValue))\n") }
    }
    let remaining = outcome.failed.reduce(0) { $0 + $1.remaining.count }
    throw CLIError(
      "apply stopped with \(outcome.done.count) of \(outcome.done.count + remaining) changes made; state records what was done. Fix the problem and run apply again to finish the rest"
    )
  }

  static func pastTense(_ action: PlanAction) -> String {
    switch action {
    case .create: return "created"
    case .update: return "updated"
    case .replace: return "replaced"
    case .close: return "closed"
    case .delete: return "destroyed"
    case .import: return "imported"
    case .forget: return "forgotten"
    }
  }
}
