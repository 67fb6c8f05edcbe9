import BoardSupport
import Foundation
import Hummingbird

/// Contacts v4: create (one per email unless duplicates are allowed), get, list, PATCH guarded by
/// `revision`, delete, query; labels and extended fields (find-or-create), per-contact labels.
extension WixSite {
  static let contactSchema = WixQuerySchema(
    fields: [
      "id": WixFilter.Operator.equality,
      "primaryInfo.email": [.eq, .ne, .in, .nin, .startsWith, .exists],
      "primaryInfo.phone": [.eq, .ne, .in, .nin, .startsWith, .exists],
      "info.name.first": WixFilter.Operator.text, "info.name.last": WixFilter.Operator.text,
      "createdDate": WixFilter.Operator.range, "updatedDate": WixFilter.Operator.range,
      "info.labelKeys": [.eq, .in, .hasSome, .hasAll, .exists],
    ],
    prefixes: ["info.extendedFields.": WixFilter.Operator.text],
    sortable: ["createdDate"], defaultSort: [.init(field: "createdDate", ascending: true)], maxSorts: 1,
    maxLimit: 1000, resolve: WixSite.resolveContactField)

  static let labelSchema = WixQuerySchema(
    fields: [
      "key": WixFilter.Operator.equality, "displayName": WixFilter.Operator.text,
      "labelType": WixFilter.Operator.equality, "namespace": WixFilter.Operator.equality,
    ],
    sortable: ["displayName", "createdDate"], defaultSort: [.init(field: "createdDate", ascending: true)],
    maxLimit: 1000)

  static let extendedFieldSchema = WixQuerySchema(
    fields: [
      "key": WixFilter.Operator.equality, "displayName": WixFilter.Operator.text,
      "dataType": WixFilter.Operator.equality, "fieldType": WixFilter.Operator.equality,
      "namespace": WixFilter.Operator.equality,
    ],
    sortable: ["displayName", "createdDate"], defaultSort: [.init(field: "createdDate", ascending: true)],
    maxLimit: 1000)

  /// `info.labelKeys` and `info.extendedFields.<key>` name the lists' items, whose keys hold dots.
  @Sendable static func resolveContactField(_ contact: JSONValue, _ field: String) -> JSONValue? {
    if field == "info.labelKeys" { return contact["info"]?["labelKeys"]?["items"] }
    let prefix = "info.extendedFields."
    if field.hasPrefix(prefix) {
      return contact["info"]?["extendedFields"]?["items"]?[String(field.dropFirst(prefix.count))]
    }
    return WixQuerySchema.walk(contact, field)
  }

  static func primaryInfo(_ info: JSONValue) -> JSONValue {
    var primary: Object = [:]
    if let email = info["emails"]?["items"]?[0]?["email"]?.string { primary["email"] = .string(email.lowercased()) }
    if let phone = info["phones"]?["items"]?[0]?["phone"]?.string { primary["phone"] = .string(phone) }
    return .object(primary)
  }

  /// Stores a contact whose `info` was checked.
  func insertContact(info: JSONValue, now time: String) -> Object {
    let id = newID()
    let contact: Object = [
      "id": .string(id), "revision": 1, "source": ["sourceType": "OTHER"], "createdDate": .string(time),
      "updatedDate": .string(time), "info": Self.withItemIDs(info), "primaryInfo": Self.primaryInfo(info),
    ]
    contacts[id] = contact
    announce(.contactCreated, contact)
    return contact
  }

  /// Emails and phones get an id and a `primary` flag (the first), as Wix returns them.
  private static func withItemIDs(_ info: JSONValue) -> JSONValue {
    guard case .object(var fields) = info else { return info }
    for (list, defaultTag) in [("emails", "UNTAGGED"), ("phones", "UNTAGGED")] {
      guard let items = fields[list]?["items"]?.array else { continue }
      fields[list] = [
        "items": .array(
          items.enumerated().map { index, item in
            var entry = item.object ?? [:]
            entry["id"] = entry["id"] ?? .string(UUID().uuidString.lowercased())
            entry["tag"] = entry["tag"] ?? .string(defaultTag)
            entry["primary"] = .bool(index == 0)
            return .object(entry)
          })
      ]
    }
    return .object(fields)
  }

  /// Checks a contact's whole `info`: something to identify it, well-formed emails, labels and
  /// extended fields that exist, values of the field's type.
  private func check(info: JSONValue) throws {
    guard case .object(let fields) = info else { throw WixError.invalid("info", "must be an object", rule: .format) }
    let name = [fields["name"]?["first"]?.string, fields["name"]?["last"]?.string].compactMap { $0 }
    let emails = fields["emails"]?["items"]?.array ?? []
    let phones = fields["phones"]?["items"]?.array ?? []
    if name.allSatisfy(\.isEmpty) && emails.isEmpty && phones.isEmpty {
      throw WixError.invalid(
        "info", "must have a name, an email or a phone", rule: .requiredField,
        message: "Contact must have at least one of: name, email, phone")
    }
    for (index, item) in emails.enumerated() {
      guard let email = item["email"]?.string, email.contains("@"), !email.hasPrefix("@"), !email.hasSuffix("@")
      else { throw WixError.invalid("info.emails.items[\(index)].email", "must be an email address", rule: .format) }
    }
    for (index, item) in phones.enumerated() where item["phone"]?.string?.isEmpty ?? true {
      throw WixError.invalid("info.phones.items[\(index)].phone", "is required", rule: .requiredField)
    }
    for case .string(let key) in fields["labelKeys"]?["items"]?.array ?? [] where labels[key] == nil {
      throw WixError.application(.badRequest, "Label \(key) does not exist", code: "LABEL_NOT_FOUND")
    }
    for (key, value) in fields["extendedFields"]?["items"]?.object ?? [:] where key.hasPrefix("custom.") {
      guard let field = extendedFields[key] else {
        throw WixError.application(
          .badRequest, "Extended field \(key) does not exist", code: "EXTENDED_FIELD_NOT_FOUND")
      }
      let fits: Bool = {
        switch (field["dataType"]?.string, value) {
        case (_, .null): return true
        case ("NUMBER"?, .number): return true
        case ("NUMBER"?, _): return false
        case ("DATE"?, .string(let text)): return WixFilter.date(text) != nil || text.count == 10
        case (_, .string): return true
        default: return false
        }
      }()
      if !fits {
        throw WixError.invalid(
          "info.extendedFields.items.\(key)", "must be of type \(field["dataType"]?.string ?? "TEXT")", rule: .format)
      }
    }
  }

  private func duplicate(of info: JSONValue, except id: String?) -> (email: String, id: String)? {
    let wanted = Set((info["emails"]?["items"]?.array ?? []).compactMap { $0["email"]?.string?.lowercased() })
    for (otherID, contact) in contacts.sorted(by: { $0.key < $1.key }) where otherID != id {
      for case .string(let email) in (contact["info"]?["emails"]?["items"]?.array ?? []).compactMap({ $0["email"] })
      where wanted.contains(email.lowercased()) {
        return (email.lowercased(), otherID)
      }
    }
    return nil
  }

  private static func duplicateError(_ found: (email: String, id: String)) -> WixError {
    WixError.application(
      .conflict, "Cannot create contact: a contact with email \(found.email) already exists",
      code: "DUPLICATE_CONTACT_EXISTS", data: ["duplicateContactId": .string(found.id)])
  }

  func createContact(_ body: JSONValue?) throws -> JSONValue {
    guard let info = body?["info"], info != .null else {
      throw WixError.invalid("info", "is required", rule: .requiredField)
    }
    try check(info: info)
    if body?["allowDuplicates"]?.bool != true, let found = duplicate(of: info, except: nil) {
      throw Self.duplicateError(found)
    }
    return ["contact": .object(insertContact(info: info, now: now()))]
  }

  func contact(_ id: String) throws -> JSONValue {
    guard let contact = contacts[id] else { throw WixError.notFound("Contact", id) }
    return ["contact": .object(contact)]
  }

  func listContacts(limit: JSONValue?, offset: JSONValue?) throws -> JSONValue {
    let query = try WixQuery(
      ["paging": ["limit": limit ?? .null, "offset": offset ?? .null]], schema: Self.contactSchema)
    let (items, metadata) = query.page(contacts.values.map { .object($0) }, schema: Self.contactSchema)
    return ["contacts": .array(items), "pagingMetadata": metadata]
  }

  func queryContacts(_ body: JSONValue?) throws -> JSONValue {
    let query = try WixQuery(body?["query"], schema: Self.contactSchema)
    let (items, metadata) = query.page(contacts.values.map { .object($0) }, schema: Self.contactSchema)
    return ["contacts": .array(items), "pagingMetadata": metadata]
  }

  /// Each `info` field given replaces the stored one, except extended fields, which merge by key
  /// (a null value removes one).
  static func merged(_ info: JSONValue?, _ changes: JSONValue) -> JSONValue {
    var fields = info?.object ?? [:]
    for (key, value) in changes.object ?? [:] {
      if key == "extendedFields", case .object(let items)? = value["items"] {
        var current = fields["extendedFields"]?["items"]?.object ?? [:]
        for (name, item) in items { current[name] = item == .null ? nil : item }
        fields["extendedFields"] = ["items": .object(current)]
      } else {
        fields[key] = value
      }
    }
    return .object(fields)
  }

  /// Writes a new `info`, a revision up, a new `updatedDate`.
  @discardableResult
  func write(contact id: String, info: JSONValue) -> JSONValue {
    var contact = contacts[id]!
    contact["info"] = Self.withItemIDs(info)
    contact["primaryInfo"] = Self.primaryInfo(info)
    contact["revision"] = .number(Double((contact["revision"]?.int ?? 0) + 1))
    contact["updatedDate"] = .string(now())
    contacts[id] = contact
    announce(.contactUpdated, contact)
    return .object(contact)
  }

  func updateContact(_ id: String, _ body: JSONValue?) throws -> JSONValue {
    guard let contact = contacts[id] else { throw WixError.notFound("Contact", id) }
    guard let revision = body?["revision"]?.int else {
      throw WixError.invalid("revision", "is required", rule: .requiredField)
    }
    guard revision == contact["revision"]?.int else {
      throw WixError.application(
        .conflict, "entity has already changed since the requested revision", code: "REVISION_MISMATCH",
        data: ["currentRevision": contact["revision"] ?? .null])
    }
    let info = Self.merged(contact["info"], body?["info"] ?? [:])
    try check(info: info)
    if body?["allowDuplicates"]?.bool != true, let found = duplicate(of: info, except: id) {
      throw Self.duplicateError(found)
    }
    let newEmail = Self.primaryInfo(info)["email"]
    if members.values.contains(where: { $0["contactId"]?.string == id }), newEmail != contact["primaryInfo"]?["email"] {
      throw WixError.application(
        .badRequest, "Cannot change the primary email of a contact who is a site member",
        code: "CANNOT_UPDATE_MEMBER_EMAIL")
    }
    return ["contact": write(contact: id, info: info)]
  }

  func deleteContact(_ id: String) throws -> JSONValue {
    guard contacts[id] != nil else { throw WixError.notFound("Contact", id) }
    if members.values.contains(where: { $0["contactId"]?.string == id }) {
      throw WixError.application(
        .preconditionRequired, "Cannot delete a contact who is a site member", code: "CONTACT_IS_SITE_MEMBER")
    }
    contacts[id] = nil
    return [:]
  }

  /// `key`, or `key-2`, `key-3`… when another name slugged to the same key.
  static func unique(_ key: String, taken: [String: Object]) -> String {
    var candidate = key
    var number = 1
    while taken[candidate] != nil {
      number += 1
      candidate = "\(key)-\(number)"
    }
    return candidate
  }

  // MARK: Labels

  func findOrCreateLabel(_ body: JSONValue?) throws -> JSONValue {
    guard let name = body?["displayName"]?.string, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw WixError.invalid("displayName", "is required", rule: .requiredField)
    }
    if let label = labels.values.first(where: { $0["displayName"]?.string?.lowercased() == name.lowercased() }) {
      return ["label": .object(label), "newLabel": false]
    }
    let key = Self.unique("custom.\(Self.slug(name))", taken: labels)
    let time = now()
    let label: Object = [
      "namespace": "custom", "namespaceDisplayName": "Labels", "key": .string(key), "displayName": .string(name),
      "labelType": "USER_DEFINED", "createdDate": .string(time), "updatedDate": .string(time),
    ]
    labels[key] = label
    return ["label": .object(label), "newLabel": true]
  }

  func queryLabels(_ body: JSONValue?) throws -> JSONValue {
    let query = try WixQuery(body?["query"], schema: Self.labelSchema)
    let (items, metadata) = query.page(labels.values.map { .object($0) }, schema: Self.labelSchema)
    return ["labels": .array(items), "pagingMetadata": metadata]
  }

  /// Adds or removes labels that exist; each call is a write (revision up).
  func label(contact id: String, keys: [String], add: Bool) throws -> JSONValue {
    guard let contact = contacts[id] else { throw WixError.notFound("Contact", id) }
    guard !keys.isEmpty else { throw WixError.invalid("labelKeys", "is required", rule: .requiredField) }
    for key in keys where labels[key] == nil {
      throw WixError.application(.badRequest, "Label \(key) does not exist", code: "LABEL_NOT_FOUND")
    }
    var current = (contact["info"]?["labelKeys"]?["items"]?.array ?? []).compactMap(\.string)
    if add {
      for key in keys where !current.contains(key) { current.append(key) }
    } else {
      current.removeAll { keys.contains($0) }
    }
    var info = contact["info"]?.object ?? [:]
    info["labelKeys"] = ["items": .array(current.map { .string($0) })]
    return ["contact": write(contact: id, info: .object(info))]
  }

  // MARK: Extended fields

  static let dataTypes: Set<String> = ["TEXT", "NUMBER", "DATE", "URL"]

  func findOrCreateExtendedField(_ body: JSONValue?) throws -> JSONValue {
    guard let name = body?["displayName"]?.string, !name.trimmingCharacters(in: .whitespaces).isEmpty else {
      throw WixError.invalid("displayName", "is required", rule: .requiredField)
    }
    let dataType = body?["dataType"]?.string ?? "TEXT"
    guard Self.dataTypes.contains(dataType) else {
      throw WixError.invalid("dataType", "must be one of TEXT, NUMBER, DATE, URL", rule: .format)
    }
    if let field = extendedFields.values.first(where: { $0["displayName"]?.string?.lowercased() == name.lowercased() })
    {
      return ["field": .object(field), "newField": false]
    }
    let key = Self.unique("custom.\(Self.slug(name))", taken: extendedFields)
    let time = now()
    let field: Object = [
      "namespace": "custom", "key": .string(key), "displayName": .string(name), "dataType": .string(dataType),
      "fieldType": "USER_DEFINED", "createdDate": .string(time), "updatedDate": .string(time),
    ]
    extendedFields[key] = field
    return ["field": .object(field), "newField": true]
  }

  func queryExtendedFields(_ body: JSONValue?) throws -> JSONValue {
    let query = try WixQuery(body?["query"], schema: Self.extendedFieldSchema)
    let (items, metadata) = query.page(extendedFields.values.map { .object($0) }, schema: Self.extendedFieldSchema)
    return ["fields": .array(items), "pagingMetadata": metadata]
  }

  /// An edit made in the Wix dashboard: `info` fields merged, a revision up, no checks.
  func editContact(_ id: String, _ changes: JSONValue) -> JSONValue? {
    guard let contact = contacts[id] else { return nil }
    return write(contact: id, info: Self.merged(contact["info"], changes["info"] ?? changes))
  }
}
