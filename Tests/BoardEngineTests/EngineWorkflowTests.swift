import BoardCore
import BoardEngine
import BoardSpec
import BoardState
import BoardTesting
import Foundation
import Testing

@Suite("Engine: plan and apply in-process")
struct EngineWorkflowTests {
  @Test("plan creates every posting; apply makes it so; a second plan has nothing to do")
  func workflow() async throws {
    let rig = EngineRig(postings: 5)
    let first = try await rig.plan()
    #expect(first.plan.changes.map(\.action) == Array(repeating: .create, count: 5))
    #expect(first.lineage == nil && first.serial == 0)
    let outcome = try #require(try await rig.apply())
    #expect(outcome.done.count == 5 && outcome.failed.isEmpty)
    #expect(await rig.remote.items(board: "shelf").count == 5)
    let second = try await rig.plan()
    #expect(second.plan.changes.isEmpty)
    #expect(second.serial > 0)
    #expect(try await rig.apply() == nil)
  }

  @Test("an edit on the platform is drift and is reverted; a retitled posting updates in place")
  func driftAndUpdate() async throws {
    let rig = EngineRig(postings: 3)
    try await rig.apply()
    await rig.remote.edit(Address(board: "shelf", object: "item", name: "job-0"), "title", .string("Hacked"))
    rig.writePostings(3, retitled: [1])
    let plan = try await rig.plan().plan
    #expect(plan.drift.map(\.address.name) == ["job-0"])
    #expect(plan.changes.map(\.address.name) == ["job-0", "job-1"])
    #expect(plan.changes.allSatisfy { $0.action == .update })
    try await rig.apply()
    let items = await rig.remote.items(board: "shelf")
    #expect(items[Address(board: "shelf", object: "item", name: "job-0")]?["title"] == .string("Engineer 0"))
    #expect(items[Address(board: "shelf", object: "item", name: "job-1")]?["title"] == .string("Senior Engineer 1"))
    #expect(try await rig.plan().plan.changes.isEmpty)
  }

  @Test("a posting removed from the configuration is closed, and state remembers it")
  func close() async throws {
    let rig = EngineRig(postings: 3)
    try await rig.apply()
    rig.writePostings(3, skipping: [2])
    let plan = try await rig.plan().plan
    #expect(plan.changes.map(\.action) == [.close])
    try await rig.apply()
    #expect(await rig.remote.items(board: "shelf").count == 2)
    let state = try #require(try await rig.plan().prior[Address(board: "shelf", object: "item", name: "job-2")])
    #expect(state.status == .closed)
  }

  @Test("a failure midway records what was done; the next apply finishes the rest without repeating it")
  func partialFailure() async throws {
    let rig = EngineRig(postings: 6)
    await rig.remote.failWrites(after: 4)
    let outcome = try #require(try await rig.apply())
    #expect(outcome.done.count == 4)
    #expect(outcome.failed.first?.remaining.count == 2)
    #expect(try await rig.plan().plan.changes.count == 2)
    await rig.remote.failWrites(after: nil)
    let writesBefore = await rig.remote.writes
    try await rig.apply()
    #expect(await rig.remote.writes - writesBefore == 2)
    #expect(try await rig.plan().plan.changes.isEmpty)
  }

  @Test("a saved plan is refused once the state moved on")
  func stalePlan() async throws {
    let rig = EngineRig(postings: 2)
    try await rig.apply()
    rig.writePostings(2, retitled: [0])
    let result = try await rig.plan()
    let saved = SavedPlan(
      createdAt: "2026-11-21T10:00:00Z", lineage: result.lineage, serial: result.serial,
      configDigest: try rig.workspace().config.contentDigest, liveFingerprint: SavedPlan.fingerprint(result.live),
      targets: [], excludes: [], force: false, plan: result.plan)
    rig.writePostings(2, retitled: [0, 1])
    try await rig.apply()
    rig.writePostings(2, retitled: [0])
    await #expect {
      try await rig.apply(saved: saved)
    } throws: { error in
      guard case EngineError.stalePlan(_, let reason) = error else { return false }
      return reason.contains("the state changed since the plan was made")
    }
  }

  @Test("apply while another holds the lock is EngineError.locked naming the holder, and changes nothing")
  func locked() async throws {
    let rig = EngineRig(postings: 2)
    let location = try rig.workspace().stateLocation()
    let holder = try await StateAccess.openForWriting(location)
    let held = try await holder.lock(LockRequest(operation: "apply"))
    await #expect {
      try await rig.apply()
    } throws: { error in
      guard case EngineError.locked(let info) = error else { return false }
      return info.id == held.id
    }
    #expect(await rig.remote.writes == 0)
    try await holder.unlock(held)
  }
}
