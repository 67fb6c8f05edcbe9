extension GitStateStore {
  /// Everything the branch's tree holds: the journal of the runs compaction kept (the branch's
  /// history has the rest).
  public func exportState() async throws -> StateExport {
    let location = self.location
    try await branch.flushDeferred()
    return try await branch.read { branch in
      guard let content = branch.content, let snapshot = branch.snapshot else {
        throw StateError.unavailable(location: location, reason: "it holds no state", fix: "Nothing to migrate")
      }
      return StateExport(
        lineage: content.meta.lineage, serial: content.meta.serial, records: snapshot.records,
        journal: content.journal.entries)
    }
  }

  public func importState(_ export: StateExport) async throws {
    let location = self.location
    try await branch.change { try $0.fill(with: export, location: location) }
  }
}
