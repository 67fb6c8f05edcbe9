import BoardCore
import Testing

@Suite("Word diff")
struct WordDiffTests {
  @Test("marks only the words that changed")
  func changedWords() {
    let pieces = WordDiff.diff("You will build APIs in Swift.", "You will design APIs in Swift.")
    #expect(WordDiff.render(pieces) == "You will [-build-]{+design+} APIs in Swift.")
  }

  @Test("joining unchanged and added pieces gives the new text back")
  func reconstructs() {
    let old = "one two three four five\nsix seven"
    let new = "one 2 three five\nsix seven eight"
    let rebuilt = WordDiff.diff(old, new).map { piece -> String in
      switch piece {
      case .same(let s), .added(let s): return s
      case .removed: return ""
      }
    }.joined()
    #expect(rebuilt == new)
  }

  @Test("long unchanged stretches are elided around the change")
  func elides() {
    let words = (1...60).map { "w\($0)" }
    var changed = words
    changed[30] = "CHANGED"
    let text = WordDiff.render(WordDiff.diff(words.joined(separator: " "), changed.joined(separator: " ")))
    #expect(text.contains("[-w31-]{+CHANGED+}"))
    #expect(text.contains("…"))
    #expect(!text.contains("w2 "))
  }
}
