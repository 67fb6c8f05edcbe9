import BoardHTTP
import BoardState
import BoardSupport
import BoardTesting
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A fast limit for tests; boards declare the same, so the client never trips it.
let fastLimit = ["--rate-limit", "1000", "--rate-window", "1"]
let fastSettings = "rate_limit: {requests: 1000, per_seconds: 1}"

@Suite("Manatal end to end")
struct ManatalTests {
  @Test("50 postings are created once, changed, closed, and re-plan shows no changes")
  func lifecycle() async throws {
    let simulator = try await SimulatorProcess.start(fastLimit)
    let (folder, boardctl) = try await makeManatalWorkspace(simulator, postings: 50, settings: fastSettings)
    let first = try await boardctl.run("apply", "--auto-approve")
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("Resources: 51 added"))  // 50 jobs and the credential's fingerprint
    var stats = try await simulator.stats()
    #expect(stats.jobs == 50)
    #expect(stats.perExternalID.count == 50 && stats.duplicates.isEmpty)
    #expect(stats.perExternalID["boardctl:acme:manatal.job.job-7"] == 1)
    let job = try #require(try await simulator.job(externalID: "boardctl:acme:manatal.job.job-7"))
    #expect(job["position_name"] as? String == "Engineer 7")
    #expect(job["description"] as? String == "<p>Build <strong>things</strong> for the Pacific, role 7.</p>")
    #expect(job["contract_details"] as? String == "full_time")
    #expect(job["salary_min"] as? Int == 40000 && job["currency"] as? String == "FJD")
    #expect(job["expected_close_at"] as? String == "2027-06-30")
    #expect(job["is_published"] as? Bool == true)

    // Five retitled, five removed (closed: unpublished, kept in Manatal).
    writeManatalPostings(folder, count: 50, retitled: [1, 2, 3, 4, 5], skipping: [10, 11, 12, 13, 14])
    let plan = try await boardctl.run("plan")
    #expect(plan.stdout.contains("Plan: 0 to add, 5 to change, 5 to close, 0 to destroy."), "\(plan.stdout)")
    #expect(plan.stdout.contains(#"~ position_name = "Engineer 1" -> "Senior Engineer 1""#))
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let again = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(again.status == 0, "\(again.stdout)")
    #expect(again.stdout.contains("No changes."))
    stats = try await simulator.stats()
    #expect(stats.jobs == 50 && stats.duplicates.isEmpty)
    let closed = try #require(try await simulator.job(externalID: "boardctl:acme:manatal.job.job-12"))
    #expect(closed["is_published"] as? Bool == false)
    let retitled = try #require(try await simulator.job(externalID: "boardctl:acme:manatal.job.job-3"))
    #expect(retitled["position_name"] as? String == "Senior Engineer 3")

    // Bringing a closed posting back republishes the same job.
    writeManatalPostings(folder, count: 50, retitled: [1, 2, 3, 4, 5], skipping: [10, 11, 13, 14])
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    stats = try await simulator.stats()
    #expect(stats.jobs == 50 && stats.duplicates.isEmpty)
    #expect(try await simulator.job(externalID: "boardctl:acme:manatal.job.job-12")?["is_published"] as? Bool == true)
  }

  @Test("a recruiter's edit shows as drift and is reverted; a platform-owned field's edit is not drift")
  func drift() async throws {
    let simulator = try await SimulatorProcess.start(fastLimit)
    let (_, boardctl) = try await makeManatalWorkspace(simulator, postings: 3, settings: fastSettings)
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let job = try #require(try await simulator.job(externalID: "boardctl:acme:manatal.job.job-1"))
    let id = try #require(job["id"] as? Int)

    try await simulator.edit(job: id, #"{"status": "on_hold", "owner": 7}"#)
    let owned = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(owned.status == 0, "\(owned.stdout)")
    #expect(!owned.stdout.contains("changed outside boardctl"))

    try await simulator.edit(job: id, #"{"position_name": "Engineer 1 (edited in Manatal)"}"#)
    let plan = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(plan.status == 2)
    #expect(plan.stdout.contains("manatal.job.job-1"))
    #expect(plan.stdout.contains("edited outside boardctl; it will be restored"))
    #expect(plan.stdout.contains(#""Engineer 1 (edited in Manatal)" -> "Engineer 1""#))
    #expect(plan.stdout.contains("# status: platform-owned, kept as the board has it"))
    #expect(!plan.stdout.contains("~ status"))
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let reverted = try #require(try await simulator.job(externalID: "boardctl:acme:manatal.job.job-1"))
    #expect(reverted["position_name"] as? String == "Engineer 1")
    #expect(reverted["status"] as? String == "on_hold")  // the recruiter's, kept
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)

    // A job with this workspace's tag that neither state nor boards.d knows is reported, untouched;
    // jobs without the tag, or with another workspace's, are not boardctl's business at all.
    let org = try #require(job["organization"] as? Int)
    for tag in ["boardctl:acme:manatal.job.ghost", "boardctl:other:manatal.job.job-1", "ATS-123"] {
      _ = try await simulator.json(
        .POST, simulator.url + "/jobs/", #"{"position_name": "X", "organization": \#(org), "external_id": "\#(tag)"}"#,
        auth: true)
    }
    let orphans = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(orphans.status == 0)
    #expect(orphans.stdout.contains("manatal.job.ghost is an orphan: it carries boardctl's tag"))
    #expect(!orphans.stdout.contains("other") && !orphans.stdout.contains("ATS-123"))
  }

  @Test("import adopts an existing job: shown as an import, tagged on apply, never duplicated")
  func importJob() async throws {
    let simulator = try await SimulatorProcess.start(fastLimit)
    let (_, boardctl) = try await makeManatalWorkspace(simulator, postings: 2, settings: fastSettings)
    let org = try await simulator.json(
      .POST, simulator.url + "/organizations/", #"{"name": "Acme Pacific"}"#, auth: true)
    let orgID = try #require((org as? [String: Any])?["id"] as? Int)
    let made = try await simulator.json(
      .POST, simulator.url + "/jobs/", #"{"position_name": "Engineer 0 (by a recruiter)", "organization": \#(orgID)}"#,
      auth: true)
    let id = try #require((made as? [String: Any])?["id"] as? Int)

    let imported = try await boardctl.run("import", "manatal.job.job-0", String(id))
    #expect(imported.status == 0, "\(imported.stderr)")
    #expect(imported.stdout.contains("Import recorded: manatal.job.job-0 <= \(id)"))
    let plan = try await boardctl.run("plan")
    #expect(plan.stdout.contains("<= manatal.job.job-0"), "\(plan.stdout)")
    #expect(plan.stdout.contains(#"+ external_id"#) || plan.stdout.contains("external_id"))
    #expect(plan.stdout.contains("Plan: 2 to add"))  // job-1 and the credential; job-0 is imported
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let stats = try await simulator.stats()
    #expect(stats.jobs == 2 && stats.duplicates.isEmpty)
    let adopted = try #require(try await simulator.job(externalID: "boardctl:acme:manatal.job.job-0"))
    #expect(adopted["id"] as? Int == id)
    #expect(adopted["position_name"] as? String == "Engineer 0")
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)

    let twice = try await boardctl.run("import", "manatal.job.job-1", String(id))
    #expect(twice.status == 1)
    #expect(twice.stderr.contains("already carries boardctl's tag for manatal.job.job-0"))
    let missing = try await boardctl.run("import", "manatal.job.nope", "5")
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("no posting places 'nope' on board 'manatal'"))
  }

  @Test("with 20% injected faults of every kind, apply converges within 3 runs and never duplicates")
  func faults() async throws {
    let simulator = try await SimulatorProcess.start(
      fastLimit + [
        "--fault", "server-error=0.05", "--fault", "throttle=0.05", "--fault", "reset-before=0.05", "--fault",
        "reset-after=0.05",
      ])
    let (_, boardctl) = try await makeManatalWorkspace(simulator, postings: 30, settings: fastSettings)
    var runs = 0
    var last = Boardctl.Result(status: -1, stdout: "", stderr: "")
    while runs < 3 {
      runs += 1
      last = try await boardctl.run("apply", "--auto-approve")
      if last.status == 0 { break }
    }
    #expect(last.status == 0, "did not converge in 3 runs: \(last.stderr)")
    let stats = try await simulator.stats()
    #expect(stats.duplicates.isEmpty, "duplicates: \(stats.duplicates)")
    #expect(stats.jobs == 30)
    let injected = ["server_errors", "throttled", "resets_before", "resets_after"].reduce(0) {
      $0 + (stats.counters[$1] ?? 0)
    }
    #expect(injected > 0, "no fault was injected: \(stats.counters)")
    try await simulator.setFaults("{}")
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)
  }

  @Test("creating the organization: an answer that leaves the outcome unknown is looked up by name, not fatal")
  func organizationUnknownOutcome() async throws {
    // Every organization create is committed, then its connection reset: the answer never comes.
    let simulator = try await SimulatorProcess.start(
      fastLimit + ["--fault", "reset-after=1@POST:/open/v3/organizations/"])
    let (_, boardctl) = try await makeManatalWorkspace(simulator, postings: 3, settings: fastSettings)
    let apply = try await boardctl.run("apply", "--auto-approve")
    #expect(apply.status == 0, "\(apply.stderr)")
    let stats = try await simulator.stats()
    #expect(stats.counters["resets_after"] == 1, "\(stats.counters)")
    #expect(stats.requests("POST /open/v3/organizations/") == 1, "never sent twice: \(stats.byEndpoint)")
    let list = try #require(
      try await simulator.json(.GET, simulator.url + "/organizations/?page_size=100", auth: true) as? [String: Any])
    let organizations = try #require(list["results"] as? [[String: Any]])
    #expect(organizations.filter { $0["name"] as? String == "Acme Pacific" }.count == 1, "\(organizations)")
    #expect(stats.jobs == 3)
  }

  @Test(
    "apply killed with SIGKILL at several points, then applied again: no duplicates, converged", arguments: [0, 3, 12])
  func killed(afterCreates creates: Int) async throws {
    let simulator = try await SimulatorProcess.start(fastLimit + ["--latency-ms", "30"])
    let (_, boardctl) = try await makeManatalWorkspace(
      simulator, postings: 25, settings: fastSettings + "\nconcurrency: 2")
    let process = try boardctl.start("apply", "--auto-approve")
    // Kill once the simulator has seen the wanted number of creates (0: during refresh).
    let deadline = Date().addingTimeInterval(60)
    while process.isRunning, Date() < deadline {
      let stats = try await simulator.stats()
      if creates == 0 ? stats.requests("GET /open/v3/jobs/") > 0 : stats.requests("POST /open/v3/jobs/") >= creates {
        break
      }
      try await Task.sleep(for: .milliseconds(5))
    }
    process.send(SIGKILL)
    _ = await process.exitStatus()

    var blocked = try await boardctl.run("apply", "--auto-approve")
    if blocked.status == 3 {
      #expect(blocked.stderr.contains("no longer running on this host: the lock is stale"))
      let id = try #require(blocked.stderr.split(separator: " ").last?.trimmingCharacters(in: .whitespacesAndNewlines))
      #expect(try await boardctl.run("force-unlock", id).status == 0)
      blocked = try await boardctl.run("apply", "--auto-approve")
    }
    #expect(blocked.status == 0, "\(blocked.stderr)")
    let stats = try await simulator.stats()
    #expect(stats.duplicates.isEmpty, "duplicates after a kill at \(creates) creates: \(stats.duplicates)")
    #expect(stats.jobs == 25)
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)
  }

  @Test("no request ever exceeds the rate limit: the board's budget keeps apply under it")
  func rateLimit() async throws {
    let simulator = try await SimulatorProcess.start(["--rate-limit", "15", "--rate-window", "1"])
    let (_, boardctl) = try await makeManatalWorkspace(
      simulator, postings: 30, settings: "rate_limit: {requests: 15, per_seconds: 1}\nconcurrency: 6")
    let result = try await boardctl.run("apply", "--auto-approve", "--stats")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stderr.contains("0 rate-limited (429)"))
    let stats = try await simulator.stats()
    #expect(stats.counters["throttled"] == nil, "the simulator answered 429 \(stats.counters["throttled"] ?? 0) times")
    #expect(stats.jobs == 30)
  }

  @Test("a plan that meets a 429 without Retry-After waits for the window, says so on stderr, and succeeds")
  func waitsOutTheWindow() async throws {
    // The token's window has room for one request (another client used the rest), and the plan
    // reads organizations and jobs at once: one of them is answered 429, without Retry-After.
    let simulator = try await SimulatorProcess.start(["--rate-limit", "1", "--rate-window", "5"])
    let (_, boardctl) = try await makeManatalWorkspace(
      simulator, postings: 1, settings: "rate_limit: {requests: 100, per_seconds: 5}")
    // The plan waits a window; the runner waits for it without holding a thread of the pool.
    let plan = try await boardctl.run("plan", "--stats")
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.contains("Plan: 2 to add"), "\(plan.stdout)")
    let waits = plan.stderr.split(separator: "\n").filter { $0.hasPrefix("rate limited by manatal; waiting ") }
    #expect(waits.count == 1, "one pause: \(plan.stderr)")
    #expect(waits.allSatisfy { $0.hasSuffix(" s for the window") }, "\(waits)")
    #expect(plan.stderr.contains(", 1 rate-limited (429)"), "\(plan.stderr)")
  }

  @Test(
    "boards test reports a bad token, an unreachable host, a missing permission and a rate-limited board, each with a fix"
  )
  func connectionTest() async throws {
    let simulator = try await SimulatorProcess.start(fastLimit)
    let (_, good) = try await makeManatalWorkspace(simulator, postings: 1, settings: fastSettings)
    let ok = try await good.run("boards", "test")
    #expect(ok.status == 0, "\(ok.stdout)")
    #expect(ok.stdout.contains("manatal (manatal, free): OK"))
    #expect(ok.stdout.contains("authenticated at \(simulator.url)"))
    #expect(ok.stdout.contains("rate limit 1000 per 1 s: "))

    let (_, badKey) = try await makeManatalWorkspace(
      simulator, postings: 1, settings: fastSettings, token: "wrong-token")
    let bad = try await badKey.run("boards", "test")
    #expect(bad.status == 1)
    #expect(bad.stdout.contains("manatal (manatal, free): FAILED"))
    #expect(bad.stdout.contains("Invalid token."))
    #expect(bad.stdout.contains("fix: bad key"))
    #expect(!bad.stdout.contains("wrong-token") && !bad.stderr.contains("wrong-token"))

    let unreachable = try await SimulatorProcess.start()
    let port = URL(string: unreachable.url)!.port!
    await unreachable.stop()
    let (_, down) = try await makeManatalWorkspace(unreachable, postings: 1)
    let offline = try await down.run("boards", "test")
    #expect(offline.status == 1)
    #expect(offline.stdout.contains("connection refused") || offline.stdout.contains("cannot reach"))
    #expect(
      offline.stdout.contains("fix: network or timeout: check settings.endpoint (http://127.0.0.1:\(port)/open/v3)"))

    let slowSimulator = try await SimulatorProcess.start(fastLimit + ["--latency-ms", "3000"])
    let (_, impatient) = try await makeManatalWorkspace(
      slowSimulator, postings: 1, settings: fastSettings + "\ntimeout: {request: 0.3}")
    let timedOut = try await impatient.run("boards", "test")
    #expect(timedOut.status == 1)
    #expect(timedOut.stdout.contains("timed out"), "\(timedOut.stdout)")
    #expect(timedOut.stdout.contains("fix: network or timeout"))

    let forbidden = try await SimulatorProcess.start(fastLimit + ["--fault", "forbidden=1@GET:/open/v3/jobs/"])
    let (_, noRights) = try await makeManatalWorkspace(forbidden, postings: 1, settings: fastSettings)
    let denied = try await noRights.run("boards", "test")
    #expect(denied.status == 1)
    #expect(denied.stdout.contains("authenticated at \(forbidden.url)"))
    #expect(denied.stdout.contains("You do not have permission to perform this action."))
    #expect(denied.stdout.contains("fix: missing permission"))

    let throttled = try await SimulatorProcess.start(["--throttle-rate", "1"])
    let (_, limited) = try await makeManatalWorkspace(throttled, postings: 1)
    let slow = try await limited.run("boards", "test")
    #expect(slow.status == 1)
    #expect(slow.stdout.contains("fix: rate limited"), "\(slow.stdout)")
  }

  @Test("webhooks declared in settings are created, replaced when changed, and removed")
  func webhooks() async throws {
    let simulator = try await SimulatorProcess.start(fastLimit)
    let hook = "webhooks:\n  - {model: match, action: moved, target_url: https://hooks.acme.example/a}"
    let (folder, boardctl) = try await makeManatalWorkspace(
      simulator, postings: 1, settings: fastSettings + "\n" + hook)
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    #expect(try await simulator.stats().webhooks == 1)
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)
    let text = try #require(folder.read("boards.d/workspace.yaml"))
    folder.write("boards.d/workspace.yaml", text.replacingOccurrences(of: "example/a}", with: "example/b}"))
    let plan = try await boardctl.run("plan")
    #expect(plan.stdout.contains("-/+ manatal.webhook.match-moved"), "\(plan.stdout)")
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let hooks = try await simulator.json(.GET, simulator.hooksURL + "/webhooks/", auth: true) as? [[String: Any]]
    #expect(hooks?.map { $0["target_url"] as? String } == ["https://hooks.acme.example/b"])
    folder.write(
      "boards.d/workspace.yaml",
      text.replacingOccurrences(of: hook.replacingOccurrences(of: "\n", with: "\n  "), with: ""))
    let removal = try await boardctl.run("plan")
    #expect(removal.stdout.contains("- manatal.webhook.match-moved"), "\(removal.stdout)")
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    #expect(try await simulator.stats().webhooks == 0)
  }

  @Test("credentials: a rotated token shows as changed; without a key plan warns and apply refuses")
  func credentials() async throws {
    let simulator = try await SimulatorProcess.start(fastLimit + ["--token", "canary-manatal-5f1e"])
    let (folder, boardctl) = try await makeManatalWorkspace(simulator, postings: 2, settings: fastSettings)
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)
    #expect(
      try await boardctl.run(["seal", "manatal-token", "--field", "token"], stdin: "canary-manatal-5f1e\n").status == 0)
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0, "resealing the same value is no change")

    #expect(
      try await boardctl.run(["seal", "manatal-token", "--field", "token"], stdin: "canary-rotated-77aa\n").status == 0)
    // The simulator does not know the new token: compare with state only.
    let rotated = try await boardctl.run("plan", "--no-refresh")
    #expect(rotated.stdout.contains("~ manatal.credential.manatal-token"), "\(rotated.stdout)\(rotated.stderr)")
    #expect(rotated.stdout.contains("token = (sensitive value changed)"))

    var keyless = boardctl
    keyless.environment["BOARDCTL_KEY_DIR"] = folder.path + "/no-keys"
    let plan = try await keyless.run("plan")
    #expect(plan.status == 0)
    #expect(plan.stdout.contains("board 'manatal' was not refreshed: no private key opens credential 'manatal-token'"))
    let saved = try await keyless.run("plan", "--out", "plan.bin")
    #expect(saved.status == 0)
    let apply = try await keyless.run("apply", "--auto-approve")
    #expect(apply.status == 1)
    #expect(apply.stderr.contains("it is sealed to ci:"))
    #expect(try await boardctl.run("apply", "plan.bin").status == 4)

    // Leak check over everything these runs produced.
    let leaky = try await boardctl.run(["plan", "--format", "json", "--stats"], stdin: "")
    var traced = boardctl
    traced.environment["BOARDCTL_LOG"] = "trace"
    let trace = try await traced.run("plan", "--stats")
    let card = try await traced.run("boards", "test")
    let importing = try await traced.run("import", "manatal.job.job-0", "999999")
    let state = try Data(contentsOf: URL(fileURLWithPath: folder.path + "/.boardctl/state.db"))
    for canary in ["canary-manatal-5f1e", "canary-rotated-77aa"] {
      for output in [
        leaky.stdout, leaky.stderr, trace.stdout, trace.stderr, rotated.stdout, rotated.stderr, card.stdout,
        card.stderr,
        importing.stdout, importing.stderr, apply.stderr, plan.stdout,
      ] {
        #expect(!output.contains(canary))
      }
      #expect(state.range(of: Data(canary.utf8)) == nil)
      #expect(folder.read("plan.bin")?.contains(canary) == false)
    }
  }
}

@Suite("Manatal custom fields")
struct ManatalCustomFieldTests {
  @Test("custom_fields: boardctl's keys are merged into what the job holds, since PATCH replaces the whole object")
  func merged() async throws {
    let simulator = try await SimulatorProcess.start(fastLimit)
    let (folder, boardctl) = try await makeManatalWorkspace(
      simulator, postings: 1, settings: fastSettings + "\ncustom_fields: {source: boardctl, team: platform}")
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let job = try #require(try await simulator.job(externalID: "boardctl:acme:manatal.job.job-0"))
    #expect(job["custom_fields"] as? [String: String] == ["source": "boardctl", "team": "platform"])
    let id = try #require(job["id"] as? Int)
    // A recruiter keeps their own key there; boardctl must not wipe it.
    try await simulator.edit(
      job: id, #"{"custom_fields": {"source": "boardctl", "team": "platform", "priority": "high"}}"#)
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)
    let text = try #require(folder.read("boards.d/workspace.yaml"))
    folder.write("boards.d/workspace.yaml", text.replacingOccurrences(of: "team: platform", with: "team: data"))
    let plan = try await boardctl.run("plan")
    #expect(plan.stdout.contains(#"~ custom_fields.team = "platform" -> "data""#), "\(plan.stdout)")
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let merged = try #require(try await simulator.job(externalID: "boardctl:acme:manatal.job.job-0"))
    #expect(merged["custom_fields"] as? [String: String] == ["source": "boardctl", "team": "data", "priority": "high"])
  }
}
