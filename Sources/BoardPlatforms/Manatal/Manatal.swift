import BoardCore
import BoardSpec
import BoardSupport
import Foundation

/// `platform: manatal`: postings become jobs in the Manatal ATS (Open API v3), and Manahook
/// webhook registrations declared in the board's settings are managed beside them.
public struct Manatal: PostingPlatform {
  public init() {}

  public static let id = "manatal"
  static let defaultEndpoint = "https://api.manatal.com/open/v3"
  static let defaultHooksEndpoint = "https://manahook.api.manatal.com/v1"
  /// The documented limit: 100 requests per 60 s per token.
  static let documentedLimit = (requests: 100, seconds: 60)

  /// Manahook's (model, action) pairs (FACTS.md).
  static let webhookPairs: [(model: String, action: String)] = [
    ("candidate", "create"), ("candidate", "update"), ("contact", "create"), ("contact", "update"),
    ("match", "create"), ("match", "moved"), ("job", "status_update"),
  ]

  public let descriptor = PlatformDescriptor(
    id: Manatal.id, summary: "Jobs in the Manatal ATS (Open API v3), and Manahook webhook registrations.",
    settings: ObjectSchema(
      "manatal settings",
      RemoteBoard.settings(
        endpoint: Manatal.defaultEndpoint, limit: Manatal.documentedLimit.requests,
        window: Manatal.documentedLimit.seconds)
        + [
          FieldSchema(
            "organization", .string(), required: true,
            "The hiring organization's name in Manatal; jobs are created under it."),
          FieldSchema(
            "create_organization", .boolean, default: "false",
            "Create the organization when Manatal has none by that name (else plan fails and says so)."),
          FieldSchema(
            "platform_owned", .array(.enumeration(ManatalJob.ownableFields)), default: "[status]",
            "Job fields recruiters own in Manatal: their edits are never drift and never reverted."),
          FieldSchema(
            "custom_fields", .map(.string()),
            "Values boardctl keeps in each job's `custom_fields` (other keys there are left as they are)."),
          FieldSchema(
            "webhooks_endpoint", .string(.url), default: Manatal.defaultHooksEndpoint,
            "The Manahook service's base URL."),
          FieldSchema(
            "webhooks",
            .array(
              .object(
                ObjectSchema(
                  "Manahook webhook",
                  [
                    FieldSchema(
                      "model", .enumeration(["candidate", "contact", "match", "job"]), required: true,
                      "What the event is about."),
                    FieldSchema(
                      "action", .enumeration(["create", "update", "moved", "status_update"]), required: true,
                      "Which change: candidate/contact create|update, match create|moved, job status_update."),
                    FieldSchema("target_url", .string(.url), required: true, "Where Manahook delivers the event."),
                  ]))),
            "Manahook registrations boardctl manages (created, replaced, removed by plan and apply)."),
        ]), needsCredential: true, credentialFields: ["token"],
    syncObjects: Manatal.syncObjects)

  public let placementKind: ObjectKind = .job

  /// Manahook has no update: a changed registration is replaced.
  public func replaceFields(of kind: ObjectKind) -> Set<String> {
    kind == .webhook ? ["model", "action", "target_url"] : []
  }

  public func problems(with posting: ResolvedPosting, today: CalendarDate) -> [PostingProblem] {
    var problems = PostingText.commonProblems(posting.fields, today: today)
    if posting.title.count > 255 {
      problems.append(
        PostingProblem(
          field: "title",
          "Manatal allows 255 characters in a job's title (position_name); this has \(posting.title.count)"))
    }
    if let type = posting.fields.employmentType, ManatalJob.contracts[type] == nil {
      problems.append(
        PostingProblem(
          field: "employment_type",
          "Manatal has no contract type for '\(type)'; the job is created without contract_details",
          severity: .warning))
    }
    return problems
  }

  public func problems(with board: Board, in config: Config) -> [Diagnostic] {
    var diagnostics: [Diagnostic] = []
    var seen: Set<String> = []
    for (index, hook) in ManatalSettings.of(board).webhooks.enumerated() {
      let (model, action) = (hook.value.model, hook.value.action)
      let location = hook.location
      if !Self.webhookPairs.contains(where: { $0.model == model && $0.action == action }) {
        let valid = Self.webhookPairs.filter { $0.model == model }.map(\.action)
        diagnostics.append(
          .error(
            "Manahook has no '\(model)/\(action)' event\(valid.isEmpty ? "" : "; for \(model) use \(valid.joined(separator: " or "))")",
            at: location))
      }
      if !seen.insert("\(model)/\(action)").inserted {
        diagnostics.append(
          .error(
            "webhook \(index + 1) registers \(model)/\(action) a second time; one registration per event", at: location)
        )
      }
    }
    return diagnostics
  }

  public func platformOwned(_ board: Board) -> Set<String> { ManatalSettings.of(board).owned }

  /// The token goes to the Open API and to Manahook.
  static let defaultHosts = CredentialHosts([defaultEndpoint, defaultHooksEndpoint])

  public func credentialDestinations(of board: Board) -> CredentialDestinations? {
    let settings = ManatalSettings.of(board)
    var destinations: [CredentialDestinations.Destination] = [
      .init(key: "settings.endpoint", url: settings.remote.endpoint ?? Self.defaultEndpoint)
    ]
    // Manahook is reached only for declared webhooks (or ones state still has, which the
    // client's own check covers when they are removed).
    if !settings.webhooks.isEmpty || settings.webhooksEndpointIsSet {
      destinations.append(.init(key: "settings.webhooks_endpoint", url: settings.webhooksEndpoint))
    }
    return CredentialDestinations(defaultHosts: Self.defaultHosts, destinations: destinations)
  }

  public func connect(_ board: Board, environment: BoardEnvironment) throws -> any BoardConnection {
    ManatalBoard(board: board, environment: environment)
  }
}

/// How a posting maps to a Manatal job, and a job back to attributes.
enum ManatalJob {
  /// Posting `employment_type` → Manatal `contract_details`.
  static let contracts = [
    "full_time": "full_time", "part_time": "part_time", "contractor": "contractor", "temporary": "temporary",
    "intern": "internship",
  ]

  /// The job fields boardctl manages, as attribute keys (custom fields add `custom_fields.KEY`).
  static let fields = [
    "position_name", "description", "contract_details", "address", "city", "state", "country", "zipcode", "is_remote",
    "salary_min", "salary_max", "currency", "frequency", "is_salary_visible", "expected_close_at", "is_published",
    "status", "organization", "external_id",
  ]
  static let numbers: Set<String> = ["salary_min", "salary_max"]
  static let bools: Set<String> = ["is_remote", "is_salary_visible", "is_published"]
  /// Fields a board may declare platform-owned (`owner` is never sent, so always Manatal's).
  static let ownableFields =
    fields.filter { $0 != "external_id" && $0 != "organization" } + ["owner", "custom_fields"]

  /// Manatal's names for a posting's location and salary fields.
  static let names = PlacementFieldNames(
    streetAddress: "address", city: "city", region: "state", country: "country", postalCode: "zipcode",
    remote: "is_remote", salaryMin: "salary_min", salaryMax: "salary_max", currency: "currency", period: "frequency")

  /// The job a posting asks for.
  static func attributes(
    _ posting: ResolvedPosting, organization: String, tag: String, customFields: [(String, String)]
  ) -> Attributes {
    var a: Attributes = [:]
    let fields = posting.fields
    a.set("position_name", posting.title)
    a.set("description", PostingText.html(fromMarkdown: posting.description))
    a.set("contract_details", fields.employmentType.flatMap { contracts[$0] })
    a.set(fields.location, names: names)
    a.set("is_remote", fields.location?.remote ?? false)
    a.set(fields.salary, names: names)
    a.set("is_salary_visible", fields.salary != nil)
    a.set("expected_close_at", fields.validThrough)
    a.set("is_published", true)
    a.set("status", "active")
    a.set("organization", organization)
    a.set("external_id", tag)
    for (key, value) in customFields { a.set("custom_fields.\(key)", value) }
    return a
  }

  /// A job as Manatal holds it, in the same attributes; only what boardctl manages is read, so
  /// everything else recruiters keep there is never drift.
  static func attributes(_ job: JSONValue, organizations: [Int: String], customKeys: [String]) -> Attributes {
    var a: Attributes = [:]
    for key in fields where key != "organization" {
      if numbers.contains(key) {
        a.set(key, job[key]?.double)
      } else if bools.contains(key) {
        a.set(key, job[key]?.bool)
      } else {
        a.set(key, job[key]?.string)
      }
    }
    if let id = job["organization"]?.int ?? job["organization"]?["id"]?.int {
      a.set("organization", organizations[id] ?? "#\(id)")
    }
    let custom = job["custom_fields"]
    for key in customKeys { a.set("custom_fields.\(key)", custom?[key]?.string) }
    return a
  }

  /// The request body that sets `keys` to their values in `attributes` (absent ones to null).
  static func body(_ attributes: Attributes, keys: [String], organizationID: Int?) -> [String: JSONValue] {
    var body: [String: JSONValue] = [:]
    for key in keys where !key.hasPrefix("custom_fields.") {
      if key == "organization" {
        body[key] = organizationID.map { .number(Double($0)) } ?? .null
        continue
      }
      switch attributes[key] {
      case .string(let text)?: body[key] = .string(text)
      case .number(let number)?: body[key] = .number(number)
      case .bool(let flag)?: body[key] = .bool(flag)
      case .null?, .sensitive?, nil: body[key] = .null
      }
    }
    return body
  }

  /// The ownership tag: a stable id from the workspace and the address.
  static func tag(workspace: String, address: Address) -> String { "boardctl:\(workspace):\(address)" }
}
