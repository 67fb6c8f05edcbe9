/// The apply journal as the branch keeps it: entries in blocks of 256 consecutive ids
/// (`journal/0000000000` holds ids 1–256), one line per entry, so a commit rewrites only the
/// few kilobytes of the block its entries are in, however long the journal grows.
///
/// Compaction keeps the tree bounded: when a run starts, blocks holding only entries of runs
/// older than the newest `runsKept` runs are dropped, unless an entry in them is still pending
/// (an interrupted action is reported before it is forgotten). The branch's history keeps every
/// dropped entry: `git log -p <branch> -- journal/`.
struct GitJournal: Sendable, Hashable {
  static let blockSize: Int64 = 256
  /// How many runs' journals the tree keeps.
  static let runsKept = 20

  /// Each block's entries, sorted by id.
  private(set) var blocks: [Int64: [JournalEntry]] = [:]
  /// The smallest id of each run in the tree: runs are ordered by it.
  private var firstID: [String: Int64] = [:]
  private(set) var nextID: Int64 = 1

  init() {}

  static func block(of id: Int64) -> Int64 { (id - 1) / blockSize }

  var isEmpty: Bool { blocks.isEmpty }

  /// Every entry, oldest first.
  var entries: [JournalEntry] {
    blocks.keys.sorted().flatMap { blocks[$0]! }
  }

  /// The newest `limit` entries, newest first.
  func newest(_ limit: Int) -> [JournalEntry] {
    var found: [JournalEntry] = []
    for key in blocks.keys.sorted(by: >) {
      for entry in blocks[key]!.reversed() {
        guard found.count < limit else { return found }
        found.append(entry)
      }
    }
    return found
  }

  func entry(_ id: Int64) -> JournalEntry? {
    blocks[Self.block(of: id)]?.first { $0.id == id }
  }

  /// Whether `run` has entries in the tree.
  func knows(run: String) -> Bool { firstID[run] != nil }

  /// Adds an entry (its id decides its block); returns the block changed.
  @discardableResult
  mutating func insert(_ entry: JournalEntry) -> Int64 {
    let key = Self.block(of: entry.id)
    var block = blocks[key] ?? []
    if let index = block.firstIndex(where: { $0.id >= entry.id }) {
      if block[index].id == entry.id { block[index] = entry } else { block.insert(entry, at: index) }
    } else {
      block.append(entry)
    }
    blocks[key] = block
    firstID[entry.run] = min(firstID[entry.run] ?? entry.id, entry.id)
    nextID = max(nextID, entry.id + 1)
    return key
  }

  /// Changes the entry with `id`; returns its block, or nil when there is no such entry.
  mutating func update(_ id: Int64, _ change: (inout JournalEntry) -> Void) -> Int64? {
    let key = Self.block(of: id)
    guard var block = blocks[key], let index = block.firstIndex(where: { $0.id == id }) else { return nil }
    change(&block[index])
    blocks[key] = block
    return key
  }

  /// Marks every pending entry of runs other than `run` interrupted; returns their addresses'
  /// texts and the blocks changed.
  mutating func interrupt(exceptRun run: String) -> (addresses: Set<String>, blocks: Set<Int64>) {
    var addresses: Set<String> = []
    var changed: Set<Int64> = []
    for (key, block) in blocks where block.contains(where: { $0.outcome == "pending" && $0.run != run }) {
      var updated = block
      for index in updated.indices where updated[index].outcome == "pending" && updated[index].run != run {
        updated[index].outcome = "interrupted"
        addresses.insert(updated[index].address)
      }
      blocks[key] = updated
      changed.insert(key)
    }
    return (addresses, changed)
  }

  /// Drops the blocks older than the newest `runsKept` runs (see the type's description);
  /// returns the blocks dropped.
  mutating func compact() -> Set<Int64> {
    guard firstID.count > Self.runsKept else { return [] }
    let cut = firstID.values.sorted(by: >)[Self.runsKept - 1]
    var dropped: Set<Int64> = []
    for (key, block) in blocks
    where block.allSatisfy({ $0.id < cut && $0.outcome != "pending" }) {
      dropped.insert(key)
    }
    guard !dropped.isEmpty else { return [] }
    let next = nextID
    load(Dictionary(uniqueKeysWithValues: dropped.map { ($0, nil) }))
    // Ids are never reused, even when the newest blocks were the ones dropped.
    nextID = max(nextID, next)
    return dropped
  }

  /// Sets blocks as read from the branch (nil: the block is gone); ids continue after the
  /// newest entry the tree holds.
  mutating func load(_ changes: [Int64: [JournalEntry]?]) {
    for (key, entries) in changes { blocks[key] = entries }
    firstID = [:]
    nextID = 1
    for block in blocks.values {
      for entry in block { firstID[entry.run] = min(firstID[entry.run] ?? entry.id, entry.id) }
      nextID = max(nextID, (block.last?.id ?? 0) + 1)
    }
  }

  static let header = "# id\trun\taddress\taction\toutcome\tstarted\tfinished\terror\n"

  /// A block's file: a header naming the columns, then one tab-separated line per entry, `-`
  /// for a field that is not set.
  static func encode(_ entries: [JournalEntry]) -> String {
    var text = header
    for entry in entries {
      text += String(entry.id)
      for field in [entry.run, entry.address, entry.action, entry.outcome, entry.startedAt] {
        text += "\t" + GitText.escape(optional: field)
      }
      text += "\t" + GitText.escape(optional: entry.finishedAt)
      text += "\t" + GitText.escape(optional: entry.error)
      text += "\n"
    }
    return text
  }

  /// Nil when the text is not a journal block.
  static func decode(_ text: String) -> [JournalEntry]? {
    var entries: [JournalEntry] = []
    for line in text.split(separator: "\n") where !line.hasPrefix("#") {
      let fields = line.split(separator: "\t", omittingEmptySubsequences: false)
      guard fields.count == 8, let id = Int64(fields[0]) else { return nil }
      entries.append(
        JournalEntry(
          id: id, run: GitText.unescape(optional: fields[1]) ?? "",
          address: GitText.unescape(optional: fields[2]) ?? "", action: GitText.unescape(optional: fields[3]) ?? "",
          startedAt: GitText.unescape(optional: fields[5]) ?? "", finishedAt: GitText.unescape(optional: fields[6]),
          outcome: GitText.unescape(optional: fields[4]) ?? "", error: GitText.unescape(optional: fields[7])))
    }
    return entries.sorted { $0.id < $1.id }
  }
}
