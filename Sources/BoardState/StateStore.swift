import BoardCore

/// Reads the state: what boardctl last applied, with the lineage and serial it was read at.
public protocol StateReader: Sendable {
  /// Every record with the lineage and serial, read together; nil when no state exists yet.
  func snapshot() async throws -> StateSnapshot?
  /// One record, or nil when state has none at `address`.
  func record(_ address: Address) async throws -> StateRecord?
}

/// Writes records. Every write bumps the serial by one; on a shared backend it also checks that
/// the serial it read is still the newest (a compare-and-swap), so a writer whose lock lapsed
/// can never overwrite a newer state.
public protocol StateWriter: Sendable {
  /// Writes (or, for nil, removes) records in one step and bumps the serial.
  func write(_ changes: [Address: StateRecord?]) async throws
}

/// The state lock: one writer at a time. A holder that is provably gone (its process on this
/// host, or its lease) is taken over without a human; `forceUnlock` is for the rest.
public protocol StateLocker: Sendable {
  /// Takes the lock for `candidate` if it is free, or held by a holder that is provably gone.
  func tryLock(_ candidate: LockInfo) async throws -> LockAttempt
  /// Releases a lock this process holds; a lock already gone is fine.
  func unlock(_ lock: LockInfo) async throws
  /// Who holds the lock now, if anyone.
  func currentLock() async throws -> LockInfo?
  /// Clears the lock with this id. Refuses a holder known to be alive unless `evenIfAlive`.
  func forceUnlock(id: String, evenIfAlive: Bool) async throws -> LockInfo
}

/// The apply journal: an intent before each remote call, the outcome after it.
public protocol StateJournal: Sendable {
  /// Records the intent to act; returns the entry's id.
  func journalBegin(run: String, address: Address, action: String) async throws -> Int64
  /// Records an outcome; `error` is nil on success.
  func journalFinish(_ entry: Int64, error: String?) async throws
  /// Records success and the state it produced in one step, so a remote change is in state the
  /// moment it is done.
  func journalFinish(_ entry: Int64, saving records: [Address: StateRecord?]) async throws
  /// Addresses whose entries an earlier run left pending; each is marked `interrupted`, so it is
  /// reported once.
  func takeInterrupted(exceptRun run: String) async throws -> Set<Address>
  /// The newest entries first.
  func journal(limit: Int) async throws -> [JournalEntry]
}

/// Copying a whole state between backends (`boardctl state migrate`).
public protocol StateTransfer: Sendable {
  /// Everything the state holds.
  func exportState() async throws -> StateExport
  /// Fills an empty state with `export`, keeping its lineage and serial. Refuses a state that
  /// already holds anything (`StateError.notEmpty`), and writes nothing then.
  func importState(_ export: StateExport) async throws
}

/// One state, on one backend: SQLite, a git branch or PostgreSQL. The engine sees only this.
public protocol StateStore: StateReader, StateWriter, StateLocker, StateJournal, StateTransfer {
  /// Where it is, for messages: "the SQLite state .boardctl/state.db". Never a secret.
  var location: String { get }
  /// Lets go of connections and background work (a lease's renewal). The lock, if held, is not
  /// released: call `unlock` first.
  func close() async
}

/// Everything a state holds, for migration between backends.
public struct StateExport: Sendable, Hashable {
  public var lineage: String
  public var serial: Int
  public var records: [StateRecord]
  /// Oldest first.
  public var journal: [JournalEntry]

  public init(lineage: String, serial: Int, records: [StateRecord], journal: [JournalEntry]) {
    self.lineage = lineage
    self.serial = serial
    self.records = records
    self.journal = journal
  }
}

/// The records with the lineage and serial they were read at.
public struct StateSnapshot: Sendable, Hashable {
  /// Set once, when the state is created; kept by migration.
  public var lineage: String
  /// Bumped by every write.
  public var serial: Int
  /// Sorted by address.
  public var records: [StateRecord]

  public init(lineage: String, serial: Int, records: [StateRecord]) {
    self.lineage = lineage
    self.serial = serial
    self.records = records
  }
}
