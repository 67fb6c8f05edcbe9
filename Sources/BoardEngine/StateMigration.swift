import BoardSpec
import BoardState

/// `state migrate`: copies a whole state (records, journal, lineage, serial) from the current
/// backend to another, holding the source's lock so nothing changes meanwhile. The source is
/// never modified; the user switches the Workspace's `state:` afterwards.
public struct StateMigration: Sendable {
  public let source: StateLocation
  public let target: StateLocation

  public init(source: StateLocation, target: StateLocation) {
    self.source = source
    self.target = target
  }

  /// What was copied.
  public struct Copied: Sendable {
    public var records: Int
    public var journalEntries: Int
    public var lineage: String
    public var serial: Int
  }

  public func run(lock: LockRequest) async throws -> Copied {
    if source.description == target.description {
      throw EngineError.user("the target is the state itself (\(target.description)); choose another location")
    }
    return try await StateAccess.withExisting(source) { state in
      guard let state else { throw EngineError.user("there is no state at \(source.description) to migrate") }
      return try await StateAccess.withLock(state, lock) { _ in
        let export = try await EngineError.mappingState { try await state.exportState() }
        try await StateAccess.with(target, create: true) { copy in
          guard let copy else { throw EngineError.bug("opening \(target.description) for writing returned nothing") }
          try await EngineError.mappingState {
            try await copy.importState(export)
            let check = try await copy.exportState()
            guard check == export else {
              throw EngineError.bug("the copy at \(target.description) differs from the source after migration")
            }
          }
        }
        return Copied(
          records: export.records.count, journalEntries: export.journal.count, lineage: export.lineage,
          serial: export.serial)
      }
    }
  }
}
