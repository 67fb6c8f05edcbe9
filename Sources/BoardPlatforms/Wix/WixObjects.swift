import BoardHTTP
import BoardSupport
import Foundation

/// The Wix objects sync rules read and write: Contacts v4 (with labels and boardctl's link
/// field), form submissions and Members v1. Every list is read one request per page (offset
/// paging, in creation order so an object edited during the walk does not move between pages),
/// never one request per object.
extension WixAPI {
  /// The display name of boardctl's link field on contacts; Wix keys it `custom.boardctl-link`.
  static let linkFieldName = "boardctl-link"
  /// The namespace of submissions made through the Wix Forms app.
  static let formsNamespace = "wix.form_app.form"
  /// The most a contacts query returns per request.
  static let contactsPageMax = 1000
  /// The most a form-submissions or members request returns.
  static let submissionsPageMax = 100
  static let membersPageMax = 100
  /// How often an update refused for a stale revision is re-read and re-applied before it fails.
  static let staleRevisionRetries = 3

  /// What a 403 on the extended-fields endpoints means: the key lacks their permission.
  static let missingLinkFieldPermission =
    "the Wix API key lacks the Manage Extended Fields permission (MANAGE-EX-FIELDS) needed for boardctl's link field: add it to the key in the Wix API Keys Manager"

  // MARK: Contacts

  /// Every contact, or with `updatedSince` (an ISO 8601 time) only those whose `updatedDate` is
  /// later (`atOrAfter`: that time or later, for a sync cursor). Costs one request per `pageSize` contacts (at most 1000, Wix's maximum).
  func contacts(updatedSince: String? = nil, atOrAfter: String? = nil, pageSize: Int = 1000) async throws
    -> [JSONValue]
  {
    var filter: [String: JSONValue] = [:]
    if let updatedSince { filter["updatedDate"] = ["$gt": .string(updatedSince)] }
    if let atOrAfter { filter["updatedDate"] = ["$gte": .string(atOrAfter)] }
    return try await contacts(filter: .object(filter), pageSize: pageSize)
  }

  /// Every contact matching a Wix query `filter`, oldest first. One request per `pageSize`.
  func contacts(filter: JSONValue, pageSize: Int = 1000) async throws -> [JSONValue] {
    let first = request(
      .POST, base + "/contacts/v4/contacts/query",
      body: ["query": ["filter": filter, "sort": Self.oldestFirst]], idempotent: true)
    return try await walk(first, limit: Self.clamp(pageSize, Self.contactsPageMax), items: "contacts")
  }

  /// The oldest contact whose primary email is `email` (any case), or nil. One request.
  func contact(email: String) async throws -> JSONValue? {
    try await firstContact(["primaryInfo.email": ["$eq": .string(email.lowercased())]])
  }

  /// The oldest contact whose extended field `key` (the link field's) holds `value`, or nil.
  /// One request.
  func contact(linkKey key: String, value: String) async throws -> JSONValue? {
    try await firstContact(["info.extendedFields.\(key)": ["$eq": .string(value)]])
  }

  private func firstContact(_ filter: JSONValue) async throws -> JSONValue? {
    let body: [String: JSONValue] = ["query": ["filter": filter, "sort": Self.oldestFirst, "paging": ["limit": 1]]]
    let page = try await expect(.POST, base + "/contacts/v4/contacts/query", body: body, idempotent: true)
    return page["contacts"]?[0]
  }

  /// One contact, as it is now (its `revision` included). One request.
  func contact(id: String) async throws -> JSONValue {
    let answer = try await expect(.GET, contactURL(id) + "?fieldsets=FULL")
    guard let contact = answer["contact"], contact.object != nil else {
      throw PlatformError(.other, "Wix answered GET contact \(id) without the contact")
    }
    return contact
  }

  /// Creates a contact from `info` (Wix's `{name, emails, phones, labelKeys, extendedFields}`)
  /// and returns it. Without `allowDuplicates`, an email that already belongs to a contact is
  /// refused with an `.invalid` error saying so. One request; when the answer is lost (a 5xx, a
  /// reset after sending) the contact is looked up by its email before the create is sent again,
  /// so it is never made twice. With duplicates allowed nothing identifies it, so such a create
  /// fails instead of being sent again.
  func createContact(info: JSONValue, allowDuplicates: Bool = false) async throws -> JSONValue {
    switch try await postContact(info: info, allowDuplicates: allowDuplicates) {
    case .created(let contact): return contact
    case .duplicate(_, let words):
      throw PlatformError(
        .invalid,
        "cannot create the Wix contact: its email already belongs to a contact"
          + (words.isEmpty ? "" : " (Wix: \(words))"))
    }
  }

  /// The contact with `info`'s email when there is one, else a new one: one request to create,
  /// one more to read the existing contact when the email is taken.
  func createOrFindContact(info: JSONValue) async throws -> (contact: JSONValue, created: Bool) {
    switch try await postContact(info: info, allowDuplicates: false) {
    case .created(let contact): return (contact, true)
    case .duplicate(let email, _):
      guard let existing = try await contact(email: email) else {
        throw PlatformError(
          .other, "Wix refused a new contact's email as taken, but no contact has that email")
      }
      return (existing, false)
    }
  }

  private enum ContactCreation {
    case created(JSONValue)
    case duplicate(email: String, words: String)
  }

  private func postContact(info: JSONValue, allowDuplicates: Bool) async throws -> ContactCreation {
    let url = base + "/contacts/v4/contacts"
    let body: [String: JSONValue] = ["info": info, "allowDuplicates": .bool(allowDuplicates)]
    let email = info["emails"]?["items"]?[0]?["email"]?.string
    // Without duplicates the email names the contact: a create whose outcome is unknown can be
    // looked up by it before it is sent again.
    let lookup = allowDuplicates ? nil : email
    var attempts = 0
    var mustLook = false
    while true {
      attempts += 1
      if mustLook, let lookup, let found = try await contact(email: lookup) { return .created(found) }
      do {
        let result = try await send(.POST, url, body: body)
        if result.status == 409, !allowDuplicates, let email {
          return .duplicate(email: email, words: Self.errorText(result.body))
        }
        if (500...599).contains(result.status), lookup != nil, attempts < 4 {
          mustLook = true
          try await pauseBeforeResend(attempt: attempts)
          continue
        }
        try Self.check(result, method: .POST, url: url)
        guard let contact = JSONValue.parse(result.body)?["contact"], contact.object != nil else {
          throw PlatformError(.other, "Wix created a contact but answered without it")
        }
        return .created(contact)
      } catch let error as PlatformError where error.kind == .unknownOutcome && lookup != nil && attempts < 4 {
        mustLook = true
        try await pauseBeforeResend(attempt: attempts)
      }
    }
  }

  /// Reads contact `id`, applies `change` to its `info` and PATCHes the fields that changed with
  /// the revision it read. When someone else wrote in between (409, the revision moved), the
  /// contact is read again and `change` re-applied to what is there now, up to
  /// `staleRevisionRetries` times; nothing is ever written over a revision not read. `change`
  /// must describe the wanted state (set, not toggle): it may run more than once. Returns the
  /// contact as written, or as read when `change` changes nothing. Costs two requests (GET,
  /// PATCH), and two more per conflict. Removing an extended field takes setting it to null.
  func updateContact(id: String, change: (JSONValue) async throws -> JSONValue) async throws -> JSONValue {
    let url = contactURL(id)
    var contact = try await self.contact(id: id)
    var conflicts = 0
    var unsettled = 0
    while true {
      let info = contact["info"] ?? [:]
      let fields = Self.changedFields(from: info, to: try await change(info))
      if fields.isEmpty { return contact }
      guard let revision = contact["revision"]?.int else {
        throw PlatformError(.other, "Wix answered contact \(id) without its revision")
      }
      let body: [String: JSONValue] = ["revision": .number(Double(revision)), "info": .object(fields)]
      let result: HTTPResult
      do {
        result = try await send(.PATCH, url, body: body)
      } catch let error as PlatformError where error.kind == .unknownOutcome && unsettled < 3 {
        // Whether it was applied shows in a fresh read: the change then finds nothing to do.
        unsettled += 1
        try await pauseBeforeResend(attempt: unsettled)
        contact = try await self.contact(id: id)
        continue
      }
      if (500...599).contains(result.status) && unsettled < 3 {
        unsettled += 1
        try await pauseBeforeResend(attempt: unsettled)
        contact = try await self.contact(id: id)
        continue
      }
      if result.status == 409 {
        let current = try await self.contact(id: id)
        // A 409 with the revision unmoved is about something else (a duplicate email): reported below.
        if current["revision"] != contact["revision"] {
          conflicts += 1
          guard conflicts <= Self.staleRevisionRetries else {
            throw PlatformError(
              .invalid,
              "Wix contact \(id) changed \(conflicts) times while boardctl was updating it, so nothing was written over those changes: run again"
            )
          }
          contact = current
          continue
        }
      }
      try Self.check(result, method: .PATCH, url: url)
      guard let written = JSONValue.parse(result.body)?["contact"], written.object != nil else {
        return try await self.contact(id: id)
      }
      return written
    }
  }

  /// The `info` fields to PATCH from `old` to `new`: each top-level field that differs (a removed
  /// one as null); extended fields merge by key, so only changed keys go, removed ones as null.
  static func changedFields(from old: JSONValue, to new: JSONValue) -> [String: JSONValue] {
    let before = old.object ?? [:]
    let after = new.object ?? [:]
    var fields: [String: JSONValue] = [:]
    for key in Set(before.keys).union(after.keys) where before[key] != after[key] {
      guard key == "extendedFields" else {
        fields[key] = after[key] ?? .null
        continue
      }
      let was = before[key]?["items"]?.object ?? [:]
      let now = after[key]?["items"]?.object ?? [:]
      var items: [String: JSONValue] = [:]
      for name in Set(was.keys).union(now.keys) where was[name] != now[name] { items[name] = now[name] ?? .null }
      if !items.isEmpty { fields[key] = ["items": .object(items)] }
    }
    return fields
  }

  // MARK: Labels and the link field

  /// The key of the label named `displayName` (any case), made when there is none. One request.
  func label(displayName: String) async throws -> String {
    let answer = try await expect(
      .POST, base + "/contacts/v4/labels", body: ["displayName": .string(displayName)], idempotent: true)
    guard let key = answer["label"]?["key"]?.string else {
      throw PlatformError(.other, "Wix answered the label '\(displayName)' without its key")
    }
    return key
  }

  /// Every contact label's display name by its key (`custom.phone-screen` → `Phone Screen`).
  /// One request per 1,000 labels (`labels/query`).
  func labelNames() async throws -> [String: String] {
    let first = request(.POST, base + "/contacts/v4/labels/query", body: ["query": [:]], idempotent: true)
    var names: [String: String] = [:]
    for label in try await walk(first, limit: 1000, items: "labels") {
      if let key = label["key"]?.string, let name = label["displayName"]?.string { names[key] = name }
    }
    return names
  }

  /// Adds labels (keys that exist, from `label(displayName:)`) to a contact; returns the contact.
  /// One request.
  @discardableResult
  func addLabels(contactID: String, keys: [String]) async throws -> JSONValue {
    let body: [String: JSONValue] = ["labelKeys": .array(keys.map(JSONValue.string))]
    return try await expect(.POST, contactURL(contactID) + "/labels", body: body, idempotent: true)["contact"] ?? [:]
  }

  /// Removes labels from a contact; returns the contact. One request.
  @discardableResult
  func removeLabels(contactID: String, keys: [String]) async throws -> JSONValue {
    let body: [String: JSONValue] = ["labelKeys": .array(keys.map(JSONValue.string))]
    return try await expect(.DELETE, contactURL(contactID) + "/labels", body: body)["contact"] ?? [:]
  }

  /// The key of boardctl's link field on contacts (`custom.boardctl-link`), a TEXT extended
  /// field made when there is none. One request. Without the Manage Extended Fields permission
  /// this is a `.forbidden` error naming it.
  func linkField() async throws -> String { try await extendedField(displayName: Self.linkFieldName) }

  /// The key of the TEXT extended field named `displayName` (`custom.<slug>`), made when there is
  /// none. One request. Without the Manage Extended Fields permission this is a `.forbidden`
  /// error naming it.
  func extendedField(displayName: String) async throws -> String {
    let url = base + "/contacts/v4/extended-fields"
    let body: [String: JSONValue] = ["displayName": .string(displayName), "dataType": "TEXT"]
    let result = try await send(.POST, url, body: body, idempotent: true)
    if result.status == 403, !Self.hasEmptyMessage(result.body) {
      throw PlatformError(.forbidden, "\(Self.missingLinkFieldPermission) (Wix: \(Self.errorText(result.body)))")
    }
    try Self.check(result, method: .POST, url: url)
    guard let key = JSONValue.parse(result.body)?["field"]?["key"]?.string else {
      throw PlatformError(.other, "Wix answered the extended field '\(displayName)' without its key")
    }
    return key
  }

  // MARK: Form submissions

  /// Submissions in `namespace` (Wix Forms by default), optionally of one form and only those
  /// updated after `updatedSince` (ISO 8601), oldest first. One request per 100 submissions
  /// (Wix's maximum). A site without the Wix Forms app is an `.invalid` error saying to install it.
  func formSubmissions(
    formID: String? = nil, formIDs: [String] = [], updatedSince: String? = nil, atOrAfter: String? = nil,
    namespace: String = "wix.form_app.form"
  ) async throws -> [JSONValue] {
    var filter: [String: JSONValue] = ["namespace": ["$eq": .string(namespace)]]
    if let formID { filter["formId"] = ["$eq": .string(formID)] }
    if !formIDs.isEmpty { filter["formId"] = ["$in": .array(formIDs.map(JSONValue.string))] }
    if let updatedSince { filter["updatedDate"] = ["$gt": .string(updatedSince)] }
    if let atOrAfter { filter["updatedDate"] = ["$gte": .string(atOrAfter)] }
    let first = request(
      .POST, base + "/form-submission-service/v4/submissions/namespace/query",
      body: ["query": ["filter": .object(filter), "sort": Self.oldestFirst]], idempotent: true)
    return try await walk(
      first, limit: Self.submissionsPageMax, items: "submissions",
      refuse: { Self.noFormsApp(status: $0.status, body: $0.body) })
  }

  /// Deletes a submission for good (`permanent=true`: not into the site's trash bin, where its
  /// answers would stay); one already gone is fine.
  func deleteSubmission(_ id: String) async throws {
    try await delete(
      base + "/form-submission-service/v4/submissions/"
        + (id.addingPercentEncoding(withAllowedCharacters: Self.pathSegmentAllowed) ?? id) + "?permanent=true")
  }

  /// Deletes what `url` names; one already gone (404) is fine.
  func delete(_ url: String) async throws {
    let result = try await send(.DELETE, url)
    if result.status == 404 { return }
    try Self.check(result, method: .DELETE, url: url)
  }

  /// A 428, or a 400 naming the Forms app: the site does not have it.
  static func noFormsApp(status: Int, body: Data) -> PlatformError? {
    let words = errorText(body)
    let lowered = words.lowercased()
    let namesApp = ["forms app", "form_app", "wix forms"].contains { lowered.contains($0) }
    guard status == 428 || (status == 400 && namesApp) else { return nil }
    return PlatformError(
      .invalid,
      "the Wix site has no Wix Forms app, which form submissions come from: install Wix Forms on the site"
        + (words.isEmpty ? "" : " (Wix: \(words))"))
  }

  // MARK: Members

  /// Every site member with the FULL fieldset (`loginEmail`, `status` APPROVED or PENDING…,
  /// `contactId`), or with `statuses` only those in them (through the members query). One
  /// request per `pageSize` members (at most 100).
  func members(statuses: [String]? = nil, pageSize: Int = 100) async throws -> [JSONValue] {
    let limit = Self.clamp(pageSize, Self.membersPageMax)
    guard let statuses else {
      let first = request(.GET, base + "/members/v1/members?fieldsets=FULL")
      return try await walk(first, limit: limit, items: "members", metadata: "metadata")
    }
    let query: JSONValue = ["filter": ["status": ["$in": .array(statuses.map(JSONValue.string))]]]
    let first = request(
      .POST, base + "/members/v1/members/query", body: ["query": query, "fieldsets": ["FULL"]], idempotent: true)
    return try await walk(first, limit: limit, items: "members", metadata: "metadata")
  }

  // MARK: Paging

  static let oldestFirst: JSONValue = [["fieldName": "createdDate", "order": "ASC"]]

  static func clamp(_ size: Int, _ maximum: Int) -> Int { min(max(size, 1), maximum) }

  /// What may stand unescaped in one path segment (an id).
  static let pathSegmentAllowed = CharacterSet.urlPathAllowed.subtracting(CharacterSet(charactersIn: "/"))

  func contactURL(_ id: String) -> String {
    base + "/contacts/v4/contacts/" + (id.addingPercentEncoding(withAllowedCharacters: Self.pathSegmentAllowed) ?? id)
  }

  /// Every item of an offset-paged list, one request per `limit` items. A refused page becomes
  /// `refuse`'s error when it has one for the answer, else the platform's words.
  func walk(
    _ first: HTTPRequestSpec, limit: Int, items key: String, metadata: String = "pagingMetadata",
    refuse: (HTTPResult) -> PlatformError? = { _ in nil }
  ) async throws -> [JSONValue] {
    do {
      let pager = try Pager.offset(first, limit: limit, metadata: metadata)
      // Wix leaves an empty list out of an answer.
      return try await http.pages(pager) { answer in JSONValue.parse(answer.body)?[key]?.array ?? [] }
    } catch let failure as HTTPFailure {
      if case .unsuccessful(_, let result) = failure, let refusal = refuse(result) { throw refusal }
      throw try Self.error(failure, method: first.method, url: first.url)
    }
  }
}
