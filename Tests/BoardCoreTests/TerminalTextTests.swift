import BoardCore
import Foundation
import Testing

/// Values from the configuration or a board that try to drive a terminal: set its title, clear the
/// screen, reverse what follows, or start a line of their own.
let hostileValues = [
  "Engineer\u{1B}]0;pwned\u{07}", "\u{1B}[2J\u{1B}[H", "abc\u{202E}fed", "\u{9B}31m", "a\u{7F}b\rc",
  "\u{2066}isolated\u{2069}", "x\ny  + fake.address.line",
]

/// Every escape sequence in `text` is one of `TextStyle`'s colours.
func onlyOurColours(_ text: String) throws -> Bool {
  let escapes = text.components(separatedBy: "\u{1B}").count - 1
  return text.matches(of: try Regex(#"\x1B\[(0|1|2|31|32|33|36)m"#)).count == escapes
}

/// Whether `text` holds a character `TerminalText` escapes, newlines aside.
func holdsControls(_ text: String) -> Bool {
  text.unicodeScalars.contains { $0 != "\n" && TerminalText.needsEscaping($0) }
}

@Suite("Terminal text")
struct TerminalTextTests {
  @Test(
    "control and bidi characters are escaped as Swift writes them; other text is unchanged",
    arguments: [
      ("\u{1B}]0;pwned\u{07}", #"\u{1B}]0;pwned\u{07}"#), ("\u{1B}[2J", #"\u{1B}[2J"#), ("a\u{0}b", #"a\u{00}b"#),
      ("del\u{7F}", #"del\u{7F}"#), ("csi\u{9B}", #"csi\u{9B}"#), ("r\rn", #"r\u{0D}n"#),
      ("rlo\u{202E}", #"rlo\u{202E}"#), ("lre\u{202A}", #"lre\u{202A}"#), ("pdi\u{2069}", #"pdi\u{2069}"#),
      ("lri\u{2066}", #"lri\u{2066}"#), ("line\nbreak", #"line\u{0A}break"#), ("tab\tstays", "tab\tstays"),
      ("Café – 40 000 € 😀 \u{00A0}\u{200F}", "Café – 40 000 € 😀 \u{00A0}\u{200F}"),
    ])
  func escapes(_ text: String, _ shown: String) {
    #expect(TerminalText.escaped(text) == shown)
  }

  @Test("multi-line messages keep their newlines and nothing else")
  func keepsNewlines() {
    #expect(TerminalText.escaped("one\ntwo\u{1B}[2J\n", keepingNewlines: true) == "one\ntwo\\u{1B}[2J\n")
  }

  @Test("a plan full of hostile values shows them escaped; only the plan's own colours are escape codes")
  func textPlan() throws {
    var plan = Plan()
    plan.warnings = hostileValues
    for (index, value) in hostileValues.enumerated() {
      let address = Address(board: "careers", object: "page", name: "p\(index)\(value)")
      let long = "A long description that is diffed word by word.\n" + value + "\nand more text here"
      plan.drift.append(
        DriftEntry(
          address: address, kind: .changed,
          fields: [FieldChange(key: "title" + value, before: .string("Designer"), after: .string(value))],
          details: ["- <h1>\(value)</h1>"], kept: ["owned" + value]))
      plan.changes.append(
        PlannedChange(
          address: address, platform: "careers-site", action: .update,
          before: ["title": .string(value), "description": .string(long)],
          after: ["title": .string("Designer"), "description": .string(long + value)],
          fields: [
            FieldChange(key: "description", before: .string(long), after: .string(long + " " + value)),
            FieldChange(key: "title", before: .string(value), after: .string("Designer")),
          ], reason: "because " + value))
      plan.changes.append(
        PlannedChange(
          address: address, platform: "careers-site", action: .create, before: nil, after: ["d": .string(long)],
          fields: [FieldChange(key: "d", before: nil, after: .string(long))], reason: value))
      plan.conflicts.append(
        Conflict(
          address: address, key: value, lastApplied: .string(value), desired: .string("x"), live: .string(value)))
    }
    plan.cost = ["US\u{1B}[2JD": 10]
    let coloured = TextPlanRenderer(style: TextStyle(colour: true)).render(plan)
    #expect(try onlyOurColours(coloured))
    #expect(coloured.contains("\u{1B}[32m"), "the plan is still coloured")
    let plain = TextPlanRenderer(style: .plain).render(plan)
    #expect(!holdsControls(plain))
    #expect(plain.contains(#"Engineer\u{1B}]0;pwned\u{07}"#))
    #expect(!plain.contains("\n  + fake"), "a newline in a value cannot start a line of the plan")
    for part in MarkdownPlanRenderer.render(plan) { #expect(!holdsControls(part)) }
  }

  @Test("the JSON plan writes every control and bidi character as a JSON escape, values unchanged")
  func jsonPlan() throws {
    let address = Address(board: "careers", object: "page", name: "p")
    var plan = Plan()
    plan.warnings = hostileValues
    plan.changes = [
      PlannedChange(
        address: address, platform: "careers-site", action: .create, before: nil,
        after: Dictionary(
          uniqueKeysWithValues: hostileValues.enumerated().map { ("k\($0.offset)", AttributeValue.string($0.element)) }),
        reason: "new")
    ]
    let json = JSONPlanRenderer.render(plan)
    #expect(!holdsControls(json))
    #expect(json.contains(#"abc\u202efed"#))
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.utf8)) as? [String: Any])
    #expect(object["warnings"] as? [String] == hostileValues)
  }

  @Test("a warning in the markdown header cannot add links, HTML or code spans to the comment")
  func markdownWarning() throws {
    var plan = Plan()
    plan.warnings = ["see [here](https://evil.example) <img src=x> `code` **bold** \u{1B}[2J"]
    let header = try #require(MarkdownPlanRenderer.render(plan).first)
    #expect(
      header.contains(
        #"> **Warning:** see \[here\](https://evil.example) \<img src=x\> \`code\` \*\*bold\*\* \\u{1B}\[2J"#),
      "\(header)")
  }
}
