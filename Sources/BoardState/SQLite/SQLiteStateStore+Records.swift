import BoardCore
import BoardSpec
import GRDB

extension SQLiteStateStore {
  public func snapshot() async throws -> StateSnapshot? {
    try await reading { db in
      let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM boardctl_meta")
      var values: [String: String] = [:]
      for row in rows { values[row["key"]] = row["value"] }
      // A cursor decodes row by row instead of holding every raw row in memory at once.
      var records: [StateRecord] = []
      var keys: [String: String] = [:]
      let cursor = try Row.fetchCursor(db, sql: "SELECT \(Self.columns) FROM boardctl_resources ORDER BY address")
      while let row = try cursor.next() {
        if let record = Self.record(row, keys: &keys) { records.append(record) }
      }
      return StateSnapshot(
        lineage: values["lineage"] ?? "", serial: Int(values["serial"] ?? "0") ?? 0, records: records)
    }
  }

  public func record(_ address: Address) async throws -> StateRecord? {
    try await reading { db in
      var keys: [String: String] = [:]
      return try Row.fetchOne(
        db, sql: "SELECT \(Self.columns) FROM boardctl_resources WHERE address = ?", arguments: [address.description]
      )
      .flatMap { Self.record($0, keys: &keys) }
    }
  }

  /// The columns `record(_:keys:)` reads, by position (reading by name is slow over 20,000 rows).
  static let columns =
    "address, platform, attributes, render_key, digest, status, on_remove, remote_id, first_published, updated_at, stamp"

  static func record(_ row: Row, keys: inout [String: String]) -> StateRecord? {
    guard let address = Address(row[0] as String) else { return nil }
    return StateRecord(
      address: address, platform: row[1], attributes: AttributeCodec.decode(row[2], keys: &keys), renderKey: row[3],
      digest: row[4], stamp: row[10],
      status: StateRecord.Status(rawValue: row[5]) ?? .open, onRemove: .init(rawValue: row[6]) ?? .close,
      remoteID: row[7], firstPublished: row[8], updatedAt: row[9])
  }

  public func write(_ changes: [Address: StateRecord?]) async throws {
    guard !changes.isEmpty else { return }
    try await writing { db in try Self.write(changes, db) }
  }

  static func write(_ changes: [Address: StateRecord?], _ db: Database) throws {
    for (address, record) in changes {
      if let record {
        try insert(record, db)
      } else {
        try db.execute(sql: "DELETE FROM boardctl_resources WHERE address = ?", arguments: [address.description])
      }
    }
    try db.execute(sql: "UPDATE boardctl_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'serial'")
  }

  static func insert(_ record: StateRecord, _ db: Database) throws {
    try db.execute(
      sql: """
        INSERT OR REPLACE INTO boardctl_resources
          (address, board, platform, status, on_remove, remote_id, first_published, render_key, digest, attributes, updated_at, stamp)
        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
        """,
      arguments: [
        record.address.description, record.address.board, record.platform, record.status.rawValue,
        record.onRemove.rawValue, record.remoteID, record.firstPublished, record.renderKey, record.digest,
        AttributeCodec.encode(record.attributes), record.updatedAt, record.stamp,
      ])
  }
}
