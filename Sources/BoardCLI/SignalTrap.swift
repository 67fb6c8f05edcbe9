import BoardSupport
import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

/// SIGINT and SIGTERM during apply (a Ctrl-C, a CI cancel): the first asks the run to stop
/// (`StopSignal`: no new action starts, the ones in flight finish and are journaled, the lock is
/// released); a second exits at once. Everything apply writes is a transaction or a journal
/// entry, so state stays consistent either way, and an action cut off in flight is looked up by
/// its ownership tag on the next run.
final class SignalTrap {
  let stop = StopSignal()
  private let sources: [any DispatchSourceSignal]

  init(_ terminal: Terminal) {
    let stop = self.stop
    sources = [SIGINT, SIGTERM].map { number in
      signal(number, SIG_IGN)
      let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
      source.setEventHandler {
        let name = number == SIGINT ? "SIGINT" : "SIGTERM"
        // Signals that arrive together are delivered as one event with their count.
        let count = source.data
        if stop.request(number) && count < 2 {
          terminal.err(
            "\n\(name): stopping after the actions in flight; nothing new starts. Send it again to exit at once.\n")
        } else {
          terminal.err("\n\(name) again: exiting now. The next apply checks the actions that were in flight.\n")
          _exit(128 + number)
        }
      }
      source.resume()
      return source
    }
  }

  /// The exit status of a run the signal stopped: 130 for SIGINT, 143 for SIGTERM.
  var exitStatus: ExitStatus? {
    stop.requested.map { $0 == SIGINT ? .interrupted : .terminated }
  }

  deinit {
    for source in sources { source.cancel() }
  }
}
