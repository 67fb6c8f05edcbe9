/// Which target record a source record was synced to, and what each mapped field held when it
/// was last synced, as salted hashes (never the values: state holds no personal data beyond ids
/// and hashes). The hashes are the write ledger: a value read back that hashes to what boardctl
/// wrote is its own write, not an edit, so two-way rules do not bounce their writes; any other
/// value, even one written a moment later, is an edit.
public struct SyncLink: Sendable, Hashable, Codable {
  /// A field's last synced value on each side: the value mapped from the source, and the value
  /// the target held after the write (platforms normalise: an email lowercased, a phone spaced).
  public struct Mark: Sendable, Hashable, Codable {
    public var source: String
    public var target: String

    public init(source: String, target: String) {
      self.source = source
      self.target = target
    }
  }

  public var sourceID: String
  public var targetID: String
  /// When the pair was first linked (`YYYY-MM-DD`), for retention.
  public var linkedOn: String
  /// By target field.
  public var marks: [String: Mark]
  /// Target fields whose values differ on both sides and wait for a person (`conflict: review`).
  public var review: [String]

  public init(
    sourceID: String, targetID: String, linkedOn: String, marks: [String: Mark] = [:], review: [String] = []
  ) {
    self.sourceID = sourceID
    self.targetID = targetID
    self.linkedOn = linkedOn
    self.marks = marks
    self.review = review
  }
}
