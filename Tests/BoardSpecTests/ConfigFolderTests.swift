import BoardSpec
import BoardTesting
import Foundation
import Testing

@Suite("Reading the config folder")
struct ConfigFolderTests {
  @Test("a folder that does not exist is one clear error without a position")
  func missingFolder() {
    let result = ConfigLoader(platforms: testPlatforms).load(directory: "/nonexistent/boards.d")
    #expect(result.config == nil)
    #expect(result.diagnostics.count == 1)
    #expect(result.diagnostics[0].message == "config folder '/nonexistent/boards.d' does not exist")
    #expect(result.diagnostics[0].location == nil)
  }

  @Test("a file given as the folder is an error")
  func fileNotFolder() {
    let folder = TemporaryFolder()
    let file = folder.write("boards.yaml", "kind: Template\nname: t\n")
    let result = ConfigLoader(platforms: testPlatforms).load(directory: file)
    #expect(result.diagnostics.first?.message.contains("is a file") == true)
  }

  /// Loads `boards.d` holding one template at `template` and a symbolic link at `link` (both
  /// relative to boards.d) pointing at `target` (relative to the folder).
  func loadWithLink(template: String, link: String, to target: String, in folder: TemporaryFolder) throws
    -> ConfigLoader.Result
  {
    folder.write("boards.d/" + template, "kind: Template\nname: t\n")
    try FileManager.default.createSymbolicLink(
      atPath: folder.path + "/boards.d/" + link, withDestinationPath: folder.path + "/" + target)
    return ConfigLoader(platforms: testPlatforms).load(directory: folder.path + "/boards.d")
  }

  @Test("a link back up the tree is followed once: loading ends and reads each file once")
  func symlinkCycle() throws {
    let result = try loadWithLink(template: "a/t.yaml", link: "a/loop", to: "boards.d", in: TemporaryFolder())
    let config = try #require(result.config, "\(result.diagnostics)")
    #expect(config.files.count == 1)
  }

  @Test("a YAML file that cannot be read is an error naming it, never skipped")
  func danglingYAML() throws {
    let folder = TemporaryFolder()
    let result = try loadWithLink(template: "t.yaml", link: "postings.yaml", to: "gone.yaml", in: folder)
    #expect(result.config == nil)
    #expect(
      result.diagnostics.map(\.message) == [
        "cannot read '\(folder.path)/boards.d/postings.yaml': it is a link to something that does not exist"
      ])
  }

  @Test("a folder holding far more than a configuration is refused instead of walked for ever")
  func tooManyFolders() throws {
    let folder = TemporaryFolder()
    var loader = ConfigLoader(platforms: testPlatforms)
    loader.folderLimit = 20
    for index in 0..<19 { folder.write("boards.d/f\(index)/t.yaml", "kind: Template\nname: t\(index)\n") }
    #expect(loader.load(directory: folder.path + "/boards.d").config != nil, "19 folders and the top one: 20")
    folder.write("boards.d/f19/t.yaml", "kind: Template\nname: t19\n")
    let result = loader.load(directory: folder.path + "/boards.d")
    #expect(result.config == nil)
    #expect(result.diagnostics.first?.message.contains("holds more than 20 folders") == true, "\(result.diagnostics)")
  }

  @Test("reads .yaml and .yml files in subfolders in byte order, skipping hidden ones and other files")
  func fileOrder() throws {
    let folder = TemporaryFolder()
    folder.write("boards.d/z.yaml", "kind: Template\nname: z\n")
    folder.write("boards.d/a/b.yml", "kind: Template\nname: b\n")
    folder.write("boards.d/B.yaml", "kind: Template\nname: upper\n")
    folder.write("boards.d/.hidden.yaml", "this: is not read\n")
    folder.write("boards.d/.git/x.yaml", "nor: this\n")
    folder.write("boards.d/notes.txt", "nor this")
    let result = ConfigLoader(platforms: testPlatforms).load(directory: folder.path + "/boards.d")
    let config = try #require(result.config)
    #expect(config.files.map { String($0.dropFirst(folder.path.count + 10)) } == ["B.yaml", "a/b.yml", "z.yaml"])
    #expect(config.templates.map(\.name) == ["upper", "b", "z"])
  }

  @Test("positions use the folder path as the user typed it")
  func relativePaths() throws {
    let folder = TemporaryFolder()
    folder.write("boards.d/x.yaml", "kind: Template\nname: t\nbogus: 1\n")
    // Tests run in parallel, so no changing directory: the path given is the path reported.
    let result = ConfigLoader(platforms: testPlatforms).load(directory: folder.path + "/boards.d")
    #expect(result.diagnostics.first?.location?.file == folder.path + "/boards.d/x.yaml")
  }

  @Test("the content digest changes with any byte of any file, and only then")
  func digest() {
    let folder = TemporaryFolder()
    folder.write("boards.d/x.yaml", "kind: Template\nname: t\n")
    let loader = ConfigLoader(platforms: testPlatforms)
    let first = loader.load(directory: folder.path + "/boards.d").config?.contentDigest
    let again = loader.load(directory: folder.path + "/boards.d").config?.contentDigest
    folder.write("boards.d/x.yaml", "kind: Template\nname: t\n# comment\n")
    let changed = loader.load(directory: folder.path + "/boards.d").config?.contentDigest
    #expect(first != nil)
    #expect(first == again)
    #expect(first != changed)
  }

  @Test("a file that is not UTF-8 is reported, not crashed on")
  func binaryFile() {
    let folder = TemporaryFolder()
    let path = folder.path + "/boards.d/bad.yaml"
    try? FileManager.default.createDirectory(atPath: folder.path + "/boards.d", withIntermediateDirectories: true)
    #expect(FileManager.default.createFile(atPath: path, contents: Data([0xff, 0xfe, 0x00, 0xc3])))
    let result = ConfigLoader(platforms: testPlatforms).load(directory: folder.path + "/boards.d")
    #expect(result.config == nil)
    #expect(result.diagnostics.first?.location?.file == path)
  }
}
