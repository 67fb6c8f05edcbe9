/// Where a rule's incremental read of one source stands: the newest change time it has
/// processed (the watermark) and which records at exactly that time it has processed, so
/// records sharing one timestamp across a page boundary, or a run, are neither missed nor
/// applied twice. Reads ask for changes at or after the watermark and drop what `isNew` refuses.
public struct SyncCursor: Sendable, Hashable, Codable {
  public var watermark: String?
  /// Ids of the records already processed whose change time is the watermark, sorted.
  public var seen: [String]

  public init(watermark: String? = nil, seen: [String] = []) {
    self.watermark = watermark
    self.seen = seen.sorted()
  }

  /// Whether a record read now still needs processing.
  public func isNew(_ record: SyncRecord) -> Bool {
    guard let watermark else { return true }
    if record.updatedAt != watermark { return record.updatedAt > watermark }
    return !seen.contains(record.id)
  }

  /// The cursor after a run processed `processed` and failed on `failed`. It never passes a
  /// failed record: the watermark stops at the oldest failure's time and leaves it unseen, so
  /// the next run reads it again (and what came after it, which the links make harmless).
  public func advanced(processed: [SyncRecord], failed: [SyncRecord] = []) -> SyncCursor {
    let limit = failed.map(\.updatedAt).min()
    var done = processed.filter(isNew)
    if let limit { done.removeAll { $0.updatedAt > limit } }
    let failedIDs = Set(failed.map(\.id))
    done.removeAll { failedIDs.contains($0.id) }
    guard let newest = done.map(\.updatedAt).max(), newest >= (watermark ?? "") else { return self }
    var ids = Set(done.filter { $0.updatedAt == newest }.map(\.id))
    if newest == watermark { ids.formUnion(seen) }
    return SyncCursor(watermark: newest, seen: Array(ids))
  }
}
