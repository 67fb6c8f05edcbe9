import BoardPlatforms
import BoardSpec
import Foundation

/// `boardctl init`: a new workspace in an empty repository, valid as written: the Workspace,
/// the two file boards (careers site and Indeed feed), a template, one posting, the JSON Schema
/// editors validate them with, and `.gitignore` lines for state and saved plans.
public struct WorkspaceScaffold: Sendable {
  /// The Workspace's `name`: lowercase letters, digits and `-`.
  public var name: String
  public var organization: String
  public var organizationURL: String
  /// Where the careers site will be served.
  public var baseURL: String
  public var today: CalendarDate

  public init(name: String, organization: String, organizationURL: String, baseURL: String, today: CalendarDate) {
    self.name = name
    self.organization = organization
    self.organizationURL = organizationURL
    self.baseURL = baseURL.hasSuffix("/") ? String(baseURL.dropLast()) : baseURL
    self.today = today
  }

  /// A document name from a folder's name: `Acme Careers` → `acme-careers`.
  public static func documentName(from folder: String) -> String {
    var name = ""
    for character in folder.lowercased() {
      if character.isASCII && (character.isLetter || character.isNumber) {
        name.append(character)
      } else if !name.isEmpty && !name.hasSuffix("-") {
        name.append("-")
      }
    }
    name = String(name.prefix(63))
    while name.hasSuffix("-") { name.removeLast() }
    return name.isEmpty ? "careers" : name
  }

  /// The configuration's files, by path relative to the config folder.
  public var files: [(path: String, text: String)] {
    let posting = "example-engineer"
    let closes = Self.adding(days: 60, to: today)
    return [
      (
        "workspace.yaml",
        """
        kind: Workspace
        name: \(name)
        # State: what boardctl last applied. sqlite keeps it in a file beside the repository's
        # work; for CI use {backend: git} (a branch of this repository) or {backend: postgres}.
        state: {backend: sqlite, path: .boardctl/state.db}
        organization:
          name: \(Self.quoted(organization))
          url: \(Self.quoted(organizationURL))

        """
      ),
      (
        "boards.yaml",
        """
        # Two file boards: no network and no credentials. `boardctl apply` writes public/.
        kind: Board
        name: careers
        platform: careers-site
        settings:
          output: public/careers
          base_url: \(Self.quoted(baseURL))
        defaults: {template: standard}
        ---
        kind: Board
        name: indeed
        platform: indeed-feed
        settings:
          output: public/indeed.xml
          # A job links to its careers page while the posting is on the careers board.
          job_url: \(Self.quoted(baseURL + "/{name}.html"))

        """
      ),
      (
        "templates.yaml",
        """
        kind: Template
        name: standard
        title: "{{title}}"
        description: |
          {{{description}}}

          {{#apply_url}}Apply at {{apply_url}}.{{/apply_url}}

        """
      ),
      (
        "postings/\(posting).yaml",
        """
        # One file per posting is easiest to review. `boardctl plan` shows what changes.
        kind: Posting
        name: \(posting)
        title: Example Engineer
        description: |
          Replace this with the job: what the work is, who the team is, what you offer.

          - What the person will do
          - What they need to bring
        employment_type: full_time   # full_time | part_time | contractor | temporary | intern | ...
        location: {city: Springfield, region: Oregon, country: US}
        salary: {min: 90000, max: 120000, currency: USD, period: year}
        valid_through: \(closes)   # closed automatically after this day
        apply_url: \(Self.quoted(organizationURL.hasSuffix("/") ? organizationURL + "jobs" : organizationURL + "/jobs"))
        boards: [careers, indeed]

        """
      ),
    ]
  }

  /// Writes the configuration into `config` (a folder in the repository `root`), and the schema
  /// and `.gitignore` lines into `root`; returns the paths written, relative to `root`. Refuses,
  /// writing nothing, when `config` already holds any file: init never overwrites a configuration.
  public func write(to root: String, config: String) throws -> [String] {
    if let existing = FileManager.default.enumerator(atPath: config)?.allObjects as? [String],
      let first = existing.sorted().first(where: { !$0.hasPrefix(".") })
    {
      throw EngineError.user(
        "\(config) already holds a configuration (\(first)); boardctl init only starts an empty one, and overwrites nothing"
      )
    }
    var written: [String] = []
    let prefix = root.hasSuffix("/") ? root : root + "/"
    for (path, text) in files {
      let file = config + "/" + path
      try SecretFiles.writeDocument(text, to: file, root: root)
      written.append(file.hasPrefix(prefix) ? String(file.dropFirst(prefix.count)) : file)
    }
    let schema = root + "/schema/boards.schema.json"
    if !FileManager.default.fileExists(atPath: schema) {
      try Self.write(JSONSchemaExporter.export(platforms: Platforms.descriptors), to: schema)
      written.append("schema/boards.schema.json")
    }
    if try Self.ignore([".boardctl/", "*.plan"], in: root + "/.gitignore") { written.append(".gitignore") }
    return written
  }

  /// Adds the `lines` that `.gitignore` lacks; true when it changed.
  static func ignore(_ lines: [String], in path: String) throws -> Bool {
    let existing = FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    let present = Set(existing.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) })
    let missing = lines.filter { !present.contains($0) }
    guard !missing.isEmpty else { return false }
    let separator = existing.isEmpty || existing.hasSuffix("\n") ? "" : "\n"
    let header = "# boardctl: local state and saved plans\n"
    try write(existing + separator + header + missing.joined(separator: "\n") + "\n", to: path)
    return true
  }

  static func write(_ text: String, to path: String) throws {
    do {
      try FileManager.default.createDirectory(
        atPath: URL(fileURLWithPath: path).deletingLastPathComponent().path, withIntermediateDirectories: true)
      try Data(text.utf8).write(to: URL(fileURLWithPath: path), options: .atomic)
    } catch {
      throw EngineError.user("cannot write '\(path)': \(error.localizedDescription)")
    }
  }

  /// A YAML scalar for `text`: plain when that reads back as the same string, else quoted.
  static func quoted(_ text: String) -> String {
    let plain = text.range(of: #"^[A-Za-z0-9][A-Za-z0-9 ._/:-]*$"#, options: .regularExpression) != nil
    let special = text.contains(": ") || text.hasSuffix(":") || text.contains(" #")
    if plain && !special && !["true", "false", "null", "yes", "no", "on", "off"].contains(text.lowercased()) {
      return text
    }
    let data = (try? JSONEncoder().encode(text)) ?? Data("\"\"".utf8)
    return String(decoding: data, as: UTF8.self)
  }

  /// `date` plus `days`, in UTC.
  static func adding(days: Int, to date: CalendarDate) -> CalendarDate {
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let start = calendar.date(from: DateComponents(year: date.year, month: date.month, day: date.day))!
    let end = calendar.dateComponents(
      [.year, .month, .day], from: calendar.date(byAdding: .day, value: days, to: start)!)
    return CalendarDate(year: end.year!, month: end.month!, day: end.day!)
  }
}
