import BoardSupport
import Foundation

/// The commit the configuration comes from, for the journal's provenance: `GITHUB_SHA` in GitHub
/// Actions, else the repository's `HEAD`, noting uncommitted changes under the config folder.
/// Nil outside a git repository or without git: provenance is a record, never a requirement.
enum ConfigurationCommit {
  static func describe(
    _ layout: ProjectLayout, environment: [String: String] = ProcessInfo.processInfo.environment
  ) async -> String? {
    if let sha = environment["GITHUB_SHA"], !sha.isEmpty { return String(sha.prefix(12)) }
    func git(_ arguments: [String]) async -> String? {
      guard let run = try? await ChildProcess("/usr/bin/env", ["git"] + arguments, directory: layout.root).run(),
        run.succeeded
      else { return nil }
      return run.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    guard let head = await git(["rev-parse", "--short=12", "HEAD"]), !head.isEmpty else { return nil }
    let changes = await git(["status", "--porcelain", "--", layout.configDirectory]) ?? ""
    return changes.isEmpty ? head : head + " (with uncommitted changes in boards.d)"
  }
}
