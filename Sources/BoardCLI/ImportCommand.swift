import ArgumentParser
import BoardCore
import BoardHTTP
import BoardSpec
import BoardState
import Foundation

/// `boardctl import ADDRESS REMOTE_ID`: adopt an object that exists on a platform but was not
/// made by boardctl (a job a recruiter created in Manatal) into state.
struct ImportCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Adopt an existing object on a board (e.g. a Manatal job) as the resource at ADDRESS.",
    discussion: """
      The posting must already place itself on the board (ADDRESS is board.job.posting-name). The \
      import is recorded in state; the next plan shows it as an import (<=) with the fields apply \
      will set, and apply tags the object with boardctl's ownership tag. Nothing on the board \
      changes until apply.
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup var lockOptions: LockOptions
  @OptionGroup var keyOptions: KeyOptions
  @Argument(help: ArgumentHelp("The resource's address, e.g. manatal.job.backend-engineer.", valueName: "address"))
  var address: String
  @Argument(help: ArgumentHelp("The object's id on the platform (a Manatal job id).", valueName: "remote-id"))
  var remoteID: String

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    try await Command.withHTTP(terminal) { http in try await adopt(terminal, http: http) }
  }

  private func adopt(_ terminal: Terminal, http: HTTPRuntime) async throws -> ExitStatus {
    guard let target = Address(address) else {
      throw CLIError("'\(address)' is not an address; addresses look like manatal.job.backend-engineer")
    }
    let session = try Session.load(configDirectory: global.configDirectory)
    terminal.report(session.warnings)
    guard let board = session.config.boards.first(where: { $0.name == target.board }) else {
      throw CLIError(
        "no board named '\(target.board)'; the boards are \(session.config.boards.map(\.name).joined(separator: ", "))")
    }
    let objectType = session.platforms[board.platform]?.objectType ?? "object"
    guard target.object == objectType,
      session.placements.contains(where: { $0.board.name == board.name && $0.posting.name == target.name })
    else {
      throw CLIError(
        "no posting places '\(target.name)' on board '\(board.name)', so there is nothing to import it as; add the posting (listing \(board.name) in its boards) first. Addresses on this board look like \(board.name).\(objectType).POSTING"
      )
    }
    let connected = try session.connect(keys: keyOptions.keyFile, requireCredentials: true, http: http)
    guard let connection = connected.connections[board.name] else {
      throw CLIError("board '\(board.name)' cannot be opened")
    }
    let found: RemoteObject?
    do {
      found = try await connection.lookup(remoteID: remoteID)
    } catch let error as ImportUnsupported {
      throw CLIError(error.description)
    } catch {
      throw CLIError("cannot look up \(remoteID) on board '\(board.name)': \(error)")
    }
    guard let found else {
      throw CLIError("board '\(board.name)' has no object with id \(remoteID); nothing was imported")
    }
    if let tagged = found.taggedAs, tagged != target {
      throw CLIError(
        "\(remoteID) (\(found.summary)) already carries boardctl's tag for \(tagged); it is managed there, not importable as \(target)"
      )
    }

    let state = try await session.openState()
    try await StateAccess.withLock(
      state, operation: "import", timeout: try lockOptions.seconds(), terminal: terminal
    ) { _ in
      try await record(target, remoteID: remoteID, board: board, objectType: objectType, session: session, state: state)
    }
    terminal.out(
      "Import recorded: \(target) <= \(remoteID) (\(found.summary)).\nRun boardctl plan to see what apply will set; apply adopts and tags it.\n"
    )
    return .success
  }

  private func record(
    _ target: Address, remoteID: String, board: Board, objectType: String, session: Session, state: any StateStore
  ) async throws {
    do {
      if let existing = try await state.record(target) {
        throw CLIError(
          "\(target) is already in state\(existing.remoteID.map { " (remote id \($0))" } ?? ""); run boardctl state rm \(target) first to import another object as it"
        )
      }
      if let other = try await state.snapshot()?.records.first(where: {
        $0.address.board == board.name && $0.address.object == objectType && $0.remoteID == remoteID
      }) {
        throw CLIError("\(remoteID) is already in state as \(other.address); one object, one address")
      }
      let onRemove =
        session.placements.first { $0.board.name == board.name && $0.posting.name == target.name }?.posting.onRemove
        ?? .close
      try await state.write([
        target: StateRecord(
          address: target, platform: board.platform, attributes: [:], status: .importing, onRemove: onRemove,
          remoteID: remoteID, updatedAt: session.environment.now)
      ])
    } catch let error as StateError {
      throw CLIError(error.description)
    }
  }
}
