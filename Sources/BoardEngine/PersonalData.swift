import Foundation

/// Masks a synced person's data in what boardctl prints: `ana@example.org` → `a•••@example.org`,
/// `Ana Tui` → `A•••`, `+679 555 0101` → `+•••`. Ids are not personal data and are shown.
public enum PersonalData {
  public static func mask(_ value: String) -> String {
    guard let first = value.first else { return "" }
    if let at = value.firstIndex(of: "@") { return "\(first)•••\(value[at...])" }
    return "\(first)•••"
  }

  /// `text` (a platform's error words) with every one of `values` in it masked: platforms may
  /// quote a value they refuse, and such words go to the journal and the terminal.
  public static func redact(_ text: String, values: some Sequence<String>) -> String {
    var out = text
    for value in Set(values).sorted(by: { $0.count > $1.count }) where value.count >= 3 {
      out = out.replacingOccurrences(of: value, with: mask(value), options: .caseInsensitive)
    }
    return out
  }
}
