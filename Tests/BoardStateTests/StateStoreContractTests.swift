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
      "title": .string(title), "description": .string("Line one\n\tindented\\backslash\r"),
      "salary.min": .number(40000.5),
      "location.remote": .bool(true), "nothing": .null, "credential.token": .sensitive(fingerprint: "0123abcd"),
    ], renderKey: "k", digest: "d", stamp: "5120:1795000000.123456789", status: .open, onRemove: .delete,
    remoteID: "public/\(name).html",
    firstPublished: "2026-11-01", updatedAt: "2026-11-21T10:00:00Z")
}

/// What every state backend must do, run against each of them.
@Suite("State store contract")
struct StateStoreContractTests {
  @Test("no state until one is created; reading never creates one", arguments: StateBackendKind.allCases)
  func noStateYet(_ kind: StateBackendKind) async throws {
    let rig = try await StateRig(kind)
    #expect(try await rig.openForReading() == nil)
    #expect(try await rig.openForReading() == nil)
    let store = try await rig.open()
    let snapshot = try #require(try await store.snapshot())
    #expect(snapshot.serial == 0)
    #expect(snapshot.records.isEmpty)
    #expect(snapshot.lineage.count == 36)
  }

  @Test("records round-trip exactly: tabs, newlines, backslashes, fingerprints", arguments: StateBackendKind.allCases)
  func roundTrip(_ kind: StateBackendKind) async throws {
    let rig = try await StateRig(kind)
    let store = try await rig.open()
    let records = [sampleRecord("backend"), sampleRecord("analyst", title: "Analyst\twith tab")]
    try await store.write(Dictionary(uniqueKeysWithValues: records.map { ($0.address, $0) }))
    let reader = try #require(try await rig.openForReading(runner: 1))
    #expect(try await reader.snapshot()?.records == records.sorted { $0.address < $1.address })
    #expect(try await reader.record(records[0].address) == records[0])
    #expect(try await reader.record(Address(board: "careers", object: "page", name: "nobody")) == nil)
  }

  @Test("the lineage is set once; the serial counts writes", arguments: StateBackendKind.allCases)
  func lineageAndSerial(_ kind: StateBackendKind) async throws {
    let rig = try await StateRig(kind)
    let store = try await rig.open()
    let first = try #require(try await store.snapshot())
    let record = sampleRecord("a")
    try await store.write([record.address: record])
    let removal: [Address: StateRecord?] = [record.address: nil]
    try await store.write(removal)
    let reopened = try #require(try await rig.openForReading(runner: 1)?.snapshot())
    #expect(reopened.lineage == first.lineage)
    #expect(reopened.serial == first.serial + 2)
    #expect(reopened.records.isEmpty)
  }

  @Test("a second lock is refused naming the holder; unlock frees it", arguments: StateBackendKind.allCases)
  func lock(_ kind: StateBackendKind) async throws {
    let rig = try await StateRig(kind)
    let first = try await rig.open()
    let second = try await rig.open(runner: 1)
    let held = try await first.lock(LockRequest(operation: "apply"))
    #expect(held.operation == "apply")
    #expect(held.holder.contains("@"))
    #expect(held.pid == Int(ProcessInfo.processInfo.processIdentifier))
    await #expect {
      try await second.lock(LockRequest(operation: "apply"))
    } throws: { error in
      guard case StateError.locked(let info) = error else { return false }
      return info.id == held.id && info.operation == "apply"
    }
    #expect(try await second.currentLock()?.id == held.id)
    try await first.unlock(held)
    #expect(try await second.currentLock() == nil)
    let again = try await second.lock(LockRequest(operation: "state rm"))
    #expect(again.id != held.id)
    try await second.unlock(again)
  }

  @Test("a lock timeout waits for the holder to let go", arguments: StateBackendKind.allCases)
  func lockWaits(_ kind: StateBackendKind) async throws {
    let rig = try await StateRig(kind)
    let holder = try await rig.open()
    let held = try await holder.lock(LockRequest(operation: "apply"))
    let waiterStore = try await rig.open(runner: 1)
    let (blocked, signal) = AsyncStream.makeStream(of: LockInfo.self)
    let waiter = Task {
      try await waiterStore.lock(
        LockRequest(operation: "apply", timeout: .seconds(60), onWaiting: { signal.yield($0) }))
    }
    // Release only once the waiter has found the lock held and started waiting.
    var iterator = blocked.makeAsyncIterator()
    #expect(await iterator.next()?.id == held.id)
    try await holder.unlock(held)
    let acquired = try await waiter.value
    #expect(acquired.id != held.id)
    try await waiterStore.unlock(acquired)
  }

  @Test(
    "a lock timeout gives up with the holder's details when the lock stays held", arguments: StateBackendKind.allCases)
  func lockTimeout(_ kind: StateBackendKind) async throws {
    let rig = try await StateRig(kind)
    let holder = try await rig.open()
    let held = try await holder.lock(LockRequest(operation: "apply"))
    let other = try await rig.open(runner: 1)
    await #expect {
      try await other.lock(LockRequest(operation: "apply", timeout: .milliseconds(300)))
    } throws: { error in
      guard case StateError.locked(let info) = error else { return false }
      return info.id == held.id
    }
  }

  @Test("a holder that is provably gone is taken over, naming it", arguments: StateBackendKind.allCases)
  func deadHolder(_ kind: StateBackendKind) async throws {
    let rig = try await StateRig(kind, lease: .seconds(1))
    let gone = try await rig.abandonLock()
    let store = try await rig.open(runner: 1)
    let replaced = Captured<LockInfo?>(nil)
    let lock = try await store.lock(
      LockRequest(operation: "apply", timeout: .seconds(30), onTakeover: { info in replaced.set(info) }))
    #expect(replaced.value?.id == gone.id)
    #expect(try await store.currentLock()?.id == lock.id)
    try await store.unlock(lock)
  }

  @Test(
    "force-unlock needs the exact lock id and refuses a live holder unless forced", arguments: StateBackendKind.allCases
  )
  func forceUnlock(_ kind: StateBackendKind) async throws {
    let rig = try await StateRig(kind)
    let store = try await rig.open()
    let held = try await store.lock(LockRequest(operation: "apply"))
    let other = try await rig.open(runner: 1)
    await #expect(throws: StateError.self) { try await other.forceUnlock(id: "wrong", evenIfAlive: true) }
    await #expect {
      try await other.forceUnlock(id: held.id, evenIfAlive: false)
    } throws: { error in
      guard case StateError.holderAlive(let info) = error else { return false }
      return info.id == held.id
    }
    #expect(try await other.currentLock()?.id == held.id)
    #expect(try await other.forceUnlock(id: held.id, evenIfAlive: true).id == held.id)
    #expect(try await other.currentLock() == nil)
  }

  @Test(
    "the journal records intent, then outcome; unfinished entries are reported once",
    arguments: StateBackendKind.allCases)
  func journal(_ kind: StateBackendKind) async throws {
    let rig = try await StateRig(kind)
    let store = try await rig.open()
    let address = Address(board: "careers", object: "page", name: "a")
    let ok = try await store.journalBegin(run: "r1", address: address, action: "create")
    try await store.journalFinish(ok, error: nil)
    let failed = try await store.journalBegin(run: "r1", address: address, action: "update")
    try await store.journalFinish(failed, error: "disk full")
    let other = Address(board: "careers", object: "page", name: "b")
    _ = try await store.journalBegin(run: "r1", address: other, action: "close")
    let entries = try await store.journal(limit: 10)
    #expect(entries.map(\.outcome) == ["pending", "failed", "ok"])
    #expect(entries.map(\.action) == ["close", "update", "create"])
    #expect(entries[1].error == "disk full")
    #expect(entries[0].finishedAt == nil)
    #expect(try await store.journal(limit: 1).count == 1)

    let next = try await rig.open(runner: 1)
    #expect(try await next.takeInterrupted(exceptRun: "r2") == [other])
    #expect(try await next.takeInterrupted(exceptRun: "r3").isEmpty)
    #expect(try await next.journal(limit: 10).first?.outcome == "interrupted")
  }

  @Test("an outcome and the state it produced are saved together", arguments: StateBackendKind.allCases)
  func finishSaving(_ kind: StateBackendKind) async throws {
    let rig = try await StateRig(kind)
    let store = try await rig.open()
    let record = sampleRecord("a")
    let entry = try await store.journalBegin(run: "r1", address: record.address, action: "create")
    try await store.journalFinish(entry, saving: [record.address: record])
    let reader = try #require(try await rig.openForReading(runner: 1))
    #expect(try await reader.snapshot()?.records == [record])
    #expect(try await reader.snapshot()?.serial == 1)
    #expect(try await reader.journal(limit: 1).first?.outcome == "ok")
  }

  @Test(
    "export then import into an empty state keeps everything, lineage and serial included",
    arguments: StateBackendKind.allCases)
  func transfer(_ kind: StateBackendKind) async throws {
    let source = try await StateRig(.sqlite).open()
    let records = [sampleRecord("a"), sampleRecord("b")]
    try await source.write(Dictionary(uniqueKeysWithValues: records.map { ($0.address, $0) }))
    let entry = try await source.journalBegin(run: "r1", address: records[0].address, action: "create")
    try await source.journalFinish(entry, error: nil)
    let export = try await source.exportState()

    let rig = try await StateRig(kind)
    let target = try await rig.open()
    try await target.importState(export)
    let copied = try #require(try await rig.openForReading(runner: 1))
    #expect(try await copied.exportState() == export)
    await #expect {
      try await target.importState(export)
    } throws: { error in
      guard case StateError.notEmpty = error else { return false }
      return true
    }
  }
}

/// A value set from a callback and read after it.
final class Captured<Value: Sendable>: @unchecked Sendable {
  private let lock = NSLock()
  private var stored: Value
  init(_ value: Value) { stored = value }
  func set(_ value: Value) { lock.withLock { stored = value } }
  var value: Value { lock.withLock { stored } }
}
