import Foundation

/// Keeps secrets out of logs: query parameters that carry keys are masked.
public enum Redaction {
  static let sensitiveParameters: Set<String> = ["key", "token", "api_key", "apikey", "access_token", "secret"]

  /// `text` with the values of key-bearing query parameters replaced by `REDACTED`.
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
