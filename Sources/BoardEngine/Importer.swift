import BoardCore
import BoardHTTP
import BoardSpec
import BoardState

/// `boardctl import ADDRESS REMOTE_ID`: adopt an object that exists on a platform but was not
/// made by boardctl (a job a recruiter created in Manatal). The import is recorded in state; the
/// next plan shows it, and apply tags and adopts the object.
public struct Importer: Sendable {
  public let workspace: CheckedWorkspace

  public init(workspace: CheckedWorkspace) { self.workspace = workspace }

  /// Records the import; returns the object found on the board.
  public func record(
    _ target: Address, remoteID: String, keyFile: String?, lock: LockRequest, http: HTTPRuntime
  ) async throws -> RemoteObject {
    let config = workspace.config
    guard let board = config.boards.first(where: { $0.name == target.board }) else {
      throw EngineError.user(
        "no board named '\(target.board)'; the boards are \(config.boards.map(\.name).joined(separator: ", "))")
    }
    let objectType = (workspace.platforms[board.platform] as? any PostingPlatform)?.placementKind ?? "object"
    guard target.object == objectType,
      workspace.placements.contains(where: { $0.board.name == board.name && $0.posting.name == target.name })
    else {
      throw EngineError.user(
        "no posting places '\(target.name)' on board '\(board.name)', so there is nothing to import it as; add the posting (listing \(board.name) in its boards) first. Addresses on this board look like \(board.name).\(objectType).POSTING"
      )
    }
    let connected = try workspace.connect(keyFile: keyFile, requireCredentials: true, http: http)
    guard let connection = connected.connections[board.name] else {
      throw EngineError.user("board '\(board.name)' cannot be opened")
    }
    guard let importable = connection as? any ImportableBoard else {
      throw EngineError.user(
        "board '\(board.name)' has nothing to import by id: boardctl finds its own objects there by their tag")
    }
    let found: RemoteObject?
    do {
      found = try await importable.lookup(remoteID: remoteID)
    } catch {
      throw EngineError.user("cannot look up \(remoteID) on board '\(board.name)': \(error)")
    }
    guard let found else {
      throw EngineError.user("board '\(board.name)' has no object with id \(remoteID); nothing was imported")
    }
    if let tagged = found.taggedAs, tagged != target {
      throw EngineError.user(
        "\(remoteID) (\(found.summary)) already carries boardctl's tag for \(tagged); it is managed there, not importable as \(target)"
      )
    }
    let state = try await StateAccess.openForWriting(workspace.stateLocation(keyFile: keyFile))
    let onRemove =
      workspace.placements.first { $0.board.name == board.name && $0.posting.name == target.name }?.posting.onRemove
      ?? .close
    let now = workspace.environment.now
    try await StateAccess.withLock(state, lock) { _ in
      try await EngineError.mappingState {
        if let existing = try await state.record(target) {
          throw EngineError.user(
            "\(target) is already in state\(existing.remoteID.map { " (remote id \($0))" } ?? ""); run boardctl state rm \(target) first to import another object as it"
          )
        }
        if let other = try await state.snapshot()?.records.first(where: {
          $0.address.board == board.name && $0.address.object == objectType && $0.remoteID == remoteID
        }) {
          throw EngineError.user("\(remoteID) is already in state as \(other.address); one object, one address")
        }
        try await state.write([
          target: StateRecord(
            address: target, platform: board.platform, attributes: [:], status: .importing, onRemove: onRemove,
            remoteID: remoteID, updatedAt: now)
        ])
      }
    }
    await state.close()
    return found
  }
}
