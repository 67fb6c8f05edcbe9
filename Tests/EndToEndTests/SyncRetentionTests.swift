import BoardHTTP
import BoardState
import BoardSupport
import BoardTesting
import Foundation
import Testing

extension SyncTests {
  @Test(
    "retention purges both sides of each expired link on both platforms, journaled; on_delete: delete removes a vanished source's target"
  )
  func retentionAndDeletes() async throws {
    let rules = """
      kind: SyncRule
      name: contacts
      source: {board: site, object: contacts, filter: {job_title: [Applicant]}}
      target: {board: ats, object: candidates}
      match: {source: email, target: email}
      map: {email: {field: email, transform: lowercase}, full_name: {template: "{{first_name}} {{last_name}}"}}
      on_delete: delete
      retention: {days: 30, action: anonymize}
      ---
      kind: SyncRule
      name: applications
      source: {board: site, object: form_submissions}
      target: {board: ats, object: candidates}
      match: {source: email, target: email}
      map: {email: {field: email, transform: lowercase}, full_name: {template: "{{first_name}} {{last_name}}"}}
      retention: {days: 30, action: delete}
      """
    func applicant(_ first: String) -> JSONValue {
      var contact = SyncRig.contact(first, "Tui", email: "\(first.lowercased())@example.org").object!
      var info = contact["info"]!.object!
      info["jobTitle"] = "Applicant"
      contact["info"] = .object(info)
      return .object(contact)
    }
    let rig = try await SyncRig.start(rules: rules, seedContacts: ["Ana", "Bo", "Di"].map(applicant))
    _ = try await rig.wix.json(
      .POST, "/_sim/forms/job-application/submit",
      #"{"submissions": {"first_name": "Fay", "last_name": "Tui", "email": "fay@example.org"}}"#)
    var boardctl = rig.boardctl
    func apply(on day: String) async throws {
      boardctl.environment["BOARDCTL_NOW"] = "\(day)T10:00:00Z"
      let applied = try await boardctl.run("apply", "--auto-approve")
      #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
    }
    // The site owner's contact is no applicant: the filter keeps it out.
    let owner = "owner@sim.example"
    func candidateEmails() async throws -> [String] {
      try await rig.candidates().compactMap { $0["email"] as? String }.filter { $0 != owner }.sorted()
    }
    func contactEmails() async throws -> [String] {
      try await rig.contacts().compactMap { $0["primaryInfo"]?["email"]?.string }.filter { $0 != owner }.sorted()
    }
    try await apply(on: "2026-01-01")
    #expect(
      try await candidateEmails()
        == ["ana@example.org", "bo@example.org", "di@example.org", "fay@example.org"])

    // Di's contact goes from the site (on_delete: delete takes her candidate); Ed arrives later.
    let di = try #require(try await rig.contacts().first { $0["primaryInfo"]?["email"]?.string == "di@example.org" })
    _ = try await rig.wix.json(.DELETE, "/contacts/v4/contacts/\(di["id"]!.string!)", auth: true)
    let ed = JSONValue.object(["info": applicant("Ed")["info"]!])
    _ = try await rig.wix.json(.POST, "/contacts/v4/contacts", String(decoding: ed.data, as: UTF8.self), auth: true)
    try await apply(on: "2026-01-20")
    #expect(
      try await candidateEmails()
        == ["ana@example.org", "bo@example.org", "ed@example.org", "fay@example.org"])

    // 35 days after the first run: Ana, Bo and Fay are past retention, Ed (16 days) is not.
    boardctl.environment["BOARDCTL_NOW"] = "2026-02-05T10:00:00Z"
    let plan = try await boardctl.run("plan")
    #expect(plan.stdout.contains("past the rule's 30-day retention"), "\(plan.stdout)")
    #expect(plan.stdout.contains("Sync: 3 to purge."), "\(plan.stdout)")
    #expect(!plan.stdout.contains("ana@example.org"), "masked: \(plan.stdout)")
    try await apply(on: "2026-02-05")

    // anonymize: both records stay, their personal data blanked; delete: both records go, the
    // submission for good (not into the site's trash bin).
    #expect(try await candidateEmails() == ["ed@example.org"])
    let names = try await rig.candidates().compactMap { $0["full_name"] as? String }
    #expect(names.filter { $0 == "Anonymized" }.count == 2 && names.contains("Ed Tui"), "\(names)")
    #expect(try await contactEmails() == ["ed@example.org"])
    let anonymized = try await rig.contacts().filter { $0["info"]?["name"]?["first"]?.string == "Anonymized" }
    #expect(anonymized.count == 2)
    let objects = try await rig.wix.stats()["objects"]
    #expect(objects?["submissions"]?.int == 0 && objects?["trashedSubmissions"]?.int == 0)

    // Each purge is journaled by address, without the person's data.
    let store = try #require(try SQLiteStateStore.openReadOnly(path: rig.folder.path + "/.boardctl/state.db"))
    let journal = try await store.journal(limit: 1_000)
    let purges = journal.filter { $0.action == "sync-purge" && $0.outcome == "ok" }.map(\.address)
    #expect(purges.count == 3 && purges.filter { $0.hasPrefix("sync.contacts.") }.count == 2, "\(purges)")
    #expect(journal.contains { $0.action == "sync-delete" && $0.outcome == "ok" })
    let text = journal.map { "\($0)" }.joined()
    #expect(!text.contains("ana@example.org") && !text.contains("fay@example.org"))

    // A full read after the purge moves nothing: the anonymized contacts lost what the filter
    // selects (and their links are markers that keep them from syncing again).
    _ = try await boardctl.run("sync", "reset", "contacts")
    let again = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(again.status == 0 && again.stdout.contains("Sync: nothing to move."), "\(again.stdout)\(again.stderr)")
    let marker = try await boardctl.run("state", "show", "sync.contacts.\(anonymized[0]["id"]!.string!)")
    #expect(marker.stdout.contains("forgotten"), "\(marker.stdout)")
  }

  @Test(
    "a person one rule's retention erased is not written back by another rule that links them; their notes go with them"
  )
  func retentionAcrossRules() async throws {
    // The purging rule comes first: the contacts rule's update in the same apply must not write
    // her back into the record it just erased.
    let rules = """
      kind: SyncRule
      name: applications
      source: {board: site, object: form_submissions}
      target: {board: ats, object: candidates}
      match: {source: email, target: email}
      map:
        email: {field: email, transform: lowercase}
        full_name: {template: "{{first_name}} {{last_name}}"}
        note: {template: "Why: {{why}}"}
      retention: {days: 30, action: anonymize}
      ---
      kind: SyncRule
      name: contacts
      source: {board: site, object: contacts}
      target: {board: ats, object: candidates}
      match: {source: email, target: email}
      map: {email: {field: email, transform: lowercase}, full_name: {template: "{{first_name}} {{last_name}}"}, phone_number: phone}
      direction: two_way
      conflict: review
      """
    let rig = try await SyncRig.start(
      rules: rules, seedContacts: [SyncRig.contact("Mere", "Tui", email: "mere@example.org", phone: "+679 1")])
    _ = try await rig.wix.json(
      .POST, "/_sim/forms/job-application/submit",
      #"{"submissions": {"first_name": "Mere", "last_name": "Tui", "email": "mere@example.org", "why": "secret-why"}}"#)
    var boardctl = rig.boardctl
    func apply(on day: String) async throws -> String {
      boardctl.environment["BOARDCTL_NOW"] = "\(day)T10:00:00Z"
      let applied = try await boardctl.run("apply", "--auto-approve")
      #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
      return applied.stdout
    }
    func mere() async throws -> [[String: Any]] {
      try await rig.candidates().filter { ($0["email"] as? String) == "mere@example.org" }
    }
    _ = try await apply(on: "2026-01-01")
    let id = try #require(try await mere().first?["id"] as? Int)
    let notes = try await rig.manatal.json(.GET, rig.manatal.url + "/candidates/\(id)/notes/", auth: true)
    #expect((notes as? [[String: Any]])?.count == 1, "the answers are a note: \(notes)")

    // Past retention: the submission goes; the candidate holds a note Manatal cannot remove, so it
    // goes too. The contacts rule then forgets its link instead of writing her back.
    let contactID = try #require(
      try await rig.contacts().first { $0["primaryInfo"]?["email"]?.string == "mere@example.org" }?["id"]?.string)
    _ = try await rig.wix.json(
      .POST, "/_sim/edit/contacts/\(contactID)",
      #"{"info": {"emails": {"items": [{"tag": "MAIN", "email": "mere@example.org"}]}, "phones": {"items": [{"tag": "MOBILE", "phone": "+679 2"}]}}}"#
    )
    _ = try await apply(on: "2026-02-05")
    #expect(try await rig.candidates().contains { $0["id"] as? Int == id } == false)
    #expect(try await rig.wix.stats()["objects"]?["submissions"]?.int == 0)
    let after = try await apply(on: "2026-02-06")
    #expect(try await mere().isEmpty, "not written back: \(after)")
    let quiet = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(quiet.status == 0, "\(quiet.stdout)")
    let shown = try await boardctl.run("state", "show", "sync.contacts.\(contactID)")
    #expect(shown.stdout.contains("forgotten"), "the contacts rule keeps her out: \(shown.stdout)")
  }
}
