import BoardHTTP
import BoardTesting
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A `boardctl-sim manatal` process on an ephemeral port, and what tests ask it.
final class SimulatorProcess {
  let process = Process()
  let url: String
  let hooksURL: String
  let token: String
  var root: String { String(url.dropLast("/open/v3".count)) }
  /// The rig's own HTTP runtime, shut down with the process (a test's boardctl runs have theirs).
  private let runtime = HTTPRuntime()
  private var http: BoardHTTPClient {
    BoardHTTPClient(runtime: runtime, .init(board: "rig", rateLimit: RateLimit(10_000, per: .seconds(1))))
  }

  static var binary: String { URL(fileURLWithPath: Boardctl.binary).deletingLastPathComponent().path + "/boardctl-sim" }

  init(_ arguments: [String] = []) throws {
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

  func json(_ method: HTTPRequestSpec.Method, _ url: String, _ body: String? = nil, auth: Bool = false)
    async throws -> Any
  {
    var headers: [(String, String)] = body == nil ? [] : [("Content-Type", "application/json")]
    if auth { headers.append(("Authorization", "Token \(token)")) }
    let result = try await http.send(HTTPRequestSpec(method, url, headers: headers, body: body.map { Data($0.utf8) }))
    return try JSONSerialization.jsonObject(with: result.body, options: [.fragmentsAllowed])
  }

  struct Stats {
    var jobs: Int
    var perExternalID: [String: Int]
    var counters: [String: Int]
    var byEndpoint: [String: Int]
    var webhooks: Int
    var duplicates: [String] { perExternalID.filter { $0.value > 1 }.map(\.key).sorted() }
    func requests(_ endpoint: String) -> Int { byEndpoint[endpoint] ?? 0 }
  }

  func stats() async throws -> Stats {
    let object = try await json(.GET, root + "/_sim/stats") as? [String: Any] ?? [:]
    func ints(_ key: String) -> [String: Int] { (object[key] as? [String: Any] ?? [:]).compactMapValues { $0 as? Int } }
    return Stats(
      jobs: object["jobs"] as? Int ?? -1, perExternalID: ints("jobs_per_external_id"), counters: ints("counters"),
      byEndpoint: ints("requests_by_endpoint"), webhooks: object["webhooks"] as? Int ?? -1)
  }

  /// Every job, as the API returns them (uses the token, so it counts against the limit).
  func jobs() async throws -> [[String: Any]] {
    var all: [[String: Any]] = []
    var next: String? = url + "/jobs/?page_size=100"
    while let current = next {
      let page = try await json(.GET, current, auth: true) as? [String: Any] ?? [:]
      all += page["results"] as? [[String: Any]] ?? []
      next = page["next"] as? String
    }
    return all
  }

  func job(externalID: String) async throws -> [String: Any]? {
    try await jobs().first { $0["external_id"] as? String == externalID }
  }

  /// An edit made in Manatal's own UI (no token, outside the rate limit).
  func edit(job id: Int, _ fields: String) async throws {
    _ = try await json(.POST, root + "/_sim/edit/jobs/\(id)/", fields)
  }

  func setFaults(_ json: String) async throws { _ = try await self.json(.PUT, root + "/_sim/faults", json) }
}

/// A workspace with one Manatal board pointing at `simulator`, a recipient key and the sealed token.
func makeManatalWorkspace(
  _ simulator: SimulatorProcess, postings: Int, settings: String = "", token: String? = nil
) throws -> (TemporaryFolder, Boardctl) {
  let folder = TemporaryFolder()
  var boardctl = Boardctl(folder)
  boardctl.environment["BOARDCTL_KEY_DIR"] = folder.path + "/private-keys"
  folder.write(
    "boards.d/workspace.yaml",
    """
    kind: Workspace
    name: acme
    organization: {name: Acme Pacific, url: https://acme.example}
    ---
    kind: Board
    name: manatal
    platform: manatal
    credential: manatal-token
    settings:
      endpoint: \(simulator.url)
      webhooks_endpoint: \(simulator.hooksURL)
      organization: Acme Pacific
      create_organization: true
    \(settings.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    """)
  writeManatalPostings(folder, count: postings)
  #expect(try boardctl.run("keys", "generate", "ci").status == 0)
  let sealed = try boardctl.run(
    ["seal", "manatal-token", "--field", "token"], stdin: (token ?? simulator.token) + "\n")
  #expect(sealed.status == 0, "\(sealed.stderr)")
  return (folder, boardctl)
}

/// `count` postings on the Manatal board, `job-0` … (titles "Engineer N").
func writeManatalPostings(_ folder: TemporaryFolder, count: Int, retitled: Set<Int> = [], skipping: Set<Int> = []) {
  var text = ""
  for index in 0..<count where !skipping.contains(index) {
    text += """
      kind: Posting
      name: job-\(index)
      title: \(retitled.contains(index) ? "Senior " : "")Engineer \(index)
      description: |
        Build **things** for the Pacific, role \(index).
      employment_type: full_time
      location: {city: Suva, region: Central, country: FJ}
      salary: {min: 40000, max: 60000, currency: FJD, period: year}
      valid_through: 2027-06-30
      boards: [manatal]
      ---

      """
  }
  folder.write("boards.d/postings.yaml", text)
}
