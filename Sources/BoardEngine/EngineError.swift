import BoardSpec
import BoardState

/// Why the engine stopped. Every error is either the user's to fix (one actionable sentence,
/// maybe with diagnostics at file:line:column) or a bug in boardctl; only the command line turns
/// it into text and an exit code.
public enum EngineError: Error, Sendable, CustomStringConvertible {
  /// Problems in the configuration, every one of them, at their positions.
  case invalidConfiguration([Diagnostic])
  /// Another command holds the state lock.
  case locked(LockInfo)
  /// A saved plan no longer matches the state, the configuration or the boards.
  case stalePlan(file: String, reason: String)
  /// Something else the user can fix: the message says how. `diagnostics` point at files.
  case user(String, diagnostics: [Diagnostic] = [])
  /// A fault in boardctl itself.
  case bug(String)

  /// The user's to fix, with `diagnostics`.
  public static func user(_ message: String) -> EngineError { .user(message, diagnostics: []) }

  /// A sync rule whose records could not be read: one message, at the rule's `source`.
  static func unreadable(_ rule: SyncRule, _ error: any Error) -> EngineError {
    let message = "sync rule '\(rule.name)' could not read its records: \(error)"
    return .user(message, diagnostics: [.error(message, at: rule.document.location(of: "source.board"))])
  }

  /// A state backend's error, as the user's to fix (a held lock keeps its own case).
  public static func state(_ error: StateError) -> EngineError {
    if case .locked(let info) = error { return .locked(info) }
    return .user(error.description)
  }

  /// Runs `body`, turning a `StateError` into an `EngineError`.
  static func mappingState<T>(_ body: () async throws -> T) async throws -> T {
    do { return try await body() } catch let error as StateError { throw EngineError.state(error) }
  }

  public var diagnostics: [Diagnostic] {
    switch self {
    case .invalidConfiguration(let diagnostics): return diagnostics
    case .user(_, let diagnostics): return diagnostics
    default: return []
    }
  }

  public var description: String {
    switch self {
    case .invalidConfiguration(let diagnostics):
      let errors = diagnostics.filter { $0.severity == .error }.count
      return "\(errors) problem\(errors == 1 ? "" : "s") in the configuration; nothing was changed"
    case .locked(let info):
      return
        "the state is locked by \(info.summary).\nWait for it to finish (or pass --lock-timeout 2m). If that process is gone for good, clear the lock with: boardctl force-unlock \(info.id)"
    case .stalePlan(let file, let reason):
      return "the saved plan \(file) cannot be applied: \(reason). Run plan again"
    case .user(let message, _): return message
    case .bug(let message): return message
    }
  }
}
