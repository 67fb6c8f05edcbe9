/// Capability: a board whose records sync rules read and write (Wix contacts, Manatal
/// candidates). Every read costs one request per page of records, never one per record, except
/// `records(_:ids:)`, which the engine uses for a handful of counterparts.
public protocol SyncRecordBoard: Sendable {
  /// Records changed at or after `watermark` (every record when nil), oldest change first where
  /// the platform sorts so, and only those `filter` selects (field → accepted values). The
  /// planner drops those the cursor has seen.
  func records(_ object: String, since watermark: String?, filter: [String: [String]]) async throws -> [SyncRecord]
  /// The records with these ids that still exist.
  func records(_ object: String, ids: [String]) async throws -> [SyncRecord]
  /// The records whose `field` holds one of `values` (ignoring case when `ignoreCase`: a first
  /// run's match lookups), or nil when the platform cannot look that field up so (the engine then
  /// reads every record: a lookup that missed a record would create a duplicate).
  func records(_ object: String, field: String, values: [String], ignoreCase: Bool) async throws -> [SyncRecord]?
  /// Every id `filter` selects, for the delete sweep.
  func recordIDs(_ object: String, filter: [String: [String]]) async throws -> Set<String>
  /// Creates a record and returns it as the platform stored it. `key` (the match field and the
  /// normalised value) says what names it: a platform that can look the record up by that field
  /// does so when a create's answer is lost, before sending it again (Manatal by email; Wix
  /// contacts are unique by email anyway).
  func createRecord(_ object: String, values: [String: String], key: (field: String, value: String)?) async throws
    -> SyncRecord
  /// Writes `values` into a record and returns it as the platform stored it. A set field (a
  /// contact's labels, `SyncObjectSchema.setFields`) is changed, never replaced: the names in
  /// `values` are added and those in `removing` removed; the record's other names stay.
  func updateRecord(_ object: String, id: String, values: [String: String], removing: [String: [String]])
    async throws -> SyncRecord
  /// Deletes a record; one already gone is fine.
  func deleteRecord(_ object: String, id: String) async throws
  /// Blanks a record's personal fields, keeping the record (retention: anonymize).
  func anonymizeRecord(_ object: String, id: String) async throws
}

extension SyncRecordBoard {
  /// Writes `values` into a record, removing nothing from its set fields.
  public func updateRecord(_ object: String, id: String, values: [String: String]) async throws -> SyncRecord {
    try await updateRecord(object, id: id, values: values, removing: [:])
  }
}
