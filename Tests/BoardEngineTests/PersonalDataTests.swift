import BoardEngine
import Testing

@Suite("Personal data in what boardctl prints")
struct PersonalDataTests {
  @Test("a plain email keeps its domain; anything else shows only its first character")
  func masks() {
    #expect(PersonalData.mask("ana@example.org") == "a•••@e•••.org")
    #expect(PersonalData.mask("Ana Tui") == "A•••")
    #expect(PersonalData.mask("@ana@example.org +679 555") == "@•••", "a template cannot smuggle values past the @")
    #expect(PersonalData.mask("ana tui@example.org") == "a•••")
    #expect(PersonalData.mask("") == "")
  }

  @Test("a platform's words are redacted of the record's values, also percent-encoded in a URL")
  func redacts() {
    let words = PersonalData.redact(
      "GET https://api.example/candidates/?email=ana%40example%2Eorg answered 400: Ana@Example.org is taken",
      values: ["ana@example.org", "ab"])
    #expect(!words.lowercased().contains("ana@example.org") && !words.contains("ana%40"), "\(words)")
    #expect(words.contains("a•••@e•••.org"))
  }
}
