extension GitStateStore {
  public func tryLock(_ candidate: LockInfo) async throws -> LockAttempt {
    try await branch.alone { try await $0.takeLock(candidate) }
  }

  public func unlock(_ lock: LockInfo) async throws {
    try await branch.flushDeferred()
    try await branch.alone { try await $0.releaseLock(lock) }
  }

  public func currentLock() async throws -> LockInfo? {
    try await branch.alone { branch in
      try await branch.refresh()
      return branch.content?.lock
    }
  }

  public func forceUnlock(id: String, evenIfAlive: Bool) async throws -> LockInfo {
    try await branch.alone { try await $0.forceUnlock(id: id, evenIfAlive: evenIfAlive) }
  }
}
