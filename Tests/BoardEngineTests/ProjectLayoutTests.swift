import BoardEngine
import BoardTesting
import Foundation
import Testing

@Suite("Project layout")
struct ProjectLayoutTests {
  @Test("without --config, the nearest boards.d in a parent folder is used, as git finds its repository")
  func discoversParent() throws {
    let folder = TemporaryFolder()
    folder.write("boards.d/workspace.yaml", "kind: Workspace\nname: acme\n")
    folder.write("public/careers/.keep", "")
    let layout = ProjectLayout.discover(
      config: nil, environment: [:], currentDirectory: folder.path + "/public/careers")
    #expect(layout.configDirectory == "../../boards.d")
    #expect(layout.root == URL(fileURLWithPath: folder.path).standardizedFileURL.path)
    #expect(layout.resolve(".boardctl/state.db") == layout.root + "/.boardctl/state.db")
  }

  @Test("--config wins over BOARDCTL_CONFIG, which wins over discovery")
  func precedence() {
    let environment = ["BOARDCTL_CONFIG": "/srv/acme/boards.d"]
    #expect(
      ProjectLayout.discover(config: "x/boards.d", environment: environment, currentDirectory: "/tmp").configDirectory
        == "x/boards.d")
    #expect(ProjectLayout.discover(config: nil, environment: environment, currentDirectory: "/tmp").root == "/srv/acme")
  }

  @Test("with no boards.d anywhere, the layout names ./boards.d (loading then says it is missing)")
  func nothingFound() {
    let folder = TemporaryFolder()
    let layout = ProjectLayout.discover(config: nil, environment: [:], currentDirectory: folder.path)
    #expect(layout.configDirectory == "boards.d")
  }
}
