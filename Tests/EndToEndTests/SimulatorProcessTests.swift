import BoardHTTP
import BoardTesting
import Foundation
import Testing

@Suite("boardctl-sim")
struct SimulatorProcessTests {
  @Test("prints its URL and token first, then serves the API until stopped")
  func serves() async throws {
    let binary = URL(fileURLWithPath: Boardctl.binary).deletingLastPathComponent().appendingPathComponent(
      "boardctl-sim")
    let process = Process()
    process.executableURL = binary
    process.arguments = ["manatal", "--port", "0", "--token", "t-123"]
    let pipe = Pipe()
    process.standardOutput = pipe
    try process.run()
    defer {
      process.terminate()
      process.waitUntilExit()
    }
    // Read the three announced lines (the server is listening once they are printed).
    var text = ""
    while !text.contains("manahook_url: ") || !text.hasSuffix("\n") {
      let data = pipe.fileHandleForReading.availableData
      guard !data.isEmpty else { break }
      text += String(decoding: data, as: UTF8.self)
    }
    let lines = text.split(separator: "\n")
    #expect(lines.count == 3)
    let url = try #require(lines.first { $0.hasPrefix("url: ") }).dropFirst(5)
    #expect(lines[1] == "token: t-123")
    #expect(lines[2].hasPrefix("manahook_url: http://127.0.0.1:"))
    let users = try await withHTTPRuntime { runtime in
      let http = BoardHTTPClient(runtime: runtime, .init(board: "sim", rateLimit: RateLimit(10, per: .seconds(1))))
      return try await http.send(
        HTTPRequestSpec(.GET, url + "/users/", headers: [("Authorization", "Token t-123")]))
    }
    #expect(users.status == 200)
    #expect(String(decoding: users.body, as: UTF8.self).contains("\"count\":1"))
  }
}
