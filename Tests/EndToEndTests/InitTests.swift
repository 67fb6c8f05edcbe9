import BoardTesting
import Foundation
import Testing

@Suite("boardctl init")
struct InitTests {
  @Test("init scaffolds a workspace that validates, plans and applies; every file has the modeline")
  func scaffolds() async throws {
    let folder = TemporaryFolder()
    folder.write(".gitignore", "/build/")  // kept, and added to
    let boardctl = Boardctl(folder)
    let created = try await boardctl.run(
      "init", "--organization", "Acme: Pacific", "--base-url", "https://jobs.acme.example/")
    #expect(created.status == 0, "\(created.stderr)")
    for path in [
      "boards.d/workspace.yaml", "boards.d/boards.yaml", "boards.d/templates.yaml",
      "boards.d/postings/example-engineer.yaml", "schema/boards.schema.json",
    ] {
      #expect(folder.exists(path), "\(path)")
      #expect(created.stdout.contains("  \(path)\n"), "\(created.stdout)")
    }
    #expect(
      folder.read(".gitignore")?.hasPrefix("/build/\n# boardctl: local state and saved plans\n.boardctl/\n*.plan\n")
        == true)
    #expect(folder.read("boards.d/workspace.yaml")?.contains("name: \"Acme: Pacific\"") == true)
    #expect(try await RepositoryTests.checkSchema(in: folder.path, ["boards.d/**/*.yaml"]) == 5)

    let validate = try await boardctl.run("validate")
    #expect(validate.status == 0, "\(validate.stderr)")
    #expect(validate.stderr.isEmpty, "no warnings either: \(validate.stderr)")
    let plan = try await boardctl.run("plan", "--detailed-exitcode")
    #expect(plan.status == 2)
    #expect(plan.stdout.contains("Plan: 4 to add"), "\(plan.stdout)")
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let page = try #require(folder.read("public/careers/example-engineer.html"))
    #expect(page.contains("Acme: Pacific · Springfield, Oregon, United States"))
    #expect(folder.read("public/indeed.xml")?.contains("https://jobs.acme.example/example-engineer.html") == true)
  }

  @Test("init --config writes the configuration where it says, and the schema beside it at the root")
  func configFolder() async throws {
    let folder = TemporaryFolder()
    let boardctl = Boardctl(folder)
    let created = try await boardctl.run("init", "--config", "jobs.d")
    #expect(created.status == 0, "\(created.stderr)")
    #expect(folder.exists("jobs.d/postings/example-engineer.yaml") && !folder.exists("boards.d"))
    #expect(
      folder.read("jobs.d/workspace.yaml")?.hasPrefix("# yaml-language-server: $schema=../schema/boards.schema.json")
        == true)
    #expect(try await boardctl.run("validate", "--config", "jobs.d").status == 0)
  }

  @Test("init never overwrites a configuration, and refuses bad names and URLs, writing nothing")
  func refuses() async throws {
    let folder = TemporaryFolder()
    folder.write("boards.d/mine.yaml", "kind: Workspace\nname: mine\n")
    let boardctl = Boardctl(folder)
    let before = folder.snapshotWithoutSideFiles()
    let existing = try await boardctl.run("init")
    #expect(existing.status == 1)
    #expect(existing.stderr.contains("already holds a configuration (mine.yaml)"), "\(existing.stderr)")
    #expect(folder.snapshotWithoutSideFiles() == before)

    let empty = TemporaryFolder()
    for arguments in [
      ["--name", "Bad Name"], ["--base-url", "javascript:alert(1)"], ["--organization-url", "ftp://x"],
    ] {
      let result = try await Boardctl(empty).run(["init"] + arguments)
      #expect(result.status == 1, "\(arguments)")
      #expect(!empty.exists("boards.d"), "\(arguments)")
    }
  }
}
