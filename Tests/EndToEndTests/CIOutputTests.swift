import BoardTesting
import Foundation
import Testing

/// What CI shows for a broken configuration: annotations on the file and line, and a JSON or
/// Markdown document on stdout, so a pull-request comment is never empty.
@Suite("Configuration errors in CI formats")
struct CIOutputTests {
  static func broken() -> TemporaryFolder {
    let folder = makeWorkspace()
    let backend = folder.read("boards.d/postings/backend.yaml")!
    folder.write(
      "boards.d/postings/backend.yaml", backend.replacingOccurrences(of: "[careers, indeed]", with: "[carers]"))
    return folder
  }

  @Test("--format github: one annotation per problem, on the file and line, relative to the repository")
  func github() async throws {
    let folder = Self.broken()
    for command in ["validate", "plan"] {
      let run = try await Boardctl(folder).run(command, "--format", "github")
      #expect(run.status == 1)
      let lines = run.stdout.split(separator: "\n")
      #expect(
        lines.contains {
          $0.hasPrefix("::error file=boards.d/postings/backend.yaml,line=")
            && $0.contains("title=boardctl \(command)::")
            && $0.contains("refers to Board 'carers'")
        }, "\(run.stdout)")
      #expect(lines.last?.hasPrefix("::error title=boardctl \(command)::") == true, "\(run.stdout)")
      #expect(!run.stdout.contains("\u{1B}"), "no colour in annotations")
    }
  }

  @Test("--format json and markdown: a failed plan still prints a document")
  func documents() async throws {
    let folder = Self.broken()
    let json = try await Boardctl(folder).run("plan", "--format", "json")
    #expect(json.status == 1)
    let object = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
    #expect(object["valid"] as? Bool == false)
    let entries = try #require(object["diagnostics"] as? [[String: Any]])
    #expect(entries.first?["file"] as? String == "boards.d/postings/backend.yaml")
    #expect(json.stderr.contains("error:"), "the log keeps the text")

    let markdown = try await Boardctl(folder).run("plan", "--format", "markdown")
    #expect(markdown.status == 1)
    #expect(markdown.stdout.hasPrefix("### boardctl plan failed"), "\(markdown.stdout)")
    #expect(markdown.stdout.contains("`boards.d/postings/backend.yaml:"), "\(markdown.stdout)")

    let valid = try await Boardctl(makeWorkspace()).run("validate", "--format", "json")
    #expect(valid.status == 0)
    let document = try #require(try JSONSerialization.jsonObject(with: Data(valid.stdout.utf8)) as? [String: Any])
    #expect(document["valid"] as? Bool == true)
  }
}

@Suite("Warnings at scale")
struct GroupedWarningTests {
  @Test("one rule broken by many postings is one line with a count and examples; --verbose lists each")
  func grouped() async throws {
    let folder = makeWorkspace()
    var text = ""
    for index in 0..<40 {
      text += """
        kind: Posting
        name: noregion-\(index)
        title: Engineer \(index)
        description: Posting \(index).
        employment_type: full_time
        valid_through: 2027-06-30
        location: {city: Suva, country: FJ}
        apply_url: https://acme.example/apply/\(index)
        boards: [indeed]
        ---

        """
    }
    folder.write("boards.d/postings/noregion.yaml", text)
    let grouped = try await Boardctl(folder).run("validate")
    #expect(grouped.status == 0, "\(grouped.stderr)")
    let lines = grouped.stderr.split(separator: "\n")
    let rule = "40 postings: on board 'indeed' (indeed-feed): Indeed expects <state>: set location.region"
    #expect(lines.filter { $0.contains("Indeed expects <state>") }.count == 1, "\(grouped.stderr)")
    #expect(lines.contains { $0.hasSuffix("warning: " + rule) }, "\(grouped.stderr)")
    #expect(grouped.stderr.contains("note: e.g. posting 'noregion-0' at "))
    #expect(grouped.stderr.contains("note: and 37 more; --verbose lists each"))
    let verbose = try await Boardctl(folder).run("validate", "--verbose")
    #expect(verbose.stderr.split(separator: "\n").filter { $0.contains("Indeed expects <state>") }.count == 40)
    let json = try await Boardctl(folder).run("validate", "--format", "json")
    #expect(json.stdout.components(separatedBy: "Indeed expects <state>").count == 41)
  }
}
