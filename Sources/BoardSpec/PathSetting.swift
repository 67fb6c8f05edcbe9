/// A path written in the configuration (a setting whose schema format is `path`), with where it
/// was written: everything that reads or writes files names them this way, so one check keeps
/// every one inside the repository.
public struct PathSetting: Sendable, Hashable {
  /// The path as written.
  public var text: String
  public var location: SourceLocation
  /// The key path in its document (`settings.output`, `state.path`), for messages.
  public var key: String

  public init(text: String, location: SourceLocation, key: String) {
    self.text = text
    self.location = location
    self.key = key
  }
}
