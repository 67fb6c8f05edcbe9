import Synchronization

/// A request to stop, set from a signal handler and read by the work it stops (apply checks it
/// before starting each action). Remembers the first signal, for the exit status.
public final class StopSignal: Sendable {
  private let signal = Atomic<Int32>(0)

  public init() {}

  /// Records `signal`; true when it is the first request (a second one means "stop at once").
  @discardableResult
  public func request(_ signal: Int32) -> Bool {
    self.signal.compareExchange(expected: 0, desired: signal, ordering: .sequentiallyConsistent).exchanged
  }

  /// The signal that asked to stop, once one has.
  public var requested: Int32? {
    let value = signal.load(ordering: .sequentiallyConsistent)
    return value == 0 ? nil : value
  }
}
