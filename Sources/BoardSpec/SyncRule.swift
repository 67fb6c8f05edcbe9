/// A rule that moves records between two boards (`kind: SyncRule`): from a source object to a
/// target object, matched on a key, with fields mapped, consent required and retention applied.
public struct SyncRule: Sendable, Hashable {
  /// One side of a rule: a board and one of the objects its platform offers to sync rules.
  public struct Endpoint: Sendable, Hashable {
    public var board: String
    public var object: String
    /// Only records whose field holds one of the values (`form: job-application`).
    public var filter: [String: [String]]

    public init(board: String, object: String, filter: [String: [String]] = [:]) {
      self.board = board
      self.object = object
      self.filter = filter
    }

    /// `board.object`, as plans, state and diagnostics name it (`site.contacts`).
    public var qualified: String { "\(board).\(object)" }
  }

  public enum Direction: String, Sendable, Hashable, CaseIterable {
    case oneWay = "one_way"
    case twoWay = "two_way"
  }

  /// Who wins when both sides changed a field since the last run (two-way rules only).
  public enum Conflict: String, Sendable, Hashable, CaseIterable {
    case sourceWins = "source_wins"
    case targetWins = "target_wins"
    case newestWins = "newest_wins"
    /// Neither: both values are kept and shown until a person decides.
    case review
  }

  /// What happens to the target record when its source record vanishes.
  public enum OnDelete: String, Sendable, Hashable, CaseIterable {
    case ignore, delete, unlink
  }

  /// How a first run finds an existing target record instead of creating a second one.
  public struct Match: Sendable, Hashable {
    public var source: String
    public var target: String
    /// Compare ignoring case (the default: emails).
    public var ignoreCase: Bool
    /// The source value is an id another rule links: it is translated through that rule's links
    /// (a match's candidate → the site contact the contacts rule linked to it). Such a rule only
    /// updates records it finds; it never creates one.
    public var via: String?

    public init(source: String, target: String, ignoreCase: Bool = true, via: String? = nil) {
      self.source = source
      self.target = target
      self.ignoreCase = ignoreCase
      self.via = via
    }
  }

  /// A small change to a value on its way to the target.
  public enum Transform: String, Sendable, Hashable, CaseIterable {
    case lowercase, uppercase, trim
    /// The first word of a full name.
    case firstName = "first_name"
    /// Every word of a full name but the first.
    case lastName = "last_name"
  }

  /// Where a target field's value comes from.
  public enum ValueSource: Sendable, Hashable {
    case field(String)
    case constant(String)
    /// A Mustache template over the source record's fields.
    case template(String)
    /// The id of the target record another rule, with the same source, linked this record to
    /// (an application's candidate, for the rule that makes its match).
    case link(rule: String)
  }

  /// One `map` entry: a target field and how its value is made.
  public struct Mapping: Sendable, Hashable {
    public var target: String
    public var source: ValueSource
    public var transform: Transform?
    /// Enumeration mapping: source value → target value (`Interview: interviewing`).
    public var values: [String: String]
    /// The value when `values` has no entry for the source value; without it the source value
    /// passes through unchanged.
    public var fallback: String?
    /// The value names a posting; the target gets the id of that posting's placement on this
    /// board (a Manatal job id), from state.
    public var placement: String?

    public init(
      target: String, source: ValueSource, transform: Transform? = nil, values: [String: String] = [:],
      fallback: String? = nil, placement: String? = nil
    ) {
      self.placement = placement
      self.target = target
      self.source = source
      self.transform = transform
      self.values = values
      self.fallback = fallback
    }

    /// The source field a two-way rule writes this mapping's target value back into: only plain
    /// field mappings whose transform keeps the value (`lowercase`, `trim`, …) can; templates,
    /// constants, enumerations, placements and name splits are one-way.
    public var flowsBackTo: String? {
      guard case .field(let name) = source, values.isEmpty, placement == nil, transform != .firstName,
        transform != .lastName
      else { return nil }
      return name
    }
  }

  /// Records are transferred only when `field` holds one of `values`.
  public struct Consent: Sendable, Hashable {
    public var field: String
    public var values: [String]

    public init(field: String, values: [String]) {
      self.field = field
      self.values = values
    }
  }

  public enum RetentionAction: String, Sendable, Hashable, CaseIterable {
    case delete, anonymize
  }

  /// Linked records older than `days` are purged on every linked platform.
  public struct Retention: Sendable, Hashable {
    public var days: Int
    public var action: RetentionAction

    public init(days: Int, action: RetentionAction) {
      self.days = days
      self.action = action
    }
  }

  public var name: String
  public var source: Endpoint
  public var target: Endpoint
  public var match: Match?
  /// In file order.
  public var map: [Mapping]
  public var direction: Direction
  public var conflict: Conflict?
  public var consent: Consent?
  public var retention: Retention?
  public var onDelete: OnDelete
  /// A hint for `serve`; the CLI runs every rule on apply.
  public var schedule: String?
  public var document: DocumentSource

  public init(
    name: String, source: Endpoint, target: Endpoint, match: Match? = nil, map: [Mapping] = [],
    direction: Direction = .oneWay, conflict: Conflict? = nil, consent: Consent? = nil, retention: Retention? = nil,
    onDelete: OnDelete = .ignore, schedule: String? = nil, document: DocumentSource
  ) {
    self.name = name
    self.source = source
    self.target = target
    self.match = match
    self.map = map
    self.direction = direction
    self.conflict = conflict
    self.consent = consent
    self.retention = retention
    self.onDelete = onDelete
    self.schedule = schedule
    self.document = document
  }
}
