import BoardHTTP
import BoardState
import BoardSupport
import BoardTesting
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// Site contacts ↔ candidates, both ways, conflicts to review.
let contactsRule = """
  kind: SyncRule
  name: contacts
  source: {board: site, object: contacts}
  target: {board: ats, object: candidates}
  match: {source: email, target: email}
  map:
    full_name: {template: "{{first_name}} {{last_name}}"}
    email: {field: email, transform: lowercase}
    phone_number: phone
  direction: two_way
  conflict: review
  """

// One test at a time: each starts two simulator processes and many boardctl runs.
@Suite("Sync rules against both simulators", .serialized)
struct SyncTests {
  @Test("contacts become candidates (matched by email), edits flow both ways, a double edit waits for review")
  func contactsBothWays() async throws {
    let seed = (0..<12).map {
      SyncRig.contact("Person", "N\($0)", email: "Person.\($0)@Example.org", phone: "+679 555 01\($0)")
    }
    let existing: [JSONValue] = [["full_name": "Person N3", "email": "person.3@example.org"]]
    let rig = try await SyncRig.start(rules: contactsRule, seedContacts: seed, seedCandidates: existing)
    let plan = try await rig.boardctl.run("plan")
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.contains("Sync: 12 to create, 1 to link."), "the owner's contact too: \(plan.stdout)")
    #expect(plan.stdout.contains("(p•••@e•••.org)"), "emails masked: \(plan.stdout)")
    #expect(!plan.stdout.contains("person.5@example.org") && !plan.stdout.contains("+679"))
    let apply = try await rig.boardctl.run("apply", "--auto-approve")
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    var candidates = try await rig.candidates()
    #expect(candidates.count == 13)
    #expect(SyncRig.duplicates(candidates.compactMap { $0["email"] as? String }) == [])
    let five = try #require(candidates.first { $0["email"] as? String == "person.5@example.org" })
    #expect(five["full_name"] as? String == "Person N5" && five["phone_number"] as? String == "+679 555 015")

    // Nothing changed: a plan moves nothing, and once the cursors settle a run reads one page per side.
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    let quiet = try await rig.boardctl.run("plan", "--detailed-exitcode")
    #expect(quiet.status == 0, "\(quiet.stdout)")
    let before = try await (rig.wix.stats(), rig.manatal.stats())
    #expect(try await rig.boardctl.run("plan").status == 0)
    let after = try await (rig.wix.stats(), rig.manatal.stats())
    #expect(
      (after.0["requests_by_endpoint"]?["POST /contacts/v4/contacts/query"]?.int ?? 0)
        - (before.0["requests_by_endpoint"]?["POST /contacts/v4/contacts/query"]?.int ?? 0) == 1)
    #expect(after.1.requests("GET /open/v3/candidates/") - before.1.requests("GET /open/v3/candidates/") == 1)

    // An edit on the site reaches the ATS; one in the ATS reaches the site.
    let contacts = try await rig.contacts()
    let contact5 = try #require(contacts.first { $0["primaryInfo"]?["email"]?.string == "person.5@example.org" })
    _ = try await rig.wix.json(
      .POST, "/_sim/edit/contacts/\(contact5["id"]!.string!)", #"{"info": {"name": {"first": "Pita", "last": "N5"}}}"#)
    let id7 = try #require(candidates.first { $0["email"] as? String == "person.7@example.org" }?["id"] as? Int)
    _ = try await rig.manatal.json(
      .POST, rig.manatal.root + "/_sim/edit/candidates/\(id7)/", #"{"phone_number": "+679 999 0007"}"#)
    let edits = try await rig.boardctl.run("apply", "--auto-approve")
    #expect(edits.status == 0, "\(edits.stdout)\(edits.stderr)")
    candidates = try await rig.candidates()
    #expect(candidates.first { $0["email"] as? String == "person.5@example.org" }?["full_name"] as? String == "Pita N5")
    let contact7 = try await rig.contacts().first { $0["primaryInfo"]?["email"]?.string == "person.7@example.org" }
    #expect(contact7?["primaryInfo"]?["phone"]?.string == "+679 999 0007")
    // Our own writes come back through both cursors and are not bounced.
    let settled = try await rig.boardctl.run("apply", "--auto-approve")
    #expect(!settled.stdout.contains("record action"), "an echo was written back: \(settled.stdout)")
    #expect(try await rig.boardctl.run("plan", "--detailed-exitcode").status == 0)

    // Both sides change the same field: nothing is written, both values are shown, every run.
    let contact9 = try #require(contacts.first { $0["primaryInfo"]?["email"]?.string == "person.9@example.org" })
    let id9 = try #require(candidates.first { $0["email"] as? String == "person.9@example.org" }?["id"] as? Int)
    _ = try await rig.wix.json(
      .POST, "/_sim/edit/contacts/\(contact9["id"]!.string!)",
      #"{"info": {"phones": {"items": [{"tag": "MOBILE", "phone": "+679 111"}]}}}"#)
    _ = try await rig.manatal.json(
      .POST, rig.manatal.root + "/_sim/edit/candidates/\(id9)/", #"{"phone_number": "+679 222"}"#)
    for _ in 0..<2 {
      let conflict = try await rig.boardctl.run("apply", "--auto-approve", "--show-personal-data")
      #expect(conflict.status == 0, "\(conflict.stderr)")
      #expect(conflict.stdout.contains(#"phone_number source: "+679 111"  target: "+679 222""#), "\(conflict.stdout)")
    }
    #expect(try await rig.candidates().first { ($0["id"] as? Int) == id9 }?["phone_number"] as? String == "+679 222")
    let phone9 = try await rig.contacts().first { $0["id"] == contact9["id"] }?["primaryInfo"]?["phone"]?.string
    #expect(phone9 == "+679 111")

    // A person decides: the conflict is listed, then the target's value is taken.
    let status = try await rig.boardctl.run("sync", "status")
    #expect(status.stdout.contains("links: 13, 1 waiting for review"), "\(status.stdout)")
    let listed = try await rig.boardctl.run("sync", "conflicts", "--show-personal-data")
    let record = contact9["id"]!.string!
    #expect(listed.stdout.contains("sync.contacts.\(record) → \(id9)"), "\(listed.stdout)")
    #expect(listed.stdout.contains(#"phone_number: site.contacts has "+679 111", ats.candidates has "+679 222""#))
    let resolved = try await rig.boardctl.run("sync", "resolve", "contacts", record, "--take", "target")
    #expect(resolved.status == 0, "\(resolved.stderr)")
    let phone = try await rig.contacts().first { $0["id"] == contact9["id"] }?["primaryInfo"]?["phone"]?.string
    #expect(phone == "+679 222")
    #expect(try await rig.boardctl.run("sync", "conflicts").stdout.contains("No conflicts."))
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    #expect(try await rig.boardctl.run("plan", "--detailed-exitcode").status == 0)

    // Forgetting the cursor reads every source record again (the target keeps its cursor), and
    // moves nothing.
    let reset = try await rig.boardctl.run("sync", "reset", "contacts")
    #expect(reset.stderr.contains("reads every record"), "\(reset.stderr)")
    let again = try await rig.boardctl.run("plan", "--detailed-exitcode")
    #expect(again.status == 0 && again.stdout.contains("13 records changed since the last run"), "\(again.stdout)")

    // The right to erasure: one person, on both boards, and no one else.
    let preview = try await rig.boardctl.run("forget", "person", "--email", "Person.5@example.org")
    #expect(preview.status == 0 && preview.stdout.contains("--apply"), "\(preview.stdout)\(preview.stderr)")
    #expect(try await rig.candidates().count == 13, "a preview deletes nothing")
    let forget = try await rig.boardctl.run("forget", "person", "--email", "Person.5@example.org", "--apply")
    #expect(forget.status == 0, "\(forget.stderr)")
    #expect(!forget.stdout.contains("person.5") && !forget.stdout.contains("Person.5"), "\(forget.stdout)")
    let left = try await rig.candidates().compactMap { $0["email"] as? String }
    #expect(left.count == 12 && !left.contains("person.5@example.org"))
    let contactsLeft = try await rig.contacts().compactMap { $0["primaryInfo"]?["email"]?.string }
    #expect(!contactsLeft.contains("person.5@example.org") && contactsLeft.contains("person.6@example.org"))
    // The link is gone; a marker holding only the day keeps the person from coming back.
    let marker = try await rig.boardctl.run("state", "show", "sync.contacts.\(contact5["id"]!.string!)")
    #expect(marker.stdout.contains("forgotten") && !marker.stdout.contains("remote_id"), "\(marker.stdout)")
  }

  @Test("form submissions with consent become candidates; without it they are counted, never moved")
  func applicationsWithConsent() async throws {
    let rule = """
      kind: SyncRule
      name: applications
      source: {board: site, object: form_submissions, filter: {form: job-application}}
      target: {board: ats, object: candidates}
      match: {source: email, target: email}
      map:
        full_name: {template: "{{first_name}} {{last_name}}"}
        email: {field: email, transform: lowercase}
        source_type: {const: applied}
      consent: {field: consent, values: [true, "yes"]}
      """
    let rig = try await SyncRig.start(rules: rule)
    for (index, consent) in ["true", "false", "yes", "true"].enumerated() {
      let email = index == 3 ? "APPLICANT.0@example.org" : "applicant.\(index)@example.org"
      _ = try await rig.wix.json(
        .POST, "/_sim/forms/job-application/submit",
        #"{"submissions": {"first_name": "A\#(index)", "last_name": "B", "email": "\#(email)", "consent": \#(consent == "yes" ? "\"yes\"" : consent)}}"#
      )
    }
    _ = try await rig.wix.json(
      .POST, "/_sim/forms/newsletter/submit", #"{"submissions": {"email": "news@example.org", "consent": true}}"#)
    let plan = try await rig.boardctl.run("plan")
    #expect(plan.stdout.contains("Sync: 2 to create, 1 skipped."), "\(plan.stdout)")
    #expect(plan.stdout.contains("1 more record with the same email link to it"), "\(plan.stdout)")
    #expect(plan.stdout.contains("no consent: consent holds no consenting value"))
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    let emails = try await rig.candidates().compactMap { $0["email"] as? String }.sorted()
    #expect(emails == ["applicant.0@example.org", "applicant.2@example.org"])
    #expect(try await rig.boardctl.run("plan", "--detailed-exitcode").status == 0)
  }

  @Test(
    "150 candidates sharing one updated_at across page boundaries, with failures and edits between runs: none missed, none twice"
  )
  func cursorBoundary() async throws {
    let stamp = "2026-11-20T10:00:00.000000Z"
    let seed: [JSONValue] = (0..<150).map {
      [
        "full_name": .string("Cand \($0)"), "email": .string("cand.\($0)@example.org"), "created_at": .string(stamp),
        "updated_at": .string(stamp),
      ]
    }
    let rule = """
      kind: SyncRule
      name: candidates-out
      source: {board: ats, object: candidates}
      target: {board: site, object: contacts}
      match: {source: email, target: email}
      map:
        email: email
        first_name: {field: full_name, transform: first_name}
        last_name: {field: full_name, transform: last_name}
      """
    // A third of the site's writes fail at first: the cursor must stop before the first failure.
    let rig = try await SyncRig.start(
      rules: rule,
      wix: [
        "--fault", "server-error=0.15@POST:/contacts/v4/contacts", "--fault",
        "reset-after=0.15@POST:/contacts/v4/contacts",
      ], seedCandidates: seed)
    let ids = try await rig.candidates().compactMap { $0["id"] as? Int }.sorted()
    #expect(ids.count == 150)
    let editing = [ids[3], ids[77], ids[149]]
    var runs = 0
    while runs < 8 {
      runs += 1
      let apply = try await rig.boardctl.run("apply", "--auto-approve")
      if runs == 1 {
        // Updates arrive between runs, to records read already and to records not read yet.
        for id in editing {
          _ = try await rig.manatal.json(
            .POST, rig.manatal.root + "/_sim/edit/candidates/\(id)/", #"{"full_name": "Edited \#(id)"}"#)
        }
        continue
      }
      if apply.status == 0 { break }
      #expect(apply.stderr.contains("retried on the next apply"), "\(apply.stderr)")
    }
    try await rig.wix.setFaults("{}")
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    let contacts = try await rig.contacts().filter { $0["primaryInfo"]?["email"]?.string?.hasPrefix("cand.") == true }
    #expect(contacts.count == 150)
    let emails = contacts.compactMap { $0["primaryInfo"]?["email"]?.string }
    #expect(SyncRig.duplicates(emails) == [])
    let edited = contacts.filter { $0["info"]?["name"]?["first"]?.string == "Edited" }
    #expect(edited.count == 3, "edits made between runs arrive: \(edited.count)")
    #expect(try await rig.boardctl.run("plan", "--detailed-exitcode").status == 0)
  }
}

extension SyncTests {
  @Test("Test Connection checks what the board's sync rules need, and names the missing permission or app")
  func connectionCards() async throws {
    let rules =
      contactsRule + """

        ---
        kind: SyncRule
        name: members-in
        source: {board: site, object: members}
        target: {board: ats, object: candidates}
        match: {source: email, target: email}
        map: {email: email, full_name: nickname}
        """
    let full = try await SyncRig.start(rules: rules)
    let ok = try await full.boardctl.run("boards", "test")
    #expect(ok.status == 0, "\(ok.stdout)\(ok.stderr)")
    #expect(ok.stdout.contains("contacts readable; members readable"), "\(ok.stdout)")
    // The blog owner check reads a member, so a key for sync rules without contacts fails there.
    let limited = try await SyncRig.start(rules: rules, wix: ["--scopes", "blog,members"])
    let card = try await limited.boardctl.run("boards", "test")
    #expect(card.status == 1)
    #expect(card.stdout.contains("contacts: the key may not read or write contacts"), "\(card.stdout)")
    #expect(card.stdout.contains("add the Manage Contacts permission"), "\(card.stdout)")
    #expect(card.stdout.contains("sync rule contacts needs it"), "\(card.stdout)")
  }
}

extension SyncTests {
  @Test(
    "bad input: a rule naming what its board lacks, or a source the key cannot read: one message with its position, exit 1, nothing moved"
  )
  func badInput() async throws {
    let rig = try await SyncRig.start(
      rules: contactsRule, wix: ["--scopes", "blog,members"],
      seedContacts: [SyncRig.contact("Ana", "Tui", email: "ana@example.org")])
    let plan = try await rig.boardctl.run("plan")
    #expect(plan.status == 1)
    #expect(plan.stderr.contains("boards.d/sync.yaml:3:"), "the rule's position: \(plan.stderr)")
    #expect(plan.stderr.contains("sync rule 'contacts' could not read its records"), "\(plan.stderr)")
    let apply = try await rig.boardctl.run("apply", "--auto-approve")
    #expect(apply.status == 1)
    #expect(try await rig.candidates().isEmpty, "nothing moved")

    rig.folder.write(
      "boards.d/sync.yaml", contactsRule.replacingOccurrences(of: "object: candidates", with: "object: candidate"))
    let invalid = try await rig.boardctl.run("plan")
    #expect(invalid.status == 1)
    #expect(invalid.stderr.contains("boards.d/sync.yaml:4:"), "\(invalid.stderr)")
    #expect(invalid.stderr.contains("manatal board 'ats' has no object 'candidate'"), "\(invalid.stderr)")
    #expect(invalid.stderr.contains("did you mean 'candidates'?"))
  }
}

extension SyncTests {
  @Test("new site members become candidates; --target selects one rule's records and leaves the other's for later")
  func membersInAndTargets() async throws {
    let rules = """
      kind: SyncRule
      name: members-in
      source: {board: site, object: members}
      target: {board: ats, object: candidates}
      match: {source: email, target: email}
      map:
        full_name: {template: "{{first_name}} {{last_name}}"}
        email: email
        source_type: {const: sourced}
      ---
      kind: SyncRule
      name: contacts-in
      source: {board: site, object: contacts}
      target: {board: ats, object: candidates}
      match: {source: email, target: email}
      map: {email: email, full_name: {template: "{{first_name}} {{last_name}}"}}
      """
    let rig = try await SyncRig.start(rules: rules)
    for name in ["Seru", "Lani"] {
      _ = try await rig.wix.json(
        .POST, "/members/v1/members",
        #"{"member": {"loginEmail": "\#(name.lowercased())@example.org", "contact": {"firstName": "\#(name)", "lastName": "Member"}}}"#,
        auth: true)
    }
    let only = try await rig.boardctl.run("apply", "--auto-approve", "--target", "sync.members-in")
    #expect(only.status == 0, "\(only.stderr)")
    // The owner member and the two new ones; the contacts rule waits.
    var names = try await rig.candidates().compactMap { $0["full_name"] as? String }.sorted()
    #expect(names == ["Blog Owner", "Lani Member", "Seru Member"], "\(names)")
    let rest = try await rig.boardctl.run("plan")
    #expect(
      rest.stdout.contains("# sync.contacts-in: site.contacts -> ats.candidates, 3 records changed"), "\(rest.stdout)")
    #expect(rest.stdout.contains("Sync: 3 to link."), "the members' contacts match their candidates: \(rest.stdout)")
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    names = try await rig.candidates().compactMap { $0["full_name"] as? String }.sorted()
    #expect(names.count == 3, "linked, not created again: \(names)")
    let typo = try await rig.boardctl.run("plan", "--target", "sync.member-in")
    #expect(typo.status == 1 && typo.stderr.contains("did you mean sync.members-in?"), "\(typo.stderr)")
  }

  @Test("an edit storm on both sides, then quiet: writes stop within two runs and none is an echo")
  func editStorm() async throws {
    let people = (0..<20).map { SyncRig.contact("P", "N\($0)", email: "p\($0)@example.org", phone: "+679 \($0)") }
    let rig = try await SyncRig.start(
      rules: contactsRule.replacingOccurrences(of: "conflict: review", with: "conflict: newest_wins"),
      seedContacts: people)
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    let contacts = try await rig.contacts()
    let candidates = try await rig.candidates()
    for index in 0..<20 {
      let email = "p\(index)@example.org"
      if index % 2 == 0, let id = contacts.first(where: { $0["primaryInfo"]?["email"]?.string == email })?["id"]?.string
      {
        _ = try await rig.wix.json(
          .POST, "/_sim/edit/contacts/\(id)",
          #"{"info": {"phones": {"items": [{"tag": "MOBILE", "phone": "+1 site \#(index)"}]}}}"#)
      }
      if index % 3 == 0, let id = candidates.first(where: { $0["email"] as? String == email })?["id"] as? Int {
        _ = try await rig.manatal.json(
          .POST, rig.manatal.root + "/_sim/edit/candidates/\(id)/", #"{"phone_number": "+1 ats \#(index)"}"#)
      }
    }
    var writes: [Int] = []
    for _ in 0..<3 {
      let run = try await rig.boardctl.run("apply", "--auto-approve")
      #expect(run.status == 0, "\(run.stderr)")
      let done = run.stdout.split(separator: "\n").first { $0.hasPrefix("Sync: ") }
      writes.append(done.flatMap { Int($0.dropFirst(6).split(separator: " ").first ?? "") } ?? 0)
    }
    #expect(writes[0] > 0 && writes[2] == 0, "writes per run: \(writes)")
    // Both sides agree on every phone.
    let phones = try await Dictionary(
      uniqueKeysWithValues: rig.candidates().compactMap { c in
        (c["email"] as? String).map { ($0, c["phone_number"] as? String) }
      })
    for contact in try await rig.contacts() {
      guard let email = contact["primaryInfo"]?["email"]?.string, email.hasPrefix("p") else { continue }
      #expect(phones[email] == contact["primaryInfo"]?["phone"]?.string, "\(email)")
    }
  }
}

extension SyncTests {
  @Test(
    "two rules writing one object make a person once; a saved plan moves only what it showed; a forgotten applicant stays forgotten"
  )
  func sharedTargetSavedPlanForgotten() async throws {
    let rules = """
      kind: SyncRule
      name: contacts-in
      source: {board: site, object: contacts}
      target: {board: ats, object: candidates}
      match: {source: email, target: email}
      map: {email: {field: email, transform: lowercase}, full_name: {template: "{{first_name}} {{last_name}}"}}
      ---
      kind: SyncRule
      name: applications
      source: {board: site, object: form_submissions}
      target: {board: ats, object: candidates}
      match: {source: email, target: email}
      map: {email: {field: email, transform: lowercase}, full_name: {template: "{{first_name}} {{last_name}}"}}
      """
    let rig = try await SyncRig.start(
      rules: rules, seedContacts: [SyncRig.contact("Ana", "Tui", email: "ana@example.org")])
    func submit(_ first: String, _ email: String) async throws {
      _ = try await rig.wix.json(
        .POST, "/_sim/forms/job-application/submit",
        #"{"submissions": {"first_name": "\#(first)", "last_name": "Tui", "email": "\#(email)"}}"#)
    }
    try await submit("Ana", "Ana@example.org")
    try await submit("Bo", "bo@example.org")
    let saved = try await rig.boardctl.run("plan", "--out", "reviewed.plan")
    #expect(
      saved.stdout.contains("rule contacts-in creates it first in this run, and this links to it"), "\(saved.stdout)")
    // A submission arriving after the review waits for the next plan.
    try await submit("Cy", "cy@example.org")
    let applied = try await rig.boardctl.run("apply", "reviewed.plan")
    #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
    var emails = try await rig.candidates().compactMap { $0["email"] as? String }.sorted()
    #expect(emails == ["ana@example.org", "bo@example.org", "owner@sim.example"], "one Ana, and no Cy yet: \(emails)")
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    emails = try await rig.candidates().compactMap { $0["email"] as? String }.sorted()
    #expect(emails.contains("cy@example.org") && emails.count == 4, "\(emails)")

    // Bo is forgotten: the candidate and the submission go, the submission for good (not into
    // the site's trash bin), and a full read finds nothing of Bo to bring back.
    func submissions() async throws -> (live: Int?, trashed: Int?) {
      let objects = try await rig.wix.stats()["objects"]
      return (objects?["submissions"]?.int, objects?["trashedSubmissions"]?.int)
    }
    #expect(try await submissions() == (3, 0))
    let forget = try await rig.boardctl.run("forget", "person", "--email", "bo@example.org", "--apply")
    #expect(forget.status == 0, "\(forget.stdout)\(forget.stderr)")
    #expect(forget.stdout.contains("- delete site.form_submissions "), "\(forget.stdout)")
    #expect(try await submissions() == (2, 0))
    _ = try await rig.boardctl.run("sync", "reset", "applications")
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    #expect(!(try await rig.candidates().contains { $0["email"] as? String == "bo@example.org" }))
    #expect(try await rig.boardctl.run("plan", "--detailed-exitcode").status == 0)
  }

  @Test("a field in review stays in review when the same record's other fields are written in that run")
  func reviewSurvivesOtherWrites() async throws {
    let rig = try await SyncRig.start(
      rules: contactsRule, seedContacts: [SyncRig.contact("Ana", "Tui", email: "ana@example.org", phone: "+679 1")])
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    let contact = try #require(
      try await rig.contacts().first { $0["primaryInfo"]?["email"]?.string == "ana@example.org" })
    let id = try #require(
      try await rig.candidates().first { $0["email"] as? String == "ana@example.org" }?["id"] as? Int)
    // Both phones change (a conflict) and the name changes on the site (an update), in one run.
    _ = try await rig.wix.json(
      .POST, "/_sim/edit/contacts/\(contact["id"]!.string!)",
      #"{"info": {"name": {"first": "Anna", "last": "Tui"}, "phones": {"items": [{"tag": "MOBILE", "phone": "+679 2"}]}}}"#
    )
    _ = try await rig.manatal.json(
      .POST, rig.manatal.root + "/_sim/edit/candidates/\(id)/", #"{"phone_number": "+679 3"}"#)
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    // The site changes the phone again: still a conflict, the ATS's value untouched.
    _ = try await rig.wix.json(
      .POST, "/_sim/edit/contacts/\(contact["id"]!.string!)",
      #"{"info": {"phones": {"items": [{"tag": "MOBILE", "phone": "+679 4"}]}}}"#)
    let run = try await rig.boardctl.run("apply", "--auto-approve", "--show-personal-data")
    #expect(run.stdout.contains(#"phone_number source: "+679 4"  target: "+679 3""#), "\(run.stdout)")
    let candidate = try await rig.candidates().first { ($0["id"] as? Int) == id }
    #expect(candidate?["phone_number"] as? String == "+679 3" && candidate?["full_name"] as? String == "Anna Tui")
  }
}

extension SyncTests {
  @Test("an application on the site becomes a candidate and a match on the Manatal job its form names, in one apply")
  func applicationIn() async throws {
    let rules = """
      kind: SyncRule
      name: applicants
      source: {board: site, object: form_submissions, filter: {form: job-application}}
      target: {board: ats, object: candidates}
      match: {source: email, target: email}
      map:
        email: {field: email, transform: lowercase}
        full_name: {template: "{{first_name}} {{last_name}}"}
        source_type: {const: applied}
        note: {template: "Why: {{why}} / CV: {{cv_url}}"}
      ---
      kind: SyncRule
      name: applications
      source: {board: site, object: form_submissions, filter: {form: job-application}}
      target: {board: ats, object: matches}
      map:
        candidate: {link: applicants}
        job: {field: job, placement: ats}
      """
    let rig = try await SyncRig.start(rules: rules)
    rig.folder.write(
      "boards.d/postings.yaml",
      """
      kind: Posting
      name: front-desk
      title: Front Desk Agent
      description: Welcome our guests.
      employment_type: full_time
      location: {city: Suva, region: Central, country: FJ}
      salary: {min: 20000, max: 26000, currency: FJD, period: year}
      valid_through: 2027-06-30
      boards: [ats]
      """)
    for (first, job) in [("Litia", "front-desk"), ("Sam", "chef")] {
      _ = try await rig.wix.json(
        .POST, "/_sim/forms/job-application/submit",
        #"{"submissions": {"first_name": "\#(first)", "last_name": "N", "email": "\#(first.lowercased())@example.org", "job": "\#(job)", "why": "I like people", "cv_url": "https://cv.example/\#(first)"}}"#
      )
    }
    let plan = try await rig.boardctl.run("plan")
    #expect(plan.stdout.contains("waiting for rule applicants to link this record"), "\(plan.stdout)")
    let apply = try await rig.boardctl.run("apply", "--auto-approve")
    #expect(apply.status == 0, "\(apply.stdout)\(apply.stderr)")
    let job = try #require(try await rig.manatal.job(externalID: "boardctl:acme:ats.job.front-desk")?["id"] as? Int)
    let litia = try #require(
      try await rig.candidates().first { $0["email"] as? String == "litia@example.org" }?["id"] as? Int)
    let matches = try await rig.manatal.json(.GET, rig.manatal.url + "/matches/?page_size=100", auth: true)
    let results = (matches as? [String: Any])?["results"] as? [[String: Any]] ?? []
    #expect(results.count == 1, "one match, for the job that is placed: \(results)")
    #expect(results.first?["candidate"] as? Int == litia && results.first?["job"] as? Int == job)
    // The answers and the CV link are a note on the candidate, once.
    let notes = try await rig.manatal.json(
      .GET, rig.manatal.url + "/candidates/\(litia)/notes/", auth: true)
    let texts = (notes as? [[String: Any]] ?? []).compactMap { $0["info"] as? String }
    #expect(texts == ["Why: I like people / CV: https://cv.example/Litia"], "\(texts)")
    let again = try await rig.boardctl.run("plan")
    // Sam's job (chef) is placed nowhere: a plain skip, read again only when the submission changes.
    #expect(!again.stdout.contains("to create"), "\(again.stdout)")
  }
}

extension SyncTests {
  @Test("a match's stage goes back to the site: a label and an extended field on the contact of that candidate")
  func statusBack() async throws {
    let rules = """
      kind: SyncRule
      name: contacts
      source: {board: site, object: contacts}
      target: {board: ats, object: candidates}
      match: {source: email, target: email}
      map: {email: email, full_name: {template: "{{first_name}} {{last_name}}"}}
      ---
      kind: SyncRule
      name: status-back
      source: {board: ats, object: matches}
      target: {board: site, object: contacts}
      match: {source: candidate, target: id, via: contacts}
      map:
        labels: {field: stage, values: {Interview: interviewing, Hired: hired}, default: applied}
        extended.application-stage: stage
      """
    let rig = try await SyncRig.start(
      rules: rules, seedContacts: [SyncRig.contact("Ana", "Tui", email: "ana@example.org")])
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    let candidate = try #require(
      try await rig.candidates().first { $0["email"] as? String == "ana@example.org" }?["id"] as? Int)
    // A recruiter puts the candidate on a job (in Manatal, outside boardctl).
    let org = try await rig.manatal.json(.POST, rig.manatal.url + "/organizations/", #"{"name": "Acme"}"#, auth: true)
    let orgID = try #require((org as? [String: Any])?["id"] as? Int)
    let job = try await rig.manatal.json(
      .POST, rig.manatal.url + "/jobs/", #"{"position_name": "Chef", "organization": \#(orgID)}"#, auth: true)
    let jobID = try #require((job as? [String: Any])?["id"] as? Int)
    let match = try await rig.manatal.json(
      .POST, rig.manatal.url + "/matches/", #"{"candidate": \#(candidate), "job": \#(jobID)}"#, auth: true)
    let matchID = try #require((match as? [String: Any])?["id"] as? Int)
    let first = try await rig.boardctl.run("apply", "--auto-approve")
    #expect(first.status == 0, "\(first.stdout)\(first.stderr)")
    func contact() async throws -> JSONValue? {
      try await rig.contacts().first { $0["primaryInfo"]?["email"]?.string == "ana@example.org" }
    }
    #expect(try await contact()?["info"]?["labelKeys"]?["items"]?.array?.contains("custom.applied") == true)
    // Someone labels the contact by hand on the site.
    let vip = try await rig.wix.json(.POST, "/contacts/v4/labels", #"{"displayName": "VIP"}"#, auth: true)
    let vipKey = try #require(vip["label"]?["key"]?.string)
    let contactID = try #require(try await contact()?["id"]?.string)
    _ = try await rig.wix.json(
      .POST, "/contacts/v4/contacts/\(contactID)/labels", #"{"labelKeys": ["\#(vipKey)"]}"#, auth: true)
    // The stage moves to Interview: the rule's label follows, the hand-made one stays.
    let stages = try await rig.manatal.json(.GET, rig.manatal.url + "/match-stages/?page_size=100", auth: true)
    let interview = try #require(
      ((stages as? [String: Any])?["results"] as? [[String: Any]])?.first { $0["name"] as? String == "Interview" }?[
        "id"]
        as? Int)
    _ = try await rig.manatal.json(
      .POST, rig.manatal.root + "/_sim/edit/matches/\(matchID)/", #"{"job_pipeline_stage": {"id": \#(interview)}}"#)
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    let info = try await contact()?["info"]
    let keys = (info?["labelKeys"]?["items"]?.array ?? []).compactMap(\.string).sorted()
    #expect(keys == ["custom.interviewing", vipKey].sorted(), "\(String(describing: info))")
    #expect(info?["extendedFields"]?["items"]?["custom.application-stage"]?.string == "Interview")
    #expect(try await rig.boardctl.run("plan", "--detailed-exitcode").status == 0)

    // Forgetting Ana reaches the match too, through the status rule's links to her contact.
    let forget = try await rig.boardctl.run("forget", "person", "--email", "ANA@example.org", "--apply")
    #expect(forget.status == 0, "\(forget.stdout)\(forget.stderr)")
    #expect(!(forget.stdout + forget.stderr).lowercased().contains("ana@example.org"), "\(forget.stdout)")
    #expect(forget.stdout.contains("- delete ats.matches \(matchID)"), "\(forget.stdout)")
    #expect(try await contact() == nil)
    #expect(try await rig.candidates().contains { $0["id"] as? Int == candidate } == false)
  }
}

extension SyncTests {
  @Test("jobs opened in the ATS become postings on the careers site; an edit follows; a closed job's page closes")
  func jobsFromTheATS() async throws {
    let jobs: [JSONValue] = [
      [
        "position_name": "Chef", "description": "Cook for our guests.", "status": "active", "is_published": true,
        "city": "Suva", "country": "FJ", "contract_details": "full_time",
      ],
      ["position_name": "Porter", "description": "Carry bags.", "status": "active", "is_published": false],
    ]
    let rules = """
      kind: SyncRule
      name: ats-jobs
      source: {board: ats, object: jobs, filter: {status: active, is_published: "true"}}
      target: {board: careers, object: postings}
      map:
        title: position_name
        description: description
        location.city: city
        location.country: country
        employment_type: {field: contract_details, values: {freelance: contractor}}
        valid_through: {const: "2026-12-31"}
      """
    let seeded = try await SyncRig.start(rules: rules, seedJobs: jobs)
    seeded.folder.write(
      "boards.d/careers.yaml",
      """
      kind: Board
      name: careers
      platform: careers-site
      settings: {output: public/careers, base_url: "https://jobs.acme.example"}
      defaults: {template: standard}
      ---
      kind: Template
      name: standard
      title: "{{title}} in {{location.city}}"
      """)
    let plan = try await seeded.boardctl.run("plan")
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.contains("made by sync rule ats-jobs from ats jobs record"), "\(plan.stdout)")
    #expect(try await seeded.boardctl.run("apply", "--auto-approve").status == 0)
    let pages = try FileManager.default.contentsOfDirectory(atPath: seeded.folder.path + "/public/careers")
      .filter { $0.hasPrefix("ats-jobs-") }
    #expect(pages.count == 1, "the published job only: \(pages)")
    let page = try #require(pages.first)
    #expect(seeded.folder.read("public/careers/" + page)?.contains("Chef in Suva") == true, "the board's template")
    #expect(try await seeded.boardctl.run("plan", "--detailed-exitcode").status == 0)
    // Past its valid_through the page comes down, as a boards.d posting's would.
    var late = seeded.boardctl
    late.environment["BOARDCTL_NOW"] = "2027-01-05T10:00:00Z"
    let expired = try await late.run("plan")
    #expect(expired.stdout.contains("expired on 2026-12-31 (valid_through)"), "\(expired.stdout)\(expired.stderr)")
    #expect(expired.stdout.contains("1 to close"), "\(expired.stdout)")
    // A plan that cannot read the ATS (a pull request without the key) leaves the page alone.
    var keyless = seeded.boardctl
    keyless.environment["BOARDCTL_KEY_DIR"] = seeded.folder.path + "/no-keys"
    let blind = try await keyless.run("plan", "--detailed-exitcode")
    #expect(blind.stdout.contains("the postings the rule made are left as they are"), "\(blind.stdout)")
    #expect(!blind.stdout.contains("will be closed"), "\(blind.stdout)")
    // The recruiter retitles the job, then closes it: the page follows.
    let id = try #require(page.dropFirst("ats-jobs-".count).split(separator: ".").first.flatMap { Int($0) })
    try await seeded.manatal.edit(job: id, #"{"position_name": "Head Chef"}"#)
    let retitled = try await seeded.boardctl.run("apply", "--auto-approve")
    #expect(retitled.stdout.contains("1 changed"), "\(retitled.stdout)")
    #expect(seeded.folder.read("public/careers/" + page)?.contains("Head Chef") == true)
    try await seeded.manatal.edit(job: id, #"{"status": "won"}"#)
    let closed = try await seeded.boardctl.run("apply", "--auto-approve")
    #expect(closed.stdout.contains("1 closed"), "\(closed.stdout)")
    #expect(!FileManager.default.fileExists(atPath: seeded.folder.path + "/public/careers/" + page))
  }
}

@Suite("Sync rules under faults and kills", .serialized)
struct SyncFaultTests {
  static let people = (0..<40).map {
    SyncRig.contact("Guest", "N\($0)", email: "guest.\($0)@example.org", phone: "+679 700 \($0)")
  }
  static let existing: [JSONValue] = (0..<10).map {
    ["full_name": .string("Guest N\($0 * 4)"), "email": .string("guest.\($0 * 4)@example.org")]
  }

  /// Both sides hold exactly one record per person, and a plan has nothing left to move.
  func expectConverged(_ rig: SyncRig) async throws {
    let candidates = try await rig.candidates().compactMap { $0["email"] as? String }
    let contacts = try await rig.contacts().compactMap { $0["primaryInfo"]?["email"]?.string }
    #expect(SyncRig.duplicates(candidates) == [], "duplicate candidates")
    #expect(SyncRig.duplicates(contacts) == [], "duplicate contacts")
    #expect(Set(candidates.filter { $0.hasPrefix("guest.") }).count == 40)
    let plan = try await rig.boardctl.run("plan", "--detailed-exitcode")
    #expect(plan.status == 0, "\(plan.stdout)\(plan.stderr)")
  }

  @Test("20 % faults of every kind on both simulators: converges within a few runs with no duplicate")
  func faults() async throws {
    let faults = ["server-error", "throttle", "reset-before", "reset-after"].flatMap { ["--fault", "\($0)=0.05"] }
    let rig = try await SyncRig.start(
      rules: contactsRule, wix: faults, manatal: faults, seedContacts: Self.people, seedCandidates: Self.existing)
    var runs = 0
    var converged = false
    while runs < 6 && !converged {
      runs += 1
      converged = try await rig.boardctl.run("apply", "--auto-approve").status == 0
    }
    #expect(converged, "no clean apply in \(runs) runs")
    try await rig.wix.setFaults("{}")
    try await rig.manatal.setFaults("{}")
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    try await expectConverged(rig)
  }

  @Test(
    "apply killed with SIGKILL five times, each with a create sent and unanswered: the next runs converge with no duplicate"
  )
  func kills() async throws {
    let rig = try await SyncRig.start(
      rules: contactsRule, seedContacts: Self.people, seedCandidates: Self.existing)
    let statePath = rig.folder.path + "/.boardctl/state.db"
    func held() async throws -> Int { try await rig.manatal.stats().counters["held"] ?? 0 }
    var killedMidway = 0
    var ended: [String] = []
    for round in 1...5 {
      // Creates wait in the simulator: the run sends one and stays there until it is killed.
      // Released afterwards, the create is made with no one to hear the answer, and the next
      // run must find that record instead of making it again.
      let before = try await held()
      try await rig.manatal.setFaults(#"{"endpoints": {"POST /open/v3/candidates/": {"hold": 1}}}"#)
      let log = rig.folder.path + "/kill-\(round).log"
      let process = try rig.boardctl.start(["apply", "--auto-approve"], stdout: log, stderr: log)
      let deadline = Date().addingTimeInterval(60)
      while process.isRunning, Date() < deadline, try await held() == before {
        try await Task.sleep(for: .milliseconds(5))  // poll the simulator, not a guess
      }
      if process.isRunning { killedMidway += 1 } else { ended.append(rig.folder.read("kill-\(round).log") ?? "") }
      process.send(SIGKILL)
      _ = await process.exitStatus()
      // Released, the create is made before the next run starts (as a commit the killed run
      // never heard of would be).
      let count = try await rig.candidates().count
      let sent = try await held() - before
      try await rig.manatal.setFaults("{}")
      while Date() < deadline, killedMidway == round, try await rig.candidates().count < count + sent {
        try await Task.sleep(for: .milliseconds(5))
      }
    }
    #expect(killedMidway == 5, "apply finished before a kill: they printed \(ended)")

    let store = try #require(try SQLiteStateStore.openReadOnly(path: statePath))
    let cut = try await store.journal(limit: 10_000).filter { $0.action == "sync-create" && $0.outcome != "ok" }
    #expect(cut.count >= 5, "each kill left a create unfinished in the journal: \(cut.count)")
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    try await expectConverged(rig)
  }
}

@Suite("Synced people's data stays out of state, plan files and logs", .serialized)
struct SyncPersonalDataTests {
  /// Values no output may hold: every synced person's email, names and phone.
  static let canaries = [
    "canary.person@example.org", "Canarytama", "Kanarilagi", "+679 987 6543", "applicant.canary@example.org",
    "Vatucanary",
  ]

  @Test("after a full run, no email, name or phone is in the clear", arguments: StateBackendKind.allCases)
  func scan(backend: StateBackendKind) async throws {
    let workspace = try await BackendWorkspace(backend)
    let rules =
      contactsRule + """

        ---
        kind: SyncRule
        name: applications
        source: {board: site, object: form_submissions}
        target: {board: ats, object: candidates}
        match: {source: email, target: email}
        map:
          full_name: {template: "{{first_name}} {{last_name}}"}
          email: email
        consent: {field: consent, values: [true]}
        """
    let rig = try await SyncRig.start(
      rules: rules,
      seedContacts: [
        SyncRig.contact("Canarytama", "Kanarilagi", email: "canary.person@example.org", phone: "+679 987 6543")
      ],
      state: workspace.state, folder: workspace.folder,
      environment: workspace.environment.merging(["BOARDCTL_LOG": "debug"]) { $1 })
    _ = try await rig.wix.json(
      .POST, "/_sim/forms/job-application/submit",
      #"{"submissions": {"first_name": "Vatucanary", "last_name": "Kanarilagi", "email": "applicant.canary@example.org", "consent": true}}"#
    )
    var outputs: [String] = []
    for arguments in [
      ["plan", "--out", "saved.plan"], ["apply", "--auto-approve"], ["apply", "--auto-approve"], ["plan"],
    ] {
      let run = try await rig.boardctl.run(arguments)
      #expect(run.status == 0, "\(arguments): \(run.stderr)")
      outputs += [run.stdout, run.stderr]
    }
    let candidates = try await rig.candidates().compactMap { $0["email"] as? String }
    #expect(candidates.contains("canary.person@example.org") && candidates.contains("applicant.canary@example.org"))
    outputs.append(rig.folder.read("saved.plan") ?? "")
    // The state as stored. git: every commit of the state branch, as text; PostgreSQL: copied
    // whole (records and journal) into an SQLite file by `state migrate`; SQLite: its files.
    switch backend {
    case .git:
      let log = try await ChildProcess(
        "/usr/bin/env", ["git", "log", "-p", "--all"], directory: workspace.remote!.path + "/state.git"
      ).run()
      #expect(log.succeeded && log.standardOutput.contains("sync/contacts"), "the links are on the state branch")
      outputs.append(log.standardOutput)
    case .postgres:
      let copy = try await rig.boardctl.run("state", "migrate", "--to", "sqlite", "--path", "copy/state.db")
      #expect(copy.status == 0, "\(copy.stderr)")
      outputs.append(
        String(
          decoding: FileManager.default.contents(atPath: rig.folder.path + "/copy/state.db") ?? Data(), as: UTF8.self))
    case .sqlite:
      break
    }
    for folder in [".boardctl", "copy"] {
      for file in (try? FileManager.default.contentsOfDirectory(atPath: rig.folder.path + "/" + folder)) ?? [] {
        let data = FileManager.default.contents(atPath: rig.folder.path + "/\(folder)/" + file) ?? Data()
        if file == "state.db" { #expect(data.count > 0) }
        outputs.append(String(decoding: data, as: UTF8.self))
      }
    }
    let listed = try await rig.boardctl.run("state", "list")
    #expect(listed.stdout.contains("sync.contacts."), "the links are in state: \(listed.stdout)")
    for canary in Self.canaries {
      for (index, output) in outputs.enumerated() {
        #expect(!output.contains(canary), "\(canary) in the clear in output \(index)")
      }
    }
  }
}
