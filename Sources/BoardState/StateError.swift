import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Why the state could not be used. Every case is the user's to fix and says how.
public enum StateError: Error, Sendable, CustomStringConvertible {
  /// The file exists but is not an SQLite database.
  case notADatabase(path: String)
  /// An SQLite database that boardctl did not create.
  case foreign(path: String)
  /// Written by a newer boardctl.
  case newerSchema(path: String, version: Int)
  /// Another command holds the lock.
  case locked(LockInfo)
  /// `force-unlock` named a lock that is not the one held.
  case lockMismatch(requested: String, held: LockInfo?)
  /// Anything else SQLite reported.
  case database(path: String, message: String)

  public var description: String {
    switch self {
    case .notADatabase(let path):
      return
        "state file '\(path)' is not a boardctl state database (it is not SQLite); it was left untouched. Move it aside, or point Workspace state.path elsewhere"
    case .foreign(let path):
      return
        "state file '\(path)' is an SQLite database that boardctl did not create; it was left untouched. Point Workspace state.path at another file"
    case .newerSchema(let path, let version):
      return "state file '\(path)' was written by a newer boardctl (schema \(version)); upgrade boardctl to use it"
    case .locked(let info):
      return "state is locked by \(info.summary)"
    case .lockMismatch(let requested, let held):
      if let held { return "lock id '\(requested)' does not match the lock held (\(held.id), by \(held.summary))" }
      return "the state is not locked; there is nothing to unlock"
    case .database(let path, let message):
      return "cannot use state file '\(path)': \(message)"
    }
  }
}

/// Who holds the state lock.
public struct LockInfo: Sendable, Hashable, Codable {
  public var id: String
  public var operation: String
  public var holder: String
  public var pid: Int
  public var since: String

  public init(id: String, operation: String, holder: String, pid: Int, since: String) {
    self.id = id
    self.operation = operation
    self.holder = holder
    self.pid = pid
    self.since = since
  }

  /// Whether the holder is a process on this host that no longer exists (killed, crashed).
  /// Only ever true for this host: a lock from another machine cannot be judged from here.
  public var isStale: Bool {
    let host = holder.split(separator: "@", maxSplits: 1).last.map(String.init) ?? ""
    guard host == ProcessInfo.processInfo.hostName, pid > 0 else { return false }
    return kill(pid_t(pid), 0) != 0 && errno == ESRCH
  }

  /// `apply by ci@runner-7 (pid 4121) since 2026-11-21T10:00:00Z, lock id 3f2a…`
  public var summary: String { "\(operation) by \(holder) (pid \(pid)) since \(since), lock id \(id)" }
}

/// One journal row: an action apply started, and how it ended.
public struct JournalEntry: Sendable, Hashable, Codable {
  public var id: Int64
  public var run: String
  public var address: String
  public var action: String
  public var startedAt: String
  public var finishedAt: String?
  /// `pending` (started, never finished: the process died), `ok` or `failed`.
  public var outcome: String
  public var error: String?
}
