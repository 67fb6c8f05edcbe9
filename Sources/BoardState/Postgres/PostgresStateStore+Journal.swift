import BoardCore
import PostgresNIO

extension PostgresStateStore {
  // Journal times come from the database's clock, like the lease: runners on several machines
  // write one journal, and their own clocks may disagree.

  public func journalBegin(run: String, address: Address, action: String) async throws -> Int64 {
    try await gateway.withConnection { connection in
      let rows = try await connection.rows(
        """
        INSERT INTO boardctl_journal (run, address, action, started_at, outcome)
        VALUES (\(run), \(address.description), \(action), \(unescaped: Self.utc("now()")), 'pending')
        RETURNING id
        """)
      return try rows[0].decode(Int64.self)
    }
  }

  public func journalFinish(_ entry: Int64, error: String?) async throws {
    try await gateway.withConnection { connection in
      try await connection.execute(
        """
        UPDATE boardctl_journal SET finished_at = \(unescaped: Self.utc("now()")),
          outcome = \(error == nil ? "ok" : "failed"), error = \(error)
        WHERE id = \(entry)
        """)
    }
  }

  public func journalFinish(_ entry: Int64, saving records: [Address: StateRecord?]) async throws {
    guard !records.isEmpty else { return try await journalFinish(entry, error: nil) }
    try await fencedWrite(records, finishing: entry)
  }

  public func takeInterrupted(exceptRun run: String) async throws -> Set<Address> {
    try await gateway.withConnection { connection in
      let rows = try await connection.rows(
        """
        UPDATE boardctl_journal SET outcome = 'interrupted' WHERE outcome = 'pending' AND run <> \(run)
        RETURNING address
        """)
      return Set(try rows.compactMap { Address(try $0.decode(String.self)) })
    }
  }

  public func journal(limit: Int) async throws -> [JournalEntry] {
    try await gateway.withConnection { connection in
      try await Self.journalEntries(
        connection, "SELECT \(unescaped: Self.journalColumns) FROM boardctl_journal ORDER BY id DESC LIMIT \(limit)")
    }
  }

  static let journalColumns = "id, run, address, action, started_at, finished_at, outcome, error"

  static func journalEntries(_ connection: PostgresConnection, _ query: PostgresQuery) async throws -> [JournalEntry] {
    try await connection.rows(query).map { row in
      let (id, run, address, action, startedAt, finishedAt, outcome, error) = try row.decode(
        (Int64, String, String, String, String, String?, String, String?).self)
      return JournalEntry(
        id: id, run: run, address: address, action: action, startedAt: startedAt, finishedAt: finishedAt,
        outcome: outcome, error: error)
    }
  }
}
