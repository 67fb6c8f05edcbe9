import BoardCore
import BoardSpec
import BoardSupport
import Foundation

/// `platform: indeed-feed`: the complete Indeed XML job feed, one `<job>` per open posting.
///
/// Indeed rejects partial feeds, so every apply rewrites the whole file; a job leaves the feed by
/// being omitted. A job's `referencenumber` never changes once published.
public struct IndeedFeed: PostingPlatform {
  public init() {}

  public static let id = "indeed-feed"
  /// Bump when the description's HTML rendering changes, so every job is rewritten once.
  static let rendererVersion = "indeed-feed/3"

  public let descriptor = PlatformDescriptor(
    id: IndeedFeed.id, summary: "The Indeed XML job feed.",
    settings: ObjectSchema(
      "indeed-feed settings",
      [
        FieldSchema("output", .string(.path), required: true, "The feed file, e.g. `public/indeed.xml`."),
        FieldSchema("publisher", .string(), "Feed `<publisher>`; default the organization's name."),
        FieldSchema("publisher_url", .string(.url), "Feed `<publisherurl>`; default the organization's URL."),
        FieldSchema(
          "job_url", .string(.urlPattern),
          "Job page URL pattern with `{name}` for the posting name, e.g. `https://jobs.acme.example/{name}.html`; default the posting's apply_url. When it points at a careers-site board's pages, a posting not on that board links to its apply_url instead."
        ),
      ]), needsCredential: false, syncObjects: [.postings])

  public let placementKind: ObjectKind = .job

  /// The feed's element names for a posting's location (the salary is one text element).
  static let names = PlacementFieldNames(
    streetAddress: "streetaddress", city: "city", region: "state", country: "country", postalCode: "postalcode")

  static let jobTypes = [
    "full_time": "fulltime", "part_time": "parttime", "contractor": "contract", "temporary": "temporary",
    "intern": "internship", "volunteer": "volunteer", "per_diem": "perdiem", "other": "other",
  ]

  public func problems(with posting: ResolvedPosting, today: CalendarDate) -> [PostingProblem] {
    let fields = posting.fields
    var problems = PostingText.commonProblems(fields, today: today)
    let location = fields.location
    if location?.city == nil && location?.remote != true {
      problems.append(PostingProblem(field: "location.city", "Indeed requires <city>: set location.city"))
    }
    if location?.country == nil {
      problems.append(PostingProblem(field: "location.country", "Indeed requires <country>: set location.country"))
    }
    if location?.region == nil && location?.remote != true {
      problems.append(
        PostingProblem(field: "location.region", "Indeed expects <state>: set location.region", severity: .warning))
    }
    // The raw setting, not the decoded settings: this runs once per posting.
    if fields.applyURL == nil && posting.board.settings?["job_url"]?.string == nil {
      problems.append(
        PostingProblem(
          field: "apply_url",
          "Indeed requires a job <url>: set apply_url on the posting, or settings.job_url on the board"))
    }
    let title = posting.title
    if let city = location?.city, TextSearch.contains(city, in: title, ignoringCase: true) {
      problems.append(
        PostingProblem(
          field: "title", "Indeed wants the title only; '\(title)' contains the city (use an override for this board)",
          severity: .warning))
    }
    if let currency = fields.salary?.currency, TextSearch.contains(currency, in: title) || title.utf8.contains(36) {
      problems.append(
        PostingProblem(field: "title", "Indeed rejects titles that contain the salary: '\(title)'"))
    }
    return problems
  }

  public func problems(with board: Board, in config: Config) -> [Diagnostic] {
    let settings = IndeedFeedSettings.of(board)
    var diagnostics: [Diagnostic] = []
    if config.workspace?.organization?.name == nil, settings.publisher == nil {
      diagnostics.append(
        .error(
          "board '\(board.name)' (indeed-feed) needs a company name: add a Workspace with organization: {name: ...}, or settings.publisher",
          at: board.source.location(of: "platform")))
    }
    // A job links to a careers page only when its posting is on that board; else to apply_url.
    if let pages = settings.pageBoard(among: config.boards) {
      let elsewhere = config.postings.filter { $0.boards.contains(board.name) && !$0.boards.contains(pages.name) }
      let resolver = elsewhere.isEmpty ? nil : PostingResolver(config: config)
      for posting in elsewhere where resolver?.resolve(posting, on: board).fields.applyURL == nil {
        diagnostics.append(
          .error(
            "posting '\(posting.name)' on board '\(board.name)' (indeed-feed): settings.job_url links to pages of board '\(pages.name)', which this posting is not on, and it has no apply_url, so its job has no page to link to: add '\(pages.name)' to its boards, or set apply_url",
            at: PostingChecker.boardLocation(board.name, in: posting)))
      }
    }
    return diagnostics
  }

  public func outputs(of board: Board) -> [String] { [IndeedFeedSettings.of(board).output] }

  public func connect(_ board: Board, environment: BoardEnvironment) throws -> any BoardConnection {
    try IndeedFeedBoard(board: board, environment: environment)
  }
}

struct IndeedFeedBoard: PlacementBoard {
  let board: Board
  let environment: BoardEnvironment
  let settings: IndeedFeedSettings
  let output: String
  let company: String
  /// The careers-site board `job_url` points at, if it does.
  let pageBoard: String?

  init(board: Board, environment: BoardEnvironment) throws {
    self.board = board
    self.environment = environment
    settings = IndeedFeedSettings.of(board)
    pageBoard = settings.pageBoard(among: environment.boards)?.name
    let setting = settings.output
    output = environment.resolve(setting)
    company = environment.workspace?.organization?.name ?? settings.publisher ?? ""
    if let reason = FileArtifacts.unwritableReason(output) {
      throw Diagnostic.error(
        "board '\(board.name)': cannot write the feed to '\(setting)': \(reason)",
        at: board.source.location(of: "settings.output"))
    }
  }

  func desired(_ posting: ResolvedPosting, context: PlacementContext) -> DesiredResource {
    let fields = posting.fields
    var a: Attributes = [:]
    a.set("title", posting.title)
    // The HTML is a pure function of the Markdown: reuse last apply's when the Markdown is unchanged,
    // so a no-op plan on thousands of postings never runs the Markdown renderer.
    let renderKey = ContentDigest.sha256(IndeedFeed.rendererVersion + "\u{0}" + posting.description)
    if let prior = context.prior, prior.renderKey == renderKey, let html = prior.attributes["description"] {
      a["description"] = html
    } else {
      a.set("description", PostingFeedHTML.clean(PostingText.html(fromMarkdown: posting.description)))
    }
    a.set("date", context.prior?.firstPublished ?? context.today.description)
    a.set("referencenumber", context.prior?.remoteID ?? posting.posting.name)
    a.set("requisitionid", posting.posting.name)
    // A job never links to a careers page that is absent: only a posting on that board has one.
    var note: String?
    if let pageBoard, !posting.posting.boards.contains(pageBoard) {
      a.set("url", fields.applyURL)
      note = "it links to its apply_url, not to a careers page: the posting is not on board '\(pageBoard)'"
    } else {
      a.set("url", settings.jobURL(for: posting.posting.name) ?? fields.applyURL)
    }
    a.set("company", company)
    a.set(fields.location, names: IndeedFeed.names)
    if fields.location?.remote == true { a.set("remotetype", "Fully remote") }
    var salary: Attributes = [:]
    salary.set(fields.salary, names: .dotted)
    a.set("salary", PostingText.salary(salary))
    a.set("jobtype", fields.employmentType.flatMap { IndeedFeed.jobTypes[$0] })
    a.set("expirationdate", fields.validThrough)
    // The feed is XML: a character it cannot carry is never written (the loader refuses them in
    // boards.d; this catches any a renderer adds), and state keeps the value as written.
    for (key, value) in a {
      if let text = value.stringValue, MarkupCharacters.firstForbidden(in: text) != nil {
        a[key] = .string(MarkupCharacters.removingForbidden(from: text))
      }
    }
    return DesiredResource(
      address: Address(board: board.name, object: .job, name: posting.posting.name), platform: IndeedFeed.id,
      attributes: a, renderKey: renderKey, onRemove: posting.posting.onRemove,
      source: posting.posting.source.root.location, note: note)
  }

  /// The feed's job elements, in the order Indeed documents them.
  static let elements = [
    "title", "date", "referencenumber", "requisitionid", "url", "company", "city", "state", "country", "postalcode",
    "streetaddress", "remotetype", "description", "salary", "jobtype", "expirationdate",
  ]

  func check() async -> ConnectionCheck {
    FileArtifacts.check(output: output, setting: settings.output, kind: "feed", folder: false) {
      FileArtifacts.read(output).flatMap(IndeedFeedParser.jobs(in:))?.count ?? 0
    } describe: {
      "\($0) job\($0 == 1 ? "" : "s")"
    }
  }

  func refresh(prior: [StateRecord]) async throws -> BoardReading {
    // The feed's size and modification time as apply left them, on every open record: when they
    // still match, the feed holds exactly those jobs and need not be parsed.
    let open = prior.filter { $0.status == .open }
    if !open.isEmpty, let stamp = FileArtifacts.stamp(output), open.allSatisfy({ $0.stamp == stamp }) {
      return BoardReading(resources: open.map { LiveResource(address: $0.address, attributes: $0.attributes) })
    }
    guard let text = FileArtifacts.read(output) else { return BoardReading() }
    guard let jobs = IndeedFeedParser.jobs(in: text) else {
      return BoardReading(warnings: [
        "the Indeed feed \(output) is not a feed boardctl can read; apply will rewrite it whole"
      ])
    }
    var byReference: [String: Address] = [:]
    for record in prior { if let ref = record.remoteID { byReference[ref] = record.address } }
    var reading = BoardReading()
    for job in jobs {
      guard let reference = job["referencenumber"] else { continue }
      let address = byReference[reference] ?? Address(board: board.name, object: .job, name: reference)
      var attributes: Attributes = [:]
      for (key, value) in job { attributes[key] = .string(value) }
      reading.resources.append(LiveResource(address: address, attributes: attributes))
    }
    return reading
  }

  func apply(
    _ changes: [PlannedChange], desired: [Address: DesiredResource], prior: [Address: StateRecord],
    journal: any ApplyJournal
  ) async throws -> [Address: StateRecord?] {
    // The feed is one file: compute the new set of open jobs, journal every action, write once.
    // Asked to stop before it starts, it writes nothing; once started, it is one short action.
    if journal.stopRequested { throw BoardApplyError(ApplyStopped().description, completed: [:]) }
    var result: [Address: StateRecord?] = [:]
    var entries: [(Int64, Address)] = []
    for change in changes {
      entries.append((try await journal.begin(change.address, action: change.action), change.address))
      let old = prior[change.address]
      switch change.action {
      case .create, .update, .import, .replace:
        guard let d = desired[change.address] else { continue }
        var attributes = d.attributes
        let date =
          old?.firstPublished ?? change.before?["date"]?.stringValue ?? attributes["date"]?.stringValue
          ?? environment.today.description
        attributes["date"] = .string(date)
        result[change.address] = StateRecord(
          address: change.address, platform: IndeedFeed.id, attributes: attributes, renderKey: d.renderKey,
          status: .open,
          onRemove: d.onRemove, remoteID: attributes["referencenumber"]?.stringValue, firstPublished: date,
          updatedAt: environment.now)
      case .close:
        if var record = old {
          record.status = .closed
          record.updatedAt = environment.now
          result[change.address] = record
        } else {
          result[change.address] = .some(nil)
        }
      case .delete, .forget:
        result[change.address] = .some(nil)
      }
    }
    var open: [Address: StateRecord] = [:]
    for (address, record) in prior where record.status == .open { open[address] = record }
    for (address, record) in result {
      if let record, record.status == .open { open[address] = record } else { open[address] = nil }
    }
    // A forgotten job stays published: it keeps its entry in the feed, unmanaged.
    for change in changes where change.action == .forget {
      if let record = prior[change.address] { open[change.address] = record }
    }
    do {
      try FileArtifacts.write(render(open.values.sorted { $0.address < $1.address }), to: output)
    } catch {
      let message = (error as? FileArtifacts.WriteError)?.description ?? "\(error)"
      for (entry, _) in entries { try? await journal.finish(entry, error: message) }
      throw BoardApplyError(message, completed: [:])
    }
    for (entry, _) in entries { try await journal.finish(entry, error: nil) }
    // Stamp every open record with the feed as written, so the next refresh can skip parsing.
    // A forgotten job stays in the feed unmanaged: leave the stamps stale so refresh reads the
    // feed and reports it.
    if !changes.contains(where: { $0.action == .forget }), let stamp = FileArtifacts.stamp(output) {
      for (address, var record) in open where record.stamp != stamp {
        record.stamp = stamp
        result[address] = record
      }
    }
    return result
  }

  func render(_ jobs: [StateRecord]) -> String {
    var xml = "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<source>\n"
    let publisher = settings.publisher ?? company
    let publisherURL = settings.publisherURL ?? environment.workspace?.organization?.url ?? ""
    xml += "<publisher>\(Escape.cdata(publisher))</publisher>\n"
    xml += "<publisherurl>\(Escape.cdata(publisherURL))</publisherurl>\n"
    xml += "<lastBuildDate>\(environment.now)</lastBuildDate>\n"
    for job in jobs {
      xml += "<job>\n"
      for element in Self.elements {
        guard let value = job.attributes[element]?.stringValue else { continue }
        xml += "<\(element)>\(Escape.cdata(value))</\(element)>\n"
      }
      xml += "</job>\n"
    }
    return xml + "</source>\n"
  }
}

/// Indeed forbids HTML entities in the feed; values travel in CDATA, so decode the ones the
/// Markdown renderer writes.
enum PostingFeedHTML {
  static func clean(_ html: String) -> String {
    guard html.contains("&") else { return html }
    return html.replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
      .replacingOccurrences(of: "&apos;", with: "'").replacingOccurrences(of: "&nbsp;", with: "\u{00A0}")
      .replacingOccurrences(of: "&amp;", with: "&")
  }
}
