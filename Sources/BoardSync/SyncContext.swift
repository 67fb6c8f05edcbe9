/// What a rule's `link` and `placement` mappings read besides the record: other rules' links and
/// the placements state holds. The engine builds it from state; it is empty for other rules.
public struct SyncContext: Sendable, Hashable {
  /// By rule: source id → the target id that rule linked it to.
  public var links: [String: [String: String]]
  /// By board: posting name → its placement's remote id (a Manatal job id).
  public var placements: [String: [String: String]]
  /// By board: postings this run publishes (no remote id yet): records naming them wait.
  public var publishing: [String: Set<String>]
  /// Rules a `via` match reads backwards (target id → source id): those whose source is this
  /// rule's target.
  public var reversed: Set<String>

  public init(
    links: [String: [String: String]] = [:], placements: [String: [String: String]] = [:],
    publishing: [String: Set<String>] = [:], reversed: Set<String> = []
  ) {
    self.links = links
    self.placements = placements
    self.publishing = publishing
    self.reversed = reversed
  }
}
