import BoardCore
import BoardEngine
import BoardSpec
import BoardState
import BoardTesting
import Foundation

/// A workspace with one fake board, planned and applied in-process against a real state.
struct EngineRig {
  let folder = TemporaryFolder()
  let remote = FakeRemote()
  var state = "{backend: sqlite}"
  var layout: ProjectLayout {
    ProjectLayout(configDirectory: folder.path + "/boards.d", currentDirectory: folder.path, keyFolder: folder.path)
  }

  init(postings: Int, state: String = "{backend: sqlite}") {
    self.state = state
    writeWorkspace()
    writePostings(postings)
  }

  func writeWorkspace() {
    folder.write(
      "boards.d/workspace.yaml",
      """
      kind: Workspace
      name: acme
      state: \(state)
      ---
      kind: Board
      name: shelf
      platform: fake
      settings: {label: fake}
      """)
  }

  /// `count` postings `job-0` …; `retitled` get another title.
  func writePostings(_ count: Int, retitled: Set<Int> = [], skipping: Set<Int> = []) {
    var text = ""
    for index in 0..<count where !skipping.contains(index) {
      text += """
        kind: Posting
        name: job-\(index)
        title: \(retitled.contains(index) ? "Senior " : "")Engineer \(index)
        description: Build things, role \(index).
        boards: [shelf]
        ---

        """
    }
    folder.write("boards.d/postings.yaml", text)
  }

  func workspace() throws -> CheckedWorkspace {
    try CheckedWorkspace.load(
      layout, clock: EngineClock(today: CalendarDate(year: 2026, month: 11, day: 21), now: "2026-11-21T10:00:00Z"),
      platforms: [FakePlatform(remote: remote)])
  }

  func plan() async throws -> Planner.Result {
    let workspace = try workspace()
    let state = try await StateAccess.open(workspace.stateLocation(), create: false)
    return try await Planner(workspace: workspace, connected: workspace.connect())
      .plan(state: state, targets: [], excludes: [])
  }

  @discardableResult
  func apply(lock: LockRequest = LockRequest(operation: "apply"), saved: SavedPlan? = nil) async throws
    -> ApplyRun.Outcome?
  {
    let workspace = try workspace()
    return try await Applier(workspace: workspace, connected: workspace.connect())
      .apply(Applier.Request(saved: saved, savedFile: "saved.plan", lock: lock), hooks: Applier.Hooks())
  }
}
