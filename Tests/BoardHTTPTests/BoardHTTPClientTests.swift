import BoardHTTP
import BoardTesting
import Foundation
import Hummingbird
import Logging
import Testing

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
      try await withHTTPRuntime { runtime in
        let http = client(runtime)
        let result = try await http.send(HTTPRequestSpec(.GET, base + "/flaky"))
        #expect(result.status == 200)
        #expect(String(decoding: result.body, as: UTF8.self) == "fine")
        #expect(await log.count("/flaky") == 3)
        #expect(http.counters.snapshot.requests == 3)
        #expect(http.counters.snapshot.retries == 2)
        #expect(runtime.stats["test"] == http.counters.snapshot)
      }
    }
  }

  @Test("a write is not retried on 5xx: the platform may have acted")
  func writesNotRetriedOn5xx() async throws {
    try await withServer({ router, _ in
      router.post("/jobs") { _, _ in response(.serviceUnavailable) }
    }) { base, log in
      try await withHTTPRuntime { runtime in
        let result = try await client(runtime).send(HTTPRequestSpec(.POST, base + "/jobs", body: Data("{}".utf8)))
        #expect(result.status == 503)
        #expect(await log.count("/jobs") == 1)
      }
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
      try await withHTTPRuntime { runtime in
        let spec = HTTPRequestSpec(.PATCH, base + "/jobs/1", body: Data("{}".utf8), idempotent: true)
        let result = try await client(runtime).send(spec)
        #expect(result.status == 200)
        #expect(await log.count("/jobs/1") == 3)
        #expect(!HTTPRequestSpec(.PATCH, base).idempotent && !HTTPRequestSpec(.POST, base).idempotent)
        #expect(HTTPRequestSpec(.DELETE, base).idempotent && HTTPRequestSpec(.GET, base).idempotent)
      }
    }
  }

  @Test("5xx answers are retried a bounded number of times, then the client gives up and says how often")
  func givesUpOn5xx() async throws {
    try await withServer({ router, _ in
      router.get("/down") { _, _ in response(.internalServerError) }
    }) { base, log in
      try await withHTTPRuntime { runtime in
        let failure = await #expect(throws: HTTPFailure.self) {
          _ = try await client(runtime, attempts: 3).send(HTTPRequestSpec(.GET, base + "/down"))
        }
        guard case .gaveUp(_, 500, 3)? = failure else {
          Issue.record("unexpected \(String(describing: failure))")
          return
        }
        #expect(failure?.description.hasSuffix("still answered 500 after 3 attempts") == true)
        #expect(await log.count("/down") == 3)
      }
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
      let progress = LockedLines()
      try await withHTTPRuntime(reporter: progress.reporter) { runtime in
        let http = client(runtime)
        let result = try await http.send(HTTPRequestSpec(.POST, base + "/jobs"))
        #expect(result.status == 201)
        let times = await log.times("/jobs")
        #expect(times.count == 2)
        #expect(times[1] - times[0] >= .milliseconds(950), "Retry-After: 1 must be honoured")
        #expect(http.counters.snapshot.rateLimited == 1)
      }
      #expect(progress.lines == ["rate limited by test; waiting 1 s as it asked (Retry-After)"])
    }
  }

  @Test("no window ever carries more requests than the budget allows")
  func budget() async throws {
    try await withServer({ router, _ in
      router.get("/item") { _, _ in response(.ok) }
    }) { base, log in
      try await withHTTPRuntime { runtime in
        let http = client(runtime, limit: 5, per: .milliseconds(500))
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
  }

  @Test("an unreachable host fails after the allowed attempts with a clear reason")
  func unreachable() async throws {
    // A port bound but not listening, held for the whole test: connecting is refused, and no
    // other test's server can take the port meanwhile.
    let socket = try LoopbackSocket(listening: false)
    let port = socket.port
    try await withHTTPRuntime { runtime in
      // The connect timeout is short in case the port drops packets instead of refusing.
      let http = client(
        runtime, limit: 10, per: .seconds(1), attempts: 2,
        timeouts: .init(connect: .milliseconds(300), read: .seconds(5), request: .seconds(5)))
      do {
        _ = try await http.send(HTTPRequestSpec(.GET, "http://127.0.0.1:\(port)/gone"))
        Issue.record("expected a failure")
      } catch let failure as HTTPFailure {
        guard case .unreachable(_, let reason) = failure else {
          Issue.record("unexpected \(failure)")
          return
        }
        #expect(reason.contains("refused") || reason.contains("closed") || reason.contains("timed out"), "\(reason)")
        #expect(http.counters.snapshot.requests == 2)
      }
    }
  }

  @Test("an attempt that outlasts the request timeout fails as timed out")
  func requestTimeout() async throws {
    try await withServer({ router, _ in
      router.get("/slow") { _, _ in
        try? await Task.sleep(for: .seconds(2))
        return response(.ok)
      }
    }) { base, _ in
      try await withHTTPRuntime { runtime in
        let http = client(runtime, attempts: 1, timeouts: .init(request: .milliseconds(200)))
        let failure = await #expect(throws: HTTPFailure.self) {
          _ = try await http.send(HTTPRequestSpec(.GET, base + "/slow"))
        }
        guard case .unreachable(_, let reason)? = failure else {
          Issue.record("unexpected \(String(describing: failure))")
          return
        }
        #expect(reason == "timed out")
      }
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
      try await withHTTPRuntime { runtime in
        _ = try await client(runtime, logger: logger).send(
          HTTPRequestSpec(
            .GET, base + "/users/?key=\(canary)&page=1", headers: [("Authorization", "Token \(canary)")]))
        #expect(await log.entries.first?.authorization == "Token \(canary)", "the header reaches the server")
      }
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
