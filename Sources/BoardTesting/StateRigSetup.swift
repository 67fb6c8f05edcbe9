import BoardCore
import BoardState
import Foundation
import GRDB

/// How a `StateRig` made its backend ready.
enum StateRigSetup: Sendable {
  case sqlite(path: String)
  case git(remote: String)
  case postgres(url: String)

  func location(runner: Int, lease: Duration, folder: TemporaryFolder) -> StateLocation {
    switch self {
    case .sqlite(let path):
      return .sqlite(path: path)
    case .git(let remote):
      return .git(GitStateLocation(repository: folder.path + "/runner-\(runner)", remote: remote, lease: lease))
    case .postgres(let url):
      return .postgres(PostgresStateLocation(url: PlainSecret(url), source: "the test database", lease: lease))
    }
  }

  static func git(in folder: TemporaryFolder) async throws -> StateRigSetup {
    throw StateRigError(message: "the git state backend is not built yet")
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
        pid: Self.deadPID(), since: StateTime.timestamp())
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
      throw StateRigError(message: "abandonLock is not built yet for this backend")
    }
  }

  /// The id of a process that has exited.
  static func deadPID() -> Int {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/true")
    try? process.run()
    process.waitUntilExit()
    return Int(process.processIdentifier)
  }
}

/// A test's plain-text secret.
struct PlainSecret: SensitiveValue {
  let value: String
  init(_ value: String) { self.value = value }
  func revealText() -> String { value }
  var description: String { "(sensitive value)" }
}
