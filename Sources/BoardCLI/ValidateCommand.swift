import ArgumentParser
import BoardCore
import BoardEngine
import BoardSpec

struct ValidateCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check boards.d: schema, references, and every board's rules for each posting. Touches nothing.")

  @OptionGroup var global: GlobalOptions

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    let workspace = try CheckedWorkspace.load(global.layout)
    terminal.report(workspace.warnings)
    let config = workspace.config
    func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
    terminal.out(
      "The configuration is valid: \(count(config.files.count, "file")), \(count(config.boards.count, "board")), \(count(config.templates.count, "template")), \(count(config.postings.count, "posting")) (\(workspace.placements.count) placements).\n"
    )
    return .success
  }
}
