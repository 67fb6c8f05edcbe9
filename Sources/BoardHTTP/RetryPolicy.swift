import Foundation

/// When and how long to wait before trying a request again. 5xx answers and connection errors
/// are retried a number of times with backoff; 429s are waited out for a length of time, because
/// a platform's window ends when it ends, however often one asks.
public struct RetryPolicy: Sendable {
  /// Attempts that failed with a 5xx or a connection error allowed in all, the first included.
  public var maxAttempts: Int
  public var baseDelay: Duration
  public var maxDelay: Duration
  /// No retry after a 5xx or connection error starts later than this after the first such failure.
  public var maxTotal: Duration
  /// How long 429s may hold one request in all, from the first, before it gives up; nil: two
  /// of the board's rate-limit windows and a margin (`rateLimitAllowance(window:)`).
  public var rateLimitWait: Duration?

  public init(
    maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(30),
    maxTotal: Duration = .seconds(120), rateLimitWait: Duration? = nil
  ) {
    self.maxAttempts = maxAttempts
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.maxTotal = maxTotal
    self.rateLimitWait = rateLimitWait
  }

  public static let `default` = RetryPolicy()

  /// How long 429s may hold a request on a board whose rate-limit window is `window`: enough to
  /// wait out the window another client used up, and one more if it is still busy.
  public func rateLimitAllowance(window: Duration) -> Duration {
    rateLimitWait ?? window * 2 + max(window / 10, .seconds(1))
  }

  /// The wait before attempt `attempt + 1` (attempt counts from 1): the server's `Retry-After`
  /// when it sent one, else exponential backoff with full jitter.
  public func delay(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
    if let retryAfter { return min(retryAfter, maxTotal) }
    let exponential = baseDelay * (1 << min(attempt - 1, 20))
    let ceiling = min(exponential, maxDelay)
    return .milliseconds(Int64.random(in: 0...max(ceiling.milliseconds, 1)))
  }

  /// A `Retry-After` header as a duration: seconds, or an HTTP date; nil when malformed.
  public static func retryAfter(header value: String) -> Duration? {
    let trimmed = value.trimmingCharacters(in: .whitespaces)
    if let seconds = Double(trimmed), seconds >= 0 { return .milliseconds(Int64(seconds * 1000)) }
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss zzz"
    guard let date = formatter.date(from: trimmed) else { return nil }
    return .milliseconds(Int64(max(date.timeIntervalSinceNow, 0) * 1000))
  }
}
