import BoardSupport
import Testing

@Suite("Character escapes")
struct CharacterEscapesTests {
  static let escapes = CharacterEscapes(["\r": "\\r", "\n": "\\n", "<": "&lt;", "\0": ""])

  @Test(
    "only the listed characters change; every other character, multi-byte ones included, is kept",
    arguments: [
      ("plain", "plain"),
      ("a\r\nb", "a\\r\\nb"),  // one Character, two escapes
      ("<é日本🙂>", "&lt;é日本🙂>"),
      ("nul\0gone", "nulgone"),
      ("", ""),
    ])
  func escapes(text: String, expected: String) {
    #expect(Self.escapes(text) == expected)
  }

  @Test("HTML escaping covers text and both quotes")
  func html() {
    #expect(
      CharacterEscapes.html(#"<a href="x" title='y'>&</a>"#)
        == "&lt;a href=&quot;x&quot; title=&#39;y&#39;&gt;&amp;&lt;/a&gt;")
  }
}
