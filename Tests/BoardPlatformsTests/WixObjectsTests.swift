import BoardHTTP
import BoardSupport
import BoardTesting
import Foundation
import Testing

@testable import BoardPlatforms

/// A Wix simulator process and a `WixAPI` talking to it through the shared HTTP layer.
struct WixObjectsRig {
  let simulator: WixSimulatorProcess
  let api: WixAPI

  /// Starts a simulator (`arguments`, `seed` as its `--seed` file), runs `body` with a client of
  /// it, then shuts both down, whether `body` threw or not.
  static func with(
    _ arguments: [String] = [], seed: JSONValue? = nil, _ body: (WixObjectsRig) async throws -> Void
  ) async throws {
    let folder = TemporaryFolder()
    var all = ["--rate-limit", "10000"] + arguments
    if let seed { all += ["--seed", folder.write("seed.json", String(decoding: seed.data, as: UTF8.self))] }
    let simulator = try await WixSimulatorProcess.start(all)
    let runtime = HTTPRuntime()
    let key = simulator.apiKey
    let http = BoardHTTPClient(
      runtime: runtime,
      .init(
        board: "wix-objects", rateLimit: RateLimit(10_000, per: .seconds(1)),
        policy: RetryPolicy(maxAttempts: 2, baseDelay: .milliseconds(1)),
        authenticator: WixKeyAuthenticator(key: HTTPSecret { key }, siteID: simulator.siteID),
        isThrottled: WixAPI.isThrottled))
    let rig = WixObjectsRig(simulator: simulator, api: WixAPI(base: simulator.url, http: http))
    var failure: (any Error)?
    do { try await body(rig) } catch { failure = error }
    await runtime.shutdown()
    await simulator.stop()
    withExtendedLifetime(folder) {}
    if let failure { throw failure }
  }

  /// `POST /_sim/edit/contacts/{id}`: an edit in the Wix dashboard (revision up).
  func edit(contact id: String, _ info: String) async throws {
    _ = try await simulator.json(.POST, "/_sim/edit/contacts/\(id)", #"{"info": \#(info)}"#)
  }

  /// `POST /_sim/forms/{formID}/submit`, `count` times: visitors submitting a form.
  func submit(form formID: String, count: Int) async throws {
    for index in 0..<count {
      _ = try await simulator.json(.POST, "/_sim/forms/\(formID)/submit", #"{"submissions": {"n": "\#(index)"}}"#)
    }
  }
}

// One test at a time: each starts a simulator process (and boardctl runs), and all at once they
// would load a 2-core machine enough to starve the suite's timing-sensitive tests.
@Suite("Wix objects: contacts, form submissions, members", .serialized)
struct WixObjectsTests {
  static func people(_ count: Int) -> JSONValue {
    .array(
      (0..<count).map { index in
        [
          "info": [
            "name": ["first": "Person", "last": .string("No\(index)")],
            "emails": ["items": [["tag": "MAIN", "email": .string("person\(index)@example.com")]]],
          ]
        ]
      })
  }

  static func info(first: String, last: String, email: String) -> JSONValue {
    [
      "name": ["first": .string(first), "last": .string(last)],
      "emails": ["items": [["tag": "MAIN", "email": .string(email)]]],
    ]
  }

  /// `json` with `value` at `path` (objects made on the way).
  static func setting(_ json: JSONValue, _ path: [String], to value: JSONValue) -> JSONValue {
    guard let key = path.first else { return value }
    var object = json.object ?? [:]
    object[key] = setting(object[key] ?? [:], Array(path.dropFirst()), to: value)
    return .object(object)
  }

  // MARK: Contacts

  @Test("reading every contact costs one query per page")
  func contactsPageByPage() async throws {
    // Pages of 100 rather than Wix's 1,000: the same walk with a tenth of the parsing, which
    // would otherwise hold a core of this test process for seconds.
    try await WixObjectsRig.with(seed: ["contacts": Self.people(250)]) { rig in
      let contacts = try await rig.api.contacts(pageSize: 100)
      // The simulator's site also has its blog owner, a member and so a contact.
      #expect(contacts.count == 251)
      #expect(Set(contacts.compactMap { $0["id"]?.string }).count == 251)
      #expect(try await rig.simulator.requests("POST /contacts/v4/contacts/query") == 3)
    }
  }

  @Test("a read by updatedDate returns only the contacts changed since")
  func contactsUpdatedSince() async throws {
    try await WixObjectsRig.with(seed: ["contacts": Self.people(30)]) { rig in
      let before = try await rig.api.contacts(pageSize: 7)
      let dates = before.compactMap { $0["updatedDate"]?.string }
      let since = try #require(dates.max())
      let id = try #require(before[12]["id"]?.string)
      try await rig.edit(contact: id, #"{"name": {"first": "Changed", "last": "Person"}}"#)
      let changed = try await rig.api.contacts(updatedSince: since)
      #expect(changed.map { $0["id"]?.string } == [id])
      #expect(changed.first?["info"]?["name"]?["first"]?.string == "Changed")
    }
  }

  @Test("a contact is found by email, in any case, with one query")
  func contactByEmail() async throws {
    try await WixObjectsRig.with(seed: ["contacts": Self.people(5)]) { rig in
      let found = try await rig.api.contact(email: "Person3@Example.com")
      #expect(found?["info"]?["name"]?["last"]?.string == "No3")
      #expect(try await rig.api.contact(email: "nobody@example.com") == nil)
      #expect(try await rig.simulator.requests("POST /contacts/v4/contacts/query") == 2)
    }
  }

  @Test(
    "creating a contact whose email is taken is refused, saying the email belongs to a contact (without quoting it)")
  func duplicateContact() async throws {
    try await WixObjectsRig.with { rig in
      let created = try await rig.api.createContact(info: Self.info(first: "Ada", last: "L", email: "ada@example.com"))
      #expect(created["revision"]?.int == 1)
      let error = await #expect(throws: PlatformError.self) {
        _ = try await rig.api.createContact(info: Self.info(first: "Ada", last: "M", email: "ADA@example.com"))
      }
      #expect(error?.kind == .invalid)
      #expect(error?.description.contains("its email already belongs to a contact") == true)
      #expect(error?.description.contains("ADA@example.com") == false, "no personal data in errors")
      #expect(try await rig.simulator.stats()["contacts_per_email"]?["ada@example.com"]?.int == 1)
    }
  }

  @Test("with duplicates allowed, a second contact with the same email is created")
  func allowedDuplicate() async throws {
    try await WixObjectsRig.with { rig in
      let info = Self.info(first: "Ada", last: "L", email: "ada@example.com")
      let first = try await rig.api.createContact(info: info)
      let second = try await rig.api.createContact(info: info, allowDuplicates: true)
      #expect(first["id"] != second["id"])
      #expect(try await rig.simulator.stats()["contacts_per_email"]?["ada@example.com"]?.int == 2)
    }
  }

  @Test("create-or-find returns the existing contact when the email is taken")
  func createOrFind() async throws {
    try await WixObjectsRig.with { rig in
      let info = Self.info(first: "Ada", last: "L", email: "ada@example.com")
      let made = try await rig.api.createOrFindContact(info: info)
      let again = try await rig.api.createOrFindContact(info: info)
      #expect(made.created && !again.created)
      #expect(made.contact["id"] == again.contact["id"])
    }
  }

  @Test("a create whose answer is lost is looked up by email, not sent again")
  func lostCreate() async throws {
    try await WixObjectsRig.with { rig in
      // Every create is committed, then its connection reset; queries are left alone.
      try await rig.simulator.setFaults(
        #"{"endpoints": {"POST /contacts/v4/contacts": {"reset_after": 1}, "POST /contacts/v4/contacts/query": {}}}"#)
      let created = try await rig.api.createContact(info: Self.info(first: "Ada", last: "L", email: "ada@example.com"))
      #expect(created["primaryInfo"]?["email"]?.string == "ada@example.com")
      #expect(try await rig.simulator.requests("POST /contacts/v4/contacts") == 1)
      #expect(try await rig.simulator.stats()["contacts_per_email"]?["ada@example.com"]?.int == 1)
    }
  }

  @Test("with duplicates allowed, a create whose answer is lost fails instead of being sent again")
  func lostDuplicateCreate() async throws {
    try await WixObjectsRig.with { rig in
      try await rig.simulator.setFaults(#"{"endpoints": {"POST /contacts/v4/contacts": {"reset_after": 1}}}"#)
      let info = Self.info(first: "Ada", last: "L", email: "ada@example.com")
      let error = await #expect(throws: PlatformError.self) {
        _ = try await rig.api.createContact(info: info, allowDuplicates: true)
      }
      #expect(error?.kind == .unknownOutcome)
      #expect(try await rig.simulator.requests("POST /contacts/v4/contacts") == 1)
    }
  }

  @Test("an update whose answer is lost is read again and found done, not sent again")
  func lostUpdate() async throws {
    try await WixObjectsRig.with(seed: ["contacts": Self.people(1)]) { rig in
      let id = try #require(try await rig.api.contact(email: "person0@example.com")?["id"]?.string)
      try await rig.simulator.setFaults(#"{"endpoints": {"PATCH /contacts/v4/contacts/": {"reset_after": 1}}}"#)
      let updated = try await rig.api.updateContact(id: id) { Self.setting($0, ["name", "first"], to: "Grace") }
      #expect(updated["info"]?["name"]?["first"]?.string == "Grace")
      #expect(updated["revision"]?.int == 2)
      #expect(try await rig.simulator.requests("PATCH /contacts/v4/contacts/{id}") == 1)
    }
  }

  @Test("an update PATCHes the changed fields with the revision read")
  func update() async throws {
    try await WixObjectsRig.with(seed: ["contacts": Self.people(1)]) { rig in
      let id = try #require(try await rig.api.contact(email: "person0@example.com")?["id"]?.string)
      let updated = try await rig.api.updateContact(id: id) { Self.setting($0, ["name", "first"], to: "Grace") }
      #expect(updated["revision"]?.int == 2)
      #expect(updated["info"]?["name"]?["first"]?.string == "Grace")
      #expect(updated["info"]?["name"]?["last"]?.string == "No0")
      let unchanged = try await rig.api.updateContact(id: id) { Self.setting($0, ["name", "first"], to: "Grace") }
      #expect(unchanged["revision"]?.int == 2)
      #expect(try await rig.simulator.requests("PATCH /contacts/v4/contacts/{id}") == 1)
    }
  }

  @Test("a stale revision is read again and the change re-applied, keeping the other edit")
  func staleRevision() async throws {
    try await WixObjectsRig.with(seed: ["contacts": Self.people(1)]) { rig in
      let id = try #require(try await rig.api.contact(email: "person0@example.com")?["id"]?.string)
      var calls = 0
      let updated = try await rig.api.updateContact(id: id) { info in
        calls += 1
        // Someone edits the contact in the dashboard between boardctl's read and its write.
        if calls == 1 { try await rig.edit(contact: id, #"{"name": {"first": "Person", "last": "Theirs"}}"#) }
        return Self.setting(info, ["name", "first"], to: "Ours")
      }
      #expect(calls == 2)
      #expect(updated["info"]?["name"]?["first"]?.string == "Ours")
      #expect(updated["info"]?["name"]?["last"]?.string == "Theirs")
      #expect(updated["revision"]?.int == 3)
      #expect(try await rig.simulator.requests("PATCH /contacts/v4/contacts/{id}") == 2)
    }
  }

  @Test("a contact that keeps changing is never overwritten: the update fails after three re-reads")
  func staleRevisionGivesUp() async throws {
    try await WixObjectsRig.with(seed: ["contacts": Self.people(1)]) { rig in
      let id = try #require(try await rig.api.contact(email: "person0@example.com")?["id"]?.string)
      var calls = 0
      let error = await #expect(throws: PlatformError.self) {
        _ = try await rig.api.updateContact(id: id) { info in
          calls += 1
          try await rig.edit(contact: id, #"{"name": {"first": "Person", "last": "Theirs\#(calls)"}}"#)
          return Self.setting(info, ["name", "first"], to: "Ours")
        }
      }
      #expect(error?.description.contains("changed 4 times while boardctl was updating it") == true)
      #expect(try await rig.simulator.requests("PATCH /contacts/v4/contacts/{id}") == 4)
      let contact = try await rig.api.contact(id: id)
      #expect(contact["info"]?["name"]?["first"]?.string == "Person")
      #expect(contact["info"]?["name"]?["last"]?.string == "Theirs4")
    }
  }

  @Test("a label is found or created by name, and added to a contact")
  func labels() async throws {
    try await WixObjectsRig.with(seed: ["contacts": Self.people(1)]) { rig in
      let id = try #require(try await rig.api.contact(email: "person0@example.com")?["id"]?.string)
      let key = try await rig.api.label(displayName: "Applicant")
      #expect(key == "custom.applicant")
      #expect(try await rig.api.label(displayName: "applicant") == key)
      let labelled = try await rig.api.addLabels(contactID: id, keys: [key])
      #expect(labelled["info"]?["labelKeys"]?["items"] == [.string(key)])
      let unlabelled = try await rig.api.removeLabels(contactID: id, keys: [key])
      #expect(unlabelled["info"]?["labelKeys"]?["items"] == [])
      #expect(try await rig.simulator.stats()["objects"]?["labels"]?.int == 1)
    }
  }

  @Test("the link field is found or created once, and finds the contact it tags")
  func linkField() async throws {
    try await WixObjectsRig.with { rig in
      let key = try await rig.api.linkField()
      #expect(key == "custom.boardctl-link")
      #expect(try await rig.api.linkField() == key)
      #expect(try await rig.simulator.stats()["objects"]?["extendedFields"]?.int == 1)
      var info = Self.info(first: "Ada", last: "L", email: "ada@example.com")
      info = Self.setting(info, ["extendedFields", "items", key], to: "posting/welder")
      let created = try await rig.api.createContact(info: info)
      #expect(try await rig.api.contact(linkKey: key, value: "posting/welder")?["id"] == created["id"])
      #expect(try await rig.api.contact(linkKey: key, value: "posting/other") == nil)
    }
  }

  @Test("without the extended-fields permission the link field is a clear error naming it")
  func linkFieldWithoutScope() async throws {
    try await WixObjectsRig.with(["--scopes", "blog,contacts,forms,members"]) { rig in
      let error = await #expect(throws: PlatformError.self) { _ = try await rig.api.linkField() }
      #expect(error?.kind == .forbidden)
      #expect(error?.description.contains("Manage Extended Fields permission (MANAGE-EX-FIELDS)") == true)
    }
  }

  // MARK: Form submissions

  @Test("form submissions are read 100 per request, of one form")
  func formsPageByPage() async throws {
    try await WixObjectsRig.with { rig in
      try await rig.submit(form: "f1", count: 150)
      try await rig.submit(form: "f2", count: 3)
      let submissions = try await rig.api.formSubmissions(formID: "f1")
      #expect(submissions.count == 150)
      #expect(submissions.allSatisfy { $0["formId"]?.string == "f1" })
      #expect(try await rig.simulator.requests("POST /form-submission-service/v4/submissions/namespace/query") == 2)
      #expect(try await rig.api.formSubmissions().count == 153)
    }
  }

  @Test("a read of form submissions by updatedDate returns only the newer ones")
  func formsUpdatedSince() async throws {
    try await WixObjectsRig.with { rig in
      try await rig.submit(form: "f1", count: 3)
      let dates = try await rig.api.formSubmissions().compactMap { $0["updatedDate"]?.string }
      let since = try #require(dates.max())
      try await rig.submit(form: "f1", count: 2)
      #expect(try await rig.api.formSubmissions(formID: "f1", updatedSince: since).count == 2)
    }
  }

  @Test("a site without the Wix Forms app is a clear error saying to install it")
  func noFormsApp() async throws {
    try await WixObjectsRig.with(["--no-forms-app"]) { rig in
      let error = await #expect(throws: PlatformError.self) { _ = try await rig.api.formSubmissions() }
      #expect(error?.kind == .invalid)
      #expect(error?.description.contains("has no Wix Forms app") == true)
      #expect(error?.description.contains("install Wix Forms on the site") == true)
    }
  }

  @Test("a 400 naming the Forms app reads the same; other answers do not")
  func formsAppRefusals() throws {
    func refusal(_ status: Int, _ message: String) -> PlatformError? {
      WixAPI.noFormsApp(status: status, body: JSONValue.object(["message": .string(message)]).data)
    }
    #expect(refusal(400, "The Wix Forms app is not installed")?.kind == .invalid)
    #expect(refusal(428, "")?.kind == .invalid)
    #expect(refusal(400, "namespace must be provided in the query filter") == nil)
    #expect(refusal(403, "Missing permissions: MANAGE-SUBMISSIONS") == nil)
  }

  // MARK: Members

  static func members(_ count: Int) -> JSONValue {
    .array(
      (0..<count).map { index in
        ["loginEmail": .string("member\(index)@example.com"), "status": index % 10 == 0 ? "PENDING" : "APPROVED"]
      })
  }

  @Test("members are read 100 per request, with their status")
  func membersPageByPage() async throws {
    try await WixObjectsRig.with(seed: ["members": Self.members(250)]) { rig in
      let members = try await rig.api.members()
      // The simulator's site also has its blog owner.
      #expect(members.count == 251)
      #expect(members.filter { $0["status"]?.string == "PENDING" }.count == 25)
      #expect(members.filter { $0["status"]?.string == "APPROVED" }.count == 226)
      #expect(try await rig.simulator.requests("GET /members/v1/members") == 3)
    }
  }

  @Test("members of some statuses are read through the members query")
  func membersByStatus() async throws {
    try await WixObjectsRig.with(seed: ["members": Self.members(250)]) { rig in
      let pending = try await rig.api.members(statuses: ["PENDING"], pageSize: 10)
      #expect(pending.count == 25)
      #expect(pending.allSatisfy { $0["loginEmail"]?.string?.hasSuffix("@example.com") == true })
      #expect(try await rig.simulator.requests("POST /members/v1/members/query") == 3)
    }
  }
}
