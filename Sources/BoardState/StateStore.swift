import BoardCore
import BoardSpec
import Foundation
import GRDB

#if canImport(Glibc)
  import Glibc
#endif

/// The state database: SQLite through GRDB, in WAL mode, with migrations. It keeps the last
/// applied attributes of every resource (never a secret), a lineage (set once) and a serial
/// (bumped on every write), the lock, and the apply journal.
public final class StateStore: Sendable {
  public let path: String
  private let queue: DatabaseQueue

  /// The schema version this build writes; a file with a higher one is refused.
  static let schemaVersion = 1

  private init(path: String, queue: DatabaseQueue) {
    self.path = path
    self.queue = queue
  }

  /// Opens an existing state for reading; nil when there is no state file yet.
  public static func openExisting(path: String) throws -> StateStore? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    return try open(path: path)
  }

  /// Opens an existing state read-only, without migrating: for observers (tests, dashboards) that
  /// must not write. Nil when there is no state file.
  public static func openReadOnly(path: String) throws -> StateStore? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(10)
    do {
      return StateStore(path: path, queue: try DatabaseQueue(path: path, configuration: configuration))
    } catch {
      throw Self.translate(error, path: path)
    }
  }

  /// Opens the state, creating the file (and its folder) if needed.
  public static func open(path: String) throws -> StateStore {
    let exists = FileManager.default.fileExists(atPath: path)
    if !exists {
      let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
      do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      } catch {
        throw StateError.database(path: path, message: "cannot create folder \(folder.path)")
      }
    }
    var configuration = Configuration()
    configuration.busyMode = .timeout(10)
    configuration.label = "boardctl-state"
    // In WAL mode NORMAL keeps the database consistent on a crash and durable on a killed process;
    // it skips the fsync per commit that made journalling thousands of actions slow.
    configuration.prepareDatabase { db in
      if try String.fetchOne(db, sql: "PRAGMA journal_mode") == "wal" {
        try db.execute(sql: "PRAGMA synchronous = NORMAL")
      }
    }
    let queue: DatabaseQueue
    do {
      queue = try DatabaseQueue(path: path, configuration: configuration)
    } catch {
      throw Self.translate(error, path: path)
    }
    let store = StateStore(path: path, queue: queue)
    try store.prepare(isNew: !exists)
    return store
  }

  /// Checks the file is ours before changing anything in it, then migrates.
  private func prepare(isNew: Bool) throws {
    do {
      let tables = try queue.read { db in
        try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
      }
      if !tables.isEmpty && !tables.contains("boardctl_meta") { throw StateError.foreign(path: path) }
      if tables.contains("boardctl_meta") {
        let version = try queue.read { db in
          try Int.fetchOne(db, sql: "SELECT value FROM boardctl_meta WHERE key = 'schema_version'")
        }
        if let version, version > Self.schemaVersion { throw StateError.newerSchema(path: path, version: version) }
      }
      try queue.writeWithoutTransaction { db in
        _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
      }
      try migrator.migrate(queue)
    } catch let error as StateError {
      throw error
    } catch {
      throw Self.translate(error, path: path)
    }
  }

  private var migrator: DatabaseMigrator {
    var migrator = DatabaseMigrator()
    migrator.registerMigration("v1") { db in
      try db.execute(
        sql: """
          CREATE TABLE boardctl_meta (key TEXT PRIMARY KEY NOT NULL, value TEXT NOT NULL);
          CREATE TABLE boardctl_resources (
            address TEXT PRIMARY KEY NOT NULL,
            board TEXT NOT NULL,
            platform TEXT NOT NULL,
            status TEXT NOT NULL,
            on_remove TEXT NOT NULL,
            remote_id TEXT,
            first_published TEXT,
            render_key TEXT,
            digest TEXT,
            attributes TEXT NOT NULL,
            updated_at TEXT NOT NULL
          );
          CREATE INDEX boardctl_resources_board ON boardctl_resources(board);
          CREATE TABLE boardctl_lock (
            singleton INTEGER PRIMARY KEY CHECK (singleton = 1),
            id TEXT NOT NULL, operation TEXT NOT NULL, holder TEXT NOT NULL, pid INTEGER NOT NULL, since TEXT NOT NULL
          );
          CREATE TABLE boardctl_journal (
            id INTEGER PRIMARY KEY AUTOINCREMENT,
            run TEXT NOT NULL, address TEXT NOT NULL, action TEXT NOT NULL,
            started_at TEXT NOT NULL, finished_at TEXT, outcome TEXT NOT NULL, error TEXT
          );
          """)
      try db.execute(
        sql: "INSERT INTO boardctl_meta (key, value) VALUES ('schema_version', ?), ('lineage', ?), ('serial', '0')",
        arguments: [String(StateStore.schemaVersion), UUID().uuidString.lowercased()])
    }
    migrator.registerMigration("v2: artifact stamps") { db in
      try db.execute(sql: "ALTER TABLE boardctl_resources ADD COLUMN stamp TEXT")
    }
    return migrator
  }

  static func translate(_ error: any Error, path: String) -> StateError {
    if let error = error as? DatabaseError {
      if error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
        return .notADatabase(path: path)
      }
      return .database(path: path, message: error.message ?? "\(error.resultCode)")
    }
    return .database(path: path, message: "\(error)")
  }

  private func run<T>(_ body: () throws -> T) throws -> T {
    do {
      return try body()
    } catch let error as StateError {
      throw error
    } catch {
      throw Self.translate(error, path: path)
    }
  }

  // MARK: Lineage and serial

  public struct Metadata: Sendable, Hashable {
    public var lineage: String
    public var serial: Int

    public init(lineage: String, serial: Int) {
      self.lineage = lineage
      self.serial = serial
    }
  }

  public func metadata() throws -> Metadata {
    try run {
      try queue.read { db in
        let rows = try Row.fetchAll(db, sql: "SELECT key, value FROM boardctl_meta")
        var values: [String: String] = [:]
        for row in rows { values[row["key"]] = row["value"] }
        return Metadata(lineage: values["lineage"] ?? "", serial: Int(values["serial"] ?? "0") ?? 0)
      }
    }
  }

  // MARK: Resources

  public func records() throws -> [StateRecord] {
    try run {
      try queue.read { db in
        // A cursor decodes row by row instead of holding every raw row in memory at once.
        var records: [StateRecord] = []
        var keys: [String: String] = [:]
        let rows = try Row.fetchCursor(db, sql: "SELECT \(Self.columns) FROM boardctl_resources ORDER BY address")
        while let row = try rows.next() {
          if let record = Self.record(row, keys: &keys) { records.append(record) }
        }
        return records
      }
    }
  }

  public func record(_ address: Address) throws -> StateRecord? {
    try run {
      try queue.read { db in
        try Row.fetchOne(
          db, sql: "SELECT \(Self.columns) FROM boardctl_resources WHERE address = ?", arguments: [address.description]
        )
        .flatMap { Self.record($0) }
      }
    }
  }

  /// The columns `record(_:)` reads, by position (reading by name is slow over 20,000 rows).
  static let columns =
    "address, platform, attributes, render_key, digest, status, on_remove, remote_id, first_published, updated_at, stamp"

  static func record(_ row: Row) -> StateRecord? {
    var keys: [String: String] = [:]
    return record(row, keys: &keys)
  }

  static func record(_ row: Row, keys: inout [String: String]) -> StateRecord? {
    guard let address = Address(row[0] as String) else { return nil }
    return StateRecord(
      address: address, platform: row[1], attributes: AttributeCodec.decode(row[2], keys: &keys), renderKey: row[3],
      digest: row[4], stamp: row[10],
      status: StateRecord.Status(rawValue: row[5]) ?? .open, onRemove: .init(rawValue: row[6]) ?? .close,
      remoteID: row[7], firstPublished: row[8], updatedAt: row[9])
  }

  /// Writes (or, for nil, removes) records in one transaction and bumps the serial.
  public func write(_ changes: [Address: StateRecord?]) throws {
    guard !changes.isEmpty else { return }
    try run { try queue.write { db in try Self.write(changes, db) } }
  }

  private static func write(_ changes: [Address: StateRecord?], _ db: Database) throws {
    for (address, record) in changes {
      if let record {
        try db.execute(
          sql: """
            INSERT OR REPLACE INTO boardctl_resources
              (address, board, platform, status, on_remove, remote_id, first_published, render_key, digest, attributes, updated_at, stamp)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """,
          arguments: [
            address.description, address.board, record.platform, record.status.rawValue, record.onRemove.rawValue,
            record.remoteID, record.firstPublished, record.renderKey, record.digest,
            AttributeCodec.encode(record.attributes), record.updatedAt, record.stamp,
          ])
      } else {
        try db.execute(sql: "DELETE FROM boardctl_resources WHERE address = ?", arguments: [address.description])
      }
    }
    try db.execute(sql: "UPDATE boardctl_meta SET value = CAST(value AS INTEGER) + 1 WHERE key = 'serial'")
  }

  // MARK: Lock

  /// Takes the lock for `operation`, or throws `StateError.locked` naming the holder.
  public func lock(operation: String) throws -> LockInfo {
    let info = LockInfo(
      id: UUID().uuidString.lowercased(), operation: operation, holder: Self.holder(),
      pid: Int(ProcessInfo.processInfo.processIdentifier), since: Self.timestamp())
    return try run {
      try queue.inTransaction(.immediate) { db in
        if let row = try Row.fetchOne(db, sql: "SELECT * FROM boardctl_lock") {
          throw StateError.locked(
            LockInfo(
              id: row["id"], operation: row["operation"], holder: row["holder"], pid: row["pid"], since: row["since"]))
        }
        try db.execute(
          sql: "INSERT INTO boardctl_lock (singleton, id, operation, holder, pid, since) VALUES (1, ?, ?, ?, ?, ?)",
          arguments: [info.id, info.operation, info.holder, info.pid, info.since])
        return .commit
      }
      return info
    }
  }

  /// Takes the lock, retrying until `timeout` seconds have passed; `onBlocked` is called once,
  /// when the first attempt finds the lock held and waiting begins.
  public func lock(
    operation: String, timeout: Double, onBlocked: (@Sendable (LockInfo) -> Void)? = nil
  ) throws -> LockInfo {
    let deadline = Date().addingTimeInterval(timeout)
    var delay = 0.05
    var blocked = false
    while true {
      do {
        return try lock(operation: operation)
      } catch StateError.locked(let holder) {
        if Date() >= deadline { throw StateError.locked(holder) }
        if !blocked {
          blocked = true
          onBlocked?(holder)
        }
        Thread.sleep(forTimeInterval: min(delay, max(deadline.timeIntervalSinceNow, 0.01)))
        delay = min(delay * 2, 1)
      }
    }
  }

  public func unlock(_ info: LockInfo) throws {
    _ = try run {
      try queue.write { db in try db.execute(sql: "DELETE FROM boardctl_lock WHERE id = ?", arguments: [info.id]) }
    }
  }

  public func currentLock() throws -> LockInfo? {
    try run {
      try queue.read { db in
        try Row.fetchOne(db, sql: "SELECT * FROM boardctl_lock").map {
          LockInfo(id: $0["id"], operation: $0["operation"], holder: $0["holder"], pid: $0["pid"], since: $0["since"])
        }
      }
    }
  }

  /// Clears the lock with this id (`boardctl force-unlock ID`).
  public func forceUnlock(id: String) throws -> LockInfo {
    try run {
      try queue.write { db in
        let held = try Row.fetchOne(db, sql: "SELECT * FROM boardctl_lock").map {
          LockInfo(id: $0["id"], operation: $0["operation"], holder: $0["holder"], pid: $0["pid"], since: $0["since"])
        }
        guard let held, held.id == id else { throw StateError.lockMismatch(requested: id, held: held) }
        try db.execute(sql: "DELETE FROM boardctl_lock")
        return held
      }
    }
  }

  // MARK: Journal

  public func journalBegin(run: String, address: Address, action: String) throws -> Int64 {
    try self.run {
      try queue.write { db in
        try db.execute(
          sql:
            "INSERT INTO boardctl_journal (run, address, action, started_at, outcome) VALUES (?, ?, ?, ?, 'pending')",
          arguments: [run, address.description, action, Self.timestamp()])
        return db.lastInsertedRowID
      }
    }
  }

  public func journalFinish(_ id: Int64, error: String?) throws {
    try run {
      try queue.write { db in
        try db.execute(
          sql: "UPDATE boardctl_journal SET finished_at = ?, outcome = ?, error = ? WHERE id = ?",
          arguments: [Self.timestamp(), error == nil ? "ok" : "failed", error, id])
      }
    }
  }

  /// Marks an action done and writes the state it produced, in one transaction.
  public func journalFinish(_ id: Int64, saving records: [Address: StateRecord?]) throws {
    try run {
      try queue.write { db in
        try db.execute(
          sql: "UPDATE boardctl_journal SET finished_at = ?, outcome = 'ok' WHERE id = ?",
          arguments: [Self.timestamp(), id])
        if !records.isEmpty { try Self.write(records, db) }
      }
    }
  }

  /// Addresses whose journal entries an interrupted run left pending; they are marked
  /// `interrupted` so that each is reported once.
  public func takeInterrupted(exceptRun run: String) throws -> Set<Address> {
    try self.run {
      try queue.write { db in
        let rows = try String.fetchAll(
          db, sql: "SELECT DISTINCT address FROM boardctl_journal WHERE outcome = 'pending' AND run != ?",
          arguments: [run])
        try db.execute(
          sql: "UPDATE boardctl_journal SET outcome = 'interrupted' WHERE outcome = 'pending' AND run != ?",
          arguments: [run])
        return Set(rows.compactMap(Address.init))
      }
    }
  }

  /// The newest entries first.
  public func journal(limit: Int = 100) throws -> [JournalEntry] {
    try run {
      try queue.read { db in
        try Row.fetchAll(db, sql: "SELECT * FROM boardctl_journal ORDER BY id DESC LIMIT ?", arguments: [limit]).map {
          JournalEntry(
            id: $0["id"], run: $0["run"], address: $0["address"], action: $0["action"], startedAt: $0["started_at"],
            finishedAt: $0["finished_at"], outcome: $0["outcome"], error: $0["error"])
        }
      }
    }
  }

  // MARK: Helpers

  static func holder() -> String {
    let user =
      ProcessInfo.processInfo.environment["USER"] ?? ProcessInfo.processInfo.environment["LOGNAME"] ?? "unknown"
    return "\(user)@\(ProcessInfo.processInfo.hostName)"
  }

  /// Now, ISO 8601 in UTC with seconds (`2026-11-21T10:00:00Z`). Formatted by hand: a formatter
  /// per call dominated journalling thousands of actions.
  public static func timestamp(_ date: Date = Date()) -> String {
    var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
    var parts = tm()
    gmtime_r(&seconds, &parts)
    func two(_ n: Int32) -> String { n < 10 ? "0\(n)" : "\(n)" }
    return
      "\(parts.tm_year + 1900)-\(two(parts.tm_mon + 1))-\(two(parts.tm_mday))T\(two(parts.tm_hour)):\(two(parts.tm_min)):\(two(parts.tm_sec))Z"
  }
}
