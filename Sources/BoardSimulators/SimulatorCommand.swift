import ArgumentParser
import BoardSupport
import Foundation

/// `boardctl-sim`: loopback simulators of the platforms boardctl talks to, for tests and rehearsals.
public struct SimulatorCommand: AsyncParsableCommand {
  public static let configuration = CommandConfiguration(
    commandName: "boardctl-sim", abstract: "Run a loopback simulator of a job platform's API.",
    subcommands: [Manatal.self, Wix.self])

  public init() {}

  /// Parses the process's arguments and runs the simulator; the executable's whole body.
  public static func runMain() async { await main() }
}
