import BoardSpec

/// A posting that breaks a platform rule; `field` is the dotted posting key it is about.
public struct PostingProblem: Sendable, Hashable {
  public var field: String
  public var message: String
  public var severity: Diagnostic.Severity

  public init(field: String, _ message: String, severity: Diagnostic.Severity = .error) {
    self.field = field
    self.message = message
    self.severity = severity
  }
}
