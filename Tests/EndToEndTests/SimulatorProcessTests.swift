import BoardHTTP
import BoardSupport
import BoardTesting
import Foundation
import Testing

@Suite("boardctl-sim")
struct SimulatorProcessTests {
  @Test("prints its URL and token first, then serves the API until stopped")
  func serves() async throws {
    // `start` returns once the three announced lines are printed: the server listens then.
    let simulator = try await SimulatorProcess.start(["--token", "t-123"])
    #expect(simulator.token == "t-123")
    #expect(simulator.url.hasPrefix("http://127.0.0.1:") && simulator.url.hasSuffix("/open/v3"))
    #expect(simulator.hooksURL == simulator.root + "/v1")
    let url = simulator.url
    let users = try await withHTTPRuntime { runtime in
      let http = BoardHTTPClient(runtime: runtime, .init(board: "sim", rateLimit: RateLimit(10, per: .seconds(1))))
      return try await http.send(
        HTTPRequestSpec(.GET, url + "/users/", headers: [("Authorization", "Token t-123")]))
    }
    #expect(users.status == 200)
    #expect(String(decoding: users.body, as: UTF8.self).contains("\"count\":1"))
    await simulator.stop()
    #expect(simulator.child.status == 128 + SIGTERM || simulator.child.status == 0)
  }
}
