import BoardCore

/// The next commit of the state branch, built up by the changes grouped into it: the content it
/// will hold, the files that changed, and what its message says.
///
/// Every mutating method either changes the draft completely or throws before changing
/// anything, so one failed change never spoils the others grouped with it.
struct GitStateDraft: Sendable {
  private(set) var content: GitStateContent
  private var changedRecords: Set<Address> = []
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
    self.content = content
  }

  var hasChanges: Bool {
    metaChanged || lockChanged || renewal || !changedRecords.isEmpty || !changedBlocks.isEmpty || !addedFiles.isEmpty
  }

  /// Writes (or, for nil, removes) records and bumps the serial once.
  mutating func write(_ changes: [Address: StateRecord?]) {
    guard !changes.isEmpty else { return }
    for (address, record) in changes.sorted(by: { $0.key < $1.key }) {
      content.records[address] = record
      changedRecords.insert(address)
      recordNotes[address] = record == nil
    }
    content.meta.serial += 1
    metaChanged = true
  }

  /// Sets or clears the lock; `subject` names what happened.
  mutating func setLock(_ lock: LockInfo?, subject: String, details: [String] = []) {
    content.lock = lock
    lockChanged = true
    self.subject = subject
    bodyLines += details
  }

  /// Moves the lease of lock `id` to `expires`, as every commit made while holding it does.
  mutating func extendLease(of id: String, until expires: String) {
    guard var lock = content.lock, lock.id == id, lock.expires != expires else { return }
    lock.expires = expires
    content.lock = lock
    lockChanged = true
  }

  /// A commit for the lease alone, made when nothing else was written for a third of it.
  mutating func renewLease() {
    renewal = true
  }

  mutating func journalBegin(run: String, address: Address, action: String, at now: String) -> Int64 {
    let id = content.journal.nextID
    let newRun = !content.journal.knows(run: run)
    changedBlocks.insert(
      content.journal.insert(
        JournalEntry(
          id: id, run: run, address: address.description, action: action, startedAt: now, outcome: "pending")))
    if newRun { changedBlocks.formUnion(content.journal.compact()) }
    journalStarted += 1
    bodyLines.append("journal \(id): \(action) \(address) started")
    return id
  }

  /// Records an outcome; an unknown id changes nothing (as an SQL update of no row).
  mutating func journalFinish(_ id: Int64, error: String?, at now: String) {
    let block = content.journal.update(id) { entry in
      entry.finishedAt = now
      entry.outcome = error == nil ? "ok" : "failed"
      entry.error = error
    }
    guard let block else { return }
    changedBlocks.insert(block)
    journalFinished += 1
    let address = content.journal.entry(id)?.address ?? "?"
    if let error {
      let line = error.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
      bodyLines.append("journal \(id): \(address) failed: \(line.prefix(200))")
    } else {
      bodyLines.append("journal \(id): \(address) ok")
    }
  }

  mutating func takeInterrupted(exceptRun run: String) -> Set<Address> {
    let (addresses, blocks) = content.journal.interrupt(exceptRun: run)
    changedBlocks.formUnion(blocks)
    journalInterrupted += addresses.count
    return Set(addresses.compactMap(Address.init))
  }

  /// Fills an empty state with `export`, keeping its lineage, serial and journal.
  mutating func fill(with export: StateExport, location: String) throws {
    guard content.isEmpty else { throw StateError.notEmpty(location: location) }
    content.meta.lineage = export.lineage
    content.meta.serial = export.serial
    metaChanged = true
    for record in export.records {
      content.records[record.address] = record
      changedRecords.insert(record.address)
    }
    var journal = content.journal
    for entry in export.journal { changedBlocks.insert(journal.insert(entry)) }
    content.journal = journal
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
    if metaChanged { files.append((GitStatePaths.meta, content.meta.encoded)) }
    if lockChanged { files.append((GitStatePaths.lock, content.lock.map(GitLockFile.encode))) }
    for (path, text) in addedFiles.sorted(by: { $0.key < $1.key }) { files.append((path, text)) }
    for address in changedRecords.sorted() {
      files.append((GitStatePaths.record(address), content.records[address].map(GitRecordFile.encode)))
    }
    for block in changedBlocks.sorted() {
      files.append((GitStatePaths.journalBlock(block), content.journal.blocks[block].map(GitJournal.encode)))
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
        subject = "renew lock: \(actor) until \(content.lock?.expires ?? "?")"
      } else {
        subject = "\(actor): " + (parts.isEmpty ? "lease renewed" : parts.joined(separator: "; "))
      }
    }
    var lines = recordNotes.sorted { $0.key < $1.key }.map { ($0.value ? "- " : "+ ") + $0.key.description }
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
