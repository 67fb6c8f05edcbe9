import BoardCore
import BoardEngine
import BoardSpec
import BoardTesting
import Foundation
import Testing

/// Configuration from a pull request is untrusted: its paths stay inside the repository, and no
/// output may overwrite the state, the configuration, the keys or another board's output.
@Suite("Paths in the configuration")
struct RepositoryPathsTests {
  /// A repository with a careers site in `public/careers` and an Indeed feed at `second`.
  func load(
    careers: String = "public/careers", feed: String = "public/indeed.xml", layout: String? = nil,
    prepare: (TemporaryFolder) throws -> Void = { _ in }
  ) throws -> [String] {
    let folder = TemporaryFolder()
    let keys = TemporaryFolder()
    folder.write(
      "boards.d/boards.yaml",
      """
      kind: Workspace
      name: acme
      organization: {name: Acme, url: https://acme.example}
      ---
      kind: Board
      name: careers
      platform: careers-site
      settings: {output: "\(careers)", base_url: https://a.example\(layout.map { ", layout: \"\($0)\"" } ?? "")}
      ---
      kind: Board
      name: indeed
      platform: indeed-feed
      settings: {output: "\(feed)"}
      """)
    try prepare(folder)
    let project = ProjectLayout(
      configDirectory: folder.path + "/boards.d", currentDirectory: folder.path, keyFolder: keys.path)
    do {
      _ = try CheckedWorkspace.load(project)
      return []
    } catch EngineError.invalidConfiguration(let diagnostics) {
      return diagnostics.filter { $0.severity == .error }.map {
        "\($0.location?.line ?? 0):\($0.location?.column ?? 0): \($0.message)"
      }
    }
  }

  @Test(
    "two boards may not write to the same place or inside each other",
    arguments: [
      ("public/careers", "public/careers", true), ("public/careers", "public/careers/indeed.xml", true),
      ("./public/careers/", "public/careers", true), ("public/careers", "public/careers-eu", false),
      ("public/careers", "public/indeed.xml", false),
    ])
  func overlap(careers: String, feed: String, overlaps: Bool) throws {
    let errors = try load(careers: careers, feed: feed)
    #expect(errors.contains { $0.contains("overlaps board 'careers'") } == overlaps, "\(errors)")
  }

  @Test(
    "an output may not be the state, the configuration, boardctl's folder or git's",
    arguments: [".boardctl/state.db", ".boardctl", "boards.d", "boards.d/boards.yaml", ".git/config", ".", "public/.."])
  func protectedOutputs(feed: String) throws {
    let errors = try load(feed: feed)
    #expect(errors.count == 1, "\(errors)")
    #expect(errors.first?.hasPrefix("13:") == true && errors.first?.contains("board 'indeed' writes to") == true)
  }

  @Test("a path outside the repository is refused at its position, however it is written")
  func outside() throws {
    for feed in ["/tmp/indeed.xml", "../indeed.xml", "public/../../indeed.xml", "~/indeed.xml"] {
      let errors = try load(feed: feed)
      #expect(errors.first?.hasPrefix("13:20: 'settings.output' ") == true, "\(feed): \(errors)")
      #expect(errors.first?.contains("paths in the configuration stay inside the repository") == true)
    }
    let layouts = try load(layout: "/proc/self/environ")
    #expect(layouts.first?.contains("'settings.layout' is absolute ('/proc/self/environ')") == true, "\(layouts)")
  }

  @Test("symbolic links are followed: one that leads outside, or onto another board's output, is refused")
  func symlinks() throws {
    let outside = TemporaryFolder()
    let leading = try load(feed: "public/link/indeed.xml") { folder in
      try FileManager.default.createDirectory(atPath: folder.path + "/public", withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(
        atPath: folder.path + "/public/link", withDestinationPath: outside.path)
    }
    #expect(leading.first?.contains("leads outside the repository through a symbolic link") == true, "\(leading)")
    // A link to a target that does not exist yet is where writing through it would land.
    let dangling = try load(feed: "public/indeed.xml") { folder in
      try FileManager.default.createDirectory(atPath: folder.path + "/public", withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(
        atPath: folder.path + "/public/indeed.xml", withDestinationPath: outside.path + "/not-yet/indeed.xml")
    }
    #expect(dangling.first?.contains("leads outside the repository") == true, "\(dangling)")
    let onto = try load(feed: "public/alias/indeed.xml") { folder in
      try FileManager.default.createDirectory(
        atPath: folder.path + "/public/careers", withIntermediateDirectories: true)
      try FileManager.default.createSymbolicLink(
        atPath: folder.path + "/public/alias", withDestinationPath: folder.path + "/public/careers")
    }
    #expect(onto.first?.contains("overlaps board 'careers''s output") == true, "\(onto)")
  }
}
