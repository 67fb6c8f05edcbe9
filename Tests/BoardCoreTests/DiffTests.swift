import BoardCore
import BoardSpec
import Testing

let address = Address(board: "careers", object: "page", name: "backend")

func desired(_ attributes: Attributes, renderKey: String? = nil, onRemove: Posting.OnRemove = .close) -> DesiredResource
{
  DesiredResource(
    address: address, platform: "careers-site", attributes: attributes, renderKey: renderKey, onRemove: onRemove)
}

func record(
  _ attributes: Attributes, status: StateRecord.Status = .open, renderKey: String? = nil, digest: String? = nil,
  onRemove: Posting.OnRemove = .close
) -> StateRecord {
  StateRecord(
    address: address, platform: "careers-site", attributes: attributes, renderKey: renderKey, digest: digest,
    status: status, onRemove: onRemove)
}

func live(_ attributes: Attributes, digest: String? = nil) -> LiveResource {
  LiveResource(address: address, attributes: attributes, digest: digest)
}

func diff(
  _ d: DesiredResource?, _ s: StateRecord?, _ l: LiveResource?, owned: Set<String> = [], replace: Set<String> = []
) -> Plan {
  Diff.plan(
    DiffInput(
      desired: d.map { [$0] } ?? [], prior: s.map { [$0] } ?? [], live: l.map { [$0] } ?? [],
      refreshedBoards: ["careers"], platformOwned: ["careers": owned], replaceFields: ["careers": ["page": replace]]))
}

let a: Attributes = ["title": .string("A")]
let b: Attributes = ["title": .string("B")]
let c: Attributes = ["title": .string("C")]

/// One row of the three-way table: D, S, L and what the plan must say.
struct DiffCase: CustomTestStringConvertible, Sendable {
  var name: String
  var d: Attributes?
  var s: Attributes?
  var l: Attributes?
  var action: PlanAction?
  var drift: DriftEntry.Kind?
  var conflict = false
  var testDescription: String { name }
}

@Suite("Three-way diff")
struct DiffTests {
  static let table: [DiffCase] = [
    DiffCase(name: "D=S=L: nothing to do", d: a, s: a, l: a, action: nil, drift: nil),
    DiffCase(name: "D≠S, L=S: our change", d: b, s: a, l: a, action: .update, drift: nil),
    DiffCase(name: "D=S, L≠S: drift, reverted", d: a, s: a, l: b, action: .update, drift: .changed),
    DiffCase(name: "D≠S, L≠S, L≠D: conflict", d: b, s: a, l: c, action: .update, drift: .changed, conflict: true),
    DiffCase(name: "D≠S, L≠S, L=D: converged, no remote change", d: b, s: a, l: b, action: nil, drift: .changed),
    DiffCase(name: "D only: create", d: a, s: nil, l: nil, action: .create, drift: nil),
    DiffCase(name: "D and L, no S: import", d: a, s: nil, l: a, action: .import, drift: nil),
    DiffCase(name: "D and S, L gone: deleted outside, recreate", d: a, s: a, l: nil, action: .create, drift: .deleted),
    DiffCase(name: "S only, L present: close", d: nil, s: a, l: a, action: .close, drift: nil),
    DiffCase(name: "S only, L gone: close in state", d: nil, s: a, l: nil, action: .close, drift: nil),
    DiffCase(name: "L only: unmanaged, reported, untouched", d: nil, s: nil, l: a, action: nil, drift: .unmanaged),
  ]

  @Test("each desired/state/live combination", arguments: table)
  func threeWay(_ row: DiffCase) {
    let plan = diff(row.d.map { desired($0) }, row.s.map { record($0) }, row.l.map { live($0) })
    #expect(plan.changes.first?.action == row.action, "\(plan.changes)")
    #expect(plan.changes.count == (row.action == nil ? 0 : 1))
    #expect(plan.drift.first?.kind == row.drift)
    #expect(plan.conflicts.isEmpty == !row.conflict)
  }

  @Test("an update names only the changed fields, live value before, desired after")
  func fieldChanges() {
    let plan = diff(
      desired(["title": .string("B"), "city": .string("Suva")]),
      record(["title": .string("A"), "city": .string("Suva")]),
      live(["title": .string("A"), "city": .string("Suva")]))
    #expect(plan.changes.first?.fields == [FieldChange(key: "title", before: .string("A"), after: .string("B"))])
  }

  @Test("a conflict names last applied, desired and live values")
  func conflictValues() {
    let plan = diff(desired(b), record(a), live(c))
    #expect(
      plan.conflicts == [
        Conflict(address: address, key: "title", lastApplied: .string("A"), desired: .string("B"), live: .string("C"))
      ])
  }

  @Test("a platform-owned field edited on the board is neither drift nor reverted")
  func platformOwned() {
    let plan = diff(desired(a), record(a), live(b), owned: ["title"])
    #expect(plan.changes.isEmpty)
    #expect(plan.drift.isEmpty)
  }

  @Test("beside other drift, platform-owned edits are listed as kept")
  func platformOwnedBesideDrift() {
    let owned: Attributes = ["title": .string("A"), "status": .string("active")]
    let edited: Attributes = ["title": .string("B"), "status": .string("on_hold")]
    let plan = diff(desired(owned), record(owned), live(edited), owned: ["status"])
    #expect(plan.drift.first?.fields.map(\.key) == ["title"])
    #expect(plan.drift.first?.kept == ["status"])
    #expect(plan.changes.first?.fields.map(\.key) == ["title"])
  }

  @Test("a change to a replace field plans -/+")
  func replace() {
    let plan = diff(
      desired(["path": .string("new.html")]), record(["path": .string("old.html")]),
      live(["path": .string("old.html")]),
      replace: ["path"])
    #expect(plan.changes.first?.action == .replace)
    #expect(plan.changes.first?.action.actions == ["delete", "create"])
    #expect(plan.changes.first?.fields.first?.forcesReplacement == true)
  }

  @Test(
    "removing a posting follows its lifecycle.on_remove",
    arguments: [(Posting.OnRemove.close, PlanAction.close), (.delete, .delete), (.keep, .forget)])
  func removal(rule: Posting.OnRemove, action: PlanAction) {
    let plan = diff(nil, record(a, onRemove: rule), live(a))
    #expect(plan.changes.map(\.action) == [action])
  }

  @Test("a closed posting that returns to the configuration is created again")
  func reopen() {
    let plan = diff(desired(a), record(a, status: .closed), nil)
    #expect(plan.changes.first?.action == .create)
    #expect(plan.changes.first?.reason.contains("reopened") == true)
  }

  @Test("a closed posting with no configuration and nothing live needs nothing")
  func closedStaysClosed() {
    #expect(diff(nil, record(a, status: .closed), nil).changes.isEmpty)
  }

  @Test("content edited outside boardctl is drift and rewritten though attributes match")
  func contentDrift() {
    let plan = diff(desired(a, renderKey: "k"), record(a, renderKey: "k", digest: "d1"), live(a, digest: "d2"))
    #expect(plan.drift.first?.kind == .changed)
    #expect(plan.changes.first?.action == .update)
    #expect(plan.changes.first?.contentChanged == true)
  }

  @Test("a new layout (render key) rewrites the page without any attribute change")
  func renderKeyChange() {
    let plan = diff(desired(a, renderKey: "k2"), record(a, renderKey: "k1", digest: "d"), live(a, digest: "d"))
    #expect(plan.drift.isEmpty)
    #expect(plan.changes.first?.contentChanged == true)
    #expect(plan.changes.first?.reason.contains("rendered output") == true)
  }

  @Test("boards that were not refreshed are taken to hold what state says")
  func unrefreshed() {
    let plan = Diff.plan(
      DiffInput(desired: [desired(a)], prior: [record(a)], live: [], refreshedBoards: []))
    #expect(plan.changes.isEmpty)
    #expect(plan.drift.isEmpty)
  }

  @Test("the summary counts each action, a replace as one add and one destroy")
  func summary() {
    var plan = Plan()
    for action in PlanAction.allCases {
      plan.changes.append(
        PlannedChange(address: address, platform: "x", action: action, before: nil, after: nil, reason: ""))
    }
    #expect(plan.summaryLine == "Plan: 2 to add, 1 to change, 1 to close, 2 to destroy, 1 to import, 1 to forget.")
  }

  @Test("paid boards add their price per new placement to the cost estimate")
  func cost() {
    let plan = Diff.plan(
      DiffInput(
        desired: [desired(a)], prior: [], live: [], refreshedBoards: ["careers"],
        costs: ["careers": (amount: 150, currency: "USD")]))
    #expect(plan.cost == ["USD": 150])
    #expect(plan.costLine == "Estimated cost of new paid placements: 150 USD.")
  }

  @Test("--target and --exclude select by address pattern")
  func targeting() throws {
    let other = Address(board: "indeed", object: "job", name: "backend")
    let plan = Plan(changes: [
      PlannedChange(address: address, platform: "x", action: .create, before: nil, after: a, reason: ""),
      PlannedChange(address: other, platform: "x", action: .create, before: nil, after: a, reason: ""),
    ])
    let indeed = try #require(AddressPattern("indeed"))
    let posting = try #require(AddressPattern("*.*.backend"))
    #expect(plan.filtered(targets: [indeed], excludes: []).changes.map(\.address) == [other])
    #expect(plan.filtered(targets: [], excludes: [indeed]).changes.map(\.address) == [address])
    #expect(plan.filtered(targets: [posting], excludes: []).changes.count == 2)
    #expect(AddressPattern("a..b") == nil)
  }
}
