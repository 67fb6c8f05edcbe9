import BoardCore
import BoardSpec
import PostgresNIO
import Synchronization

extension PostgresStateStore {
  public func snapshot() async throws -> StateSnapshot? {
    // One snapshot of the database for the serial and the records alike.
    let (lineage, serial, records) = try await gateway.transaction(
      "BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY"
    ) { connection in
      let meta = try await connection.rows("SELECT lineage, serial FROM boardctl_meta")
      guard let first = meta.first else {
        throw PostgresStateStore.missingMeta(self.gateway.diagnosis)
      }
      let (lineage, serial) = try first.decode((String, Int).self)
      let records = try await Self.records(connection)
      return (lineage, serial, records)
    }
    state.withLock { $0.serial = serial }
    return StateSnapshot(lineage: lineage, serial: serial, records: records)
  }

  public func record(_ address: Address) async throws -> StateRecord? {
    try await gateway.withConnection { connection in
      try await Self.records(connection, where: "address = \(address.description)").first
    }
  }

  public func write(_ changes: [Address: StateRecord?]) async throws {
    guard !changes.isEmpty else { return }
    try await fencedWrite(changes, finishing: nil)
  }

  /// The records `filter` selects, sorted by address (`PostgresRecordPacking`).
  static func records(_ connection: PostgresConnection, where filter: PostgresQuery = "true") async throws
    -> [StateRecord]
  {
    var records: [StateRecord] = []
    var keys: [String: String] = [:]
    let query = PostgresRecordPacking.query(where: filter)
    for try await row in try await connection.query(query, logger: PostgresGateway.quiet) {
      guard let packed = row.first?.bytes else { continue }
      records += PostgresRecordPacking.unpack(packed, keys: &keys)
    }
    return records
  }

  /// Writes `changes` (and marks journal entry `finishing` done) as a compare-and-swap: in one
  /// transaction the serial must still be the one this store last saw and, while this store
  /// holds the lock, the lock row must still carry its id and generation. The lock row is
  /// share-locked until commit, so a takeover waits for a write in flight and then sees it.
  func fencedWrite(_ changes: [Address: StateRecord?], finishing entry: Int64?) async throws {
    try await writes.run {
      let (expected, lease) = self.state.withLock { ($0.serial, $0.lease) }
      let diagnosis = self.gateway.diagnosis
      let serial = try await self.gateway.transaction { connection in
        let bumped: [PostgresRow]
        if let lease {
          bumped = try await connection.rows(
            """
            WITH fence AS (
              SELECT 1 FROM boardctl_lock
              WHERE singleton = 1 AND id = \(lease.lock.id) AND generation = \(lease.generation) FOR SHARE
            )
            UPDATE boardctl_meta SET serial = serial + 1
            WHERE singleton = 1 AND serial = \(expected) AND EXISTS (SELECT 1 FROM fence)
            RETURNING serial
            """)
        } else {
          bumped = try await connection.rows(
            "UPDATE boardctl_meta SET serial = serial + 1 WHERE singleton = 1 AND serial = \(expected) RETURNING serial"
          )
        }
        guard let row = bumped.first else {
          throw try await Self.refusal(connection, expected: expected, lease: lease, diagnosis: diagnosis)
        }
        try await Self.apply(changes, connection)
        if let entry {
          try await connection.execute(
            "UPDATE boardctl_journal SET finished_at = \(unescaped: Self.utc("now()")), outcome = 'ok', error = NULL WHERE id = \(entry)"
          )
        }
        return try row.decode(Int.self)
      }
      self.state.withLock { $0.serial = serial }
    }
  }

  /// Why a compare-and-swap found nothing to update: the lock moved on (`lockLost`, naming who
  /// holds it now), or the serial did (`conflict`).
  static func refusal(
    _ connection: PostgresConnection, expected: Int, lease: PostgresLease?, diagnosis: PostgresDiagnosis
  ) async throws -> StateError {
    let rows = try await connection.rows("SELECT serial FROM boardctl_meta")
    guard let found = try rows.first?.decode(Int.self) else { return missingMeta(diagnosis) }
    if let lease {
      let row = try await lockRow(connection)
      if row?.generation != lease.generation || row?.holder?.id != lease.lock.id {
        return .lockLost(location: diagnosis.location, by: row?.holder)
      }
    }
    return .conflict(location: diagnosis.location, expectedSerial: expected, found: found)
  }

  /// Deletes and upserts `changes`: one statement each, whatever their number (`unnest` of one
  /// array per column).
  static func apply(_ changes: [Address: StateRecord?], _ connection: PostgresConnection) async throws {
    let removed = changes.compactMap { $0.value == nil ? $0.key.description : nil }
    if !removed.isEmpty {
      try await connection.execute("DELETE FROM boardctl_resources WHERE address = ANY(\(removed))")
    }
    try await insert(changes.values.compactMap { $0 }, connection)
  }

  static func insert(_ records: [StateRecord], _ connection: PostgresConnection) async throws {
    guard !records.isEmpty else { return }
    func column(_ value: (StateRecord) -> String?) -> PostgresTextArray { PostgresTextArray(records.map(value)) }
    try await connection.execute(
      """
      INSERT INTO boardctl_resources
        (address, board, platform, status, on_remove, remote_id, first_published, render_key, digest, stamp,
         attributes, updated_at)
      SELECT * FROM unnest(
        \(column { $0.address.description }), \(column { $0.address.board }), \(column { $0.platform }),
        \(column { $0.status.rawValue }), \(column { $0.onRemove.rawValue }), \(column { $0.remoteID }),
        \(column { $0.firstPublished }), \(column { $0.renderKey }), \(column { $0.digest }), \(column { $0.stamp }),
        \(column { AttributeCodec.encode($0.attributes) }), \(column { $0.updatedAt }))
      ON CONFLICT (address) DO UPDATE SET
        board = EXCLUDED.board, platform = EXCLUDED.platform, status = EXCLUDED.status,
        on_remove = EXCLUDED.on_remove, remote_id = EXCLUDED.remote_id, first_published = EXCLUDED.first_published,
        render_key = EXCLUDED.render_key, digest = EXCLUDED.digest, stamp = EXCLUDED.stamp,
        attributes = EXCLUDED.attributes, updated_at = EXCLUDED.updated_at
      """)
  }

  static func missingMeta(_ diagnosis: PostgresDiagnosis) -> StateError {
    diagnosis.unavailable(
      "its table boardctl_meta has no row",
      fix: "Something other than boardctl changed it; restore the database from a backup")
  }
}
