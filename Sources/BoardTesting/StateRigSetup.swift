import BoardCore
import BoardState
import BoardSupport
import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// How a `StateRig` made its backend ready.
enum StateRigSetup: Sendable {
  case sqlite(path: String)
  case git(GitRig)
  case postgres(url: String)

  func location(runner: Int, lease: Duration, folder: TemporaryFolder) -> StateLocation {
    switch self {
    case .sqlite(let path):
      return .sqlite(path: path)
    case .git(let remote):
      return .git(GitStateLocation(repository: remote.runner(runner), lease: lease))
    case .postgres(let url):
      return .postgres(PostgresStateLocation(url: PlainSecret(url), source: "the test database", lease: lease))
    }
  }

  /// A local bare repository, `<folder>/remote.git`, with one commit on `main`, as the remote
  /// CI runners share; each runner gets its own clone when it first asks for its location.
  static func git(in folder: TemporaryFolder) async throws -> StateRigSetup {
    let remote = GitRig(folder: folder.path)
    let seed = folder.path + "/seed"
    try GitRig.git(["init", "--quiet", "--bare", "--initial-branch=main", remote.bare], in: folder.path)
    try GitRig.git(["init", "--quiet", "--initial-branch=main", seed], in: folder.path)
    try Data("# the project\n".utf8).write(to: URL(fileURLWithPath: seed + "/README.md"))
    try GitRig.git(["add", "README.md"], in: seed)
    try GitRig.git(["commit", "--quiet", "-m", "the project's first commit"], in: seed)
    try GitRig.git(["push", "--quiet", remote.bare, "HEAD:refs/heads/main"], in: seed)
    return .git(remote)
  }

  /// A fresh database on the test server (`TestPostgresServer`); throws, telling how to start
  /// one, when the server cannot be reached.
  static func postgres() async throws -> StateRigSetup {
    .postgres(url: try await TestPostgresServer.createDatabase())
  }

  func abandonLock(rig: StateRig) async throws -> LockInfo {
    switch self {
    case .sqlite(let path):
      // A process that held the lock and died: its row stays, its flock is gone.
      let store = try await rig.open()
      let gone = LockInfo(
        id: UUID().uuidString.lowercased(), operation: "apply", holder: LockInfo.forThisProcess(operation: "x").holder,
        pid: try await deadProcessID(), since: StateTime.timestamp())
      let queue = try DatabaseQueue(path: path)
      try await queue.write { db in
        try db.execute(
          sql: "INSERT INTO boardctl_lock (singleton, id, operation, holder, pid, since) VALUES (1, ?, ?, ?, ?, ?)",
          arguments: [gone.id, gone.operation, gone.holder, gone.pid, gone.since])
      }
      _ = store
      return gone
    case .postgres:
      // A holder that stopped renewing: its lease (the rig's, short in such tests) lapses.
      let store = try await rig.open()
      let lock = try await store.lock(LockRequest(operation: "apply"))
      await store.close()
      return lock
    case .git:
      // A runner that took the lock with the rig's lease and stopped renewing it, as a killed
      // CI job does: its lease lapses and nothing else happens.
      let store = try await rig.open(runner: GitRig.abandoningRunner)
      let attempt = try await store.tryLock(LockInfo.forThisProcess(operation: "apply"))
      await store.close()
      guard case .acquired(let lock, _) = attempt else {
        throw StateRigError(message: "abandonLock: the lock was already held: \(attempt)")
      }
      return lock
    }
  }

}

extension StateRigSetup {
  /// The git rig's remote: a bare repository, and a clone of it per runner, made on first use.
  final class GitRig: Sendable {
    let folder: String
    let runners = Mutex<Set<Int>>([])

    /// The runner `abandonLock` uses, apart from the ones tests name.
    static let abandoningRunner = 999

    init(folder: String) {
      self.folder = folder
    }

    var bare: String { folder + "/remote.git" }

    /// Runner `n`'s checkout: a clone whose `origin` is the bare repository.
    func runner(_ n: Int) -> String {
      let path = folder + "/runner-\(n)"
      runners.withLock { made in
        guard !made.contains(n) else { return }
        // A failed clone shows as "not a git repository" when the runner opens its state.
        if (try? Self.git(["clone", "--quiet", bare, path], in: folder)) != nil { made.insert(n) }
      }
      return path
    }

    /// Runs git for the rig's set-up, with an identity of its own; throws with git's message.
    /// Started with `posix_spawn`, as the backend starts git: Foundation's `Process.run()` can
    /// crash on this toolchain (swift-corelibs-foundation #5472).
    @discardableResult
    static func git(_ arguments: [String], in directory: String) throws -> String {
      var environment = ProcessInfo.processInfo.environment
      for (name, value) in [
        ("GIT_AUTHOR_NAME", "Test"), ("GIT_AUTHOR_EMAIL", "test@example.com"), ("GIT_COMMITTER_NAME", "Test"),
        ("GIT_COMMITTER_EMAIL", "test@example.com"), ("GIT_TERMINAL_PROMPT", "0"),
      ] {
        environment[name] = value
      }
      // Output goes to files: nothing to drain while waiting.
      let base = FileManager.default.temporaryDirectory.appendingPathComponent("boardctl-rig-\(UUID().uuidString)").path
      defer {
        unlink(base + ".out")
        unlink(base + ".err")
      }
      var actions = posix_spawn_file_actions_t()
      posix_spawn_file_actions_init(&actions)
      defer { posix_spawn_file_actions_destroy(&actions) }
      posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
      posix_spawn_file_actions_addopen(&actions, 1, base + ".out", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
      posix_spawn_file_actions_addopen(&actions, 2, base + ".err", O_WRONLY | O_CREAT | O_TRUNC, 0o600)
      let argv = (["/usr/bin/env", "git", "-C", directory] + arguments).map { strdup($0) } + [nil]
      let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
      defer {
        for pointer in argv + envp { free(pointer) }
      }
      var pid = pid_t()
      let spawned = posix_spawn(&pid, "/usr/bin/env", &actions, nil, argv, envp)
      guard spawned == 0 else {
        throw StateRigError(message: "cannot start git: \(String(cString: strerror(spawned)))")
      }
      var status: Int32 = 0
      while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
      let output = FileManager.default.contents(atPath: base + ".out") ?? Data()
      guard status == 0 else {
        let message = FileManager.default.contents(atPath: base + ".err") ?? Data()
        throw StateRigError(
          message: "git \(arguments.joined(separator: " ")): \(String(decoding: message, as: UTF8.self))")
      }
      return String(decoding: output, as: UTF8.self)
    }
  }
}

/// A test's plain-text secret.
struct PlainSecret: SensitiveValue {
  let value: String
  init(_ value: String) { self.value = value }
  func revealText() -> String { value }
  var description: String { "(sensitive value)" }
}
