import BoardSupport
import Foundation
import Testing

@Suite("Text search")
struct TextSearchTests {
  @Test(
    "finds a substring as Foundation does, with and without case",
    arguments: [
      ("Senior Engineer, Suva", "Suva"), ("Senior Engineer, Suva", "suva"), ("Café Ünïcode", "ÜNÏ"),
      ("abc", ""), ("", "a"), ("aaab", "aab"), ("short", "much longer needle"), ("FJD 40,000", "FJD"),
      ("x$y", "$"), ("日本語のタイトル", "タイ"), ("ab", "b"), ("ab", "ba"),
    ])
  func agreesWithFoundation(text: String, needle: String) {
    #expect(TextSearch.contains(needle, in: text) == (needle.isEmpty || text.contains(needle)))
    #expect(
      TextSearch.contains(needle, in: text, ignoringCase: true)
        == (needle.isEmpty || text.localizedCaseInsensitiveContains(needle)))
  }

  @Test("bridged (non-native) strings are searched too")
  func bridged() {
    let text = NSString(string: "Remote in Suva") as String
    #expect(TextSearch.contains("Suva", in: text))
    #expect(!TextSearch.contains("Nadi", in: text))
  }
}
