import BoardHTTP
import BoardSupport
import BoardSync
import Foundation

/// Manatal candidates, matches and jobs for sync rules, read 100 a page with `updated_at__gte`
/// for a cursor. Candidates are written (created once per email: a create whose answer was lost
/// is looked up by its email before it is sent again); matches are made for (candidate, job) and
/// moved between stages by name; jobs are read only.
extension ManatalBoard: SyncRecordBoard {
  func records(_ object: String, since watermark: String?, filter: [String: [String]]) async throws
    -> [SyncRecord]
  {
    let api = try self.api()
    var query = "page_size=100"
    if let watermark {
      query +=
        "&updated_at__gte=" + (watermark.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? watermark)
    }
    let items = try await api.list("\(api.collectionURL(try Self.collection(object)))?\(query)")
    return items.compactMap { Self.record($0, object) }.filter { $0.isSelected(by: filter) }
  }

  func records(_ object: String, ids: [String]) async throws -> [SyncRecord] {
    let api = try self.api()
    let collection = try Self.collection(object)
    var found: [SyncRecord] = []
    for id in ids {
      let url = "\(api.collectionURL(collection))\(id)/"
      let result = try await api.send(.GET, url)
      if result.status == 404 { continue }
      try ManatalAPI.check(result, method: .GET, url: url)
      if let record = JSONValue.parse(result.body).flatMap({ Self.record($0, object) }) { found.append(record) }
    }
    return found
  }

  func records(_ object: String, field: String, values: [String], ignoreCase: Bool) async throws -> [SyncRecord]? {
    let api = try self.api()
    // A candidate's matches: one request per candidate (100 matches a page).
    if object == "matches", field == "candidate" {
      var found: [SyncRecord] = []
      for id in Set(values).sorted() {
        let candidate = id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id
        let url = "\(api.collectionURL("candidates"))\(candidate)/matches/?page_size=100"
        found += try await api.list(url).compactMap { Self.record($0, object) }
      }
      return found
    }
    // Manatal's filters match exactly: "Ana@x.org" is not found as "ana@x.org".
    guard object == "candidates", field == "email" || field == "external_id", !ignoreCase else { return nil }
    var found: [SyncRecord] = []
    for value in Set(values).sorted() {
      let text = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? value
      found += try await api.list("\(api.collectionURL(object))?\(field)=\(text)&page_size=100").compactMap {
        Self.record($0, object)
      }
    }
    return found
  }

  func recordIDs(_ object: String, filter: [String: [String]]) async throws -> Set<String> {
    Set(try await records(object, since: nil, filter: filter).map(\.id))
  }

  func createRecord(_ object: String, values: [String: String], key: (field: String, value: String)?) async throws
    -> SyncRecord
  {
    let api = try self.api()
    let collection = try Self.writable(object)
    let note = values[Self.noteField]
    let body = try await Self.body(values.filter { $0.key != Self.noteField }, object, api: api, current: nil)
    let url = api.collectionURL(collection)
    // A create whose answer was lost is looked up before it is sent again: by the value sent
    // (Manatal's filters match exactly), only on fields Manatal filters by, and checked.
    let lookup: (field: String, value: String)? =
      object == "matches"
      ? values["candidate"].map { ("candidate", $0) }
      : [key?.field ?? "email"].compactMap { field in
        ["email", "external_id"].contains(field) ? values[field].map { (field, $0) } : nil
      }.first
    // A (candidate, job) pair may have only one match: it is always looked for first, so a run
    // killed after making one links it instead of failing on the second.
    let created = try await api.createOnce(
      url, body: body, what: "a \(object.dropLast()) record", lookFirst: object == "matches",
      find: { () async throws -> JSONValue? in
        guard let lookup else { return nil }
        let value = lookup.value.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? lookup.value
        let found = try await api.list("\(url)?\(lookup.field)=\(value)&page_size=100")
        if object == "matches" { return found.first { $0["job"]?.string == values["job"] } }
        return found.first { $0[lookup.field]?.string == lookup.value }
      }, id: { $0.object == nil ? nil : $0 })
    guard let record = Self.record(created, object) else {
      throw PlatformError(.other, "Manatal created a \(object.dropLast()) record but answered without its id")
    }
    if let note { try await Self.addNote(note, to: record.id, in: collection, api: api) }
    return record
  }

  /// The write-only field whose every new value becomes a note on the record (an application's
  /// answers and CV link): notes are added, never read back or changed.
  static let noteField = "note"

  /// Adds a note. One request, not sent again when its outcome is unknown (a second note would
  /// stay): the action fails and the next run writes it.
  static func addNote(_ text: String, to id: String, in collection: String, api: ManatalAPI) async throws {
    _ = try await api.expect(
      .POST, "\(api.collectionURL(collection))\(id)/notes/", body: ["info": .string(text)], idempotent: false)
  }

  /// Manatal's records have no set fields: `removing` is always empty.
  func updateRecord(_ object: String, id: String, values: [String: String], removing: [String: [String]])
    async throws -> SyncRecord
  {
    let api = try self.api()
    let collection = try Self.writable(object)
    let url = "\(api.collectionURL(collection))\(id)/"
    let fields = values.filter { $0.key != Self.noteField }
    let answer: JSONValue
    if fields.isEmpty {
      answer = try await api.expect(.GET, url)
    } else {
      // custom_fields are replaced whole by a PATCH: send them merged into what is there.
      let current = fields.keys.contains { $0.hasPrefix(Self.customPrefix) } ? try await api.expect(.GET, url) : nil
      let body = try await Self.body(fields, object, api: api, current: current)
      answer = try await api.expect(.PATCH, url, body: body, idempotent: true)
    }
    guard let record = Self.record(answer, object) else {
      throw PlatformError(.other, "Manatal answered PATCH \(object) \(id) without the record")
    }
    // Last: a write refused before it must not leave a note each run it is tried again.
    if let note = values[Self.noteField] { try await Self.addNote(note, to: id, in: collection, api: api) }
    return record
  }

  func deleteRecord(_ object: String, id: String) async throws {
    let api = try self.api()
    let url = "\(api.collectionURL(try Self.writable(object)))\(id)/"
    let result = try await api.send(.DELETE, url)
    if result.status == 404 { return }
    try ManatalAPI.check(result, method: .DELETE, url: url)
  }

  /// A candidate's personal fields are blanked; one with notes (an application's answers, a
  /// recruiter's words) is deleted instead, since Manatal's API documents no way to remove a note.
  func anonymizeRecord(_ object: String, id: String) async throws {
    guard object == "candidates" else { return try await deleteRecord(object, id: id) }
    let api = try self.api()
    // A bare list or a paged one: either way, any note means the candidate goes.
    let notes: [JSONValue]
    do {
      notes = try await api.list("\(api.collectionURL("candidates"))\(id)/notes/")
    } catch let error as PlatformError where error.kind == .notFound {
      return
    }
    if !notes.isEmpty { return try await deleteRecord(object, id: id) }
    let blank: [String: JSONValue] = [
      "full_name": "Anonymized", "email": .null, "phone_number": .null, "address": .null, "zipcode": .null,
      "description": .null, "current_company": .null, "current_position": .null, "custom_fields": [:],
    ]
    _ = try await api.expect(.PATCH, "\(api.collectionURL("candidates"))\(id)/", body: blank, idempotent: true)
  }

  static let customPrefix = "custom_fields."

  static func collection(_ object: String) throws -> String {
    guard ["candidates", "matches", "jobs"].contains(object) else {
      throw PlatformError(.invalid, "Manatal has no records called \(object) for sync rules")
    }
    return object
  }

  static func writable(_ object: String) throws -> String {
    guard object != "jobs" else { throw PlatformError(.invalid, "boardctl reads Manatal jobs but does not write them") }
    return try collection(object)
  }

  /// A Manatal object as a sync record: its own field names; `stage` is the stage's name,
  /// relations are ids, custom fields `custom_fields.<name>`.
  static func record(_ object: JSONValue, _ kind: String) -> SyncRecord? {
    guard let id = object["id"]?.string, let fields = object.object else { return nil }
    var out: [String: String] = [:]
    for (key, value) in fields {
      switch value {
      case .object(let nested) where key == "custom_fields":
        for (name, inner) in nested { out[customPrefix + name] = WixRecords.text(inner) }
      case .object(let nested):
        out[key] = nested["id"]?.string ?? nested["name"]?.string
      default:
        out[key] = WixRecords.text(value)
      }
    }
    if kind == "matches" {
      out["stage"] = object["stage"]?["name"]?.string ?? object["job_pipeline_stage"]?["name"]?.string
    }
    return SyncRecord(id: id, updatedAt: object["updated_at"]?.string ?? "", fields: out)
  }

  /// The JSON body for target values; a match's `stage` (a name) becomes its stage's id.
  static func body(_ values: [String: String], _ object: String, api: ManatalAPI, current: JSONValue?) async throws
    -> [String: JSONValue]
  {
    var body: [String: JSONValue] = [:]
    var custom = current?["custom_fields"]?.object ?? [:]
    for (field, value) in values {
      if field.hasPrefix(customPrefix) {
        custom[String(field.dropFirst(customPrefix.count))] = .string(value)
      } else if object == "matches", field == "candidate" || field == "job", let number = Int(value) {
        body[field] = .number(Double(number))
      } else if object == "matches", field == "stage" {
        let stages = try await api.list("\(api.base)/match-stages/?page_size=100")
        guard let stage = stages.first(where: { $0["name"]?.string?.lowercased() == value.lowercased() }),
          let id = stage["id"]?.int
        else {
          let names = stages.compactMap { $0["name"]?.string }
          throw PlatformError(
            .invalid, "Manatal has no match stage '\(value)'; its stages are \(names.joined(separator: ", "))")
        }
        body["job_pipeline_stage"] = ["id": .number(Double(id))]
      } else if field == "consent" {
        body[field] = .bool(["true", "yes", "1"].contains(value.lowercased()))
      } else {
        body[field] = .string(value)
      }
    }
    if !custom.isEmpty || current != nil { body["custom_fields"] = .object(custom) }
    return body
  }
}
