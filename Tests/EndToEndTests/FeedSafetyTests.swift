import BoardSupport
import BoardTesting
import Foundation
import Testing

/// Configuration from a pull request is untrusted: whatever its values hold, the Indeed feed stays
/// well-formed XML with exactly the jobs configured, and a value XML cannot carry is refused.
@Suite("The Indeed feed with hostile values")
struct FeedSafetyTests {
  /// Each posting's feed title, as Python's XML parser reads the feed: `[referencenumber: title]`.
  static func pythonTitles(_ folder: TemporaryFolder) async throws -> [String: String] {
    let script = """
      import json, xml.etree.ElementTree as ET
      root = ET.parse('public/indeed.xml').getroot()
      jobs = root.findall('job')
      print(json.dumps({job.findtext('referencenumber'): job.findtext('title') for job in jobs}))
      print(json.dumps([job.findtext('description') for job in jobs]))
      print(sum(1 for _ in root.iter('job')))
      """
    let run = try await ChildProcess("/usr/bin/env", ["python3", "-c", script], directory: folder.path).run()
    #expect(run.status == 0, "\(run.standardError)")
    let lines = run.standardOutput.split(separator: "\n")
    try #require(lines.count == 3, "\(run.standardOutput)")
    let titles = try JSONDecoder().decode([String: String].self, from: Data(lines[0].utf8))
    let descriptions = try JSONDecoder().decode([String].self, from: Data(lines[1].utf8))
    // The Markdown renderer writes `>` as `&gt;` and passes inline HTML through; the sanitiser
    // then drops the elements it does not allow, so the markup never reaches the feed.
    #expect(descriptions.contains { $0.contains("Ends early? a ]]&gt; b") }, "\(descriptions)")
    #expect(!descriptions.contains { $0.contains("</job>") || $0.contains("CDATA") }, "\(descriptions)")
    #expect(Int(lines[2]) == titles.count, "every <job> anywhere in the feed is one of the postings")
    return titles
  }

  @Test("markup and ]]> in values apply, re-plan with no changes, and invent no jobs")
  func markupInValues() async throws {
    let folder = makeWorkspace()
    let hostile = "Engineer </title></job><job><title>Fake"
    let backend = try #require(folder.read("boards.d/postings/backend.yaml"))
    folder.write(
      "boards.d/postings/backend.yaml",
      backend.replacingOccurrences(of: "title: Backend Engineer", with: "title: \"\(hostile)\"")
        .replacingOccurrences(
          of: "You will build backend systems for the Pacific.",
          with: "Ends early? a ]]> b </description></job> <![CDATA[ c"))
    let frontend = try #require(folder.read("boards.d/postings/frontend.yaml"))
    folder.write(
      "boards.d/postings/frontend.yaml",
      frontend.replacingOccurrences(of: "title: Frontend Engineer", with: "title: \"Frontend ]]> Engineer\""))
    let boardctl = Boardctl(folder)
    let apply = try await boardctl.run("apply", "--auto-approve")
    #expect(apply.status == 0, "\(apply.stderr)")
    let feed = try #require(folder.read("public/indeed.xml"))
    #expect(feed.contains("]]]]><![CDATA[>"), "a ]]> in a value is split across two CDATA sections")
    // The same bytes with a new modification time: refresh cannot trust its stamps and parses the feed.
    folder.write("public/indeed.xml", feed)
    let again = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(again.status == 0, "\(again.stdout)\(again.stderr)")
    #expect(again.stdout.contains("No changes."))
    #expect(!again.stdout.contains("Warning"), "\(again.stdout)")
    let test = try await boardctl.run("boards", "test", "indeed")
    #expect(test.stdout.contains("writes public/indeed.xml (3 jobs now)"), "\(test.stdout)")
    let titles = try await Self.pythonTitles(folder)
    #expect(
      titles == ["backend": hostile, "analyst": "Analyst Engineer", "frontend": "Frontend ]]> Engineer"])
  }

  @Test(
    "a value holding a character XML cannot carry is refused at its position, and nothing is written",
    arguments: [
      ("\"Engineer \\e]0;pwned\\a\"", "the value contains the control character U+001B"),
      ("\"Engineer\\x01\"", "the value contains the control character U+0001"),
      ("\"Engineer \\uFFFE\"", "the value contains the noncharacter U+FFFE"),
      ("\"Engineer \\x7F\"", "the value contains the control character U+007F"),
    ])
  func controlCharacter(_ yaml: String, _ message: String) async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    try await boardctl.run("apply", "--auto-approve")
    let path = "boards.d/postings/backend.yaml"
    let marked = MarkedText(
      try #require(folder.read(path)).replacingOccurrences(
        of: "title: Backend Engineer", with: "title: ⟨!⟩\(yaml)"))
    folder.write(path, marked.text)
    let before = folder.snapshot()
    for command in [["validate"], ["plan"], ["apply", "--auto-approve"]] {
      let result = try await boardctl.run(command)
      #expect(result.status == 1, "\(command)")
      #expect(
        result.stderr.contains(
          "\(marked.location("!", file: path)): error: \(message), which XML and HTML cannot carry; remove it"),
        "\(result.stderr)")
      #expect(!result.stderr.contains("\u{1B}") && !result.stdout.contains("\u{1B}"))
      #expect(folder.snapshot() == before)
    }
  }

  @Test("a control character written raw in a file is refused at its position")
  func rawControlCharacter() async throws {
    let folder = makeWorkspace()
    let path = "boards.d/postings/backend.yaml"
    let marked = MarkedText(
      try #require(folder.read(path)).replacingOccurrences(
        of: "title: Backend Engineer", with: "title: Backend⟨!⟩\u{7}Engineer"))
    folder.write(path, marked.text)
    let result = try await Boardctl(folder).run("plan")
    #expect(result.status == 1)
    #expect(
      result.stderr.contains(
        "\(marked.location("!", file: path)): error: the file contains the control character U+0007, which YAML does not allow; remove it"
      ), "\(result.stderr)")
    #expect(!folder.exists("public"))
  }
}
