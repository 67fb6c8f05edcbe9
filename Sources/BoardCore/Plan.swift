/// The result of `plan`: changes in apply order, drift found on the way, and conflicts.
public struct Plan: Sendable, Hashable, Codable {
  public var changes: [PlannedChange]
  public var drift: [DriftEntry]
  public var conflicts: [Conflict]
  /// Refresh warnings (an unreadable feed, a missing output folder).
  public var warnings: [String]
  /// Estimated cost of new paid placements, per currency.
  public var cost: [String: Double]
  /// What each sync rule will move, after the placements.
  public var sync: [SyncSection] = []

  public init(
    changes: [PlannedChange] = [], drift: [DriftEntry] = [], conflicts: [Conflict] = [], warnings: [String] = [],
    cost: [String: Double] = [:]
  ) {
    self.changes = changes
    self.drift = drift
    self.conflicts = conflicts
    self.warnings = warnings
    self.cost = cost
  }

  /// Nothing to apply: no placement changes and no sync rule that would write.
  /// Decodes plans saved before sync rules existed (no `sync` key) too.
  public init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    changes = try container.decode([PlannedChange].self, forKey: .changes)
    drift = try container.decode([DriftEntry].self, forKey: .drift)
    conflicts = try container.decode([Conflict].self, forKey: .conflicts)
    warnings = try container.decode([String].self, forKey: .warnings)
    cost = try container.decode([String: Double].self, forKey: .cost)
    sync = try container.decodeIfPresent([SyncSection].self, forKey: .sync) ?? []
  }

  public var isEmpty: Bool { changes.isEmpty && !sync.contains(where: \.writes) }

  /// Counts for the summary line.
  public struct Summary: Sendable, Hashable, Codable {
    public var add = 0
    public var change = 0
    public var close = 0
    public var destroy = 0
    public var `import` = 0
    public var forget = 0
  }

  public var summary: Summary {
    var s = Summary()
    for change in changes {
      switch change.action {
      case .create: s.add += 1
      case .update: s.change += 1
      case .replace:
        s.add += 1
        s.destroy += 1
      case .close: s.close += 1
      case .delete: s.destroy += 1
      case .import: s.import += 1
      case .forget: s.forget += 1
      }
    }
    return s
  }

  /// `Plan: X to add, Y to change, Z to close, W to destroy.`, with imports and forgets when present.
  public var summaryLine: String {
    let s = summary
    var parts = ["\(s.add) to add", "\(s.change) to change", "\(s.close) to close", "\(s.destroy) to destroy"]
    if s.import > 0 { parts.append("\(s.import) to import") }
    if s.forget > 0 { parts.append("\(s.forget) to forget") }
    return "Plan: " + parts.joined(separator: ", ") + "." + (syncLine.map { " " + $0 } ?? "")
  }

  /// `Sync: 3 to create, 1 to link, 2 skipped (no consent).`, or nil without sync rules.
  public var syncLine: String? {
    guard !sync.isEmpty else { return nil }
    var counts: [String: Int] = [:]
    for section in sync { counts.merge(section.counts, uniquingKeysWith: +) }
    let words: [(String, String)] = [
      ("create", "to create"), ("link", "to link"), ("update", "to update"), ("update_source", "to update back"),
      ("create_source", "to create back"), ("delete", "to delete"), ("purge", "to purge"), ("unlink", "to unlink"),
      ("conflict", "in conflict"),
      ("skip", "skipped"),
    ]
    let parts = words.compactMap { action, word in counts[action].map { "\($0) \(word)" } }
    return "Sync: " + (parts.isEmpty ? "nothing to move" : parts.joined(separator: ", ")) + "."
  }

  /// `Estimated cost of new paid placements: 150 USD.`, or nil when nothing paid is created.
  public var costLine: String? {
    guard !cost.isEmpty else { return nil }
    let amounts = cost.keys.sorted().map { "\(AttributeValue.number(cost[$0]!).description) \($0)" }
    return "Estimated cost of new paid placements: \(amounts.joined(separator: " + "))."
  }

  /// Keeps only the changes selected by `targets` (all when empty) and not by `excludes`.
  public func filtered(targets: [AddressPattern], excludes: [AddressPattern]) -> Plan {
    func selected(_ address: Address) -> Bool {
      (targets.isEmpty || targets.contains { $0.matches(address) }) && !excludes.contains { $0.matches(address) }
    }
    var plan = self
    plan.changes = changes.filter { selected($0.address) }
    for index in plan.sync.indices { plan.sync[index].changes.removeAll { !selected($0.address) } }
    return plan
  }
}
