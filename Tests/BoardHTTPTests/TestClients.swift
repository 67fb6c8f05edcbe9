import BoardHTTP
import Foundation
import Logging
import Synchronization

/// Counts calls per key so a handler can fail the first N times.
actor Attempts {
  private var counts: [String: Int] = [:]
  func next(_ key: String) -> Int {
    counts[key, default: 0] += 1
    return counts[key]!
  }
}

/// Lines kept for assertions: a runtime's progress lines, a logger's messages.
final class LockedLines: Sendable {
  private let stored = Mutex<[String]>([])
  var lines: [String] { stored.withLock { $0 } }
  func append(_ line: String) { stored.withLock { $0.append(line) } }
  /// A runtime reporter that keeps its lines here.
  var reporter: @Sendable (String) -> Void { { [self] line in append(line) } }
}

/// A client of `runtime` for a test board, with fast backoff.
func client(
  _ runtime: HTTPRuntime, board: String = "test", limit: Int = 100, per window: Duration = .seconds(60),
  attempts: Int = 5, rateLimitWait: Duration? = nil, budgetKey: String? = nil,
  timeouts: BoardHTTPClient.Timeouts = .init(request: .seconds(60)), authenticator: (any Authenticator)? = nil,
  logger: Logger? = nil
) -> BoardHTTPClient {
  BoardHTTPClient(
    runtime: runtime,
    .init(
      board: board, rateLimit: RateLimit(limit, per: window), budgetKey: budgetKey, timeouts: timeouts,
      policy: RetryPolicy(
        maxAttempts: attempts, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50), rateLimitWait: rateLimitWait),
      authenticator: authenticator, logger: logger))
}

/// A log handler that keeps every message, for assertions.
struct CapturedLogs: LogHandler {
  let store = LockedLines()
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  var lines: [String] { store.lines }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) { store.append("\(event.message)") }
}
