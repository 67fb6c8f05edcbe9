import BoardCore
import GRDB

extension SQLiteStateStore {
  public func journalBegin(run: String, address: Address, action: String) async throws -> Int64 {
    let now = StateTime.timestamp()
    return try await writing { db in
      try db.execute(
        sql: "INSERT INTO boardctl_journal (run, address, action, started_at, outcome) VALUES (?, ?, ?, ?, 'pending')",
        arguments: [run, address.description, action, now])
      return db.lastInsertedRowID
    }
  }

  public func journalFinish(_ entry: Int64, error: String?) async throws {
    let now = StateTime.timestamp()
    try await writing { db in
      try db.execute(
        sql: "UPDATE boardctl_journal SET finished_at = ?, outcome = ?, error = ? WHERE id = ?",
        arguments: [now, error == nil ? "ok" : "failed", error, entry])
    }
  }

  public func journalFinish(_ entry: Int64, saving records: [Address: StateRecord?]) async throws {
    let now = StateTime.timestamp()
    try await writing { db in
      try db.execute(
        sql: "UPDATE boardctl_journal SET finished_at = ?, outcome = 'ok' WHERE id = ?", arguments: [now, entry])
      if !records.isEmpty { try Self.write(records, db) }
    }
  }

  public func takeInterrupted(exceptRun run: String) async throws -> Set<Address> {
    try await writing { db in
      let rows = try String.fetchAll(
        db, sql: "SELECT DISTINCT address FROM boardctl_journal WHERE outcome = 'pending' AND run != ?",
        arguments: [run])
      try db.execute(
        sql: "UPDATE boardctl_journal SET outcome = 'interrupted' WHERE outcome = 'pending' AND run != ?",
        arguments: [run])
      return Set(rows.compactMap(Address.init))
    }
  }

  public func journal(limit: Int) async throws -> [JournalEntry] {
    try await reading { db in
      try Row.fetchAll(db, sql: "SELECT * FROM boardctl_journal ORDER BY id DESC LIMIT ?", arguments: [limit]).map(
        Self.journalEntry)
    }
  }

  static func journalEntry(_ row: Row) -> JournalEntry {
    JournalEntry(
      id: row["id"], run: row["run"], address: row["address"], action: row["action"], startedAt: row["started_at"],
      finishedAt: row["finished_at"], outcome: row["outcome"], error: row["error"])
  }
}
