import BoardCore

/// The next commit of the state branch, built up by the changes grouped into it: what it will
/// hold, the files that changed, and what its message says.
///
/// Records are kept as changes on top of the parent's, never as a copy of all of them: a commit
/// during an apply over 20,000 records then costs what it changes. Every mutating method either
/// changes the draft completely or throws before changing anything, so one failed change never
/// spoils the others grouped with it.
struct GitStateDraft: Sendable {
  private(set) var meta: GitStateMeta
  private(set) var lock: LockInfo?
  private(set) var journal: GitJournal
  /// Records written (or, nil, removed) on top of the parent's.
  private(set) var records: [Address: StateRecord?] = [:]
  private let parentHasRecords: Bool
  private var changedBlocks: Set<Int64> = []
  private var metaChanged = false
  private var lockChanged = false
  private var addedFiles: [String: String] = [:]
  private var renewal = false
  /// The message's subject when the change is not a write (a lock, a creation, an import).
  private var subject: String?
  /// Each written or removed record, true when removed; for the message.
  private var recordNotes: [Address: Bool] = [:]
  private var journalStarted = 0
  private var journalFinished = 0
  private var journalInterrupted = 0
  private var bodyLines: [String] = []

  init(_ content: GitStateContent) {
    meta = content.meta
    lock = content.lock
    journal = content.journal
    parentHasRecords = !content.records.isEmpty
  }

  var hasChanges: Bool {
    metaChanged || lockChanged || renewal || !records.isEmpty || !changedBlocks.isEmpty || !addedFiles.isEmpty
  }

  /// Makes `content` (the parent's) what this draft holds, in place.
  func apply(to content: inout GitStateContent) {
    content.meta = meta
    content.lock = lock
    content.journal = journal
    for (address, record) in records { content.records[address] = record }
  }

  /// Writes (or, for nil, removes) records and bumps the serial once.
  mutating func write(_ changes: [Address: StateRecord?]) {
    guard !changes.isEmpty else { return }
    for (address, record) in changes.sorted(by: { $0.key < $1.key }) {
      records.updateValue(record, forKey: address)
      recordNotes[address] = record == nil
    }
    meta.serial += 1
    metaChanged = true
  }

  /// Sets or clears the lock; `subject` names what happened.
  mutating func setLock(_ lock: LockInfo?, subject: String, details: [String] = []) {
    self.lock = lock
    lockChanged = true
    self.subject = subject
    bodyLines += details
  }

  /// Moves the lease of lock `id` to `expires`, as every commit made while holding it does.
  mutating func extendLease(of id: String, until expires: String) {
    guard var lock, lock.id == id, lock.expires != expires else { return }
    lock.expires = expires
    self.lock = lock
    lockChanged = true
  }

  /// A commit for the lease alone, made when nothing else was written for a third of it.
  mutating func renewLease() {
    renewal = true
  }

  mutating func journalBegin(run: String, address: Address, action: String, at now: String) -> Int64 {
    journalBegin(id: journal.nextID, run: run, address: address, action: action, at: now)
  }

  /// Begins an entry with an id handed out ahead of its commit.
  mutating func journalBegin(id: Int64, run: String, address: Address, action: String, at now: String) -> Int64 {
    let newRun = !journal.knows(run: run)
    changedBlocks.insert(
      journal.insert(
        JournalEntry(
          id: id, run: run, address: address.description, action: action, startedAt: now, outcome: "pending")))
    if newRun { changedBlocks.formUnion(journal.compact()) }
    journalStarted += 1
    bodyLines.append("journal \(id): \(action) \(address) started")
    return id
  }

  /// Records an outcome; an unknown id changes nothing (as an SQL update of no row).
  mutating func journalFinish(_ id: Int64, error: String?, at now: String) {
    let block = journal.update(id) { entry in
      entry.finishedAt = now
      entry.outcome = error == nil ? "ok" : "failed"
      entry.error = error
    }
    guard let block else { return }
    changedBlocks.insert(block)
    journalFinished += 1
    let address = journal.entry(id)?.address ?? "?"
    if let error {
      let line = error.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
      bodyLines.append("journal \(id): \(address) failed: \(line.prefix(200))")
    } else {
      bodyLines.append("journal \(id): \(address) ok")
    }
  }

  mutating func takeInterrupted(exceptRun run: String) -> Set<Address> {
    let (addresses, blocks) = journal.interrupt(exceptRun: run)
    changedBlocks.formUnion(blocks)
    journalInterrupted += addresses.count
    return Set(addresses.compactMap(Address.init))
  }

  /// Fills an empty state with `export`, keeping its lineage, serial and journal.
  mutating func fill(with export: StateExport, location: String) throws {
    guard meta.serial == 0, !parentHasRecords, records.isEmpty, journal.isEmpty else {
      throw StateError.notEmpty(location: location)
    }
    meta.lineage = export.lineage
    meta.serial = export.serial
    metaChanged = true
    for record in export.records { records.updateValue(record, forKey: record.address) }
    for entry in export.journal { changedBlocks.insert(journal.insert(entry)) }
    subject =
      "import: \(Self.count(export.records.count, "record")), \(Self.count(export.journal.count, "journal entry", "journal entries")) (lineage \(export.lineage), serial \(export.serial))"
  }

  /// A file outside the state proper (the branch's README).
  mutating func add(file path: String, text: String, subject: String) {
    addedFiles[path] = text
    metaChanged = true
    self.subject = subject
  }

  /// Every file the commit writes (text) or removes (nil).
  var files: [(path: String, text: String?)] {
    var files: [(path: String, text: String?)] = []
    if metaChanged { files.append((GitStatePaths.meta, meta.encoded)) }
    if lockChanged { files.append((GitStatePaths.lock, lock.map(GitLockFile.encode))) }
    for (path, text) in addedFiles.sorted(by: { $0.key < $1.key }) { files.append((path, text)) }
    for (address, record) in records.sorted(by: { $0.key < $1.key }) {
      files.append((GitStatePaths.record(address), record.map(GitRecordFile.encode)))
    }
    for block in changedBlocks.sorted() {
      files.append((GitStatePaths.journalBlock(block), journal.blocks[block].map(GitJournal.encode)))
    }
    return files
  }

  /// `apply by ci@runner-7 (https://…/runs/1): 3 records; journal: 3 started, 3 finished`, then
  /// a line per record and journal entry. `actor` says who wrote.
  func message(actor: String) -> String {
    var subject = self.subject
    if subject == nil {
      var parts: [String] = []
      let removed = recordNotes.values.filter { $0 }.count
      if !recordNotes.isEmpty {
        parts.append(Self.count(recordNotes.count, "record") + (removed > 0 ? " (\(removed) removed)" : ""))
      }
      var journal: [String] = []
      if journalStarted > 0 { journal.append("\(journalStarted) started") }
      if journalFinished > 0 { journal.append("\(journalFinished) finished") }
      if journalInterrupted > 0 { journal.append("\(journalInterrupted) of an earlier run marked interrupted") }
      if !journal.isEmpty { parts.append("journal: " + journal.joined(separator: ", ")) }
      if parts.isEmpty, renewal {
        subject = "renew lock: \(actor) until \(lock?.expires ?? "?")"
      } else {
        subject = "\(actor): " + (parts.isEmpty ? "lease renewed" : parts.joined(separator: "; "))
      }
    }
    var lines = recordNotes.sorted { $0.key < $1.key }.map { ($0.value ? "removed " : "wrote ") + $0.key.description }
    lines += bodyLines
    let limit = 60
    if lines.count > limit {
      let more = lines.count - limit
      lines = Array(lines.prefix(limit)) + ["… and \(more) more"]
    }
    return ([subject ?? actor] + (lines.isEmpty ? [] : [""] + lines)).joined(separator: "\n") + "\n"
  }

  static func count(_ n: Int, _ singular: String, _ plural: String? = nil) -> String {
    "\(n) " + (n == 1 ? singular : plural ?? singular + "s")
  }
}
