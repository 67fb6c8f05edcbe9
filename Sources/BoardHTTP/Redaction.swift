import Foundation

/// Keeps secrets and personal data out of logs: query parameters that carry keys, or a person's
/// email or phone (a sync rule's lookups), are masked.
public enum Redaction {
  static let sensitiveParameters: Set<String> = [
    "key", "token", "api_key", "apikey", "access_token", "secret", "email", "phone", "phone_number",
  ]

  /// `text` with the values of key-bearing and personal query parameters replaced by `REDACTED`.
  public static func url(_ text: String) -> String {
    guard var components = URLComponents(string: text), let items = components.queryItems, !items.isEmpty else {
      return text
    }
    components.queryItems = items.map { item in
      sensitiveParameters.contains(item.name.lowercased()) ? URLQueryItem(name: item.name, value: "REDACTED") : item
    }
    return components.string ?? text
  }
}
