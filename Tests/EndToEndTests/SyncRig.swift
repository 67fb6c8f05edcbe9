import BoardHTTP
import BoardSupport
import BoardTesting
import Foundation
import Testing

/// Both simulators and a workspace whose boards point at them: `site` (Wix) and `ats`
/// (Manatal), with `rules` as the sync rules.
struct SyncRig {
  let wix: WixSimulatorProcess
  let manatal: SimulatorProcess
  let folder: TemporaryFolder
  let boardctl: Boardctl

  static func start(
    rules: String, wix wixArguments: [String] = [], manatal manatalArguments: [String] = [],
    seedContacts: [JSONValue] = [], seedCandidates: [JSONValue] = [], seedJobs: [JSONValue] = [],
    state: String = "{backend: sqlite}",
    folder: TemporaryFolder = TemporaryFolder(), environment: [String: String] = [:]
  ) async throws -> SyncRig {
    try? FileManager.default.removeItem(atPath: folder.path + "/boards.d")
    var wixArguments = ["--rate-limit", "100000"] + wixArguments
    if !seedContacts.isEmpty {
      folder.write(
        "wix-seed.json", String(decoding: JSONValue.object(["contacts": .array(seedContacts)]).data, as: UTF8.self))
      wixArguments += ["--seed", folder.path + "/wix-seed.json"]
    }
    var manatalArguments = ["--rate-limit", "100000"] + manatalArguments
    if !seedCandidates.isEmpty || !seedJobs.isEmpty {
      let seed = JSONValue.object(["candidates": .array(seedCandidates), "jobs": .array(seedJobs)])
      folder.write("manatal-seed.json", String(decoding: seed.data, as: UTF8.self))
      manatalArguments += ["--seed", folder.path + "/manatal-seed.json"]
    }
    async let wix = WixSimulatorProcess.start(wixArguments)
    async let manatal = SimulatorProcess.start(manatalArguments)
    let (site, ats) = try await (wix, manatal)
    var boardctl = Boardctl(folder)
    for (key, value) in environment { boardctl.environment[key] = value }
    boardctl.environment["BOARDCTL_KEY_DIR"] = folder.path + "/private-keys"
    folder.write(
      "boards.d/workspace.yaml",
      """
      kind: Workspace
      name: acme
      state: \(state)
      organization: {name: Acme, url: "https://acme.example"}
      ---
      kind: Board
      name: site
      platform: wix
      credential: wix-key
      settings: {endpoint: "\(site.url)", member_id: "\(site.memberID)", rate_limit: {requests: 1000, per_seconds: 1}}
      ---
      kind: Board
      name: ats
      platform: manatal
      credential: manatal-token
      settings: {endpoint: "\(ats.url)", webhooks_endpoint: "\(ats.hooksURL)", organization: Acme, create_organization: true, rate_limit: {requests: 1000, per_seconds: 1}}
      """)
    folder.write("boards.d/sync.yaml", rules)
    #expect(try await boardctl.run("keys", "generate", "ci").status == 0)
    let manatalKey = try await boardctl.run(
      ["seal", "manatal-token", "--field", "token", "--host", ats.root], stdin: ats.token + "\n")
    #expect(manatalKey.status == 0, "\(manatalKey.stderr)")
    let wixKey = try await boardctl.run(
      ["seal", "wix-key", "--field", "api_key", "--field", "site_id", "--host", site.url],
      stdin: "\(site.apiKey)\n\(site.siteID)\n")
    #expect(wixKey.status == 0, "\(wixKey.stderr)")
    return SyncRig(wix: site, manatal: ats, folder: folder, boardctl: boardctl)
  }

  /// Every candidate in the ATS (through the API, outside boardctl).
  func candidates() async throws -> [[String: Any]] {
    var all: [[String: Any]] = []
    var next: String? = manatal.url + "/candidates/?page_size=100"
    while let current = next {
      let page = try await manatal.json(.GET, current, auth: true) as? [String: Any] ?? [:]
      all += page["results"] as? [[String: Any]] ?? []
      next = page["next"] as? String
    }
    return all
  }

  /// Every contact on the site (through the API).
  func contacts() async throws -> [JSONValue] {
    var all: [JSONValue] = []
    while true {
      let page = try await wix.json(
        .POST, "/contacts/v4/contacts/query", #"{"query": {"paging": {"limit": 1000, "offset": \#(all.count)}}}"#,
        auth: true)
      let items = page["contacts"]?.array ?? []
      all += items
      if items.count < 1000 { return all }
    }
  }

  /// Emails held by more than one record.
  static func duplicates(_ emails: [String]) -> [String] {
    Dictionary(grouping: emails.map { $0.lowercased() }, by: { $0 }).filter { $0.value.count > 1 }.keys.sorted()
  }

  /// A contact as the seed (and Wix) write one.
  static func contact(_ first: String, _ last: String, email: String, phone: String? = nil, updated: String? = nil)
    -> JSONValue
  {
    var info: [String: JSONValue] = [
      "name": ["first": .string(first), "last": .string(last)],
      "emails": ["items": [["tag": "MAIN", "email": .string(email)]]],
    ]
    if let phone { info["phones"] = ["items": [["tag": "MOBILE", "phone": .string(phone)]]] }
    var contact: [String: JSONValue] = ["info": .object(info)]
    if let updated {
      contact["createdDate"] = .string(updated)
      contact["updatedDate"] = .string(updated)
    }
    return .object(contact)
  }
}
