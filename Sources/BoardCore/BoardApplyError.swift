/// A board-level failure that stops apply for that board, with what was done before it.
public struct BoardApplyError: Error, Sendable {
  public var message: String
  public var completed: [Address: StateRecord?]
  public init(_ message: String, completed: [Address: StateRecord?]) {
    self.message = message
    self.completed = completed
  }
}
