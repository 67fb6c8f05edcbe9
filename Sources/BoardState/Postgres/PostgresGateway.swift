import Foundation
import PostgresNIO
import Synchronization

/// A store's way to the server: a small pool (`PostgresClient`) whose `run()` task it owns, and
/// short transactions on it. Everything it runs is a single statement or an explicit
/// transaction on one leased connection, so a transaction-mode pooler (PgBouncer) in between
/// is fine: no session state, no named prepared statements (postgres-nio parses every query
/// with parameters as the unnamed statement).
final class PostgresGateway: Sendable {
  let diagnosis: PostgresDiagnosis
  let client: PostgresClient
  private let running: Task<Void, Never>

  /// Enough for an apply's bounded concurrency plus the lease's renewal; a pooler multiplexes
  /// many runners onto fewer server connections anyway.
  static let poolSize = 4
  /// How long an operation waits for a pooled connection before the failure is diagnosed.
  static let connectionWait: Duration = .seconds(15)

  /// The driver logs nothing of ours: errors travel as values and are rendered in one place.
  static let quiet: Logger = {
    var logger = Logger(label: "boardctl.state.postgres")
    logger.logLevel = .critical
    return logger
  }()

  init(diagnosis: PostgresDiagnosis) {
    self.diagnosis = diagnosis
    let client = PostgresClient(
      configuration: diagnosis.endpoint.clientConfiguration(connections: Self.poolSize))
    self.client = client
    // The pool only hands out connections while run() runs; cancelling it closes them all.
    running = Task { await client.run() }
  }

  deinit {
    running.cancel()
  }

  /// Closes every connection and waits until the pool has stopped.
  func shutdown() async {
    running.cancel()
    await running.value
  }

  /// Runs `body` on one connection outside the pool, opened for the purpose and closed after:
  /// opening the state uses it, and its failure says exactly why the server refused (the pool
  /// would retry a refused password quietly for a minute).
  static func withDirectConnection<T: Sendable>(
    _ diagnosis: PostgresDiagnosis, phase: PostgresDiagnosis.Phase = .connecting,
    _ body: @Sendable (PostgresConnection) async throws -> T
  ) async throws -> T {
    let connection: PostgresConnection
    do {
      connection = try await PostgresConnection.connect(
        configuration: try diagnosis.endpoint.connectionConfiguration(), id: 0, logger: quiet)
    } catch {
      throw diagnosis.stateError(error, phase: .connecting)
    }
    do {
      let value = try await body(connection)
      try? await connection.close()
      return value
    } catch {
      try? await connection.close()
      throw diagnosis.stateError(error, phase: phase)
    }
  }

  /// Runs `body` on a pooled connection. Waiting for one is bounded: when the pool cannot
  /// connect (server down, password changed), a direct connection finds out why.
  func withConnection<T: Sendable>(_ body: @escaping @Sendable (PostgresConnection) async throws -> T) async throws
    -> T
  {
    let leased = LeaseFlag()
    do {
      return try await withThrowingTaskGroup(of: Outcome<T>.self) { group in
        group.addTask {
          let value = try await self.client.withConnection { connection in
            leased.set()
            return try await body(connection)
          }
          return .value(value)
        }
        group.addTask {
          try await Task.sleep(for: Self.connectionWait)
          if leased.isSet { return .leasedInTime }
          throw ConnectionWaitExpired()
        }
        while let outcome = try await group.next() {
          if case .value(let value) = outcome {
            group.cancelAll()
            return value
          }
        }
        throw CancellationError()
      }
    } catch is ConnectionWaitExpired {
      try await Self.withDirectConnection(diagnosis) { _ in }
      throw diagnosis.unavailable(
        "no connection from the pool within \(Self.connectionWait), though the server answers",
        fix: "The server may be overloaded or out of connection slots; run the command again")
    } catch {
      throw diagnosis.stateError(error)
    }
  }

  /// Runs `body` in one short transaction on a pooled connection: committed when it returns,
  /// rolled back when it throws (and the connection dropped if even that fails).
  func transaction<T: Sendable>(
    _ begin: PostgresQuery = "BEGIN", _ body: @escaping @Sendable (PostgresConnection) async throws -> T
  ) async throws -> T {
    try await withConnection { connection in try await Self.transaction(on: connection, begin, body) }
  }

  static func transaction<T: Sendable>(
    on connection: PostgresConnection, _ begin: PostgresQuery = "BEGIN",
    _ body: @Sendable (PostgresConnection) async throws -> T
  ) async throws -> T {
    try await connection.execute(begin)
    do {
      let value = try await body(connection)
      try await connection.execute("COMMIT")
      return value
    } catch {
      do {
        try await connection.execute("ROLLBACK")
      } catch {
        // A connection stuck in a failed transaction must not go back to the pool.
        try? await connection.close()
      }
      throw error
    }
  }

  private enum Outcome<Value: Sendable>: Sendable {
    case value(Value)
    case leasedInTime
  }

  private struct ConnectionWaitExpired: Error {}

  /// Set once a connection was leased: from then on the operation runs unbounded.
  private final class LeaseFlag: Sendable {
    private let value = Mutex(false)
    func set() { value.withLock { $0 = true } }
    var isSet: Bool { value.withLock { $0 } }
  }
}

extension PostgresConnection {
  /// Every row of `query`, read to the end (a half-read result would block the connection).
  func rows(_ query: PostgresQuery) async throws -> [PostgresRow] {
    try await self.query(query, logger: PostgresGateway.quiet).collect()
  }

  /// Runs `query` for its effect.
  func execute(_ query: PostgresQuery) async throws {
    _ = try await rows(query)
  }
}
