import BoardCore
import GRDB

extension SQLiteStateStore {
  public func exportState() async throws -> StateExport {
    guard let snapshot = try await snapshot() else {
      throw StateError.unavailable(location: location, reason: "it holds no state", fix: "Nothing to migrate")
    }
    let journal = try await reading { db in
      try Row.fetchAll(db, sql: "SELECT * FROM boardctl_journal ORDER BY id").map(Self.journalEntry)
    }
    return StateExport(
      lineage: snapshot.lineage, serial: snapshot.serial, records: snapshot.records, journal: journal)
  }

  public func importState(_ export: StateExport) async throws {
    let location = self.location
    try await writing { db in
      let serial = try Int.fetchOne(db, sql: "SELECT CAST(value AS INTEGER) FROM boardctl_meta WHERE key = 'serial'")
      let count = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM boardctl_resources") ?? 0
      let entries = try Int.fetchOne(db, sql: "SELECT COUNT(*) FROM boardctl_journal") ?? 0
      guard serial == 0, count == 0, entries == 0 else { throw StateError.notEmpty(location: location) }
      for record in export.records { try Self.insert(record, db) }
      for entry in export.journal {
        try db.execute(
          sql: """
            INSERT INTO boardctl_journal (id, run, address, action, started_at, finished_at, outcome, error)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            entry.id, entry.run, entry.address, entry.action, entry.startedAt, entry.finishedAt, entry.outcome,
            entry.error,
          ])
      }
      try db.execute(sql: "UPDATE boardctl_meta SET value = ? WHERE key = 'lineage'", arguments: [export.lineage])
      try db.execute(
        sql: "UPDATE boardctl_meta SET value = ? WHERE key = 'serial'", arguments: [String(export.serial)])
    }
  }
}
