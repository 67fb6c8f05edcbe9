import BoardSecrets
import BoardSpec
import BoardState

/// Opening the state and holding its lock, for every command that touches state.
public enum StateAccess {
  /// Opens the state at `location`; with `create` false, nothing is created or migrated and the
  /// result is nil when there is no state yet.
  public static func open(_ location: StateLocation, create: Bool) async throws -> (any StateStore)? {
    try await EngineError.mappingState { try await StateStores.open(location, create: create) }
  }

  /// Opens the state for writing, creating it when absent.
  public static func openForWriting(_ location: StateLocation) async throws -> any StateStore {
    guard let store = try await open(location, create: true) else {
      throw EngineError.bug("opening \(location.description) for writing returned nothing")
    }
    return store
  }

  /// Runs `body` with the state at `location` (nil when there is none and `create` is false),
  /// and lets go of it (connections, background renewal) however `body` ends.
  public static func with<T>(
    _ location: StateLocation, create: Bool, _ body: ((any StateStore)?) async throws -> T
  ) async throws -> T {
    let state = try await open(location, create: create)
    do {
      let result = try await body(state)
      await state?.close()
      return result
    } catch {
      await state?.close()
      throw error
    }
  }

  /// Runs `body` with the existing state at `location` opened for writing, or nil when there is
  /// no state (nothing is created then).
  public static func withExisting<T>(
    _ location: StateLocation, _ body: ((any StateStore)?) async throws -> T
  ) async throws -> T {
    let exists = try await with(location, create: false) { $0 != nil }
    guard exists else { return try await body(nil) }
    return try await with(location, create: true, body)
  }

  /// Runs `body` holding the state lock (waiting as `request` says), and releases it however
  /// `body` ends. A lock that stays held is `EngineError.locked`; a provably gone holder's lock
  /// is taken over (the request's `onTakeover` says so).
  public static func withLock<T>(
    _ state: any StateStore, _ request: LockRequest, _ body: (LockInfo) async throws -> T
  ) async throws -> T {
    let lock = try await EngineError.mappingState { try await state.lock(request) }
    do {
      let result = try await body(lock)
      try await EngineError.mappingState { try await state.unlock(lock) }
      return result
    } catch {
      try? await state.unlock(lock)
      throw error
    }
  }

  /// The Workspace's state settings even while other documents have problems: state surgery
  /// (`state list`, `force-unlock`, `history`) must work while boards.d is broken.
  public static func settings(_ layout: ProjectLayout) -> (settings: StateSettings, workspace: Workspace?) {
    let workspace = ConfigLoader(platforms: []).loadWorkspace(directory: layout.configDirectory)
    return (workspace?.state ?? StateSettings(), workspace)
  }
}

extension StateAccess {
  /// Where the state is, from the Workspace document alone (plus, for a PostgreSQL URL sealed
  /// in a credential, that credential): works while other documents have problems.
  public static func location(_ layout: ProjectLayout, keyFile: String? = nil) throws -> StateLocation {
    let (settings, workspace) = self.settings(layout)
    var credentials: [Credential] = []
    if settings.urlCredential != nil {
      let loaded = ConfigLoader(platforms: []).load(directory: layout.configDirectory)
      credentials = (loaded.config ?? loaded.partial)?.credentials ?? []
    }
    return try layout.stateLocation(
      settings, credentials: credentials, workspace: workspace?.name ?? Workspace.defaultName,
      keys: { try KeyRing.load(keyFile: keyFile) })
  }
}
