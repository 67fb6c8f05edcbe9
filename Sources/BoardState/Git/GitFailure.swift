import BoardSupport
import Foundation

/// Turns what git printed when it failed into a `StateError` the user can act on. Git's words
/// are quoted with any credentials in URLs hidden.
enum GitFailure {
  /// What a push refused by the remote (a hook, a ruleset, a permission) needs, in GitHub
  /// Actions and elsewhere.
  static func refusedFix(branch: String) -> String {
    "In GitHub Actions give the job `permissions: contents: write`; if a ruleset or branch protection covers '\(branch)' (GitHub's error GH013), add an exception (bypass) for that branch; elsewhere, check the remote's hooks and your write access. Nothing was written"
  }

  /// The remote's own lines (`remote: …`), or git's first error line.
  static func gist(_ output: GitProcess.Output, limit: Int = 4) -> String {
    let text = GitRemote.redactingCredentials(in: output.errorText)
    let lines = text.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }
    let remote = lines.filter { $0.hasPrefix("remote:") }.map { $0.dropFirst(7).trimmingCharacters(in: .whitespaces) }
      .filter { !$0.isEmpty }
    let chosen = remote.isEmpty ? lines.filter { $0.hasPrefix("fatal:") || $0.hasPrefix("error:") } : remote
    let picked = (chosen.isEmpty ? lines : chosen).prefix(limit)
    return picked.isEmpty ? "git exited with status \(output.status)" : picked.joined(separator: " / ")
  }

  static func unreachable(_ output: GitProcess.Output, location: String, remote: GitRemote) -> StateError {
    let text = output.errorText
    if text.contains("unknown option") || text.contains("usage: git") {
      return .unavailable(
        location: location, reason: "this git is too old (\(gist(output, limit: 1)))",
        fix: "Install git 2.29 or newer")
    }
    if text.contains("terminal prompts disabled") || text.contains("Authentication failed")
      || text.contains("could not read Username") || text.contains("Permission denied") || text.contains("403")
    {
      return .unavailable(
        location: location, reason: "remote '\(remote.display)' refused access (\(gist(output)))",
        fix:
          "Give git credentials for it: in GitHub Actions, actions/checkout's token (persist-credentials: true) and `permissions: contents: write`; elsewhere, a credential helper or an SSH key. Nothing was written"
      )
    }
    return .unavailable(
      location: location, reason: "cannot reach remote '\(remote.display)' (\(gist(output)))",
      fix: "Check the remote's URL (git remote -v) and the network, then run the command again. Nothing was written")
  }

  static func refused(_ output: GitProcess.Output, report: String, location: String, branch: String) -> StateError {
    let reason = report.split(separator: "\t").last.map(String.init) ?? report
    return .unavailable(
      location: location,
      reason:
        "the remote refused the push to '\(branch)': \(GitRemote.redactingCredentials(in: reason)) (\(gist(output)))",
      fix: refusedFix(branch: branch))
  }

  static func pushFailed(_ output: GitProcess.Output, location: String, remote: GitRemote, branch: String)
    -> StateError
  {
    let text = output.errorText
    if text.contains("403") || text.contains("Permission to") || text.contains("denied") || text.contains("GH013") {
      return .unavailable(
        location: location, reason: "the remote refused the push to '\(branch)' (\(gist(output)))",
        fix: refusedFix(branch: branch))
    }
    return unreachable(output, location: location, remote: remote)
  }

  static func failed(_ output: GitProcess.Output, doing what: String, location: String) -> StateError {
    .unavailable(
      location: location, reason: "git could not \(what) (\(gist(output)))",
      fix: "Check the repository with git fsck; if this persists, please report it")
  }
}
