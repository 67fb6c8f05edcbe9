import BoardCore
import PostgresNIO
import Synchronization

extension PostgresStateStore {
  public func exportState() async throws -> StateExport {
    guard let snapshot = try await snapshot() else {
      throw StateError.unavailable(location: location, reason: "it holds no state", fix: "Nothing to migrate")
    }
    let journal = try await gateway.withConnection { connection in
      try await Self.journalEntries(
        connection, "SELECT \(unescaped: Self.journalColumns) FROM boardctl_journal ORDER BY id")
    }
    return StateExport(
      lineage: snapshot.lineage, serial: snapshot.serial, records: snapshot.records, journal: journal)
  }

  public func importState(_ export: StateExport) async throws {
    let location = self.location
    try await writes.run {
      try await self.gateway.transaction { connection in
        // The meta row's lock makes the emptiness check and the import one step against
        // other writers.
        let serial = try await connection.rows("SELECT serial FROM boardctl_meta WHERE singleton = 1 FOR UPDATE")
        let counts = try await connection.rows(
          "SELECT (SELECT count(*) FROM boardctl_resources), (SELECT count(*) FROM boardctl_journal)")
        let (records, entries) = try counts[0].decode((Int, Int).self)
        guard try serial.first?.decode(Int.self) == 0, records == 0, entries == 0 else {
          throw StateError.notEmpty(location: location)
        }
        try await Self.insert(export.records, connection)
        if !export.journal.isEmpty {
          let journal = export.journal
          func column(_ value: (JournalEntry) -> String?) -> PostgresTextArray { PostgresTextArray(journal.map(value)) }
          try await connection.execute(
            """
            INSERT INTO boardctl_journal (id, run, address, action, started_at, finished_at, outcome, error)
            SELECT * FROM unnest(
              \(journal.map(\.id)), \(column { $0.run }), \(column { $0.address }), \(column { $0.action }),
              \(column { $0.startedAt }), \(column { $0.finishedAt }), \(column { $0.outcome }), \(column { $0.error }))
            """)
          // New entries continue after the imported ids.
          try await connection.execute(
            "SELECT setval(pg_get_serial_sequence('boardctl_journal', 'id'), (SELECT max(id) FROM boardctl_journal))")
        }
        try await connection.execute(
          "UPDATE boardctl_meta SET lineage = \(export.lineage), serial = \(export.serial) WHERE singleton = 1")
      }
      self.state.withLock { $0.serial = export.serial }
    }
  }
}
