import Dispatch
import Foundation

/// Runs the `git` program: found once on PATH, always with an environment that never prompts,
/// needs no configured identity and prints messages in English (they are matched).
struct GitProcess: Sendable {
  /// What one run printed, and how it ended.
  struct Output: Sendable {
    var status: Int32
    var stdout: Data
    var stderr: Data

    var succeeded: Bool { status == 0 }
    var standardOutput: String { String(decoding: stdout, as: UTF8.self) }
    var errorText: String { String(decoding: stderr, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines) }
  }

  let executable: String
  let environment: [String: String]

  /// The identity of every commit boardctl makes on the state branch; who acted is in the message.
  static let identityName = "boardctl"
  static let identityEmail = "boardctl@localhost"

  /// Variables that would point git at another repository, index or object store than the one
  /// it is run in (set, for example, when boardctl runs inside a git hook).
  static let redirectingVariables = [
    "GIT_DIR", "GIT_WORK_TREE", "GIT_INDEX_FILE", "GIT_OBJECT_DIRECTORY", "GIT_ALTERNATE_OBJECT_DIRECTORIES",
    "GIT_COMMON_DIR", "GIT_NAMESPACE", "GIT_PREFIX", "GIT_QUARANTINE_PATH",
  ]

  /// Finds `git` on the PATH of `environment`; nil when there is none.
  init?(environment base: [String: String]) {
    let path = base["PATH"] ?? ""
    let found = path.split(separator: ":").map { "\($0)/git" }.first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
    guard let found else { return nil }
    var environment = base
    for name in Self.redirectingVariables { environment[name] = nil }
    environment["GIT_TERMINAL_PROMPT"] = "0"
    environment["GCM_INTERACTIVE"] = "never"
    environment["GIT_AUTHOR_NAME"] = Self.identityName
    environment["GIT_AUTHOR_EMAIL"] = Self.identityEmail
    environment["GIT_COMMITTER_NAME"] = Self.identityName
    environment["GIT_COMMITTER_EMAIL"] = Self.identityEmail
    environment["LC_ALL"] = "C"
    environment["LANGUAGE"] = nil
    self.executable = found
    self.environment = environment
  }

  /// Runs `git -C directory <arguments>` with the user's hooks and automatic housekeeping off
  /// (a pre-push hook or a background gc has no business in a state write). `input`, when
  /// given, is the program's standard input; it goes through a temporary file, so a git that
  /// exits early cannot kill this process with SIGPIPE.
  func run(_ arguments: [String], in directory: String, input: Data? = nil) async throws -> Output {
    let all =
      [
        "-C", directory, "-c", "core.hooksPath=/dev/null", "-c", "gc.auto=0", "-c", "maintenance.auto=false",
      ] + arguments
    let executable = self.executable
    let environment = self.environment
    return try await withCheckedThrowingContinuation { continuation in
      DispatchQueue.global().async {
        continuation.resume(
          with: Result { try Self.runBlocking(executable, all, environment: environment, input: input) })
      }
    }
  }

  private static func runBlocking(
    _ executable: String, _ arguments: [String], environment: [String: String], input: Data?
  )
    throws -> Output
  {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.environment = environment
    var inputFile: String?
    defer { if let inputFile { try? FileManager.default.removeItem(atPath: inputFile) } }
    if let input {
      let path = FileManager.default.temporaryDirectory.appendingPathComponent("boardctl-git-\(UUID().uuidString)").path
      try input.write(to: URL(fileURLWithPath: path))
      inputFile = path
      guard let handle = FileHandle(forReadingAtPath: path) else {
        throw CocoaError(.fileReadUnknown)
      }
      process.standardInput = handle
    } else {
      process.standardInput = FileHandle.nullDevice
    }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    let exited = DispatchSemaphore(value: 0)
    process.terminationHandler = { _ in exited.signal() }
    try process.run()
    // Both pipes are drained at once: a full stderr pipe would otherwise stall git forever.
    let errors = CollectedData()
    let errorsRead = DispatchSemaphore(value: 0)
    DispatchQueue.global().async {
      errors.data = err.fileHandleForReading.readDataToEndOfFile()
      errorsRead.signal()
    }
    let output = out.fileHandleForReading.readDataToEndOfFile()
    errorsRead.wait()
    exited.wait()
    return Output(status: process.terminationStatus, stdout: output, stderr: errors.data)
  }
}

/// Bytes read on one thread and used on another after a semaphore says they are complete.
private final class CollectedData: @unchecked Sendable {
  var data = Data()
}
