/// The three values the diff compares, and the board facts it needs. Plain values: no I/O.
public struct DiffInput: Sendable {
  /// D: what the configuration wants.
  public var desired: [DesiredResource]
  /// S: what was last applied.
  public var prior: [StateRecord]
  /// L: what refresh found, for the boards in `refreshedBoards`.
  public var live: [LiveResource]
  /// Boards whose live state was read; for others, live is taken to equal state.
  public var refreshedBoards: Set<String>
  /// Per board, fields the platform owns: edits there are never drift.
  public var platformOwned: [String: Set<String>]
  /// Per board and object kind, fields that cannot change in place.
  public var replaceFields: [String: [ObjectKind: Set<String>]]
  /// Per board, the price of one new placement.
  public var costs: [String: (amount: Double, currency: String)]
  /// Placements past their `valid_through` (the date as written): closed where published.
  public var expired: [Address: String] = [:]

  public init(
    desired: [DesiredResource], prior: [StateRecord], live: [LiveResource], refreshedBoards: Set<String>,
    platformOwned: [String: Set<String>] = [:], replaceFields: [String: [ObjectKind: Set<String>]] = [:],
    costs: [String: (amount: Double, currency: String)] = [:]
  ) {
    self.desired = desired
    self.prior = prior
    self.live = live
    self.refreshedBoards = refreshedBoards
    self.platformOwned = platformOwned
    self.replaceFields = replaceFields
    self.costs = costs
  }
}
