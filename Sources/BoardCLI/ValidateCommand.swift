import ArgumentParser
import BoardCore
import BoardSpec

struct ValidateCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "validate",
    abstract: "Check boards.d: schema, references, and every board's rules for each posting. Touches nothing.")

  @OptionGroup var global: GlobalOptions

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    let session = try Session.load(configDirectory: global.configDirectory)
    terminal.report(session.warnings)
    let config = session.config
    terminal.out(
      "The configuration is valid: \(config.files.count) file\(config.files.count == 1 ? "" : "s"), \(config.boards.count) board\(config.boards.count == 1 ? "" : "s"), \(config.templates.count) template\(config.templates.count == 1 ? "" : "s"), \(config.postings.count) posting\(config.postings.count == 1 ? "" : "s") (\(session.placements.count) placements).\n"
    )
    return .success
  }
}
