import BoardCore
import BoardState
import BoardSupport
import BoardTesting
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// The workflow, lock and crash behaviour, on every state backend, through the real binary.
@Suite("State backends end to end")
struct StateBackendTests {
  @Test("plan, apply, plan again shows no changes; plan never creates state", arguments: StateBackendKind.allCases)
  func workflow(_ backend: StateBackendKind) async throws {
    let workspace = try await BackendWorkspace(backend)
    let boardctl = workspace.boardctl
    let plan = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(plan.status == 2, "\(plan.stderr)")
    #expect(try await boardctl.run("history").stdout.contains("nothing has been applied yet"))
    let apply = try await boardctl.run("apply", "--auto-approve")
    #expect(apply.status == 0, "\(apply.stderr)")
    #expect(apply.stdout.contains("Apply complete! Resources: 8 added"))
    let again = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
    #expect(try await boardctl.run("state", "list").stdout.split(separator: "\n").count == 8)
    #expect(try await boardctl.run("history").stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }.count == 8)
  }

  @Test(
    "a second runner with a fresh checkout sees the first runner's state", arguments: [StateBackendKind.git, .postgres])
  func sharedAcrossRunners(_ backend: StateBackendKind) async throws {
    let workspace = try await BackendWorkspace(backend)
    #expect(try await workspace.boardctl.run("apply", "--auto-approve").status == 0)
    let (other, runner) = try await workspace.anotherRunner()
    // The second runner has no public/ folder: its pages are missing, so it would recreate them,
    // but it knows every one from the shared state (dates kept, nothing imported twice).
    let plan = try await runner.run("plan", "--format", "json")
    #expect(plan.status == 0, "\(plan.stderr)")
    // Known from state: re-published where the files are missing, never adopted as unknown.
    #expect(plan.stdout.contains("\"import\" : 0"))
    #expect(plan.stdout.contains("deleted outside boardctl"))
    #expect(try await runner.run("state", "list").stdout.split(separator: "\n").count == 8)
    _ = other
  }

  @Test("two applies at once: one holds the lock, the other exits 3 naming it", arguments: StateBackendKind.allCases)
  func concurrentApplies(_ backend: StateBackendKind) async throws {
    // The first apply is held mid-run, deterministically: the simulator keeps its job creations
    // waiting until the test lets them go.
    let simulator = try await SimulatorProcess.start(["--fault", "hold=1@POST:/open/v3/jobs/"])
    let workspace = try await BackendWorkspace(backend)
    workspace.folder.remove("boards.d")  // the file boards' configuration, replaced by a Manatal board's
    let (_, boardctl) = try await makeManatalWorkspace(
      simulator, postings: 3, in: workspace.folder, state: workspace.state, environment: workspace.environment)
    let first = try boardctl.start("apply", "--auto-approve")
    try await waitUntil(seconds: 120) {
      guard first.isRunning else { return true }
      return try await simulator.stats().counters["held", default: 0] >= 1
    }
    guard first.isRunning else {
      Issue.record("the first apply ended before creating a job (status \(first.status ?? -1))")
      return
    }
    let second = try await boardctl.run("apply", "--auto-approve")
    #expect(second.status == 3, "\(second.stderr)")
    #expect(second.stderr.contains("locked by apply by"))
    #expect(second.stderr.contains("force-unlock"))
    try await simulator.setFaults("{}")
    #expect(await first.exitStatus() == 0)
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)
    #expect(try await simulator.stats().duplicates.isEmpty)
  }

  @Test(
    "apply killed with SIGKILL: the next one takes the lock over once the holder is provably gone, and converges",
    arguments: StateBackendKind.allCases)
  func killedApply(_ backend: StateBackendKind) async throws {
    let workspace = try await BackendWorkspace(backend, lease: "3s")
    addPostings(workspace.folder, count: 300)
    let first = try workspace.boardctl.start("apply", "--auto-approve")
    try await waitUntil(seconds: 120) {
      guard first.isRunning else { return true }
      return try await workspace.boardctl.run("history").stdout.split(separator: "\n").count >= 20
    }
    let killedMidway = first.isRunning
    first.send(SIGKILL)
    _ = await first.exitStatus()
    let resumed = try await workspace.boardctl.run("apply", "--auto-approve", "--lock-timeout", "60s")
    #expect(resumed.status == 0, "\(resumed.stderr)")
    if killedMidway { #expect(resumed.stderr.contains("Taking over the state lock of apply by")) }
    #expect(try await workspace.boardctl.run("plan", "--detailed-exitcode").status == 0)
    let pages = try FileManager.default.contentsOfDirectory(atPath: workspace.folder.path + "/public/careers")
      .filter { $0.hasSuffix(".html") && $0 != "index.html" }
    #expect(pages.count == 303)
    #expect(try await workspace.boardctl.run("state", "list").stdout.split(separator: "\n").count == 608)
  }

  @Test("state migrate sqlite → git → postgres → sqlite keeps the lineage: plans are byte-identical")
  func migrationRoundTrip() async throws {
    let workspace = try await BackendWorkspace(.git)
    let folder = workspace.folder
    // Start on sqlite, in the same folder (a git repository with an origin) so git is reachable.
    _ = makeWorkspace(in: folder, state: "{backend: sqlite}")
    let pg = try await BackendWorkspace(.postgres)
    var boardctl = workspace.boardctl
    boardctl.environment["BOARDCTL_PG_URL"] = pg.environment["BOARDCTL_PG_URL"]
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    folder.remove("boards.d/postings/analyst.yaml")  // so the plans have something to show
    let text = try await boardctl.run("plan").stdout
    let json = try await boardctl.run("plan", "--format", "json").stdout
    #expect(text.contains("Plan: 0 to add, 0 to change, 2 to close"))
    for (target, state) in [
      ("git", "{backend: git}"), ("postgres", "{backend: postgres}"),
      ("sqlite", "{backend: sqlite, path: .boardctl/copy.db}"),
    ] {
      var arguments = ["state", "migrate", "--to", target]
      if target == "sqlite" { arguments += ["--path", ".boardctl/copy.db"] }
      let migrated = try await boardctl.run(arguments)
      #expect(migrated.status == 0, "\(target): \(migrated.stderr)")
      #expect(migrated.stdout.contains("Copied 8 records"))
      _ = makeWorkspace(in: folder, state: state)
      folder.remove("boards.d/postings/analyst.yaml")
      #expect(try await boardctl.run("plan").stdout == text, "\(target)")
      #expect(try await boardctl.run("plan", "--format", "json").stdout == json, "\(target)")
    }
  }

  /// A state backend boardctl cannot use, as users get them wrong.
  enum BrokenBackend: String, CaseIterable, Sendable {
    case pgURLUnset, pgWrongPassword, pgNothingListens, gitMissing, gitPushRefused, gitNoRemote
  }

  @Test(
    "a state backend that cannot be used: plan and apply exit 1 with one clear message, nothing written",
    arguments: BrokenBackend.allCases)
  func brokenBackend(_ broken: BrokenBackend) async throws {
    let workspace = try await BackendWorkspace(broken.rawValue.hasPrefix("pg") ? .postgres : .git)
    var boardctl = workspace.boardctl
    let url = workspace.environment["BOARDCTL_PG_URL"] ?? ""
    let expected: String
    switch broken {
    case .pgURLUnset:
      boardctl.environment["BOARDCTL_PG_URL"] = nil
      expected = "BOARDCTL_PG_URL"
    case .pgWrongPassword:
      boardctl.environment["BOARDCTL_PG_URL"] = url.replacingOccurrences(of: ":boardctl@", with: ":not-the-password@")
      expected = "password"
    case .pgNothingListens:
      boardctl.environment["BOARDCTL_PG_URL"] = url.replacingOccurrences(of: ":5432/", with: ":1/")
      expected = "connection refused"
    case .gitMissing:
      boardctl.environment["PATH"] = "/nonexistent"
      expected = "git"
    case .gitPushRefused:
      // The remote refuses every push, as a protected branch does.
      let hook = try #require(workspace.remote).path + "/state.git/hooks/pre-receive"
      workspace.folder.write("refuse", "#!/bin/sh\necho 'protected branch: pushes are not allowed' >&2\nexit 1\n")
      try FileManager.default.moveItem(atPath: workspace.folder.path + "/refuse", toPath: hook)
      chmod(hook, 0o755)
      expected = "protected branch"
    case .gitNoRemote:
      try await BackendWorkspace.git(["remote", "remove", "origin"], in: workspace.folder.path)
      expected = "origin"
    }
    // git's object store may keep the commit the remote refused; nothing else may change.
    func files() -> [String: Data] { workspace.folder.snapshot().filter { !$0.key.hasPrefix(".git/objects/") } }
    let before = files()
    for command in [["plan"], ["apply", "--auto-approve"]] {
      let result = try await boardctl.run(command)
      let context = "\(broken) \(command[0]): \(result.stderr)"
      // plan on a git state that cannot be read yet is no failure: there is simply no state.
      if command == ["plan"], broken == .gitPushRefused {
        #expect(result.status == 2 || result.status == 0, "\(context)")
        continue
      }
      #expect(result.status == 1, "\(context)")
      #expect(result.stderr.contains(expected), "\(context)")
      #expect(result.stderr.components(separatedBy: "error:").count == 2, "one message: \(context)")
      #expect(!result.stderr.contains("Fatal error") && !result.stderr.contains("Stack dump"), "\(context)")
      #expect(!result.stderr.contains("not-the-password") && !result.stdout.contains("not-the-password"))
      #expect(files() == before, "nothing written: \(context)")
    }
  }
}

/// Polls `condition` until it holds or `seconds` pass (then fails the test).
func waitUntil(seconds: Double, _ condition: () async throws -> Bool) async throws {
  let deadline = Date().addingTimeInterval(seconds)
  while Date() < deadline {
    if try await condition() { return }
    try await Task.sleep(for: .milliseconds(50))
  }
  Issue.record("gave up waiting after \(seconds) s")
}
