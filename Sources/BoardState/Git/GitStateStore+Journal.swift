import BoardCore

extension GitStateStore {
  public func journalBegin(run: String, address: Address, action: String) async throws -> Int64 {
    let now = StateTime.timestamp()
    return try await branch.change { $0.journalBegin(run: run, address: address, action: action, at: now) }
  }

  public func journalFinish(_ entry: Int64, error: String?) async throws {
    let now = StateTime.timestamp()
    try await branch.change { $0.journalFinish(entry, error: error, at: now) }
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
    try await branch.read { $0.content?.journal.newest(limit) ?? [] }
  }
}
