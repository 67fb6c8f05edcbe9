import Foundation

/// Who ran an apply: the person or machine (`user@host`), the CI run, the commit of the
/// configuration. Kept with every journal entry of the run, so `history` answers "who published
/// this, from which commit". It travels in the journal's `run` text (the run id, then
/// `key=value` fields separated by tabs), which every backend already stores: a journal written
/// before provenance existed reads as an id alone.
public struct RunProvenance: Sendable, Hashable {
  public var id: String
  /// `user@host`.
  public var by: String?
  /// The CI run's URL (GitHub Actions, GitLab, Jenkins).
  public var ciRun: String?
  /// The configuration's commit, with a note when `boards.d` had uncommitted changes.
  public var commit: String?

  public init(
    id: String = UUID().uuidString.lowercased(), by: String? = nil, ciRun: String? = nil, commit: String? = nil
  ) {
    self.id = id
    self.by = by
    self.ciRun = ciRun
    self.commit = commit
  }

  /// This process's provenance, `commit` found by the caller.
  public static func forThisProcess(
    commit: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) -> RunProvenance {
    let lock = LockInfo.forThisProcess(operation: "apply", environment: environment)
    return RunProvenance(by: lock.holder, ciRun: lock.ciRun, commit: commit)
  }

  /// The journal's `run` text.
  public var encoded: String {
    var fields = [id]
    for (key, value) in [("by", by), ("ci", ciRun), ("commit", commit)] {
      // A field never holds the separators (values come from the environment and git).
      if let value { fields.append(key + "=" + value.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }) }
    }
    return fields.joined(separator: "\t")
  }

  /// Reads a journal's `run` text back.
  public init(decoding text: String) {
    let fields = text.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
    self.init(id: fields.first ?? "")
    for field in fields.dropFirst() {
      let parts = field.split(separator: "=", maxSplits: 1).map(String.init)
      guard parts.count == 2 else { continue }
      switch parts[0] {
      case "by": by = parts[1]
      case "ci": ciRun = parts[1]
      case "commit": commit = parts[1]
      default: break
      }
    }
  }

  /// "by alice@laptop, commit 3f2a9c1d0b7e, CI https://…", or nil when nothing is known.
  public var summary: String? {
    let parts = [by.map { "by \($0)" }, commit.map { "commit \($0)" }, ciRun.map { "CI \($0)" }].compactMap { $0 }
    return parts.isEmpty ? nil : parts.joined(separator: ", ")
  }
}
