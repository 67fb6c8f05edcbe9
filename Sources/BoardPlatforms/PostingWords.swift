import BoardCore
import Foundation

/// How a posting is worded for a job seeker (careers pages, blog posts), in the page's language:
/// country names instead of ISO codes, dates in words, a location without a part said twice,
/// counts in the singular or plural.
struct PostingWords: Sendable {
  let locale: Locale
  private let dateStyle: Date.FormatStyle

  init(language: String) {
    locale = Locale(identifier: language)
    dateStyle = Date.FormatStyle(date: .long, time: .omitted, locale: locale, timeZone: .gmt)
  }

  /// "Fiji" for `FJ`; the code itself when the language has no name for it.
  func country(_ code: String) -> String {
    locale.localizedString(forRegionCode: code) ?? code
  }

  /// "November 26, 2026" (or "26 November 2026", as the language writes it) for `2026-11-26`;
  /// the text itself when it is not such a date.
  func date(_ text: String) -> String {
    guard let date = try? Date(text + "T00:00:00Z", strategy: .iso8601) else { return text }
    return date.formatted(dateStyle)
  }

  /// "Suva, Central, Fiji", "Singapore" (not "Singapore, Singapore, Singapore"), or
  /// "Remote (Fiji)", from `location.*` attributes.
  func location(_ a: Attributes, prefix: String = "location.") -> String {
    var parts: [String] = []
    for key in ["city", "region", "country"] {
      guard var part = a[prefix + key]?.stringValue else { continue }
      if key == "country" { part = country(part) }
      if !parts.contains(where: { $0.caseInsensitiveCompare(part) == .orderedSame }) { parts.append(part) }
    }
    if a[prefix + "remote"] == .bool(true) {
      return parts.isEmpty ? "Remote" : "Remote (\(parts.joined(separator: ", ")))"
    }
    return parts.joined(separator: ", ")
  }

  /// "1 open position", "12 open positions".
  func openPositions(_ count: Int) -> String {
    "\(count) open position\(count == 1 ? "" : "s")"
  }
}
