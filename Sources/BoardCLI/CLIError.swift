import ArgumentParser
import BoardSpec

/// Exit codes, as documented in the README.
public enum ExitStatus: Int32, Sendable {
  case success = 0
  case error = 1
  case changesPresent = 2
  case locked = 3
  case stalePlan = 4
}

/// An error a command reports: one actionable message (plus diagnostics), and its exit status.
struct CLIError: Error {
  var message: String
  var status: ExitStatus
  var diagnostics: [Diagnostic]

  init(_ message: String, status: ExitStatus = .error, diagnostics: [Diagnostic] = []) {
    self.message = message
    self.status = status
    self.diagnostics = diagnostics
  }
}
