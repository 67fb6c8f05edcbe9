import BoardSupport
import Testing

@Suite("HTML sanitiser")
struct HTMLSanitizerTests {
  @Test(
    "what Markdown produces is kept as it is",
    arguments: [
      "<h2>About</h2><p>Build <strong>things</strong> &amp; <em>more</em>.</p>",
      "<ul><li>one</li><li>two<ol start=\"3\"><li>three</li></ol></li></ul>",
      "<p><a href=\"https://acme.example/jobs?a=1&amp;b=2\">apply</a> or <a href=\"mailto:jobs@acme.example\">mail</a></p>",
      "<blockquote><p>quote</p></blockquote><hr><p>line<br>break</p>",
      "<pre><code class=\"language-swift\">let x = 1 &lt; 2</code></pre>",
      "<table><thead><tr><th align=\"left\">A</th></tr></thead><tbody><tr><td align=\"right\">1</td></tr></tbody></table>",
      "<p><s>old</s> <a href=\"/jobs/other.html\">relative</a> <a href=\"#top\">top</a></p>",
      "<p>Café &eacute; &#233; &#xE9; 日本</p>",
    ])
  func keepsMarkdown(html: String) {
    #expect(HTMLSanitizer.sanitize(html) == html)
  }

  @Test(
    "script, handlers and dangerous links never survive",
    arguments: [
      ("<script>alert(1)</script><p>ok</p>", "<p>ok</p>"),
      ("<SCRIPT SRC=//evil.example/x.js></SCRIPT>", ""),
      ("<script>var s = '</scr' + 'ipt>'</script>after", "after"),
      ("<img src=x onerror=alert(1)>text", "text"),
      ("<p onclick=\"alert(1)\" style=\"x\">p</p>", "<p>p</p>"),
      ("<a href=\"javascript:alert(1)\">x</a>", "<a>x</a>"),
      ("<a href=\" JaVaScRiPt:alert(1)\">x</a>", "<a>x</a>"),
      ("<a href=\"java\tscript:alert(1)\">x</a>", "<a>x</a>"),
      ("<a href=\"java&#x09;script:alert(1)\">x</a>", "<a>x</a>"),
      ("<a href=\"javascript&colon;alert(1)\">x</a>", "<a>x</a>"),
      ("<a href=\"&#106;avascript:alert(1)\">x</a>", "<a>x</a>"),
      ("<a href=\"data:text/html,<script>alert(1)</script>\">x</a>", "<a>x</a>"),
      ("<a href=\"vbscript:msgbox(1)\">x</a>", "<a>x</a>"),
      ("<a href=\"javascript&amp;colon;alert(1)\">x</a>", "<a href=\"javascript&amp;colon;alert(1)\">x</a>"),
      ("<a href=x\" onmouseover=\"alert(1)\">x</a>", "<a href=\"x&quot;\">x</a>"),
      ("<iframe src=\"https://evil.example\"></iframe>ok", "ok"),
      ("<svg><script>alert(1)</script><p>in svg</p></svg>ok", "ok"),
      ("<math><mi xlink:href=\"javascript:alert(1)\">x</mi></math>ok", "ok"),
      ("<style>body{display:none}</style>ok", "ok"),
      ("<!-- <script>alert(1)</script> -->ok", "ok"),
      ("<!--><script>alert(1)</script>-->ok", "ok"),
      ("<div><form action=\"https://evil.example\"><input name=x></form></div>", ""),
      ("<p>open <em>never closed", "<p>open <em>never closed</em></p>"),
      ("</div></p>text</a>", "text"),
      ("<p>a < b && c > d</p>", "<p>a &lt; b &amp;&amp; c &gt; d</p>"),
      ("<scr<script>ipt>alert(1)</script>", "ipt&gt;alert(1)"),
      ("<p>unterminated <a href=\"https://x.example", "<p>unterminated </p>"),
      ("<plaintext><p>all of this</p>", ""),
      ("<noscript><p title=\"</noscript><img src=x onerror=alert(1)>\"></noscript>", "\"&gt;"),
    ])
  func dropsScript(html: String, expected: String) {
    #expect(HTMLSanitizer.sanitize(html) == expected)
  }

  @Test(
    "a bare web address in running text becomes a link to itself",
    arguments: [
      (
        "<p>Apply at https://acme.example/apply?x=1&amp;y=2.</p>",
        "<p>Apply at <a href=\"https://acme.example/apply?x=1&amp;y=2\">https://acme.example/apply?x=1&amp;y=2</a>.</p>"
      ),
      (
        "<p>(see https://en.example/wiki/Foo_(bar)), then HTTP://X.example/a</p>",
        "<p>(see <a href=\"https://en.example/wiki/Foo_(bar)\">https://en.example/wiki/Foo_(bar)</a>), then <a href=\"HTTP://X.example/a\">HTTP://X.example/a</a></p>"
      ),
      ("<p>&lt;https://x.example&gt;</p>", "<p>&lt;<a href=\"https://x.example\">https://x.example</a>&gt;</p>"),
      (
        "<p>See https://x.example/caf&#233; and https://y.example/a?b=1&amp;</p>",
        "<p>See <a href=\"https://x.example/caf\u{E9}\">https://x.example/caf&#233;</a> and <a href=\"https://y.example/a?b=1&amp;\">https://y.example/a?b=1&amp;</a></p>"
      ),
      // Already a link, code, or not a URL at a word's start: left as text.
      (
        "<p><a href=\"https://y.example\">https://y.example</a></p>",
        "<p><a href=\"https://y.example\">https://y.example</a></p>"
      ),
      ("<p><code>https://code.example</code></p>", "<p><code>https://code.example</code></p>"),
      (
        "<p>xhttps://no.example and https:// alone and httpx://no</p>",
        "<p>xhttps://no.example and https:// alone and httpx://no</p>"
      ),
    ])
  func linksBareURLs(html: String, expected: String) {
    let once = HTMLSanitizer.sanitize(html)
    #expect(once == expected)
    #expect(HTMLSanitizer.sanitize(once) == once)
  }

  @Test("the output holds only allowed tags and attributes, whatever the input")
  func onlyAllowedMarkup() throws {
    // Fragments spliced together at random: every tag the sanitiser writes is an allowed one with
    // allowed attributes (text never holds a raw `<`), and sanitising again changes nothing.
    let pieces = [
      "<", ">", "</", "script", "a href=", "\"", "'", "javascript:", " onerror=", "&#", "x3A;", "<!--", "-->", "img",
      "svg", "=", " ", "p", "/", "&colon;", "<p", "<a ", "em>",
    ]
    let tag = try Regex(
      #"^</?(p|br|hr|h[1-6]|ul|ol|li|em|strong|b|i|s|del|blockquote|code|pre|table|thead|tbody|tr|th|td|a)( (href|start|align|class)="[^"<>]*")*>$"#
    )
    var generator = SystemRandomNumberGenerator()
    for _ in 0..<3000 {
      let input = (0..<Int.random(in: 1...14, using: &generator)).map { _ in pieces.randomElement(using: &generator)! }
        .joined()
      let output = HTMLSanitizer.sanitize(input)
      var rest = output[...]
      while let open = rest.firstIndex(of: "<") {
        let close = try #require(rest[open...].firstIndex(of: ">"), "\(input) → \(output)")
        let element = String(rest[open...close])
        #expect(element.wholeMatch(of: tag) != nil, "\(input) → \(output): \(element)")
        #expect(!element.lowercased().contains("href=\"javascript:"), "\(input) → \(output)")
        rest = rest[rest.index(after: close)...]
      }
      #expect(HTMLSanitizer.sanitize(output) == output, "sanitising twice changes \(input) → \(output)")
    }
  }

  @Test(
    "links: http, https, mailto and relative only",
    arguments: [
      ("https://acme.example/x", true), ("HTTP://acme.example", true), ("mailto:a@b.example", true),
      ("/jobs/x.html", true), ("x.html", true), ("#top", true), ("?q=1", true), ("javascript:alert(1)", false),
      ("\u{1}javascript:alert(1)", false), ("ftp://x.example", false), ("data:text/html,x", false),
      ("tel:+679", false),
    ])
  func links(url: String, safe: Bool) {
    #expect(HTMLSanitizer.isSafeLink(url) == safe)
  }

  @Test("embedded JSON cannot end a script element or open a comment")
  func embeddedJSON() {
    let json = #"{"title":"</script><script>alert(1)</script><!--","x":"a&b"}"#
    let escaped = EmbeddedJSON.escaped(json)
    #expect(!escaped.contains("<") && !escaped.contains(">") && !escaped.contains("&"))
    #expect(
      escaped
        == #"{"title":"\u003c/script\u003e\u003cscript\u003ealert(1)\u003c/script\u003e\u003c!--","x":"a\u0026b"}"#)
  }
}
