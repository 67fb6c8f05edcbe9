/// How many requests a board may send: at most `limit` in any `window` (a sliding window, which
/// is stricter than a token bucket's average and so never overruns a platform's documented
/// limit). The client takes a slot before every request and never sends without one, and hands
/// it back when the answer came: from then on the slot counts from that later instant, so time a
/// request spent in queues or on the wire (a loaded machine) cannot bunch arrivals at the platform.
public actor RequestBudget {
  public nonisolated let limit: Int
  public nonisolated let window: Duration
  /// The slots of the current window, oldest first: when each was taken, or its answer came.
  private var sent: [(slot: Slot, at: ContinuousClock.Instant, answered: Bool)] = []
  private var taken: UInt64 = 0
  private var pausedUntil: ContinuousClock.Instant?
  /// When the latest rate-limit pause began: a 429 for a request sent before then belongs to
  /// that pause (the request was in flight when it began) and starts no new one.
  private var pauseBegan: ContinuousClock.Instant?
  /// The first slot taken after the latest pause began: the slots before it were answered for by
  /// that pause, so the next one is measured from the requests sent since.
  private var firstSlotAfterPause: UInt64 = 0

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

  /// One request's place in the window, from `acquire()` to `finish(_:)`.
  public struct Slot: Sendable, Hashable {
    let number: UInt64
  }

  /// Waits until a request may be sent, then counts it.
  @discardableResult
  public func acquire() async throws -> Slot {
    let clock = ContinuousClock()
    while true {
      let now = clock.now
      sent.removeAll { $0.at <= now - window }
      if let pausedUntil, pausedUntil > now {
        try await Task.sleep(until: pausedUntil, clock: clock)
        continue
      }
      if sent.count < limit {
        taken += 1
        let slot = Slot(number: taken)
        sent.append((slot, now, false))
        return slot
      }
      try await Task.sleep(until: sent[0].at + window, clock: clock)
    }
  }

  /// The request of `slot` was answered (or failed): it counts from now, which is after it
  /// reached the platform, however long it took to get there.
  public func finish(_ slot: Slot) {
    sent.removeAll { $0.slot == slot }
    sent.append((slot, ContinuousClock.now, true))
  }

  /// Sends nothing before `instant`: the platform said so with `Retry-After`, or with a 429.
  public func pause(until instant: ContinuousClock.Instant) {
    if pausedUntil.map({ $0 < instant }) ?? true { pausedUntil = instant }
  }

  /// A pause the platform imposed with a 429: when sending resumes, and whether this 429 began
  /// it (so the client reports it once, however many requests were in flight).
  public struct RateLimitPause: Sendable {
    public var resume: ContinuousClock.Instant
    public var began: Bool
  }

  /// A 429 answered the request sent at `sentAt`. With `Retry-After`, nothing is sent until it
  /// has passed. Without, nothing is sent until the window has passed since the oldest request
  /// this budget sent in it (a full window when it sent none): on a rolling window that is when
  /// the platform counts that request out. A request still unanswered may not have arrived yet,
  /// so it counts as sent now; requests sent before the previous pause began do not count (that
  /// pause waited for them), so a platform still busy after a pause gets a full window, not a
  /// string of short ones. A 429 for a request sent before the latest pause began joins that
  /// pause instead. A pause is never shorter than a tenth of the window, so a platform that
  /// counts differently is not asked again at once.
  public func rateLimited(sentAt: ContinuousClock.Instant, retryAfter: Duration?) -> RateLimitPause {
    let now = ContinuousClock.now
    let current = pausedUntil.map { max($0, now) } ?? now
    let joins = pauseBegan.map { sentAt < $0 } ?? false
    let end: ContinuousClock.Instant
    if let retryAfter {
      end = now + retryAfter
    } else if joins {
      return RateLimitPause(resume: current, began: false)
    } else {
      let recent = sent.filter { $0.at > now - window && $0.slot.number >= firstSlotAfterPause }
      let oldest = recent.map { $0.answered ? $0.at : now }.min() ?? now
      end = max(oldest + window, now + window / 10)
    }
    pause(until: end)
    if joins { return RateLimitPause(resume: max(current, end), began: false) }
    pauseBegan = now
    firstSlotAfterPause = taken + 1
    return RateLimitPause(resume: max(current, end), began: true)
  }

  /// Slots left in the current window (Test Connection's "rate-limit headroom").
  public func headroom() -> Int {
    let now = ContinuousClock().now
    return limit - sent.filter { $0.at > now - window }.count
  }
}
