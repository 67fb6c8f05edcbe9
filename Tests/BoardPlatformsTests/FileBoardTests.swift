import BoardCore
import BoardPlatforms
import BoardSpec
import BoardTesting
import Foundation
import Testing

/// A configuration with both file boards, loaded through the real loader.
func loadConfig(_ postings: String, in folder: TemporaryFolder, logo: String? = nil) throws -> Config {
  folder.write(
    "boards.d/base.yaml",
    """
    kind: Workspace
    name: acme
    organization: {name: Acme Pacific, url: https://acme.example\(logo.map { ", logo: \($0)" } ?? "")}
    ---
    kind: Board
    name: careers
    platform: careers-site
    settings: {output: public/careers, base_url: https://jobs.acme.example}
    ---
    kind: Board
    name: indeed
    platform: indeed-feed
    settings: {output: public/indeed.xml}
    """)
  folder.write("boards.d/postings.yaml", postings)
  let result = ConfigLoader(platforms: Platforms.descriptors).load(directory: folder.path + "/boards.d")
  return try #require(result.config, "\(result.diagnostics)")
}

let today = CalendarDate(year: 2026, month: 11, day: 21)

func check(_ config: Config) -> [Diagnostic] {
  PostingChecker.check(config: config, platforms: Platforms.byID, today: today).diagnostics
}

struct JournalStub: ApplyJournal {
  func begin(_ address: Address, action: PlanAction) throws -> Int64 { 1 }
  func finish(_ entry: Int64, error: String?) throws {}
  func finish(_ entry: Int64, saving records: [Address: StateRecord?]) throws {}
  var interrupted: Set<Address> { [] }
}

/// The 1-based line of the first line of `text` that contains `needle`.
func lineNumber(of needle: String, in text: String?) throws -> Int {
  let lines = (text ?? "").split(separator: "\n", omittingEmptySubsequences: false)
  return try #require(lines.firstIndex { $0.contains(needle) }) + 1
}

/// Plans and applies everything against real files, as apply does, without state.
func applyAll(_ config: Config, folder: TemporaryFolder) async throws -> [Address: StateRecord] {
  let environment = BoardEnvironment(
    root: folder.path, workspace: config.workspace, today: today, now: "2026-11-21T10:00:00Z")
  let placements = PostingChecker.check(config: config, platforms: Platforms.byID, today: today).placements
  var records: [Address: StateRecord] = [:]
  for board in config.boards {
    let connection = try Platforms.byID[board.platform]!.connect(board, environment: environment) as! any PlacementBoard
    let desired = placements.filter { $0.board.name == board.name }.map {
      connection.desired($0, context: PlacementContext(prior: nil, today: today))
    }
    let plan = Diff.plan(DiffInput(desired: desired, prior: [], live: [], refreshedBoards: [board.name]))
    let result = try await connection.apply(
      plan.changes, desired: Dictionary(uniqueKeysWithValues: desired.map { ($0.address, $0) }), prior: [:],
      journal: JournalStub())
    for (address, record) in result { records[address] = record }
  }
  return records
}

@Suite("File boards")
struct FileBoardTests {
  @Test("an expired posting is closed, not an error: reported at the override that set the date, on that board only")
  func rulePosition() throws {
    let folder = TemporaryFolder()
    let marked = MarkedText(
      """
      kind: Posting
      name: backend
      title: Backend Engineer
      description: Build things.
      location: {city: Suva, country: FJ, region: Central}
      valid_through: 2027-01-31
      apply_url: https://acme.example/apply
      boards: [careers, indeed]
      overrides:
        indeed: {valid_through: ⟨!⟩2020-01-31}
      """)
    let config = try loadConfig(marked.text, in: folder)
    let checked = PostingChecker.check(config: config, platforms: Platforms.byID, today: today)
    #expect(checked.diagnostics.filter { $0.severity == .error }.isEmpty, "\(checked.diagnostics)")
    let warning = checked.diagnostics.first { $0.message.contains("expired") }
    #expect(
      warning?.message
        == "posting 'backend' expired on 2020-01-31 (valid_through): it is closed on 'indeed' and not published again; extend valid_through to reopen it"
    )
    #expect(warning?.location?.description == marked.location("!", file: folder.path + "/boards.d/postings.yaml"))
    #expect(checked.placements.map(\.board.name) == ["careers"])
    #expect(checked.expired.map(\.board.name) == ["indeed"])
  }

  @Test("Google's required location: an on-site job needs a city and a country; a remote one a country")
  func locationRules() throws {
    let folder = TemporaryFolder()
    let config = try loadConfig(
      """
      kind: Posting
      name: onsite
      title: A
      description: B
      location: {region: Central}
      boards: [careers]
      ---
      kind: Posting
      name: remote
      title: A
      description: B
      location: {remote: true}
      boards: [careers]
      """, in: folder)
    let messages = check(config).filter { $0.severity == .error }.map(\.message)
    #expect(messages.contains { $0.contains("'onsite'") && $0.contains("location.city is required by Google") })
    #expect(messages.contains { $0.contains("'onsite'") && $0.contains("location.country is required") })
    #expect(messages.contains { $0.contains("'remote'") && $0.contains("applicantLocationRequirements") })
  }

  @Test("Indeed rejects a salary in the title and needs a job URL")
  func indeedRules() throws {
    let folder = TemporaryFolder()
    let config = try loadConfig(
      """
      kind: Posting
      name: a
      title: Engineer 50k FJD
      description: B
      location: {city: Suva, region: Central, country: FJ}
      salary: {min: 50000, currency: FJD, period: year}
      boards: [indeed]
      """, in: folder)
    let messages = check(config).filter { $0.severity == .error }.map(\.message)
    #expect(messages.contains { $0.contains("titles that contain the salary") })
    #expect(messages.contains { $0.contains("Indeed requires a job <url>") })
  }

  @Test("every page carries JSON-LD with Google's required properties and the recommended ones it has")
  func jsonLD() async throws {
    let folder = TemporaryFolder()
    let config = try loadConfig(
      """
      kind: Posting
      name: backend
      title: Backend </script> Engineer
      description: "Build **things** & more."
      employment_type: full_time
      location: {city: Suva, region: Central, country: FJ, postal_code: "679"}
      salary: {min: 40000, max: 60000, currency: FJD, period: year}
      valid_through: 2027-01-31
      apply_url: https://acme.example/apply
      boards: [careers]
      ---
      kind: Posting
      name: remote
      title: Remote Engineer
      description: Anywhere in Fiji.
      location: {country: FJ, remote: true}
      boards: [careers]
      """, in: folder)
    _ = try await applyAll(config, folder: folder)
    for name in ["backend", "remote"] {
      let page = try #require(folder.read("public/careers/\(name).html"))
      let start = try #require(page.range(of: "<script type=\"application/ld+json\">"))
      let end = try #require(page.range(of: "</script>", range: start.upperBound..<page.endIndex))
      let object = try #require(
        try JSONSerialization.jsonObject(with: Data(page[start.upperBound..<end.lowerBound].utf8)) as? [String: Any])
      for key in ["title", "description", "datePosted", "hiringOrganization"] { #expect(object[key] != nil, "\(key)") }
      #expect(object["@type"] as? String == "JobPosting")
      if name == "backend" {
        #expect(object["title"] as? String == "Backend </script> Engineer")
        #expect(object["employmentType"] as? String == "FULL_TIME")
        #expect(object["validThrough"] as? String == "2027-01-31T23:59:59Z")
        let salary = try #require(object["baseSalary"] as? [String: Any])
        let value = try #require(salary["value"] as? [String: Any])
        #expect(value["unitText"] as? String == "YEAR")
        #expect(value["minValue"] as? Int == 40000)
        let address = try #require((object["jobLocation"] as? [String: Any])?["address"] as? [String: Any])
        #expect(address["addressCountry"] as? String == "FJ")
        #expect((object["description"] as? String)?.contains("<strong>things</strong>") == true)
      } else {
        #expect(object["jobLocationType"] as? String == "TELECOMMUTE")
        #expect((object["applicantLocationRequirements"] as? [String: Any])?["name"] as? String == "FJ")
      }
    }
    let index = try #require(folder.read("public/careers/index.html"))
    #expect(index.contains("backend.html") && index.contains("remote.html"))
    let sitemap = try #require(folder.read("public/careers/sitemap.xml"))
    #expect(sitemap.contains("<loc>https://jobs.acme.example/backend.html</loc><lastmod>2026-11-21</lastmod>"))
  }

  @Test("the feed round-trips: what apply writes, refresh reads back as the same attributes")
  func feedRoundTrip() async throws {
    let folder = TemporaryFolder()
    let config = try loadConfig(
      """
      kind: Posting
      name: backend
      title: "Backend ]]> Engineer & co"
      description: Build things.
      location: {city: Suva, region: Central, country: FJ}
      apply_url: https://acme.example/apply
      boards: [indeed]
      """, in: folder)
    let records = try await applyAll(config, folder: folder)
    let environment = BoardEnvironment(root: folder.path, workspace: config.workspace, today: today, now: "x")
    let board = try #require(config.board(named: "indeed"))
    let reading = try await Platforms.byID["indeed-feed"]!.connect(board, environment: environment)
      .refresh(prior: Array(records.values))
    #expect(reading.resources.count == 1)
    #expect(reading.resources.first?.attributes == records.values.first { $0.address.board == "indeed" }?.attributes)
    #expect(reading.resources.first?.attributes["title"] == .string("Backend ]]> Engineer & co"))
  }

  /// One posting, `backend`, applied to the careers board in a fresh folder.
  static func oneAppliedPage() async throws -> (TemporaryFolder, Config, [Address: StateRecord]) {
    let folder = TemporaryFolder()
    let config = try loadConfig(
      """
      kind: Posting
      name: backend
      title: Backend Engineer
      description: Build things.
      location: {city: Suva, country: FJ}
      boards: [careers]
      """, in: folder)
    return (folder, config, try await applyAll(config, folder: folder))
  }

  /// What refresh reads from the careers board.
  static func refreshCareers(_ config: Config, folder: TemporaryFolder, prior: [Address: StateRecord]) async throws
    -> BoardReading
  {
    let environment = BoardEnvironment(root: folder.path, workspace: config.workspace, today: today, now: "x")
    return try await Platforms.byID["careers-site"]!.connect(
      try #require(config.board(named: "careers")), environment: environment
    )
    .refresh(prior: Array(prior.values))
  }

  @Test("a page edited by hand is read back with a different digest and a line diff")
  func pageEdit() async throws {
    let (folder, config, records) = try await Self.oneAppliedPage()
    let path = "public/careers/backend.html"
    folder.write(
      path,
      try #require(folder.read(path)).replacingOccurrences(of: "<h1>Backend Engineer</h1>", with: "<h1>Edited</h1>"))
    let reading = try await Self.refreshCareers(config, folder: folder, prior: records)
    let address = Address(board: "careers", object: .page, name: "backend")
    let live = try #require(reading.resources.first { $0.address == address })
    #expect(live.digest != records[address]?.digest)
    // Old to new, like every other drift: as boardctl wrote it, then as it is now.
    #expect(
      live.details == [
        "@@ line \(try lineNumber(of: "<h1>Edited</h1>", in: folder.read(path))) @@", "- <h1>Backend Engineer</h1>",
        "+ <h1>Edited</h1>",
      ])
    // The index and sitemap were not touched.
    for file in ["index", "sitemap"] {
      let resource = try #require(reading.resources.first { $0.address.object == .file && $0.address.name == file })
      #expect(resource.digest == records[resource.address]?.digest)
      #expect(resource.details.isEmpty)
    }
  }

  @Test("an edited index.html or sitemap.xml is drift with its changed lines; a deleted one is gone")
  func siteFileEdit() async throws {
    let (folder, config, records) = try await Self.oneAppliedPage()
    let index = try #require(folder.read("public/careers/index.html"))
    folder.write("public/careers/index.html", index.replacingOccurrences(of: "1 open position", with: "Hiring now!"))
    folder.remove("public/careers/sitemap.xml")
    let reading = try await Self.refreshCareers(config, folder: folder, prior: records)
    let address = Address(board: "careers", object: .file, name: "index")
    let live = try #require(reading.resources.first { $0.address == address })
    #expect(live.digest != records[address]?.digest)
    #expect(live.details.contains("- <p class=\"meta\">1 open position</p>"))
    #expect(live.details.contains("+ <p class=\"meta\">Hiring now!</p>"))
    #expect(!reading.resources.contains { $0.address.name == "sitemap" })
  }

  @Test("pages read as a job seeker reads them: names, dates in words, grouped places, relative links, the logo")
  func pageWording() async throws {
    let folder = TemporaryFolder()
    let config = try loadConfig(
      """
      kind: Posting
      name: backend
      title: Backend Engineer
      description: "Apply at https://acme.example/apply/backend."
      location: {city: Singapore, region: Singapore, country: SG}
      valid_through: 2027-01-31
      apply_url: https://acme.example/apply/backend
      boards: [careers]
      ---
      kind: Posting
      name: frontend
      title: Frontend Engineer
      description: Build pages.
      location: {city: Suva, region: Central, country: FJ}
      boards: [careers]
      ---
      kind: Posting
      name: designer
      title: Designer
      description: Draw.
      location: {city: Suva, region: Central, country: FJ}
      boards: [careers]
      """, in: folder, logo: "https://acme.example/logo.png")
    _ = try await applyAll(config, folder: folder)
    let page = try #require(folder.read("public/careers/backend.html"))
    #expect(page.contains("Acme Pacific · Singapore</p>"))  // country named, the city not said three times
    #expect(page.contains("Posted <time datetime=\"2026-11-21\">November 21, 2026</time>"))
    #expect(page.contains("Open until <time datetime=\"2027-01-31\">January 31, 2027</time>"))
    #expect(
      page.contains(
        "Apply at <a href=\"https://acme.example/apply/backend\">https://acme.example/apply/backend</a>."))
    #expect(page.contains("<img src=\"https://acme.example/logo.png\" alt=\"\">"))
    #expect(page.contains("<header><a href=\"index.html\">"))
    // Links between the site's pages are relative; only the canonical link names the public URL.
    #expect(page.components(separatedBy: "href=\"https://jobs.acme.example").count == 2)
    #expect(page.contains("<link rel=\"canonical\" href=\"https://jobs.acme.example/backend.html\">"))
    let index = try #require(folder.read("public/careers/index.html"))
    #expect(index.contains("<p class=\"meta\">3 open positions</p>"))
    let fiji = try #require(index.range(of: "<h2>Suva, Central, Fiji</h2>"))
    let singapore = try #require(index.range(of: "<h2>Singapore</h2>"))
    #expect(fiji.lowerBound > singapore.lowerBound)
    let designer = try #require(index.range(of: "designer.html"))
    let frontend = try #require(index.range(of: "frontend.html"))
    #expect(fiji.upperBound < designer.lowerBound && designer.lowerBound < frontend.lowerBound)
  }

  @Test("the index's count reads right in the singular")
  func singularCount() async throws {
    let folder = TemporaryFolder()
    let config = try loadConfig(
      """
      kind: Posting
      name: backend
      title: Backend Engineer
      description: Build things.
      location: {city: Suva, country: FJ}
      boards: [careers]
      """, in: folder)
    _ = try await applyAll(config, folder: folder)
    let index = try #require(folder.read("public/careers/index.html"))
    #expect(index.contains("<p class=\"meta\">1 open position</p>"))
  }

  @Test("an output folder that cannot be written is reported when the board is opened")
  func unwritableOutput() throws {
    let folder = TemporaryFolder()
    let config = try loadConfig("kind: Template\nname: t\n", in: folder)
    folder.write("public", "a file where the folder should be")
    let environment = BoardEnvironment(root: folder.path, workspace: config.workspace, today: today, now: "x")
    #expect {
      try CareersSite().connect(try #require(config.board(named: "careers")), environment: environment)
    } throws: { error in
      (error as? Diagnostic)?.message.contains("cannot write the site to 'public/careers'") == true
    }
  }

  @Test(
    "an output that exists as the wrong kind of thing is reported when the board is opened, before anything is written",
    arguments: [
      ("careers", "public/careers", true, "public/careers is a file, not a folder"),
      ("indeed", "public/indeed.xml", false, "public/indeed.xml is a folder, not a file"),
    ])
  func outputOfTheWrongKind(board: String, path: String, makeFile: Bool, reason: String) throws {
    let folder = TemporaryFolder()
    let config = try loadConfig("kind: Template\nname: t\n", in: folder)
    if makeFile {
      folder.write(path, "a file where the folder should be")
    } else {
      try FileManager.default.createDirectory(atPath: folder.path + "/" + path, withIntermediateDirectories: true)
    }
    let environment = BoardEnvironment(root: folder.path, workspace: config.workspace, today: today, now: "x")
    let boardDocument = try #require(config.board(named: board))
    #expect {
      try Platforms.byID[boardDocument.platform]!.connect(boardDocument, environment: environment)
    } throws: { error in
      (error as? Diagnostic)?.message.hasSuffix(folder.path + "/" + reason) == true
    }
  }
}
