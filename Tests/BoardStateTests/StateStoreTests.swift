import BoardCore
import BoardSpec
import BoardState
import BoardTesting
import Foundation
import Testing

func sampleRecord(_ name: String, title: String = "Backend Engineer") -> StateRecord {
  StateRecord(
    address: Address(board: "careers", object: "page", name: name), platform: "careers-site",
    attributes: [
      "title": .string(title), "description": .string("Line one\n\tindented\\backslash"),
      "salary.min": .number(40000.5),
      "location.remote": .bool(true), "nothing": .null,
    ], renderKey: "k", digest: "d", stamp: "5120:1795000000.123456789", status: .open, onRemove: .delete,
    remoteID: "public/\(name).html",
    firstPublished: "2026-11-01", updatedAt: "2026-11-21T10:00:00Z")
}

@Suite("State store")
struct StateStoreTests {
  @Test("records round-trip exactly, text with tabs, newlines and backslashes included")
  func roundTrip() throws {
    let folder = TemporaryFolder()
    let store = try StateStore.open(path: folder.path + "/.boardctl/state.db")
    let record = sampleRecord("backend")
    try store.write([record.address: record])
    #expect(try store.records() == [record])
    #expect(try store.record(record.address) == record)
  }

  @Test("lineage is set once; the serial counts writes")
  func lineageAndSerial() throws {
    let folder = TemporaryFolder()
    let path = folder.path + "/state.db"
    let store = try StateStore.open(path: path)
    let first = try store.metadata()
    #expect(first.serial == 0)
    #expect(first.lineage.count == 36)
    try store.write([sampleRecord("a").address: sampleRecord("a")])
    let removal: [Address: StateRecord?] = [sampleRecord("a").address: nil]
    try store.write(removal)
    let reopened = try StateStore.open(path: path)
    #expect(try reopened.metadata() == StateStore.Metadata(lineage: first.lineage, serial: 2))
    #expect(try reopened.records().isEmpty)
  }

  @Test("the file is in WAL mode")
  func wal() throws {
    let folder = TemporaryFolder()
    _ = try StateStore.open(path: folder.path + "/state.db")
    let header = try #require(FileManager.default.contents(atPath: folder.path + "/state.db"))
    // Bytes 18 and 19 of the SQLite header are 2 in WAL mode.
    #expect(header[18] == 2 && header[19] == 2)
  }

  @Test("openExisting does not create a state file")
  func noCreate() throws {
    let folder = TemporaryFolder()
    #expect(try StateStore.openExisting(path: folder.path + "/state.db") == nil)
    #expect(!folder.exists("state.db"))
  }

  @Test("a second lock fails at once naming the holder; unlock frees it")
  func lock() throws {
    let folder = TemporaryFolder()
    let path = folder.path + "/state.db"
    let first = try StateStore.open(path: path)
    let second = try StateStore.open(path: path)
    let held = try first.lock(operation: "apply")
    #expect(held.operation == "apply")
    #expect(held.holder.contains("@"))
    #expect(held.pid == Int(ProcessInfo.processInfo.processIdentifier))
    #expect(throws: StateError.self) { try second.lock(operation: "apply") }
    do {
      _ = try second.lock(operation: "apply")
    } catch StateError.locked(let info) {
      #expect(info == held)
    }
    try first.unlock(held)
    let again = try second.lock(operation: "state rm")
    #expect(again.id != held.id)
  }

  @Test("a lock timeout gives up with the holder's details when the lock stays held")
  func lockTimeoutExpires() throws {
    let folder = TemporaryFolder()
    let path = folder.path + "/state.db"
    let held = try StateStore.open(path: path).lock(operation: "apply")
    #expect {
      try StateStore.open(path: path).lock(operation: "apply", timeout: 0.2)
    } throws: { error in
      guard case StateError.locked(let info) = error else { return false }
      return info == held
    }
  }

  @Test("a lock timeout waits for the holder to let go")
  func lockTimeout() async throws {
    let folder = TemporaryFolder()
    let path = folder.path + "/state.db"
    let holder = try StateStore.open(path: path)
    let held = try holder.lock(operation: "apply")
    let (blocked, signal) = AsyncStream.makeStream(of: LockInfo.self)
    let waiter = Task.detached { () throws -> LockInfo in
      let store = try StateStore.open(path: path)
      return try store.lock(operation: "apply", timeout: 60) { signal.yield($0) }
    }
    // Release only once the waiter has found the lock held and started waiting.
    var iterator = blocked.makeAsyncIterator()
    let seen = await iterator.next()
    #expect(seen == held)
    try holder.unlock(held)
    let acquired = try await waiter.value
    #expect(acquired.id != held.id)
  }

  @Test("force-unlock needs the exact lock id")
  func forceUnlock() throws {
    let folder = TemporaryFolder()
    let store = try StateStore.open(path: folder.path + "/state.db")
    let held = try store.lock(operation: "apply")
    #expect(throws: StateError.self) { try store.forceUnlock(id: "wrong") }
    #expect(try store.currentLock() == held)
    #expect(try store.forceUnlock(id: held.id) == held)
    #expect(try store.currentLock() == nil)
  }

  @Test("the journal records intent, then outcome; an unfinished entry stays pending")
  func journal() throws {
    let folder = TemporaryFolder()
    let store = try StateStore.open(path: folder.path + "/state.db")
    let address = Address(board: "careers", object: "page", name: "a")
    let ok = try store.journalBegin(run: "r1", address: address, action: "create")
    try store.journalFinish(ok, error: nil)
    let failed = try store.journalBegin(run: "r1", address: address, action: "update")
    try store.journalFinish(failed, error: "disk full")
    _ = try store.journalBegin(run: "r1", address: address, action: "close")
    let entries = try store.journal()
    #expect(entries.map(\.outcome) == ["pending", "failed", "ok"])
    #expect(entries[1].error == "disk full")
    #expect(entries[0].finishedAt == nil)
  }

  @Test("a file that is not SQLite is refused and left byte for byte as it was")
  func notADatabase() throws {
    let folder = TemporaryFolder()
    let path = folder.write("state.db", "this is my shopping list, not a database\n")
    let before = folder.snapshot()
    #expect {
      try StateStore.open(path: path)
    } throws: { error in
      guard case StateError.notADatabase = error else { return false }
      return true
    }
    #expect(folder.snapshot() == before)
  }

  @Test("another program's SQLite database is refused and left unchanged")
  func foreignDatabase() throws {
    let folder = TemporaryFolder()
    let path = folder.path + "/state.db"
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
    process.arguments = [
      "python3", "-c",
      "import sqlite3; c = sqlite3.connect('\(path)'); c.execute('create table invoices (id int)'); c.commit()",
    ]
    try process.run()
    process.waitUntilExit()
    #expect(process.terminationStatus == 0)
    let before = folder.snapshot()
    #expect {
      try StateStore.open(path: path)
    } throws: { error in
      guard case StateError.foreign = error else { return false }
      return true
    }
    #expect(folder.snapshot() == before)
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
      #expect(StateStore.timestamp(date) == formatter.string(from: date))
    }
  }
}

@Suite("State codec")
struct StateCodecTests {
  @Test("a sensitive attribute keeps its fingerprint in state, never a value")
  func sensitive() throws {
    let folder = TemporaryFolder()
    let store = try StateStore.open(path: folder.path + "/state.db")
    var record = sampleRecord("a")
    record.attributes["credential.token"] = .sensitive(fingerprint: "0123abcd")
    try store.write([record.address: record])
    #expect(try store.record(record.address)?.attributes["credential.token"] == .sensitive(fingerprint: "0123abcd"))
  }
}
