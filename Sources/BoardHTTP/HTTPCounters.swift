import Synchronization

/// The counters of one board, shared by every client its runtime makes for it.
public final class HTTPCounters: Sendable {
  private let stats = Mutex(HTTPStats())

  public init() {}

  /// What was counted so far.
  public var snapshot: HTTPStats { stats.withLock { $0 } }

  func record(_ update: (inout HTTPStats) -> Void) { stats.withLock { update(&$0) } }

  /// Counts a retry an adapter makes itself (a write sent again after looking up its outcome).
  public func countRetry() { record { $0.retries += 1 } }
}
