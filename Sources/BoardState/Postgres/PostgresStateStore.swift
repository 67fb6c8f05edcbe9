import BoardCore

/// The PostgreSQL backend (being built).
public final class PostgresStateStore: Sendable {
  static func open(_ location: PostgresStateLocation, create: Bool) async throws -> (any StateStore)? {
    throw StateError.unavailable(location: location.description, reason: "not built yet", fix: "Use sqlite")
  }
}
