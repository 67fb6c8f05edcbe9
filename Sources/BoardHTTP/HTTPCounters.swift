import Foundation

/// What the HTTP layer did, for `--stats` and benchmarks.
public struct HTTPStats: Sendable, Hashable, Codable {
  public var requests = 0
  public var retries = 0
  public var rateLimited = 0
  public var bytesSent = 0
  public var bytesReceived = 0

  public init() {}

  public static func + (a: HTTPStats, b: HTTPStats) -> HTTPStats {
    var sum = a
    sum.requests += b.requests
    sum.retries += b.retries
    sum.rateLimited += b.rateLimited
    sum.bytesSent += b.bytesSent
    sum.bytesReceived += b.bytesReceived
    return sum
  }

  public var summary: String {
    "\(requests) request\(requests == 1 ? "" : "s"), \(retries) retr\(retries == 1 ? "y" : "ies"), \(rateLimited) rate-limited (429), \(bytesSent) bytes sent, \(bytesReceived) bytes received"
  }
}

/// Counters shared by every request of a process (or of one board).
public final class HTTPCounters: @unchecked Sendable {
  private let lock = NSLock()
  private var stats = HTTPStats()

  public init() {}

  private static let registryLock = NSLock()
  nonisolated(unsafe) private static var registry: [String: HTTPCounters] = [:]

  /// The counters of one board, shared by every client the process makes for it.
  public static func board(_ name: String) -> HTTPCounters {
    registryLock.withLock {
      if let counters = registry[name] { return counters }
      let counters = HTTPCounters()
      registry[name] = counters
      return counters
    }
  }

  /// Every board's counters so far, by board name.
  public static var boards: [String: HTTPStats] { registryLock.withLock { registry.mapValues(\.snapshot) } }

  public var snapshot: HTTPStats { lock.withLock { stats } }

  func record(_ update: (inout HTTPStats) -> Void) { lock.withLock { update(&stats) } }

  /// Counts a retry an adapter makes itself (a write sent again after looking up its outcome).
  public func countRetry() { record { $0.retries += 1 } }
}
