import BoardCore
import Foundation

/// One store's view of the state branch, and the only way it changes.
///
/// Work runs in order, one item at a time. Changes (writes, journal entries) that queue up while
/// a push is in flight are committed together in the next commit (group commit), and each
/// caller returns once the push that holds its change succeeded. Lock operations run alone.
/// Every commit's parent is the head last read or written, and its push is a compare-and-swap on
/// that head: a branch that moved since refuses it.
actor GitStateBranch {
  /// A change waiting for the next commit, and how to tell its caller the result.
  struct Change: Sendable {
    let apply: @Sendable (inout GitStateDraft) throws -> any Sendable
    let resume: @Sendable (Result<any Sendable, any Error>) -> Void
  }

  enum Work: Sendable {
    case change(Change)
    /// Runs on its own, between commits: a lock operation, or a read that fetches first.
    case alone(@Sendable (isolated GitStateBranch) async -> Void)
  }

  let repository: GitRepository
  let lease: Duration
  let location: String

  /// The commit last read or written, its files (path to blob) and what they hold; nil when
  /// the remote has no state branch.
  var head: String?
  var files: [String: String] = [:]
  var content: GitStateContent?
  /// The lock this store holds, as last written.
  var ownedLock: LockInfo?
  /// Set once this store's lock was taken over: it writes nothing more.
  var lockLost = false
  var lostTo: LockInfo?
  var lastCommit = ContinuousClock.now
  var renewal: Task<Void, Never>?
  var renewalRetry: ContinuousClock.Instant?
  /// Whether the content was fetched by `open` and not read since: the first read uses it
  /// instead of fetching again.
  var fresh = false
  var work: [Work] = []
  var draining = false
  /// The commit the private ref was last pointed at.
  var remembered: String?
  /// `snapshot` of the content in hand, until it changes.
  var snapshotCache: StateSnapshot?
  /// Journal entries begun or finished without state: they ride with the next commit, or are
  /// committed on their own after `deferredDelay`. A push per entry would make a file board's
  /// apply (an intent and an outcome per page, one after another) take a push per page.
  var deferred: [Change] = []
  var deferredFlush: Task<Void, Never>?
  /// The next journal id to hand out to a deferred entry.
  var nextJournalID: Int64 = 0
  static let deferredDelay: Duration = .seconds(1)

  /// How often a lock operation looks again after losing a race to another runner's push.
  static let raceRetries = 10

  init(repository: GitRepository, lease: Duration, location: String) {
    self.repository = repository
    self.lease = lease
    self.location = location
  }

  /// Changes waiting for a commit (for tests of group commit).
  var queuedChanges: Int {
    work.filter { if case .change = $0 { return true } else { return false } }.count
  }

  // MARK: Opening

  /// Fetches the branch; with `create`, makes it when the remote has none (an orphan commit with
  /// `meta` alone, a new lineage and serial 0). Returns false when there is no state and none
  /// was to be created. When two runners create it at once, the one whose push lost uses the
  /// branch that won.
  func open(create: Bool) async throws -> Bool {
    for _ in 0..<Self.raceRetries {
      if let remoteHead = try await repository.fetch() {
        try await sync(to: remoteHead)
        fresh = true
        return true
      }
      guard create else { return false }
      let meta = GitStateMeta(lineage: UUID().uuidString.lowercased(), serial: 0)
      var draft = GitStateDraft(GitStateContent(meta: meta))
      draft.add(
        file: GitStatePaths.readme, text: Self.readme(branch: repository.branch),
        subject: "create boardctl state (lineage \(meta.lineage))")
      head = nil
      files = [:]
      if try await publish(draft, message: draft.message(actor: writer)) {
        fresh = true
        return true
      }
    }
    throw Self.kept(moving: location)
  }

  static func readme(branch: String) -> String {
    """
    # boardctl state

    boardctl keeps what it last applied here, one small text file per resource, and writes
    every change as a commit: `git log -p \(branch)` is the audit trail. Do not edit, rebase or
    delete this branch by hand; `boardctl state` and `boardctl force-unlock` are the tools.

    - `meta`: format version, lineage and serial (bumped by every write)
    - `lock`: who holds the state lock and until when (present only while held)
    - `resources/<board>/<object>/<shard>/<name>`: one record per resource (the shard, two hex
      digits of a hash of the name, keeps each folder small)
    - `journal/<block>`: the apply journal of the latest runs (older runs are in the history)

    """
  }

  static func kept(moving location: String) -> StateError {
    .unavailable(
      location: location, reason: "the state branch kept moving under this command",
      fix: "Other runners are writing it continuously; run the command again")
  }

  // MARK: Reading

  /// Runs `body` on the current content: the one in hand while this store holds the lock (no
  /// one else may write) or just after opening, otherwise fetched first.
  func read<T: Sendable>(_ body: @escaping @Sendable (isolated GitStateBranch) throws -> T) async throws -> T {
    if ownedLock != nil || fresh {
      fresh = false
      return try body(self)
    }
    return try await alone { branch in
      try await branch.refresh()
      return try body(branch)
    }
  }

  /// The records sorted by address, sorted once per head: plans on 10,000 postings read them
  /// all.
  var snapshot: StateSnapshot? {
    if let snapshotCache { return snapshotCache }
    snapshotCache = content?.snapshot
    return snapshotCache
  }

  /// Fetches the branch and reads what changed.
  func refresh() async throws {
    fresh = false
    try await sync(to: try await repository.fetch())
  }

  /// Makes `commit` the head, reading only the files whose blobs changed since the head in
  /// hand: one `ls-tree` and one `cat-file --batch`, however many files. Everything is decoded
  /// and checked before anything in hand changes, so a refused branch leaves the store as it was.
  func sync(to commit: String?) async throws {
    guard let commit else {
      head = nil
      files = [:]
      content = nil
      snapshotCache = nil
      return
    }
    guard commit != head || content == nil else { return }
    let listing = try await repository.files(of: commit)
    let previous = content == nil ? [:] : files
    let changed = listing.compactMap { path, blob in
      previous[path] != blob && Self.isStateFile(path) ? path : nil
    }
    let texts = try await repository.read(changed.map { listing[$0]! })

    // The meta file is what makes a branch boardctl's, and its format decides whether this
    // build may read the rest at all.
    guard listing[GitStatePaths.meta] != nil else { throw foreign() }
    let meta: GitStateMeta
    if let index = changed.firstIndex(of: GitStatePaths.meta) {
      guard let decoded = GitStateMeta.decode(texts[index]) else { throw foreign() }
      meta = decoded
    } else if let known = content?.meta {
      meta = known
    } else {
      throw foreign()
    }
    if meta.format > GitStateMeta.currentFormat {
      throw StateError.newerSchema(location: location, version: meta.format)
    }
    var lock = content?.lock
    var records: [Address: StateRecord?] = [:]
    var blocks: [Int64: [JournalEntry]?] = [:]
    if listing[GitStatePaths.lock] == nil { lock = nil }
    for path in previous.keys where listing[path] == nil {
      if let address = GitStatePaths.address(ofRecord: path) { records.updateValue(nil, forKey: address) }
      if let block = GitStatePaths.journalBlockIndex(path) { blocks.updateValue(nil, forKey: block) }
    }
    var keys: [String: String] = [:]
    records.reserveCapacity(changed.count)
    for (path, text) in zip(changed, texts) {
      if let address = GitStatePaths.address(ofRecord: path) {
        guard let record = GitRecordFile.decode(text, at: address, keys: &keys) else { throw damaged(path) }
        records[address] = record
      } else if let block = GitStatePaths.journalBlockIndex(path) {
        guard let entries = GitJournal.decode(text) else { throw damaged(path) }
        blocks[block] = entries
      } else if path == GitStatePaths.lock {
        guard let decoded = GitLockFile.decode(text) else { throw damaged(path) }
        lock = decoded
      }
    }
    // Taken out while it changes, so its 20,000 records are changed in place, not copied.
    if !records.isEmpty || content?.meta != meta { snapshotCache = nil }
    var next = content ?? GitStateContent(meta: meta)
    content = nil
    next.meta = meta
    next.lock = lock
    for (address, record) in records { next.records[address] = record }
    if !blocks.isEmpty { next.journal.load(blocks) }
    head = commit
    files = listing
    content = next
  }

  static func isStateFile(_ path: String) -> Bool {
    path == GitStatePaths.meta || path == GitStatePaths.lock || path.hasPrefix(GitStatePaths.resourcesFolder)
      || path.hasPrefix(GitStatePaths.journalFolder)
  }

  func foreign() -> StateError {
    .foreign(
      location: location,
      fix:
        "Its files are not boardctl's (no boardctl `meta` file). Choose another branch for the state (the Workspace's state branch), or rename that branch"
    )
  }

  func damaged(_ path: String) -> StateError {
    .foreign(
      location: "the file '\(path)' of \(location)",
      fix:
        "It was edited by hand or damaged; restore it from the branch's history (git log -p \(repository.branch) -- \(path))"
    )
  }

  // MARK: Changing

  /// Queues a change for the next commit; returns once the push that holds it succeeded.
  /// `apply` must either change the draft completely or throw before changing it.
  func change<T: Sendable>(_ apply: @escaping @Sendable (inout GitStateDraft) throws -> T) async throws -> T {
    let value = try await withCheckedThrowingContinuation {
      (continuation: CheckedContinuation<any Sendable, any Error>) in
      enqueue(.change(Change(apply: { try apply(&$0) }, resume: { continuation.resume(with: $0) })))
    }
    // The value is the one `apply` returned.
    return value as! T
  }

  /// Runs `body` alone, after the work queued before it.
  func alone<T: Sendable>(_ body: @escaping @Sendable (isolated GitStateBranch) async throws -> T) async throws -> T {
    try await withCheckedThrowingContinuation { (continuation: CheckedContinuation<T, any Error>) in
      enqueue(
        .alone { branch in
          do {
            continuation.resume(returning: try await body(branch))
          } catch {
            continuation.resume(throwing: error)
          }
        })
    }
  }

  /// Queues a change that nobody waits for: it goes into the next commit, at the latest
  /// `deferredDelay` from now. A holder that lost its lock is told at once, as by `change`.
  func changeLater(_ apply: @escaping @Sendable (inout GitStateDraft) throws -> Void) throws {
    if lockLost { throw StateError.lockLost(location: location, by: lostTo) }
    deferred.append(Change(apply: { try apply(&$0) }, resume: { _ in }))
    guard deferredFlush == nil else { return }
    deferredFlush = Task {
      try? await Task.sleep(for: Self.deferredDelay)
      try? await self.flushDeferred()
    }
  }

  /// Commits deferred changes now, if any wait.
  func flushDeferred() async throws {
    deferredFlush?.cancel()
    deferredFlush = nil
    guard !deferred.isEmpty else { return }
    _ = try await change { _ in () }
  }

  /// A journal id for an entry begun now, ahead of its commit.
  func reserveJournalID() -> Int64 {
    let id = max(nextJournalID, content?.journal.nextID ?? 1)
    nextJournalID = id + 1
    return id
  }

  private func enqueue(_ item: Work) {
    work.append(item)
    guard !draining else { return }
    draining = true
    Task { await self.drain() }
  }

  private func drain() async {
    while let first = work.first {
      if case .alone(let body) = first {
        work.removeFirst()
        await body(self)
        continue
      }
      // Deferred journal entries were queued before any change now waiting: they go first.
      var group: [Change] = deferred
      deferred = []
      deferredFlush?.cancel()
      deferredFlush = nil
      while let next = work.first, case .change(let change) = next {
        group.append(change)
        work.removeFirst()
      }
      await commit(group)
      // The private ref follows the branch when nothing waits: it only spares the next fetch
      // objects this repository already has, so it never delays a caller.
      if work.isEmpty, let head, head != remembered {
        remembered = head
        await repository.remember(head)
      }
    }
    draining = false
  }

  /// Commits a group of changes in one commit and pushes it.
  private func commit(_ group: [Change]) async {
    var results: [Result<any Sendable, any Error>]
    // A store that writes reads its own writes; what `open` fetched is no longer news.
    fresh = false
    do {
      if lockLost { throw StateError.lockLost(location: location, by: lostTo) }
      // The draft holds the parent's lock and serial, never a copy of its records.
      guard let parent = content.map(GitStateDraft.init) else { throw branchGone() }
      var draft = parent
      results = group.map { change in Result { try change.apply(&draft) } }
      if draft.hasChanges, results.contains(where: { (try? $0.get()) != nil }) {
        // Writing under another runner's live lock would break the one-writer promise.
        if let lock = parent.lock, lock.id != ownedLock?.id, !lock.holderIsGone {
          throw StateError.locked(lock)
        }
        if let owned = ownedLock { draft.extendLease(of: owned.id, until: StateTime.timestamp(after: lease)) }
        guard try await publish(draft, message: draft.message(actor: writer)) else {
          throw try await raceLost(expectedSerial: parent.meta.serial)
        }
      }
    } catch {
      results = group.map { _ in .failure(error) }
    }
    for (change, result) in zip(group, results) { change.resume(result) }
  }

  /// Who writes, for commit messages: the lock's holder and CI run while this store holds it.
  var writer: String {
    if let lock = ownedLock { return Self.writer(lock) }
    return Self.writer(LockInfo.forThisProcess(operation: "write"))
  }

  /// `apply by ci@runner-7 (https://github.com/o/r/actions/runs/1)`.
  static func writer(_ lock: LockInfo) -> String {
    "\(lock.operation) by \(lock.holder)" + (lock.ciRun.map { " (\($0))" } ?? "")
  }

  func branchGone() -> StateError {
    .unavailable(
      location: location, reason: "the state branch is no longer on the remote",
      fix:
        "Restore it from a clone that has it (git push <remote> refs/boardctl/\(repository.branch):refs/heads/\(repository.branch)), or open the state again to start a new one"
    )
  }

  /// Commits `draft` on the head and pushes it; false when the branch moved (nothing changed
  /// then). On success the draft is the new head.
  func publish(_ draft: GitStateDraft, message: String) async throws -> Bool {
    let changes = draft.files
    let parent = head
    let made = try await repository.commit(parent: parent, files: changes, message: message)
    switch try await repository.push(made.commit, expected: parent) {
    case .lostRace:
      return false
    case .pushed:
      for change in changes { files[change.path] = change.text == nil ? nil : made.blobs[change.path] }
      head = made.commit
      // A lock or journal commit leaves the sorted records as they were.
      if !draft.records.isEmpty || content?.meta != draft.meta { snapshotCache = nil }
      if content == nil { content = GitStateContent(meta: draft.meta) }
      draft.apply(to: &content!)
      lastCommit = .now
      renewalRetry = nil
      if let owned = ownedLock, let lock = draft.lock, lock.id == owned.id { ownedLock = lock }
      return true
    }
  }

  /// After a write's push was refused: what happened, from the branch as it is now. A lock
  /// that names someone else means ours was taken over (this store writes nothing more); a
  /// lock still ours means another writer ignored it.
  private func raceLost(expectedSerial: Int) async throws -> StateError {
    try await refresh()
    let found = content?.meta.serial ?? 0
    guard let owned = ownedLock, content?.lock?.id != owned.id else {
      return .conflict(location: location, expectedSerial: expectedSerial, found: found)
    }
    stopRenewal()
    ownedLock = nil
    lockLost = true
    lostTo = content?.lock
    return .lockLost(location: location, by: content?.lock)
  }
}
