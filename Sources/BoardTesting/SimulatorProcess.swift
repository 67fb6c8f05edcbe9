import BoardHTTP
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// A `boardctl-sim manatal` process on an ephemeral port, and what tests ask it.
public final class SimulatorProcess {
  public let process = Process()
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

  public init(_ arguments: [String] = []) throws {
    process.executableURL = URL(fileURLWithPath: Self.binary)
    process.arguments = ["manatal", "--port", "0"] + arguments
    let pipe = Pipe()
    process.standardOutput = pipe
    process.standardError = FileHandle.nullDevice
    try process.run()
    // The server listens once it has announced itself; read until the third line.
    var text = ""
    while !text.contains("manahook_url: ") || !text.hasSuffix("\n") {
      let data = pipe.fileHandleForReading.availableData
      guard !data.isEmpty else { break }
      text += String(decoding: data, as: UTF8.self)
    }
    var values: [String: String] = [:]
    for line in text.split(separator: "\n") {
      let parts = line.split(separator: " ", maxSplits: 1).map(String.init)
      if parts.count == 2 { values[parts[0]] = parts[1] }
    }
    guard let url = values["url:"], let token = values["token:"], let hooks = values["manahook_url:"] else {
      process.terminate()
      throw CocoaError(.fileReadCorruptFile)
    }
    (self.url, self.token, self.hooksURL) = (url, token, hooks)
  }

  deinit {
    if process.isRunning {
      process.terminate()
      process.waitUntilExit()
    }
    // deinit cannot wait: the runtime is kept alive until its pools are closed.
    Task { [runtime] in await runtime.shutdown() }
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
