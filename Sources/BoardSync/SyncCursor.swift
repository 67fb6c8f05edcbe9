import Foundation

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
    switch Self.order(record.updatedAt, watermark) {
    case .orderedDescending: return true
    case .orderedAscending: return false
    case .orderedSame: return !seen.contains(record.id)
    }
  }

  /// Change times in order: as instants when both read as ISO 8601 (Manatal leaves out a zero
  /// fraction: `…:01Z` is before `…:01.3Z`), else as text.
  static func order(_ a: String, _ b: String) -> ComparisonResult {
    if a == b { return .orderedSame }
    // One platform writes its times alike, so equal lengths compare as text (no parsing).
    if a.utf8.count != b.utf8.count, let x = SyncTime.seconds(a), let y = SyncTime.seconds(b) {
      return x == y ? .orderedSame : x < y ? .orderedAscending : .orderedDescending
    }
    return a < b ? .orderedAscending : .orderedDescending
  }

  /// The cursor after a run processed `processed` and failed on `failed`. It never passes a
  /// failed record: the watermark stops at the oldest failure's time and leaves it unseen, so
  /// the next run reads it again (and what came after it, which the links make harmless).
  public func advanced(processed: [SyncRecord], failed: [SyncRecord] = []) -> SyncCursor {
    func before(_ a: String, _ b: String) -> Bool { Self.order(a, b) == .orderedAscending }
    let limit = failed.map(\.updatedAt).min(by: before)
    var done = processed.filter(isNew)
    if let limit { done.removeAll { before(limit, $0.updatedAt) } }
    let failedIDs = Set(failed.map(\.id))
    done.removeAll { failedIDs.contains($0.id) }
    guard let newest = done.map(\.updatedAt).max(by: before) else { return self }
    if let watermark, before(newest, watermark) { return self }
    var ids = Set(done.filter { Self.order($0.updatedAt, newest) == .orderedSame }.map(\.id))
    if let watermark, Self.order(newest, watermark) == .orderedSame { ids.formUnion(seen) }
    return SyncCursor(watermark: newest, seen: Array(ids))
  }
}
