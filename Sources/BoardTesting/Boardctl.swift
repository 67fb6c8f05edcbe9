import BoardSupport
import Foundation

/// Runs the built `boardctl` binary as a user would, in a folder of its own.
public struct Boardctl: Sendable {
  public struct Result: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String

    public init(status: Int32, stdout: String, stderr: String) {
      self.status = status
      self.stdout = stdout
      self.stderr = stderr
    }
  }

  /// The binary beside the test bundle (`swift build` puts both in the same folder), or
  /// `BOARDCTL_BIN` when set.
  public static let binary: String = {
    if let path = ProcessInfo.processInfo.environment["BOARDCTL_BIN"] { return path }
    var url = Bundle.main.bundleURL
    for _ in 0..<4 {
      let candidate = url.appendingPathComponent("boardctl").path
      if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
      url.deleteLastPathComponent()
    }
    let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
      .deletingLastPathComponent()
    return root.appendingPathComponent(".build/debug/boardctl").path
  }()

  public let folder: TemporaryFolder
  public var environment: [String: String] = ["BOARDCTL_NOW": "2026-11-21T10:00:00Z"]
  /// Where in the folder to run, when not at its top.
  public var subfolder: String?

  public init(_ folder: TemporaryFolder) {
    self.folder = folder
  }

  /// Runs `boardctl arguments...` with the folder as the working directory; stdin is empty.
  @discardableResult
  public func run(_ arguments: String..., stdin: String = "") async throws -> Result {
    try await run(arguments, stdin: stdin)
  }

  public func run(_ arguments: [String], stdin: String = "") async throws -> Result {
    let output = try await child(arguments).run(input: Data(stdin.utf8))
    return Result(status: output.status, stdout: output.standardOutput, stderr: output.standardError)
  }

  /// The process `run` and `start` launch: the binary in the folder, with the test environment.
  func child(_ arguments: [String]) -> ChildProcess {
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = nil
    env["BOARDCTL_CONFIG"] = nil
    env["GITHUB_WORKSPACE"] = nil  // annotations name files relative to the test folder
    for (key, value) in environment { env[key] = value }
    return ChildProcess(
      Self.binary, arguments, environment: env, directory: folder.path + (subfolder.map { "/" + $0 } ?? ""))
  }
}

extension Boardctl {
  /// Starts `boardctl arguments...` in the folder without waiting; output is discarded.
  public func start(_ arguments: String...) throws -> RunningChild {
    try child(arguments).start()
  }

  /// Starts `boardctl arguments...` with its output going to files (absolute paths).
  public func start(_ arguments: [String], stdout: String? = nil, stderr: String? = nil) throws -> RunningChild {
    try child(arguments).start(stdout: stdout, stderr: stderr)
  }
}
