import BoardSpec
import BoardSync
import PropertyBased
import Testing

/// Random worlds: a few people on each side (some the same person, in other case), random
/// links made by earlier runs, random edits on both sides since.
private struct Scenario: Sendable, CustomStringConvertible {
  var sources: [SyncRecord]
  var targets: [SyncRecord]
  var sourceEdits: [Int]
  var targetEdits: [Int]

  var description: String { "sources: \(sources), targets: \(targets), edits: \(sourceEdits) / \(targetEdits)" }

  static let names = ["ana", "ben", "cy", "dee", "eli"]

  static func make(people: [Int], targetPeople: [Int], sourceEdits: [Int], targetEdits: [Int], upper: [Bool])
    -> Scenario
  {
    var sources: [SyncRecord] = []
    for (index, person) in people.enumerated() {
      let email = "\(names[person])@example.org"
      let fields: [String: String] = [
        "email": upper[index] ? email.uppercased() : email, "first_name": names[person].uppercased(),
        "last_name": "Tui", "phone": "\(index)",
      ]
      sources.append(SyncRecord(id: "s\(index)", updatedAt: "2026-11-26T09:00:0\(index % 10).000Z", fields: fields))
    }
    var targets: [SyncRecord] = []
    for (index, person) in targetPeople.enumerated() {
      let fields: [String: String] = ["email": "\(names[person])@example.org", "full_name": "Old \(index)"]
      targets.append(SyncRecord(id: "t\(index)", updatedAt: "2026-11-26T08:00:0\(index).000Z", fields: fields))
    }
    return Scenario(sources: sources, targets: targets, sourceEdits: sourceEdits, targetEdits: targetEdits)
  }
}

/// Runs `body` on 200 random scenarios (shrunk to a small one when it fails).
private func forScenarios(_ body: @Sendable @escaping (Scenario) -> Void) async {
  await propertyCheck(
    count: 200, input: Gen.int(in: 0...4).array(of: 0...8), Gen.int(in: 0...4).array(of: 0...4),
    Gen.int(in: 0...3).array(of: 0...6), Gen.int(in: 0...3).array(of: 0...6), Gen.bool.array(of: 8...8)
  ) { people, targetPeople, sourceEdits, targetEdits, upper in
    body(
      Scenario.make(
        people: people, targetPeople: targetPeople, sourceEdits: sourceEdits, targetEdits: targetEdits, upper: upper))
  }
}

@Suite("Sync planner properties over random records, links and edits")
struct SyncPlannerPropertyTests {
  static let policies: [(SyncRule.Direction, SyncRule.Conflict?)] = [
    (.oneWay, nil), (.twoWay, .sourceWins), (.twoWay, .targetWins), (.twoWay, .newestWins), (.twoWay, .review),
  ]

  @Test("planning again after applying moves nothing, and no key is ever created twice", arguments: 0..<5)
  func idempotentAndNoDuplicates(policy: Int) async {
    let (direction, conflict) = Self.policies[policy]
    let planner = SyncPlanner(mapper: SyncMapper(rule: syncRule(direction: direction, conflict: conflict)))
    await forScenarios { scenario in
      var world = SyncWorld(sources: scenario.sources, targets: scenario.targets)
      world.apply(planner.plan(world.input()), planner: planner)
      // Edits on both sides since the first run.
      let sourceIDs = world.sources.keys.sorted()
      for (n, index) in scenario.sourceEdits.enumerated() where index < sourceIDs.count {
        world.sources[sourceIDs[index]]!.fields["phone"] = "edit-s\(n)"
        world.sources[sourceIDs[index]]!.updatedAt = world.tick()
      }
      let targetIDs = world.targets.keys.sorted()
      for (n, index) in scenario.targetEdits.enumerated() where index < targetIDs.count {
        world.targets[targetIDs[index]]!.fields["phone_number"] = "edit-t\(n)"
        world.targets[targetIDs[index]]!.updatedAt = world.tick()
      }
      let second = planner.plan(world.input())
      world.apply(second, planner: planner)
      let writes = (world.targetWrites, world.sourceWrites)
      let third = planner.plan(world.input())
      #expect(third.actions.filter(\.writes).isEmpty, "a third run would write: \(third.actions)")
      world.apply(third, planner: planner)
      #expect(world.targetWrites == writes.0 && world.sourceWrites == writes.1)
      // One target record per person: the first run matched or created one per email; two-way
      // rules link one source to it and skip the rest.
      let emails = world.targets.values.compactMap { $0["email"]?.lowercased() }
      let people = Set(scenario.sources.compactMap { $0["email"]?.lowercased() })
      for person in people {
        #expect(
          emails.filter { $0 == person }.count == max(1, scenario.targets.filter { $0["email"] == person }.count))
      }
      // Two-way: every target is linked, one source per email, a target-only person made once.
      if direction == .twoWay {
        let sourceEmails = world.sources.values.compactMap { $0["email"]?.lowercased() }
        for target in world.targets.values {
          let email = target["email"]!.lowercased()
          #expect(sourceEmails.contains(email), "no source for \(email)")
          if !people.contains(email) { #expect(sourceEmails.filter { $0 == email }.count == 1, "\(email)") }
        }
      }
      // Every source is linked to a record with its email (two-way: exactly one per email).
      for source in world.sources.values {
        let target = world.links[source.id].flatMap { world.targets[$0.targetID] }
        if direction == .twoWay && target == nil {
          let sameEmail = world.sources.values.filter { $0["email"]?.lowercased() == source["email"]?.lowercased() }
          #expect(sameEmail.filter { world.links[$0.id] != nil }.count == 1)
        } else {
          #expect(target?["email"]?.lowercased() == source["email"]?.lowercased())
        }
      }
    }
  }

  @Test("two-way: records new on the target after the first run are made on the source once, and only they")
  func createBackIncrementally() async {
    let planner = SyncPlanner(mapper: SyncMapper(rule: syncRule(direction: .twoWay, conflict: .review)))
    await forScenarios { scenario in
      var world = SyncWorld(sources: scenario.sources, targets: scenario.targets)
      var first = world.input()
      first.firstTargetRead = true
      let firstRun = planner.plan(first)
      #expect(!firstRun.actions.contains { $0.kind == .createSource }, "no bulk copy on a first run")
      world.apply(firstRun, planner: planner)
      let sourcesBefore = world.sources.count
      // People typed into the target since: some new, some already on the source.
      var added: Set<String> = []
      for (n, index) in scenario.targetEdits.enumerated() {
        let id = "n\(n)"
        world.targets[id] = SyncRecord(
          id: id, updatedAt: world.tick(),
          fields: ["email": "\(Scenario.names[index])@example.org", "phone_number": "\(n)"])
        added.insert(id)
      }
      for _ in 0..<2 {
        var input = world.input()
        input.changedTargets = added
        world.apply(planner.plan(input), planner: planner)
      }
      var input = world.input()
      input.changedTargets = added
      #expect(planner.plan(input).actions.filter(\.writes).isEmpty)
      // One source per email: a person already there is not made again.
      let emails = world.sources.values.compactMap { $0["email"]?.lowercased() }
      let before = Set(scenario.sources.compactMap { $0["email"]?.lowercased() })
      for email in Set(emails) where !before.contains(email) {
        #expect(emails.filter { $0 == email }.count == 1, "\(email) made twice")
      }
      #expect(world.sources.count - sourcesBefore == Set(emails).subtracting(before).count)
    }
  }

  @Test("under review no conflicting edit is lost: both values stay, and every conflict is listed")
  func reviewLosesNothing() async {
    let planner = SyncPlanner(mapper: SyncMapper(rule: syncRule(direction: .twoWay, conflict: .review)))
    await forScenarios { scenario in
      var world = SyncWorld(sources: scenario.sources, targets: scenario.targets)
      world.apply(planner.plan(world.input()), planner: planner)
      // Fields that differed when first linked wait for review too.
      let initial = Set(world.links.filter { !$0.value.review.isEmpty }.keys)
      var expected: [String: (String, String)] = [:]
      for (sourceID, link) in world.links.sorted(by: { $0.key < $1.key })
      where world.links.values.filter({ $0.targetID == link.targetID }).count == 1 {
        guard scenario.sourceEdits.contains(Int(sourceID.dropFirst())! % 4) else { continue }
        world.sources[sourceID]!.fields["phone"] = "s-\(sourceID)"
        world.targets[link.targetID]!.fields["phone_number"] = "t-\(sourceID)"
        expected[sourceID] = ("s-\(sourceID)", "t-\(sourceID)")
      }
      for _ in 0..<2 {
        let result = planner.plan(world.input())
        let listed = Set(result.actions.filter { $0.kind == .conflict }.compactMap(\.sourceID))
        #expect(listed == initial.union(expected.keys))
        world.apply(result, planner: planner)
      }
      for (sourceID, values) in expected {
        #expect(world.sources[sourceID]!["phone"] == values.0)
        #expect(world.targets[world.links[sourceID]!.targetID]!["phone_number"] == values.1)
      }
    }
  }
}
