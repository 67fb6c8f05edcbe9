import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A child process started by `ChildProcess.start`: a thread of its own waits for it, so asking
/// whether it runs never reaps it twice, and awaiting its end holds no thread of Swift
/// concurrency.
public final class RunningChild: Sendable {
  public let pid: pid_t
  private let state = Mutex<(status: Int32?, waiting: [CheckedContinuation<Int32, Never>])>((nil, []))

  init(pid: pid_t) {
    self.pid = pid
    ChildProcess.onThreadOfItsOwn { [self] in
      // Waits without reaping, so the pid stays this child's (a zombie) until the lock is held:
      // `send` can never signal a stranger that reused it.
      var info = siginfo_t()
      while waitid(P_PID, id_t(pid), &info, WEXITED | WNOWAIT) < 0 && errno == EINTR {}
      let (status, waiting) = state.withLock { state in
        let status = ChildProcess.wait(for: pid)
        state.status = status
        defer { state.waiting = [] }
        return (status, state.waiting)
      }
      for continuation in waiting { continuation.resume(returning: status) }
    }
  }

  /// How it ended (exit code, or 128 + signal); nil while it runs.
  public var status: Int32? { state.withLock { $0.status } }
  public var isRunning: Bool { status == nil }

  /// Waits for it to end; its exit code, or 128 + the signal that ended it.
  public func exitStatus() async -> Int32 {
    await withCheckedContinuation { continuation in
      let ended = state.withLock { state -> Int32? in
        if let status = state.status { return status }
        state.waiting.append(continuation)
        return nil
      }
      if let ended { continuation.resume(returning: ended) }
    }
  }

  /// Sends `signal` to it, unless it has already ended (its pid may be someone else's by then).
  public func send(_ signal: Int32) {
    state.withLock { state in
      if state.status == nil { kill(pid, signal) }
    }
  }
}
