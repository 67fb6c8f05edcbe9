import BoardSpec

/// What state knows about a placement that its desired attributes depend on.
public struct PlacementContext: Sendable {
  public var prior: StateRecord?
  public var today: CalendarDate

  public init(prior: StateRecord?, today: CalendarDate) {
    self.prior = prior
    self.today = today
  }
}
