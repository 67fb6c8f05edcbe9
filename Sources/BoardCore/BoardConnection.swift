import BoardSpec

/// One board, ready to refresh, check and change. What else it can do it adopts as capabilities.
public protocol BoardConnection: Sendable {
  var board: Board { get }
  /// Reads what is on the board now; one request per page of results, never one per object.
  func refresh(prior: [StateRecord]) async throws -> BoardReading
  /// Test Connection: can this board be reached and written, as configured?
  func check() async -> ConnectionCheck
  /// Carries out this board's changes; journals each action and returns the new state records.
  func apply(
    _ changes: [PlannedChange], desired: [Address: DesiredResource], prior: [Address: StateRecord],
    journal: any ApplyJournal
  ) async throws -> [Address: StateRecord?]
}

/// Capability: a board that publishes postings.
public protocol PlacementBoard: BoardConnection {
  /// The desired resource for a posting on this board.
  func desired(_ posting: ResolvedPosting, context: PlacementContext) -> DesiredResource
}

/// Capability: a board whose own settings declare objects it manages (Manatal's webhook
/// registrations), beside any placements.
public protocol DeclaredObjectsBoard: BoardConnection {
  func declaredObjects() -> [DesiredResource]
}

/// Capability: a board whose objects can be adopted by the platform's own id (`boardctl import`).
public protocol ImportableBoard: BoardConnection {
  /// The object with this id, or nil when there is none.
  func lookup(remoteID: String) async throws -> RemoteObject?
}
