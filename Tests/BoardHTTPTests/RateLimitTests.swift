import BoardHTTP
import Foundation
import Hummingbird
import Testing

/// A platform that answers 429, without Retry-After, to everything for `length` after the first
/// request it sees, then 200.
actor Storm {
  let length: Duration
  private var began: ContinuousClock.Instant?
  private(set) var throttled = 0

  init(_ length: Duration) { self.length = length }

  func answer() -> Response {
    let now = ContinuousClock.now
    let began = self.began ?? now
    self.began = began
    guard now - began < length else { return response(.ok, "calm") }
    throttled += 1
    return response(.tooManyRequests)
  }
}

/// Holds requests until `count` have arrived (or a few seconds passed), so they are all in
/// flight together when the answers come.
actor Gate {
  let count: Int
  private(set) var arrived = 0
  init(_ count: Int) { self.count = count }

  func pass() async {
    arrived += 1
    let deadline = ContinuousClock.now + .seconds(5)
    while arrived < count && !Task.isCancelled && ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(5))
    }
  }
}

@Suite("429 without Retry-After: wait for the platform's window, then go on")
struct RateLimitTests {
  @Test("a 429 storm is ridden out: the board pauses for its window and goes on, one progress line per pause")
  func ridesOutStorm() async throws {
    let storm = Storm(.milliseconds(1200))
    try await withServer({ router, _ in
      router.get("/jobs/") { _, _ in await storm.answer() }
    }) { base, log in
      let progress = LockedLines()
      try await withHTTPRuntime(reporter: progress.reporter) { runtime in
        // One attempt for 5xx and connection errors: 429s are not counted against it.
        let http = client(runtime, board: "manatal", limit: 50, per: .seconds(1), attempts: 1)
        let start = ContinuousClock.now
        let result = try await http.send(HTTPRequestSpec(.GET, base + "/jobs/"))
        #expect(result.status == 200)
        let throttled = await storm.throttled
        #expect(throttled >= 1)
        #expect(progress.lines.count == throttled, "one line per pause: \(progress.lines)")
        for line in progress.lines {
          #expect(line.hasPrefix("rate limited by manatal; waiting ") && line.hasSuffix(" s for the window"), "\(line)")
        }
        let times = await log.times("/jobs/")
        #expect(times.count == throttled + 1)
        #expect(times[1] - start >= .seconds(1), "the first retry waits for the window")
        #expect(http.counters.snapshot.rateLimited == throttled)
      }
    }
  }

  @Test("requests in flight when the 429s come share one pause: one progress line, then all go on")
  func onePauseForABurst() async throws {
    let gate = Gate(3)
    let attempts = Attempts()
    try await withServer({ router, _ in
      router.get("/item") { _, _ in
        guard await attempts.next("item") <= 3 else { return response(.ok) }
        await gate.pass()
        return response(.tooManyRequests)
      }
    }) { base, log in
      let progress = LockedLines()
      try await withHTTPRuntime(reporter: progress.reporter) { runtime in
        let http = client(runtime, board: "wix", limit: 10, per: .milliseconds(500))
        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Int.self) { group in
          for _ in 0..<3 { group.addTask { try await http.send(HTTPRequestSpec(.GET, base + "/item")).status } }
          for try await status in group { #expect(status == 200) }
        }
        #expect(progress.lines.count == 1, "\(progress.lines)")
        let times = await log.times("/item").sorted()
        #expect(times.count == 6)
        #expect(times[3] - start >= .milliseconds(500), "nothing is sent again before the window has passed")
      }
    }
  }

  @Test("a storm longer than the allowed wait gives up with a message naming the rate limit")
  func givesUp() async throws {
    try await withServer({ router, _ in
      router.get("/jobs/") { _, _ in response(.tooManyRequests) }
    }) { base, _ in
      let progress = LockedLines()
      try await withHTTPRuntime(reporter: progress.reporter) { runtime in
        let http = client(runtime, board: "manatal", limit: 50, per: .milliseconds(500))
        let allowance = http.policy.rateLimitAllowance(window: http.budget.window)
        let start = ContinuousClock.now
        let failure = await #expect(throws: HTTPFailure.self) {
          _ = try await http.send(HTTPRequestSpec(.GET, base + "/jobs/"))
        }
        let elapsed = ContinuousClock.now - start
        guard case .rateLimited(_, "manatal", let limit, _)? = failure else {
          Issue.record("unexpected \(String(describing: failure))")
          return
        }
        #expect(limit == RateLimit(50, per: .milliseconds(500)))
        let message = failure?.description ?? ""
        #expect(message.hasPrefix("rate limited by manatal (50 requests per 0.5 s): "), "\(message)")
        #expect(message.contains("still answered 429"))
        // It gives up only when the next pause would end past the allowance, so it has waited
        // at least two windows by then; and it does not wait past the allowance.
        #expect(elapsed >= .seconds(1))
        #expect(elapsed < allowance + .seconds(60), "it gives up instead of waiting on")
        // Every pause is announced (how many fit in the allowance depends on the machine's load).
        #expect(!progress.lines.isEmpty)
        #expect(progress.lines.allSatisfy { $0.contains("manatal") }, "\(progress.lines)")
      }
    }
  }

  @Test("a pause lasts a window from the oldest request answered in it; a 429 already in flight joins it")
  func pauseFromOldest() async throws {
    let window = Duration.seconds(2)
    let budget = RequestBudget(limit: 10, per: window)
    let before = ContinuousClock.now
    await budget.finish(try await budget.acquire())
    let afterFirst = ContinuousClock.now
    await budget.finish(try await budget.acquire())
    let pause = await budget.rateLimited(sentAt: ContinuousClock.now, retryAfter: nil)
    let afterPause = ContinuousClock.now
    #expect(pause.began)
    #expect(pause.resume >= before + window)
    #expect(pause.resume <= max(afterFirst + window, afterPause + window / 10))
    let joined = await budget.rateLimited(sentAt: before, retryAfter: nil)
    #expect(!joined.began)
    #expect(joined.resume == pause.resume)

    // No request of its own in the window, or one not answered yet: a full window from now.
    for inFlight in [false, true] {
      let fresh = RequestBudget(limit: 10, per: window)
      if inFlight { try await fresh.acquire() }
      let now = ContinuousClock.now
      let full = await fresh.rateLimited(sentAt: now, retryAfter: nil)
      #expect(full.began && full.resume >= now + window)
    }
  }

  @Test("a 429 right after a pause waits a full window from the requests sent since, not a sliver")
  func stillBusyAfterAPause() async throws {
    let window = Duration.seconds(1)
    let budget = RequestBudget(limit: 10, per: window)
    let first = try await budget.acquire()
    try await budget.acquire()
    _ = await budget.rateLimited(sentAt: ContinuousClock.now, retryAfter: nil)
    // The first request's answer comes back after the pause began: it is still in the window
    // when the pause ends, but that pause already waited for it.
    await budget.finish(first)
    let beforeRetry = ContinuousClock.now
    try await budget.acquire()
    let again = await budget.rateLimited(sentAt: ContinuousClock.now, retryAfter: nil)
    #expect(again.began)
    #expect(again.resume >= beforeRetry + window)
  }

  @Test("by default 429s may hold a request for two windows and a margin; Test Connection may set less")
  func allowance() {
    #expect(RetryPolicy().rateLimitAllowance(window: .seconds(60)) >= .seconds(125))
    #expect(RetryPolicy().rateLimitAllowance(window: .milliseconds(500)) >= .seconds(1))
    #expect(RetryPolicy(rateLimitWait: .seconds(5)).rateLimitAllowance(window: .seconds(60)) == .seconds(5))
  }
}
