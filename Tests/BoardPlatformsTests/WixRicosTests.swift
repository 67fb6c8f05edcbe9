import BoardSupport
import Testing

@testable import BoardPlatforms

@Suite("Wix rich content (Ricos)")
struct WixRicosTests {
  /// Markdown to Ricos, through the allow-listed HTML every platform gets.
  static func ricos(_ markdown: String) -> [JSONValue] {
    WixRicos.nodes(fromHTML: PostingText.html(fromMarkdown: markdown))
  }

  @Test("paragraphs, headings, lists, emphasis and links become Ricos nodes in Wix's nesting")
  func structure() throws {
    let nodes = Self.ricos(
      """
      ## About the role

      You will **build** things *carefully*, see [our site](https://acme.example/about).

      - Design APIs
      - Mentor two engineers

      1. Apply
      2. Talk to us
      """)
    #expect(nodes.map { $0["type"]?.string } == ["HEADING", "PARAGRAPH", "BULLETED_LIST", "ORDERED_LIST"])
    #expect(nodes[0]["headingData"]?["level"]?.int == 2)
    let runs = try #require(nodes[1]["nodes"]?.array)
    #expect(
      runs.map { $0["textData"]?["text"]?.string } == [
        "You will ", "build", " things ", "carefully", ", see ", "our site", ".",
      ])
    #expect(runs[1]["textData"]?["decorations"]?[0]?["type"]?.string == "BOLD")
    #expect(runs[3]["textData"]?["decorations"]?[0]?["type"]?.string == "ITALIC")
    #expect(
      runs[5]["textData"]?["decorations"]?[0]?["linkData"]?["link"]?["url"]?.string == "https://acme.example/about")
    // list → item → paragraph → text
    let item = try #require(nodes[2]["nodes"]?[0])
    #expect(item["type"]?.string == "LIST_ITEM")
    #expect(item["nodes"]?[0]?["type"]?.string == "PARAGRAPH")
    #expect(item["nodes"]?[0]?["nodes"]?[0]?["textData"]?["text"]?.string == "Design APIs")
  }

  @Test("no text outside a paragraph and no line break inside a text run, whatever the input")
  func nestingRules() {
    for markdown in [
      "line one\nline two", "a<br>b", "> quoted\n> twice", "* one\n  * nested\n* two", "text <b>bold</b> tail",
      "| a | b |\n|---|---|\n| 1 | 2 |", "```\nlet x = 1\nlet y = 2\n```", "---", "<div>loose <i>text</i></div>",
      "> ## Quoted heading\n>\n> - quoted item", "- ## heading in an item\n- plain",
    ] {
      Self.check(Self.ricos(markdown), parent: "ROOT", markdown: markdown)
    }
  }

  @Test("any description, however broken, becomes Ricos Wix accepts: 2,000 random splices")
  func anyInputIsValidRicos() {
    let pieces = [
      "<p>", "</p>", "<h2>", "</h2>", "<ul>", "<ol>", "<li>", "</li>", "</ul>", "<blockquote>", "</blockquote>",
      "<pre><code>", "</code></pre>", "<hr>", "<br>", "<strong>", "</strong>", "<em>", "<a href=\"https://x.example\">",
      "</a>", "<table><tr><td>", "</td></tr></table>", "text", " ", "\n", "**", "- ", "# ", "> ", "https://y.example",
      "&amp;", "\n\n",
    ]
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<2000 {
      let input = (0..<Int.random(in: 1...16, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
        .joined()
      Self.check(WixRicos.nodes(fromHTML: PostingText.html(fromMarkdown: input)), parent: "ROOT", markdown: input)
      Self.check(WixRicos.nodes(fromHTML: HTMLSanitizer.sanitize(input)), parent: "ROOT", markdown: input)
    }
  }

  /// Wix's rule: TEXT only in PARAGRAPH, HEADING or CODE_BLOCK; a list holds items, an item and
  /// a quote hold paragraphs; no "\n" in a run, no empty run.
  static func check(_ nodes: [JSONValue], parent: String, markdown: String) {
    let allowed: [String: Set<String>] = [
      "ROOT": ["PARAGRAPH", "HEADING", "BULLETED_LIST", "ORDERED_LIST", "BLOCKQUOTE", "CODE_BLOCK", "DIVIDER"],
      "PARAGRAPH": ["TEXT"], "HEADING": ["TEXT"], "CODE_BLOCK": ["TEXT"], "BULLETED_LIST": ["LIST_ITEM"],
      "ORDERED_LIST": ["LIST_ITEM"], "LIST_ITEM": ["PARAGRAPH"], "BLOCKQUOTE": ["PARAGRAPH"], "DIVIDER": [],
    ]
    for node in nodes {
      let type = node["type"]?.string ?? "?"
      #expect(allowed[parent]?.contains(type) == true, "\(type) inside \(parent) for \(markdown.debugDescription)")
      if type == "TEXT" {
        let text = node["textData"]?["text"]?.string ?? ""
        #expect(!text.isEmpty && !text.contains("\n"), "\(text.debugDescription) for \(markdown.debugDescription)")
      }
      check(node["nodes"]?.array ?? [], parent: type, markdown: markdown)
    }
  }

  @Test("what Ricos cannot nest is flattened, not dropped")
  func flattenedNotDropped() {
    // As HTML (Ink keeps a quote's inner Markdown as text; a description's raw HTML is not).
    let nodes = WixRicos.nodes(
      fromHTML: HTMLSanitizer.sanitize(
        "<blockquote><h2>Quoted heading</h2><ul><li>quoted <strong>item</strong></li></ul></blockquote>"
          + "<ul><li><h2>heading in an item</h2></li></ul>"))
    Self.check(nodes, parent: "ROOT", markdown: "(quote and list HTML)")
    let text = WixRicos.text(nodes)
    #expect(text.contains("> Quoted heading"), "\(text)")
    #expect(text.contains("> quoted **item**"), "\(text)")
    #expect(text.contains("- heading in an item"), "\(text)")
  }

  @Test("the readable rendition shows structure and formatting, so an edit to either is drift")
  func rendition() {
    let nodes = Self.ricos("## Role\n\nBuild **fast** and [apply](https://x.example).\n\n- one\n- two\n\n> quote")
    #expect(
      WixRicos.text(nodes)
        == "## Role\n\nBuild **fast** and [apply](https://x.example).\n\n- one\n- two\n\n> quote")
    var edited = nodes
    edited[1] = WixRicos.paragraph([WixRicos.text("Build fast and apply.")])
    #expect(WixRicos.text(edited) != WixRicos.text(nodes))
    // What boardctl does not write is still shown, not hidden.
    #expect(WixRicos.text([["type": "IMAGE", "imageData": [:]]]) == "[IMAGE]")
  }

  @Test("a script in a description never reaches Wix: the allow-list comes first")
  func sanitised() {
    let nodes = Self.ricos("Hi <script>alert(1)</script><a href=\"javascript:alert(1)\">x</a>")
    let text = WixRicos.text(nodes)
    #expect(!text.contains("alert") || !text.contains("javascript"))
    #expect(!text.contains("javascript:"))
  }
}
