/// One journal row: an action apply started, and how it ended.
public struct JournalEntry: Sendable, Hashable, Codable {
  public var id: Int64
  public var run: String
  public var address: String
  public var action: String
  public var startedAt: String
  public var finishedAt: String?
  /// `pending` (started, never finished: the process died), `interrupted` (reported after a
  /// crash), `ok` or `failed`.
  public var outcome: String
  public var error: String?

  /// Who ran the apply this entry belongs to (`run` holds it; see `RunProvenance`).
  public var provenance: RunProvenance { RunProvenance(decoding: run) }

  public init(
    id: Int64, run: String, address: String, action: String, startedAt: String, finishedAt: String? = nil,
    outcome: String, error: String? = nil
  ) {
    self.id = id
    self.run = run
    self.address = address
    self.action = action
    self.startedAt = startedAt
    self.finishedAt = finishedAt
    self.outcome = outcome
    self.error = error
  }
}
