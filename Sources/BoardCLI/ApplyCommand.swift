import ArgumentParser
import BoardCore
import BoardEngine
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
      throw EngineError.user(
        "--target and --exclude belong to plan when applying a saved plan; the plan file already holds them")
    }
    if let saved, let planFile { try Applier.checkSaved(saved, file: planFile) }
    return try await Command.withHTTP(terminal) { http in try await apply(saved, terminal, http: http) }
  }

  private func apply(_ saved: SavedPlan?, _ terminal: Terminal, http: HTTPRuntime) async throws -> ExitStatus {
    let workspace = try CheckedWorkspace.load(global.layout)
    terminal.report(workspace.warnings)
    let connected = try workspace.connect(keyFile: keyOptions.keyFile, requireCredentials: true, http: http)
    var request = Applier.Request(
      saved: saved, savedFile: planFile, force: planOptions.force,
      lock: try lockOptions.request("apply", terminal: terminal))
    if let saved {
      request.targets = saved.targets.compactMap(AddressPattern.init)
      request.excludes = saved.excludes.compactMap(AddressPattern.init)
    } else {
      (request.targets, request.excludes) = try planOptions.patterns()
      request.showPersonalData = planOptions.showPersonalData
    }
    let applier = Applier(workspace: workspace, connected: connected)
    defer { planOptions.printStats(terminal, http: http) }
    if saved == nil && !autoApprove && !Terminal.isTTY(0) {
      // Say what would change (the summary: the plan itself is `boardctl plan`'s), then refuse
      // before anything is locked, created or written.
      let preview = try await applier.preview(request)
      if preview.changes.isEmpty {
        terminal.out("No changes. The boards match the configuration.\n")
        return .success
      }
      terminal.out(preview.summaryLine + " Run boardctl plan to see each change.\n")
      throw EngineError.user(
        "apply needs confirmation, but standard input is not a terminal; nothing was changed. Re-run with --auto-approve, or apply a saved plan (boardctl plan --out FILE, then boardctl apply FILE)"
      )
    }
    let fromSavedPlan = saved != nil
    let autoApprove = self.autoApprove
    let hooks = Applier.Hooks(
      show: { plan in
        if !fromSavedPlan { PlanCommand.print(plan, format: .text, terminal: terminal) }
      },
      confirm: { _ in
        guard !fromSavedPlan && !autoApprove else { return true }
        terminal.out(
          "\nDo you want to perform these actions?\n  Only 'yes' will be accepted to approve.\n\n  Enter a value: ")
        guard terminal.readLine()?.trimmingCharacters(in: .whitespaces) == "yes" else {
          throw EngineError.user("apply cancelled; nothing was changed")
        }
        terminal.out("\n")
        return true
      })
    let trap = SignalTrap(terminal)
    request.stop = trap.stop
    guard let outcome = try await applier.apply(request, hooks: hooks) else {
      if fromSavedPlan { terminal.out("No changes. The boards match the configuration.\n") }
      return .success
    }
    for change in outcome.done {
      terminal.out("\(change.address): \(Self.pastTense(change.action))\n")
    }
    for failure in outcome.syncFailures {
      terminal.err("error: \(TerminalText.escaped(failure.address)): \(TerminalText.escaped(failure.message))\n")
    }
    if outcome.syncDone > 0 || !outcome.syncFailures.isEmpty {
      terminal.out(
        "Sync: \(outcome.syncDone) record action\(outcome.syncDone == 1 ? "" : "s") done"
          + (outcome.syncFailures.isEmpty
            ? "" : ", \(outcome.syncFailures.count) failed (they are retried on the next apply)")
          + ".\n")
    }
    var done = Plan(changes: outcome.done)
    done.cost = [:]
    let summary = done.summary
    if outcome.failed.isEmpty, let status = trap.exitStatus {
      // Everything was already in flight when the signal came: done, but say it was stopped.
      terminal.err(
        "Stopped by \(status == .interrupted ? "SIGINT" : "SIGTERM") after all \(outcome.done.count) changes were made.\n"
      )
      return status
    }
    if outcome.failed.isEmpty && !outcome.syncFailures.isEmpty {
      throw EngineError.user(
        "\(outcome.syncFailures.count) sync record action\(outcome.syncFailures.count == 1 ? "" : "s") failed; state records what was done. Fix the problem and run apply again: the failed records are read again"
      )
    }
    if outcome.failed.isEmpty {
      terminal.out(
        styled: terminal.style.green("\nApply complete!")
          + " Resources: \(summary.add) added, \(summary.change) changed, \(summary.close) closed, \(summary.destroy) destroyed.\n"
      )
      return .success
    }
    let stoppedMessage = ApplyStopped().description
    for failure in outcome.failed {
      let stopped = trap.exitStatus != nil && failure.message == stoppedMessage
      if !stopped { terminal.err("error: board '\(failure.board)': \(failure.message)\n") }
      for change in failure.remaining {
        terminal.err("  \(stopped ? "not started" : "not applied"): \(change.address) (\(change.action.rawValue))\n")
      }
    }
    let remaining = outcome.failed.reduce(0) { $0 + $1.remaining.count }
    if let status = trap.exitStatus, outcome.failed.allSatisfy({ $0.message == stoppedMessage }) {
      terminal.err(
        "Stopped by \(status == .interrupted ? "SIGINT" : "SIGTERM") with \(outcome.done.count) of \(outcome.done.count + remaining) changes made; state records what was done and the lock is released. Run apply again to finish the rest.\n"
      )
      return status
    }
    throw EngineError.user(
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
