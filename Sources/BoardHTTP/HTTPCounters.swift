import Foundation

/// What the HTTP layer did, for `--stats` and benchmarks.
public struct HTTPStats: Sendable, Hashable, Codable {
  public var requests = 0
  public var retries = 0
  public var rateLimited = 0
  public var bytesSent = 0
  public var bytesReceived = 0

  public init() {}

  public var summary: String {
    "\(requests) request\(requests == 1 ? "" : "s"), \(retries) retr\(retries == 1 ? "y" : "ies"), \(rateLimited) rate-limited (429), \(bytesSent) bytes sent, \(bytesReceived) bytes received"
  }
}

/// Counters shared by every request of a process (or of one board).
public final class HTTPCounters: @unchecked Sendable {
  private let lock = NSLock()
  private var stats = HTTPStats()

  public init() {}

  public var snapshot: HTTPStats { lock.withLock { stats } }

  func record(_ update: (inout HTTPStats) -> Void) { lock.withLock { update(&stats) } }
}
