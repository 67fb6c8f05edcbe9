import ArgumentParser
import BoardSimulators
import Foundation

/// `boardctl-sim`: loopback simulators of the platforms boardctl talks to, for tests and rehearsals.
struct SimulatorCommand: AsyncParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "boardctl-sim", abstract: "Run a loopback simulator of a job platform's API.",
    subcommands: [Manatal.self])

  /// Runs the async entry point (a top-level `main()` call would pick the synchronous one).
  static func start() async { await main() }

  struct Manatal: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Simulate the Manatal Open API v3.",
      discussion:
        "Prints `url: <base URL>` and `token: <token>` as its first lines, then serves until stopped. GET /_sim/stats shows what clients did."
    )

    @Option(help: "Port to listen on (0: any free port).") var port = 0
    @Option(help: "The API token the simulator accepts.") var token = "sim-token"
    @Option(help: "Requests allowed per token in each window.") var rateLimit = 100
    @Option(help: "The rate-limit window in seconds.") var rateWindow = 60.0
    @Flag(help: "Send Retry-After with 429 answers.") var retryAfter = false
    @Option(help: "Share of requests answered 500, 502 or 503 (0 to 1).") var serverErrorRate = 0.0
    @Option(help: "Share of requests answered 429 regardless of the limit (0 to 1).") var throttleRate = 0.0
    @Option(help: "Latency added to every request, in milliseconds.") var latencyMs = 0

    func run() async throws {
      var configuration = ManatalSimulator.Configuration()
      configuration.token = token
      configuration.rateLimit = rateLimit
      configuration.rateWindow = .milliseconds(Int64(rateWindow * 1000))
      configuration.sendRetryAfter = retryAfter
      configuration.serverErrorRate = serverErrorRate
      configuration.throttleRate = throttleRate
      configuration.latency = .milliseconds(latencyMs)
      let simulator = ManatalSimulator(configuration: configuration)
      let token = configuration.token
      try await SimulatorServer.run(port: port, respond: simulator.respond) { port in
        // Unbuffered, so a parent process reads these lines at once.
        FileHandle.standardOutput.write(Data("url: http://127.0.0.1:\(port)/open/v3\ntoken: \(token)\n".utf8))
      }
    }
  }
}

await SimulatorCommand.start()
