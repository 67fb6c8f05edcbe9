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
