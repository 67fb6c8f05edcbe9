/// What a plan shows of one sync rule: counts per action and every record's action, with
/// personal data masked unless the user asked to see it (`--show-personal-data`, never in a
/// saved plan file).
public struct SyncSection: Sendable, Hashable, Codable {
  /// One record's action.
  public struct Change: Sendable, Hashable, Codable {
    /// `sync.<rule>.<source-id>`.
    public var address: Address
    /// create, link, update, update_source, create_source, skip, conflict, delete, unlink, purge.
    public var action: String
    public var targetID: String?
    /// Field: old value (may be empty) and new value, as shown; for a conflict, the source's
    /// value and the target's.
    public var fields: [Field]
    public var reason: String
    /// What it was matched on (an email, masked).
    public var key: String?

    public struct Field: Sendable, Hashable, Codable {
      public var name: String
      public var before: String
      public var after: String

      public init(name: String, before: String, after: String) {
        self.name = name
        self.before = before
        self.after = after
      }
    }

    public init(
      address: Address, action: String, targetID: String? = nil, fields: [Field] = [], reason: String,
      key: String? = nil
    ) {
      self.address = address
      self.action = action
      self.targetID = targetID
      self.fields = fields
      self.reason = reason
      self.key = key
    }
  }

  public var rule: String
  /// `wix.contacts`
  public var source: String
  /// `ats.candidates`
  public var target: String
  public var direction: String
  /// Records the source offered this run (changed since the cursor).
  public var read: Int
  public var changes: [Change]
  /// Why the rule could not be planned (a board not refreshed, a read that failed).
  public var problem: String?

  public init(
    rule: String, source: String, target: String, direction: String, read: Int = 0, changes: [Change] = [],
    problem: String? = nil
  ) {
    self.rule = rule
    self.source = source
    self.target = target
    self.direction = direction
    self.read = read
    self.changes = changes
    self.problem = problem
  }

  /// The actions, in the order plans list them.
  public static let actions = [
    "create", "link", "update", "update_source", "create_source", "delete", "purge", "unlink", "conflict", "skip",
  ]

  public var counts: [String: Int] { changes.reduce(into: [:]) { $0[$1.action, default: 0] += 1 } }

  /// Actions that change no platform: a skip, a conflict waiting, an unlink (state only).
  public static let quiet: Set<String> = ["skip", "conflict", "unlink"]

  /// Whether apply would change a platform for this rule.
  public var writes: Bool { changes.contains { !Self.quiet.contains($0.action) } }

  /// The board every sync record's address starts with.
  public static let board = "sync"
}
