import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

extension SQLiteStateStore {
  var lockPath: String { path + ".lock" }

  public func tryLock(_ candidate: LockInfo) async throws -> LockAttempt {
    // The flock decides: the OS holds it for a live holder and drops it when the holder dies.
    let descriptor = Glibc.open(lockPath, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
    guard descriptor >= 0 else {
      throw StateError.unavailable(
        location: location, reason: "cannot open the lock file \(lockPath): \(String(cString: strerror(errno)))",
        fix: "Check that this user can write the state's folder")
    }
    // A flock without a row is a moment, not a holder: a command between taking the flock and
    // writing its row, or one that just released it while a child process being started
    // elsewhere in this program still shares the descriptor until it execs. Look again briefly.
    var attempts = 0
    while flock(descriptor, LOCK_EX | LOCK_NB) != 0 {
      attempts += 1
      if let holder = try await currentLock() {
        Glibc.close(descriptor)
        return .held(holder)
      }
      guard attempts < 50 else {
        Glibc.close(descriptor)
        return .held(
          LockInfo(id: "?", operation: "a command starting", holder: "unknown", pid: 0, since: StateTime.timestamp()))
      }
      try await Task.sleep(for: .milliseconds(10))
    }
    do {
      let replaced = try await writing { db -> LockInfo? in
        let previous = try Self.lockRow(db)
        try db.execute(sql: "DELETE FROM boardctl_lock")
        try db.execute(
          sql:
            "INSERT INTO boardctl_lock (singleton, id, operation, holder, pid, since, ci_run, expires) VALUES (1, ?, ?, ?, ?, ?, ?, NULL)",
          arguments: [
            candidate.id, candidate.operation, candidate.holder, candidate.pid, candidate.since, candidate.ciRun,
          ])
        return previous
      }
      lockFile.withLock { $0 = descriptor }
      return .acquired(candidate, replaced: replaced)
    } catch {
      Glibc.close(descriptor)
      throw error
    }
  }

  public func unlock(_ lock: LockInfo) async throws {
    try await writing { db in try db.execute(sql: "DELETE FROM boardctl_lock WHERE id = ?", arguments: [lock.id]) }
    lockFile.withLock { fd in
      if let descriptor = fd { Glibc.close(descriptor) }
      fd = nil
    }
  }

  public func currentLock() async throws -> LockInfo? {
    try await reading { db in try Self.lockRow(db) }
  }

  public func forceUnlock(id: String, evenIfAlive: Bool) async throws -> LockInfo {
    let held = try await currentLock()
    guard let held, held.id == id else { throw StateError.lockMismatch(requested: id, held: held) }
    if !evenIfAlive && (held.isAliveHere || lockIsHeldByAnotherProcess()) { throw StateError.holderAlive(held) }
    try await writing { db in try db.execute(sql: "DELETE FROM boardctl_lock WHERE id = ?", arguments: [id]) }
    return held
  }

  /// Whether a live process holds the lock file's flock.
  func lockIsHeldByAnotherProcess() -> Bool {
    if lockFile.withLock({ $0 != nil }) { return false }
    let descriptor = Glibc.open(lockPath, O_RDWR | O_CLOEXEC)
    guard descriptor >= 0 else { return false }
    defer { Glibc.close(descriptor) }
    if flock(descriptor, LOCK_EX | LOCK_NB) == 0 {
      flock(descriptor, LOCK_UN)
      return false
    }
    return true
  }

  static func lockRow(_ db: Database) throws -> LockInfo? {
    try Row.fetchOne(db, sql: "SELECT * FROM boardctl_lock").map {
      LockInfo(
        id: $0["id"], operation: $0["operation"], holder: $0["holder"], pid: $0["pid"], since: $0["since"],
        ciRun: $0["ci_run"], expires: $0["expires"])
    }
  }
}
