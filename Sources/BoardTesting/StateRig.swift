import BoardCore
import BoardState
import Foundation

/// The state backends, as tests name them.
public enum StateBackendKind: String, CaseIterable, Sendable, CustomStringConvertible {
  case sqlite, git, postgres

  public var description: String { rawValue }
}

/// A fresh, empty state location on one backend, for tests: an SQLite file in a temporary
/// folder, a git repository whose `origin` is a local bare repository, or a database of its own
/// on the test PostgreSQL server. Every store opened from one rig shares the same state, as
/// separate CI runners would.
public final class StateRig: Sendable {
  public let kind: StateBackendKind
  public let folder: TemporaryFolder
  public let lease: Duration
  let setup: StateRigSetup

  public init(_ kind: StateBackendKind, lease: Duration = .seconds(60)) async throws {
    self.kind = kind
    self.lease = lease
    let folder = TemporaryFolder()
    self.folder = folder
    switch kind {
    case .sqlite: setup = .sqlite(path: folder.path + "/.boardctl/state.db")
    case .git: setup = try await StateRigSetup.git(in: folder)
    case .postgres: setup = try await StateRigSetup.postgres()
    }
  }

  /// The location a runner (a checkout of its own, for git) opens.
  public func location(runner: Int = 0) -> StateLocation {
    setup.location(runner: runner, lease: lease, folder: folder)
  }

  /// Opens the state for writing, creating it when absent.
  public func open(runner: Int = 0) async throws -> any StateStore {
    guard let store = try await StateStores.open(location(runner: runner), create: true) else {
      throw StateRigError(message: "open(create: true) returned nil")
    }
    return store
  }

  /// Opens the state for reading only: nil when none exists.
  public func openForReading(runner: Int = 0) async throws -> (any StateStore)? {
    try await StateStores.open(location(runner: runner), create: false)
  }

  /// Leaves a lock held by a holder that is provably gone, as a killed command leaves it: on
  /// SQLite a lock row whose process does not exist (the OS dropped its flock); on leased
  /// backends a lock taken with a short lease by a store that then stopped renewing it.
  /// Returns that holder.
  public func abandonLock() async throws -> LockInfo {
    try await setup.abandonLock(rig: self)
  }
}

public struct StateRigError: Error, CustomStringConvertible {
  public var message: String
  public var description: String { message }

  public init(message: String) { self.message = message }
}
