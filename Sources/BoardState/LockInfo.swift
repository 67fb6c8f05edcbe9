import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// Who holds the state lock, and until when.
public struct LockInfo: Sendable, Hashable, Codable {
  public var id: String
  /// What the holder is doing: `apply`, `state rm`, `import`, `migrate`.
  public var operation: String
  /// `user@host`.
  public var holder: String
  public var pid: Int
  /// When the lock was taken, ISO 8601 UTC.
  public var since: String
  /// The CI run, when the holder runs in CI (a GitHub Actions run URL).
  public var ciRun: String?
  /// On leased backends (git, PostgreSQL): when the lock lapses unless renewed, ISO 8601 UTC.
  public var expires: String?

  public init(
    id: String, operation: String, holder: String, pid: Int, since: String, ciRun: String? = nil,
    expires: String? = nil
  ) {
    self.id = id
    self.operation = operation
    self.holder = holder
    self.pid = pid
    self.since = since
    self.ciRun = ciRun
    self.expires = expires
  }

  /// A new lock for this process, for `operation`.
  public static func forThisProcess(
    operation: String, environment: [String: String] = ProcessInfo.processInfo.environment
  )
    -> LockInfo
  {
    let user =
      environment["USER"] ?? environment["LOGNAME"] ?? getpwuid(getuid()).map { String(cString: $0.pointee.pw_name) }
      ?? "unknown"
    return LockInfo(
      id: UUID().uuidString.lowercased(), operation: operation, holder: "\(user)@\(thisHost)",
      pid: Int(ProcessInfo.processInfo.processIdentifier), since: StateTime.timestamp(),
      ciRun: ciRun(environment))
  }

  /// The CI run this process belongs to, from the environment CI systems set.
  static func ciRun(_ environment: [String: String]) -> String? {
    if let run = environment["GITHUB_RUN_ID"], let repository = environment["GITHUB_REPOSITORY"] {
      let server = environment["GITHUB_SERVER_URL"] ?? "https://github.com"
      let attempt = environment["GITHUB_RUN_ATTEMPT"].map { " (attempt \($0))" } ?? ""
      return "\(server)/\(repository)/actions/runs/\(run)\(attempt)"
    }
    if let job = environment["CI_JOB_URL"] { return job }
    if let build = environment["BUILD_URL"] { return build }
    return nil
  }

  static let thisHost = ProcessInfo.processInfo.hostName

  /// Whether the holder runs on this host.
  public var isOnThisHost: Bool {
    (holder.split(separator: "@", maxSplits: 1).last.map(String.init) ?? "") == Self.thisHost
  }

  /// Whether the holder is a process on this host that no longer exists (killed, crashed).
  /// Only ever true for this host: a process on another machine cannot be judged from here.
  public var isStale: Bool {
    guard isOnThisHost, pid > 0 else { return false }
    return kill(pid_t(pid), 0) != 0 && errno == ESRCH
  }

  /// Whether the holder is a live process on this host.
  public var isAliveHere: Bool {
    guard isOnThisHost, pid > 0 else { return false }
    return kill(pid_t(pid), 0) == 0 || errno == EPERM
  }

  /// Whether a lease lapsed at `now` (ISO 8601 UTC); never true for a lock without a lease.
  public func hasExpired(at now: String = StateTime.timestamp()) -> Bool {
    guard let expires else { return false }
    return expires < now
  }

  /// Whether the holder is provably gone: its process died on this host, or its lease lapsed.
  public var holderIsGone: Bool { isStale || hasExpired() }

  /// `apply by ci@runner-7 (pid 4121) since 2026-11-21T10:00:00Z, lock id 3f2a…`, with the CI
  /// run when there is one.
  public var summary: String {
    var text = "\(operation) by \(holder) (pid \(pid)) since \(since)"
    if let ciRun { text += " in \(ciRun)" }
    return text + ", lock id \(id)"
  }
}
