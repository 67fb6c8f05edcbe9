import Foundation

/// How a command asks for the lock.
public struct LockRequest: Sendable {
  public var operation: String
  /// How long to wait for a held lock; zero fails at once.
  public var timeout: Duration
  /// Called once, when the first attempt finds the lock held and waiting begins.
  public var onWaiting: @Sendable (LockInfo) -> Void
  /// Called when a provably gone holder's lock was taken over.
  public var onTakeover: @Sendable (LockInfo) -> Void

  public init(
    operation: String, timeout: Duration = .zero, onWaiting: @escaping @Sendable (LockInfo) -> Void = { _ in },
    onTakeover: @escaping @Sendable (LockInfo) -> Void = { _ in }
  ) {
    self.operation = operation
    self.timeout = timeout
    self.onWaiting = onWaiting
    self.onTakeover = onTakeover
  }
}

extension StateLocker {
  /// Takes the lock, waiting up to the request's timeout; throws `StateError.locked` naming the
  /// holder when it stays held.
  public func lock(_ request: LockRequest) async throws -> LockInfo {
    let clock = ContinuousClock()
    let deadline = clock.now + request.timeout
    var delay = Duration.milliseconds(50)
    var waiting = false
    while true {
      switch try await tryLock(LockInfo.forThisProcess(operation: request.operation)) {
      case .acquired(let info, let replaced):
        if let replaced { request.onTakeover(replaced) }
        return info
      case .held(let holder):
        let now = clock.now
        guard now < deadline else { throw StateError.locked(holder) }
        if !waiting {
          waiting = true
          request.onWaiting(holder)
        }
        try await Task.sleep(for: min(delay, deadline - now))
        delay = min(delay * 2, .seconds(1))
      }
    }
  }
}
