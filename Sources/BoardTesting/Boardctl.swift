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
    // Wait without holding a thread of the shared pool: tests run many of these at once.
    await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
      process.terminationHandler = { _ in done.resume() }
      do { try process.run() } catch {
        process.terminationHandler = nil
        done.resume()
      }
    }
    guard process.processIdentifier != 0 else { throw CocoaError(.executableLoad) }
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
  public func start(_ arguments: String...) throws -> Process {
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
