import ArgumentParser
import BoardSupport
import Foundation

extension SimulatorCommand {
  /// `boardctl-sim manatal`.
  struct Manatal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Simulate the Manatal Open API v3 (under /open/v3) and its Manahook webhook API (under /v1).",
      discussion: """
        Prints `url: <base URL>`, `token: <token>` and `manahook_url: <webhook API URL>` as its first \
        lines, then serves until stopped. Without a token and outside the rate limit: GET /_sim/stats \
        (jobs per external_id, requests per endpoint, throttles, faults), PUT /_sim/faults (change \
        faults while running), POST /_sim/edit/{collection}/{id}/ (an edit made in Manatal's UI).
        """)

    @Option(help: "Port to listen on (0: any free port).") var port = 0
    @Option(help: "The API token the simulator accepts.") var token = "sim-token"
    @Option(help: "Requests allowed per token in each window (the real API: 100 per 60 s).") var rateLimit = 100
    @Option(help: "The rate-limit window in seconds.") var rateWindow = 60.0
    @Flag(help: "Send Retry-After: 1 with 429 answers (the real API documents none).") var retryAfter = false
    @Option(help: "Share of requests answered 500, 502 or 503 (0 to 1).") var serverErrorRate = 0.0
    @Option(help: "Share of requests answered 429 regardless of the limit (0 to 1).") var throttleRate = 0.0
    @Option(help: "Latency added to every request, in milliseconds.") var latencyMs = 0
    @Option(
      help: ArgumentHelp(
        "A fault, for every request or one endpoint: KIND=RATE[@METHOD:/path/prefix]. KIND is server-error, throttle, reset-before, reset-after (the write is committed, then the connection is reset), forbidden (403), latency-ms or hold (requests wait until PUT /_sim/faults clears it). Repeatable, e.g. --fault reset-after=0.2@POST:/open/v3/jobs/",
        valueName: "fault"))
    var fault: [String] = []
    @Option(
      help: ArgumentHelp(
        "A JSON file of objects to start with, by collection: {\"organizations\": [{\"name\": \"Acme\"}], \"jobs\": [...]}.",
        valueName: "file"))
    var seed: String?

    func run() async throws {
      var configuration = ManatalSimulator.Configuration()
      configuration.token = token
      configuration.rateLimit = rateLimit
      configuration.rateWindow = .milliseconds(Int64(rateWindow * 1000))
      configuration.sendRetryAfter = retryAfter
      configuration.serverErrorRate = serverErrorRate
      configuration.throttleRate = throttleRate
      configuration.latency = .milliseconds(latencyMs)
      for text in fault {
        do { try configuration.faults.apply(text) } catch { throw ValidationError("\(error)") }
      }
      if let seed { configuration.seed = try SimulatorSeed.load(seed) }
      let simulator = ManatalSimulator(configuration: configuration)
      let token = configuration.token
      try await SimulatorServer.run(port: port, respond: simulator.respond) { port in
        // Unbuffered, so a parent process reads these lines at once.
        FileHandle.standardOutput.write(
          Data(
            "url: http://127.0.0.1:\(port)/open/v3\ntoken: \(token)\nmanahook_url: http://127.0.0.1:\(port)/v1\n".utf8))
      }
    }
  }
}
