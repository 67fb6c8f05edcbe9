import Foundation

/// The lock is a commit that adds the `lock` file, pushed with compare-and-swap like every
/// write, on the same branch as the state: the push that writes state also proves the lock is
/// still ours. While held, the lease is renewed at a third of its length (every state commit
/// renews it too, so a renewal is a commit of its own only when nothing else was written).
extension GitStateBranch {
  /// Takes the lock when it is free or its holder is provably gone. A push refused because
  /// another runner moved the branch first means that runner won: the branch is fetched again
  /// and its lock reported.
  func takeLock(_ candidate: LockInfo) async throws -> LockAttempt {
    for _ in 0..<Self.raceRetries {
      try await refresh()
      guard let parent = content.map(GitStateDraft.init) else { throw branchGone() }
      if let held = parent.lock, held.id == candidate.id {
        own(held)
        return .acquired(held, replaced: nil)
      }
      if let held = parent.lock, !held.holderIsGone { return .held(held) }
      var lock = candidate
      lock.expires = StateTime.timestamp(after: lease)
      var draft = parent
      var details = ["lock id \(lock.id), since \(lock.since), lease until \(lock.expires ?? "?")"]
      if let held = parent.lock {
        let why =
          held.isStale
          ? "its process \(held.pid) no longer runs on this host" : "its lease expired at \(held.expires ?? "?")"
        details.append("replaced lock id \(held.id) (since \(held.since)): \(why)")
        draft.setLock(
          lock, subject: "takeover of \(Self.holder(held)): lock: \(Self.holder(lock))", details: details)
      } else {
        draft.setLock(lock, subject: "lock: \(Self.holder(lock))", details: details)
      }
      if try await publish(draft, message: draft.message(actor: Self.writer(lock))) {
        own(lock)
        return .acquired(lock, replaced: parent.lock)
      }
    }
    throw Self.kept(moving: location)
  }

  /// Removes the lock with `lock`'s id; a lock already gone (released, taken over) is fine.
  func releaseLock(_ lock: LockInfo) async throws {
    let wasOurs = ownedLock?.id == lock.id
    if wasOurs {
      stopRenewal()
      ownedLock = nil
    }
    // Our own head is the truth while we held the lock; otherwise look at the remote first.
    var fetchFirst = !wasOurs
    for _ in 0..<Self.raceRetries {
      if fetchFirst { try await refresh() }
      fetchFirst = true
      guard let parent = content.map(GitStateDraft.init), parent.lock?.id == lock.id else { return }
      var draft = parent
      draft.setLock(nil, subject: "unlock: \(Self.holder(lock))", details: ["lock id \(lock.id)"])
      if try await publish(draft, message: draft.message(actor: Self.writer(lock))) { return }
    }
    throw Self.kept(moving: location)
  }

  /// Clears the lock with `id`, refusing a holder alive on this host unless `evenIfAlive`.
  func forceUnlock(id: String, evenIfAlive: Bool) async throws -> LockInfo {
    for _ in 0..<Self.raceRetries {
      try await refresh()
      let held = content?.lock
      guard let parent = content.map(GitStateDraft.init), let held, held.id == id else {
        throw StateError.lockMismatch(requested: id, held: held)
      }
      if !evenIfAlive && held.isAliveHere { throw StateError.holderAlive(held) }
      var draft = parent
      let me = LockInfo.forThisProcess(operation: "force-unlock")
      draft.setLock(
        nil, subject: "force-unlock of \(Self.holder(held)) by \(me.holder)",
        details: ["cleared lock id \(held.id) (since \(held.since), lease until \(held.expires ?? "?"))"])
      if try await publish(draft, message: draft.message(actor: Self.writer(me))) {
        if ownedLock?.id == id {
          stopRenewal()
          ownedLock = nil
        }
        return held
      }
    }
    throw Self.kept(moving: location)
  }

  /// `apply by ci@runner-7 (pid 4121) in https://…/runs/1`: a holder as lock messages name it.
  static func holder(_ lock: LockInfo) -> String {
    "\(lock.operation) by \(lock.holder) (pid \(lock.pid))" + (lock.ciRun.map { " in \($0)" } ?? "")
  }

  private func own(_ lock: LockInfo) {
    ownedLock = lock
    lockLost = false
    lostTo = nil
    lastCommit = .now
    startRenewal()
  }

  /// Renews the lease in the background until the lock is released, lost or the store closed.
  private func startRenewal() {
    renewal?.cancel()
    let interval = lease / 3
    renewal = Task { [weak self] in
      while !Task.isCancelled {
        guard let wait = await self?.renewalDelay(interval) else { return }
        do { try await Task.sleep(for: wait) } catch { return }
        guard let self else { return }
        await self.renewIfIdle(interval)
      }
    }
  }

  func stopRenewal() {
    renewal?.cancel()
    renewal = nil
  }

  /// How long until the lease needs renewing: a third of it after the last commit, which renewed
  /// it too; nil when no lock is held.
  private func renewalDelay(_ interval: Duration) -> Duration? {
    guard ownedLock != nil else { return nil }
    var due = lastCommit + interval
    if let retry = renewalRetry, retry > due { due = retry }
    let now = ContinuousClock.now
    return due > now ? due - now : .zero
  }

  private func renewIfIdle(_ interval: Duration) async {
    guard ownedLock != nil, ContinuousClock.now - lastCommit >= interval else { return }
    do {
      try await change { draft in draft.renewLease() }
    } catch {
      // A remote that did not answer is tried again soon, well inside the lease; a lock that
      // was lost stopped this renewal already.
      renewalRetry = .now + interval / 4
    }
  }
}
