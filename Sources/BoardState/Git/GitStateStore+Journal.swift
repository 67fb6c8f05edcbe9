import BoardCore

extension GitStateStore {
  /// The intent is pushed with the next state write, or within a second: on a CI runner a
  /// push per intent would cost a round trip to the remote per page a file board writes. A run
  /// killed before that push leaves no intent; the ownership tags that refresh reads under the
  /// lock still find what the run made.
  public func journalBegin(run: String, address: Address, action: String) async throws -> Int64 {
    let now = StateTime.timestamp()
    let id = await branch.reserveJournalID()
    try await branch.changeLater { _ = $0.journalBegin(id: id, run: run, address: address, action: action, at: now) }
    return id
  }

  /// Like an intent, an outcome without state rides with the next commit.
  public func journalFinish(_ entry: Int64, error: String?) async throws {
    let now = StateTime.timestamp()
    try await branch.changeLater { $0.journalFinish(entry, error: error, at: now) }
  }

  public func journalFinish(_ entry: Int64, saving records: [Address: StateRecord?]) async throws {
    let now = StateTime.timestamp()
    try await branch.change { draft in
      draft.journalFinish(entry, error: nil, at: now)
      draft.write(records)
    }
  }

  public func takeInterrupted(exceptRun run: String) async throws -> Set<Address> {
    try await branch.change { $0.takeInterrupted(exceptRun: run) }
  }

  public func journal(limit: Int) async throws -> [JournalEntry] {
    try await branch.flushDeferred()
    return try await branch.read { $0.content?.journal.newest(limit) ?? [] }
  }
}
