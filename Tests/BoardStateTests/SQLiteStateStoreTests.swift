import BoardCore
import BoardSpec
import BoardState
import BoardSupport
import BoardTesting
import Foundation
import Testing

@Suite("SQLite state")
struct SQLiteStateStoreTests {
  @Test("the file is in WAL mode")
  func wal() throws {
    let folder = TemporaryFolder()
    _ = try SQLiteStateStore.open(path: folder.path + "/state.db")
    let header = try #require(FileManager.default.contents(atPath: folder.path + "/state.db"))
    // Bytes 18 and 19 of the SQLite header are 2 in WAL mode.
    #expect(header[18] == 2 && header[19] == 2)
  }

  @Test("reading a state that does not exist creates nothing")
  func noCreate() async throws {
    let folder = TemporaryFolder()
    #expect(try await StateStores.open(.sqlite(path: folder.path + "/state.db"), create: false) == nil)
    #expect(!folder.exists("state.db"))
  }

  @Test("a killed holder's lock is free at once: the OS dropped its flock")
  func flockTakeover() async throws {
    let folder = TemporaryFolder()
    let path = folder.path + "/state.db"
    // A child that takes the flock and says so: the test waits for its word, not for a guess.
    let holder = """
      import fcntl, os, sys, time
      fd = os.open(sys.argv[1], os.O_RDWR | os.O_CREAT, 0o644)
      fcntl.flock(fd, fcntl.LOCK_EX)
      open(sys.argv[2], 'w').write('locked')
      time.sleep(120)
      """
    let child = try ChildProcess(
      "/usr/bin/env", ["python3", "-c", holder, path + ".lock", folder.path + "/locked"]
    ).start()
    defer { child.send(SIGKILL) }
    let store = try SQLiteStateStore.open(path: path)
    let deadline = Date().addingTimeInterval(60)
    while Date() < deadline && child.isRunning && folder.read("locked") != "locked" {
      try await Task.sleep(for: .milliseconds(20))
    }
    try #require(folder.read("locked") == "locked", "the child never took the flock (status \(child.status ?? -1))")
    guard case .held = try await store.tryLock(LockInfo.forThisProcess(operation: "apply")) else {
      Issue.record(
        "the flock held by another process did not block the lock (flock running: \(child.isRunning), status \(child.status.map(String.init) ?? "none"))"
      )
      return
    }
    child.send(SIGKILL)
    _ = await child.exitStatus()
    guard case .acquired = try await store.tryLock(LockInfo.forThisProcess(operation: "apply")) else {
      Issue.record("the lock stayed held after its holder died")
      return
    }
  }

  @Test("a file that is not SQLite is refused and left byte for byte as it was")
  func notADatabase() throws {
    let folder = TemporaryFolder()
    let path = folder.write("state.db", "this is my shopping list, not a database\n")
    let before = folder.snapshot()
    #expect {
      try SQLiteStateStore.open(path: path)
    } throws: { error in
      guard case StateError.notADatabase = error else { return false }
      return true
    }
    #expect(folder.snapshot() == before)
  }

  @Test("another program's SQLite database is refused and left unchanged")
  func foreignDatabase() async throws {
    let folder = TemporaryFolder()
    let path = folder.path + "/state.db"
    try await sqlite(path, "create table invoices (id int)")
    let before = folder.snapshot()
    #expect {
      try SQLiteStateStore.open(path: path)
    } throws: { error in
      guard case StateError.foreign = error else { return false }
      return true
    }
    #expect(folder.snapshot() == before)
  }

  @Test("a state written by a newer boardctl is neither read nor written")
  func newerSchema() async throws {
    let folder = TemporaryFolder()
    let path = folder.path + "/state.db"
    _ = try SQLiteStateStore.open(path: path)
    try await sqlite(path, "update boardctl_meta set value = '99' where key = 'schema_version'")
    let before = folder.read("state.db")
    for create in [true, false] {
      await #expect {
        try await StateStores.open(.sqlite(path: path), create: create)
      } throws: { error in
        guard case StateError.newerSchema(_, let version) = error else { return false }
        return version == 99
      }
    }
    #expect(folder.read("state.db") == before)
  }

  @Test("a migration this build does not know is refused too")
  func unknownMigration() async throws {
    let folder = TemporaryFolder()
    let path = folder.path + "/state.db"
    _ = try SQLiteStateStore.open(path: path)
    try await sqlite(path, "insert into grdb_migrations values ('v9: from the future')")
    #expect {
      try SQLiteStateStore.open(path: path)
    } throws: { error in
      guard case StateError.newerSchema = error else { return false }
      return true
    }
  }

  /// Runs SQL on a database with Python's sqlite3, another program than boardctl.
  func sqlite(_ path: String, _ sql: String) async throws {
    let output = try await ChildProcess(
      "/usr/bin/env",
      [
        "python3", "-c", "import sqlite3, sys; c = sqlite3.connect(sys.argv[1]); c.execute(sys.argv[2]); c.commit()",
        path, sql,
      ]
    ).run()
    #expect(output.status == 0, "\(output.standardError)")
  }
}

@Suite("Timestamps")
struct TimestampTests {
  @Test("ISO 8601 in UTC with seconds, as ISO8601DateFormatter writes it")
  func format() {
    for seconds in [0.0, 1_795_000_000.7, 951_782_400] {
      let date = Date(timeIntervalSince1970: seconds)
      let formatter = ISO8601DateFormatter()
      formatter.formatOptions = [.withInternetDateTime]
      #expect(StateTime.timestamp(date) == formatter.string(from: date))
    }
  }
}
