import BoardCore
import Foundation
import PostgresNIO
import Synchronization

/// The shared state backend: a PostgreSQL database that CI runners and `serve` replicas use
/// together (postgres-nio, a small pool per store). Built for transaction-mode poolers: every
/// operation is one statement or one short transaction, with no session state.
///
/// The lock is a lease row taken by one statement that succeeds only when the row is free,
/// lapsed by the database's clock, or already ours, and that bumps a `generation`. Every state
/// write is a compare-and-swap on the serial this store last read and on that generation, so
/// a holder whose lease lapsed and was taken over cannot overwrite the newer state.
public final class PostgresStateStore: StateStore {
  let gateway: PostgresGateway
  let lease: Duration
  let writes = PostgresWriteQueue()
  let state: Mutex<Held>

  /// What the store remembers between calls.
  struct Held: Sendable {
    /// The serial this store last read or wrote: its next write expects to find it.
    var serial: Int
    /// The lock this store holds, if any.
    var lease: PostgresLease?
  }

  public var location: String { gateway.diagnosis.location }

  init(gateway: PostgresGateway, serial: Int, lease: Duration) {
    self.gateway = gateway
    self.lease = lease
    state = Mutex(Held(serial: serial, lease: nil))
  }

  deinit {
    state.withLock { $0.lease?.cancel() }
  }

  /// Opens the state at `location`. With `create` false nothing is created or migrated, and
  /// the result is nil when the database holds no state. The first connection is made outside
  /// the pool and bounded by the connect timeout, so a wrong password, a missing database or a
  /// server that is down fails at once with what to fix.
  static func open(_ location: PostgresStateLocation, create: Bool) async throws -> (any StateStore)? {
    let endpoint = try PostgresEndpoint.parse(
      location.url.revealText(), source: location.source, location: location.description)
    let diagnosis = PostgresDiagnosis(
      location: "\(location.description) (\(endpoint.display))", source: location.source, endpoint: endpoint)
    let found = try await PostgresGateway.withDirectConnection(diagnosis, phase: create ? .creating : .using) {
      connection in
      if create { return try await PostgresSchema.prepare(connection, diagnosis: diagnosis) }
      return try await PostgresSchema.inspect(connection, diagnosis: diagnosis)
    }
    guard case .state(_, let serial) = found else { return nil }
    return PostgresStateStore(gateway: PostgresGateway(diagnosis: diagnosis), serial: serial, lease: location.lease)
  }

  public func close() async {
    let lease = state.withLock { held in
      defer { held.lease = nil }
      return held.lease
    }
    await lease?.stop()
    await gateway.shutdown()
  }

  /// The text PostgreSQL makes of a `timestamptz`, in the form `StateTime` writes.
  static func utc(_ expression: String) -> String {
    #"to_char(\#(expression) AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"')"#
  }
}
