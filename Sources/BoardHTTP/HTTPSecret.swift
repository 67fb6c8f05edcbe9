/// A credential value an authenticator puts in a header. BoardHTTP does not know BoardCore's
/// `SensitiveValue`, so adapters wrap theirs in a closure that reveals it; every printed,
/// debugged or reflected form of this type is redacted.
public struct HTTPSecret: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
  private let reveal: @Sendable () -> String

  /// `reveal` is called each time a request's headers are built, never to print anything.
  public init(_ reveal: @escaping @Sendable () -> String) {
    self.reveal = reveal
  }

  /// The value as text, for the code that builds a request's authentication. Nowhere else.
  public func revealText() -> String { reveal() }

  public var description: String { "(sensitive value)" }
  public var debugDescription: String { description }
  public var customMirror: Mirror { Mirror(self, children: [:]) }
}
