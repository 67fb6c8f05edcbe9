/// A credential value in memory, whose every printed form is redacted. BoardSecrets' `Secret`
/// is the one implementation; adapters see only this.
public protocol SensitiveValue: Sendable, CustomStringConvertible {
  /// The value as text, for the code that builds a request's authentication. Nowhere else.
  func revealText() -> String
}
