/// A platform's documented rate limit: at most `requests` in any `window` (Manatal: 100 per
/// 60 s per token). Budgets are made from it, and a 429 without `Retry-After` waits for its window.
public struct RateLimit: Sendable, Hashable, CustomStringConvertible {
  public var requests: Int
  public var window: Duration

  public init(_ requests: Int, per window: Duration) {
    self.requests = requests
    self.window = window
  }

  /// "100 requests per 60 s", as errors and progress lines name it.
  public var description: String {
    let milliseconds = window.milliseconds
    let seconds =
      milliseconds % 1000 == 0
      ? "\(milliseconds / 1000)" : String(Double(milliseconds) / 1000)
    return "\(requests) request\(requests == 1 ? "" : "s") per \(seconds) s"
  }
}
