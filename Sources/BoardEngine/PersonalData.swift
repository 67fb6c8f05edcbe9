import Foundation

/// Masks a synced person's data in what boardctl prints: `ana@example.org` → `a•••@e•••.org`,
/// `Ana Tui` → `A•••`, `+679 555 0101` → `+•••`. Ids are not personal data and are shown.
public enum PersonalData {
  public static func mask(_ value: String) -> String {
    guard let first = value.first else { return "" }
    // An email keeps the first letters of its parts and its top-level domain: the rest of the
    // domain can be a name too (`x@anatui.example`).
    if isEmail(value), let at = value.firstIndex(of: "@"), let domain = value[value.index(after: at)...].first,
      let dot = value.lastIndex(of: ".")
    {
      return "\(first)•••@\(domain)•••\(value[dot...])"
    }
    return "\(first)•••"
  }

  /// One plain email address: a local part, one `@`, a domain of letters, digits, `-` and `.`.
  /// Anything else (a template's `@{{email}} {{phone}}`) shows only its first character.
  static func isEmail(_ value: String) -> Bool {
    let parts = value.split(separator: "@", omittingEmptySubsequences: false)
    guard parts.count == 2, !parts[0].isEmpty, parts[1].contains("."), !parts[1].hasPrefix("."),
      !value.contains(where: \.isWhitespace)
    else { return false }
    return parts[1].unicodeScalars.allSatisfy {
      ($0 >= "a" && $0 <= "z") || ($0 >= "A" && $0 <= "Z") || ($0 >= "0" && $0 <= "9") || $0 == "-" || $0 == "."
    }
  }

  /// `text` (a platform's error words) with every one of `values` in it masked: platforms may
  /// quote a value they refuse, and such words go to the journal and the terminal.
  public static func redact(_ text: String, values: some Sequence<String>) -> String {
    var out = text
    for value in Set(values).sorted(by: { $0.count > $1.count }) where value.count >= 3 {
      out = out.replacingOccurrences(of: value, with: mask(value), options: .caseInsensitive)
      // A value in a URL's query is percent-encoded there.
      if let encoded = value.addingPercentEncoding(withAllowedCharacters: .alphanumerics), encoded != value {
        out = out.replacingOccurrences(of: encoded, with: mask(value), options: .caseInsensitive)
      }
    }
    return out
  }
}
