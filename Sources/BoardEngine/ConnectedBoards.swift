import BoardCore
import BoardSpec

/// The boards of a workspace, opened.
public struct ConnectedBoards: Sendable {
  public var connections: [String: any BoardConnection] = [:]
  /// Opened credentials by board.
  public var credentials: [String: OpenedCredential] = [:]
  /// Boards whose credential no key at hand opens, with the reason; plan does not refresh them.
  public var unopened: [String: String] = [:]
  /// Boards that could not be opened (only with `tolerateFailures`).
  public var failures: [String: Diagnostic] = [:]

  public init() {}
}
