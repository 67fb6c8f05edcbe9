import PostgresNIO
import Synchronization

extension PostgresStateStore {
  /// The lease row as read: its holder (nil when free), generation, and whether the lease has
  /// lapsed by the database's clock.
  struct LockRow: Sendable {
    var holder: LockInfo?
    var generation: Int64
    var lapsed: Bool
  }

  public func tryLock(_ candidate: LockInfo) async throws -> LockAttempt {
    // A few rounds cover the races: a holder that lets go or lapses between our two statements.
    var last: LockInfo?
    for _ in 0..<5 {
      if case let (lock, replaced)? = try await acquire(candidate, replacing: nil) {
        return .acquired(lock, replaced: replaced)
      }
      guard let row = try await gateway.withConnection({ try await Self.lockRow($0) }) else {
        throw Self.missingLockRow(gateway.diagnosis)
      }
      guard let holder = row.holder, !row.lapsed else { continue }
      last = holder
      // A holder whose process died on this host is provably gone before its lease says so:
      // take over from exactly that holder (a compare-and-swap on its id).
      if holder.isStale, case let (lock, _)? = try await acquire(candidate, replacing: holder.id) {
        return .acquired(lock, replaced: holder)
      }
      if !holder.isStale { return .held(holder) }
    }
    guard let last else { throw Self.missingLockRow(gateway.diagnosis) }
    return .held(last)
  }

  /// The lease statement: takes the row when it is free, lapsed, already `candidate`'s, or
  /// held by `replacing`; bumps the generation; sets `expires_at` by the database's clock.
  /// Returns the lock as taken and the holder it replaced, or nil when the row was not ours
  /// to take.
  private func acquire(_ candidate: LockInfo, replacing stale: String?) async throws -> (LockInfo, LockInfo?)? {
    let seconds = Double(lease.components.seconds) + Double(lease.components.attoseconds) / 1e18
    let row = try await gateway.withConnection { connection in
      try await connection.rows(
        """
        WITH previous AS (
          SELECT id, operation, holder, pid, since, ci_run, \(unescaped: Self.utc("expires_at")) AS expires
          FROM boardctl_lock WHERE singleton = 1
        )
        UPDATE boardctl_lock AS lease_row SET
          id = \(candidate.id), operation = \(candidate.operation), holder = \(candidate.holder),
          pid = \(candidate.pid), since = \(candidate.since), ci_run = \(candidate.ciRun),
          expires_at = now() + make_interval(secs => \(seconds)), generation = lease_row.generation + 1
        FROM previous
        WHERE lease_row.singleton = 1
          AND (lease_row.id IS NULL OR lease_row.expires_at < now() OR lease_row.id = \(candidate.id) OR lease_row.id = \(stale))
        RETURNING lease_row.generation, \(unescaped: Self.utc("lease_row.expires_at")),
          previous.id, previous.operation, previous.holder, previous.pid, previous.since, previous.ci_run,
          previous.expires
        """
      ).first
    }
    guard let row else { return nil }
    let (generation, expires, id, operation, holder, pid, since, ciRun, previousExpires) = try row.decode(
      (Int64, String, String?, String?, String?, Int?, String?, String?, String?).self)
    var lock = candidate
    lock.expires = expires
    var replaced: LockInfo?
    if let id, id != candidate.id {
      replaced = LockInfo(
        id: id, operation: operation ?? "", holder: holder ?? "", pid: pid ?? 0, since: since ?? "",
        ciRun: ciRun, expires: previousExpires)
    }
    let taken = PostgresLease(lock: lock, generation: generation, length: lease, gateway: gateway)
    let previous = state.withLock { held in
      defer { held.lease = taken }
      return held.lease
    }
    previous?.cancel()
    return (lock, replaced)
  }

  public func unlock(_ lock: LockInfo) async throws {
    let mine = state.withLock { held -> PostgresLease? in
      guard held.lease?.lock.id == lock.id else { return nil }
      defer { held.lease = nil }
      return held.lease
    }
    await mine?.stop()
    try await gateway.withConnection { connection in
      try await connection.execute(
        "UPDATE boardctl_lock SET \(unescaped: Self.freed) WHERE singleton = 1 AND id = \(lock.id)")
    }
  }

  public func currentLock() async throws -> LockInfo? {
    guard let row = try await gateway.withConnection({ try await Self.lockRow($0) }) else {
      throw Self.missingLockRow(gateway.diagnosis)
    }
    return row.holder
  }

  public func forceUnlock(id: String, evenIfAlive: Bool) async throws -> LockInfo {
    let held = try await currentLock()
    guard let held, held.id == id else { throw StateError.lockMismatch(requested: id, held: held) }
    if !evenIfAlive && held.isAliveHere { throw StateError.holderAlive(held) }
    let cleared = try await gateway.withConnection { connection in
      try await connection.rows(
        "UPDATE boardctl_lock SET \(unescaped: Self.freed) WHERE singleton = 1 AND id = \(id) RETURNING generation"
      ).count == 1
    }
    // Let go or taken over since it was read: that other lock is not the one named.
    guard cleared else { throw StateError.lockMismatch(requested: id, held: try await currentLock()) }
    let mine = state.withLock { held -> PostgresLease? in
      guard held.lease?.lock.id == id else { return nil }
      defer { held.lease = nil }
      return held.lease
    }
    mine?.cancel()
    return held
  }

  /// Frees the row; `generation` stays, so the next holder's is higher than any before.
  static let freed =
    "id = NULL, operation = NULL, holder = NULL, pid = NULL, since = NULL, ci_run = NULL, expires_at = NULL"

  static func lockRow(_ connection: PostgresConnection) async throws -> LockRow? {
    let rows = try await connection.rows(
      """
      SELECT generation, id, operation, holder, pid, since, ci_run, \(unescaped: utc("expires_at")),
        coalesce(expires_at < now(), false)
      FROM boardctl_lock WHERE singleton = 1
      """)
    guard let row = rows.first else { return nil }
    let (generation, id, operation, holder, pid, since, ciRun, expires, lapsed) = try row.decode(
      (Int64, String?, String?, String?, Int?, String?, String?, String?, Bool).self)
    guard let id else { return LockRow(holder: nil, generation: generation, lapsed: false) }
    let info = LockInfo(
      id: id, operation: operation ?? "", holder: holder ?? "", pid: pid ?? 0, since: since ?? "", ciRun: ciRun,
      expires: expires)
    return LockRow(holder: info, generation: generation, lapsed: lapsed)
  }

  static func missingLockRow(_ diagnosis: PostgresDiagnosis) -> StateError {
    diagnosis.unavailable(
      "its table boardctl_lock has no row",
      fix:
        "Something other than boardctl deleted it; run `INSERT INTO boardctl_lock (singleton, generation) VALUES (1, 0)`"
    )
  }
}
