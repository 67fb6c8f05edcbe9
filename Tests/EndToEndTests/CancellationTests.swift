import BoardCore
import BoardState
import BoardSupport
import BoardTesting
import Foundation
import Testing

/// A CI cancel sends SIGTERM (a person, SIGINT): apply finishes what is in flight, journals it,
/// starts nothing new, releases the lock, says what remains and exits 143 (130).
@Suite("Stopping apply with a signal")
struct CancellationTests {
  @Test(
    "the first signal lets the action in flight finish and starts nothing new; the next apply finishes",
    arguments: [(SIGTERM, Int32(143)), (SIGINT, Int32(130))])
  func graceful(signal: Int32, status: Int32) async throws {
    // One job creation at a time, held by the simulator until the test lets it go.
    let simulator = try await SimulatorProcess.start(["--fault", "hold=1@POST:/open/v3/jobs/"])
    let (folder, boardctl) = try await makeManatalWorkspace(simulator, postings: 4, settings: "concurrency: 1")
    let log = folder.path + "/apply.stderr"
    let first = try boardctl.start(["apply", "--auto-approve"], stderr: log)
    var stderr: String { folder.read("apply.stderr") ?? "" }
    try await waitUntil(seconds: 120) {
      guard first.isRunning else { return true }
      return try await simulator.stats().counters["held", default: 0] >= 1
    }
    try #require(first.isRunning, "the apply ended before creating a job")
    first.send(signal)
    // The signal is handled before the held request is let go (the trap prints at once).
    try await waitUntil(seconds: 60) { !first.isRunning || stderr.contains("stopping after") }
    try await simulator.setFaults("{}")
    #expect(await first.exitStatus() == status)
    // The credential's fingerprint (state only) and the job that was in flight; three not started.
    #expect(stderr.contains("with 2 of 5 changes made"), "\(stderr)")
    #expect(stderr.components(separatedBy: "not started: manatal.job.job-").count == 4, "\(stderr)")
    #expect(stderr.contains("not started: manatal.job.job-"), "\(stderr)")
    #expect(!stderr.contains("pending"), "\(stderr)")

    // Journal consistent, lock released: the next apply neither waits nor re-creates the first job.
    let history = try await boardctl.run("history")
    let entries = history.stdout.split(separator: "\n").filter { $0.hasPrefix("  ") }
    #expect(entries.count == 2 && entries.allSatisfy { $0.contains("  ok  ") }, "\(history.stdout)")
    #expect(history.stdout.contains("manatal.job.job-0"))
    let resumed = try await boardctl.run("apply", "--auto-approve", "--lock-timeout", "0s")
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(!resumed.stderr.contains("Taking over"), "the lock was released, not left to take over")
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)
    #expect(try await simulator.stats().duplicates.isEmpty)
  }
}

extension CancellationTests {
  @Test("a second signal exits at once; the next apply takes the lock over and creates nothing twice")
  func secondSignal() async throws {
    let simulator = try await SimulatorProcess.start(["--fault", "hold=1@POST:/open/v3/jobs/"])
    let (folder, boardctl) = try await makeManatalWorkspace(simulator, postings: 3, settings: "concurrency: 1")
    let first = try boardctl.start(["apply", "--auto-approve"], stderr: folder.path + "/apply.stderr")
    try await waitUntil(seconds: 120) {
      guard first.isRunning else { return true }
      return try await simulator.stats().counters["held", default: 0] >= 1
    }
    try #require(first.isRunning, "the apply ended before creating a job")
    first.send(SIGTERM)
    // Two pending signals of one kind are one to the kernel: the second goes once the first is handled.
    try await waitUntil(seconds: 60) {
      !first.isRunning || (folder.read("apply.stderr") ?? "").contains("stopping after")
    }
    first.send(SIGTERM)
    // Exits while its request is still held: nothing waits for the platform.
    #expect(await first.exitStatus() == 143)
    try await simulator.setFaults("{}")
    let resumed = try await boardctl.run("apply", "--auto-approve")
    #expect(resumed.status == 0, "\(resumed.stderr)")
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)
    #expect(try await simulator.stats().duplicates.isEmpty)
  }

  @Test("a file-board apply killed midway: pages written are in state, so the next plan shows no conflict")
  func killedFileBoard() async throws {
    // Killed while the careers board is midway: state already holds some of its 1,503 pages
    // (saved every so often as they are written), not all of them. The apply runs in slices of
    // 10 ms (SIGCONT, then SIGSTOP) and state is counted while it is paused, so the kill lands
    // where the count was taken. On a loaded machine the first count that reads may already see
    // the whole board (seen once in a full run): then the attempt starts again, three at most.
    var attempt: (folder: TemporaryFolder, boardctl: Boardctl, first: RunningChild)?
    for _ in 0..<3 where attempt == nil {
      let folder = makeWorkspace()
      addPostings(folder, count: 1500)
      let boardctl = Boardctl(folder)
      let first = try boardctl.start("apply", "--auto-approve")
      let statePath = folder.path + "/.boardctl/state.db"
      let deadline = Date().addingTimeInterval(120)
      var saved = 0
      while first.isRunning, Date() < deadline, saved == 0 {
        first.send(SIGCONT)
        try await Task.sleep(for: .milliseconds(10))
        first.send(SIGSTOP)
        if let store = try? SQLiteStateStore.openReadOnly(path: statePath),
          let records = try? await store.snapshot()?.records
        {
          saved = records.filter { $0.address.object == "page" }.count
        }
      }
      if first.isRunning, saved > 0, saved < 1503 {
        attempt = (folder, boardctl, first)
      } else {
        first.send(SIGKILL)
        _ = await first.exitStatus()
      }
    }
    let (folder, boardctl, first) = try #require(attempt, "three applies each saved no page until the board was done")
    first.send(SIGKILL)
    _ = await first.exitStatus()
    // Every posting changed in boards.d since: the next plan shows updates, never conflicts.
    let extra = try #require(folder.read("boards.d/postings/extra.yaml"))
    folder.write(
      "boards.d/postings/extra.yaml", extra.replacingOccurrences(of: "title: Engineer", with: "title: Developer"))
    let plan = try await boardctl.run("plan", "--format", "json")
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.contains("\"conflicts\" : [\n\n  ]"), "\(plan.stdout.prefix(2000))")
    let apply = try await boardctl.run("apply", "--auto-approve")
    #expect(apply.status == 0, "\(apply.stderr)")
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)
  }
}
