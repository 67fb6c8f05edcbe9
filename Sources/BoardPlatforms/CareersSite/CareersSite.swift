import BoardCore
import BoardSpec
import BoardSupport
import Foundation
import Mustache

/// `platform: careers-site`: a static careers site. One HTML page per posting carrying schema.org
/// `JobPosting` JSON-LD for Google for Jobs, an index of open postings, and a sitemap.
public struct CareersSite: PostingPlatform {
  public init() {}

  public static let id = "careers-site"
  /// Bump when the built-in rendering changes, so every page is rewritten once.
  static let rendererVersion = "careers-site/3"

  public let descriptor = PlatformDescriptor(
    id: CareersSite.id, summary: "A static careers site with Google for Jobs structured data.",
    settings: ObjectSchema(
      "careers-site settings",
      [
        FieldSchema("output", .string(.path), required: true, "Folder the site is written to, e.g. `public/careers`."),
        FieldSchema("base_url", .string(.url), required: true, "Public URL the folder is served at."),
        FieldSchema("title", .string(), "Site title; default `Careers at <organization>`."),
        FieldSchema("language", .string(), default: "en", "Page language (`<html lang>`)."),
        FieldSchema(
          "layout", .string(.path),
          "Mustache layout for posting pages, replacing the built-in one; must include `{{{json_ld}}}`."),
        FieldSchema("index_layout", .string(.path), "Mustache layout for the index page."),
      ]), needsCredential: false, syncObjects: [.postings])

  public let placementKind: ObjectKind = .page

  public func replaceFields(of kind: ObjectKind) -> Set<String> { kind == .page ? ["path"] : [] }

  public func problems(with posting: ResolvedPosting, today: CalendarDate) -> [PostingProblem] {
    let fields = posting.fields
    var problems = PostingText.commonProblems(fields, today: today)
    let location = fields.location
    if location?.remote == true {
      if location?.country == nil {
        problems.append(
          PostingProblem(
            field: "location.country",
            "a remote job needs location.country: Google requires applicantLocationRequirements with TELECOMMUTE"))
      }
    } else {
      if location == nil {
        problems.append(
          PostingProblem(
            field: "location",
            "location is required by Google for Jobs (jobLocation); give city and country, or remote: true with a country"
          ))
      } else {
        if location?.city == nil && location?.streetAddress == nil {
          problems.append(
            PostingProblem(field: "location.city", "location.city is required by Google for Jobs (jobLocation.address)")
          )
        }
        if location?.country == nil {
          problems.append(
            PostingProblem(
              field: "location.country", "location.country is required by Google for Jobs (addressCountry)"))
        }
      }
    }
    if fields.employmentType == nil {
      problems.append(
        PostingProblem(
          field: "employment_type", "employment_type is recommended by Google for Jobs", severity: .warning))
    }
    if fields.validThrough == nil {
      problems.append(
        PostingProblem(field: "valid_through", "valid_through is recommended by Google for Jobs", severity: .warning))
    }
    return problems
  }

  public func problems(with board: Board, in config: Config) -> [Diagnostic] {
    guard config.workspace?.organization?.name == nil else { return [] }
    return [
      .error(
        "board '\(board.name)' (careers-site) needs the hiring organization: add a Workspace document with organization: {name: ...} (Google requires hiringOrganization)",
        at: board.source.location(of: "platform"))
    ]
  }

  public func outputs(of board: Board) -> [String] { [CareersSiteSettings.of(board).output] }

  public func connect(_ board: Board, environment: BoardEnvironment) throws -> any BoardConnection {
    try CareersSiteBoard(board: board, environment: environment)
  }
}

/// One careers-site board, with its layouts loaded.
struct CareersSiteBoard: PlacementBoard, DeclaredObjectsBoard {
  let board: Board
  let environment: BoardEnvironment
  let settings: CareersSiteSettings
  let output: String
  var baseURL: String { settings.baseURL }
  let page: MustacheTemplate
  let index: MustacheTemplate
  let renderKey: String
  /// The same for the index: its layout, besides the renderer.
  let indexRenderKey: String
  let words: PostingWords

  static let marker = "<script type=\"application/json\" id=\"boardctl-placement\">"

  init(board: Board, environment: BoardEnvironment) throws {
    self.board = board
    self.environment = environment
    let settings = CareersSiteSettings.of(board)
    self.settings = settings
    words = PostingWords(language: settings.language)
    let outputSetting = settings.output
    output = environment.resolve(outputSetting)
    let pageText =
      try Self.layout(settings.layout, board, key: "layout", environment: environment) ?? CareersSiteLayouts.page
    let indexText =
      try Self.layout(settings.indexLayout, board, key: "index_layout", environment: environment)
      ?? CareersSiteLayouts.index
    if !pageText.contains("json_ld") {
      throw Diagnostic.error(
        "the layout must include {{{json_ld}}} inside <script type=\"application/ld+json\">: Google for Jobs reads the posting from it",
        at: board.source.location(of: "settings.layout"))
    }
    page = try Self.compile(pageText, board: board, key: "layout")
    index = try Self.compile(indexText, board: board, key: "index_layout")
    if let reason = FileArtifacts.unwritableReason(output, folder: true) {
      throw Diagnostic.error(
        "board '\(board.name)': cannot write the site to '\(outputSetting)': \(reason)",
        at: board.source.location(of: "settings.output"))
    }
    renderKey = ContentDigest.sha256(
      CareersSite.rendererVersion + "\u{0}" + pageText + "\u{0}" + settings.language)
    indexRenderKey = ContentDigest.sha256(
      CareersSite.rendererVersion + "\u{0}" + indexText + "\u{0}" + settings.language)
  }

  static func layout(_ path: String?, _ board: Board, key: String, environment: BoardEnvironment) throws -> String? {
    guard let path else { return nil }
    guard let text = FileArtifacts.read(environment.resolve(path)) else {
      throw Diagnostic.error(
        "board '\(board.name)': cannot read \(key) file '\(path)'", at: board.source.location(of: "settings.\(key)"))
    }
    return text
  }

  static func compile(_ text: String, board: Board, key: String) throws -> MustacheTemplate {
    do {
      return try MustacheTemplate(string: text)
    } catch let error as MustacheTemplate.ParserError {
      throw Diagnostic.error(
        "board '\(board.name)': \(key) does not parse at line \(error.context.lineNumber), column \(error.context.columnNumber)",
        at: board.source.location(of: "settings.\(key)"))
    }
  }

  func pagePath(_ name: String) -> String { filePath(name + ".html") }

  /// A file of the site, as a path relative to the repository root (as state keeps it).
  func filePath(_ file: String) -> String {
    let folder = settings.output
    return (folder.hasSuffix("/") ? folder : folder + "/") + file
  }

  /// The site's files besides the pages, each a resource of its own, so an edit to either is
  /// drift like an edit to a page: `index.html` and `sitemap.xml`.
  enum SiteFile: String, CaseIterable {
    case index, sitemap

    var fileName: String { self == .index ? "index.html" : "sitemap.xml" }
  }

  func address(of file: SiteFile) -> Address { Address(board: board.name, object: .file, name: file.rawValue) }

  func declaredObjects() -> [DesiredResource] {
    SiteFile.allCases.map { file in
      DesiredResource(
        address: address(of: file), platform: CareersSite.id, attributes: ["path": .string(filePath(file.fileName))],
        renderKey: file == .index ? indexRenderKey : ContentDigest.sha256(CareersSite.rendererVersion),
        source: board.source.location(of: "settings.output"),
        origin: "the site lists its open postings in \(file.fileName)")
    }
  }

  /// What the file holds when it lists `open` pages.
  func render(_ file: SiteFile, open: [StateRecord]) -> String {
    file == .index ? renderIndex(open) : renderSitemap(open)
  }

  func desired(_ posting: ResolvedPosting, context: PlacementContext) -> DesiredResource {
    var a: Attributes = [:]
    let fields = posting.fields
    a.set("title", posting.title)
    a.set("description", posting.description)
    PostingText.common(fields, into: &a)
    a.set("direct_apply", posting.posting.directApply)
    a.set("date_posted", context.prior?.firstPublished ?? context.today.description)
    a.set("url", "\(baseURL)/\(posting.posting.name).html")
    a.set("path", pagePath(posting.posting.name))
    if let organization = posting.organization {
      a.set("organization.name", organization.name)
      a.set("organization.url", organization.url)
      a.set("organization.logo", organization.logo)
    }
    return DesiredResource(
      address: Address(board: board.name, object: .page, name: posting.posting.name), platform: CareersSite.id,
      attributes: a, renderKey: renderKey, onRemove: posting.posting.onRemove,
      source: posting.posting.source.root.location)
  }

  func check() async -> ConnectionCheck {
    FileArtifacts.check(output: output, setting: settings.output, kind: "site", folder: true) {
      ((try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []).filter {
        $0.hasSuffix(".html") && $0 != "index.html"
      }.count
    } describe: {
      "\($0) page\($0 == 1 ? "" : "s")"
    }
  }

  // MARK: Refresh

  func refresh(prior: [StateRecord]) async throws -> BoardReading {
    var byPath: [String: StateRecord] = [:]
    for record in prior {
      if let path = record.attributes["path"]?.stringValue { byPath[environment.resolve(path)] = record }
    }
    // One directory listing, then every page read and hashed, on all cores.
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: output)) ?? []
    let paths = entries.sorted().filter { $0.hasSuffix(".html") && $0 != "index.html" }.map { output + "/" + $0 }
    let known = byPath
    let resources = Parallel.map(paths) { path in self.readPage(path, prior: known[path]) }
    let open = prior.filter { $0.address.object == .page && $0.status == .open }
    let files = SiteFile.allCases.compactMap { file in
      readFile(file, prior: prior.first { $0.address == address(of: file) }, open: open)
    }
    return BoardReading(resources: resources.compactMap { $0 } + files)
  }

  /// The index or sitemap as found. Edited since boardctl wrote it: drift, with the lines that
  /// changed. Not in state yet (a site written before boardctl tracked these files): adopted.
  func readFile(_ file: SiteFile, prior record: StateRecord?, open: [StateRecord]) -> LiveResource? {
    let path = output + "/" + file.fileName
    if let record, let stamp = record.stamp, FileArtifacts.stamp(path) == stamp {
      return LiveResource(address: record.address, attributes: record.attributes, digest: record.digest)
    }
    guard let text = FileArtifacts.read(path) else { return nil }
    let digest = ContentDigest.sha256(text)
    guard let record else {
      return LiveResource(address: address(of: file), attributes: ["path": .string(filePath(file.fileName))])
    }
    guard record.digest != digest else {
      return LiveResource(address: record.address, attributes: record.attributes, digest: digest)
    }
    let details = FileArtifacts.lineDiff(wrote: render(file, open: open), found: text)
    return LiveResource(address: record.address, attributes: record.attributes, digest: digest, details: details)
  }

  /// A page as found: unchanged pages reuse the state's attributes; edited ones are parsed and diffed.
  func readPage(_ path: String, prior record: StateRecord?) -> LiveResource? {
    // Size and modification time as written: the page was not touched since, no need to read it.
    if let record, let stamp = record.stamp, FileArtifacts.stamp(path) == stamp {
      return LiveResource(address: record.address, attributes: record.attributes, digest: record.digest)
    }
    guard let text = FileArtifacts.read(path) else { return nil }
    let digest = ContentDigest.sha256(text)
    if let record, record.digest == digest {
      return LiveResource(address: record.address, attributes: record.attributes, digest: digest)
    }
    guard let (address, attributes) = Self.placement(in: text) else { return nil }  // not boardctl's page
    var details: [String] = []
    if let record, record.address == address {
      details = FileArtifacts.lineDiff(wrote: render(record.attributes, address: record.address), found: text)
    }
    return LiveResource(address: address, attributes: attributes, digest: digest, details: details)
  }

  /// The placement block boardctl embeds in every page it writes: its ownership tag.
  static func placement(in page: String) -> (Address, Attributes)? {
    guard let start = page.range(of: marker),
      let end = page.range(of: "</script>", range: start.upperBound..<page.endIndex)
    else { return nil }
    let json = page[start.upperBound..<end.lowerBound]
    struct Block: Decodable {
      var address: Address
      var attributes: Attributes
    }
    guard let block = try? JSONDecoder().decode(Block.self, from: Data(json.utf8)) else { return nil }
    return (block.address, block.attributes)
  }

  // MARK: Rendering

  func render(_ a: Attributes, address: Address) -> String {
    let descriptionHTML = PostingText.html(fromMarkdown: a["description"]?.stringValue ?? "")
    let datePosted = a["date_posted"]?.stringValue ?? ""
    var context: [String: Any] = [
      "title": a["title"]?.stringValue ?? "",
      "description_html": descriptionHTML,
      "json_ld": CareersSiteJSONLD.script(a, descriptionHTML: descriptionHTML),
      "language": settings.language,
      "site_url": baseURL + "/",
      // Links between the site's own pages are relative, so the folder works wherever it is
      // opened (a preview, a file:// URL, a sub-path); only the canonical link is absolute.
      "index_url": "index.html",
      "site_title": siteTitle(a["organization.name"]?.stringValue),
      "location_text": words.location(a),
      "date_posted": datePosted,
      "date_posted_text": words.date(datePosted),
      "url": a["url"]?.stringValue ?? "",
    ]
    context["employment_type_text"] = a["employment_type"]?.stringValue.flatMap { PostingText.employmentTypeLabels[$0] }
    context["salary_text"] = PostingText.salary(a)
    if let validThrough = a["valid_through"]?.stringValue {
      context["valid_through"] = validThrough
      context["valid_through_text"] = words.date(validThrough)
    }
    context["apply_url"] = a["apply_url"]?.stringValue
    context["organization"] = organization(
      name: a["organization.name"]?.stringValue, url: a["organization.url"]?.stringValue,
      logo: a["organization.logo"]?.stringValue)
    var html = page.render(context)
    let block = Self.marker + Self.placementJSON(address: address, attributes: a) + "</script>\n"
    if let body = html.range(of: "</body>", options: .backwards) {
      html.insert(contentsOf: block, at: body.lowerBound)
    } else {
      html += block
    }
    return html
  }

  func siteTitle(_ organization: String?) -> String {
    settings.title ?? "Careers at \(organization ?? "us")"
  }

  /// The `organization` a layout sees, when the name is known.
  func organization(name: String?, url: String?, logo: String?) -> [String: Any]? {
    guard let name else { return nil }
    var organization: [String: Any] = ["name": name]
    organization["url"] = url
    organization["logo"] = logo
    return organization
  }

  static func placementJSON(address: Address, attributes: Attributes) -> String {
    struct Block: Encodable {
      var address: Address
      var attributes: Attributes
    }
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys]
    let data = (try? encoder.encode(Block(address: address, attributes: attributes))) ?? Data()
    // `<`, `>` and `&` escaped: no value can end the block early (`</script>`) or open a comment.
    return EmbeddedJSON.escaped(String(decoding: data, as: UTF8.self))
  }

  func renderIndex(_ open: [StateRecord]) -> String {
    let sorted = open.filter { $0.address.object == .page }.sorted {
      let (a, b) = ($0.attributes["title"]?.stringValue ?? "", $1.attributes["title"]?.stringValue ?? "")
      return a == b ? $0.address < $1.address : a < b
    }
    var jobs: [[String: Any]] = []
    var groups: [String: [[String: Any]]] = [:]
    for record in sorted {
      let location = words.location(record.attributes)
      var job: [String: Any] = [
        "title": record.attributes["title"]?.stringValue ?? record.address.name,
        "url": record.address.name + ".html",
        "location_text": location,
      ]
      job["employment_type_text"] = record.attributes["employment_type"]?.stringValue.flatMap {
        PostingText.employmentTypeLabels[$0]
      }
      job["salary_text"] = PostingText.salary(record.attributes)
      jobs.append(job)
      groups[location, default: []].append(job)
    }
    // Postings grouped by where the work is, places in alphabetical order, remote work last.
    let places = groups.keys.sorted { a, b in
      let (remoteA, remoteB) = (a.hasPrefix("Remote"), b.hasPrefix("Remote"))
      return remoteA == remoteB ? a.localizedStandardCompare(b) == .orderedAscending : !remoteA
    }
    let locations: [[String: Any]] = places.map { place in
      let jobs = groups[place]!
      return ["location_text": place, "jobs": jobs, "count": jobs.count, "count_text": words.openPositions(jobs.count)]
    }
    let first = sorted.first?.attributes
    let organization = organization(
      name: first?["organization.name"]?.stringValue ?? environment.workspace?.organization?.name,
      url: first?["organization.url"]?.stringValue ?? environment.workspace?.organization?.url,
      logo: first?["organization.logo"]?.stringValue ?? environment.workspace?.organization?.logo)
    var context: [String: Any] = [
      "jobs": jobs, "locations": locations, "language": settings.language,
      "site_title": siteTitle(organization?["name"] as? String), "site_url": baseURL + "/", "index_url": "index.html",
    ]
    // Absent rather than 0, so `{{#count}}` hides the line when nothing is open.
    if !jobs.isEmpty {
      context["count"] = jobs.count
      context["count_text"] = words.openPositions(jobs.count)
    }
    context["organization"] = organization
    return index.render(context)
  }

  func renderSitemap(_ open: [StateRecord]) -> String {
    var xml =
      "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<urlset xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n"
    let pages = open.filter { $0.address.object == .page }
    let lastmod = pages.map { String($0.updatedAt.prefix(10)) }.max() ?? environment.today.description
    xml += "  <url><loc>\(Escape.xml(baseURL + "/"))</loc><lastmod>\(lastmod)</lastmod></url>\n"
    for record in pages.sorted(by: { $0.address < $1.address }) {
      let url = record.attributes["url"]?.stringValue ?? ""
      xml += "  <url><loc>\(Escape.xml(url))</loc><lastmod>\(record.updatedAt.prefix(10))</lastmod></url>\n"
    }
    return xml + "</urlset>\n"
  }

  // MARK: Apply

  func apply(
    _ changes: [PlannedChange], desired: [Address: DesiredResource], prior: [Address: StateRecord],
    journal: any ApplyJournal
  ) async throws -> [Address: StateRecord?] {
    var result: [Address: StateRecord?] = [:]
    // Pages written are saved to state every so often, not only when the board is done: after a
    // kill midway, the next plan sees them as written instead of as conflicts.
    var unsaved: [Address: StateRecord?] = [:]
    var lastSave = ContinuousClock.now
    var stopped = false
    var failure: String?
    for change in changes where change.address.object != .file {
      if journal.stopRequested {
        stopped = true
        break
      }
      let entry = try await journal.begin(change.address, action: change.action)
      do {
        let record = try perform(change, desired: desired[change.address], prior: prior[change.address])
        result[change.address] = record
        unsaved[change.address] = record
        try await journal.finish(entry, error: nil)
      } catch {
        let message = (error as? FileArtifacts.WriteError)?.description ?? "\(error)"
        try? await journal.finish(entry, error: message)
        failure = message
        break
      }
      if unsaved.count >= Self.saveEvery || ContinuousClock.now - lastSave >= Self.saveInterval {
        try await journal.save(unsaved)
        unsaved = [:]
        lastSave = ContinuousClock.now
      }
    }
    // The index and sitemap list what is open once this board's pages are done, even when one
    // failed or apply was asked to stop: they never list a page that is not there.
    try await writeSiteFiles(
      changes.filter { $0.address.object == .file }, prior: prior, into: &result, journal: journal)
    if let failure { throw BoardApplyError(failure, completed: result) }
    if stopped { throw BoardApplyError(ApplyStopped().description, completed: result) }
    return result
  }

  /// Writes `index.html` and `sitemap.xml` for the pages open after `result`, records them, and
  /// journals the planned changes to them.
  private func writeSiteFiles(
    _ changes: [PlannedChange], prior: [Address: StateRecord], into result: inout [Address: StateRecord?],
    journal: any ApplyJournal
  ) async throws {
    var open: [Address: StateRecord] = [:]
    for (address, record) in prior where record.status == .open && address.object == .page { open[address] = record }
    for (address, record) in result where address.object == .page {
      if let record, record.status == .open { open[address] = record } else { open[address] = nil }
    }
    var entries: [Int64] = []
    for change in changes { entries.append(try await journal.begin(change.address, action: change.action)) }
    let declared = Dictionary(uniqueKeysWithValues: declaredObjects().map { ($0.address, $0) })
    var written: [Address: StateRecord?] = [:]
    do {
      for file in SiteFile.allCases {
        let path = output + "/" + file.fileName
        let text = render(file, open: Array(open.values))
        try FileArtifacts.write(text, to: path)
        let address = address(of: file)
        written[address] = StateRecord(
          address: address, platform: CareersSite.id, attributes: declared[address]?.attributes ?? [:],
          renderKey: declared[address]?.renderKey, digest: ContentDigest.sha256(text),
          stamp: FileArtifacts.stamp(path), status: .open, remoteID: filePath(file.fileName), updatedAt: environment.now
        )
      }
    } catch {
      let message = (error as? FileArtifacts.WriteError)?.description ?? "\(error)"
      for entry in entries { try? await journal.finish(entry, error: message) }
      throw BoardApplyError(message, completed: result)
    }
    result.merge(written) { $1 }
    for entry in entries { try await journal.finish(entry, error: nil) }
  }

  /// How many written pages, or how long, before their records are saved to state mid-board: a
  /// save is one transaction (SQLite, PostgreSQL) or one commit (git), so not one per page.
  static let saveEvery = 200
  static let saveInterval = Duration.seconds(1)

  /// Removes a page this board wrote, by the path state recorded (never one read from a page,
  /// which anyone who can commit to the output folder could plant), and only a page inside the
  /// board's output folder, links followed.
  private func removePage(_ path: String) throws {
    let target = environment.resolve(path)
    guard path.hasSuffix(".html"), RealPath.isInside(target, folder: output) else {
      throw FileArtifacts.WriteError(
        description: "refusing to remove '\(path)': it is not a page inside the board's output folder '\(output)'")
    }
    try FileArtifacts.remove(target)
  }

  private func perform(_ change: PlannedChange, desired: DesiredResource?, prior: StateRecord?) throws -> StateRecord? {
    switch change.action {
    case .create, .update, .import, .replace:
      guard let desired else { return prior }
      if change.action == .replace, let old = prior?.attributes["path"]?.stringValue {
        try removePage(old)
      }
      var attributes = desired.attributes
      let firstPublished =
        prior?.firstPublished ?? change.before?["date_posted"]?.stringValue ?? attributes["date_posted"]?.stringValue
        ?? environment.today.description
      attributes["date_posted"] = .string(firstPublished)
      let path = attributes["path"]?.stringValue ?? pagePath(change.address.name)
      let html = render(attributes, address: change.address)
      try FileArtifacts.write(html, to: environment.resolve(path))
      return StateRecord(
        address: change.address, platform: CareersSite.id, attributes: attributes, renderKey: desired.renderKey,
        digest: ContentDigest.sha256(html), stamp: FileArtifacts.stamp(environment.resolve(path)), status: .open,
        onRemove: desired.onRemove, remoteID: path,
        firstPublished: firstPublished, updatedAt: environment.now)
    case .close, .delete:
      if let path = prior?.attributes["path"]?.stringValue {
        try removePage(path)
      }
      guard change.action == .close, var record = prior else { return nil }
      record.status = .closed
      record.digest = nil
      record.stamp = nil
      record.updatedAt = environment.now
      return record
    case .forget:
      return nil
    }
  }
}
