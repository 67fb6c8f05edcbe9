import BoardHTTP
import BoardSupport
import Foundation

/// A `boardctl-sim wix` process on an ephemeral port, and what tests ask it.
public final class WixSimulatorProcess: Sendable {
  public let child: RunningChild
  public let url: String
  public let apiKey: String
  public let siteID: String
  /// The blog owner member the simulator starts with.
  public let memberID: String
  /// The rig's own HTTP runtime, shut down with the process.
  private let runtime = HTTPRuntime()
  private var http: BoardHTTPClient {
    BoardHTTPClient(runtime: runtime, .init(board: "rig", rateLimit: RateLimit(10_000, per: .seconds(1))))
  }

  /// Starts `boardctl-sim wix --port 0 arguments...` and returns once it listens.
  public static func start(_ arguments: [String] = []) async throws -> WixSimulatorProcess {
    let (child, values) = try await SimulatorProcess.launch(
      "wix", arguments, announcing: ["url", "api_key", "site_id", "member_id"])
    return WixSimulatorProcess(child: child, values: values)
  }

  private init(child: RunningChild, values: [String: String]) {
    self.child = child
    url = values["url"]!
    apiKey = values["api_key"]!
    siteID = values["site_id"]!
    memberID = values["member_id"]!
  }

  /// Stops the simulator and waits until it has gone.
  public func stop() async {
    child.send(SIGTERM)
    _ = await child.exitStatus()
  }

  deinit {
    child.send(SIGTERM)
    Task { [runtime] in await runtime.shutdown() }
  }

  /// A request; `auth` adds the key and site id (and counts against the limit).
  public func json(_ method: HTTPRequestSpec.Method, _ path: String, _ body: String? = nil, auth: Bool = false)
    async throws -> JSONValue
  {
    var headers: [(String, String)] = body == nil ? [] : [("Content-Type", "application/json")]
    if auth { headers += [("Authorization", apiKey), ("wix-site-id", siteID)] }
    let result = try await http.send(
      HTTPRequestSpec(method, url + path, headers: headers, body: body.map { Data($0.utf8) }))
    return JSONValue.parse(result.body) ?? .null
  }

  /// `GET /_sim/stats`.
  public func stats() async throws -> JSONValue { try await json(.GET, "/_sim/stats") }

  /// Draft posts carrying `hashtag` more than once: duplicates a client made.
  public func duplicatePosts() async throws -> [String] {
    let counts = try await stats()["draft_posts_per_hashtag"]?.object ?? [:]
    return counts.filter { ($0.value.int ?? 0) > 1 }.map(\.key).sorted()
  }

  /// Requests to one endpoint (`POST /blog/v3/draft-posts/query`).
  public func requests(_ endpoint: String) async throws -> Int {
    try await stats()["requests_by_endpoint"]?[endpoint]?.int ?? 0
  }

  /// Every draft post that is not in the trash, through the API (counts against the limit).
  public func draftPosts() async throws -> [JSONValue] {
    var all: [JSONValue] = []
    var offset = 0
    while true {
      let page = try await json(
        .POST, "/blog/v3/draft-posts/query",
        #"{"query": {"paging": {"limit": 100, "offset": \#(offset)}}, "fieldsets": ["RICH_CONTENT"]}"#, auth: true)
      let items = page["draftPosts"]?.array ?? []
      all += items
      offset += items.count
      if items.count < 100 { return all }
    }
  }

  /// An edit made in the Wix editor (no key, outside the rate limit).
  public func edit(post id: String, _ fields: String) async throws {
    _ = try await json(.POST, "/_sim/edit/draftPosts/\(id)", fields)
  }

  /// Replaces the simulator's faults (`{}`: none).
  public func setFaults(_ json: String) async throws {
    _ = try await self.json(.PUT, "/_sim/faults", json)
  }
}
