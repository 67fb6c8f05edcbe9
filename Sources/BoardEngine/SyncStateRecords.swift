import BoardCore
import BoardSync

/// Sync rules' state as ordinary state records, so every backend (SQLite, git, PostgreSQL),
/// `state migrate`, the journal and the lock serve sync as they serve placements:
/// - a link is `sync.<rule>.<source-id>`: the target id, the day it was linked, the fields in
///   review, per mapped field the marks (salted hashes) of the last synced values, and the state
///   serial of the run that saved it;
/// - a cursor is `sync.<rule>.~cursor` (and `~cursor-target` for a two-way rule's target side,
///   `~cursor-via` for a `via` rule's view of the other rule's links): the watermark and the ids
///   processed at it.
/// Nothing else: no name, email or other value of a synced person.
enum SyncStateRecords {
  static let platform = "sync"
  static let sourceCursor = "~cursor"
  static let targetCursor = "~cursor-target"
  /// A `via` rule's watermark over the other rule's links: links saved after it are new, and
  /// the source records naming them are read again.
  static let viaCursor = "~cursor-via"

  static func address(rule: String, name: String) -> Address {
    Address(board: SyncSection.board, object: ObjectKind(rule), name: name)
  }

  static func isCursor(_ address: Address) -> Bool { address.name.hasPrefix("~") }

  /// `run`: the state serial the saving run planned at, so a `via` rule can tell which links are
  /// newer than its last run without trusting any clock.
  static func record(_ link: SyncLink, rule: String, run: Int, now: String) -> StateRecord {
    var attributes: Attributes = ["linked_on": .string(link.linkedOn), "run": .string(String(run))]
    if !link.review.isEmpty { attributes["review"] = .string(link.review.joined(separator: ",")) }
    for (field, mark) in link.marks { attributes["mark." + field] = .string(mark.source + " " + mark.target) }
    return StateRecord(
      address: address(rule: rule, name: link.sourceID), platform: platform, attributes: attributes,
      remoteID: link.targetID, firstPublished: link.linkedOn, updatedAt: now)
  }

  static func link(_ record: StateRecord) -> SyncLink? {
    guard !isCursor(record.address), forgottenDay(record) == nil, let target = record.remoteID else { return nil }
    var marks: [String: SyncLink.Mark] = [:]
    for (key, value) in record.attributes where key.hasPrefix("mark.") {
      let parts = (value.stringValue ?? "").split(separator: " ", omittingEmptySubsequences: false).map(String.init)
      marks[String(key.dropFirst(5))] = SyncLink.Mark(
        source: parts.first ?? "", target: parts.count > 1 ? parts[1] : "")
    }
    let review = record.attributes["review"]?.stringValue?.split(separator: ",").map(String.init) ?? []
    return SyncLink(
      sourceID: record.address.name, targetID: target,
      linkedOn: record.attributes["linked_on"]?.stringValue ?? record.firstPublished ?? "", marks: marks,
      review: review)
  }

  /// A forgotten person's source record (`forget person`, a retention purge): the link is gone, and this marker keeps the record from being synced again, even
  /// where it could not be deleted (members). With `targetID`, the target record it was linked
  /// to, which a two-way rule then never makes again on the source.
  /// `erased`: the records themselves were erased (a purge, `forget person`); false when only
  /// the link is dropped because another rule erased its partner, which erases nothing more.
  static func tombstone(
    rule: String, sourceID: String, targetID: String? = nil, day: String, now: String, erased: Bool = true
  ) -> StateRecord {
    var attributes: Attributes = ["forgotten": .string(day)]
    if let targetID { attributes["target"] = .string(targetID) }
    if !erased { attributes["partner_erased"] = .string("yes") }
    return StateRecord(
      address: address(rule: rule, name: sourceID), platform: platform, attributes: attributes, status: .closed,
      updatedAt: now)
  }

  /// The state serial the run that saved a link planned at; 0 for links saved before it was kept.
  static func run(_ record: StateRecord) -> Int { record.attributes["run"]?.stringValue.flatMap { Int($0) } ?? 0 }

  /// The day a tombstone's record was forgotten; nil for any other record.
  static func forgottenDay(_ record: StateRecord) -> String? { record.attributes["forgotten"]?.stringValue }

  /// A two-way rule's target record whose source went (`on_delete: unlink`): a marker
  /// `sync.<rule>.target-<id>` holding only the day, so the record is never made back on the
  /// source. The source id keeps no marker: a record that only left the rule's filter may come
  /// back and sync again.
  static func released(rule: String, targetID: String, day: String, now: String) -> StateRecord {
    StateRecord(
      address: address(rule: rule, name: "target-" + targetID), platform: platform,
      attributes: ["released": .string(day)], status: .closed, updatedAt: now)
  }

  /// The target id a `released` marker names; nil for any other record.
  static func releasedTarget(_ record: StateRecord) -> String? {
    guard record.attributes["released"] != nil, record.address.name.hasPrefix("target-") else { return nil }
    return String(record.address.name.dropFirst("target-".count))
  }

  /// Whether a tombstone stands for records that were erased (not only a dropped link).
  static func erased(_ record: StateRecord) -> Bool {
    forgottenDay(record) != nil && record.attributes["partner_erased"] == nil
  }

  /// The target record a tombstone's link held, when it kept it.
  static func forgottenTarget(_ record: StateRecord) -> String? {
    forgottenDay(record) == nil ? nil : record.attributes["target"]?.stringValue
  }

  static func record(_ cursor: SyncCursor, rule: String, name: String, now: String) -> StateRecord {
    var attributes: Attributes = [:]
    if let watermark = cursor.watermark { attributes["watermark"] = .string(watermark) }
    if !cursor.seen.isEmpty { attributes["seen"] = .string(cursor.seen.joined(separator: " ")) }
    return StateRecord(
      address: address(rule: rule, name: name), platform: platform, attributes: attributes, updatedAt: now)
  }

  static func cursor(_ record: StateRecord?) -> SyncCursor {
    guard let record else { return SyncCursor() }
    return SyncCursor(
      watermark: record.attributes["watermark"]?.stringValue,
      seen: record.attributes["seen"]?.stringValue?.split(separator: " ").map(String.init) ?? [])
  }
}
