import BoardTesting
import Foundation
import Testing

/// A page in the output folder is untrusted: anyone who can commit there can plant one.
@Suite("Pages planted in the output folder")
struct UntrustedPageTests {
  @Test("a page whose tag claims another path never makes apply touch that path")
  func plantedPath() async throws {
    let folder = makeWorkspace()
    let boardctl = Boardctl(folder)
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    // A fresh runner (no state) finds a tagged page that claims the configuration as its path.
    let page = try #require(folder.read("public/careers/backend.html"))
    let planted = page.replacingOccurrences(
      of: #""path":"public\/careers\/backend.html""#, with: #""path":"boards.d\/workspace.yaml""#)
    #expect(planted != page, "the page's tag records its path")
    folder.remove("public/careers/backend.html")
    folder.write("public/careers/elsewhere.html", planted)
    folder.remove(".boardctl")
    let configuration = folder.read("boards.d/workspace.yaml")
    for _ in 0..<2 {
      let apply = try await boardctl.run("apply", "--auto-approve")
      #expect(apply.status == 0, "\(apply.stderr)")
    }
    folder.remove("boards.d/postings/backend.yaml")
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    #expect(folder.read("boards.d/workspace.yaml") == configuration)
    #expect(!folder.exists("public/careers/backend.html"), "the page state recorded is closed")
  }
}
