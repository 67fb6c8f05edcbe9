/// Why the state could not be used. Every case is the user's to fix, and its description says how.
public enum StateError: Error, Sendable, CustomStringConvertible {
  /// The file exists but is not an SQLite database.
  case notADatabase(path: String)
  /// A database, branch or schema that holds something boardctl did not write.
  case foreign(location: String, fix: String)
  /// Written by a newer boardctl (a migration this build does not know).
  case newerSchema(location: String, version: Int)
  /// Another command holds the lock.
  case locked(LockInfo)
  /// `force-unlock` named a lock that is not the one held.
  case lockMismatch(requested: String, held: LockInfo?)
  /// `force-unlock` of a holder that is still running.
  case holderAlive(LockInfo)
  /// The lock this process held was taken over (its lease lapsed): nothing more is written.
  case lockLost(location: String, by: LockInfo?)
  /// A write raced another writer: the state moved since it was read.
  case conflict(location: String, expectedSerial: Int, found: Int)
  /// `state migrate` into a state that already holds something.
  case notEmpty(location: String)
  /// The backend cannot be reached or used (a server down, a password refused, a push
  /// rejected, a missing program), with the fix.
  case unavailable(location: String, reason: String, fix: String)

  public var description: String {
    switch self {
    case .notADatabase(let path):
      return
        "state file '\(path)' is not a boardctl state database (it is not SQLite); it was left untouched. Move it aside, or point Workspace state.path elsewhere"
    case .foreign(let location, let fix):
      return "\(location) holds something boardctl did not write; it was left untouched. \(fix)"
    case .newerSchema(let location, let version):
      return
        "\(location) was written by a newer boardctl (state format \(version)); it was neither read nor written. Upgrade boardctl to use it"
    case .locked(let info):
      return "state is locked by \(info.summary)"
    case .lockMismatch(let requested, let held):
      if let held { return "lock id '\(requested)' does not match the lock held (\(held.id), by \(held.summary))" }
      return "the state is not locked; there is nothing to unlock"
    case .holderAlive(let info):
      return
        "the lock is held by \(info.summary), and that process is still running on this host; clearing it would let two commands write at once. Wait for it, stop it, or pass --force if you are sure"
    case .lockLost(let location, let holder):
      let who = holder.map { " by \($0.summary)" } ?? ""
      return
        "the lock on \(location) was taken over\(who) (this process held it too long without renewing it); nothing more was written. Run the command again"
    case .conflict(let location, let expected, let found):
      return
        "\(location) changed while this command ran (serial \(expected) expected, \(found) found); nothing was overwritten. Run the command again"
    case .notEmpty(let location):
      return "\(location) already holds a state; migrate only into an empty one (nothing was written)"
    case .unavailable(let location, let reason, let fix):
      return "cannot use \(location): \(reason). \(fix)"
    }
  }
}
