import BoardSupport
import Foundation

/// The Manatal simulator's data.
actor ManatalStore {
  private var collections: [String: [Int: [String: JSONValue]]] = [:]
  private var hooks: [String: [String: JSONValue]] = [:]
  private var notesByParent: [String: [JSONValue]] = [:]
  private var nextID = 100

  init(seed: [String: [JSONValue]]) {
    collections["users"] = [
      1: ["id": .number(1), "email": .string("admin@sim.example"), "full_name": .string("Sim Admin")]
    ]
    // One hiring pipeline, as a new Manatal account has.
    let names = ["Applied", "Screening", "Interview", "Offer", "Hired"]
    let pipeline: JSONValue = .object(["id": .number(1), "name": .string("Default Pipeline")])
    var stages: [Int: [String: JSONValue]] = [:]
    for (index, name) in names.enumerated() {
      stages[index + 1] = [
        "id": .number(Double(index + 1)), "name": .string(name), "rank": .number(Double(index + 1)),
        "job_pipeline": pipeline,
      ]
    }
    collections["match-stages"] = stages
    collections["job-pipelines"] = [
      1: [
        "id": .number(1), "name": .string("Default Pipeline"),
        "job_pipeline_stages": .array(stages.keys.sorted().map { .object(stages[$0]!) }),
      ]
    ]
    for (collection, objects) in seed {
      for case .object(let fields) in objects {
        var object = fields
        let next = nextID + 1
        let id = fields["id"]?.int ?? next
        nextID = max(nextID, id)
        object["id"] = .number(Double(id))
        object["created_at"] = object["created_at"] ?? .string(Self.timestamp())
        object["updated_at"] = object["updated_at"] ?? object["created_at"]
        if collection == "jobs" && object["status"] == nil { object["status"] = .string("active") }
        collections[collection, default: [:]][id] = object
      }
    }
  }

  func all(_ collection: String) -> [JSONValue] {
    (collections[collection] ?? [:]).sorted { $0.key < $1.key }.map { .object($0.value) }
  }

  func object(_ collection: String, _ id: Int) -> JSONValue? { collections[collection]?[id].map { .object($0) } }

  func stage(_ id: Int) -> JSONValue? { object("match-stages", id) }

  func insert(_ collection: String, _ fields: [String: JSONValue]) -> JSONValue {
    nextID += 1
    let now = Self.timestamp()
    var object = fields
    object["id"] = .number(Double(nextID))
    object["created_at"] = .string(now)
    object["updated_at"] = .string(now)
    switch collection {
    case "jobs":
      if object["status"] == nil || object["status"] == .null { object["status"] = .string("active") }
      if object["custom_fields"] == nil || object["custom_fields"] == .null { object["custom_fields"] = .object([:]) }
    case "matches":
      let stageID = object["job_pipeline_stage"]?["id"]?.int ?? object["job_pipeline_stage"]?.int ?? 1
      setStage(&object, stageID)
      object["is_active"] = .bool(true)
    default:
      break
    }
    collections[collection, default: [:]][nextID] = object
    return .object(object)
  }

  private func setStage(_ object: inout [String: JSONValue], _ id: Int) {
    guard case .object(let stage)? = self.stage(id) else { return }
    object["job_pipeline_stage"] = .object(stage)
    object["stage"] = .object(["name": stage["name"] ?? .null])
    if stage["name"] == .string("Hired") { object["hired_at"] = .string(Self.timestamp()) }
    if stage["name"] == .string("Offer") { object["offer_at"] = .string(Self.timestamp()) }
    if stage["name"] == .string("Interview") { object["interview_at"] = .string(Self.timestamp()) }
  }

  /// PATCH semantics: given fields replace stored ones; `custom_fields` is replaced whole, as the
  /// real API does; a match's `job_pipeline_stage: {id}` moves it.
  func update(_ collection: String, _ id: Int, _ fields: [String: JSONValue]) -> JSONValue? {
    guard var object = collections[collection]?[id] else { return nil }
    for (key, value) in fields where key != "id" { object[key] = value }
    if collection == "matches",
      let stage = fields["job_pipeline_stage"]?["id"]?.int ?? fields["job_pipeline_stage"]?.int
    {
      setStage(&object, stage)
    }
    object["updated_at"] = .string(Self.timestamp())
    collections[collection]?[id] = object
    return .object(object)
  }

  func delete(_ collection: String, _ id: Int) -> Bool {
    collections[collection]?.removeValue(forKey: id) != nil
  }

  func notes(_ parent: String) -> [JSONValue] { notesByParent[parent] ?? [] }

  func addNote(_ parent: String, info: String) -> JSONValue {
    nextID += 1
    let note: JSONValue = .object([
      "id": .number(Double(nextID)), "info": .string(info), "created_at": .string(Self.timestamp()),
    ])
    notesByParent[parent, default: []].append(note)
    return note
  }

  func webhooks() -> [JSONValue] {
    hooks.values.sorted {
      ($0["created_at"]?.string ?? "", $0["id"]?.string ?? "") < (
        $1["created_at"]?.string ?? "", $1["id"]?.string ?? ""
      )
    }
    .map { .object($0) }
  }

  func addWebhook(_ fields: [String: JSONValue]) -> JSONValue {
    let id = UUID().uuidString.lowercased()
    var hook: [String: JSONValue] = ["id": .string(id), "created_at": .string(Self.timestamp())]
    for key in ["model", "action", "target_url"] { hook[key] = fields[key] }
    hooks[id] = hook
    return .object(hook)
  }

  func deleteWebhook(_ id: String) -> Bool { hooks.removeValue(forKey: id) != nil }

  func stats() -> [String: JSONValue] {
    var perExternalID: [String: Int] = [:]
    for job in (collections["jobs"] ?? [:]).values {
      if let id = job["external_id"]?.string { perExternalID[id, default: 0] += 1 }
    }
    return [
      "jobs": .number(Double(collections["jobs"]?.count ?? 0)),
      "jobs_per_external_id": .object(perExternalID.mapValues { .number(Double($0)) }),
      "webhooks": .number(Double(hooks.count)),
    ]
  }

  static func timestamp() -> String {
    let formatter = ISO8601DateFormatter()
    formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
    return formatter.string(from: Date())
  }
}
