import BoardHTTP
import BoardSupport
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A `boardctl-sim manatal` process on an ephemeral port, and what tests ask it.
public final class SimulatorProcess: Sendable {
  public let child: RunningChild
  public let url: String
  public let hooksURL: String
  public let token: String
  public var root: String { String(url.dropLast("/open/v3".count)) }
  /// The rig's own HTTP runtime, shut down with the process (a test's boardctl runs have theirs).
  private let runtime = HTTPRuntime()
  private var http: BoardHTTPClient {
    BoardHTTPClient(runtime: runtime, .init(board: "rig", rateLimit: RateLimit(10_000, per: .seconds(1))))
  }

  public static var binary: String {
    URL(fileURLWithPath: Boardctl.binary).deletingLastPathComponent().path + "/boardctl-sim"
  }

  /// Starts `boardctl-sim manatal --port 0 arguments...` and returns once it listens.
  public static func start(_ arguments: [String] = []) async throws -> SimulatorProcess {
    let (child, values) = try await launch("manatal", arguments, announcing: ["url", "token", "manahook_url"])
    return SimulatorProcess(
      child: child, url: values["url"]!, token: values["token"]!, hooksURL: values["manahook_url"]!)
  }

  /// Starts `boardctl-sim PLATFORM --port 0 arguments...` and returns once it has announced
  /// every one of `keys` on stdout (`key: value` lines, as each simulator prints them when it
  /// listens), with their values.
  public static func launch(_ platform: String, _ arguments: [String], announcing keys: [String]) async throws -> (
    RunningChild, [String: String]
  ) {
    let announcement = FileManager.default.temporaryDirectory.appendingPathComponent("sim-\(UUID().uuidString)").path
    defer { unlink(announcement) }
    let child = try ChildProcess(binary, [platform, "--port", "0"] + arguments).start(stdout: announcement)
    let deadline = ContinuousClock.now + .seconds(60)
    while true {
      let text = FileManager.default.contents(atPath: announcement).map { String(decoding: $0, as: UTF8.self) } ?? ""
      var values: [String: String] = [:]
      for line in text.split(separator: "\n") where text.hasSuffix("\n") {
        let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
        if parts.count == 2, parts[0].hasSuffix(":") { values[String(parts[0].dropLast())] = parts[1] }
      }
      if keys.allSatisfy({ values[$0] != nil }) { return (child, values) }
      guard child.isRunning, ContinuousClock.now < deadline else {
        child.send(SIGKILL)
        throw SimulatorStartFailure(platform: platform, arguments: arguments, status: child.status)
      }
      try await Task.sleep(for: .milliseconds(10))
    }
  }

  private init(child: RunningChild, url: String, token: String, hooksURL: String) {
    (self.child, self.url, self.token, self.hooksURL) = (child, url, token, hooksURL)
  }

  /// Stops the simulator and waits until it has gone (its port is closed then).
  public func stop() async {
    child.send(SIGTERM)
    _ = await child.exitStatus()
  }

  deinit {
    child.send(SIGTERM)
    // deinit cannot wait: the runtime is kept alive until its pools are closed.
    Task { [runtime] in await runtime.shutdown() }
  }

  public struct SimulatorStartFailure: Error, CustomStringConvertible {
    public var platform: String
    public var arguments: [String]
    public var status: Int32?
    public var description: String {
      "boardctl-sim \(platform) \(arguments.joined(separator: " ")) did not announce its URL"
        + (status.map { " (it exited with status \($0))" } ?? " within 60 s")
    }
  }

  public func json(_ method: HTTPRequestSpec.Method, _ url: String, _ body: String? = nil, auth: Bool = false)
    async throws -> Any
  {
    var headers: [(String, String)] = body == nil ? [] : [("Content-Type", "application/json")]
    if auth { headers.append(("Authorization", "Token \(token)")) }
    let result = try await http.send(HTTPRequestSpec(method, url, headers: headers, body: body.map { Data($0.utf8) }))
    return try JSONSerialization.jsonObject(with: result.body, options: [.fragmentsAllowed])
  }

  public struct Stats {
    public var jobs: Int
    public var perExternalID: [String: Int]
    public var counters: [String: Int]
    public var byEndpoint: [String: Int]
    public var webhooks: Int
    public var duplicates: [String] { perExternalID.filter { $0.value > 1 }.map(\.key).sorted() }
    public func requests(_ endpoint: String) -> Int { byEndpoint[endpoint] ?? 0 }
  }

  public func stats() async throws -> Stats {
    let object = try await json(.GET, root + "/_sim/stats") as? [String: Any] ?? [:]
    func ints(_ key: String) -> [String: Int] { (object[key] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int } }
    return Stats(
      jobs: object["jobs"] as? Int ?? -1, perExternalID: ints("jobs_per_external_id"), counters: ints("counters"),
      byEndpoint: ints("requests_by_endpoint"), webhooks: object["webhooks"] as? Int ?? -1)
  }

  /// Every job, as the API returns them (uses the token, so it counts against the limit).
  public func jobs() async throws -> [[String: Any]] {
    var all: [[String: Any]] = []
    var next: String? = url + "/jobs/?page_size=100"
    while let current = next {
      let page = try await json(.GET, current, auth: true) as? [String: Any] ?? [:]
      all += page["results"] as? [[String: Any]] ?? []
      next = page["next"] as? String
    }
    return all
  }

  public func job(externalID: String) async throws -> [String: Any]? {
    try await jobs().first { $0["external_id"] as? String == externalID }
  }

  /// An edit made in Manatal's own UI (no token, outside the rate limit).
  public func edit(job id: Int, _ fields: String) async throws {
    _ = try await json(.POST, root + "/_sim/edit/jobs/\(id)/", fields)
  }

  /// Replaces the simulator's faults (`{}`: none); throws when the simulator refuses them.
  public func setFaults(_ json: String) async throws {
    let answer = try await self.json(.PUT, root + "/_sim/faults", json)
    if let detail = (answer as? [String: Any])?["detail"] as? String {
      throw SimulatorRefusal(message: "the simulator refused the faults \(json): \(detail)")
    }
  }

  public struct SimulatorRefusal: Error, CustomStringConvertible {
    public var message: String
    public var description: String { message }
  }
}
