import BoardSpec
import BoardSync
import Testing

private func contact(
  _ id: String, _ email: String?, first: String = "Ana", last: String = "Tui", phone: String? = nil,
  at time: String = "2026-11-26T09:00:00.000Z", consent: String? = nil
) -> SyncRecord {
  var fields = ["first_name": first, "last_name": last]
  fields["email"] = email
  fields["phone"] = phone
  fields["consent"] = consent
  return SyncRecord(id: id, updatedAt: time, fields: fields)
}

@Suite("Sync planner: what each record needs, from the records, the links and the rule")
struct SyncPlannerTests {
  let planner = SyncPlanner(mapper: SyncMapper(rule: syncRule(), salt: "lineage"))

  @Test("a first run creates what nothing matches and links what the key matches, ignoring case")
  func firstRun() {
    let world = SyncWorld(
      sources: [contact("w1", "Ana@Example.org"), contact("w2", "ben@example.org", first: "Ben")],
      targets: [SyncRecord(id: "7", updatedAt: "x", fields: ["email": "ana@example.org", "full_name": "Ana T."])])
    let result = planner.plan(world.input())
    let byKind = Dictionary(grouping: result.actions, by: \.kind)
    #expect(byKind[.link]?.count == 1 && byKind[.create]?.count == 1)
    let link = byKind[.link]![0]
    #expect(link.sourceID == "w1" && link.targetID == "7")
    #expect(link.values == ["full_name": "Ana Tui"] && link.before == ["full_name": "Ana T."])
    #expect(byKind[.create]![0].values == ["email": "ben@example.org", "full_name": "Ben Tui"])
  }

  @Test("one person's several records make one create, the later values winning")
  func oneCreatePerKey() {
    let world = SyncWorld(
      sources: [
        contact("s1", "ana@example.org", phone: "1", at: "2026-11-26T09:00:00.000Z"),
        contact("s2", "ANA@example.org", phone: "2", at: "2026-11-26T09:05:00.000Z"),
      ], targets: [])
    let actions = planner.plan(world.input()).actions
    #expect(actions.count == 1)
    #expect(actions[0].kind == .create && actions[0].sourceID == "s1" && actions[0].alsoLinks == ["s2"])
    #expect(actions[0].values["phone_number"] == "2")
  }

  @Test("one create for several records writes the note of each, not only the newest")
  func notesAddUp() {
    let rule = syncRule(map: [
      .init(target: "email", source: .field("email"), transform: .lowercase),
      .init(target: "note", source: .field("why")),
    ])
    let planner = SyncPlanner(mapper: SyncMapper(rule: rule, appendFields: ["note"]))
    var first = contact("s1", "ana@example.org", at: "2026-11-26T09:00:00.000Z")
    first.fields["why"] = "Chef: I cook"
    var second = contact("s2", "ANA@example.org", at: "2026-11-26T09:05:00.000Z")
    second.fields["why"] = "Porter: I lift"
    let actions = planner.plan(SyncWorld(sources: [first, second], targets: []).input()).actions
    #expect(actions.count == 1 && actions[0].values["note"] == "Chef: I cook\n\nPorter: I lift", "\(actions)")
  }

  @Test("without consent nothing moves and the record is counted; without a key nothing is created")
  func consentAndKeys() {
    let rule = syncRule(consent: .init(field: "consent", values: ["true", "yes"]))
    let planner = SyncPlanner(mapper: SyncMapper(rule: rule))
    let world = SyncWorld(
      sources: [
        contact("a", "a@example.org", consent: "YES"), contact("b", "b@example.org", consent: "no"),
        contact("c", "c@example.org"), contact("d", nil, consent: "true"),
      ], targets: [])
    let actions = planner.plan(world.input()).actions.sorted { $0.sourceID! < $1.sourceID! }
    #expect(actions.map(\.kind) == [.create, .skip, .skip, .skip])
    #expect(actions[1].reason == "no consent: consent holds no consenting value")
    #expect(actions[2].reason == "no consent: consent is empty")
    #expect(actions[3].reason.hasPrefix("no email to match on"))
  }

  @Test("one-way: a source edit is carried over; an edit made only on the target is kept")
  func oneWayEdits() {
    var world = SyncWorld(sources: [contact("w1", "ana@example.org", phone: "111")], targets: [])
    world.apply(planner.plan(world.input()), planner: planner)
    let target = world.links["w1"]!.targetID
    world.targets[target]!.fields["phone_number"] = "999"  // a recruiter's edit
    #expect(planner.plan(world.input()).actions.filter(\.writes).isEmpty)
    world.sources["w1"]!.fields["first_name"] = "Anna"
    let actions = planner.plan(world.input()).actions
    #expect(actions.map(\.kind) == [.update])
    #expect(actions.first?.values == ["full_name": "Anna Tui"])
  }

  @Test("two-way under review: both values are kept on their sides and listed every run until resolved")
  func review() {
    let planner = SyncPlanner(mapper: SyncMapper(rule: syncRule(direction: .twoWay, conflict: .review)))
    var world = SyncWorld(sources: [contact("w1", "ana@example.org", phone: "111")], targets: [])
    world.apply(planner.plan(world.input()), planner: planner)
    let target = world.links["w1"]!.targetID
    world.sources["w1"]!.fields["phone"] = "222"
    world.targets[target]!.fields["phone_number"] = "333"
    for _ in 0..<3 {
      let result = planner.plan(world.input())
      #expect(result.actions.map(\.kind) == [.conflict])
      #expect(result.actions.first?.values == ["phone_number": "333"])
      #expect(result.actions.first?.before == ["phone_number": "222"])
      world.apply(result, planner: planner)
    }
    #expect(world.sources["w1"]!["phone"] == "222" && world.targets[target]!["phone_number"] == "333")
    #expect(world.links["w1"]!.review == ["phone_number"])
    // Someone makes them agree: the conflict is gone.
    world.sources["w1"]!.fields["phone"] = "333"
    let settled = planner.plan(world.input())
    #expect(settled.actions.isEmpty && settled.settled.first?.review == [])
  }

  @Test("two-way newest_wins and target edits flow back through plain field mappings only")
  func twoWayBack() {
    let planner = SyncPlanner(mapper: SyncMapper(rule: syncRule(direction: .twoWay, conflict: .newestWins)))
    var world = SyncWorld(sources: [contact("w1", "ana@example.org", phone: "111")], targets: [])
    world.apply(planner.plan(world.input()), planner: planner)
    let target = world.links["w1"]!.targetID
    world.targets[target]!.fields["phone_number"] = "444"
    world.targets[target]!.fields["full_name"] = "Someone Else"  // a template: cannot flow back
    let actions = planner.plan(world.input()).actions
    #expect(actions.map(\.kind) == [.updateSource])
    #expect(actions.first?.values == ["phone": "444"])
  }

  @Test("a set field (labels) gets the rule's name, loses only the names the rule wrote before, keeps a person's")
  func setFields() {
    let stage = SyncRule.Mapping(
      target: "labels", source: .field("stage"), values: ["Interview": "interviewing", "Hired": "hired"],
      fallback: "applied")
    let tag = SyncRule.Mapping(target: "tags", source: .field("team"))
    let rule = syncRule(map: [.init(target: "email", source: .field("email")), stage, tag])
    let planner = SyncPlanner(mapper: SyncMapper(rule: rule, setFields: ["labels", "tags"]))
    let source = SyncRecord(
      id: "m1", updatedAt: "1", fields: ["email": "a@example.org", "stage": "Interview", "team": "Design"])
    let target = SyncRecord(id: "c1", updatedAt: "1", fields: ["email": "a@example.org", "labels": "VIP", "tags": "x"])
    var world = SyncWorld(sources: [source], targets: [target])
    let first = planner.plan(world.input()).actions
    #expect(first.map(\.kind) == [.link])
    #expect(first.first?.values == ["labels": "interviewing, VIP", "tags": "Design, x"])
    world.apply(planner.plan(world.input()), planner: planner)
    #expect(planner.plan(world.input()).actions.isEmpty)

    // The stage moves on and the team changes: the rule's old names go, the person's stay.
    world.sources["m1"]!.fields["stage"] = "Hired"
    world.sources["m1"]!.fields["team"] = "Sales"
    world.targets["c1"]!.fields["labels"] = "interviewing, Newsletter, VIP"
    let second = planner.plan(world.input()).actions
    #expect(second.first?.values == ["labels": "hired, Newsletter, VIP", "tags": "Sales, x"], "\(second)")
    world.apply(planner.plan(world.input()), planner: planner)
    #expect(planner.plan(world.input()).actions.isEmpty)

    // A person removes the rule's label by hand: a one-way rule leaves that until the stage moves.
    world.targets["c1"]!.fields["labels"] = "Newsletter, VIP"
    #expect(planner.plan(world.input()).actions.isEmpty)
    // A stage the values do not name gets the default; names differing only in case are the same.
    world.sources["m1"]!.fields["stage"] = "Screening"
    world.targets["c1"]!.fields["labels"] = "APPLIED, Newsletter, VIP"
    #expect(planner.plan(world.input()).actions.isEmpty)

    // A plain mapping that wrote several names removes them all when its value moves on, in
    // whatever case the site shows them.
    world.sources["m1"]!.fields["team"] = "Design, Ops"
    world.apply(planner.plan(world.input()), planner: planner)
    #expect(world.targets["c1"]!.fields["tags"] == "Design, Ops, x")
    world.targets["c1"]!.fields["tags"] = "DESIGN, ops, x"
    world.sources["m1"]!.fields["team"] = "Sales"
    let moved = planner.plan(world.input()).actions
    #expect(moved.first?.values["tags"] == "Sales, x", "\(moved)")
    // What a write sends: the names to add, and those to remove; the rest is left alone.
    let change = planner.mapper.change(moved.first!.values, before: moved.first!.before)
    #expect(change.values["tags"] == "Sales" && change.removing["tags"] == ["DESIGN", "ops"])
  }

  @Test("two-way: a record new on the target is made on the source, once per key, and only where it is safe")
  func createOnSource() {
    let planner = SyncPlanner(mapper: SyncMapper(rule: syncRule(direction: .twoWay, conflict: .review)))
    let targets = [
      SyncRecord(
        id: "t1", updatedAt: "1", fields: ["email": "Zoe@example.org", "phone_number": "5", "full_name": "Zoe"]),
      SyncRecord(id: "t2", updatedAt: "1", fields: ["email": "zoe@example.org"]),
      SyncRecord(id: "t3", updatedAt: "1", fields: ["full_name": "No Email"]),
      SyncRecord(id: "t4", updatedAt: "1", fields: ["email": "ana@example.org"]),
    ]
    var world = SyncWorld(sources: [contact("w1", "ana@example.org")], targets: targets)
    // A first run (the target read whole) copies nothing back in bulk.
    var first = world.input()
    first.firstTargetRead = true
    let bulk = planner.plan(first).actions.filter { $0.targetID == "t1" }
    #expect(bulk.map(\.kind) == [.skip] && bulk[0].reason.contains("before the rule's first run"), "\(bulk)")
    let actions = planner.plan(world.input()).actions.sorted { $0.recordName < $1.recordName }
    #expect(actions.map(\.kind) == [.createSource, .skip, .skip, .link], "\(actions)")
    #expect(actions[0].values == ["email": "zoe@example.org", "phone": "5"] && actions[0].recordName == "target-t1")
    #expect(actions[1].reason.contains("has the same email"), "\(actions[1].reason)")
    #expect(actions[2].reason.contains("no email to match on"), "\(actions[2].reason)")
    world.apply(planner.plan(world.input()), planner: planner)
    #expect(world.sources.count == 2 && world.links.count == 2)
    #expect(planner.plan(world.input()).actions.allSatisfy { $0.kind == .skip })

    // With consent, a target record cannot show it: nothing is made on the source.
    let consenting = SyncPlanner(
      mapper: SyncMapper(
        rule: syncRule(direction: .twoWay, conflict: .review, consent: .init(field: "consent", values: ["yes"]))))
    let refused = consenting.plan(SyncWorld(sources: [], targets: [targets[0]]).input()).actions
    #expect(refused.map(\.kind) == [.skip] && refused[0].reason.contains("consent"))
    // A target whose link was forgotten is never made again.
    var input = SyncWorld(sources: [], targets: [targets[0]]).input()
    input.forgottenTargets = ["t1"]
    #expect(planner.plan(input).actions.isEmpty)
  }

  @Test("on_delete and retention: gone sources delete or unlink; old links are purged on both sides")
  func deletesAndRetention() {
    for (policy, kind) in [(SyncRule.OnDelete.delete, SyncAction.Kind.delete), (.unlink, .unlink)] {
      let planner = SyncPlanner(mapper: SyncMapper(rule: syncRule(onDelete: policy)))
      var world = SyncWorld(sources: [contact("w1", "a@example.org"), contact("w2", "b@example.org")], targets: [])
      world.apply(planner.plan(world.input()), planner: planner)
      world.sources["w2"] = nil
      let actions = planner.plan(world.input()).actions
      #expect(actions.map(\.kind) == [kind] && actions.first?.sourceID == "w2")
    }
    let planner = SyncPlanner(mapper: SyncMapper(rule: syncRule(retention: .init(days: 30, action: .anonymize))))
    var world = SyncWorld(sources: [contact("w1", "a@example.org")], targets: [])
    world.apply(planner.plan(world.input()), planner: planner)
    #expect(planner.plan(world.input(today: CalendarDate(year: 2026, month: 12, day: 26))).actions.isEmpty)
    let purge = planner.plan(world.input(today: CalendarDate(year: 2026, month: 12, day: 27))).actions
    #expect(purge.map(\.kind) == [.purge])
  }

  @Test("the cursor never misses a record sharing a timestamp across a page boundary, nor passes a failure")
  func cursorBoundaries() {
    let same = "2026-11-26T09:00:00.000Z"
    let records = (0..<60).map { SyncRecord(id: "r\($0)", updatedAt: same) }
    // Run 1 reads one page of 50 and stops; run 2 asks for everything at or after the watermark.
    var cursor = SyncCursor().advanced(processed: Array(records.prefix(50)))
    #expect(cursor.watermark == same && cursor.seen.count == 50)
    let second = records.filter(cursor.isNew)
    #expect(second.map(\.id) == (50..<60).map { "r\($0)" })
    cursor = cursor.advanced(processed: second)
    #expect(records.filter(cursor.isNew).isEmpty)
    // A record updated while a run reads gets a newer time and is read next run.
    let updated = SyncRecord(id: "r3", updatedAt: "2026-11-26T09:00:01.000Z")
    #expect(cursor.isNew(updated))
    // A failure holds the cursor at its time.
    let later = (0..<3).map { SyncRecord(id: "n\($0)", updatedAt: "2026-11-26T09:0\($0 + 1):00.000Z") }
    let held = cursor.advanced(processed: [later[0], later[2]], failed: [later[1]])
    #expect(held.watermark == later[0].updatedAt)
    #expect(held.isNew(later[1]) && held.isNew(later[2]) && !held.isNew(later[0]))
  }
}
