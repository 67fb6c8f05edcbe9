import Testing

@testable import BoardPlatforms

/// A feed with `jobs` (element text as written, markup and all) inside the usual envelope.
func feed(_ jobs: String) -> String {
  "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<source>\n<publisher><![CDATA[Acme]]></publisher>\n\(jobs)</source>\n"
}

@Suite("Reading the Indeed feed back")
struct IndeedFeedParserTests {
  @Test("markup inside CDATA is text: no job is invented and no element ends early")
  func markupInCDATA() throws {
    let text = feed(
      "<job>\n<title><![CDATA[Engineer </title></job><job><title>Fake]]></title>\n<referencenumber><![CDATA[a]]></referencenumber>\n</job>\n"
    )
    let jobs = try #require(IndeedFeedParser.jobs(in: text))
    #expect(jobs == [["title": "Engineer </title></job><job><title>Fake", "referencenumber": "a"]])
  }

  @Test("a value's ]]> split across two CDATA sections reads back whole")
  func splitTerminator() throws {
    let value = "x ]]> y ]]]]> z"
    let text = feed("<job><title>\(Escape.cdata(value))</title></job>")
    #expect(text.contains("]]]]><![CDATA[>"))
    #expect(try #require(IndeedFeedParser.jobs(in: text)) == [["title": value]])
  }

  @Test("entity and character references are decoded; white space around plain text is layout")
  func references() throws {
    let text = feed("<job>\n  <title>\n    R&amp;D &lt;lead&gt; &#233;&#x20AC; &quot;&apos;\n  </title>\n</job>")
    #expect(try #require(IndeedFeedParser.jobs(in: text)) == [["title": "R&D <lead> é€ \"'"]])
  }

  @Test("comments, processing instructions and attributes are skipped")
  func skipped() throws {
    let text = feed("<!-- <job> --><job id=\"a>b\" lang='x/y'><?pi <job>?><title>T</title><empty/></job>")
    #expect(try #require(IndeedFeedParser.jobs(in: text)) == [["title": "T", "empty": ""]])
  }

  @Test(
    "what is not well-formed XML is not a feed boardctl can read",
    arguments: [
      ("unclosed job", feed("<job><title>T</title>")),
      ("mismatched end tag", feed("<job><title>T</job></title>")),
      ("unterminated CDATA", feed("<job><title><![CDATA[T</title></job>")),
      ("a stray ]]> in text", feed("<job><title>a ]]> b</title></job>")),
      ("an unknown entity", feed("<job><title>&nbsp;</title></job>")),
      ("a reference to a control character", feed("<job><title>&#27;</title></job>")),
      ("a raw control character", feed("<job><title><![CDATA[a\u{1B}b]]></title></job>")),
      ("U+FFFF", feed("<job><title>a\u{FFFF}</title></job>")),
      ("a DOCTYPE", "<!DOCTYPE source [<!ENTITY x \"y\">]>" + feed("")),
      ("another root", "<rss></rss>"),
      ("text after the root", feed("") + "junk"),
      ("two roots", feed("") + feed("")),
      ("nothing", ""),
    ])
  func malformed(_ name: String, _ text: String) {
    #expect(IndeedFeedParser.jobs(in: text) == nil, "\(name)")
  }

  @Test("characters XML cannot carry are dropped when written, so the feed stays well-formed")
  func writerDropsForbidden() throws {
    let written = Escape.cdata("a\u{1}b\u{1B}[2J\u{FFFE}c\u{7F}\td")
    #expect(written == "<![CDATA[ab[2Jc\td]]>")
    #expect(
      try #require(IndeedFeedParser.jobs(in: feed("<job><title>\(written)</title></job>"))) == [["title": "ab[2Jc\td"]])
  }
}
