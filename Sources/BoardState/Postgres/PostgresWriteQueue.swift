/// One store's state writes, one at a time in the order they came. Each write checks the
/// serial the store last saw; two of the same store's writes in flight at once would otherwise
/// each expect the same serial, and the second would fail as a conflict with its own sibling.
actor PostgresWriteQueue {
  private var busy = false
  private var waiting: [CheckedContinuation<Void, Never>] = []

  /// Runs `body` once every write queued before it has finished.
  func run<T: Sendable>(_ body: @Sendable () async throws -> T) async throws -> T {
    if busy {
      await withCheckedContinuation { waiting.append($0) }
    } else {
      busy = true
    }
    defer { next() }
    return try await body()
  }

  private func next() {
    if waiting.isEmpty {
      busy = false
    } else {
      waiting.removeFirst().resume()
    }
  }
}
