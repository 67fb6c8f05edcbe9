import BoardCore
import Foundation
import Testing

/// A plan with one of everything the renderers show.
let samplePlan: Plan = {
  func at(_ board: String, _ object: ObjectKind, _ name: String) -> Address {
    Address(board: board, object: object, name: name)
  }
  let description =
    "You will build the services that route freight across the Pacific.\n\n- Design APIs\n- Mentor two engineers\n"
  var plan = Plan()
  plan.warnings = ["board 'old' is no longer in boards.d, but state has 1 published resource on it"]
  plan.drift = [
    DriftEntry(
      address: at("careers", "page", "backend"), kind: .changed,
      details: ["@@ line 12 @@", "- <h1>Backend</h1>", "+ <h1>Edited</h1>"]),
    DriftEntry(
      address: at("indeed", "job", "analyst"), kind: .changed,
      fields: [FieldChange(key: "title", before: .string("Data Analyst"), after: .string("Data Wizard"))]),
    DriftEntry(address: at("careers", "page", "designer"), kind: .deleted),
    DriftEntry(address: at("careers", "page", "stray"), kind: .unmanaged),
  ]
  plan.changes = [
    PlannedChange(
      address: at("careers", "page", "designer"), platform: "careers-site", action: .create, before: nil,
      after: ["title": .string("Designer"), "description": .string(description), "salary.min": .number(40000)],
      fields: [
        FieldChange(key: "description", before: nil, after: .string(description)),
        FieldChange(key: "salary.min", before: nil, after: .number(40000)),
        FieldChange(key: "title", before: nil, after: .string("Designer")),
      ], reason: "deleted outside boardctl; it will be published again"),
    PlannedChange(
      address: at("careers", "page", "backend"), platform: "careers-site", action: .update,
      before: ["title": .string("Backend"), "description": .string(description), "remote": .bool(false)],
      after: [
        "title": .string("Backend Engineer"),
        "description": .string(description.replacingOccurrences(of: "build", with: "design")),
        "remote": .bool(false),
      ],
      fields: [
        FieldChange(
          key: "description", before: .string(description),
          after: .string(description.replacingOccurrences(of: "build", with: "design"))),
        FieldChange(key: "title", before: .string("Backend"), after: .string("Backend Engineer")),
      ], reason: "boards.d changed, and edits made outside boardctl will be reverted", contentChanged: false),
    PlannedChange(
      address: at("careers", "page", "moved"), platform: "careers-site", action: .replace,
      before: ["path": .string("old/moved.html")], after: ["path": .string("new/moved.html")],
      fields: [
        FieldChange(
          key: "path", before: .string("old/moved.html"), after: .string("new/moved.html"), forcesReplacement: true)
      ], reason: "path cannot change in place"),
    PlannedChange(
      address: at("indeed", "job", "adopted"), platform: "indeed-feed", action: .import,
      before: ["title": .string("A")],
      after: ["title": .string("A")],
      reason: "found on the board with boardctl's tag but not in state; it will be adopted"),
    PlannedChange(
      address: at("indeed", "job", "analyst"), platform: "indeed-feed", action: .close, before: ["title": .string("X")],
      after: nil, reason: "removed from boards.d; lifecycle.on_remove is close, so it is unpublished and kept in state"),
    PlannedChange(
      address: at("indeed", "job", "gone"), platform: "indeed-feed", action: .delete, before: ["title": .string("X")],
      after: nil, reason: "removed from boards.d with lifecycle.on_remove: delete"),
    PlannedChange(
      address: at("indeed", "job", "kept"), platform: "indeed-feed", action: .forget, before: ["title": .string("X")],
      after: nil, reason: "removed from boards.d with lifecycle.on_remove: keep; it stays on the board unmanaged"),
  ]
  plan.conflicts = [
    Conflict(
      address: at("careers", "page", "backend"), key: "title", lastApplied: .string("Backend"),
      desired: .string("Backend Engineer"), live: .string("Backend Dev"))
  ]
  plan.cost = ["USD": 150]
  func sync(_ rule: String, _ id: String) -> Address { Address(board: "sync", object: ObjectKind(rule), name: id) }
  plan.sync = [
    SyncSection(
      rule: "contacts", source: "site.contacts", target: "ats.candidates", direction: "two_way", read: 7,
      changes: [
        SyncSection.Change(
          address: sync("contacts", "c1"), action: "create",
          fields: [
            .init(name: "email", before: "", after: "a•••@example.org"),
            .init(name: "full_name", before: "", after: "A•••"),
          ],
          reason: "no candidates record matches", key: "a•••@example.org"),
        SyncSection.Change(
          address: sync("contacts", "c2"), action: "update", targetID: "42",
          fields: [.init(name: "phone_number", before: "+•••", after: "+•••")], reason: "changed on site"),
        SyncSection.Change(
          address: sync("contacts", "c3"), action: "conflict", targetID: "43",
          fields: [.init(name: "phone_number", before: "1•••", after: "2•••")],
          reason: "changed on both site and ats; waiting for boardctl sync resolve"),
        SyncSection.Change(
          address: sync("contacts", "c4"), action: "skip", reason: "no consent: consent holds no consenting value"),
      ]
        + (5...8).map {
          SyncSection.Change(
            address: sync("contacts", "c\($0)"), action: "create", reason: "no candidates record matches")
        }),
    SyncSection(
      rule: "members-in", source: "site.members", target: "ats.candidates", direction: "one_way",
      problem: "board 'site' was not read: no private key opens credential 'wix-key'"),
  ]
  return plan
}()

/// Compares rendered output with a committed golden file; `BOARDCTL_RECORD=1 swift test` rewrites them.
func expectGolden(_ text: String, _ name: String, sourceLocation: SourceLocation = #_sourceLocation) throws {
  let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Golden/\(name)")
  if ProcessInfo.processInfo.environment["BOARDCTL_RECORD"] == "1" {
    try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
    try Data(text.utf8).write(to: url)
    return
  }
  let golden = try #require(
    FileManager.default.contents(atPath: url.path).map { String(decoding: $0, as: UTF8.self) },
    "missing golden \(name); record with BOARDCTL_RECORD=1", sourceLocation: sourceLocation)
  #expect(
    text == golden, "\(name) differs from its golden file; re-record with BOARDCTL_RECORD=1 if intended",
    sourceLocation: sourceLocation)
}

@Suite("Plan renderers (golden files)")
struct RendererGoldenTests {
  @Test("text, plain")
  func text() throws {
    try expectGolden(TextPlanRenderer(style: .plain).render(samplePlan), "plan.txt")
  }

  @Test("text, coloured for a TTY")
  func colour() throws {
    try expectGolden(TextPlanRenderer(style: TextStyle(colour: true)).render(samplePlan), "plan-colour.txt")
  }

  @Test("text, no changes")
  func empty() throws {
    try expectGolden(TextPlanRenderer().render(Plan()), "plan-empty.txt")
  }

  @Test("JSON")
  func json() throws {
    try expectGolden(JSONPlanRenderer.render(samplePlan), "plan.json")
  }

  @Test("markdown")
  func markdown() throws {
    let parts = MarkdownPlanRenderer.render(samplePlan)
    #expect(parts.count == 1)
    try expectGolden(parts[0], "plan.md")
  }

  @Test("the JSON plan's actions arrays are what scripts scan for")
  func jsonActions() throws {
    let object =
      try JSONSerialization.jsonObject(with: Data(JSONPlanRenderer.render(samplePlan).utf8)) as? [String: Any]
    let changes = try #require(object?["changes"] as? [[String: Any]])
    #expect(
      changes.compactMap { $0["actions"] as? [String] } == [
        ["create"], ["update"], ["delete", "create"], ["import"], ["close"], ["delete"], ["forget"],
      ])
    #expect(object?["format_version"] as? String == JSONPlanRenderer.formatVersion)
  }

  @Test("a long plan splits into markdown comments under the limit, each with the summary")
  func markdownSplits() {
    var plan = Plan()
    for index in 0..<400 {
      let text = String(repeating: "word\(index) ", count: 40)
      plan.changes.append(
        PlannedChange(
          address: Address(board: "careers", object: "page", name: "posting-\(index)"), platform: "careers-site",
          action: .create, before: nil, after: ["description": .string(text)],
          fields: [FieldChange(key: "description", before: nil, after: .string(text))], reason: "new"))
    }
    let parts = MarkdownPlanRenderer.render(plan, limit: 60_000)
    #expect(parts.count > 1)
    for (index, part) in parts.enumerated() {
      #expect(part.count <= 60_000)
      #expect(part.contains(plan.summaryLine))
      #expect(part.contains("part \(index + 1) of \(parts.count)"))
      #expect(part.contains("<details>"))
    }
    let all = parts.joined()
    #expect((0..<400).allSatisfy { all.contains("careers.page.posting-\($0) ") })
  }
}
