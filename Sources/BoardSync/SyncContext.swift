/// What a rule's `link` and `placement` mappings read besides the record: other rules' links and
/// the placements state holds. The engine builds it from state; it is empty for other rules.
public struct SyncContext: Sendable, Hashable {
  /// By rule: source id → the target id that rule linked it to.
  public var links: [String: [String: String]]
  /// By board: posting name → its placement's remote id (a Manatal job id).
  public var placements: [String: [String: String]]

  public init(links: [String: [String: String]] = [:], placements: [String: [String: String]] = [:]) {
    self.links = links
    self.placements = placements
  }
}
