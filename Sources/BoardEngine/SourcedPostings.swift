import BoardCore
import BoardPlatforms
import BoardSpec
import BoardSync

/// Postings made by sync rules whose target is a board's `postings`: each record the rule's
/// source offers (a Manatal job its filter selects) becomes a posting named `<rule>-<id>`,
/// published on the target board and planned with the postings of `boards.d`. A record that
/// leaves the source (a job closed, unpublished) leaves the desired state, so its placement is
/// closed. Read on every plan, one request per page of the source.
struct SourcedPostings: Sendable {
  var placements: [ResolvedPosting] = []
  /// Rules whose source could not be read: their placements are left as they are.
  var held: [SyncRule] = []
  /// Placements whose record is still in the source but fails the board's rules: left as they
  /// are, not closed.
  var heldAddresses: Set<Address> = []
  var warnings: [String] = []
  /// By posting name: what made it, for the plan's reason.
  var origins: [String: String] = [:]
  /// Placements past their `valid_through`: closed where published, never published again.
  var expired: [ResolvedPosting] = []

  static func rules(_ config: Config) -> [SyncRule] {
    config.syncRules.filter { $0.target.object == SyncObjectSchema.postings.name }
  }

  /// Whether `address` is a placement a postings rule made (its name starts with the rule's).
  static func isMade(_ address: Address, by rule: SyncRule) -> Bool {
    address.board == rule.target.board && address.name.hasPrefix(rule.name + "-")
  }

  static func read(
    _ workspace: CheckedWorkspace, connections: [String: any BoardConnection], unopened: [String: String]
  ) async throws -> SourcedPostings {
    var result = SourcedPostings()
    // The board's default template applies as it does to the postings of boards.d.
    let resolver = PostingResolver(config: workspace.config)
    for rule in rules(workspace.config) {
      guard unopened[rule.source.board] == nil, let source = connections[rule.source.board] as? any SyncRecordBoard,
        let board = workspace.config.board(named: rule.target.board)
      else {
        result.held.append(rule)
        result.warnings.append(
          "sync rule '\(rule.name)': board '\(rule.source.board)' was not read, so the postings the rule made are left as they are"
        )
        continue
      }
      let records: [SyncRecord]
      do {
        records = try await source.records(rule.source.object, since: nil, filter: rule.source.filter)
      } catch {
        throw EngineError.unreadable(rule, error)
      }
      let mapper = SyncMapper(rule: rule)
      let platform = workspace.platforms[board.platform] as? any PostingPlatform
      for record in records.sorted(by: { $0.id < $1.id }) {
        let name = "\(rule.name)-\(Self.slug(record.id))"
        if workspace.placements.contains(where: { $0.board.name == board.name && $0.posting.name == name }) {
          throw EngineError.user(
            "sync rule '\(rule.name)' would make posting '\(name)' on board '\(board.name)', which boards.d already defines: rename the rule or the posting",
            diagnostics: [
              .error(
                "sync rule '\(rule.name)' would make posting '\(name)', which boards.d already defines",
                at: rule.document.location(of: "name"))
            ])
        }
        let fields = Self.fields(mapper.values(of: record))
        let posting = Posting(name: name, fields: fields, boards: [board.name], source: rule.document)
        let resolved = resolver.resolve(posting, on: board)
        result.origins[name] =
          "made by sync rule \(rule.name) from \(rule.source.board) \(rule.source.object) record \(record.id)"
        if let date = resolved.expiry, date < workspace.environment.today {
          result.expired.append(resolved)
          result.warnings.append(
            "sync rule '\(rule.name)': \(rule.source.board) record \(record.id) expired on \(resolved.fields.validThrough ?? "?") (valid_through): it is closed on '\(board.name)' and not published again"
          )
          continue
        }
        let problems = platform?.problems(with: resolved, today: workspace.environment.today) ?? []
        if let problem = problems.first(where: { $0.severity == .error }) {
          result.warnings.append(
            "sync rule '\(rule.name)': \(rule.source.board) record \(record.id) is not published on \(board.name) (an earlier version stays as it is): \(problem.field): \(problem.message)"
          )
          if let kind = platform?.placementKind {
            result.heldAddresses.insert(Address(board: board.name, object: kind, name: name))
          }
          continue
        }
        result.placements.append(resolved)
      }
    }
    return result
  }

  /// A record id as part of a posting name: lowercase letters, digits and `-`.
  static func slug(_ id: String) -> String {
    String(id.lowercased().map { $0.isLetter || $0.isNumber ? $0 : "-" })
  }

  /// Target values (`title`, `location.city`, `salary.min`, …) as posting fields.
  static func fields(_ values: [String: String]) -> PostingFields {
    var location: Location?
    if values.keys.contains(where: { $0.hasPrefix("location.") }) {
      location = Location(
        city: values["location.city"], region: values["location.region"], country: values["location.country"],
        postalCode: values["location.postal_code"],
        remote: ["true", "yes", "1"].contains(values["location.remote"]?.lowercased() ?? ""))
    }
    var salary: Salary?
    if let currency = values["salary.currency"], let period = values["salary.period"] {
      salary = Salary(
        min: values["salary.min"].flatMap(Double.init), max: values["salary.max"].flatMap(Double.init),
        currency: currency, period: period)
    }
    return PostingFields(
      title: values["title"], description: values["description"], employmentType: values["employment_type"],
      location: location, salary: salary, validThrough: values["valid_through"].map { String($0.prefix(10)) },
      applyURL: values["apply_url"])
  }
}
