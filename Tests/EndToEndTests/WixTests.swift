import BoardSupport
import BoardTesting
import Foundation
import Testing

/// A workspace with one Wix board pointing at `simulator`, a recipient key and the sealed key
/// and site id.
func makeWixWorkspace(
  _ simulator: WixSimulatorProcess, postings: Int, settings: String = "", apiKey: String? = nil,
  in folder: TemporaryFolder = TemporaryFolder()
) async throws -> (TemporaryFolder, Boardctl) {
  var boardctl = Boardctl(folder)
  boardctl.environment["BOARDCTL_KEY_DIR"] = folder.path + "/private-keys"
  folder.write(
    "boards.d/workspace.yaml",
    """
    kind: Workspace
    name: acme
    state: {backend: sqlite}
    organization: {name: Acme Pacific, url: https://acme.example}
    ---
    kind: Board
    name: blog
    platform: wix
    credential: wix-key
    settings:
      endpoint: \(simulator.url)
      member_id: \(simulator.memberID)
    \(settings.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    """)
  writeWixPostings(folder, count: postings)
  #expect(try await boardctl.run("keys", "generate", "ci").status == 0)
  let sealed = try await boardctl.run(
    ["seal", "wix-key", "--field", "api_key", "--field", "site_id", "--host", simulator.url],
    stdin: "\(apiKey ?? simulator.apiKey)\n\(simulator.siteID)\n")
  #expect(sealed.status == 0, "\(sealed.stderr)")
  return (folder, boardctl)
}

/// `count` postings on the Wix board, `job-0` … (titles "Engineer N").
func writeWixPostings(_ folder: TemporaryFolder, count: Int, retitled: Set<Int> = [], skipping: Set<Int> = []) {
  var text = ""
  for index in 0..<count where !skipping.contains(index) {
    text += """
      kind: Posting
      name: job-\(index)
      title: \(retitled.contains(index) ? "Senior " : "")Engineer \(index)
      description: |
        Build **things** for the Pacific, role \(index).

        - Design APIs
        - Ship them
      employment_type: full_time
      location: {city: Suva, region: Central, country: FJ}
      salary: {min: 40000, max: 60000, currency: FJD, period: year}
      valid_through: 2027-06-30
      apply_url: https://acme.example/apply/\(index)
      boards: [blog]
      ---

      """
  }
  folder.write("boards.d/postings.yaml", text)
}

// One test at a time: each starts a simulator process (and boardctl runs), and all at once they
// would load a 2-core machine enough to starve the suite's timing-sensitive tests.
@Suite("Wix blog against the simulator", .serialized)
struct WixTests {
  @Test("postings become published posts; a re-plan shows nothing; retitle, close, reopen; reads cost pages")
  func lifecycle() async throws {
    let simulator = try await WixSimulatorProcess.start(["--rate-limit", "10000"])
    let (folder, boardctl) = try await makeWixWorkspace(simulator, postings: 50)
    let apply = try await boardctl.run("apply", "--auto-approve")
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    #expect(apply.stdout.contains("51 added"), "fifty posts and the credential's fingerprints: \(apply.stdout)")
    let posts = try await simulator.draftPosts()
    #expect(posts.count == 50)
    #expect(posts.allSatisfy { $0["status"]?.string == "PUBLISHED" })
    let post = try #require(posts.first { $0["title"]?.string == "Engineer 7" })
    #expect(post["memberId"]?.string == simulator.memberID)
    #expect(post["excerpt"]?.string == "Build things for the Pacific, role 7.")
    let nodes = post["richContent"]?["nodes"]?.array ?? []
    #expect(nodes.map { $0["type"]?.string ?? "" } == ["PARAGRAPH", "BULLETED_LIST", "PARAGRAPH", "PARAGRAPH"])
    let hashtags = (post["hashtags"]?.array ?? []).compactMap(\.string)
    #expect(hashtags.contains("bc_job_7"), "the posting's own hashtag: \(hashtags)")

    // A no-op plan reads the posts a page at a time: one query for 50 posts.
    let before = try await simulator.requests("POST /blog/v3/draft-posts/query")
    let plan = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
    #expect(try await simulator.requests("POST /blog/v3/draft-posts/query") - before == 1)

    // Retitle one, remove another (closed: unpublished, kept), then bring it back.
    writeWixPostings(folder, count: 50, retitled: [3], skipping: [4])
    let change = try await boardctl.run("apply", "--auto-approve")
    #expect(change.status == 0, "\(change.stderr)")
    #expect(change.stdout.contains("1 changed, 1 closed"), "\(change.stdout)")
    let after = try await simulator.draftPosts()
    #expect(after.first { ($0["hashtags"]?.array ?? []).contains("bc_job_3") }?["title"]?.string == "Senior Engineer 3")
    #expect(after.first { ($0["hashtags"]?.array ?? []).contains("bc_job_4") }?["status"]?.string == "UNPUBLISHED")
    writeWixPostings(folder, count: 50, retitled: [3])
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let reopened = try await simulator.draftPosts()
    #expect(reopened.count == 50, "reopened in place, not made again")
    #expect(reopened.first { ($0["hashtags"]?.array ?? []).contains("bc_job_4") }?["status"]?.string == "PUBLISHED")
    #expect(try await simulator.duplicatePosts().filter { $0.hasPrefix("bc_") }.isEmpty)
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)
  }

  @Test("a post edited in the Wix editor is drift on the fields boardctl owns, and apply restores it")
  func editorDrift() async throws {
    let simulator = try await WixSimulatorProcess.start(["--rate-limit", "10000"])
    let (_, boardctl) = try await makeWixWorkspace(simulator, postings: 2)
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let post = try #require(try await simulator.draftPosts().first { $0["title"]?.string == "Engineer 1" })
    let id = try #require(post["id"]?.string)
    try await simulator.edit(
      post: id,
      #"{"title": "Engineer 1 (urgent!)", "richContent": {"nodes": [{"type": "PARAGRAPH", "nodes": [{"type": "TEXT", "textData": {"text": "Rewritten in the editor.", "decorations": []}}]}]}}"#
    )
    let plan = try await boardctl.run("plan")
    #expect(plan.stdout.contains("# blog.post.job-1 has been changed"), "\(plan.stdout)")
    #expect(plan.stdout.contains("= \"Engineer 1\" -> \"Engineer 1 (urgent!)\""), "\(plan.stdout)")
    #expect(plan.stdout.contains("{+Rewritten+}"), "the content's words: \(plan.stdout)")
    #expect(plan.stdout.contains("edited outside boardctl; it will be restored"))
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let restored = try #require(try await simulator.draftPosts().first { $0["id"]?.string == id })
    #expect(restored["title"]?.string == "Engineer 1")
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)
  }

  @Test("a platform-owned field's edit in the editor is neither drift nor reverted")
  func platformOwned() async throws {
    let simulator = try await WixSimulatorProcess.start(["--rate-limit", "10000"])
    let (_, boardctl) = try await makeWixWorkspace(simulator, postings: 1, settings: "platform_owned: [title]")
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let id = try #require(try await simulator.draftPosts().first?["id"]?.string)
    try await simulator.edit(post: id, #"{"title": "Engineer 0 — apply by Friday"}"#)
    let plan = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(plan.status == 0, "\(plan.stdout)")
    #expect(try await simulator.draftPosts().first?["title"]?.string == "Engineer 0 — apply by Friday")
  }

  @Test("faults of every kind converge within three runs with no duplicate post")
  func faultsConverge() async throws {
    let simulator = try await WixSimulatorProcess.start([
      "--rate-limit", "10000", "--fault", "server-error=0.1", "--fault", "reset-after=0.1@POST:/blog/v3/draft-posts",
      "--fault", "reset-before=0.05",
    ])
    let (_, boardctl) = try await makeWixWorkspace(simulator, postings: 20)
    var converged = false
    for _ in 0..<3 where !converged {
      _ = try await boardctl.run("apply", "--auto-approve")
      try await simulator.setFaults("{}")
      converged = try await boardctl.run("plan", "--detailed-exitcode").status == 0
    }
    #expect(converged)
    #expect(try await simulator.draftPosts().count == 20)
    #expect(try await simulator.duplicatePosts().filter { $0.hasPrefix("bc_") }.isEmpty)
  }

  @Test("a 403 with an empty message is waited out as throttling, not reported as a missing permission")
  func emptyForbiddenIsThrottling() async throws {
    let simulator = try await WixSimulatorProcess.start([
      "--rate-limit", "3", "--rate-window", "2", "--throttle-with-403",
    ])
    // Five posts, made one by one (fewer than a bulk request takes), and a query: six requests.
    let (_, boardctl) = try await makeWixWorkspace(
      simulator, postings: 5, settings: "rate_limit: {requests: 200, per_seconds: 2}")
    let apply = try await boardctl.run("apply", "--auto-approve")
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let stats = try await simulator.stats()
    #expect((stats["counters"]?["throttled"]?.int ?? 0) > 0, "the simulator throttled: \(stats)")
    #expect(apply.stderr.contains("rate limited by blog"), "\(apply.stderr)")
    // Counted through /_sim, outside the rate limit this test keeps busy.
    #expect(try await simulator.stats()["objects"]?["draftPosts"]?.int == 5)
  }

  @Test("bad input: a wrong key, an unknown owner member, a missing category: one clear message, nothing written")
  func badInput() async throws {
    let simulator = try await WixSimulatorProcess.start(["--rate-limit", "10000"])
    let (_, wrongKey) = try await makeWixWorkspace(simulator, postings: 1, apiKey: "not-the-key")
    let refused = try await wrongKey.run("apply", "--auto-approve")
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("answered 403"), "\(refused.stderr)")
    #expect(!refused.stderr.contains("not-the-key"), "the key never appears")
    let test = try await wrongKey.run("boards", "test")
    #expect(test.stdout.contains("bad key, site id or missing permission"), "\(test.stdout)")

    let (ghostFolder, ghost) = try await makeWixWorkspace(simulator, postings: 1)
    ghostFolder.write(
      "boards.d/workspace.yaml",
      try #require(ghostFolder.read("boards.d/workspace.yaml")).replacingOccurrences(
        of: "member_id: \(simulator.memberID)", with: "member_id: no-such-member"))
    let card = try await ghost.run("boards", "test")
    #expect(card.status == 1)
    #expect(card.stdout.contains("the site has no member no-such-member (settings.member_id)"), "\(card.stdout)")

    let (_, category) = try await makeWixWorkspace(simulator, postings: 1, settings: "categories: [Careers]")
    let plan = try await category.run("plan")
    #expect(plan.status == 1)
    #expect(plan.stderr.contains("the Wix blog has no category 'Careers'"), "\(plan.stderr)")
    #expect(try await simulator.draftPosts().isEmpty)
  }

  @Test("leak test: the Wix key appears in no output, trace log, state or plan file")
  func noLeak() async throws {
    let key = "canary-wix-key-4c7d"
    let simulator = try await WixSimulatorProcess.start(["--rate-limit", "10000", "--api-key", key])
    let (folder, boardctl) = try await makeWixWorkspace(simulator, postings: 3)
    var traced = boardctl
    traced.environment["BOARDCTL_LOG"] = "trace"
    let apply = try await traced.run("apply", "--auto-approve", "--stats")
    #expect(apply.status == 0, "\(apply.stderr)")
    writeWixPostings(folder, count: 3, retitled: [1])
    let plan = try await traced.run("plan", "--format", "json", "--out", "plan.bin")
    let card = try await traced.run("boards", "test")
    #expect(card.status == 0, "\(card.stdout)")
    let state = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/.boardctl/state.db"))
    for output in [apply.stdout, apply.stderr, plan.stdout, plan.stderr, card.stdout, card.stderr] {
      #expect(!output.contains(key))
    }
    #expect(apply.stderr.contains("POST \(simulator.url)/blog/v3/draft-posts"), "the trace logs every request")
    #expect(state.range(of: Data(key.utf8)) == nil)
    #expect(folder.read("plan.bin")?.contains(key) == false)
  }

  @Test(
    "new posts go 20 a request; a bulk create's refused items are reported, the rest recorded, and the next apply finishes"
  )
  func bulkPartialFailure() async throws {
    let simulator = try await WixSimulatorProcess.start(["--rate-limit", "10000", "--bulk-failure-rate", "0.3"])
    let (_, boardctl) = try await makeWixWorkspace(simulator, postings: 30)
    let first = try await boardctl.run("apply", "--auto-approve")
    #expect(first.status == 1)
    #expect(first.stderr.contains("of a bulk create (the others were made)"), "\(first.stderr)")
    #expect(try await simulator.requests("POST /blog/v3/bulk/draft-posts/create") == 2)
    #expect(try await simulator.requests("POST /blog/v3/draft-posts") == 0)
    let made = try await simulator.draftPosts().count
    #expect(made > 0 && made < 30, "some refused, the others made: \(made)")
    #expect(try await boardctl.run("state", "list").stdout.split(separator: "\n").count == made + 1)
    var converged = false
    for _ in 0..<4 where !converged {
      _ = try await boardctl.run("apply", "--auto-approve")
      converged = try await boardctl.run("plan", "--detailed-exitcode").status == 0
    }
    #expect(converged)
    #expect(try await simulator.draftPosts().count == 30)
    #expect(try await simulator.duplicatePosts().filter { $0.hasPrefix("bc_") }.isEmpty)
  }

  @Test(
    "apply killed with SIGKILL during refresh, mid-bulk and mid-creates, then applied again: no duplicates, converged",
    arguments: [
      ("POST /blog/v3/draft-posts/query", 1), ("POST /blog/v3/bulk/draft-posts/create", 1),
      ("POST /blog/v3/draft-posts", 2),
    ])
  func killed(endpoint: String, count: Int) async throws {
    let simulator = try await WixSimulatorProcess.start(["--rate-limit", "10000", "--latency-ms", "30"])
    // 25 new posts go in bulk (20, then 5); 5 go one by one.
    let postings = endpoint.hasSuffix("/draft-posts") ? 5 : 25
    let (_, boardctl) = try await makeWixWorkspace(simulator, postings: postings, settings: "concurrency: 2")
    let process = try boardctl.start("apply", "--auto-approve")
    let deadline = ContinuousClock.now + .seconds(60)
    while process.isRunning, ContinuousClock.now < deadline {
      if try await simulator.requests(endpoint) >= count { break }
      try await Task.sleep(for: .milliseconds(5))  // poll the simulator, not a guess
    }
    process.send(SIGKILL)
    _ = await process.exitStatus()

    var again = try await boardctl.run("apply", "--auto-approve")
    if again.status == 3 {
      let id = try #require(again.stderr.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
      #expect(try await boardctl.run("force-unlock", id).status == 0)
      again = try await boardctl.run("apply", "--auto-approve")
    }
    #expect(again.status == 0, "\(again.stderr)")
    #expect(try await simulator.duplicatePosts().filter { $0.hasPrefix("bc_") }.isEmpty)
    #expect(try await simulator.draftPosts().count == postings)
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)
  }
}
