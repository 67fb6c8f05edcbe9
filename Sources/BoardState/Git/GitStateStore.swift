import BoardCore
import Foundation

/// The git-branch backend: state as small text files in an orphan branch (default
/// `boardctl-state`) of the repository's own remote, so CI runners share state, lock and journal
/// with nothing but the repository and its checkout token. `git log -p` of the branch is the
/// audit trail.
///
/// Every write is a commit whose parent is the head last read or written; the push is the
/// compare-and-swap. The lock lives on the same branch as a `lock` file with a lease, so the push
/// that writes state also proves the lock is still held. Only plumbing and a private ref
/// (`refs/boardctl/<branch>`) are used: the user's working tree, index, HEAD and branches are
/// never touched. Reading (`open(create: false)`) fetches only: it never locks or pushes.
public final class GitStateStore: StateStore {
  public let location: String
  let branch: GitStateBranch

  init(location: String, branch: GitStateBranch) {
    self.location = location
    self.branch = branch
  }

  /// Opens the state kept on `location`'s branch, running git with `environment` (its PATH finds
  /// git). With `create` false nothing is pushed, and the result is nil when there is no branch.
  public static func open(
    _ location: GitStateLocation, create: Bool,
    environment: [String: String] = ProcessInfo.processInfo.environment
  ) async throws -> GitStateStore? {
    let description = location.description
    guard let git = GitProcess(environment: environment) else {
      throw StateError.unavailable(
        location: description, reason: "the git program is not on PATH",
        fix: "Install git (2.29 or newer; for example apt-get install git), or choose the sqlite state backend")
    }
    var repository = GitRepository(
      git: git, directory: location.repository, remote: GitRemote(location.remote), branch: location.branch,
      location: description)
    try await repository.check()
    let branch = GitStateBranch(repository: repository, lease: location.lease, location: description)
    guard try await branch.open(create: create) else { return nil }
    return GitStateStore(location: description, branch: branch)
  }

  public func close() async {
    try? await branch.flushDeferred()
    await branch.stopRenewal()
  }
}
