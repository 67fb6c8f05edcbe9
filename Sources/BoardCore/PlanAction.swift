/// What apply will do to one resource.
public enum PlanAction: String, Sendable, Hashable, Codable, CaseIterable {
  case create
  case update
  /// Delete then create: an attribute that cannot change in place changed.
  case replace
  /// Unpublish; state keeps the record so that reopening reuses its identity.
  case close
  case delete
  /// Adopt an object that carries boardctl's tag but is missing from state.
  case `import`
  /// Stop managing; the object stays on the board as it is.
  case forget

  /// The JSON plan's `actions` array, as scripts scan it.
  public var actions: [String] {
    switch self {
    case .replace: return ["delete", "create"]
    default: return [rawValue]
    }
  }

  /// The text plan's symbol.
  public var symbol: String {
    switch self {
    case .create: return "+"
    case .update: return "~"
    case .replace: return "-/+"
    case .close: return "-"
    case .delete: return "-"
    case .import: return "<="
    case .forget: return "."
    }
  }

  /// "will be created", as the text plan words it.
  public var phrase: String {
    switch self {
    case .create: return "will be created"
    case .update: return "will be updated in-place"
    case .replace: return "must be replaced"
    case .close: return "will be closed (unpublished)"
    case .delete: return "will be destroyed"
    case .import: return "will be imported"
    case .forget: return "will be forgotten (left on the board, no longer managed)"
    }
  }
}

/// One attribute's change: `before` is what is on the board (or in state), `after` what will be.
public struct FieldChange: Sendable, Hashable, Codable {
  public var key: String
  public var before: AttributeValue?
  public var after: AttributeValue?
  public var forcesReplacement: Bool

  public init(key: String, before: AttributeValue?, after: AttributeValue?, forcesReplacement: Bool = false) {
    self.key = key
    self.before = before
    self.after = after
    self.forcesReplacement = forcesReplacement
  }

  enum CodingKeys: String, CodingKey {
    case key, before, after
    case forcesReplacement = "forces_replacement"
  }
}

/// One resource's planned change.
public struct PlannedChange: Sendable, Hashable, Codable {
  public var address: Address
  public var platform: String
  public var action: PlanAction
  /// Attributes now (live, else last applied); nil for a create.
  public var before: Attributes?
  /// Attributes after apply; nil for close, delete and forget.
  public var after: Attributes?
  /// The attributes that differ, in key order.
  public var fields: [FieldChange]
  /// Why, in one sentence a reviewer reads.
  public var reason: String
  /// The rendered artifact changes though no attribute does (a layout change, a hand edit).
  public var contentChanged: Bool

  public init(
    address: Address, platform: String, action: PlanAction, before: Attributes?, after: Attributes?,
    fields: [FieldChange] = [], reason: String, contentChanged: Bool = false
  ) {
    self.address = address
    self.platform = platform
    self.action = action
    self.before = before
    self.after = after
    self.fields = fields
    self.reason = reason
    self.contentChanged = contentChanged
  }

  enum CodingKeys: String, CodingKey {
    case address, platform, action, before, after, fields, reason
    case contentChanged = "content_changed"
  }
}

/// A change made outside boardctl, found by refresh.
public struct DriftEntry: Sendable, Hashable, Codable {
  public enum Kind: String, Sendable, Hashable, Codable {
    /// Attributes or content differ from what was last applied.
    case changed
    /// Gone from the board though state says it is published.
    case deleted
    /// Published again though state says it was closed.
    case reopened
    /// Carries boardctl's tag but neither state nor the configuration knows it: reported, not touched.
    case unmanaged
  }

  public var address: Address
  public var kind: Kind
  /// Last applied → live, per attribute.
  public var fields: [FieldChange]
  /// Lines showing how the content differs (a few lines of a file diff).
  public var details: [String]
  /// Fields left as the platform has them because the board declares them platform-owned.
  public var kept: [String]

  public init(address: Address, kind: Kind, fields: [FieldChange] = [], details: [String] = [], kept: [String] = []) {
    self.address = address
    self.kind = kind
    self.fields = fields
    self.details = details
    self.kept = kept
  }
}

/// A field both changed in the configuration and on the platform since the last apply.
public struct Conflict: Sendable, Hashable, Codable {
  public var address: Address
  public var key: String
  public var lastApplied: AttributeValue?
  public var desired: AttributeValue?
  public var live: AttributeValue?

  public init(
    address: Address, key: String, lastApplied: AttributeValue?, desired: AttributeValue?, live: AttributeValue?
  ) {
    self.address = address
    self.key = key
    self.lastApplied = lastApplied
    self.desired = desired
    self.live = live
  }

  enum CodingKeys: String, CodingKey {
    case address, key, desired, live
    case lastApplied = "last_applied"
  }
}
