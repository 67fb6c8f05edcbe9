import Logging

/// Times the phases of a command; `BOARDCTL_LOG=debug` prints them.
struct Phase {
  static let logger = Logger(label: "boardctl")
  private var start = ContinuousClock.now

  mutating func end(_ name: String) {
    let now = ContinuousClock.now
    Self.logger.debug("\(name): \(now - start)")
    start = now
  }
}
