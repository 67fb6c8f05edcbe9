import BoardCore
import BoardState
import BoardSupport
import BoardTesting
import Foundation

/// A workspace whose state lives on one backend, with what `boardctl` needs to reach it: for git
/// the workspace is a repository whose `origin` is a local bare repository; for PostgreSQL a
/// database of its own on the test server, its URL in `BOARDCTL_PG_URL`.
final class BackendWorkspace: @unchecked Sendable {
  let backend: StateBackendKind
  let folder: TemporaryFolder
  let environment: [String: String]
  /// The bare repository (git), kept alive with the workspace.
  let remote: TemporaryFolder?
  /// The database (postgres), kept alive with the workspace.
  let database: StateRig?
  let state: String

  init(_ backend: StateBackendKind, lease: String = "60s", folder: TemporaryFolder = TemporaryFolder()) async throws {
    self.backend = backend
    self.folder = folder
    switch backend {
    case .sqlite:
      (remote, database, environment) = (nil, nil, [:])
      state = "{backend: sqlite}"
    case .git:
      let remote = TemporaryFolder()
      try await Self.git(["init", "-q", "--bare", "-b", "main", remote.path + "/state.git"], in: remote.path)
      try await Self.git(["init", "-q", "-b", "main"], in: folder.path)
      try await Self.git(["remote", "add", "origin", remote.path + "/state.git"], in: folder.path)
      (self.remote, database, environment) = (remote, nil, [:])
      state = "{backend: git, lease: \(lease)}"
    case .postgres:
      let rig = try await StateRig(.postgres)
      guard case .postgres(let location) = rig.location() else { throw StateRigError(message: "not postgres") }
      (remote, database) = (nil, rig)
      environment = ["BOARDCTL_PG_URL": location.url.revealText()]
      state = "{backend: postgres, lease: \(lease)}"
    }
    _ = makeWorkspace(in: folder, state: state)
  }

  /// A `boardctl` runner in the workspace, with the backend's environment.
  var boardctl: Boardctl {
    var runner = Boardctl(folder)
    for (key, value) in environment { runner.environment[key] = value }
    return runner
  }

  /// Another runner's checkout of the same workspace: the same configuration in a folder of
  /// its own, sharing the state (git: the same remote; postgres: the same database).
  func anotherRunner() async throws -> (TemporaryFolder, Boardctl) {
    let other = TemporaryFolder()
    try FileManager.default.copyItem(atPath: folder.path + "/boards.d", toPath: other.path + "/boards.d")
    if let remote {
      try await Self.git(["init", "-q", "-b", "main"], in: other.path)
      try await Self.git(["remote", "add", "origin", remote.path + "/state.git"], in: other.path)
    }
    var runner = Boardctl(other)
    for (key, value) in environment { runner.environment[key] = value }
    return (other, runner)
  }

  /// Runs git in `folder`; throws when it fails.
  static func git(_ arguments: [String], in folder: String) async throws {
    let run = try await ChildProcess("/usr/bin/env", ["git"] + arguments, directory: folder).run()
    guard run.succeeded else {
      throw StateRigError(message: "git \(arguments.joined(separator: " ")) failed in \(folder): \(run.errorText)")
    }
  }
}
