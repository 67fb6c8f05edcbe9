/// One thing a sync run will do for one record: what the plan shows and apply carries out.
public struct SyncAction: Sendable, Hashable {
  public enum Kind: String, Sendable, Hashable, CaseIterable, Codable {
    /// A new target record (no link, and no target record matched).
    case create
    /// An existing target record matched on the rule's key: link it, and write what differs.
    case link
    /// A linked target record gets the source's new values.
    case update
    /// Two-way: a linked source record gets the target's new values.
    case updateSource = "update_source"
    /// Two-way: a record new on the target, which no source record matches, is made on the
    /// source (with the fields that flow back) and linked.
    case createSource = "create_source"
    /// Not transferred: no consent, or nothing to match on.
    case skip
    /// Both sides changed a field and the rule says `review`: nothing is written.
    case conflict
    /// The source record is gone and `on_delete: delete`.
    case delete
    /// The source record is gone and `on_delete: unlink`.
    case unlink
    /// Past `retention`: deleted or anonymised on both sides.
    case purge
  }

  public var kind: Kind
  public var sourceID: String?
  public var targetID: String?
  /// The fields written: target fields for create, link and update; source fields for
  /// update_source and create_source. For conflict, the target values of the fields in review.
  public var values: [String: String]
  /// What those fields held before, for the plan's old → new (conflict: the source values).
  public var before: [String: String]
  public var reason: String
  /// Further source records that link to the record this create makes (one person's several
  /// submissions become one candidate).
  public var alsoLinks: [String]
  /// The value matched on (an email), for the plan; masked when printed.
  public var key: String?
  /// A skip that a later run (or this one, once another rule has linked the record) resolves:
  /// the cursor does not pass its record.
  public var later = false
  /// An unlink that forgets the source for good (another rule erased one of the pair's records):
  /// apply leaves a marker, so it is never synced again.
  public var forgets = false

  public init(
    kind: Kind, sourceID: String? = nil, targetID: String? = nil, values: [String: String] = [:],
    before: [String: String] = [:], reason: String, alsoLinks: [String] = [], key: String? = nil
  ) {
    self.kind = kind
    self.sourceID = sourceID
    self.targetID = targetID
    self.values = values
    self.before = before
    self.reason = reason
    self.alsoLinks = alsoLinks
    self.key = key
  }

  /// The record's name in addresses (`sync.<rule>.<name>`): its source id, or for a record that
  /// exists only on the target, `target-<id>`.
  public var recordName: String { sourceID ?? targetID.map { "target-" + $0 } ?? "?" }

  /// Whether carrying it out changes a platform (a skip, a conflict and an unlink do not; the
  /// plan's `SyncSection.quiet` names the same three).
  public var writes: Bool { ![.skip, .conflict, .unlink].contains(kind) }
}
