import BoardCore
import BoardState

/// Editing state by hand: forgetting resources, clearing a lock, reading the journal.
public struct StateSurgery: Sendable {
  public let state: any StateStore

  public init(state: any StateStore) { self.state = state }

  /// Removes every record matching `patterns` (the caller holds the lock); returns their
  /// addresses. Nothing matching is an error naming `described`.
  public func remove(_ patterns: [AddressPattern], described: String) async throws -> [Address] {
    try await EngineError.mappingState {
      let records = try await state.snapshot()?.records ?? []
      let matches = records.filter { record in patterns.contains { $0.matches(record.address) } }
      guard !matches.isEmpty else {
        throw EngineError.user(
          "no resource in state matches \(described); boardctl state list shows what there is")
      }
      var changes: [Address: StateRecord?] = [:]
      for record in matches { changes[record.address] = .some(nil) }
      try await state.write(changes)
      return matches.map(\.address)
    }
  }

  public func forceUnlock(id: String, evenIfAlive: Bool) async throws -> LockInfo {
    try await EngineError.mappingState { try await state.forceUnlock(id: id, evenIfAlive: evenIfAlive) }
  }

  public func journal(limit: Int) async throws -> [JournalEntry] {
    try await EngineError.mappingState { try await state.journal(limit: limit) }
  }
}
