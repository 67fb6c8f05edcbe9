import ArgumentParser
import BoardEngine
import BoardSpec
import BoardState

/// `boardctl state migrate --to BACKEND`: copy the state to another backend.
struct MigrateCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "migrate",
    abstract: "Copy everything in the state to another backend, keeping its lineage (the source is left as it is).",
    discussion: """
      Options default as in the Workspace's state block. After a migration, switch the \
      Workspace's state: to the new backend and commit it; until then boardctl keeps using the \
      old one. An interrupted migration leaves the source untouched; run it again into an empty \
      target.
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup var lockOptions: LockOptions

  @Option(name: .long, help: ArgumentHelp("The backend to copy to: sqlite, git or postgres.", valueName: "backend"))
  var to: StateSettings.Backend

  @Option(name: .long, help: ArgumentHelp("sqlite: the file (default .boardctl/state.db).", valueName: "file"))
  var path: String?

  @Option(name: .long, help: ArgumentHelp("git: the branch (default boardctl-state).", valueName: "name"))
  var branch: String?

  @Option(name: .long, help: ArgumentHelp("git: the remote (default origin).", valueName: "name"))
  var remote: String?

  @Option(
    name: .long,
    help: ArgumentHelp("postgres: the variable holding the URL (default BOARDCTL_PG_URL).", valueName: "name"))
  var urlEnv: String?

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    let layout = global.layout
    var settings = StateSettings(backend: to)
    let given: [(String, String?, StateSettings.Backend)] = [
      ("--path", path, .sqlite), ("--branch", branch, .git), ("--remote", remote, .git),
      ("--url-env", urlEnv, .postgres),
    ]
    for (flag, value, backend) in given where value != nil && backend != to {
      throw ValidationError("\(flag) is for --to \(backend.rawValue)")
    }
    settings.path = path ?? settings.path
    settings.branch = branch ?? settings.branch
    settings.remote = remote ?? settings.remote
    settings.urlEnvironment = urlEnv ?? settings.urlEnvironment
    let source = try StateAccess.location(layout)
    let target = try layout.stateLocation(settings)
    let copied = try await StateMigration(source: source, target: target)
      .run(lock: try lockOptions.request("state migrate", terminal: terminal))
    terminal.out(
      """
      Copied \(copied.records) record\(copied.records == 1 ? "" : "s") and \(copied.journalEntries) journal entr\(copied.journalEntries == 1 ? "y" : "ies") (lineage \(copied.lineage), serial \(copied.serial)) to \(target.description).
      Now point the Workspace at it and commit that change:
        state: \(Self.yaml(settings))
      The old state is left as it was; remove it once the new one works.

      """)
    return .success
  }

  /// The Workspace `state:` block for these settings, as one YAML flow mapping.
  static func yaml(_ settings: StateSettings) -> String {
    switch settings.backend {
    case .sqlite: return "{backend: sqlite, path: \(settings.path)}"
    case .git: return "{backend: git, branch: \(settings.branch), remote: \(settings.remote)}"
    case .postgres: return "{backend: postgres, url_env: \(settings.urlEnvironment)}"
    }
  }
}

extension StateSettings.Backend: ExpressibleByArgument {}
