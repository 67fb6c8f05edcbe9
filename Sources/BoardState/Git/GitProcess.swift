import BoardSupport
import Foundation

/// Runs the `git` program: found once on PATH, always with an environment that never prompts,
/// needs no configured identity and prints messages in English (they are matched).
struct GitProcess: Sendable {
  /// What one run printed, and how it ended.
  typealias Output = ChildProcess.Output

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
    guard let found = ChildProcess.find("git", path: base["PATH"]) else { return nil }
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
  /// given, is the program's standard input. It waits on a dispatch thread, never blocking
  /// Swift concurrency's few threads, in a process group of its own (a Ctrl-C meant for
  /// boardctl's graceful stop does not kill a push in flight).
  func run(_ arguments: [String], in directory: String, input: Data? = nil) async throws -> Output {
    let all =
      [
        "-C", directory, "-c", "core.hooksPath=/dev/null", "-c", "gc.auto=0", "-c", "maintenance.auto=false",
      ] + arguments
    return try await ChildProcess(executable, all, environment: environment).run(input: input)
  }
}
