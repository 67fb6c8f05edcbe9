import BoardHTTP
import BoardSupport
import BoardSync

/// Wix contacts, form submissions and members for sync rules. Contacts are read 1,000 a request
/// and submissions and members 100, filtered by change time on Wix's side where Wix can
/// (contacts, submissions) and on ours where it cannot (members: Wix's list has no such filter).
extension WixBoard: SyncRecordBoard {
  func records(_ object: String, since watermark: String?, filter: [String: [String]]) async throws
    -> [SyncRecord]
  {
    let api = try self.api()
    let records: [SyncRecord]
    switch object {
    case "contacts":
      records = try await Self.contactRecords(api.contacts(atOrAfter: watermark), api: api)
    case "form_submissions":
      records = try await api.formSubmissions(formIDs: filter["form"] ?? [], atOrAfter: watermark)
        .compactMap(WixRecords.submission)
    case "members":
      records = try await api.members().compactMap(WixRecords.member).filter { $0.updatedAt >= (watermark ?? "") }
    default:
      throw Self.unknown(object)
    }
    return records.filter { $0.isSelected(by: filter) }
  }

  func records(_ object: String, ids: [String]) async throws -> [SyncRecord] {
    guard !ids.isEmpty else { return [] }
    let api = try self.api()
    switch object {
    case "contacts":
      var found: [JSONValue] = []
      for start in stride(from: 0, to: ids.count, by: 100) {
        let chunk = ids[start..<min(start + 100, ids.count)].map(JSONValue.string)
        found += try await api.contacts(filter: ["id": ["$in": .array(chunk)]])
      }
      return try await Self.contactRecords(found, api: api)
    case "form_submissions", "members":
      let wanted = Set(ids)
      return try await records(object, since: nil, filter: [:]).filter { wanted.contains($0.id) }
    default:
      throw Self.unknown(object)
    }
  }

  func records(_ object: String, field: String, values: [String], ignoreCase: Bool) async throws -> [SyncRecord]? {
    // Wix keeps a contact's primary email in lowercase.
    guard object == "contacts", field == "email" else { return nil }
    let api = try self.api()
    var found: [JSONValue] = []
    for start in stride(from: 0, to: values.count, by: 100) {
      let chunk = values[start..<min(start + 100, values.count)].map { JSONValue.string($0.lowercased()) }
      found += try await api.contacts(filter: ["primaryInfo.email": ["$in": .array(chunk)]])
    }
    return try await Self.contactRecords(found, api: api)
  }

  func recordIDs(_ object: String, filter: [String: [String]]) async throws -> Set<String> {
    Set(try await records(object, since: nil, filter: filter).map(\.id))
  }

  func createRecord(_ object: String, values: [String: String], key: (field: String, value: String)?) async throws
    -> SyncRecord
  {
    guard object == "contacts" else { throw Self.readOnly(object) }
    let api = try self.api()
    let (contact, created) = try await api.createOrFindContact(
      info: WixRecords.info([:], writing: try await Self.withExtendedKeys(values, api: api)))
    guard let id = contact["id"]?.string else { throw PlatformError(.other, "Wix created a contact without an id") }
    // An email that was taken: the contact is there already, and gets the values (its labels
    // are added to, never replaced).
    if !created || values["labels"] != nil { return try await updateRecord(object, id: id, values: values) }
    return try await Self.contactRecord(contact, api: api)
  }

  func updateRecord(_ object: String, id: String, values: [String: String], removing: [String: [String]])
    async throws -> SyncRecord
  {
    guard object == "contacts" else { throw Self.readOnly(object) }
    let api = try self.api()
    var fields = try await Self.withExtendedKeys(values, api: api)
    let adding = fields.removeValue(forKey: "labels").map(SyncMapper.names) ?? []
    var contact = try await api.updateContact(id: id) { info in WixRecords.info(info, writing: fields) }
    var names: [String: String]?
    contact = try await Self.changeLabels(
      of: contact, adding: adding, removing: removing["labels"] ?? [], names: &names, api: api)
    return try await Self.contactRecord(contact, names: names, api: api)
  }

  /// Adds the labels named in `adding` that a contact lacks (made when the site has none) and
  /// removes those named in `removing` that it has; names compare ignoring case, and its other
  /// labels stay. `names` (label key → display name) is read once, only when needed, and kept
  /// for the caller. At most one request for the site's labels, one per label made, one to add
  /// and one to remove.
  static func changeLabels(
    of contact: JSONValue, adding: [String], removing: [String], names: inout [String: String]?, api: WixAPI
  ) async throws -> JSONValue {
    guard !adding.isEmpty || !removing.isEmpty else { return contact }
    guard let id = contact["id"]?.string else { throw PlatformError(.other, "Wix answered a contact without an id") }
    let keys = WixRecords.labelKeys(contact)
    if names == nil, keys.contains(where: { $0.hasPrefix("custom.") }) { names = try await api.labelNames() }
    let held = keys.map { (key: $0, name: (names?[$0] ?? WixRecords.labelName($0)).lowercased()) }
    var add: [String] = []
    for name in adding where !held.contains(where: { $0.name == name.lowercased() }) {
      let key = try await api.label(displayName: name)
      names = (names ?? [:]).merging([key: name]) { old, _ in old }
      add.append(key)
    }
    let unwanted = Set(removing.map { $0.lowercased() }).subtracting(adding.map { $0.lowercased() })
    let remove = held.filter { unwanted.contains($0.name) }.map(\.key)
    var result = contact
    if !add.isEmpty { result = try await api.addLabels(contactID: id, keys: add) }
    if !remove.isEmpty { result = try await api.removeLabels(contactID: id, keys: remove) }
    return result
  }

  /// Contacts as records, their labels by display name: `names` when given, else the site's
  /// labels read once (one request, only when a contact carries one of its own).
  static func contactRecords(_ contacts: [JSONValue], names: [String: String]? = nil, api: WixAPI) async throws
    -> [SyncRecord]
  {
    var names = names
    let custom = contacts.contains { contact in
      WixRecords.labelKeys(contact).contains { $0.hasPrefix("custom.") && names?[$0] == nil }
    }
    if custom { names = (names ?? [:]).merging(try await api.labelNames()) { _, read in read } }
    return contacts.compactMap { WixRecords.contact($0, labelNames: names ?? [:]) }
  }

  static func contactRecord(_ contact: JSONValue, names: [String: String]? = nil, api: WixAPI) async throws
    -> SyncRecord
  {
    guard let record = try await contactRecords([contact], names: names, api: api).first else {
      throw PlatformError(.other, "Wix answered a contact without an id")
    }
    return record
  }

  func deleteRecord(_ object: String, id: String) async throws {
    let api = try self.api()
    switch object {
    case "contacts":
      try await api.delete(api.contactURL(id))
    case "form_submissions":
      try await api.deleteSubmission(id)
    default:
      throw Self.readOnly(object)
    }
  }

  /// A contact keeps its record with a placeholder name and nothing else; a form submission is
  /// nothing but the person's answers (and Wix validates them against the form), so anonymising
  /// one deletes it.
  func anonymizeRecord(_ object: String, id: String) async throws {
    switch object {
    case "contacts":
      _ = try await self.api().updateContact(id: id) { _ in ["name": ["first": "Anonymized"]] }
    case "form_submissions":
      try await deleteRecord(object, id: id)
    default:
      throw Self.readOnly(object)
    }
  }

  /// `values` with each `extended.<name>` field under the key Wix gives the extended field named
  /// `<name>`, made when the site has none (one request each).
  static func withExtendedKeys(_ values: [String: String], api: WixAPI) async throws -> [String: String] {
    var out: [String: String] = [:]
    for (field, value) in values {
      guard field.hasPrefix(WixRecords.extendedPrefix) else {
        out[field] = value
        continue
      }
      let key = try await api.extendedField(displayName: String(field.dropFirst(WixRecords.extendedPrefix.count)))
      out[WixRecords.extendedPrefix + key.dropFirst("custom.".count)] = value
    }
    return out
  }

  static func unknown(_ object: String) -> PlatformError {
    PlatformError(.invalid, "Wix has no records called \(object) for sync rules")
  }

  static func readOnly(_ object: String) -> PlatformError {
    PlatformError(.invalid, "boardctl reads Wix \(object) but does not write them")
  }
}
