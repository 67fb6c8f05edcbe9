/// The outcome of Test Connection for one board.
public struct ConnectionCheck: Sendable, Hashable {
  public var ok: Bool
  /// What was checked and found, e.g. "writes public/careers (7 pages)".
  public var summary: String
  /// What failed and the likely fix, when not ok.
  public var problem: String?
  public var fix: String?

  public init(ok: Bool, summary: String, problem: String? = nil, fix: String? = nil) {
    self.ok = ok
    self.summary = summary
    self.problem = problem
    self.fix = fix
  }
}
