import BoardSpec
import BoardTesting
import Testing

/// Platforms as the loader sees them in these tests: ids and settings schemas only.
let testPlatforms = [
  PlatformDescriptor(
    id: "careers-site", summary: "",
    settings: ObjectSchema(
      "careers-site settings",
      [FieldSchema("output", .string(.path), required: true, ""), FieldSchema("base_url", .string(.url), "")]),
    needsCredential: false),
  PlatformDescriptor(id: "indeed-feed", summary: "", settings: ObjectSchema("s", []), needsCredential: false),
  PlatformDescriptor(
    id: "remote-ats", summary: "", settings: ObjectSchema("s", []), needsCredential: true, credentialFields: ["token"]),
]

let preamble = """
  kind: Board
  name: careers
  platform: careers-site
  settings: {output: public}
  ---
  kind: Template
  name: standard
  title: "{{title}}"
  ---

  """

func load(_ text: String, file: String = "boards.d/a.yaml") -> ConfigLoader.Result {
  ConfigLoader(platforms: testPlatforms).load(files: [(file, text)])
}

/// Loads `prefix` + the case's document and expects one error containing its message, at its
/// marker, with its note.
func expectReported(
  _ testCase: DiagnosticCase, after prefix: String, by load: (String) -> ConfigLoader.Result,
  sourceLocation: Testing.SourceLocation = #_sourceLocation
) {
  let marked = MarkedText(prefix + testCase.document)
  let result = load(marked.text)
  #expect(result.config == nil, sourceLocation: sourceLocation)
  let match = result.diagnostics.first { $0.message.contains(testCase.message) }
  #expect(
    match != nil, "no diagnostic containing \(testCase.message) in \(result.diagnostics)",
    sourceLocation: sourceLocation)
  guard let match else { return }
  #expect(
    match.location?.description == marked.location("!", file: "boards.d/a.yaml"), sourceLocation: sourceLocation)
  if let note = testCase.note {
    #expect(match.notes.contains { $0.contains(note) }, "notes: \(match.notes)", sourceLocation: sourceLocation)
  }
  #expect(match.severity == .error, sourceLocation: sourceLocation)
}

struct DiagnosticCase: CustomTestStringConvertible, Sendable {
  var name: String
  /// The document, after the shared preamble; `⟨!⟩` marks where the error must point.
  var document: String
  /// A fragment the message must contain.
  var message: String
  var note: String? = nil
  var testDescription: String { name }
}

@Suite("Loader diagnostics: one per class of mistake, at the exact position")
struct LoaderDiagnosticsTests {
  static let cases: [DiagnosticCase] = [
    DiagnosticCase(
      name: "unknown key with suggestion",
      document: "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers]\n⟨!⟩descripton: x\n",
      message: "unknown key 'descripton' in Posting", note: "did you mean 'description'?"),
    DiagnosticCase(
      name: "unknown nested key",
      document:
        "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers]\nlocation: {city: Suva, ⟨!⟩contry: FJ}\n",
      message: "unknown key 'location.contry' in Location", note: "did you mean 'country'?"),
    DiagnosticCase(
      name: "wrong type",
      document:
        "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers]\nsalary: {min: ⟨!⟩lots, currency: FJD, period: year}\n",
      message: "'salary.min' must be a number; found a string"),
    DiagnosticCase(
      name: "list expected",
      document: "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: ⟨!⟩careers\n",
      message: "'boards' must be a list; found a string"),
    DiagnosticCase(
      name: "bad enum value",
      document:
        "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers]\nemployment_type: ⟨!⟩fulltime\n",
      message: "'employment_type' must be one of full_time", note: "did you mean 'full_time'?"),
    DiagnosticCase(
      name: "missing required key",
      document: "⟨!⟩kind: Posting\nname: a\ntitle: T\nboards: [careers]\n",
      message: "missing required key 'description' in Posting"),
    DiagnosticCase(
      name: "missing required nested key",
      document:
        "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers]\nsalary: ⟨!⟩{min: 1, period: year}\n",
      message: "missing required key 'salary.currency' in Salary"),
    DiagnosticCase(
      name: "duplicate key",
      document: "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers]\n⟨!⟩title: again\n",
      message: "duplicate key 'title'", note: "first defined at boards.d/a.yaml:12:1"),
    DiagnosticCase(
      name: "duplicate name",
      document: "kind: Template\nname: ⟨!⟩standard\n",
      message: "duplicate Template name 'standard'", note: "first defined at boards.d/a.yaml:7:7"),
    DiagnosticCase(
      name: "dangling board reference",
      document: "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers, ⟨!⟩carers]\n",
      message: "'boards[1]' refers to Board 'carers', which is not defined", note: "did you mean 'careers'?"),
    DiagnosticCase(
      name: "dangling template reference",
      document: "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers]\ntemplate: ⟨!⟩fancy\n",
      message: "'template' refers to Template 'fancy', which is not defined"),
    DiagnosticCase(
      name: "override key names an unknown board",
      document:
        "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers]\noverrides:\n  ⟨!⟩indeed: {title: X}\n",
      message: "refers to Board 'indeed', which is not defined"),
    DiagnosticCase(
      name: "unknown kind",
      document: "kind: ⟨!⟩Postin\nname: a\n",
      message: "unknown kind 'Postin'; the kinds are Workspace, Board, Template, Posting",
      note: "did you mean 'Posting'?"),
    DiagnosticCase(
      name: "document without kind",
      document: "⟨!⟩name: a\ntitle: x\n",
      message: "document has no 'kind'"),
    DiagnosticCase(
      name: "unknown platform",
      document: "kind: Board\nname: b\nplatform: ⟨!⟩careers-sit\n",
      message: "unknown platform 'careers-sit'; available: careers-site, indeed-feed",
      note: "did you mean 'careers-site'?"),
    DiagnosticCase(
      name: "platform settings are checked per platform",
      document: "kind: Board\nname: b\nplatform: careers-site\nsettings: {output: x, ⟨!⟩baseurl: y}\n",
      message: "unknown key 'settings.baseurl' in careers-site settings", note: "did you mean 'base_url'?"),
    DiagnosticCase(
      name: "bad name",
      document: "kind: Posting\nname: ⟨!⟩Backend_Engineer\ntitle: T\ndescription: D\nboards: [careers]\n",
      message: "'name' must be lowercase letters, digits and '-'"),
    DiagnosticCase(
      name: "bad country code",
      document:
        "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers]\nlocation: {country: ⟨!⟩fj}\n",
      message: "ISO 3166-1 alpha-2 country code", note: "did you mean 'FJ'?"),
    DiagnosticCase(
      name: "bad currency",
      document:
        "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers]\nsalary: {min: 1, currency: ⟨!⟩FJX, period: year}\n",
      message: "ISO 4217 currency code"),
    DiagnosticCase(
      name: "bad date",
      document:
        "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers]\nvalid_through: ⟨!⟩2027-02-30\n",
      message: "must be a date written YYYY-MM-DD"),
    DiagnosticCase(
      name: "relative URL",
      document: "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers]\napply_url: ⟨!⟩/apply\n",
      message: "must be an absolute http(s) URL"),
    DiagnosticCase(
      name: "YAML syntax error",
      document: "kind: Posting\nname: a\ntitle: [unclosed\n⟨!⟩",
      message: "invalid YAML: did not find expected ',' or ']'", note: "while parsing a flow sequence"),
    DiagnosticCase(
      name: "tab indentation",
      document: "kind: Posting\nname: a\nlocation:\n⟨!⟩\tcity: Suva\n",
      message: "invalid YAML", note: "tabs are not allowed"),
    DiagnosticCase(
      name: "second Workspace",
      document: "kind: Workspace\nname: one\n---\n⟨!⟩kind: Workspace\nname: two\n",
      message: "only one Workspace document is allowed"),
    DiagnosticCase(
      name: "document that is not a mapping",
      document: "⟨!⟩- just\n- a list\n",
      message: "a document must be a mapping"),
    DiagnosticCase(
      name: "board listed twice",
      document: "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers, ⟨!⟩careers]\n",
      message: "board 'careers' is listed twice"),
    DiagnosticCase(
      name: "remote board without a credential",
      document: "kind: Board\nname: ats\n⟨!⟩platform: remote-ats\n",
      message: "board 'ats' (remote-ats) needs a credential: add credential: NAME"),
    DiagnosticCase(
      name: "dangling credential reference",
      document: "kind: Board\nname: ats\nplatform: remote-ats\ncredential: ⟨!⟩manatal\n",
      message: "'credential' refers to Credential 'manatal', which is not defined"),
    DiagnosticCase(
      name: "credential without the field the platform needs",
      document:
        "kind: Board\nname: ats\nplatform: remote-ats\ncredential: ⟨!⟩manatal\n---\nkind: Credential\nname: manatal\nfields:\n  api_key: {sealed_at: x, ciphertexts: {}}\n",
      message: "board 'ats' (remote-ats) needs field 'token' in credential 'manatal'"),
    DiagnosticCase(
      name: "file board given a credential",
      document: "kind: Board\nname: b\nplatform: careers-site\ncredential: ⟨!⟩token\nsettings: {output: x}\n",
      message: "writes files and takes no credential"),
    DiagnosticCase(
      name: "control character written as an escape in a value",
      document: "kind: Posting\nname: a\ntitle: ⟨!⟩\"Engineer \\e]0;pwned\\a\"\ndescription: D\nboards: [careers]\n",
      message: "the value contains the control character U+001B, which XML and HTML cannot carry; remove it"),
    DiagnosticCase(
      name: "noncharacter in a value",
      document: "kind: Posting\nname: a\ntitle: T\ndescription: ⟨!⟩\"D \\uFFFF\"\nboards: [careers]\n",
      message: "the value contains the noncharacter U+FFFF"),
    DiagnosticCase(
      name: "C1 control character in a nested value",
      document:
        "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers]\nlocation: {city: ⟨!⟩\"Su\\x9Bva\"}\n",
      message: "the value contains the control character U+009B"),
    DiagnosticCase(
      name: "control character in a key",
      document: "kind: Posting\nname: a\ntitle: T\ndescription: D\nboards: [careers]\n⟨!⟩\"ti\\x01tle\": x\n",
      message: "the key contains the control character U+0001"),
    DiagnosticCase(
      name: "control character written raw",
      document: "kind: Posting\nname: a\ntitle: Back⟨!⟩\u{7}end\ndescription: D\nboards: [careers]\n",
      message: "the file contains the control character U+0007, which YAML does not allow; remove it"),
  ]

  @Test("reports the mistake at its position", arguments: cases)
  func reports(_ testCase: DiagnosticCase) {
    expectReported(testCase, after: preamble, by: { load($0) })
  }

  @Test("a misspelled required key is one problem, not an unknown key and a missing one")
  func nearMissRequired() {
    let marked = MarkedText(preamble + "kind: Posting\nname: a\n⟨!⟩tittle: T\ndescription: D\nboards: [careers]\n")
    let result = load(marked.text)
    let errors = result.diagnostics.filter { $0.severity == .error }
    #expect(errors.count == 1, "\(errors)")
    #expect(errors.first?.message == "unknown key 'tittle' in Posting; 'title' is required and missing")
    #expect(errors.first?.notes == ["did you mean 'title'?"])
    #expect(errors.first?.location?.description == marked.location("!", file: "boards.d/a.yaml"))
  }

  @Test("a key indented into a block scalar is warned about at its line; text that merely has a colon is not")
  func keyInBlockScalar() {
    let marked = MarkedText(
      preamble
        + "kind: Posting\nname: a\ntitle: T\ndescription: |\n  Build things.\n  Note: not a key.\n⟨!⟩  employment_type: part_time\nboards: [careers]\n"
    )
    let result = load(marked.text)
    #expect(result.config != nil, "a warning, not an error: \(result.diagnostics)")
    let warnings = result.diagnostics.filter { $0.severity == .warning }
    #expect(warnings.count == 1, "\(warnings)")
    #expect(warnings.first?.message.hasPrefix("'employment_type:' is indented into the text of 'description'") == true)
    #expect(warnings.first?.location?.description == marked.location("!", file: "boards.d/a.yaml"))
  }

  @Test("one YAML syntax error is one error: what its file defines is not reported missing elsewhere")
  func syntaxErrorDoesNotCascade() {
    let boards = "kind: Board\nname: careers\nplatform: careers-site\nsettings: {output: public/careers\n"
    var postings = ""
    for index in 0..<5 {
      postings += "kind: Posting\nname: p\(index)\ntitle: T\ndescription: D\nboards: [careers]\n---\n"
    }
    let result = ConfigLoader(platforms: testPlatforms).load(files: [
      ("boards.d/boards.yaml", boards), ("boards.d/postings.yaml", postings),
    ])
    #expect(result.config == nil)
    #expect(result.diagnostics.count == 1, "\(result.diagnostics)")
    #expect(result.diagnostics.first?.message.hasPrefix("invalid YAML") == true)
    #expect(result.diagnostics.first?.location?.file == "boards.d/boards.yaml")
  }

  @Test("collects every problem of every document in one run, sorted by position")
  func collectsEverything() {
    let text =
      preamble + """
        kind: Posting
        name: a
        title: T
        descripton: D
        boards: [careers]
        ---
        kind: Posting
        name: b
        title: T
        description: D
        boards: [nowhere]
        employment_type: sometimes
        """
    let result = load(text)
    // `descripton` (one problem: it names the missing `description`), an unknown board, a bad value.
    #expect(result.diagnostics.count == 3, "\(result.diagnostics)")
    let lines = result.diagnostics.compactMap(\.location?.line)
    #expect(lines == lines.sorted())
  }

  @Test("the Yams duplicate-key text, which embeds the document, never reaches a message")
  func duplicateKeyMessageIsShort() {
    let secret = "a line only the document holds"
    let result = load("kind: Posting\nname: a\ntitle: T\ndescription: \(secret)\ntitle: U\n")
    for diagnostic in result.diagnostics {
      #expect(!diagnostic.description.contains(secret))
    }
  }

  @Test("a valid configuration decodes into the typed model")
  func decodes() throws {
    let text =
      preamble + """
        kind: Posting
        name: backend
        title: Backend Engineer
        description: |
          Build things.
        employment_type: full_time
        location: {city: Suva, country: FJ, postal_code: 679, remote: false}
        salary: {min: 40000, max: 60_000, currency: FJD, period: year}
        valid_through: 2027-01-31
        apply_url: https://acme.example/apply
        boards: [careers]
        overrides:
          careers: {title: Backend Engineer (Swift)}
        lifecycle: {on_remove: delete}
        """
    let result = load(text)
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    let posting = try #require(result.config?.postings.first)
    #expect(posting.fields.title == "Backend Engineer")
    #expect(posting.fields.description == "Build things.\n")
    #expect(posting.fields.location?.postalCode == "679")
    #expect(posting.fields.salary == Salary(min: 40000, max: 60000, currency: "FJD", period: "year"))
    #expect(posting.fields.validThrough == "2027-01-31")
    #expect(posting.overrides["careers"]?.title == "Backend Engineer (Swift)")
    #expect(posting.onRemove == .delete)
    #expect(result.config?.board(named: "careers")?.settings?["output"]?.string == "public")
  }

  @Test("quoted scalars stay strings: a quoted 'yes' is a title, not a boolean")
  func quotedScalars() throws {
    let result = load(preamble + "kind: Posting\nname: a\ntitle: 'yes'\ndescription: \"123\"\nboards: [careers]\n")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(result.config?.postings.first?.fields.title == "yes")
  }

  @Test("tab, newline and carriage return are legitimate in a value; so are bidi and other characters")
  func allowedCharacters() throws {
    let result = load(
      preamble
        + "kind: Posting\nname: a\ntitle: \"a\\tb\\r\\nc \\u202E\\u00A0é€😀\"\ndescription: D\nboards: [careers]\n")
    #expect(result.diagnostics.isEmpty, "\(result.diagnostics)")
    #expect(result.config?.postings.first?.fields.title == "a\tb\r\nc \u{202E}\u{00A0}é€😀")
  }

  @Test("an empty document after a trailing --- is ignored")
  func emptyDocument() {
    let result = load(preamble + "kind: Template\nname: other\n---\n")
    #expect(result.diagnostics.isEmpty)
    #expect(result.config?.templates.count == 2)
  }
}
