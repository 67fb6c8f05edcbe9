import BoardSupport

/// Where a board sends its credential: the platform's default hosts (what `seal` binds a
/// credential to when not told otherwise, and what a credential sealed before hosts existed
/// may reach) and each URL the board's settings send it to, with the settings key it comes from.
public struct CredentialDestinations: Sendable {
  public struct Destination: Sendable {
    /// Dotted path of the setting in the Board document (`settings.endpoint`), for positions.
    public var key: String
    public var url: String

    public init(key: String, url: String) {
      self.key = key
      self.url = url
    }
  }

  public var defaultHosts: CredentialHosts
  public var destinations: [Destination]

  public init(defaultHosts: CredentialHosts, destinations: [Destination]) {
    self.defaultHosts = defaultHosts
    self.destinations = destinations
  }

  /// The hosts `credential` may go to on this platform: those sealed with it, else the defaults.
  public func allowed(for credential: OpenedCredential) -> CredentialHosts {
    credential.hosts ?? defaultHosts
  }
}
