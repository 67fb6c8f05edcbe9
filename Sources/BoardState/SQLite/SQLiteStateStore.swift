import BoardCore
import Foundation
import GRDB
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// The local state backend: one SQLite file (GRDB, WAL mode, migrations). It keeps the last
/// applied attributes of every resource (never a secret), the lineage and serial, the lock and
/// the apply journal.
///
/// The lock is a row naming its holder plus an exclusive `flock` on `<file>.lock`, held for as
/// long as the lock is: the operating system releases it when the holder's process dies, so a
/// lock whose holder was killed is taken over by the next command without a human.
public final class SQLiteStateStore: StateStore {
  public let path: String
  let queue: DatabaseQueue
  /// The open lock file while this process holds the lock.
  let lockFile = Mutex<Int32?>(nil)

  /// The format this build writes; a file with a higher one is refused. Version 2 added the
  /// lock's CI run and lease columns.
  static let schemaVersion = 2

  public var location: String { "the SQLite state '\(path)'" }

  init(path: String, queue: DatabaseQueue) {
    self.path = path
    self.queue = queue
  }

  deinit {
    lockFile.withLock { fd in
      if let descriptor = fd { Glibc.close(descriptor) }
    }
  }

  public func close() async {}

  /// Opens an existing state for reading and writing; nil when there is no state file yet.
  public static func openExisting(path: String) throws -> SQLiteStateStore? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    return try open(path: path)
  }

  /// Opens an existing state read-only, without migrating: for readers that must not write
  /// (`plan`, `state list`, observers in tests), including on a read-only folder. Nil when there
  /// is no state file.
  public static func openReadOnly(path: String) throws -> SQLiteStateStore? {
    guard FileManager.default.fileExists(atPath: path) else { return nil }
    var configuration = Configuration()
    configuration.readonly = true
    configuration.busyMode = .timeout(10)
    func reader(_ file: String) throws -> SQLiteStateStore {
      let store = SQLiteStateStore(path: path, queue: try DatabaseQueue(path: file, configuration: configuration))
      try store.checkOwnership(migrating: false)
      return store
    }
    do {
      return try reader(path)
    } catch let error as StateError {
      throw error
    } catch {
      // A WAL database needs its shared-memory file, which a read-only folder cannot get: read
      // the file as immutable then (nobody can be writing it there), unless its WAL holds
      // changes not yet in the file, which an immutable read would miss.
      guard let uri = immutableURI(path) else { throw Self.translate(error, path: path) }
      do {
        return try reader(uri)
      } catch let fallback as StateError {
        throw fallback
      } catch {
        throw Self.translate(error, path: path)
      }
    }
  }

  /// `file:PATH?immutable=1` when `path`'s folder is read-only and no WAL content is pending.
  private static func immutableURI(_ path: String) -> String? {
    let folder = URL(fileURLWithPath: path).deletingLastPathComponent().path
    guard access(folder, W_OK) != 0 else { return nil }
    let wal = (try? FileManager.default.attributesOfItem(atPath: path + "-wal"))?[.size] as? Int ?? 0
    guard wal == 0, let encoded = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) else {
      return nil
    }
    return "file:\(encoded)?immutable=1"
  }

  /// Opens the state, creating the file (and its folder) if needed.
  public static func open(path: String) throws -> SQLiteStateStore {
    let exists = FileManager.default.fileExists(atPath: path)
    if !exists {
      let folder = URL(fileURLWithPath: path).deletingLastPathComponent()
      do {
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
      } catch {
        throw StateError.unavailable(
          location: "the SQLite state '\(path)'", reason: "cannot create folder \(folder.path)",
          fix: "Check the folder's permissions, or point Workspace state.path elsewhere")
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
    let store = SQLiteStateStore(path: path, queue: queue)
    do {
      try store.checkOwnership(migrating: true)
      try queue.writeWithoutTransaction { db in
        _ = try String.fetchOne(db, sql: "PRAGMA journal_mode = WAL")
      }
      try Self.migrator.migrate(queue)
    } catch let error as StateError {
      throw error
    } catch {
      throw Self.translate(error, path: path)
    }
    return store
  }

  /// Checks the file is ours and not from a newer boardctl, before anything in it changes.
  private func checkOwnership(migrating: Bool) throws {
    try queue.read { db in
      let tables = try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table'")
      if !tables.isEmpty && !tables.contains("boardctl_meta") {
        throw StateError.foreign(
          location: "state file '\(path)' (an SQLite database)", fix: "Point Workspace state.path at another file")
      }
      guard tables.contains("boardctl_meta") else { return }
      let version = try Int.fetchOne(db, sql: "SELECT value FROM boardctl_meta WHERE key = 'schema_version'")
      if let version, version > Self.schemaVersion {
        throw StateError.newerSchema(location: "state file '\(path)'", version: version)
      }
      if tables.contains("grdb_migrations"), try Self.migrator.hasBeenSuperseded(db) {
        throw StateError.newerSchema(location: "state file '\(path)'", version: version ?? 0)
      }
    }
  }

  static let migrator: DatabaseMigrator = {
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
        sql: "INSERT INTO boardctl_meta (key, value) VALUES ('schema_version', '1'), ('lineage', ?), ('serial', '0')",
        arguments: [UUID().uuidString.lowercased()])
    }
    migrator.registerMigration("v2: artifact stamps") { db in
      try db.execute(sql: "ALTER TABLE boardctl_resources ADD COLUMN stamp TEXT")
    }
    migrator.registerMigration("v3: lock CI run and lease") { db in
      try db.execute(
        sql: """
          ALTER TABLE boardctl_lock ADD COLUMN ci_run TEXT;
          ALTER TABLE boardctl_lock ADD COLUMN expires TEXT;
          UPDATE boardctl_meta SET value = '2' WHERE key = 'schema_version';
          """)
    }
    return migrator
  }()

  static func translate(_ error: any Error, path: String) -> StateError {
    if let error = error as? StateError { return error }
    let location = "the SQLite state '\(path)'"
    if let error = error as? DatabaseError {
      if error.resultCode == .SQLITE_NOTADB || error.resultCode == .SQLITE_CORRUPT {
        return .notADatabase(path: path)
      }
      if error.resultCode == .SQLITE_READONLY || error.resultCode == .SQLITE_CANTOPEN
        || error.resultCode == .SQLITE_PERM
      {
        return .unavailable(
          location: location, reason: error.message ?? "\(error.resultCode)",
          fix: "Check that this user can read and write the file and its folder")
      }
      return .unavailable(
        location: location, reason: error.message ?? "\(error.resultCode)",
        fix: "If the file is damaged, restore it from a backup or move it aside")
    }
    return .unavailable(location: location, reason: "\(error)", fix: "Check the file and its folder")
  }

  /// Runs a read, translating GRDB's errors into `StateError`s.
  func reading<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
    do { return try await queue.read(body) } catch { throw Self.translate(error, path: path) }
  }

  /// Runs a write in one transaction, translating GRDB's errors into `StateError`s.
  func writing<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
    do { return try await queue.write(body) } catch { throw Self.translate(error, path: path) }
  }
}
