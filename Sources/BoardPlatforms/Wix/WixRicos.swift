import BoardSupport
import Foundation

/// A posting's description as Wix's rich content (Ricos), and Ricos back as readable text.
///
/// The description becomes HTML the one way every platform's does (`PostingText.html`, through
/// the allow-list), and that HTML becomes Ricos nodes: paragraphs, headings, bulleted and
/// numbered lists, quotes, code, dividers, and text runs with bold, italic, underline,
/// strikethrough and link decorations. Ricos has no line break inside a text run, so a `<br>`
/// ends the paragraph; nested lists are flattened into their list; a table becomes one
/// paragraph per row. Every node follows Ricos's nesting rules (text only inside paragraphs,
/// headings and code; list → item → paragraph → text).
///
/// `text(_:)` is one-way: it renders any Ricos document, ours or edited in the Wix editor, as
/// Markdown-like text, so the plan compares and shows what a reader sees, formatting included.
enum WixRicos {
  // MARK: HTML → Ricos

  /// Ricos nodes for HTML the sanitiser wrote.
  static func nodes(fromHTML html: String) -> [JSONValue] {
    var builder = Builder()
    builder.blocks(HTMLNode.parse(html))
    builder.flushLoose()
    return builder.nodes
  }

  /// A TEXT node.
  static func text(_ text: String, _ decorations: [JSONValue] = []) -> JSONValue {
    ["type": "TEXT", "textData": ["text": .string(text), "decorations": .array(decorations)]]
  }

  static func paragraph(_ runs: [JSONValue]) -> JSONValue {
    ["type": "PARAGRAPH", "paragraphData": [:], "nodes": .array(runs)]
  }

  static let bold: JSONValue = ["type": "BOLD", "fontWeightValue": 700]
  static let italic: JSONValue = ["type": "ITALIC", "italicData": true]
  static let underline: JSONValue = ["type": "UNDERLINE"]
  static let strikethrough: JSONValue = ["type": "STRIKETHROUGH"]
  static func link(_ url: String) -> JSONValue {
    ["type": "LINK", "linkData": ["link": ["url": .string(url), "target": "BLANK", "rel": ["noreferrer": true]]]]
  }

  /// Walks the HTML tree, collecting block nodes.
  struct Builder {
    var nodes: [JSONValue] = []
    /// Inline runs not yet inside a block (text at the top level), wrapped in a paragraph when
    /// the next block starts.
    var loose: [JSONValue] = []

    mutating func flushLoose() {
      let runs = Self.trimmed(loose)
      if !runs.isEmpty { nodes.append(WixRicos.paragraph(runs)) }
      loose = []
    }

    mutating func blocks(_ children: [HTMLNode]) {
      for child in children {
        switch child {
        case .text(let text):
          loose += Self.runs(text, decorations: [])
        case .element(let name, _, let inner):
          switch name {
          case "p":
            flushLoose()
            nodes += Self.paragraphs(inner)
          case "h1", "h2", "h3", "h4", "h5", "h6":
            flushLoose()
            let runs = Self.trimmed(Self.inline(inner, decorations: []).flatMap { $0 })
            if !runs.isEmpty {
              let level = Int(name.dropFirst()) ?? 2
              nodes.append(
                ["type": "HEADING", "headingData": ["level": .number(Double(level))], "nodes": .array(runs)])
            }
          case "ul", "ol":
            flushLoose()
            let items = Self.listItems(inner)
            if !items.isEmpty {
              let type = name == "ul" ? "BULLETED_LIST" : "ORDERED_LIST"
              let data = name == "ul" ? "bulletedListData" : "orderedListData"
              nodes.append(["type": .string(type), .init(data): ["indentation": 0], "nodes": .array(items)])
            }
          case "blockquote":
            flushLoose()
            var quoted = Builder()
            quoted.blocks(inner)
            quoted.flushLoose()
            let paragraphs = Self.asParagraphs(quoted.nodes)
            if !paragraphs.isEmpty { nodes.append(["type": "BLOCKQUOTE", "nodes": .array(paragraphs)]) }
          case "pre":
            flushLoose()
            for line in Self.plainText(inner).split(separator: "\n", omittingEmptySubsequences: false)
            where !line.isEmpty {
              nodes.append(["type": "CODE_BLOCK", "nodes": [WixRicos.text(String(line))]])
            }
          case "hr":
            flushLoose()
            nodes.append([
              "type": "DIVIDER", "dividerData": ["lineStyle": "SINGLE", "width": "LARGE", "alignment": "CENTER"],
            ])
          case "table", "thead", "tbody":
            flushLoose()
            blocks(inner)
          case "tr":
            flushLoose()
            let cells = inner.compactMap { cell -> [JSONValue]? in
              guard case .element(_, _, let content) = cell else { return nil }
              return Self.trimmed(Self.inline(content, decorations: []).flatMap { $0 })
            }
            var runs: [JSONValue] = []
            for (index, cell) in cells.enumerated() {
              if index > 0 { runs.append(WixRicos.text(" | ")) }
              runs += cell
            }
            if !runs.isEmpty { nodes.append(WixRicos.paragraph(runs)) }
          default:
            // Inline markup at the top level (a link, emphasis) joins the loose runs.
            loose += Self.inline([child], decorations: []).flatMap { $0 }
          }
        }
      }
    }

    /// The items of a list; nested lists are flattened into it.
    static func listItems(_ children: [HTMLNode]) -> [JSONValue] {
      var items: [JSONValue] = []
      for child in children {
        guard case .element("li", _, let inner) = child else { continue }
        var own: [HTMLNode] = []
        var nested: [JSONValue] = []
        for part in inner {
          if case .element(let name, _, let list) = part, name == "ul" || name == "ol" {
            nested += listItems(list)
          } else {
            own.append(part)
          }
        }
        // An item's own text: its paragraphs (a loose list) or its inline content (a tight one).
        var content = Builder()
        content.blocks(own)
        content.flushLoose()
        let paragraphs = asParagraphs(content.nodes)
        if !paragraphs.isEmpty { items.append(["type": "LIST_ITEM", "nodes": .array(paragraphs)]) }
        items += nested
      }
      return items
    }

    /// Blocks where Ricos allows only paragraphs (a quote, a list item): a heading keeps its runs
    /// as a paragraph, a list its items' paragraphs, anything else its text.
    static func asParagraphs(_ blocks: [JSONValue]) -> [JSONValue] {
      blocks.flatMap { block -> [JSONValue] in
        let children = block["nodes"]?.array ?? []
        switch block["type"]?.string {
        case "PARAGRAPH": return [block]
        case "HEADING": return [WixRicos.paragraph(children)]
        case "BULLETED_LIST", "ORDERED_LIST", "LIST_ITEM", "BLOCKQUOTE": return asParagraphs(children)
        default:
          let text = WixRicos.plain(children)
          return text.isEmpty ? [] : [WixRicos.paragraph([WixRicos.text(text)])]
        }
      }
    }

    /// A paragraph's runs; each `<br>` starts a new paragraph.
    static func paragraphs(_ children: [HTMLNode]) -> [JSONValue] {
      inline(children, decorations: []).map(trimmed).filter { !$0.isEmpty }.map(WixRicos.paragraph)
    }

    /// Inline content as lines of runs (split at `<br>`), decorations applied.
    static func inline(_ children: [HTMLNode], decorations: [JSONValue]) -> [[JSONValue]] {
      var lines: [[JSONValue]] = [[]]
      for child in children {
        switch child {
        case .text(let text):
          lines[lines.count - 1] += runs(text, decorations: decorations)
        case .element("br", _, _):
          lines.append([])
        case .element(let name, let attributes, let inner):
          var added = decorations
          switch name {
          case "strong", "b": added.append(WixRicos.bold)
          case "em", "i": added.append(WixRicos.italic)
          case "u": added.append(WixRicos.underline)
          case "s", "del": added.append(WixRicos.strikethrough)
          case "a": if let href = attributes["href"] { added.append(WixRicos.link(href)) }
          default: break
          }
          let parts = inline(inner, decorations: added)
          lines[lines.count - 1] += parts[0]
          lines += parts.dropFirst()
        }
      }
      return lines.map(merged)
    }

    /// Text as runs: line breaks in the source are spaces, as a browser shows them.
    static func runs(_ text: String, decorations: [JSONValue]) -> [JSONValue] {
      let flat = text.replacingOccurrences(of: "\r\n", with: " ").replacingOccurrences(of: "\n", with: " ")
        .replacingOccurrences(of: "\r", with: " ")
      return flat.isEmpty ? [] : [WixRicos.text(flat, decorations)]
    }

    /// Adjacent runs with the same decorations joined.
    static func merged(_ runs: [JSONValue]) -> [JSONValue] {
      var out: [JSONValue] = []
      for run in runs {
        if let last = out.last, last["textData"]?["decorations"] == run["textData"]?["decorations"],
          let a = last["textData"]?["text"]?.string, let b = run["textData"]?["text"]?.string
        {
          out[out.count - 1] = WixRicos.text(a + b, run["textData"]?["decorations"]?.array ?? [])
        } else {
          out.append(run)
        }
      }
      return out
    }

    /// Runs without the spaces at the ends of the line, and without runs left empty.
    static func trimmed(_ runs: [JSONValue]) -> [JSONValue] {
      var runs = merged(runs)
      func edit(_ index: Int, _ change: (String) -> String) {
        guard let text = runs[index]["textData"]?["text"]?.string else { return }
        runs[index] = WixRicos.text(change(text), runs[index]["textData"]?["decorations"]?.array ?? [])
      }
      if !runs.isEmpty { edit(0) { String($0.drop { $0 == " " }) } }
      if !runs.isEmpty { edit(runs.count - 1) { String($0.reversed().drop { $0 == " " }.reversed()) } }
      return runs.filter { $0["textData"]?["text"]?.string?.isEmpty == false }
    }

    static func plainText(_ children: [HTMLNode]) -> String {
      children.map { child in
        switch child {
        case .text(let text): return text
        case .element(_, _, let inner): return plainText(inner)
        }
      }.joined()
    }
  }

  // MARK: Ricos → text

  /// A Ricos document's nodes as Markdown-like text: blocks separated by blank lines, headings
  /// with `#`, list items with `-` or `1.`, quotes with `>`, code indented, dividers as `---`;
  /// runs with `**bold**`, `*italic*`, `~~struck~~`, `_underlined_` and `[text](url)`. Node
  /// kinds boardctl does not write (images, embeds) show as `[IMAGE]`, so an edit adding one is
  /// seen.
  static func text(_ nodes: [JSONValue]) -> String {
    var blocks: [String] = []
    for node in nodes {
      let children = node["nodes"]?.array ?? []
      switch node["type"]?.string ?? "" {
      case "PARAGRAPH":
        let line = runs(children)
        if !line.isEmpty { blocks.append(line) }
      case "HEADING":
        let level = max(1, min(6, node["headingData"]?["level"]?.int ?? 2))
        blocks.append(String(repeating: "#", count: level) + " " + runs(children))
      case "BULLETED_LIST", "ORDERED_LIST":
        let ordered = node["type"]?.string == "ORDERED_LIST"
        var lines: [String] = []
        for (index, item) in children.enumerated() {
          let body = text(item["nodes"]?.array ?? []).replacingOccurrences(of: "\n\n", with: " ")
          lines.append((ordered ? "\(index + 1). " : "- ") + body)
        }
        blocks.append(lines.joined(separator: "\n"))
      case "BLOCKQUOTE":
        blocks.append(
          text(children).split(separator: "\n", omittingEmptySubsequences: false).map { "> " + $0 }.joined(
            separator: "\n"))
      case "CODE_BLOCK":
        blocks.append("    " + plain(children))
      case "DIVIDER":
        blocks.append("---")
      case "LIST_ITEM":
        blocks.append(text(children))
      case let other:
        let inner = text(children)
        blocks.append("[\(other)]" + (inner.isEmpty ? "" : " " + inner))
      }
    }
    return blocks.joined(separator: "\n\n")
  }

  static func plain(_ nodes: [JSONValue]) -> String {
    nodes.map { $0["textData"]?["text"]?.string ?? plain($0["nodes"]?.array ?? []) }.joined()
  }

  /// A paragraph's runs as one line.
  static func runs(_ nodes: [JSONValue]) -> String {
    nodes.map { node -> String in
      guard node["type"]?.string == "TEXT" else { return text([node]) }
      var value = node["textData"]?["text"]?.string ?? ""
      var url: String?
      for decoration in node["textData"]?["decorations"]?.array ?? [] {
        switch decoration["type"]?.string {
        case "BOLD": value = "**\(value)**"
        case "ITALIC": value = "*\(value)*"
        case "STRIKETHROUGH": value = "~~\(value)~~"
        case "UNDERLINE": value = "_\(value)_"
        case "LINK": url = decoration["linkData"]?["link"]?["url"]?.string
        default: break
        }
      }
      if let url { value = "[\(value)](\(url))" }
      return value
    }.joined()
  }
}
