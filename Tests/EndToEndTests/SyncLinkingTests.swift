import BoardHTTP
import BoardSupport
import BoardTesting
import Foundation
import Testing

extension SyncTests {
  @Test(
    "two-way: a candidate typed into the ATS becomes a contact on the site, once, without echo; unlinked, never again"
  )
  func createdOnTheTarget() async throws {
    let rule = contactsRule + "\non_delete: unlink\n"
    let rig = try await SyncRig.start(
      rules: rule, seedContacts: [SyncRig.contact("Ana", "Tui", email: "ana@example.org")])
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)

    // A recruiter types two candidates into the ATS: one new person, one already on the site.
    let zoe = try await rig.manatal.json(
      .POST, rig.manatal.url + "/candidates/",
      #"{"full_name": "Zoe Ma", "email": "Zoe@Example.org", "phone_number": "+679 9"}"#, auth: true)
    let zoeID = try #require((zoe as? [String: Any])?["id"] as? Int)
    _ = try await rig.manatal.json(
      .POST, rig.manatal.url + "/candidates/", #"{"full_name": "Ana Again", "email": "ana@example.org"}"#, auth: true)
    let plan = try await rig.boardctl.run("plan")
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.contains("create_source sync.contacts.target-\(zoeID)"), "\(plan.stdout)")
    #expect(plan.stdout.contains("has the same email and links to another candidates record"), "\(plan.stdout)")
    #expect(plan.stdout.contains("1 to create back"), "\(plan.stdout)")
    #expect(!plan.stdout.contains("zoe@example.org"), "masked: \(plan.stdout)")
    let applied = try await rig.boardctl.run("apply", "--auto-approve")
    #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
    func zoeContact() async throws -> JSONValue? {
      try await rig.contacts().first { $0["primaryInfo"]?["email"]?.string == "zoe@example.org" }
    }
    let contact = try #require(try await zoeContact())
    #expect(contact["primaryInfo"]?["phone"]?.string == "+679 9")
    #expect(try await rig.contacts().filter { $0["primaryInfo"]?["email"]?.string == "ana@example.org" }.count == 1)
    // Its own write read back is no change: nothing moves, on either side.
    let quiet = try await rig.boardctl.run("plan", "--detailed-exitcode")
    #expect(quiet.status == 0, "\(quiet.stdout)\(quiet.stderr)")

    // An edit on the site now flows to the candidate like any linked pair's.
    let contactID = try #require(contact["id"]?.string)
    _ = try await rig.wix.json(
      .POST, "/_sim/edit/contacts/\(contactID)",
      #"{"info": {"emails": {"items": [{"tag": "MAIN", "email": "zoe@example.org"}]}, "phones": {"items": [{"tag": "MOBILE", "phone": "+679 10"}]}}}"#
    )
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    let phone = try await rig.candidates().first { $0["id"] as? Int == zoeID }?["phone_number"] as? String
    #expect(phone == "+679 10")

    // The contact is deleted on the site: the link goes (on_delete: unlink), and a later edit of
    // the candidate does not make the contact again.
    _ = try await rig.wix.json(.DELETE, "/contacts/v4/contacts/\(contactID)", auth: true)
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    _ = try await rig.manatal.json(
      .POST, rig.manatal.root + "/_sim/edit/candidates/\(zoeID)/", #"{"phone_number": "+679 11"}"#)
    let after = try await rig.boardctl.run("plan", "--detailed-exitcode")
    #expect(after.status == 0, "\(after.stdout)\(after.stderr)")
    #expect(try await zoeContact() == nil)
  }

  @Test("a match whose candidate is linked to a contact only later gets its stage onto that contact then")
  func statusOfALaterLink() async throws {
    let rules = """
      kind: SyncRule
      name: contacts
      source: {board: site, object: contacts}
      target: {board: ats, object: candidates}
      match: {source: email, target: email}
      map: {email: {field: email, transform: lowercase}, full_name: {template: "{{first_name}} {{last_name}}"}}
      ---
      kind: SyncRule
      name: status-back
      source: {board: ats, object: matches}
      target: {board: site, object: contacts}
      match: {source: candidate, target: id, via: contacts}
      map:
        labels: {field: stage, values: {Interview: interviewing}, default: applied}
      """
    let rig = try await SyncRig.start(rules: rules)
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    // A candidate typed into the ATS and put on a job: no contact links them yet.
    let candidate = try await rig.manatal.json(
      .POST, rig.manatal.url + "/candidates/", #"{"full_name": "Ari Vou", "email": "ari@example.org"}"#, auth: true)
    let candidateID = try #require((candidate as? [String: Any])?["id"] as? Int)
    let org = try await rig.manatal.json(.POST, rig.manatal.url + "/organizations/", #"{"name": "Acme"}"#, auth: true)
    let orgID = try #require((org as? [String: Any])?["id"] as? Int)
    let job = try await rig.manatal.json(
      .POST, rig.manatal.url + "/jobs/", #"{"position_name": "Chef", "organization": \#(orgID)}"#, auth: true)
    let jobID = try #require((job as? [String: Any])?["id"] as? Int)
    _ = try await rig.manatal.json(
      .POST, rig.manatal.url + "/matches/", #"{"candidate": \#(candidateID), "job": \#(jobID)}"#, auth: true)
    let skipped = try await rig.boardctl.run("plan")
    #expect(
      skipped.stdout.contains("no contacts record that rule contacts links to its candidate"), "\(skipped.stdout)")
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)

    // The person signs up on the site: the contacts rule links them, and the next run reads the
    // match again for its stage, though the match itself did not change.
    let ari = JSONValue.object(["info": SyncRig.contact("Ari", "Vou", email: "ari@example.org")["info"]!])
    let made = try await rig.wix.json(
      .POST, "/contacts/v4/contacts", String(decoding: ari.data, as: UTF8.self), auth: true)
    let ariID = try #require(made["contact"]?["id"]?.string)
    #expect(try await rig.boardctl.run("apply", "--auto-approve").status == 0)
    // The site refuses the label once: the match is read again on the run after, not forgotten.
    _ = try await rig.wix.json(
      .PUT, "/_sim/faults", #"{"endpoints": {"POST /contacts/v4/contacts/\#(ariID)/labels": {"server_error": 1}}}"#)
    let refused = try await rig.boardctl.run("apply", "--auto-approve")
    #expect(refused.status == 1, "\(refused.stdout)\(refused.stderr)")
    _ = try await rig.wix.json(.PUT, "/_sim/faults", "{}")
    let applied = try await rig.boardctl.run("apply", "--auto-approve")
    #expect(applied.status == 0, "\(applied.stdout)\(applied.stderr)")
    let contact = try await rig.contacts().first { $0["primaryInfo"]?["email"]?.string == "ari@example.org" }
    let keys = (contact?["info"]?["labelKeys"]?["items"]?.array ?? []).compactMap(\.string)
    #expect(keys.contains("custom.applied"), "\(applied.stdout)")
    #expect(try await rig.boardctl.run("plan", "--detailed-exitcode").status == 0)
  }
}
