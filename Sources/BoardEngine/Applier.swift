import BoardCore
import BoardSpec
import BoardState
import BoardSupport
import BoardSync

/// `apply`: plan under the state lock, check a saved plan is still current, ask, then carry
/// the plan out. The command line supplies how to ask and what to show.
public struct Applier: Sendable {
  public let workspace: CheckedWorkspace
  public let connected: ConnectedBoards

  public init(workspace: CheckedWorkspace, connected: ConnectedBoards) {
    self.workspace = workspace
    self.connected = connected
  }

  /// What to apply: a fresh plan with these selections, or exactly a saved plan.
  public struct Request: Sendable {
    public var saved: SavedPlan?
    /// The saved plan's file, for messages.
    public var savedFile: String?
    public var targets: [AddressPattern]
    public var excludes: [AddressPattern]
    public var force: Bool
    public var lock: LockRequest
    /// Set by a signal: the run starts no new action (see `ApplyRun`).
    public var stop: StopSignal?
    /// Show synced people's data in the plan apply prints, instead of masking it.
    public var showPersonalData = false

    public init(
      saved: SavedPlan? = nil, savedFile: String? = nil, targets: [AddressPattern] = [],
      excludes: [AddressPattern] = [], force: Bool = false, lock: LockRequest, stop: StopSignal? = nil
    ) {
      self.stop = stop
      self.saved = saved
      self.savedFile = savedFile
      self.targets = targets
      self.excludes = excludes
      self.force = force
      self.lock = lock
    }
  }

  /// How the caller takes part: `show` sees the plan made under the lock (before a conflict
  /// refuses it), `confirm` may still cancel it (false: nothing is done).
  public struct Hooks: Sendable {
    public var show: @Sendable (Plan) -> Void
    public var confirm: @Sendable (Plan) async throws -> Bool

    public init(
      show: @escaping @Sendable (Plan) -> Void = { _ in },
      confirm: @escaping @Sendable (Plan) async throws -> Bool = { _ in true }
    ) {
      self.show = show
      self.confirm = confirm
    }
  }

  /// Refuses a saved plan that never saw some boards, before anything is contacted.
  public static func checkSaved(_ saved: SavedPlan, file: String) throws {
    if let boards = saved.unrefreshedBoards, !boards.isEmpty {
      let reason = saved.staleness(lineage: nil, serial: 0, configDigest: "", liveFingerprint: "") ?? ""
      throw EngineError.stalePlan(file: file, reason: reason)
    }
  }

  /// The plan, made without the lock and without writing anything (apply without confirmation
  /// shows it before refusing).
  public func preview(_ request: Request) async throws -> Plan {
    let state = try await StateAccess.open(workspace.stateLocation(), create: false)
    let planner = Planner(workspace: workspace, connected: connected, showPersonalData: request.showPersonalData)
    return try await planner.plan(state: state, targets: request.targets, excludes: request.excludes).plan
  }

  /// Applies; nil when the plan had nothing to do or `confirm` cancelled.
  public func apply(_ request: Request, hooks: Hooks) async throws -> ApplyRun.Outcome? {
    let state = try await StateAccess.openForWriting(workspace.stateLocation())
    do {
      let outcome = try await StateAccess.withLock(state, request.lock) { _ in
        try await applyLocked(request, state: state, hooks: hooks)
      }
      await state.close()
      return outcome
    } catch {
      await state.close()
      throw error
    }
  }

  private func applyLocked(_ request: Request, state: any StateStore, hooks: Hooks) async throws
    -> ApplyRun.Outcome?
  {
    let planner = Planner(workspace: workspace, connected: connected, showPersonalData: request.showPersonalData)
    var result = try await planner.plan(state: state, targets: request.targets, excludes: request.excludes)
    if let saved = request.saved {
      // A plan made before any state existed is bound to serial 0 of a fresh state.
      let lineage = saved.lineage == nil && result.serial == 0 ? nil : result.lineage
      if let reason = saved.staleness(
        lineage: lineage, serial: result.serial, configDigest: workspace.config.contentDigest,
        liveFingerprint: SavedPlan.fingerprint(result.live))
      {
        throw EngineError.stalePlan(file: request.savedFile ?? "plan", reason: "it is stale: \(reason)")
      }
      let planned = Set(saved.plan.changes.map(\.address))
      result.plan.changes.removeAll { !planned.contains($0.address) }
    }
    hooks.show(result.plan)
    let force = request.saved?.force ?? request.force
    if !result.plan.conflicts.isEmpty && !force {
      let count = result.plan.conflicts.count
      throw EngineError.user(
        "\(count) conflict\(count == 1 ? "" : "s"): fields changed both in boards.d and on the board; nothing was changed. Re-run with --force to let boards.d win"
      )
    }
    let syncWork = result.sync.contains(where: \.hasWork)
    guard !result.plan.changes.isEmpty || syncWork, try await hooks.confirm(result.plan) else { return nil }
    let provenance = RunProvenance.forThisProcess(commit: await ConfigurationCommit.describe(workspace.layout))
    let run = ApplyRun(
      state: state, connections: connected.connections, now: workspace.environment.now, stop: request.stop,
      provenance: provenance)
    var outcome = try await run.execute(result.plan, desired: result.desired, prior: result.prior)
    // Records move after the placements: a sync rule may need a job a placement just made. A
    // saved plan moves only the records it showed, as it showed them; the rest wait.
    let (targets, excludes) = (request.targets, request.excludes)
    let reviewed: Set<String>? = request.saved.map { saved in
      Set(saved.plan.sync.flatMap { $0.changes.map { "\($0.address) \($0.action)" } })
    }
    let sync = try await EngineError.mappingState {
      try await SyncApply(
        state: state, connections: connected.connections, run: provenance.encoded, now: workspace.environment.now,
        today: workspace.environment.today, stop: request.stop, erasable: workspace.erasableSyncObjects
      ).execute(result.sync) { address, action in
        let kept =
          (targets.isEmpty || targets.contains(where: { $0.matches(address) }))
          && !excludes.contains(where: { $0.matches(address) })
        guard kept, let reviewed, let action else { return kept }
        return reviewed.contains("\(address) \(action)")
      }
    }
    var syncDone = sync.done
    var syncFailures = sync.failures
    // Rules whose records waited for another rule's link or a new placement go once more, now
    // that the rest of the run is in state (an application's match, once its candidate exists).
    // Only the records the first pass showed waiting (and the run's --target/--exclude keep).
    var waitingRecords: Set<Address> = []
    for work in result.sync {
      for action in work.result.actions where action.later {
        let address = SyncStateRecords.address(rule: work.rule.name, name: action.sourceID ?? "")
        let kept =
          (targets.isEmpty || targets.contains(where: { $0.matches(address) }))
          && !excludes.contains(where: { $0.matches(address) })
        if kept { waitingRecords.insert(address) }
      }
    }
    let waiting = Set(waitingRecords.map(\.object.rawValue)).sorted().compactMap { AddressPattern("sync.\($0)") }
    if request.saved == nil, !waiting.isEmpty, syncDone > 0 || !outcome.done.isEmpty {
      let again = try await planner.plan(state: state, targets: waiting, excludes: [])
      let records = waitingRecords
      let more = try await EngineError.mappingState {
        try await SyncApply(
          state: state, connections: connected.connections, run: provenance.encoded, now: workspace.environment.now,
          today: workspace.environment.today, stop: request.stop, erasable: workspace.erasableSyncObjects
        ).execute(again.sync.filter { work in waiting.contains { $0.description == "sync.\(work.rule.name)" } }) {
          address, _ in records.contains(address)
        }
      }
      syncDone += more.done
      syncFailures += more.failures
    }
    outcome.syncDone = syncDone
    outcome.syncFailures = syncFailures.map { ApplyRun.Outcome.SyncFailure(address: $0.address, message: $0.message) }
    return outcome
  }
}
