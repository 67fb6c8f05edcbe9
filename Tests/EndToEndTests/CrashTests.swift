import BoardCore
import BoardState
import BoardSupport
import BoardTesting
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

@Suite("Crash safety")
struct CrashTests {
  /// A workspace with many postings, so apply runs long enough to be killed midway.
  func bigWorkspace(_ count: Int) -> TemporaryFolder {
    let folder = makeWorkspace()
    addPostings(folder, count: count)
    return folder
  }

  @Test("apply killed with SIGKILL midway: the next apply takes the lock over, adopts what was written, converges")
  func killedApply() async throws {
    let folder = bigWorkspace(300)
    let boardctl = Boardctl(folder)
    let process = try boardctl.start("apply", "--auto-approve")
    // Kill once the journal shows work under way (poll the real state; no fixed sleep).
    let statePath = folder.path + "/.boardctl/state.db"
    let deadline = Date().addingTimeInterval(120)
    while process.isRunning, Date() < deadline {
      // Read only once apply has made the state (it takes the lock after), so this reader never
      // stands in the way of the new file's switch to WAL.
      if FileManager.default.fileExists(atPath: statePath + ".lock"),
        let store = try? SQLiteStateStore.openReadOnly(path: statePath),
        let journal = try? await store.journal(limit: 1000), journal.count >= 20
      {
        break
      }
      try await Task.sleep(for: .milliseconds(10))  // poll the journal, not a guess
    }
    process.send(SIGKILL)
    _ = await process.exitStatus()
    let store = try #require(try SQLiteStateStore.openReadOnly(path: statePath), "apply never made the state")
    let journalled = try await store.journal(limit: 1000).count
    #expect(journalled > 0, "apply never journalled anything")
    // Whether the kill left the lock behind (the apply was still holding it), not whether the
    // process still ran when last looked at: it may have let go of the lock in between.
    let killedMidway = try await store.currentLock() != nil

    let resumed = try await boardctl.run("apply", "--auto-approve")
    #expect(resumed.status == 0, "\(resumed.stderr)")
    if killedMidway {
      // The killed process left its lock: the OS dropped its flock, so no human is needed.
      #expect(resumed.stderr.contains("Taking over the state lock of apply by"))
    }
    let plan = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(plan.status == 0, "\(plan.stdout)")
    let pages = try FileManager.default.contentsOfDirectory(atPath: folder.path + "/public/careers")
      .filter { $0.hasSuffix(".html") && $0 != "index.html" }
    #expect(pages.count == 303)
    let feed = try #require(folder.read("public/indeed.xml"))
    #expect(feed.components(separatedBy: "<job>").count - 1 == 303)
    #expect(try await boardctl.run("state", "list").stdout.split(separator: "\n").count == 608)
  }
}
