import BoardCore
import BoardSpec
import BoardState
import BoardSync

/// The right to erasure (`boardctl forget person --email`): every record of one person that a
/// sync rule links, on every board, is deleted (or anonymised, where the rule's retention says
/// so), and the links are removed. Records no rule links are not touched. Each step is
/// journaled by address, never with the person's data.
public struct PersonForgetting: Sendable {
  public let workspace: CheckedWorkspace
  public let connected: ConnectedBoards

  public init(workspace: CheckedWorkspace, connected: ConnectedBoards) {
    self.workspace = workspace
    self.connected = connected
  }

  /// One record to erase.
  public struct Step: Sendable, Hashable {
    /// `sync.<rule>.<source-id>`: the link it comes from.
    public var address: Address
    public var board: String
    public var object: String
    public var id: String
    /// delete, anonymize, or keep (boardctl cannot erase that object: only the link goes).
    public var action: String
    /// For an unlink: the target record the link held (a two-way rule never makes it again on
    /// the source).
    public var targetID: String?
  }

  /// The steps, found by reading each rule's source and target for the email.
  public func plan(email: String, state: any StateStore) async throws -> [Step] {
    let records = try await state.snapshot()?.records ?? []
    var steps: [Step] = []
    var seen: Set<String> = []
    // Rules that match through another rule's links (`via`, or by id) come last: their records
    // are the person's when they link one the other rules found for the person.
    func throughLinks(_ rule: SyncRule) -> Bool { rule.match?.via != nil || rule.match?.target == "id" }
    let rules =
      workspace.config.syncRules.filter { !throughLinks($0) } + workspace.config.syncRules.filter(throughLinks)
    // The person's records by `board.object`: those whose fields hold the email, then, pass by
    // pass until nothing is added, every record a rule links to one of them.
    var found: [String: Set<String>] = [:]
    var linksByRule: [String: [SyncLink]] = [:]
    for rule in rules {
      guard let source = connected.connections[rule.source.board] as? any SyncRecordBoard,
        let target = connected.connections[rule.target.board] as? any SyncRecordBoard
      else { continue }
      if let reason = connected.unopened[rule.source.board] ?? connected.unopened[rule.target.board] {
        throw EngineError.user("rule '\(rule.name)' cannot be read: \(reason)")
      }
      let links = records.filter { $0.address.board == SyncSection.board && $0.address.object.rawValue == rule.name }
        .compactMap(SyncStateRecords.link)
      guard !links.isEmpty else { continue }
      linksByRule[rule.name] = links
      guard !throughLinks(rule) else { continue }
      do {
        found[rule.source.qualified, default: []].formUnion(
          try await matching(source, rule.source.object, field: rule.match?.source ?? "email", email: email))
        found[rule.target.qualified, default: []].formUnion(
          try await matching(target, rule.target.object, field: rule.match?.target ?? "email", email: email))
      } catch {
        throw EngineError.user(
          "rule '\(rule.name)' could not be read: \(PersonalData.redact("\(error)", values: [email]))",
          diagnostics: [])
      }
    }
    var total = -1
    while total != found.values.reduce(0, { $0 + $1.count }) {
      total = found.values.reduce(0, { $0 + $1.count })
      for rule in rules {
        let sourceObject = rule.source.qualified
        let targetObject = rule.target.qualified
        for link in linksByRule[rule.name] ?? []
        where found[sourceObject]?.contains(link.sourceID) == true
          || found[targetObject]?.contains(link.targetID) == true
        {
          found[sourceObject, default: []].insert(link.sourceID)
          found[targetObject, default: []].insert(link.targetID)
        }
      }
    }
    let erasable = workspace.erasableSyncObjects
    // An object boardctl erases but cannot write (form submissions) is deleted, not anonymised.
    let writable = workspace.syncObjects(where: \.canWrite)
    for rule in rules {
      let links = linksByRule[rule.name] ?? []
      let sourceObject = rule.source.qualified
      let targetObject = rule.target.qualified
      let sources = found[sourceObject] ?? []
      let targets = found[targetObject] ?? []
      let action = rule.retention?.action.rawValue ?? "delete"
      for link in links where sources.contains(link.sourceID) || targets.contains(link.targetID) {
        let address = SyncStateRecords.address(rule: rule.name, name: link.sourceID)
        for (side, id) in [(rule.source, link.sourceID), (rule.target, link.targetID)] {
          guard seen.insert("\(side.qualified).\(id)").inserted else { continue }
          let object = side.qualified
          let step = !erasable.contains(object) ? "keep" : writable.contains(object) ? action : "delete"
          steps.append(
            Step(address: address, board: side.board, object: side.object, id: id, action: step, targetID: nil))
        }
        if !steps.contains(where: { $0.address == address && $0.action == "unlink" }) {
          steps.append(
            Step(
              address: address, board: SyncSection.board, object: rule.name, id: link.sourceID, action: "unlink",
              targetID: link.targetID))
        }
      }
    }
    return steps
  }

  /// Carries the steps out, each journaled; returns how many were done.
  public func execute(_ steps: [Step], email: String, state: any StateStore) async throws -> Int {
    let run = RunProvenance.forThisProcess(commit: await ConfigurationCommit.describe(workspace.layout)).encoded
    var done = 0
    for step in steps {
      let entry = try await state.journalBegin(run: run, address: step.address, action: "forget-\(step.action)")
      do {
        if step.action == "unlink" {
          // A marker, not nothing: the next full read must not sync the person again.
          let tombstone = SyncStateRecords.tombstone(
            rule: step.object, sourceID: step.id, targetID: step.targetID, day: workspace.environment.today.description,
            now: workspace.environment.now)
          try await state.journalFinish(entry, saving: [step.address: tombstone])
        } else {
          if let board = connected.connections[step.board] as? any SyncRecordBoard {
            if step.action == "delete" { try await board.deleteRecord(step.object, id: step.id) }
            if step.action == "anonymize" { try await board.anonymizeRecord(step.object, id: step.id) }
          }
          try await state.journalFinish(entry, error: nil)
        }
        done += 1
      } catch {
        try await state.journalFinish(entry, error: "failed; nothing of the person is in this message")
        let words = PersonalData.redact("\(error)", values: [email])
        throw EngineError.user("forgetting failed at \(step.board) \(step.object) \(step.id): \(words)")
      }
    }
    return done
  }

  /// Ids of the records whose `field` is `email` (any case): a lookup where the platform can, else
  /// every record read and compared.
  private func matching(_ board: any SyncRecordBoard, _ object: String, field: String, email: String) async throws
    -> [String]
  {
    let wanted = email.lowercased()
    var found = try await board.records(object, field: field, values: [email], ignoreCase: true)
    if found == nil { found = try await board.records(object, since: nil, filter: [:]) }
    return (found ?? []).filter { $0[field]?.lowercased() == wanted }.map(\.id)
  }
}
