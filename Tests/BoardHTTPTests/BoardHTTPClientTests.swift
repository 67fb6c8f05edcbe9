import AsyncHTTPClient
import BoardHTTP
import Foundation
import Hummingbird
import Logging
import Testing

/// Counts calls per path so a handler can fail the first N times.
actor Attempts {
  private var counts: [String: Int] = [:]
  func next(_ key: String) -> Int {
    counts[key, default: 0] += 1
    return counts[key]!
  }
}

func client(
  limit: Int = 100, per window: Duration = .seconds(60), attempts: Int = 5, counters: HTTPCounters = HTTPCounters(),
  logger: Logger = Logger(label: "test")
) -> BoardHTTPClient {
  BoardHTTPClient(
    budget: RequestBudget(limit: limit, per: window),
    policy: RetryPolicy(maxAttempts: attempts, baseDelay: .milliseconds(10), maxDelay: .milliseconds(50)),
    timeout: .seconds(10), counters: counters, logger: logger)
}

@Suite("HTTP layer against a loopback server")
struct BoardHTTPClientTests {
  @Test("reads are retried on 5xx until they succeed, and every retry is counted")
  func retriesReads() async throws {
    let attempts = Attempts()
    try await withServer({ router, _ in
      router.get("/flaky") { _, _ in
        await attempts.next("flaky") <= 2 ? response(.serviceUnavailable) : response(.ok, "fine")
      }
    }) { base, log in
      let counters = HTTPCounters()
      let result = try await client(counters: counters).send(HTTPRequestSpec(.GET, base + "/flaky"))
      #expect(result.status == 200)
      #expect(String(decoding: result.body, as: UTF8.self) == "fine")
      #expect(await log.count("/flaky") == 3)
      #expect(counters.snapshot.requests == 3)
      #expect(counters.snapshot.retries == 2)
    }
  }

  @Test("a write is not retried on 5xx: the platform may have acted")
  func writesNotRetriedOn5xx() async throws {
    try await withServer({ router, _ in
      router.post("/jobs") { _, _ in response(.serviceUnavailable) }
    }) { base, log in
      let result = try await client().send(HTTPRequestSpec(.POST, base + "/jobs", body: Data("{}".utf8)))
      #expect(result.status == 503)
      #expect(await log.count("/jobs") == 1)
    }
  }

  @Test("an idempotent write (a PATCH setting absolute values) is retried on 5xx like a read")
  func idempotentWritesRetried() async throws {
    let attempts = Attempts()
    try await withServer({ router, _ in
      router.patch("/jobs/1") { _, _ in
        await attempts.next("patch") < 3 ? response(.badGateway) : response(.ok, "{}")
      }
    }) { base, log in
      let spec = HTTPRequestSpec(.PATCH, base + "/jobs/1", body: Data("{}".utf8), idempotent: true)
      let result = try await client().send(spec)
      #expect(result.status == 200)
      #expect(await log.count("/jobs/1") == 3)
      #expect(!HTTPRequestSpec(.PATCH, base).idempotent && !HTTPRequestSpec(.POST, base).idempotent)
      #expect(HTTPRequestSpec(.DELETE, base).idempotent && HTTPRequestSpec(.GET, base).idempotent)
    }
  }

  @Test("429 is retried for writes too, after the Retry-After the server asked for")
  func rateLimited() async throws {
    let attempts = Attempts()
    try await withServer({ router, _ in
      router.post("/jobs") { _, _ in
        await attempts.next("jobs") == 1
          ? response(.tooManyRequests, headers: [.retryAfter: "1"]) : response(.created, "{}")
      }
    }) { base, log in
      let counters = HTTPCounters()
      let result = try await client(counters: counters).send(HTTPRequestSpec(.POST, base + "/jobs"))
      #expect(result.status == 201)
      let times = await log.times("/jobs")
      #expect(times.count == 2)
      #expect(times[1] - times[0] >= .milliseconds(950), "Retry-After: 1 must be honoured")
      #expect(counters.snapshot.rateLimited == 1)
    }
  }

  @Test("no window ever carries more requests than the budget allows")
  func budget() async throws {
    try await withServer({ router, _ in
      router.get("/item") { _, _ in response(.ok) }
    }) { base, log in
      let http = client(limit: 5, per: .milliseconds(500))
      let start = ContinuousClock.now
      try await withThrowingTaskGroup(of: Void.self) { group in
        for _ in 0..<12 { group.addTask { _ = try await http.send(HTTPRequestSpec(.GET, base + "/item")) } }
        try await group.waitForAll()
      }
      let times = await log.times("/item").sorted()
      #expect(times.count == 12)
      // Request 5k+1 cannot be sent before start + k × 500 ms, and arrives after it is sent: so
      // these bounds hold however loaded the machine is (load only makes requests later).
      for k in 1...2 {
        let early = times.filter { $0 < start + .milliseconds(500 * k) }.count
        #expect(early <= 5 * k, "\(early) requests arrived in the first \(500 * k) ms")
      }
      #expect(times.last! - start >= .milliseconds(1000), "12 requests at 5 per 500 ms need two waits")
    }
  }

  @Test("pages are followed through absolute next URLs, one request per page")
  func pagination() async throws {
    try await withServer({ router, _ in
      router.get("/jobs/") { request, context in
        let page = Int(request.uri.queryParameters["page"].map(String.init) ?? "1") ?? 1
        let host = request.head.authority ?? "127.0.0.1"
        let next = page < 3 ? "\"http://\(host)/jobs/?page=\(page + 1)\"" : "null"
        return response(.ok, "{\"count\": 7, \"next\": \(next), \"results\": [\(page), \(page * 10)]}")
      }
    }) { base, log in
      struct Page: Decodable {
        var next: String?
        var results: [Int]
      }
      let items: [Int] = try await client().pages(from: base + "/jobs/?page=1", headers: []) { result in
        let page = try JSONDecoder().decode(Page.self, from: result.body)
        return (page.results, page.next)
      }
      #expect(items == [1, 10, 2, 20, 3, 30])
      #expect(await log.count("/jobs/") == 3)
    }
  }

  @Test("an unreachable host fails after the allowed attempts with a clear reason")
  func unreachable() async throws {
    // A port that was just free: bind, learn it, close.
    var port = 0
    try await withServer({ _, _ in }) { base, _ in port = Int(base.split(separator: ":").last!)! }
    let counters = HTTPCounters()
    // The connection pool keeps trying to connect until the connect timeout: keep it short here.
    var configuration = HTTPClient.Configuration()
    configuration.timeout = .init(connect: .milliseconds(300), read: .seconds(5))
    let http = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
    defer { _ = http.shutdown() }
    let client = BoardHTTPClient(
      budget: RequestBudget(limit: 10, per: .seconds(1)),
      policy: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(10)), counters: counters, client: http)
    do {
      _ = try await client.send(HTTPRequestSpec(.GET, "http://127.0.0.1:\(port)/gone"))
      Issue.record("expected a failure")
    } catch let failure as HTTPFailure {
      guard case .unreachable(_, let reason) = failure else {
        Issue.record("unexpected \(failure)")
        return
      }
      #expect(reason.contains("refused") || reason.contains("closed") || reason.contains("timed out"), "\(reason)")
      #expect(counters.snapshot.requests == 2)
    }
  }

  @Test("logs name method, URL and status, mask key parameters, and never carry the Authorization header")
  func redactedLogs() async throws {
    let canary = "token-canary-0d9f"
    let captured = CapturedLogs()
    var logger = Logger(label: "test") { _ in captured }
    logger.logLevel = .debug
    try await withServer({ router, _ in
      router.get("/users/") { _, _ in response(.ok, "[]") }
    }) { base, log in
      _ = try await client(logger: logger).send(
        HTTPRequestSpec(.GET, base + "/users/?key=\(canary)&page=1", headers: [("Authorization", "Token \(canary)")]))
      #expect(await log.entries.first?.authorization == "Token \(canary)", "the header reaches the server")
    }
    let lines = captured.lines
    #expect(lines.contains { $0.contains("GET ") && $0.contains("-> 200") })
    #expect(lines.contains { $0.contains("key=REDACTED") })
    #expect(!lines.contains { $0.contains(canary) })
  }

  @Test(
    "Retry-After parses seconds; a malformed value is ignored",
    arguments: [
      ("3", Duration?.some(.seconds(3))), ("0", .some(.zero)), ("1.5", .some(.milliseconds(1500))), ("soon", nil),
    ])
  func retryAfter(value: String, expected: Duration?) {
    #expect(RetryPolicy.retryAfter(header: value) == expected)
  }

  @Test("Retry-After as an HTTP date is the time until then")
  func retryAfterDate() throws {
    let formatter = DateFormatter()
    formatter.locale = Locale(identifier: "en_US_POSIX")
    formatter.timeZone = TimeZone(identifier: "GMT")
    formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss 'GMT'"
    let delay = try #require(RetryPolicy.retryAfter(header: formatter.string(from: Date().addingTimeInterval(30))))
    #expect(delay > .seconds(28) && delay <= .seconds(30))
  }

  @Test("backoff grows exponentially with full jitter, capped")
  func backoff() {
    let policy = RetryPolicy(maxAttempts: 10, baseDelay: .milliseconds(100), maxDelay: .seconds(1))
    for attempt in 1...8 {
      let delay = policy.delay(afterAttempt: attempt, retryAfter: nil)
      #expect(delay >= .zero && delay <= min(.milliseconds(100) * (1 << (attempt - 1)), .seconds(1)))
    }
  }
}

/// A log handler that keeps every message, for assertions.
final class CapturedLogs: LogHandler, @unchecked Sendable {
  private let lock = NSLock()
  private var stored: [String] = []
  var metadata: Logger.Metadata = [:]
  var logLevel: Logger.Level = .trace

  var lines: [String] { lock.withLock { stored } }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { metadata[key] }
    set { metadata[key] = newValue }
  }

  func log(event: LogEvent) {
    lock.withLock { stored.append("\(event.message)") }
  }
}
