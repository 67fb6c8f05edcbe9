/// Reduces an HTML fragment to an allow-list, for every HTML boardctl generates from a posting
/// (careers pages, the Indeed description, what a platform receives). Markdown passes raw HTML
/// through, so a description could otherwise carry `<script>`, an `onerror=` attribute or a
/// `javascript:` link onto a public page.
///
/// The fragment is tokenised and written out again: only allowed elements, only their allowed
/// attributes (values checked, then escaped), every text run escaped. Nothing of the input is
/// copied through unparsed, so a construct the tokeniser reads differently from a browser can
/// still produce only text or allowed markup. Elements are balanced: a stray end tag is dropped,
/// an element left open is closed at the end, so a description cannot swallow the page around it.
///
/// - Kept: `p br hr h1–h6 ul ol li em strong b i s del blockquote code pre table thead tbody tr
///   th td a`; `a href` (http, https, mailto, or a relative link), `ol start` (digits),
///   `th/td align` (left, center, right), `code class` (`language-…`).
/// - Dropped with their content: `script style iframe noscript noembed noframes textarea title
///   xmp plaintext template object svg math select`, comments and processing instructions.
/// - Dropped, content kept as text: every other element (`div`, `span`, `img`, `form`, …).
public enum HTMLSanitizer {
  /// `html` reduced to the allow-list.
  public static func sanitize(_ html: String) -> String {
    var writer = Writer()
    var scanner = Scanner(Array(html.utf8))
    while let token = scanner.next() {
      switch token {
      case .text(let text): writer.text(text)
      case .start(let name, let attributes):
        if dropsContent.contains(name) {
          scanner.skipContent(of: name)
        } else {
          writer.start(name, attributes)
        }
      case .end(let name): writer.end(name)
      }
    }
    return writer.finish()
  }

  /// Elements kept, and the attributes each may keep.
  static let allowed: [String: Set<String>] = {
    var allowed: [String: Set<String>] = [:]
    for name in [
      "p", "br", "hr", "h1", "h2", "h3", "h4", "h5", "h6", "ul", "li", "em", "strong", "b", "i", "s", "del",
      "blockquote", "pre", "table", "thead", "tbody", "tr",
    ] {
      allowed[name] = []
    }
    allowed["a"] = ["href"]
    allowed["ol"] = ["start"]
    allowed["th"] = ["align"]
    allowed["td"] = ["align"]
    allowed["code"] = ["class"]
    return allowed
  }()

  /// Elements that have no end tag.
  static let void: Set<String> = ["br", "hr"]

  /// Elements whose content goes with them.
  static let dropsContent: Set<String> = rawText.union(["template", "object", "svg", "math", "select"])

  /// Elements whose content a browser reads as text up to the matching end tag, whatever it holds.
  static let rawText: Set<String> = [
    "script", "style", "iframe", "noscript", "noembed", "noframes", "textarea", "title", "xmp", "plaintext",
  ]

  /// Link schemes allowed in `href`; a link without a scheme is relative and stays on the site.
  static let schemes: Set<String> = ["http", "https", "mailto"]

  /// Whether `url` (an attribute's decoded value) may be a link: what a browser would see once it
  /// drops tabs and newlines and trims spaces and controls at either end.
  public static func isSafeLink(_ url: String) -> Bool {
    var scalars = url.unicodeScalars.filter { $0 != "\t" && $0 != "\n" && $0 != "\r" }[...]
    while let first = scalars.first, first.value <= 0x20 { scalars = scalars.dropFirst() }
    guard let end = scalars.firstIndex(where: { $0 == ":" || $0 == "/" || $0 == "?" || $0 == "#" }),
      scalars[end] == ":"
    else { return true }
    let scheme = String(String.UnicodeScalarView(scalars[..<end])).lowercased()
    return schemes.contains(scheme)
  }

  /// Whether an allowed attribute's value is one the allow-list accepts.
  static func accepts(_ value: String, for attribute: String, on element: String) -> Bool {
    switch (element, attribute) {
    case ("a", "href"): return isSafeLink(value)
    case ("ol", "start"):
      return !value.isEmpty && value.utf8.count <= 9 && value.utf8.allSatisfy { $0 >= 48 && $0 <= 57 }
    case (_, "align"): return ["left", "center", "right"].contains(value.lowercased())
    case ("code", "class"):
      return value.hasPrefix("language-") && value.utf8.count <= 64
        && value.utf8.allSatisfy { c in
          (c >= 97 && c <= 122) || (c >= 65 && c <= 90) || (c >= 48 && c <= 57) || c == 45 || c == 43 || c == 95
        }
    default: return false
    }
  }

  /// The next bare `http://` or `https://` URL in text at or after `from`: from a word boundary
  /// to the first space, markup character or escaped `<`/`>`/`"`, without the punctuation that
  /// ends a sentence or a parenthesis the URL did not open.
  static func nextURL(in bytes: ArraySlice<UInt8>, from: Int) -> Range<Int>? {
    var index = from
    while let h = bytes[index...].firstIndex(where: { $0 | 0x20 == UInt8(ascii: "h") }) {
      index = h + 1
      if h > bytes.startIndex, Scanner.isLetter(bytes[h - 1]) || (bytes[h - 1] >= 48 && bytes[h - 1] <= 57) {
        continue
      }
      var end = h
      for expected in "http".utf8 {
        guard end < bytes.endIndex, bytes[end] | 0x20 == expected else { break }
        end += 1
      }
      guard end == h + 4 else { continue }
      if end < bytes.endIndex, bytes[end] | 0x20 == UInt8(ascii: "s") { end += 1 }
      guard bytes[end...].starts(with: "://".utf8) else { continue }
      end += 3
      let host = end
      while end < bytes.endIndex, !endsURL(bytes, at: end) { end += 1 }
      let opened = bytes[host..<end].count { $0 == UInt8(ascii: "(") }
      var closed = bytes[host..<end].count { $0 == UInt8(ascii: ")") }
      while end > host {
        let last = bytes[end - 1]
        if last == UInt8(ascii: ")"), closed > opened {
          closed -= 1
        } else if last == UInt8(ascii: ";"),
          let amp = bytes[host..<end].lastIndex(of: UInt8(ascii: "&")), referenceEnd(bytes, at: amp) == end
        {
          break  // the `;` ends a character reference (`&amp;`, `&eacute;`): part of the address
        } else if !".,;:!?'*_~".utf8.contains(last) {
          break
        }
        end -= 1
      }
      if end > host { return h..<end }
      index = end
    }
    return nil
  }

  /// Whether the URL that runs to `index` stops there.
  private static func endsURL(_ bytes: ArraySlice<UInt8>, at index: Int) -> Bool {
    let byte = bytes[index]
    if byte <= 0x20 || byte == 0x7F || byte == UInt8(ascii: "<") || byte == UInt8(ascii: ">")
      || byte == UInt8(ascii: "\"")
    {
      return true
    }
    guard byte == UInt8(ascii: "&") else { return false }
    // An escaped character a URL cannot hold: `&lt;`, `&gt;`, `&quot;`, a no-break space.
    return ["&lt;", "&gt;", "&quot;", "&nbsp;", "&#60;", "&#62;", "&#34;"].contains {
      bytes[index...].starts(with: $0.utf8)
    }
  }
}
