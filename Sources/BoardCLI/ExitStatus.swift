/// Exit codes, as documented in the README.
public enum ExitStatus: Int32, Sendable {
  case success = 0
  case error = 1
  case changesPresent = 2
  case locked = 3
  case stalePlan = 4
}
