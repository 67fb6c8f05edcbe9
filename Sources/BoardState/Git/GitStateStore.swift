import BoardCore

/// The git-branch backend (being built).
public final class GitStateStore: Sendable {
  static func open(_ location: GitStateLocation, create: Bool) async throws -> (any StateStore)? {
    throw StateError.unavailable(location: location.description, reason: "not built yet", fix: "Use sqlite")
  }
}
