import Dispatch
import Foundation

#if canImport(Glibc)
  import Glibc
#endif

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
  /// exits early cannot kill this process with SIGPIPE. It runs on a dispatch thread, never
  /// blocking Swift concurrency's few threads.
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
          with: Result { try Self.spawn(executable, all, environment: environment, input: input) })
      }
    }
  }

  /// Starts `executable` with `posix_spawn` and waits for it, reading its output as it comes.
  ///
  /// Not Foundation's `Process`: on this toolchain (Swift 6.3.1) `Process.run()` intermittently
  /// crashes the whole program while it scans `/proc/self/fd` (swift-corelibs-foundation #5472,
  /// fixed upstream in May 2026), and an apply starts git hundreds of times. The child gets its
  /// own process group, so a Ctrl-C meant for boardctl's graceful stop does not kill a push in
  /// flight, and default signal handling with nothing blocked.
  static func spawn(_ executable: String, _ arguments: [String], environment: [String: String], input: Data?)
    throws -> Output
  {
    let stdin: Int32
    if let input {
      // An unlinked temporary file: nothing to clean up, and no fsync (Data.write syncs, which
      // cost every commit a disk flush).
      let path = FileManager.default.temporaryDirectory.appendingPathComponent("boardctl-git-\(UUID().uuidString)").path
      stdin = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
      guard stdin >= 0 else { throw SpawnError(call: "open", code: errno) }
      unlink(path)
      let written = input.withUnsafeBytes { bytes -> Bool in
        var offset = 0
        while offset < bytes.count {
          let count = write(stdin, bytes.baseAddress! + offset, bytes.count - offset)
          if count < 0 {
            if errno == EINTR { continue }
            return false
          }
          offset += count
        }
        return true
      }
      guard written, lseek(stdin, 0, SEEK_SET) == 0 else {
        let code = errno
        close(stdin)
        throw SpawnError(call: "write", code: code)
      }
    } else {
      stdin = open("/dev/null", O_RDONLY | O_CLOEXEC)
      guard stdin >= 0 else { throw SpawnError(call: "open", code: errno) }
    }
    defer { close(stdin) }
    var out: [Int32] = [-1, -1]
    var err: [Int32] = [-1, -1]
    // Pipes are made close-on-exec under the same lock as every spawn here, so no other git
    // started meanwhile inherits one (and keeps this one's output open after it exits).
    spawning.lock()
    var locked = true
    defer { if locked { spawning.unlock() } }
    guard pipe(&out) == 0 else { throw SpawnError(call: "pipe", code: errno) }
    guard pipe(&err) == 0 else {
      close(out[0])
      close(out[1])
      throw SpawnError(call: "pipe", code: errno)
    }
    for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }

    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, stdin, 0)
    posix_spawn_file_actions_adddup2(&actions, out[1], 1)
    posix_spawn_file_actions_adddup2(&actions, err[1], 2)
    var attributes = posix_spawnattr_t()
    posix_spawnattr_init(&attributes)
    defer { posix_spawnattr_destroy(&attributes) }
    var none = sigset_t()
    sigemptyset(&none)
    posix_spawnattr_setsigmask(&attributes, &none)
    var defaults = sigset_t()
    sigemptyset(&defaults)
    for signal in [SIGPIPE, SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGCHLD] { sigaddset(&defaults, signal) }
    posix_spawnattr_setsigdefault(&attributes, &defaults)
    posix_spawnattr_setpgroup(&attributes, 0)
    posix_spawnattr_setflags(
      &attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETPGROUP))

    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    spawning.unlock()
    locked = false
    close(out[1])
    close(err[1])
    guard spawned == 0 else {
      close(out[0])
      close(err[0])
      throw SpawnError(call: "posix_spawn", code: spawned)
    }
    let (stdout, stderr) = readBoth(out[0], err[0])
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // WIFEXITED and WEXITSTATUS are macros Swift does not import.
    let signal = status & 0x7F
    let code = signal == 0 ? (status >> 8) & 0xFF : 128 + signal
    return Output(status: code, stdout: stdout, stderr: stderr)
  }

  private static let spawning = NSLock()

  /// Reads two pipes to their end at once (a full stderr pipe would otherwise stall git), then
  /// closes them.
  private static func readBoth(_ first: Int32, _ second: Int32) -> (Data, Data) {
    var data = [Data(), Data()]
    var fds = [
      pollfd(fd: first, events: Int16(POLLIN), revents: 0), pollfd(fd: second, events: Int16(POLLIN), revents: 0),
    ]
    var buffer = [UInt8](repeating: 0, count: 65536)
    var open = 2
    while open > 0 {
      if poll(&fds, 2, -1) < 0 {
        if errno == EINTR { continue }
        break
      }
      for index in 0..<2 where fds[index].fd >= 0 && fds[index].revents != 0 {
        let count = buffer.withUnsafeMutableBytes { bytes in
          let count = read(fds[index].fd, bytes.baseAddress, bytes.count)
          // Appended as one block: appending an array slice goes byte by byte.
          if count > 0 { data[index].append(bytes.baseAddress!.assumingMemoryBound(to: UInt8.self), count: count) }
          return count
        }
        if count > 0 {
          continue
        } else if count == 0 || (errno != EINTR && errno != EAGAIN) {
          close(fds[index].fd)
          fds[index].fd = -1
          open -= 1
        }
      }
    }
    for entry in fds where entry.fd >= 0 { close(entry.fd) }
    return (data[0], data[1])
  }
}

/// A system call that failed while starting git.
struct SpawnError: Error, CustomStringConvertible {
  var call: String
  var code: Int32
  var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
}
