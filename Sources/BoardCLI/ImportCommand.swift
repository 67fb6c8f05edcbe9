import ArgumentParser
import BoardCore
import BoardEngine
import BoardHTTP
import BoardSpec
import Foundation

/// `boardctl import ADDRESS REMOTE_ID`: adopt an object that exists on a platform but was not
/// made by boardctl (a job a recruiter created in Manatal) into state.
struct ImportCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "import",
    abstract: "Adopt an existing object on a board (e.g. a Manatal job) as the resource at ADDRESS.",
    discussion: """
      The posting must already place itself on the board (ADDRESS is board.job.posting-name). The \
      import is recorded in state; the next plan shows it as an import (<=) with the fields apply \
      will set, and apply tags the object with boardctl's ownership tag. Nothing on the board \
      changes until apply.
      """)

  @OptionGroup var global: GlobalOptions
  @OptionGroup var lockOptions: LockOptions
  @OptionGroup var keyOptions: KeyOptions
  @Argument(help: ArgumentHelp("The resource's address, e.g. manatal.job.backend-engineer.", valueName: "address"))
  var address: String
  @Argument(help: ArgumentHelp("The object's id on the platform (a Manatal job id).", valueName: "remote-id"))
  var remoteID: String

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    guard let target = Address(address) else {
      throw EngineError.user("'\(address)' is not an address; addresses look like manatal.job.backend-engineer")
    }
    let workspace = try CheckedWorkspace.load(global.layout)
    terminal.report(workspace.warnings)
    let lock = try lockOptions.request("import", terminal: terminal)
    let found = try await Command.withHTTP(terminal) { http in
      try await Importer(workspace: workspace).record(
        target, remoteID: remoteID, keyFile: keyOptions.keyFile, lock: lock, http: http)
    }
    terminal.out(
      "Import recorded: \(target) <= \(remoteID) (\(found.summary)).\nRun boardctl plan to see what apply will set; apply adopts and tags it.\n"
    )
    return .success
  }
}
