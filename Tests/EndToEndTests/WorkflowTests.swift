import BoardCore
import BoardState
import BoardSupport
import BoardTesting
import Foundation
import Testing

@Suite("boardctl end to end")
struct WorkflowTests {
  @Test("plan, apply, then plan again shows no changes")
  func planApplyPlan() async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    let plan = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(plan.status == 2, "\(plan.stderr)")
    #expect(plan.stdout.contains("+ careers.page.backend {"))
    #expect(plan.stdout.contains("+ careers.file.index {"))
    #expect(plan.stdout.contains("Plan: 8 to add, 0 to change, 0 to close, 0 to destroy."))
    #expect(!folder.exists(".boardctl/state.db"), "plan must not create state")
    let apply = try await boardctl.run("apply", "--auto-approve")
    #expect(apply.status == 0, "\(apply.stderr)")
    #expect(apply.stdout.contains("Apply complete! Resources: 8 added, 0 changed, 0 closed, 0 destroyed."))
    let again = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
    #expect(again.stdout.contains("No changes."))
  }

  @Test("apply without --auto-approve and without a terminal refuses and changes nothing")
  func needsApproval() async throws {
    let folder = makeWorkspace()
    let result = try await Boardctl(folder).run("apply")
    #expect(result.status == 1)
    #expect(result.stderr.contains("--auto-approve"))
    #expect(result.stdout.contains("Plan: 8 to add"), "the plan is shown before refusing")
    #expect(!folder.exists("public"))
    #expect(!folder.exists(".boardctl"), "no state is created")
  }

  @Test("a page edited by hand shows as drift and apply restores it")
  func handEditedPage() async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    try await boardctl.run("apply", "--auto-approve")
    let path = "public/careers/backend.html"
    let original = try #require(folder.read(path))
    folder.write(path, original.replacingOccurrences(of: "<h1>Backend Engineer</h1>", with: "<h1>Hacked</h1>"))
    let plan = try await boardctl.run("plan")
    #expect(plan.stdout.contains("Objects have changed outside of boardctl"))
    #expect(plan.stdout.contains("# careers.page.backend has been changed"))
    #expect(plan.stdout.contains("- <h1>Backend Engineer</h1>\n        + <h1>Hacked</h1>"), "old to new")
    #expect(plan.stdout.contains("Plan: 0 to add, 1 to change, 0 to close, 0 to destroy."))
    try await boardctl.run("apply", "--auto-approve")
    #expect(folder.read(path) == original)
  }

  @Test(
    "a feed job links to the careers page only while the posting is on that board; else to apply_url, and the plan says so"
  )
  func feedLinksOnlyToPagesThatExist() async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    #expect(
      folder.read("public/indeed.xml")?.contains("<url><![CDATA[https://jobs.acme.example/backend.html]]></url>")
        == true)
    // Off the careers board, with no apply_url: no page to link to, so validate refuses it.
    let backend = try #require(folder.read("boards.d/postings/backend.yaml"))
    folder.write(
      "boards.d/postings/backend.yaml", backend.replacingOccurrences(of: "[careers, indeed]", with: "[indeed]"))
    let refused = try await boardctl.run("validate")
    #expect(refused.status == 1)
    #expect(refused.stderr.contains("backend.yaml:10:"), "\(refused.stderr)")
    #expect(
      refused.stderr.contains(
        "links to pages of board 'careers', which this posting is not on, and it has no apply_url"))
    // With an apply_url, the job links there, and the plan says why.
    folder.write(
      "boards.d/postings/backend.yaml",
      backend.replacingOccurrences(
        of: "boards: [careers, indeed]", with: "apply_url: https://acme.example/apply/backend\nboards: [indeed]"))
    let plan = try await boardctl.run("plan")
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(
      plan.stdout.contains(
        "~ url = \"https://jobs.acme.example/backend.html\" -> \"https://acme.example/apply/backend\""),
      "\(plan.stdout)")
    #expect(
      plan.stdout.contains("it links to its apply_url, not to a careers page: the posting is not on board 'careers'"))
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let feed = try #require(folder.read("public/indeed.xml"))
    #expect(feed.contains("<url><![CDATA[https://acme.example/apply/backend]]></url>"))
    #expect(!feed.contains("backend.html"))
    #expect(!folder.exists("public/careers/backend.html"))
  }

  @Test("an index.html or sitemap.xml edited by hand shows as drift and apply restores it")
  func handEditedIndex() async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    try await boardctl.run("apply", "--auto-approve")
    let index = try #require(folder.read("public/careers/index.html"))
    let sitemap = try #require(folder.read("public/careers/sitemap.xml"))
    folder.write("public/careers/index.html", index.replacingOccurrences(of: "<h1>", with: "<h1>Hacked "))
    folder.write("public/careers/sitemap.xml", sitemap + "<!-- added -->\n")
    let plan = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(plan.status == 2)
    #expect(plan.stdout.contains("# careers.file.index has been changed"))
    #expect(plan.stdout.contains("+ <h1>Hacked Careers at"))
    #expect(plan.stdout.contains("# careers.file.sitemap has been changed"))
    #expect(plan.stdout.contains("+ <!-- added -->"))
    #expect(plan.stdout.contains("Plan: 0 to add, 2 to change, 0 to close, 0 to destroy."))
    let apply = try await boardctl.run("apply", "--auto-approve")
    #expect(apply.status == 0, "\(apply.stderr)")
    #expect(folder.read("public/careers/index.html") == index)
    #expect(folder.read("public/careers/sitemap.xml") == sitemap)
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0)
  }

  @Test("a feed entry edited by hand shows the field that drifted")
  func handEditedFeed() async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    try await boardctl.run("apply", "--auto-approve")
    let feed = try #require(folder.read("public/indeed.xml"))
    folder.write("public/indeed.xml", feed.replacingOccurrences(of: "Analyst Engineer", with: "Analyst Wizard"))
    let plan = try await boardctl.run("plan")
    #expect(plan.stdout.contains("~ title = \"Analyst Engineer\" -> \"Analyst Wizard\""))
    #expect(plan.stdout.contains("~ title = \"Analyst Wizard\" -> \"Analyst Engineer\""))
  }

  @Test("removing a posting closes it: gone from the site and the feed, kept in state as closed")
  func removingCloses() async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    try await boardctl.run("apply", "--auto-approve")
    folder.remove("boards.d/postings/analyst.yaml")
    let plan = try await boardctl.run("plan")
    #expect(plan.stdout.contains("- careers.page.analyst"))
    #expect(plan.stdout.contains("Plan: 0 to add, 0 to change, 2 to close, 0 to destroy."))
    let apply = try await boardctl.run("apply", "--auto-approve")
    #expect(apply.status == 0, "\(apply.stderr)")
    #expect(!folder.exists("public/careers/analyst.html"))
    #expect(folder.read("public/indeed.xml")?.contains("analyst") == false)
    #expect(folder.read("public/careers/index.html")?.contains("analyst.html") == false)
    let list = try await boardctl.run("state", "list")
    #expect(list.stdout.contains("careers.page.analyst  (closed)"))
    #expect(try await boardctl.run("plan").stdout.contains("No changes."))
  }

  @Test("a saved plan applies exactly; a stale one exits 4 and changes nothing")
  func savedPlans() async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    #expect(try await boardctl.run("plan", "--out", "first.plan").status == 0)
    let apply = try await boardctl.run("apply", "first.plan")
    #expect(apply.status == 0, "\(apply.stderr)")
    #expect(apply.stdout.contains("8 added"))
    // A plan made before a later apply is stale: the state serial moved.
    folder.write(
      "boards.d/postings/backend.yaml",
      try #require(folder.read("boards.d/postings/backend.yaml")).replacingOccurrences(
        of: "Backend Engineer", with: "Backend Lead"))
    #expect(try await boardctl.run("plan", "--out", "second.plan").status == 0)
    #expect(try await boardctl.run("plan", "--out", "third.plan").status == 0)
    #expect(try await boardctl.run("apply", "second.plan").status == 0)
    let before = folder.snapshot().filter { !$0.key.hasPrefix(".boardctl") }
    let stale = try await boardctl.run("apply", "third.plan")
    #expect(stale.status == 4)
    #expect(stale.stderr.contains("stale"))
    #expect(stale.stderr.contains("the state changed since the plan was made"))
    #expect(folder.snapshot().filter { !$0.key.hasPrefix(".boardctl") } == before)
    // Editing the configuration after planning makes the plan stale too.
    #expect(try await boardctl.run("plan", "--out", "fourth.plan").status == 0)
    folder.write(
      "boards.d/postings/backend.yaml", try #require(folder.read("boards.d/postings/backend.yaml")) + "# edited\n")
    let edited = try await boardctl.run("apply", "fourth.plan")
    #expect(edited.status == 4)
    #expect(edited.stderr.contains("the configuration in boards.d changed"))
  }

  @Test("a second writer exits 3 naming the lock holder; force-unlock refuses a live holder")
  func secondWriter() async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    try await boardctl.run("apply", "--auto-approve")
    // Another process holds the lock: take it through the state library, as a concurrent apply would.
    let store = try SQLiteStateStore.open(path: folder.path + "/.boardctl/state.db")
    let held = try await store.lock(LockRequest(operation: "apply"))
    folder.remove("boards.d/postings/analyst.yaml")
    let result = try await boardctl.run("apply", "--auto-approve")
    #expect(result.status == 3)
    #expect(result.stderr.contains("locked by apply by \(held.holder) (pid \(held.pid)) since \(held.since)"))
    #expect(result.stderr.contains("boardctl force-unlock \(held.id)"))
    #expect(folder.exists("public/careers/analyst.html"), "nothing may change while locked")
    let unlock = try await boardctl.run("force-unlock", held.id)
    #expect(unlock.status == 1)
    #expect(unlock.stderr.contains("still running on this host"))
    try await store.unlock(held)
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
  }

  @Test("bad configuration exits 1 with every problem and writes nothing")
  func badConfig() async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    try await boardctl.run("apply", "--auto-approve")
    folder.write("boards.d/broken.yaml", "kind: Posting\nname: x\ntitle: [oops\n")
    folder.write("boards.d/typo.yaml", "kind: Posting\nname: y\ntitel: T\ndescription: D\nboards: [careers]\n")
    let before = folder.snapshot()
    for command in [["validate"], ["plan"], ["apply", "--auto-approve"]] {
      let result = try await boardctl.run(command)
      #expect(result.status == 1)
      #expect(result.stderr.contains("boards.d/broken.yaml:4:1: error: invalid YAML"))
      #expect(result.stderr.contains("boards.d/typo.yaml:3:1: error: unknown key 'titel' in Posting"))
      #expect(result.stderr.contains("problems in the configuration; nothing was changed"))
      #expect(!result.stderr.contains("Yams"))
      #expect(folder.snapshot() == before)
    }
  }

  @Test("a missing config folder, a corrupted state file, and an unwritable output each get one clear error")
  func environmentErrors() async throws {
    let empty = TemporaryFolder()
    let missing = try await Boardctl(empty).run("plan")
    #expect(missing.status == 1)
    #expect(missing.stderr.contains("config folder 'boards.d' does not exist"))

    let folder = makeWorkspace()
    folder.write(".boardctl/state.db", "garbage that is not SQLite")
    let before = folder.snapshot()
    let corrupt = try await Boardctl(folder).run("apply", "--auto-approve")
    #expect(corrupt.status == 1)
    #expect(corrupt.stderr.contains("is not a boardctl state database"))
    #expect(folder.snapshot() == before)

    let blocked = makeWorkspace()
    blocked.write("public", "a file where the output folder should be")
    let result = try await Boardctl(blocked).run("apply", "--auto-approve")
    #expect(result.status == 1)
    #expect(result.stderr.contains("cannot write the site to 'public/careers'"))
    #expect(!blocked.exists(".boardctl/state.db"))
  }

  @Test("the generated JSON-LD and feed pass external checks (Python's json and XML parsers)")
  func externalChecks() async throws {
    let folder = makeWorkspace()
    try await Boardctl(folder).run("apply", "--auto-approve")
    folder.remove("boards.d/postings/analyst.yaml")
    try await Boardctl(folder).run("apply", "--auto-approve")
    let script = """
      import json, re, sys, glob, xml.etree.ElementTree as ET
      pages = sorted(glob.glob('public/careers/*.html'))
      pages = [p for p in pages if not p.endswith('index.html')]
      names = []
      for page in pages:
          html = open(page).read()
          block = re.search(r'<script type="application/ld\\+json">(.*?)</script>', html, re.S).group(1)
          job = json.loads(block)
          assert job['@type'] == 'JobPosting'
          for key in ['title', 'description', 'datePosted', 'hiringOrganization']:
              assert job.get(key), (page, key)
          assert job.get('jobLocation') or (job.get('jobLocationType') == 'TELECOMMUTE' and job.get('applicantLocationRequirements')), page
          names.append(page.split('/')[-1][:-5])
      root = ET.parse('public/indeed.xml').getroot()
      assert root.tag == 'source'
      refs = sorted(job.findtext('referencenumber') for job in root.findall('job'))
      for job in root.findall('job'):
          for key in ['title', 'date', 'referencenumber', 'requisitionid', 'url', 'company', 'city', 'country', 'description']:
              assert job.findtext(key), key
      print(' '.join(sorted(names)) + '|' + ' '.join(refs))
      """
    let run = try await ChildProcess("/usr/bin/env", ["python3", "-c", script], directory: folder.path).run()
    let output = run.standardOutput
    #expect(run.status == 0, "\(run.standardError)")
    #expect(output.trimmingCharacters(in: .whitespacesAndNewlines) == "backend frontend|backend frontend")
  }

  @Test("plan --format json and markdown describe the same changes")
  func formats() async throws {
    let folder = makeWorkspace()
    let json = try await Boardctl(folder).run("plan", "--format", "json")
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect((object["changes"] as? [Any])?.count == 8)
    #expect((object["summary"] as? [String: Int])?["add"] == 8)
    let markdown = try await Boardctl(folder).run("plan", "--format", "markdown")
    #expect(markdown.stdout.hasPrefix("### boardctl plan"))
    #expect(markdown.stdout.contains("<details><summary>Full plan</summary>"))
  }

  @Test("a --target or --exclude that matches nothing is an error with a suggestion, not \"No changes\"")
  func targetMatchingNothing() async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    folder.remove("boards.d/postings/analyst.yaml")  // a change the mistyped option was meant to hold back
    for (option, value, guess) in [
      ("--target", "carers", "careers"), ("--exclude", "careers.pages", "careers.page"),
      ("--target", "careers.page.bakend", "careers.page.backend"),
    ] {
      let before = folder.snapshotWithoutSideFiles()
      for command in [["plan"], ["apply", "--auto-approve"]] {
        let result = try await boardctl.run(command + [option, value])
        #expect(result.status == 1, "\(command) \(option) \(value): \(result.stdout)")
        #expect(
          result.stderr.contains("\(option) \(value) matches nothing")
            && result.stderr.contains("did you mean \(guess)?"),
          "\(result.stderr)")
        #expect(folder.snapshotWithoutSideFiles() == before)
      }
    }
  }

  @Test("--target limits the plan and the apply to matching addresses")
  func targeting() async throws {
    let folder = makeWorkspace()
    let result = try await Boardctl(folder).run("apply", "--auto-approve", "--target", "careers")
    #expect(result.stdout.contains("5 added"))  // three pages, the index and the sitemap
    #expect(folder.exists("public/careers/backend.html"))
    #expect(!folder.exists("public/indeed.xml"))
    let bad = try await Boardctl(folder).run("plan", "--target", "a..b")
    #expect(bad.status == 1)
  }

  @Test("state show and state rm work on addresses; rm leaves the board as it is")
  func stateCommands() async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    try await boardctl.run("apply", "--auto-approve")
    let show = try await boardctl.run("state", "show", "careers.page.backend")
    #expect(show.stdout.contains("first_published = 2026-11-21"))
    #expect(show.stdout.contains("title"))
    let rm = try await boardctl.run("state", "rm", "careers.page.backend")
    #expect(rm.status == 0)
    #expect(folder.exists("public/careers/backend.html"))
    // The page still carries boardctl's tag, so the next plan adopts it.
    #expect(try await boardctl.run("plan").stdout.contains("<= careers.page.backend"))
    let missing = try await boardctl.run("state", "show", "careers.page.nope")
    #expect(missing.status == 1)
  }

  @Test("a failed apply reports what was done and what remains; a re-run finishes the rest")
  func partialApply() async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    // A folder where the frontend page should go: writing that one page fails.
    try FileManager.default.createDirectory(
      atPath: folder.path + "/public/careers/frontend.html/blocker", withIntermediateDirectories: true)
    let failed = try await boardctl.run("apply", "--auto-approve")
    #expect(failed.status == 1)
    #expect(failed.stderr.contains("error: board 'careers': cannot write"))
    #expect(failed.stderr.contains("not applied: careers.page.frontend (create)"))
    #expect(failed.stderr.contains("apply stopped with 7 of 8 changes made"))
    #expect(failed.stdout.contains("careers.page.backend: created"))
    #expect(folder.exists("public/indeed.xml"), "other boards still apply")
    let history = try await boardctl.run("history").stdout
    #expect(history.contains("failed   create   careers.page.frontend"))
    folder.remove("public/careers/frontend.html")
    let plan = try await boardctl.run("plan")
    #expect(plan.stdout.contains("Plan: 1 to add, 0 to change, 0 to close, 0 to destroy."))
    let rerun = try await boardctl.run("apply", "--auto-approve")
    #expect(rerun.status == 0, "\(rerun.stderr)")
    #expect(rerun.stdout.contains("1 added"))
    #expect(try await boardctl.run("plan").stdout.contains("No changes."))
  }

  @Test("history lists the journal, newest first, each run under who ran it, from which commit and CI run")
  func history() async throws {
    let folder = makeWorkspace()
    var boardctl = Boardctl(folder)
    boardctl.environment["USER"] = "alice"
    try await boardctl.run("apply", "--auto-approve")
    folder.remove("boards.d/postings/analyst.yaml")
    // In CI: the run and the commit come from the environment GitHub Actions sets.
    boardctl.environment.merge(
      [
        "USER": "runner", "GITHUB_RUN_ID": "4242", "GITHUB_REPOSITORY": "acme/jobs",
        "GITHUB_SHA": "0123456789abcdef0123456789abcdef01234567",
      ], uniquingKeysWith: { $1 })
    try await boardctl.run("apply", "--auto-approve")
    let lines = try await boardctl.run("history").stdout.split(separator: "\n").map(String.init)
    let runs = lines.filter { $0.hasPrefix("apply ") }
    #expect(runs.count == 2, "\(lines)")
    #expect(
      runs.first?.hasSuffix(
        "by runner@\(ProcessInfo.processInfo.hostName), commit 0123456789ab, CI https://github.com/acme/jobs/actions/runs/4242"
      )
        == true, "\(lines)")
    #expect(runs.last?.hasSuffix("by alice@\(ProcessInfo.processInfo.hostName)") == true, "\(lines)")
    #expect(lines.filter { $0.hasPrefix("  ") }.count == 10, "\(lines)")
    #expect(lines.contains { $0.hasSuffix("ok       create   careers.page.backend") })
    #expect(lines.first?.hasPrefix("apply ") == true && lines[1].contains("close"), "newest run first: \(lines)")
  }
}

@Suite("State commands")
struct StateCommandTests {
  @Test("state commands find a relocated state even while boards.d has errors")
  func relocatedState() async throws {
    let folder = makeWorkspace(state: "{path: var/boardctl.db}")
    let boardctl = Boardctl(folder)
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    #expect(folder.exists("var/boardctl.db"))
    folder.write("boards.d/broken.yaml", "kind: Posting\nname: [oops\n")
    let list = try await boardctl.run("state", "list")
    #expect(list.status == 0, "\(list.stderr)")
    #expect(list.stdout.contains("careers.page.backend"))
  }
}

@Suite("boards test")
struct BoardsTestTests {
  @Test("every file board passes when its output can be written")
  func passes() async throws {
    let folder = makeWorkspace()
    let result = try await Boardctl(folder).run("boards", "test")
    #expect(result.status == 0, "\(result.stderr)")
    #expect(result.stdout.contains("careers (careers-site, free): OK"))
    #expect(result.stdout.contains("writes public/careers (not created yet)"))
    #expect(result.stdout.contains("All 2 boards passed."))
  }

  @Test("a board whose output cannot be written fails with the problem and a fix, exit 1, nothing written")
  func fails() async throws {
    let folder = makeWorkspace()
    folder.write("public", "a file where the output folder should be")
    let before = folder.snapshot()
    let result = try await Boardctl(folder).run("boards", "test", "indeed")
    #expect(result.status == 1)
    #expect(result.stdout.contains("indeed (indeed-feed, free): FAILED"))
    #expect(result.stdout.contains("is a file, not a folder"))
    #expect(result.stdout.contains("fix: "))
    #expect(!result.stdout.contains("careers (careers-site"))
    #expect(result.stderr.contains("1 of 1 board failed the connection test"))
    #expect(folder.snapshot() == before)
    let unknown = try await Boardctl(folder).run("boards", "test", "nope")
    #expect(unknown.stderr.contains("no board named 'nope'; the boards are careers, indeed"))
  }
}

@Suite("Finding the project")
struct ProjectDiscoveryTests {
  @Test("run from a subfolder, boardctl finds boards.d in a parent folder and reports paths from there")
  func fromSubfolder() async throws {
    let folder = makeWorkspace()
    folder.write("docs/notes/readme.txt", "notes\n")
    var boardctl = Boardctl(folder)
    boardctl.subfolder = "docs/notes"
    let plan = try await boardctl.run("plan")
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.contains("Plan: 8 to add"))
    folder.write("boards.d/broken.yaml", "kind: Posting\nname: x\ntitle: [oops\n")
    let broken = try await boardctl.run("validate")
    #expect(broken.status == 1)
    #expect(broken.stderr.contains("../../boards.d/broken.yaml:3:"))
    #expect(try await Boardctl(folder).run("apply", "--auto-approve").status == 1)
  }

  @Test("global options work before the command's name too")
  func globalOptionsFirst() async throws {
    let folder = makeWorkspace()
    folder.write("elsewhere/.keep", "")
    try FileManager.default.moveItem(atPath: folder.path + "/boards.d", toPath: folder.path + "/elsewhere/boards.d")
    let boardctl = Boardctl(folder)
    let before = try await boardctl.run("--config", "elsewhere/boards.d", "--no-color", "state", "list")
    #expect(before.status == 0, "\(before.stderr)")
    let plan = try await boardctl.run("--config=elsewhere/boards.d", "plan")
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.contains("Plan: 8 to add"))
    let after = try await boardctl.run("plan", "--config", "elsewhere/boards.d")
    #expect(after.stdout == plan.stdout)
  }
}

@Suite("Expired postings")
struct ExpiryTests {
  @Test("a posting past valid_through is closed by the plan, and blocks nothing else")
  func expiredCloses() async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let backend = try #require(folder.read("boards.d/postings/backend.yaml"))
    folder.write("boards.d/postings/backend.yaml", backend.replacingOccurrences(of: "2027-06-30", with: "2020-01-31"))
    let analyst = try #require(folder.read("boards.d/postings/analyst.yaml"))
    folder.write(
      "boards.d/postings/analyst.yaml", analyst.replacingOccurrences(of: "Analyst Engineer", with: "Data Analyst"))
    let validate = try await boardctl.run("validate")
    #expect(validate.status == 0, "\(validate.stderr)")
    #expect(validate.stderr.contains("warning: posting 'backend' expired on 2020-01-31 (valid_through)"))
    let plan = try await boardctl.run("plan")
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.contains("expired on 2020-01-31 (valid_through)"), "\(plan.stdout)")
    #expect(plan.stdout.contains("Plan: 0 to add, 2 to change, 2 to close, 0 to destroy."), "\(plan.stdout)")
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    #expect(!folder.exists("public/careers/backend.html"))
    let feed = folder.read("public/indeed.xml") ?? ""
    #expect(feed.contains("<referencenumber><![CDATA[analyst]]></referencenumber>"), "\(feed)")
    #expect(!feed.contains("<referencenumber><![CDATA[backend]]></referencenumber>"))
    #expect(try await boardctl.run("plan", "--detailed-exitcode").status == 0, "closed once, then nothing to do")
  }
}

@Suite("Apply without a terminal")
struct NonInteractiveApplyTests {
  @Test("apply without --auto-approve and no terminal: the summary, not the whole plan, then a refusal")
  func refuses() async throws {
    let folder = makeWorkspace()
    let apply = try await Boardctl(folder).run("apply")
    #expect(apply.status == 1)
    #expect(
      apply.stdout == "Plan: 8 to add, 0 to change, 0 to close, 0 to destroy. Run boardctl plan to see each change.\n")
    #expect(apply.stderr.contains("standard input is not a terminal; nothing was changed"), "\(apply.stderr)")
    #expect(!folder.exists("public/careers/backend.html"))
  }
}
