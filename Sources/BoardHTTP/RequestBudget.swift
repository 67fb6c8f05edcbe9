/// How many requests a board may send: at most `limit` in any `window` (a sliding window, which
/// is stricter than a token bucket's average and so never overruns a platform's documented
/// limit). The client takes a slot before every request and never sends without one.
public actor RequestBudget {
  public nonisolated let limit: Int
  public nonisolated let window: Duration
  private var sent: [ContinuousClock.Instant] = []
  private var pausedUntil: ContinuousClock.Instant?

  public init(limit: Int, per window: Duration) {
    precondition(limit > 0, "a request budget needs a positive limit")
    self.limit = limit
    self.window = window
  }

  /// A budget for a platform's documented limit of `limit` requests per `window`. The window is
  /// padded a little (2 %, at least 50 ms): the platform counts arrivals, and on a loaded
  /// machine or network requests sent evenly can arrive bunched.
  public static func documented(limit: Int, per window: Duration) -> RequestBudget {
    let margin = max(window / 50, .milliseconds(50))
    return RequestBudget(limit: limit, per: window + margin)
  }

  /// Waits until a request may be sent, then counts it.
  public func acquire() async throws {
    let clock = ContinuousClock()
    while true {
      let now = clock.now
      sent.removeAll { $0 <= now - window }
      if let pausedUntil, pausedUntil > now {
        try await Task.sleep(until: pausedUntil, clock: clock)
        continue
      }
      if sent.count < limit {
        sent.append(now)
        return
      }
      try await Task.sleep(until: sent[0] + window, clock: clock)
    }
  }

  /// Sends nothing before `instant`: the platform said so with `Retry-After`, or with a 429.
  public func pause(until instant: ContinuousClock.Instant) {
    if pausedUntil.map({ $0 < instant }) ?? true { pausedUntil = instant }
  }

  /// Slots left in the current window (Test Connection's "rate-limit headroom").
  public func headroom() -> Int {
    let now = ContinuousClock().now
    return limit - sent.filter { $0 > now - window }.count
  }
}
