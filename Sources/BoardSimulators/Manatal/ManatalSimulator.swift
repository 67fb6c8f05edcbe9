import BoardSupport
import Foundation
import Hummingbird
import NIOCore

/// A loopback simulator of the Manatal Open API v3 and its Manahook webhook service
/// (FACTS.md, section Manatal): token auth, trailing-slash paths, DRF paging and errors, the
/// documented filters, a per-token rate limit, and injected faults, including a connection reset
/// after a write was committed. It keeps its own data, so tests and rehearsals can look at what a
/// client really did (`GET /_sim/stats`).
public final class ManatalSimulator: Sendable {
  public struct Configuration: Sendable {
    public var token = "sim-token"
    /// Requests allowed per token in a rolling window; the real API allows 100 per 60 s.
    public var rateLimit = 100
    public var rateWindow: Duration = .seconds(60)
    /// Send `Retry-After` with 429 (the real API does not document one).
    public var sendRetryAfter = false
    /// Injected faults, for every request or per endpoint.
    public var faults = SimulatorFaults()
    /// Objects to start with, by collection (`organizations`, `jobs`, `candidates`, `users`).
    public var seed: [String: [JSONValue]] = [:]

    public init() {}

    /// The share of requests answered 500/502/503 (every endpoint).
    public var serverErrorRate: Double {
      get { faults.all.serverError }
      set { faults.all.serverError = newValue }
    }
    /// The share of requests answered 429 regardless of the limit (every endpoint).
    public var throttleRate: Double {
      get { faults.all.throttle }
      set { faults.all.throttle = newValue }
    }
    /// Latency added to every request.
    public var latency: Duration {
      get { .milliseconds(faults.all.latencyMs) }
      set {
        faults.all.latencyMs = Int(
          newValue.components.seconds * 1000 + newValue.components.attoseconds / 1_000_000_000_000_000)
      }
    }
  }

  public let configuration: Configuration
  let store: ManatalStore
  let traffic: SimulatorTraffic
  let gate: SimulatorGate

  public init(configuration: Configuration = Configuration()) {
    self.configuration = configuration
    store = ManatalStore(seed: configuration.seed)
    traffic = SimulatorTraffic(faults: configuration.faults)
    let sendRetryAfter = configuration.sendRetryAfter
    gate = SimulatorGate(
      traffic: traffic,
      refusals: .init(
        throttled: {
          var headers: HTTPFields = [:]
          if sendRetryAfter { headers[.retryAfter] = "1" }
          return SimulatorServer.json(.tooManyRequests, ["detail": "Request was throttled."], headers: headers)
        },
        forbidden: { Self.detail(.forbidden, "You do not have permission to perform this action.") },
        serverError: { Self.detail($0, "Server error.") }))
  }

  static let basePath = "/open/v3"
  static let hooksPath = "/v1"

  public func respond(to request: Request, context: SimulatorContext) async throws -> Response {
    let path = request.uri.path
    if path.hasPrefix("/_sim/") { return try await inspect(request, path: path) }
    let isAPI = path.hasPrefix(Self.basePath + "/")
    guard isAPI || path.hasPrefix(Self.hooksPath + "/") else { return Self.detail(.notFound, "Not found.") }
    guard let authorization = request.headers[.authorization] else {
      return Self.detail(.unauthorized, "Authentication credentials were not provided.")
    }
    guard authorization == "Token \(configuration.token)" else { return Self.detail(.unauthorized, "Invalid token.") }
    // Counted on arrival, as a server's throttle does.
    return try await gate.pass(
      request, context: context, endpoint: "\(request.method.rawValue) \(Self.pattern(path))",
      caller: configuration.token, limit: configuration.rateLimit, window: configuration.rateWindow
    ) { body in
      let json =
        body.readableBytes == 0 ? nil : try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
      let base = "http://\(request.head.authority ?? "127.0.0.1")"
      return isAPI
        ? await manatal(request.method, path: path, query: request.uri.queryParameters, json: json, base: base)
        : await manahook(request.method, path: path, json: json)
    }
  }

  /// `POST /open/v3/jobs/12/notes/` → `POST /open/v3/jobs/{id}/notes/`, for counters.
  static func pattern(_ path: String) -> String {
    path.split(separator: "/", omittingEmptySubsequences: false).map { Int($0) != nil ? "{id}" : String($0) }
      .joined(separator: "/")
  }

  // MARK: Open API v3

  static let collections: Set<String> = [
    "users", "organizations", "jobs", "candidates", "matches", "match-stages", "job-pipelines", "contacts",
  ]
  static let writable: Set<String> = ["organizations", "jobs", "candidates", "matches", "contacts"]
  static let noteParents: Set<String> = ["candidates", "jobs", "matches", "organizations", "contacts"]

  func manatal(_ method: HTTPRequest.Method, path: String, query: Parameters, json: JSONValue?, base: String) async
    -> Response
  {
    // Every Manatal path ends in "/"; a missing slash is a client bug worth seeing.
    guard path.hasSuffix("/") else { return Self.detail(.notFound, "Not found.") }
    let parts = path.dropFirst(Self.basePath.count).split(separator: "/").map(String.init)
    guard let collection = parts.first, Self.collections.contains(collection) else {
      return Self.detail(.notFound, "Not found.")
    }
    let fields: [String: JSONValue]? = {
      if case .object(let fields)? = json { return fields }
      return nil
    }()
    let apiBase = base + Self.basePath
    switch (method, parts.count) {
    case (.get, 1):
      return await list(collection, query: query, base: apiBase + "/\(collection)/")
    case (.post, 1):
      guard Self.writable.contains(collection) else { return Self.notAllowed(method) }
      guard let fields else { return Self.detail(.badRequest, "JSON parse error.") }
      return await create(collection, fields)
    case (.get, 2):
      guard let id = Int(parts[1]), let object = await store.object(collection, id) else {
        return Self.detail(.notFound, "Not found.")
      }
      return SimulatorServer.json(.ok, object)
    case (.patch, 2):
      guard Self.writable.contains(collection) else { return Self.notAllowed(method) }
      guard let id = Int(parts[1]), await store.object(collection, id) != nil else {
        return Self.detail(.notFound, "Not found.")
      }
      guard let fields else { return Self.detail(.badRequest, "JSON parse error.") }
      if let errors = await validate(collection, fields, partial: true) {
        return SimulatorServer.json(.badRequest, errors)
      }
      guard let updated = await store.update(collection, id, fields) else {
        return Self.detail(.notFound, "Not found.")
      }
      return SimulatorServer.json(.ok, updated)
    case (.delete, 2):
      guard Self.writable.contains(collection) else { return Self.notAllowed(method) }
      guard let id = Int(parts[1]), await store.delete(collection, id) else {
        return Self.detail(.notFound, "Not found.")
      }
      return Response(status: .noContent)
    case (.get, 3) where parts[2] == "matches" && (collection == "jobs" || collection == "candidates"):
      guard let id = Int(parts[1]), await store.object(collection, id) != nil else {
        return Self.detail(.notFound, "Not found.")
      }
      let key = collection == "jobs" ? "job" : "candidate"
      return await list("matches", query: query, base: apiBase + "/\(collection)/\(id)/matches/", where: (key, id))
    case (_, 3) where parts[2] == "notes" && Self.noteParents.contains(collection):
      guard let id = Int(parts[1]), await store.object(collection, id) != nil else {
        return Self.detail(.notFound, "Not found.")
      }
      if method == .get {
        // Nested lists are bare arrays, not the paging envelope (FACTS.md).
        return SimulatorServer.json(.ok, JSONValue.array(await store.notes("\(collection)/\(id)")))
      }
      guard method == .post else { return Self.notAllowed(method) }
      guard let info = fields?["info"]?.string, !info.isEmpty else {
        return SimulatorServer.json(.badRequest, ["info": ["This field is required."]])
      }
      return SimulatorServer.json(.created, await store.addNote("\(collection)/\(id)", info: info))
    default:
      return Self.detail(.notFound, "Not found.")
    }
  }

  private func list(
    _ collection: String, query: Parameters, base: String, where scope: (String, Int)? = nil
  ) async -> Response {
    var objects = await store.all(collection)
    if let (key, id) = scope { objects = objects.filter { $0[key]?.int == id } }
    for (name, value) in query where name != "page" && name != "page_size" {
      let (name, value) = (String(name), String(value))
      objects = objects.filter { Self.matches($0, filter: name, value: value) }
    }
    let pageSize = min(max(Int(query["page_size"].map(String.init) ?? "") ?? 10, 1), 100)
    let page = Int(query["page"].map(String.init) ?? "1") ?? 0
    let pages = max((objects.count + pageSize - 1) / pageSize, 1)
    guard page >= 1, page <= pages else { return Self.detail(.notFound, "Invalid page.") }
    let slice = Array(objects.dropFirst((page - 1) * pageSize).prefix(pageSize))
    func link(_ number: Int) -> JSONValue {
      var parameters = query.filter { $0.key != "page" }.map { "\($0.key)=\($0.value)" }
      parameters.append("page=\(number)")
      return .string("\(base)?\(parameters.sorted().joined(separator: "&"))")
    }
    let envelope: JSONValue = .object([
      "count": .number(Double(objects.count)),
      "next": page < pages ? link(page + 1) : .null,
      "previous": page > 1 ? link(page - 1) : .null,
      "results": .array(slice),
    ])
    return SimulatorServer.json(.ok, envelope)
  }

  /// Django-style filters: exact match, `__gte`, `__lte`, `__in`, `_id` for relations, and a
  /// partial match on names.
  static func matches(_ object: JSONValue, filter: String, value: String) -> Bool {
    func text(_ key: String) -> String? {
      switch object[key] {
      case .string(let s)?: return s
      case .number(let n)?: return n == n.rounded() ? String(Int(n)) : String(n)
      case .bool(let b)?: return b ? "true" : "false"
      case .object(let o)?: return o["id"].flatMap { $0.int.map(String.init) }
      default: return nil
      }
    }
    if filter.hasSuffix("__gte") { return (text(String(filter.dropLast(5))) ?? "") >= value }
    if filter.hasSuffix("__lte") { return (text(String(filter.dropLast(5))) ?? "~") <= value }
    if filter.hasSuffix("__in") {
      return value.split(separator: ",").map(String.init).contains(text(String(filter.dropLast(4))) ?? "")
    }
    if ["position_name", "full_name", "name"].contains(filter) {
      return text(filter)?.localizedCaseInsensitiveContains(value) == true
    }
    let key = filter.hasSuffix("_id") && filter != "external_id" ? String(filter.dropLast(3)) : filter
    return text(key) == value
  }

  private func create(_ collection: String, _ fields: [String: JSONValue]) async -> Response {
    if let errors = await validate(collection, fields, partial: false) {
      return SimulatorServer.json(.badRequest, errors)
    }
    if collection == "matches", let candidate = fields["candidate"]?.int, let job = fields["job"]?.int,
      await store.all("matches").contains(where: { $0["candidate"]?.int == candidate && $0["job"]?.int == job })
    {
      return SimulatorServer.json(
        .badRequest, ["non_field_errors": ["The fields candidate, job must make a unique set."]])
    }
    return SimulatorServer.json(.created, await store.insert(collection, fields))
  }

  static let jobStatuses = ["active", "on_hold", "won", "lost"]
  static let contracts = [
    "full_time", "part_time", "temporary", "freelance", "internship", "apprenticeship", "contractor", "consultancy",
  ]
  static let frequencies = ["hour", "day", "week", "month", "year"]
  static let sourceTypes = ["agency", "applied", "other", "referred", "sourced"]

  /// DRF-style field errors, or nil when the fields are acceptable.
  func validate(_ collection: String, _ fields: [String: JSONValue], partial: Bool) async -> [String: [String]]? {
    var errors: [String: [String]] = [:]
    func required(_ key: String) {
      if !partial && (fields[key] == nil || fields[key] == .null) {
        errors[key, default: []].append("This field is required.")
      }
    }
    func choice(_ key: String, _ allowed: [String]) {
      if let value = fields[key], value != .null, !(value.string.map(allowed.contains) ?? false) {
        errors[key, default: []].append("\"\(value.string ?? "?")\" is not a valid choice.")
      }
    }
    func reference(_ key: String, _ target: String) async {
      guard let value = fields[key], value != .null else { return }
      guard let id = value.int else {
        errors[key, default: []].append("Incorrect type. Expected pk value.")
        return
      }
      if await store.object(target, id) == nil {
        errors[key, default: []].append("Invalid pk \"\(id)\" - object does not exist.")
      }
    }
    switch collection {
    case "organizations":
      required("name")
    case "jobs":
      required("position_name")
      required("organization")
      if let name = fields["position_name"]?.string, name.count > 255 {
        errors["position_name", default: []].append("Ensure this field has no more than 255 characters.")
      }
      await reference("organization", "organizations")
      choice("status", Self.jobStatuses)
      choice("contract_details", Self.contracts)
      choice("frequency", Self.frequencies)
      if let date = fields["expected_close_at"]?.string,
        date.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil
      {
        errors["expected_close_at", default: []].append("Date has wrong format. Use YYYY-MM-DD.")
      }
      if let custom = fields["custom_fields"], custom != .null, case .object = custom {
      } else if fields["custom_fields"]
        != nil && fields["custom_fields"] != .null
      {
        errors["custom_fields", default: []].append("Value must be valid JSON object.")
      }
    case "candidates":
      required("full_name")
      choice("source_type", Self.sourceTypes)
    case "matches":
      required("candidate")
      required("job")
      await reference("candidate", "candidates")
      await reference("job", "jobs")
      if let stage = fields["job_pipeline_stage"], stage != .null {
        guard let id = stage["id"]?.int ?? stage.int, await store.stage(id) != nil else {
          errors["job_pipeline_stage", default: []].append("Invalid stage.")
          return errors
        }
      }
    default:
      break
    }
    return errors.isEmpty ? nil : errors
  }

  // MARK: Manahook

  func manahook(_ method: HTTPRequest.Method, path: String, json: JSONValue?) async -> Response {
    let parts = path.dropFirst(Self.hooksPath.count).split(separator: "/").map(String.init)
    guard parts.first == "webhooks", path.hasSuffix("/") else { return Self.detail(.notFound, "Not Found") }
    switch (method, parts.count) {
    case (.get, 1):
      return SimulatorServer.json(.ok, JSONValue.array(await store.webhooks()))
    case (.post, 1):
      guard case .object(let fields)? = json else {
        return Self.unprocessable([("body", "field required")])
      }
      var problems: [(String, String)] = []
      for key in ["model", "action", "target_url"] where fields[key]?.string == nil {
        problems.append((key, "field required"))
      }
      if let model = fields["model"]?.string, let action = fields["action"]?.string,
        !Self.webhookPairs.contains(where: { $0 == (model, action) })
      {
        problems.append(("action", "unsupported event \(model)/\(action)"))
      }
      if let url = fields["target_url"]?.string, URL(string: url)?.scheme?.hasPrefix("http") != true {
        problems.append(("target_url", "invalid or missing URL scheme"))
      }
      guard problems.isEmpty else { return Self.unprocessable(problems) }
      return SimulatorServer.json(.created, await store.addWebhook(fields))
    case (.delete, 2):
      guard await store.deleteWebhook(parts[1]) else { return Self.detail(.notFound, "Not Found") }
      return Response(status: .noContent)
    default:
      return Self.detail(.methodNotAllowed, "Method Not Allowed")
    }
  }

  static let webhookPairs: [(String, String)] = [
    ("candidate", "create"), ("candidate", "update"), ("contact", "create"), ("contact", "update"),
    ("match", "create"), ("match", "moved"), ("job", "status_update"),
  ]

  /// FastAPI's validation answer: 422 with `{"detail": [{loc, msg, type}]}`.
  static func unprocessable(_ problems: [(String, String)]) -> Response {
    let detail: [JSONValue] = problems.map { field, message in
      .object([
        "loc": .array([.string("body"), .string(field)]), "msg": .string(message), "type": .string("value_error"),
      ])
    }
    return SimulatorServer.json(.unprocessableContent, JSONValue.object(["detail": .array(detail)]))
  }

  static func detail(_ status: HTTPResponse.Status, _ message: String) -> Response {
    SimulatorServer.json(status, ["detail": message])
  }

  static func notAllowed(_ method: HTTPRequest.Method) -> Response {
    detail(.methodNotAllowed, "Method \"\(method.rawValue)\" not allowed.")
  }

  // MARK: Inspection

  /// What tests and rehearsals may use without a token or the rate limit: `GET /_sim/stats`
  /// (counts per `external_id`, requests per endpoint, throttles, faults), `PUT /_sim/faults`
  /// (change faults while running), and `POST /_sim/edit/{collection}/{id}/` (an edit made in
  /// Manatal's own UI, as a recruiter would).
  private func inspect(_ request: Request, path: String) async throws -> Response {
    let body = try await request.body.collect(upTo: 1024 * 1024)
    let data = Data(body.readableBytesView)
    let parts = path.split(separator: "/").map(String.init)
    switch (request.method, parts.count > 1 ? parts[1] : "") {
    case (.get, "stats"):
      var stats = await traffic.stats()
      stats.merge(await store.stats()) { _, new in new }
      return SimulatorServer.json(.ok, JSONValue.object(stats))
    case (.put, "faults"):
      guard let faults = try? JSONDecoder().decode(SimulatorFaults.self, from: data) else {
        return Self.detail(.badRequest, "expected {\"all\": {...}, \"endpoints\": {...}}")
      }
      await traffic.setFaults(faults)
      return SimulatorServer.json(.ok, faults)
    case (.post, "edit") where parts.count == 4:
      guard let id = Int(parts[3]), case .object(let fields)? = try? JSONDecoder().decode(JSONValue.self, from: data),
        let updated = await store.update(parts[2], id, fields)
      else { return Self.detail(.notFound, "Not found.") }
      return SimulatorServer.json(.ok, updated)
    default:
      return Self.detail(.notFound, "Not found.")
    }
  }
}
