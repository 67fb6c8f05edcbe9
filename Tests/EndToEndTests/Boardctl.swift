import BoardTesting
import Foundation
import Testing

/// Runs the built `boardctl` binary as a user would, in a folder of its own.
struct Boardctl {
  struct Result {
    var status: Int32
    var stdout: String
    var stderr: String
  }

  /// The binary beside the test bundle (`swift build` puts both in the same folder), or
  /// `BOARDCTL_BIN` when set.
  static let binary: String = {
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

  let folder: TemporaryFolder
  var environment: [String: String] = ["BOARDCTL_NOW": "2026-11-21T10:00:00Z"]
  /// Where in the folder to run, when not at its top.
  var subfolder: String?

  init(_ folder: TemporaryFolder) {
    self.folder = folder
  }

  /// Runs `boardctl arguments...` with the folder as the working directory; stdin is empty.
  @discardableResult
  func run(_ arguments: String..., stdin: String = "") throws -> Result {
    try run(arguments, stdin: stdin)
  }

  func run(_ arguments: [String], stdin: String = "") throws -> Result {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.binary)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder.path + (subfolder.map { "/" + $0 } ?? ""))
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = nil
    env["BOARDCTL_CONFIG"] = nil
    for (key, value) in environment { env[key] = value }
    process.environment = env
    // Output goes to files, so a large plan cannot fill a pipe and stall the child.
    let id = UUID().uuidString
    let outPath = NSTemporaryDirectory() + "boardctl-out-\(id)"
    let errPath = NSTemporaryDirectory() + "boardctl-err-\(id)"
    let inPath = NSTemporaryDirectory() + "boardctl-in-\(id)"
    for (path, contents) in [(outPath, Data()), (errPath, Data()), (inPath, Data(stdin.utf8))] {
      guard FileManager.default.createFile(atPath: path, contents: contents) else {
        throw CocoaError(.fileWriteUnknown)
      }
    }
    defer {
      for path in [outPath, errPath, inPath] { try? FileManager.default.removeItem(atPath: path) }
    }
    let out = try FileHandle(forWritingTo: URL(fileURLWithPath: outPath))
    let err = try FileHandle(forWritingTo: URL(fileURLWithPath: errPath))
    let input = try FileHandle(forReadingFrom: URL(fileURLWithPath: inPath))
    process.standardOutput = out
    process.standardError = err
    process.standardInput = input
    try process.run()
    process.waitUntilExit()
    try out.close()
    try err.close()
    try input.close()
    func read(_ path: String) -> String {
      FileManager.default.contents(atPath: path).map { String(decoding: $0, as: UTF8.self) } ?? ""
    }
    return Result(status: process.terminationStatus, stdout: read(outPath), stderr: read(errPath))
  }
}

extension Boardctl {
  /// Starts `boardctl arguments...` in the folder without waiting; output is discarded.
  func start(_ arguments: String...) throws -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: Self.binary)
    process.arguments = arguments
    process.currentDirectoryURL = URL(fileURLWithPath: folder.path)
    var env = ProcessInfo.processInfo.environment
    env["NO_COLOR"] = nil
    env["BOARDCTL_CONFIG"] = nil
    for (key, value) in environment { env[key] = value }
    process.environment = env
    process.standardInput = FileHandle.nullDevice
    process.standardOutput = FileHandle.nullDevice
    process.standardError = FileHandle.nullDevice
    try process.run()
    return process
  }
}

/// A small workspace with both file boards: three postings, one remote.
func makeWorkspace(in folder: TemporaryFolder = TemporaryFolder(), state: String = "{backend: sqlite}")
  -> TemporaryFolder
{
  folder.write(
    "boards.d/workspace.yaml",
    """
    kind: Workspace
    name: acme
    state: \(state)
    organization: {name: Acme Pacific, url: https://acme.example}
    ---
    kind: Board
    name: careers
    platform: careers-site
    settings: {output: public/careers, base_url: https://jobs.acme.example}
    ---
    kind: Board
    name: indeed
    platform: indeed-feed
    settings: {output: public/indeed.xml, job_url: "https://jobs.acme.example/{name}.html"}
    """)
  for (name, city, remote) in [("backend", "Suva", false), ("analyst", "Apia", false), ("frontend", "Auckland", true)] {
    folder.write(
      "boards.d/postings/\(name).yaml",
      """
      kind: Posting
      name: \(name)
      title: \(name.capitalized) Engineer
      description: |
        You will build \(name) systems for the Pacific.
      employment_type: full_time
      location: {city: \(city), region: Central, country: \(city == "Auckland" ? "NZ" : "FJ"), remote: \(remote)}
      salary: {min: 40000, max: 60000, currency: \(city == "Auckland" ? "NZD" : "FJD"), period: year}
      valid_through: 2027-06-30
      boards: [careers, indeed]
      """)
  }
  return folder
}
