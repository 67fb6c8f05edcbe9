import ArgumentParser
import BoardEngine
import Foundation

struct InitCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "init",
    abstract: "Start a workspace: boards.d with a careers site, an Indeed feed, a template and one posting.",
    discussion: """
      Writes boards.d/ (every file with the yaml-language-server modeline), schema/boards.schema.json \
      for editors, and .gitignore lines for local state and saved plans, in the current folder \
      (or beside --config). Refuses if boards.d already holds files: it overwrites nothing.
      """)

  @OptionGroup var global: GlobalOptions

  @Option(help: "The Workspace name (lowercase letters, digits, -); default from the folder's name.")
  var name: String?

  @Option(help: "The organization that hires, shown on every page and required by Google for Jobs.")
  var organization = "Example Company"

  @Option(help: "The organization's website.")
  var organizationURL = "https://example.com"

  @Option(help: "Where the careers site will be served.")
  var baseURL = "https://jobs.example.com"

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    // The current folder (or --config's parent), never a boards.d found in a parent folder.
    let layout = ProjectLayout.discover(config: global.config ?? ProjectLayout.defaultConfigFolder)
    let folderName = URL(fileURLWithPath: layout.root).lastPathComponent
    let name = self.name ?? WorkspaceScaffold.documentName(from: folderName)
    guard name.range(of: #"^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$"#, options: .regularExpression) != nil else {
      throw EngineError.user(
        "--name \(name): a name is lowercase letters, digits and - (at most 63), e.g. acme-careers")
    }
    for (option, url) in [("--organization-url", organizationURL), ("--base-url", baseURL)] {
      guard let scheme = URL(string: url)?.scheme?.lowercased(), ["http", "https"].contains(scheme),
        URL(string: url)?.host?.isEmpty == false
      else {
        throw EngineError.user("\(option) \(url): give an http or https URL, e.g. https://jobs.acme.example")
      }
    }
    let scaffold = WorkspaceScaffold(
      name: name, organization: organization, organizationURL: organizationURL, baseURL: baseURL,
      today: EngineClock.current.today)
    let config = URL(
      fileURLWithPath: layout.configDirectory.hasPrefix("/")
        ? layout.configDirectory : FileManager.default.currentDirectoryPath + "/" + layout.configDirectory
    ).standardizedFileURL.path
    let written = try scaffold.write(to: layout.root, config: config)
    // What was written must load: the same checks plan runs.
    let workspace = try CheckedWorkspace.load(layout)
    terminal.out("Created workspace '\(name)' in \(layout.root):\n")
    for path in written { terminal.out("  \(path)\n") }
    terminal.out(
      """

      \(workspace.placements.count) placements are ready. Next:
        boardctl plan       see what apply would publish
        boardctl preview    open the careers site locally
        boardctl apply      write public/careers and public/indeed.xml
      Edit boards.d/workspace.yaml (organization) and boards.d/boards.yaml (base_url) first.

      """)
    return .success
  }
}
