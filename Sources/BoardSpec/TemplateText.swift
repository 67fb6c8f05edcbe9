import Foundation

/// What a Mustache template from `boards.d` may hold, checked as text before it is parsed: the
/// parser recurses once per nested section and is slow on huge input, and a pull request's
/// configuration is untrusted. Posting templates and sync rules' templates share these limits.
public enum TemplateText {
  /// The most characters a template may have.
  public static let maximumLength = 20_000
  /// The most sections (`{{#…}}`, `{{^…}}`) that may be open at once.
  public static let maximumDepth = 16

  /// Why `text` is refused as a template, or nil when it may be parsed.
  public static func problem(_ text: String) -> String? {
    if text.allSatisfy(\.isWhitespace) { return "is empty" }
    if text.count > maximumLength { return "is longer than \(maximumLength) characters" }
    // One pass over the bytes: each `{{` is looked at once.
    let bytes = Array(text.utf8)
    // The open sections, innermost last: `#` (a value's own context) or `^` (the parent's).
    var sections: [UInt8] = []
    var index = 0
    func skipping(_ skipped: Set<UInt8>, from start: Int) -> Int {
      var at = start
      while at < bytes.count, skipped.contains(bytes[at]) { at += 1 }
      return at
    }
    while index + 1 < bytes.count {
      guard bytes[index] == UInt8(ascii: "{"), bytes[index + 1] == UInt8(ascii: "{") else {
        index += 1
        continue
      }
      let tag = skipping([UInt8(ascii: "{"), UInt8(ascii: " "), UInt8(ascii: "&")], from: index + 2)
      index = tag
      guard tag < bytes.count else { break }
      switch bytes[tag] {
      case UInt8(ascii: ">"): return "includes a partial ({{> …}}), which boardctl does not load"
      case UInt8(ascii: "="): return "changes the delimiters ({{= … =}}), which boardctl does not allow"
      case UInt8(ascii: "#"), UInt8(ascii: "^"):
        sections.append(bytes[tag])
        if sections.count > maximumDepth { return "nests sections more than \(maximumDepth) deep" }
      case UInt8(ascii: "/"): _ = sections.popLast()
      case UInt8(ascii: "."):
        // `{{.}}` is the current value: a section's item, or, outside one (or in an inverted
        // one), the whole record.
        let after = skipping([UInt8(ascii: " ")], from: tag + 1)
        if sections.last != UInt8(ascii: "#"), after < bytes.count, bytes[after] == UInt8(ascii: "}") {
          return "prints the whole record ({{.}}): name a field"
        }
      default: break
      }
    }
    return nil
  }

  /// A parser error's case name as words: `sectionCloseNameIncorrect` → `section close name
  /// incorrect`.
  public static func words(_ error: any Error) -> String {
    var words = ""
    for ch in String(describing: error) {
      if ch.isUppercase { words += " " + ch.lowercased() } else { words.append(ch) }
    }
    return words.trimmingCharacters(in: .whitespaces)
  }
}
