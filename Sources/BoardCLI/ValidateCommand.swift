import ArgumentParser
import BoardCore
import BoardEngine
import BoardSpec

struct ValidateCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check boards.d: schema, references, and every board's rules for each posting. Touches nothing.")

  @OptionGroup var global: GlobalOptions

  @OptionGroup var formatOption: OutputFormatOption
  var format: OutputFormat { formatOption.format }
  var outputFormat: OutputFormat { format }

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    let workspace = try CheckedWorkspace.load(global.layout)
    let config = workspace.config
    func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
    let summary =
      "The configuration is valid: \(count(config.files.count, "file")), \(count(config.boards.count, "board")), \(count(config.templates.count, "template")), \(count(config.postings.count, "posting")) (\(workspace.placements.count) placements)."
    switch format {
    case .text, .github:
      terminal.report(workspace.warnings)
      terminal.out(summary + "\n")
    case .json: terminal.out(styled: DiagnosticRenderer.json(terminal.diagnosticReport(workspace.warnings)))
    case .markdown:
      terminal.out(styled: DiagnosticRenderer.markdown(terminal.diagnosticReport(workspace.warnings)))
    }
    return .success
  }
}
