/// Raised by an adapter that was asked to stop (`ApplyJournal.stopRequested`) before it started
/// an action: what it completed is kept, what remains is reported.
public struct ApplyStopped: Error, CustomStringConvertible, Sendable {
  public init() {}
  public var description: String { "stopped before this action started" }
}
