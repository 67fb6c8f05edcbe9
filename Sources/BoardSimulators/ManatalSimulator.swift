import Foundation
import Hummingbird
import NIOCore

/// A loopback simulator of the Manatal Open API v3 (FACTS.md, section Manatal): token auth,
/// trailing-slash paths, DRF paging and errors, the documented filters, a per-token rate limit,
/// and injected faults. It keeps its own data, so tests and rehearsals can look at what a client
/// really did (`GET /_sim/stats`).
public final class ManatalSimulator: Sendable {
  public struct Configuration: Sendable {
    public var token = "sim-token"
    /// Requests allowed per token in a rolling window; the real API allows 100 per 60 s.
    public var rateLimit = 100
    public var rateWindow: Duration = .seconds(60)
    /// Send `Retry-After` with 429 (the real API does not document one).
    public var sendRetryAfter = false
    /// Injected faults: the share of requests answered 500/502/503, and 429 regardless of the limit.
    public var serverErrorRate = 0.0
    public var throttleRate = 0.0
    /// Added latency per request.
    public var latency: Duration = .zero

    public init() {}
  }

  public let configuration: Configuration
  let store = ManatalStore()

  public init(configuration: Configuration = Configuration()) {
    self.configuration = configuration
  }

  static let basePath = "/open/v3"

  public func respond(to request: Request, context: BasicRequestContext) async throws -> Response {
    let path = request.uri.path
    if path.hasPrefix("/_sim/") { return try await inspect(path) }
    guard path.hasPrefix(Self.basePath + "/") else { return Self.detail(.notFound, "Not found.") }
    if configuration.latency > .zero { try await Task.sleep(for: configuration.latency) }
    guard let authorization = request.headers[.authorization] else {
      return Self.detail(.unauthorized, "Authentication credentials were not provided.")
    }
    guard authorization == "Token \(configuration.token)" else { return Self.detail(.unauthorized, "Invalid token.") }
    let allowed = await store.admit(
      token: configuration.token, limit: configuration.rateLimit, window: configuration.rateWindow)
    if !allowed || Double.random(in: 0..<1) < configuration.throttleRate {
      await store.count("throttled")
      var headers: HTTPFields = [:]
      if configuration.sendRetryAfter { headers[.retryAfter] = "1" }
      return SimulatorServer.json(.tooManyRequests, ["detail": "Request was throttled."], headers: headers)
    }
    if Double.random(in: 0..<1) < configuration.serverErrorRate {
      await store.count("server_errors")
      return Self.detail([.internalServerError, .badGateway, .serviceUnavailable].randomElement()!, "Server error.")
    }
    // Every Manatal path ends in "/"; a missing slash is a client bug worth seeing.
    guard path.hasSuffix("/") else { return Self.detail(.notFound, "Not found.") }
    let parts = path.dropFirst(Self.basePath.count).split(separator: "/").map(String.init)
    let body = try await request.body.collect(upTo: 4 * 1024 * 1024)
    let json =
      body.readableBytes == 0 ? nil : try? JSONDecoder().decode(JSONValue.self, from: Data(body.readableBytesView))
    let query = request.uri.queryParameters
    let base = "http://\(request.head.authority ?? "127.0.0.1")\(Self.basePath)"

    switch (request.method, parts.count) {
    case (.get, 1) where ["users", "organizations", "jobs"].contains(parts[0]):
      return await list(parts[0], query: query, base: base)
    case (.post, 1) where ["organizations", "jobs"].contains(parts[0]):
      guard case .object(let fields)? = json else { return Self.detail(.badRequest, "JSON parse error.") }
      return await create(parts[0], fields)
    case (.get, 2):
      guard let id = Int(parts[1]), let object = await store.object(parts[0], id) else {
        return Self.detail(.notFound, "Not found.")
      }
      return SimulatorServer.json(.ok, object)
    case (.patch, 2):
      guard let id = Int(parts[1]) else { return Self.detail(.notFound, "Not found.") }
      guard case .object(let fields)? = json else { return Self.detail(.badRequest, "JSON parse error.") }
      if let errors = Self.validate(parts[0], fields, partial: true, organizations: await store.ids("organizations")) {
        return SimulatorServer.json(.badRequest, errors)
      }
      guard let updated = await store.update(parts[0], id, fields) else { return Self.detail(.notFound, "Not found.") }
      return SimulatorServer.json(.ok, updated)
    case (.delete, 2):
      guard let id = Int(parts[1]), await store.delete(parts[0], id) else {
        return Self.detail(.notFound, "Not found.")
      }
      return Response(status: .noContent)
    default:
      return Self.detail(.notFound, "Not found.")
    }
  }

  private func list(_ collection: String, query: Parameters, base: String) async -> Response {
    var objects = await store.all(collection)
    if let externalID = query["external_id"].map(String.init) {
      objects = objects.filter { $0["external_id"]?.string == externalID }
    }
    if let name = query["position_name"].map(String.init) {
      objects = objects.filter { $0["position_name"]?.string?.localizedCaseInsensitiveContains(name) == true }
    }
    if let since = query["updated_at__gte"].map(String.init) {
      objects = objects.filter { ($0["updated_at"]?.string ?? "") >= since }
    }
    let pageSize = min(max(Int(query["page_size"].map(String.init) ?? "") ?? 10, 1), 100)
    let page = Int(query["page"].map(String.init) ?? "1") ?? 0
    let pages = max((objects.count + pageSize - 1) / pageSize, 1)
    guard page >= 1, page <= pages else { return Self.detail(.notFound, "Invalid page.") }
    let slice = Array(objects.dropFirst((page - 1) * pageSize).prefix(pageSize))
    func link(_ number: Int) -> JSONValue {
      var parameters = query.map { ($0.key, $0.value) }.filter { $0.0 != "page" }.map { "\($0.0)=\($0.1)" }
      parameters.append("page=\(number)")
      return .string("\(base)/\(collection)/?\(parameters.sorted().joined(separator: "&"))")
    }
    let envelope: JSONValue = .object([
      "count": .number(Double(objects.count)),
      "next": page < pages ? link(page + 1) : .null,
      "previous": page > 1 ? link(page - 1) : .null,
      "results": .array(slice),
    ])
    return SimulatorServer.json(.ok, envelope)
  }

  private func create(_ collection: String, _ fields: [String: JSONValue]) async -> Response {
    if let errors = Self.validate(collection, fields, partial: false, organizations: await store.ids("organizations")) {
      return SimulatorServer.json(.badRequest, errors)
    }
    return SimulatorServer.json(.created, await store.insert(collection, fields))
  }

  static let jobStatuses = ["active", "on_hold", "won", "lost"]
  static let contracts = [
    "full_time", "part_time", "temporary", "freelance", "internship", "apprenticeship", "contractor", "consultancy",
  ]
  static let frequencies = ["hour", "day", "week", "month", "year"]

  /// DRF-style field errors, or nil when the fields are acceptable.
  static func validate(_ collection: String, _ fields: [String: JSONValue], partial: Bool, organizations: Set<Int>)
    -> [String: [String]]?
  {
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
    switch collection {
    case "organizations":
      required("name")
    case "jobs":
      required("position_name")
      required("organization")
      if let name = fields["position_name"]?.string, name.count > 255 {
        errors["position_name", default: []].append("Ensure this field has no more than 255 characters.")
      }
      if let organization = fields["organization"], organization != .null {
        if let id = organization.int, !organizations.contains(id) {
          errors["organization", default: []].append("Invalid pk \"\(id)\" - object does not exist.")
        } else if organization.int == nil {
          errors["organization", default: []].append("Incorrect type. Expected pk value.")
        }
      }
      choice("status", jobStatuses)
      choice("contract_details", contracts)
      choice("frequency", frequencies)
      if let date = fields["expected_close_at"]?.string,
        date.range(of: #"^\d{4}-\d{2}-\d{2}$"#, options: .regularExpression) == nil
      {
        errors["expected_close_at", default: []].append("Date has wrong format. Use YYYY-MM-DD.")
      }
    default:
      break
    }
    return errors.isEmpty ? nil : errors
  }

  static func detail(_ status: HTTPResponse.Status, _ message: String) -> Response {
    SimulatorServer.json(status, ["detail": message])
  }

  /// What tests and rehearsals may look at: counts per `external_id`, requests, throttles, faults.
  private func inspect(_ path: String) async throws -> Response {
    guard path == "/_sim/stats" else { return Self.detail(.notFound, "Not found.") }
    return SimulatorServer.json(.ok, await store.stats())
  }
}

/// The simulator's data and counters.
actor ManatalStore {
  private var collections: [String: [Int: [String: JSONValue]]] = [
    "users": [1: ["id": .number(1), "email": .string("admin@sim.example"), "full_name": .string("Sim Admin")]]
  ]
  private var nextID = 100
  private var counters: [String: Int] = [:]
  private var admitted: [ContinuousClock.Instant] = []

  func admit(token: String, limit: Int, window: Duration) -> Bool {
    let now = ContinuousClock.now
    admitted.removeAll { $0 <= now - window }
    counters["requests", default: 0] += 1
    guard admitted.count < limit else { return false }
    admitted.append(now)
    return true
  }

  func count(_ key: String) { counters[key, default: 0] += 1 }

  func all(_ collection: String) -> [JSONValue] {
    (collections[collection] ?? [:]).sorted { $0.key < $1.key }.map { .object($0.value) }
  }

  func ids(_ collection: String) -> Set<Int> { Set((collections[collection] ?? [:]).keys) }

  func object(_ collection: String, _ id: Int) -> JSONValue? { collections[collection]?[id].map { .object($0) } }

  func insert(_ collection: String, _ fields: [String: JSONValue]) -> JSONValue {
    nextID += 1
    let now = Self.timestamp()
    var object = fields
    object["id"] = .number(Double(nextID))
    object["created_at"] = .string(now)
    object["updated_at"] = .string(now)
    if collection == "jobs" && object["status"] == nil { object["status"] = .string("active") }
    collections[collection, default: [:]][nextID] = object
    return .object(object)
  }

  /// PATCH semantics: given fields replace stored ones; `custom_fields` is replaced whole, as the
  /// real API does.
  func update(_ collection: String, _ id: Int, _ fields: [String: JSONValue]) -> JSONValue? {
    guard var object = collections[collection]?[id] else { return nil }
    for (key, value) in fields where key != "id" { object[key] = value }
    object["updated_at"] = .string(Self.timestamp())
    collections[collection]?[id] = object
    return .object(object)
  }

  func delete(_ collection: String, _ id: Int) -> Bool {
    collections[collection]?.removeValue(forKey: id) != nil
  }

  func stats() -> JSONValue {
    var perExternalID: [String: JSONValue] = [:]
    for job in (collections["jobs"] ?? [:]).values {
      if let id = job["external_id"]?.string {
        perExternalID[id] = .number(
          (perExternalID[id].flatMap { if case .number(let n) = $0 { return n } else { return nil } } ?? 0) + 1)
      }
    }
    return .object([
      "jobs": .number(Double(collections["jobs"]?.count ?? 0)),
      "jobs_per_external_id": .object(perExternalID),
      "counters": .object(counters.mapValues { .number(Double($0)) }),
    ])
  }

  static func timestamp() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: Date())
  }
}
