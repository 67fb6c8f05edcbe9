import BoardSpec
import Testing

@Suite("Plain scalars resolve as YAML 1.1 does")
struct ScalarKindTests {
  @Test(
    arguments: [
      ("", YAMLValue.ScalarKind.null), ("~", .null), ("null", .null), ("yes", .bool), ("Off", .bool),
      ("true", .bool), ("0", .int), ("-12", .int), ("60_000", .int), ("0x1F", .int), ("0b101", .int),
      ("679", .int), ("1.5", .float), ("-0.5e3", .float), (".5", .float), (".inf", .float), (".NaN", .float),
      ("1e5", .float), ("2027-01-31", .timestamp), ("2027-1-5", .timestamp), ("2027-01-31T10:00:00Z", .timestamp),
      ("Suva", .string), ("1.2.3", .string), ("-", .string), ("12abc", .string), ("+", .string),
      ("2027-01-31x", .string), ("06:30", .string),
    ])
  func resolves(text: String, kind: YAMLValue.ScalarKind) {
    #expect(YAMLValue.ScalarKind(plain: text) == kind)
  }
}
