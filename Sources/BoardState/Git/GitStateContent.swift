import BoardCore

/// What one commit of the state branch holds, decoded.
struct GitStateContent: Sendable {
  var meta: GitStateMeta
  var lock: LockInfo?
  var records: [Address: StateRecord]
  var journal: GitJournal

  init(
    meta: GitStateMeta, lock: LockInfo? = nil, records: [Address: StateRecord] = [:], journal: GitJournal = GitJournal()
  ) {
    self.meta = meta
    self.lock = lock
    self.records = records
    self.journal = journal
  }

  /// Whether it holds nothing yet but its lineage: the only state an import may fill.
  var isEmpty: Bool { meta.serial == 0 && records.isEmpty && journal.isEmpty }

  var snapshot: StateSnapshot {
    StateSnapshot(
      lineage: meta.lineage, serial: meta.serial, records: records.values.sorted { $0.address < $1.address })
  }
}
