import Foundation
import PostgresNIO
import Synchronization

/// The PostgreSQL server tests use (`scripts/install-system-packages` installs and starts it):
/// `BOARDCTL_TEST_PG_URL`, by default the role boardctl on 127.0.0.1:5432. Each rig gets a
/// database of its own, so tests run in parallel and in any order.
public enum TestPostgresServer {
  public static let defaultURL = "postgres://boardctl:boardctl@127.0.0.1:5432/postgres"

  /// The server's URL, naming its maintenance database.
  public static var url: String { ProcessInfo.processInfo.environment["BOARDCTL_TEST_PG_URL"] ?? defaultURL }

  /// Databases this old were left by earlier runs (a rig never drops its own: stores opened from
  /// it may outlive it).
  static let staleAfter: TimeInterval = 3600
  private static let swept = Mutex(false)

  /// Creates an empty database `boardctl_test_<seconds>_<random>` and returns its URL.
  public static func createDatabase() async throws -> String {
    let name = "boardctl_test_\(Int(Date().timeIntervalSince1970))_\(UUID().uuidString.prefix(8).lowercased())"
    try await withConnection(to: url) { connection in
      if !swept.withLock({ swept in
        defer { swept = true }; return swept
      }) {
        try await dropStaleDatabases(connection)
      }
      try await connection.query("CREATE DATABASE \(unescaped: name)", logger: logger)
    }
    return try replacingDatabase(of: url, with: name)
  }

  /// Runs `sql` (one statement) in the database at `url` and returns its rows; results come in
  /// binary form, so select `text` columns (cast with `::text`).
  @discardableResult
  public static func execute(_ sql: String, at url: String) async throws -> [[String?]] {
    try await withConnection(to: url) { connection in
      var rows: [[String?]] = []
      for try await row in try await connection.query(PostgresQuery(unsafeSQL: sql), logger: logger) {
        rows.append(row.map { cell in cell.bytes.map { String(buffer: $0) } })
      }
      return rows
    }
  }

  /// `url` naming another database.
  public static func replacingDatabase(of url: String, with database: String) throws -> String {
    guard var components = URLComponents(string: url) else {
      throw StateRigError(message: "BOARDCTL_TEST_PG_URL is not a URL")
    }
    components.path = "/" + database
    guard let replaced = components.string else { throw StateRigError(message: "BOARDCTL_TEST_PG_URL is not a URL") }
    return replaced
  }

  private static func dropStaleDatabases(_ connection: PostgresConnection) async throws {
    let now = Date().timeIntervalSince1970
    var stale: [String] = []
    let rows = try await connection.query(
      "SELECT datname::text FROM pg_database WHERE datname LIKE 'boardctl\\_test\\_%'", logger: logger)
    for try await name in rows.decode(String.self) {
      let parts = name.split(separator: "_")
      if parts.count == 4, let created = TimeInterval(parts[2]), now - created > staleAfter { stale.append(name) }
    }
    for name in stale {
      // Another run may be dropping it too, or it belongs to another role: not ours to mind.
      _ = try? await connection.query("DROP DATABASE IF EXISTS \(unescaped: name) WITH (FORCE)", logger: logger)
    }
  }

  /// What went wrong, without the driver's full dump (which may quote the connection's settings).
  private static func reason(_ error: any Error) -> String {
    guard let error = error as? PSQLError else { return "\(type(of: error))" }
    if let message = error.serverInfo?[.message] { return message }
    if let underlying = error.underlying { return "\(error.code): \(underlying)" }
    return "\(error.code)"
  }

  private static let logger: Logger = {
    var logger = Logger(label: "boardctl.test.postgres")
    logger.logLevel = .critical
    return logger
  }()

  private static func withConnection<T: Sendable>(
    to url: String, _ body: @Sendable (PostgresConnection) async throws -> T
  ) async throws -> T {
    guard let components = URLComponents(string: url), let host = components.host else {
      throw StateRigError(message: "BOARDCTL_TEST_PG_URL is not a postgres:// URL")
    }
    let port = components.port ?? 5432
    var configuration = PostgresConnection.Configuration(
      host: host, port: port, username: components.user ?? "boardctl", password: components.password,
      database: String(components.path.dropFirst()), tls: .disable)
    configuration.options.connectTimeout = .seconds(5)
    let connection: PostgresConnection
    do {
      connection = try await PostgresConnection.connect(configuration: configuration, id: 1, logger: logger)
    } catch {
      throw StateRigError(
        message:
          "the test PostgreSQL server at \(host):\(port) cannot be used (\(reason(error))): run scripts/install-system-packages (it installs and starts PostgreSQL with the role boardctl), or point BOARDCTL_TEST_PG_URL at a server"
      )
    }
    do {
      let value = try await body(connection)
      try? await connection.close()
      return value
    } catch {
      try? await connection.close()
      throw error
    }
  }
}
