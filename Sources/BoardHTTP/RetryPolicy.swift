import Foundation

/// When and how long to wait before trying a request again.
public struct RetryPolicy: Sendable {
  /// Attempts in all, the first included.
  public var maxAttempts: Int
  public var baseDelay: Duration
  public var maxDelay: Duration
  /// No retry starts after this much time since the first attempt.
  public var maxTotal: Duration

  public init(
    maxAttempts: Int = 5, baseDelay: Duration = .milliseconds(250), maxDelay: Duration = .seconds(30),
    maxTotal: Duration = .seconds(120)
  ) {
    self.maxAttempts = maxAttempts
    self.baseDelay = baseDelay
    self.maxDelay = maxDelay
    self.maxTotal = maxTotal
  }

  public static let `default` = RetryPolicy()

  /// The wait before attempt `attempt + 1` (attempt counts from 1): the server's `Retry-After`
  /// when it sent one, else exponential backoff with full jitter.
  public func delay(afterAttempt attempt: Int, retryAfter: Duration?) -> Duration {
    if let retryAfter { return min(retryAfter, maxTotal) }
    let exponential = baseDelay * (1 << min(attempt - 1, 20))
    let ceiling = min(exponential, maxDelay)
    let milliseconds = ceiling.components.seconds * 1000 + ceiling.components.attoseconds / 1_000_000_000_000_000
    return .milliseconds(Int64.random(in: 0...max(milliseconds, 1)))
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
