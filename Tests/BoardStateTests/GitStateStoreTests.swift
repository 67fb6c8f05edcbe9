import BoardCore
import BoardSpec
import BoardSupport
import BoardTesting
import Foundation
import Testing

@testable import BoardState

#if canImport(Glibc)
  import Glibc
#endif

/// The git-branch backend beyond the contract: races between runners, killed holders, refused
/// pushes, bad input, group commit, and the user's checkout left alone.
@Suite("Git state")
struct GitStateStoreTests {
  @Test("two runners racing for the lock: exactly one wins, the other is told who did")
  func lockRace() async throws {
    let rig = try await StateRig(.git)
    let first = try await rig.open(runner: 1)
    let second = try await rig.open(runner: 2)
    for _ in 0..<4 {
      async let a = first.tryLock(LockInfo.forThisProcess(operation: "apply"))
      async let b = second.tryLock(LockInfo.forThisProcess(operation: "apply"))
      let attempts = try await [a, b]
      let winners = attempts.compactMap { if case .acquired(let lock, _) = $0 { lock } else { nil } }
      let held = attempts.compactMap { if case .held(let lock) = $0 { lock } else { nil } }
      try #require(winners.count == 1)
      #expect(held.map(\.id) == [winners[0].id])
      #expect(try await first.currentLock()?.id == winners[0].id)
      let winner = if case .acquired = attempts[0] { first } else { second }
      try await winner.unlock(winners[0])
    }
    #expect(try await first.currentLock() == nil)
  }

  @Test("a runner that stopped renewing is taken over once its lease lapsed, and the commit names it")
  func abandonedHolder() async throws {
    let rig = try await StateRig(.git, lease: .seconds(1))
    let gone = try await rig.abandonLock()
    let store = try await rig.open(runner: 1)
    let clock = ContinuousClock()
    let start = clock.now
    let replaced = Captured<LockInfo?>(nil)
    let lock = try await store.lock(
      LockRequest(operation: "apply", timeout: .seconds(60), onTakeover: { replaced.set($0) }))
    let waited = clock.now - start
    #expect(replaced.value?.id == gone.id)
    let subject = try await git(["log", "-1", "--format=%s", "boardctl-state"], in: bare(rig))
    #expect(subject.hasPrefix("takeover of apply by \(gone.holder) (pid \(gone.pid))"))
    #expect(subject.contains("lock: apply by \(lock.holder)"))
    let body = try await git(["log", "-1", "--format=%b", "boardctl-state"], in: bare(rig))
    #expect(body.contains("replaced lock id \(gone.id)"))
    #expect(body.contains("lease expired"))
    print("git state: a dead holder's 1 s lease was taken over after \(waited)")
    try await store.unlock(lock)
  }

  @Test("a holder whose process was killed is taken over at once, long lease or not")
  func killedProcess() async throws {
    let rig = try await StateRig(.git)
    // A holder process of its own (posix_spawn: Foundation's Process can crash on this
    // toolchain); it lives until killed, however long a loaded machine takes to get there.
    var child = pid_t()
    let words: [String] = ["/bin/sleep", "600"]
    let argv = words.map { strdup($0) } + [nil]
    defer { for pointer in argv { free(pointer) } }
    try #require(posix_spawn(&child, "/bin/sleep", nil, nil, argv, environ) == 0)
    defer { if kill(child, 0) == 0 { kill(child, SIGKILL) } }
    var doomed = LockInfo.forThisProcess(operation: "apply")
    doomed.pid = Int(child)
    let holder = try await rig.open(runner: 0)
    guard case .acquired(let taken, _) = try await holder.tryLock(doomed) else {
      Issue.record("the free lock was not taken")
      return
    }
    await holder.close()
    let other = try await rig.open(runner: 1)
    guard case .held = try await other.tryLock(LockInfo.forThisProcess(operation: "apply")) else {
      Issue.record("a live holder's lock was taken")
      return
    }
    kill(child, SIGKILL)
    var status: Int32 = 0
    waitpid(child, &status, 0)
    guard case .acquired(let lock, let replaced) = try await other.tryLock(LockInfo.forThisProcess(operation: "apply"))
    else {
      Issue.record("the killed holder's lock was not taken over")
      return
    }
    #expect(replaced?.id == taken.id)
    let body = try await git(["log", "-1", "--format=%b", "boardctl-state"], in: bare(rig))
    #expect(body.contains("its process \(taken.pid) no longer runs on this host"))
    try await other.unlock(lock)
  }

  @Test("a write by a holder whose lease lapsed and was taken over fails with lockLost and changes nothing")
  func lapsedHolderWrites() async throws {
    let rig = try await StateRig(.git, lease: .seconds(1))
    let late = try await rig.open(runner: 0)
    let lost = try await late.lock(LockRequest(operation: "apply"))
    // Stops the renewal, as a process paused for longer than its lease would.
    await late.close()
    // The winner's lease is long, so no renewal of its own moves the branch during the test.
    guard case .git(let location) = rig.location(runner: 1) else { return }
    let long = GitStateLocation(repository: location.repository, lease: .seconds(60))
    let other = try #require(try await GitStateStore.open(long, create: false))
    let winner = try await other.lock(LockRequest(operation: "apply", timeout: .seconds(60)))
    let before = try await remoteHead(rig)
    let record = sampleRecord("late")
    await #expect {
      try await late.write([record.address: record])
    } throws: { error in
      guard case StateError.lockLost(_, let by) = error else { return false }
      return by?.id == winner.id
    }
    // Once lost, nothing more is written, whatever the call.
    await #expect {
      _ = try await late.journalBegin(run: "r", address: record.address, action: "create")
    } throws: { error in
      if case StateError.lockLost = error { return true }
      return false
    }
    #expect(try await remoteHead(rig) == before)
    #expect(try await other.record(record.address) == nil)
    #expect(try await other.currentLock()?.id == winner.id)
    _ = lost
  }

  @Test("a push the remote refuses (a hook, a ruleset) names the fixes and leaves the branch as it was")
  func refusedPush() async throws {
    let rig = try await StateRig(.git)
    let store = try await rig.open()
    let record = sampleRecord("a")
    try await store.write([record.address: record])
    try await installHook(
      rig,
      """
      echo "error: GH013: Repository rule violations found for refs/heads/boardctl-state." >&2
      exit 1
      """)
    let before = try await remoteHead(rig)
    let changed = sampleRecord("a", title: "Changed")
    await #expect {
      try await store.write([changed.address: changed])
    } throws: { error in
      guard case StateError.unavailable = error else { return false }
      let text = "\(error)"
      return text.contains("permissions: contents: write") && text.contains("GH013") && text.contains("exception")
    }
    #expect(try await remoteHead(rig) == before)
    // Reading never pushes: a read-only remote still serves plans.
    let reader = try #require(try await rig.openForReading(runner: 1))
    #expect(try await reader.snapshot()?.records == [record])
  }

  @Test("no git on PATH: a clear error naming the fix, nothing written")
  func missingGit() async throws {
    let rig = try await StateRig(.git)
    guard case .git(let location) = rig.location() else { return }
    await #expect {
      _ = try await GitStateStore.open(location, create: true, environment: ["PATH": rig.folder.path + "/no-bin"])
    } throws: { error in
      guard case StateError.unavailable = error else { return false }
      return "\(error)".contains("git program is not on PATH") && "\(error)".contains("Install git")
    }
    #expect(try await git(["branch", "--list", "boardctl-state"], in: bare(rig)).isEmpty)
  }

  @Test("a folder that is not a repository, or a remote name it does not have, is refused by name")
  func badRepository() async throws {
    let rig = try await StateRig(.git)
    let plain = rig.folder.path + "/plain"
    try FileManager.default.createDirectory(atPath: plain, withIntermediateDirectories: true)
    await #expect {
      _ = try await GitStateStore.open(GitStateLocation(repository: plain, lease: .seconds(60)), create: true)
    } throws: { error in
      guard case StateError.unavailable = error else { return false }
      return "\(error)".contains("is not a git repository")
    }
    guard case .git(var location) = rig.location() else { return }
    location.remote = "upstream"
    await #expect {
      _ = try await GitStateStore.open(location, create: true)
    } throws: { error in
      guard case StateError.unavailable = error else { return false }
      return "\(error)".contains("no remote named 'upstream'") && "\(error)".contains("git remote add upstream")
    }
  }

  @Test("an unreachable remote is reported without the credentials in its URL")
  func unreachableRemote() async throws {
    let rig = try await StateRig(.git)
    guard case .git(var location) = rig.location() else { return }
    location.remote = "https://ci-bot:s3cret-token@127.0.0.1:9/acme/jobs.git"
    await #expect {
      _ = try await GitStateStore.open(location, create: false)
    } throws: { error in
      guard case StateError.unavailable = error else { return false }
      let text = "\(error)"
      return !text.contains("s3cret") && !text.contains("ci-bot") && text.contains("https://***@127.0.0.1:9/acme")
    }
  }

  @Test("a branch that is not boardctl state is refused and left as it was")
  func foreignBranch() async throws {
    let rig = try await StateRig(.git)
    guard case .git(let location) = rig.location() else { return }
    try await git(["push", "--quiet", "origin", "HEAD:refs/heads/boardctl-state"], in: location.repository)
    let before = try await remoteHead(rig)
    for create in [false, true] {
      await #expect {
        _ = try await GitStateStore.open(location, create: create)
      } throws: { error in
        guard case StateError.foreign = error else { return false }
        return "\(error)".contains("Choose another branch")
      }
    }
    #expect(try await remoteHead(rig) == before)
  }

  @Test("a state written in a newer format is neither read nor written")
  func newerFormat() async throws {
    let rig = try await StateRig(.git)
    let store = try await rig.open()
    let record = sampleRecord("a")
    try await store.write([record.address: record])
    // A newer boardctl's commit: only `meta` changed, to format 2.
    guard case .git(let location) = rig.location(runner: 1) else { return }
    let checkout = location.repository
    try await git(["fetch", "--quiet", "origin", "boardctl-state"], in: checkout)
    let parent = try await git(["rev-parse", "FETCH_HEAD"], in: checkout).trimmed
    let blob = try await git(
      ["hash-object", "-w", "--stdin"], in: checkout, input: "boardctl-state 2\nlineage x\nserial 9\n"
    )
    .trimmed
    let tree = try await git(["mktree"], in: checkout, input: "100644 blob \(blob)\tmeta\n").trimmed
    let commit = try await git(["commit-tree", tree, "-p", parent, "-m", "from the future"], in: checkout).trimmed
    try await git(["push", "--quiet", "origin", "\(commit):refs/heads/boardctl-state"], in: checkout)
    for create in [false, true] {
      await #expect {
        _ = try await StateStores.open(rig.location(runner: 2), create: create)
      } throws: { error in
        guard case StateError.newerSchema(_, let version) = error else { return false }
        return version == 2
      }
    }
    // A store opened before the upgrade refuses to write over it too.
    await #expect(throws: StateError.self) {
      _ = try await store.snapshot()
    }
    #expect(try await remoteHead(rig) == commit)
  }

  @Test("changes queued while a push is in flight go out together in the next commit, named by the lock holder")
  func groupCommit() async throws {
    let rig = try await StateRig(.git)
    let store = try #require(try await rig.open() as? GitStateStore)
    let lock = try await store.lock(LockRequest(operation: "apply"))
    let commitsBefore = try await commitCount(rig)
    let entered = rig.folder.path + "/hook-entered"
    let release = rig.folder.path + "/release"
    // Holds the first push until the test has queued the others (bounded, so a bug cannot hang).
    try await installHook(
      rig,
      """
      cat > /dev/null
      touch '\(entered)'
      i=0
      while [ ! -f '\(release)' ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i+1)); done
      """)
    let firstRecord = sampleRecord("a")
    let first = Task { try await store.write([firstRecord.address: firstRecord]) }
    try await waitUntil { FileManager.default.fileExists(atPath: entered) }
    let queued = (0..<10).map { n in
      Task {
        let record = sampleRecord("p\(n)")
        try await store.write([record.address: record])
      }
    }
    try await waitUntil { await store.branch.queuedChanges == 10 }
    _ = FileManager.default.createFile(atPath: release, contents: nil)
    try await first.value
    for task in queued { try await task.value }
    #expect(try await store.snapshot()?.records.count == 11)
    #expect(try await commitCount(rig) == commitsBefore + 2)
    let subjects = try await git(["log", "-2", "--format=%s", "boardctl-state"], in: bare(rig)).split(separator: "\n")
    let actor = "apply by \(lock.holder)" + (lock.ciRun.map { " (\($0))" } ?? "")
    #expect(subjects == ["\(actor): 10 records", "\(actor): 1 record"])
    try await store.unlock(lock)
    #expect(
      try await git(["log", "-1", "--format=%s", "boardctl-state"], in: bare(rig)).trimmed.hasPrefix("unlock: apply by")
    )
  }

  @Test("the user's working tree, index, HEAD and branches are left exactly as they were")
  func checkoutUntouched() async throws {
    let rig = try await StateRig(.git)
    guard case .git(let location) = rig.location() else { return }
    let checkout = location.repository
    try Data("edited, not staged\n".utf8).write(to: URL(fileURLWithPath: checkout + "/README.md"))
    try Data("staged\n".utf8).write(to: URL(fileURLWithPath: checkout + "/staged.txt"))
    try await git(["add", "staged.txt"], in: checkout)
    try Data("untracked\n".utf8).write(to: URL(fileURLWithPath: checkout + "/untracked.txt"))
    func observe() async throws -> [String] {
      // Read-only git: a status that refreshed the index's stat cache would change it itself.
      [
        String(decoding: try Data(contentsOf: URL(fileURLWithPath: checkout + "/.git/index")), as: UTF8.self),
        try await git(["status", "--porcelain"], in: checkout), try await git(["rev-parse", "HEAD"], in: checkout),
        try await git(["symbolic-ref", "HEAD"], in: checkout),
        try await git(["for-each-ref", "refs/heads", "refs/remotes", "refs/tags"], in: checkout),
        try await git(["stash", "list"], in: checkout),
      ]
    }
    let before = try await observe()
    let store = try await rig.open()
    let lock = try await store.lock(LockRequest(operation: "apply"))
    let record = sampleRecord("a")
    let entry = try await store.journalBegin(run: "r1", address: record.address, action: "create")
    try await store.journalFinish(entry, saving: [record.address: record])
    _ = try await store.snapshot()
    try await store.unlock(lock)
    _ = try await rig.openForReading()?.snapshot()
    #expect(try await observe() == before)
    #expect(!FileManager.default.fileExists(atPath: checkout + "/.git/FETCH_HEAD"))
    #expect(
      try await git(["for-each-ref", "--format=%(refname)", "refs/boardctl"], in: checkout).trimmed
        == "refs/boardctl/boardctl-state")
  }

  @Test("no field of a record is lost, whatever its text")
  func everyField() async throws {
    let rig = try await StateRig(.git)
    let store = try await rig.open()
    let full = StateRecord(
      address: Address(board: "careers", object: "page", name: "odd/name with spaces.%2F.é"), platform: "careers-site",
      attributes: [
        "key\twith\ttabs": .string("value\r\nwith CRLF"), "empty": .string(""), "dash": .string("-"),
        "unicode": .string("Zürich — 東京 🚀"), "negative": .number(-0.5), "huge": .number(1e300), "int": .number(42),
        "no": .bool(false), "yes": .bool(true), "gone": .null, "secret": .sensitive(fingerprint: "f\\p\t1"),
        "line\nkey": .string("\\n is not a newline"),
      ], renderKey: "render\tkey", digest: "-", stamp: "", status: .closed, onRemove: .keep, remoteID: " leading space",
      firstPublished: "2026-11-01\n", updatedAt: "")
    let minimal = StateRecord(
      address: Address(board: ".hidden", object: "job", name: ".."), platform: "manatal", attributes: [:],
      status: .importing)
    try await store.write([full.address: full, minimal.address: minimal])
    let reader = try #require(try await rig.openForReading(runner: 1))
    #expect(try await reader.snapshot()?.records == [full, minimal].sorted { $0.address < $1.address })
    #expect(try await reader.record(full.address) == full)
    #expect(try await reader.record(minimal.address) == minimal)
    let entry = try await store.journalBegin(run: "-", address: full.address, action: "update")
    try await store.journalFinish(entry, error: "first line\n\tsecond\\line")
    // Entries without state ride with the next commit; closing the store pushes them.
    await store.close()
    let observer = try #require(try await rig.openForReading(runner: 2))
    let journal = try await observer.journal(limit: 1)
    #expect(journal.first?.error == "first line\n\tsecond\\line")
    #expect(journal.first?.run == "-")
    #expect(journal.first?.address == full.address.description)
  }

  @Test("two runners creating the state at once end up sharing one lineage")
  func createRace() async throws {
    let rig = try await StateRig(.git)
    async let a = rig.open(runner: 1)
    async let b = rig.open(runner: 2)
    let (first, second) = try await (a, b)
    let lineages = [try await first.snapshot()?.lineage, try await second.snapshot()?.lineage]
    #expect(lineages[0] != nil && lineages[0] == lineages[1])
    #expect(try await commitCount(rig) == 1)
  }

  @Test("the journal keeps the latest runs in the tree; older blocks stay in the history")
  func journalCompaction() async throws {
    let rig = try await StateRig(.git)
    let store = try await rig.open()
    // 22 runs of 300 entries: blocks of 256 ids, so runs 1–3 (ids 1–900) fill blocks 0–2 alone.
    var entries: [JournalEntry] = []
    for run in 1...22 {
      for n in 1...300 {
        let id = Int64((run - 1) * 300 + n)
        entries.append(
          JournalEntry(
            id: id, run: "run-\(run)", address: "careers.page.p\(n)", action: "create",
            startedAt: "2026-11-21T10:00:00Z",
            finishedAt: "2026-11-21T10:00:01Z", outcome: "ok"))
      }
    }
    // One pending entry keeps its block (ids 257–512) until it is reported.
    entries[299].outcome = "pending"
    entries[299].finishedAt = nil
    try await store.importState(
      StateExport(lineage: UUID().uuidString.lowercased(), serial: 3, records: [], journal: entries))
    _ = try await store.journalBegin(
      run: "run-23", address: Address(board: "careers", object: "page", name: "a"), action: "create")
    let kept = try await store.exportState().journal  // pushes the deferred entry first
    let tree = try await git(["ls-tree", "--name-only", "boardctl-state", "journal/"], in: bare(rig)).split(
      separator: "\n")
    #expect(tree.first == "journal/0000000001")
    #expect(!tree.contains("journal/0000000000") && !tree.contains("journal/0000000002"))
    #expect(tree.contains("journal/0000000003"))
    #expect(kept.first?.id == 257)
    #expect(kept.last?.id == 6601)
    #expect(try await git(["show", "boardctl-state~1:journal/0000000000"], in: bare(rig)).contains("\trun-1\t"))
  }

  @Test(
    "measure: push latency, a 20,000-record snapshot, group commit",
    .enabled(if: ProcessInfo.processInfo.environment["BOARDCTL_GIT_BENCH"] != nil))
  func measure() async throws {
    let rig = try await StateRig(.git)
    // The other runners' checkouts exist before the state grows, so their fetches transfer it.
    _ = (rig.location(runner: 1), rig.location(runner: 2))
    let store = try await rig.open()
    let clock = ContinuousClock()
    var latencies: [Duration] = []
    for n in 0..<30 {
      let record = sampleRecord("p\(n)")
      let start = clock.now
      try await store.write([record.address: record])
      latencies.append(clock.now - start)
    }
    latencies.sort()
    print("git state: one write (commit + push to a local bare remote): median \(latencies[15]), p90 \(latencies[27])")

    var records: [Address: StateRecord?] = [:]
    for n in 0..<20_000 { records[sampleRecord("posting-\(n)").address] = sampleRecord("posting-\(n)") }
    var start = clock.now
    try await store.write(records)
    print("git state: writing 20,000 records in one commit took \(clock.now - start)")
    start = clock.now
    let reader = try #require(try await rig.openForReading(runner: 1))
    let opened = clock.now - start
    start = clock.now
    let snapshot = try #require(try await reader.snapshot())
    let read = clock.now - start
    #expect(snapshot.records.count == 20_030)
    print(
      "git state: a second runner's open (fetch + ls-tree + cat-file --batch + decode) of 20,030 records: \(opened); snapshot() after: \(read)"
    )
    start = clock.now
    let cold = try #require(try await rig.openForReading(runner: 2))
    _ = try await cold.snapshot()
    print("git state: open + snapshot on a third runner: \(clock.now - start)")

    let lock = try await store.lock(LockRequest(operation: "apply"))
    start = clock.now
    try await withThrowingTaskGroup(of: Void.self) { group in
      for worker in 0..<8 {
        group.addTask {
          for n in 0..<25 {
            let address = Address(board: "careers", object: "page", name: "w\(worker)-\(n)")
            let entry = try await store.journalBegin(run: "bench", address: address, action: "create")
            try await store.journalFinish(entry, saving: [address: sampleRecord("w\(worker)-\(n)")])
          }
        }
      }
      try await group.waitForAll()
    }
    let elapsed = clock.now - start
    let commits = try await git(
      ["rev-list", "--count", "boardctl-state", "--since=1 hour ago", "--grep=journal"], in: bare(rig))
    print("git state: 200 actions (400 journal calls) at concurrency 8: \(elapsed), in \(commits.trimmed) commits")
    try await store.unlock(lock)
  }
}

/// The rig's bare remote.
private func bare(_ rig: StateRig) -> String { rig.folder.path + "/remote.git" }

private func remoteHead(_ rig: StateRig) async throws -> String {
  try await git(["rev-parse", "refs/heads/boardctl-state"], in: bare(rig)).trimmed
}

private func commitCount(_ rig: StateRig) async throws -> Int {
  Int(try await git(["rev-list", "--count", "refs/heads/boardctl-state"], in: bare(rig)).trimmed) ?? -1
}

/// Installs `script` as the bare remote's pre-receive hook.
private func installHook(_ rig: StateRig, _ script: String) async throws {
  let path = bare(rig) + "/hooks/pre-receive"
  try Data("#!/bin/sh\n\(script)\n".utf8).write(to: URL(fileURLWithPath: path))
  try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: path)
}

/// Polls `condition` until it holds (a deadline, not a guess, bounds it).
private func waitUntil(_ condition: () async throws -> Bool) async throws {
  let deadline = ContinuousClock.now + .seconds(60)
  while try await !condition() {
    guard ContinuousClock.now < deadline else { throw GitTestFailure(message: "timed out waiting for a condition") }
    try await Task.sleep(for: .milliseconds(10))
  }
}

/// Runs git for a test; throws with its message when it fails. Started the way the backend
/// starts git (not with Foundation's `Process`, which can crash on this toolchain).
@discardableResult
private func git(_ arguments: [String], in directory: String, input: String? = nil) async throws -> String {
  var environment = ProcessInfo.processInfo.environment
  environment["GIT_AUTHOR_NAME"] = "Test"
  environment["GIT_AUTHOR_EMAIL"] = "test@example.com"
  environment["GIT_COMMITTER_NAME"] = "Test"
  environment["GIT_COMMITTER_EMAIL"] = "test@example.com"
  environment["GIT_OPTIONAL_LOCKS"] = "0"
  let executable = try #require(GitProcess(environment: environment)).executable
  let output = try await ChildProcess(executable, ["-C", directory] + arguments, environment: environment)
    .run(input: input.map { Data($0.utf8) })
  guard output.succeeded else {
    throw GitTestFailure(message: "git \(arguments.joined(separator: " ")): \(output.errorText)")
  }
  return output.standardOutput
}

private struct GitTestFailure: Error, CustomStringConvertible {
  var message: String
  var description: String { message }
}

extension String {
  fileprivate var trimmed: String { trimmingCharacters(in: .whitespacesAndNewlines) }
}
