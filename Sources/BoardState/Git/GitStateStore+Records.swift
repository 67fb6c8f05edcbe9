import BoardCore

extension GitStateStore {
  public func snapshot() async throws -> StateSnapshot? {
    try await branch.read { $0.snapshot }
  }

  public func record(_ address: Address) async throws -> StateRecord? {
    try await branch.read { $0.content?.records[address] }
  }

  public func write(_ changes: [Address: StateRecord?]) async throws {
    guard !changes.isEmpty else { return }
    try await branch.change { $0.write(changes) }
  }
}
