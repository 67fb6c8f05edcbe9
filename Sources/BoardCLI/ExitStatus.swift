/// Exit codes, as documented in the README.
public enum ExitStatus: Int32, Sendable {
  case success = 0
  case error = 1
  case changesPresent = 2
  case locked = 3
  case stalePlan = 4
  /// Apply stopped by SIGINT after finishing what was in flight.
  case interrupted = 130
  /// Apply stopped by SIGTERM after finishing what was in flight.
  case terminated = 143
}
