import AsyncHTTPClient
import Foundation
import Hummingbird
import Testing

@testable import BoardHTTP

/// Holds a handler until the test opens it (or a long time passed).
actor Release {
  private var opened = false
  func open() { opened = true }
  func wait(upTo limit: Duration) async {
    let deadline = ContinuousClock.now + limit
    while !opened && !Task.isCancelled && ContinuousClock.now < deadline {
      try? await Task.sleep(for: .milliseconds(10))
    }
  }
}

@Suite("HTTP runtime: owned clients, shared budgets, counters")
struct HTTPRuntimeTests {
  @Test("shutdown closes every client the runtime made: a request in flight fails, later ones are refused")
  func shutdownClosesClients() async throws {
    let release = Release()
    try await withServer({ router, _ in
      router.get("/fast") { _, _ in response(.ok) }
      router.get("/slow") { _, _ in
        // Answers only once the test has checked that shutdown did not wait for it.
        await release.wait(upTo: .seconds(60))
        return response(.ok)
      }
    }) { base, log in
      defer { Task { await release.open() } }
      let runtime = HTTPRuntime()
      // Two timeout pairs: two pools.
      let first = client(runtime, board: "a")
      let second = client(runtime, board: "b", timeouts: .init(connect: .seconds(5), read: .seconds(20)))
      #expect(try await first.send(HTTPRequestSpec(.GET, base + "/fast")).status == 200)
      #expect(try await second.send(HTTPRequestSpec(.GET, base + "/fast")).status == 200)
      let pools = [
        try runtime.httpClient(connect: .seconds(10), read: .seconds(60)),
        try runtime.httpClient(connect: .seconds(5), read: .seconds(20)),
      ]
      #expect(pools[0] !== pools[1])

      let inFlight = Task { try await first.send(HTTPRequestSpec(.GET, base + "/slow")) }
      while await log.count("/slow") == 0 { try await Task.sleep(for: .milliseconds(10)) }
      await runtime.shutdown()
      // Had shutdown waited for the request, the server's answer would have come back.
      let failure = await #expect(throws: HTTPFailure.self) { _ = try await inFlight.value }
      guard case .shutDown? = failure else {
        Issue.record("unexpected \(String(describing: failure))")
        return
      }

      await #expect(throws: HTTPFailure.self) { _ = try await second.send(HTTPRequestSpec(.GET, base + "/fast")) }
      #expect(await log.count("/fast") == 2, "nothing is sent after shutdown")
      for pool in pools {
        await #expect(throws: HTTPClientError.alreadyShutdown) { try await pool.shutdown() }
      }
      #expect(throws: HTTPRuntime.RuntimeShutDown.self) {
        _ = try runtime.httpClient(connect: .seconds(1), read: .seconds(1))
      }
      #expect(runtime.isShutDown)
      await runtime.shutdown()  // a second call is harmless
    }
  }

  @Test("boards sharing a budget key share one budget; other keys, and other runtimes, have their own")
  func sharedBudget() async throws {
    try await withServer({ router, _ in
      router.get("/item") { _, _ in response(.ok) }
    }) { base, log in
      try await withHTTPRuntime { runtime in
        let key = "acme-token@\(base)"
        let a = client(runtime, board: "a", limit: 3, per: .milliseconds(500), budgetKey: key)
        let b = client(runtime, board: "b", limit: 3, per: .milliseconds(500), budgetKey: key)
        let c = client(runtime, board: "c", limit: 3, per: .milliseconds(500), budgetKey: "other@\(base)")
        #expect(a.budget === b.budget)
        #expect(a.budget !== c.budget)
        try await withHTTPRuntime { other in
          #expect(other.budget(for: key, limit: RateLimit(3, per: .milliseconds(500))) !== a.budget)
        }

        let start = ContinuousClock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
          for http in [a, a, a, b, b, b] {
            group.addTask { _ = try await http.send(HTTPRequestSpec(.GET, base + "/item")) }
          }
          try await group.waitForAll()
        }
        let times = await log.times("/item")
        // One budget of 3 per 500 ms for both boards: the second three cannot leave before then.
        #expect(times.filter { $0 < start + .milliseconds(500) }.count <= 3)
        #expect(times.count == 6)
        #expect(runtime.stats["a"]?.requests == 3)
        #expect(runtime.stats["b"]?.requests == 3)
        #expect(runtime.stats["c"] == HTTPStats())
      }
    }
  }

  @Test("counters are per board and per runtime: nothing is shared through the process")
  func countersPerRuntime() async throws {
    try await withServer({ router, _ in
      router.get("/item") { _, _ in response(.ok, "12345") }
    }) { base, _ in
      try await withHTTPRuntime { one in
        try await withHTTPRuntime { two in
          _ = try await client(one, board: "jobs").send(HTTPRequestSpec(.GET, base + "/item"))
          _ = try await client(one, board: "jobs").send(HTTPRequestSpec(.GET, base + "/item"))
          _ = try await client(two, board: "jobs").send(HTTPRequestSpec(.GET, base + "/item"))
          #expect(one.stats["jobs"]?.requests == 2)
          #expect(one.stats["jobs"]?.bytesReceived == 10)
          #expect(two.stats["jobs"]?.requests == 1)
          #expect(one.counters(for: "jobs") === one.counters(for: "jobs"))
        }
      }
    }
  }
}
