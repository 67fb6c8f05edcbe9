import ArgumentParser
import Foundation

/// Options every command that reads the configuration takes.
struct GlobalOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "The config folder (default: $BOARDCTL_CONFIG, else ./boards.d).", valueName: "dir"))
  var config: String?

  @Flag(name: .long, help: "Never colour output (NO_COLOR is honoured too).")
  var noColor = false

  /// The config folder as the user typed it.
  var configDirectory: String {
    if let config { return config }
    if let env = ProcessInfo.processInfo.environment["BOARDCTL_CONFIG"], !env.isEmpty { return env }
    return "boards.d"
  }

  var terminal: Terminal { Terminal(colour: Terminal.colourEnabled(noColorFlag: noColor)) }
}

/// How long to wait for the state lock.
struct LockOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "Wait this long for the state lock, e.g. 30s or 2m (default: fail at once).", valueName: "duration"))
  var lockTimeout: String?

  func seconds() throws -> Double {
    guard let text = lockTimeout else { return 0 }
    guard let value = Self.parse(text) else {
      throw ValidationError("--lock-timeout takes a duration such as 30s, 2m or 500ms; got '\(text)'")
    }
    return value
  }

  static func parse(_ text: String) -> Double? {
    let units: [(String, Double)] = [("ms", 0.001), ("s", 1), ("m", 60), ("h", 3600)]
    for (suffix, factor) in units where text.hasSuffix(suffix) {
      guard let number = Double(text.dropLast(suffix.count)), number >= 0 else { return nil }
      return number * factor
    }
    return Double(text).flatMap { $0 >= 0 ? $0 : nil }
  }
}

/// Where private keys come from, for commands that open credentials to reach a platform.
struct KeyOptions: ParsableArguments {
  @Option(
    name: .long,
    help: ArgumentHelp(
      "A private key file (besides BOARDCTL_KEY and the key folder) to open credentials with.", valueName: "path"))
  var keyFile: String?
}
