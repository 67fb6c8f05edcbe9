import Foundation

/// The hosts a credential may be sent to, as sealed with it: `host` (on the URL scheme's
/// default port) or `host:port`. A pull request can change a board's `endpoint`; it cannot
/// change this list without the private key, so a credential never goes anywhere else.
public struct CredentialHosts: Sendable, Hashable, CustomStringConvertible {
  /// Lowercased `host` or `host:port` entries, sorted, without duplicates.
  public let entries: [String]

  public init(_ entries: [String]) {
    self.entries = Array(Set(entries.compactMap(Self.entry(from:)))).sorted()
  }

  public var description: String { entries.isEmpty ? "no host" : entries.joined(separator: ", ") }

  /// An entry from what a user wrote: `host`, `host:port`, or a URL (its host, and its port
  /// when one is written); nil when it names no host.
  public static func entry(from text: String) -> String? {
    let trimmed = text.trimmingCharacters(in: .whitespaces).lowercased()
    if trimmed.contains("://") {
      guard let components = URLComponents(string: trimmed), let host = components.host, !host.isEmpty else {
        return nil
      }
      return components.port.map { "\(host):\($0)" } ?? host
    }
    guard let components = URLComponents(string: "https://" + trimmed), let host = components.host, !host.isEmpty,
      components.path.isEmpty, components.query == nil, components.user == nil
    else { return nil }
    return components.port.map { "\(host):\($0)" } ?? host
  }

  /// Where a request to `url` goes: its host and port (the scheme's default when none is
  /// written); nil for a URL without a host or with a scheme other than http and https.
  public static func destination(of url: String) -> (host: String, port: Int)? {
    guard let components = URLComponents(string: url), let scheme = components.scheme?.lowercased(),
      let host = components.host?.lowercased(), !host.isEmpty
    else { return nil }
    let defaultPort: Int
    switch scheme {
    case "https": defaultPort = 443
    case "http": defaultPort = 80
    default: return nil
    }
    return (host, components.port ?? defaultPort)
  }

  /// `host:port` of `url`, as messages and the plan show it.
  public static func describe(_ url: String) -> String {
    guard let (host, port) = destination(of: url) else { return url }
    return "\(host):\(port)"
  }

  /// Whether a request to `url` may carry the credential: an entry names its host, with its
  /// exact port or, for an entry without one, the default port of the URL's scheme.
  public func allows(_ url: String) -> Bool {
    guard let (host, port) = Self.destination(of: url),
      let components = URLComponents(string: url), let scheme = components.scheme?.lowercased()
    else { return false }
    let defaultPort = scheme == "https" ? 443 : 80
    return entries.contains { entry in
      if entry == host { return port == defaultPort }
      return entry == "\(host):\(port)"
    }
  }
}
