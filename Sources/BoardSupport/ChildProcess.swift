import Foundation
import Synchronization

#if canImport(Glibc)
  import Glibc
#endif

/// A program to run as a child process, started with `posix_spawn`.
///
/// Not Foundation's `Process`: on this toolchain (Swift 6.3.1) `Process.run()` intermittently
/// crashes the whole program while it scans `/proc/self/fd` (swift-corelibs-foundation #5472,
/// fixed upstream in May 2026), and waiting for one blocks a thread. `run` waits on a thread of
/// its own, never on one of Swift concurrency's few threads: a test suite that runs many
/// children at once while its own loopback servers answer requests would otherwise stall.
///
/// The child starts with default signal handling and nothing blocked, in a process group of its
/// own unless told otherwise (a Ctrl-C meant for the parent's graceful stop does not reach it).
public struct ChildProcess: Sendable {
  /// What one run printed, and how it ended: the exit code, or 128 + the signal that ended it.
  public struct Output: Sendable {
    public var status: Int32
    public var stdout: Data
    public var stderr: Data

    public var succeeded: Bool { status == 0 }
    public var standardOutput: String { String(decoding: stdout, as: UTF8.self) }
    public var standardError: String { String(decoding: stderr, as: UTF8.self) }
    public var errorText: String { standardError.trimmingCharacters(in: .whitespacesAndNewlines) }
  }

  public var executable: String
  public var arguments: [String]
  public var environment: [String: String]
  /// The working directory; nil keeps the parent's.
  public var directory: String?
  /// A process group of its own (the default), so signals sent to the parent's group miss it.
  public var ownProcessGroup = true

  public init(
    _ executable: String, _ arguments: [String] = [],
    environment: [String: String] = ProcessInfo.processInfo.environment, directory: String? = nil
  ) {
    self.executable = executable
    self.arguments = arguments
    self.environment = environment
    self.directory = directory
  }

  /// The first executable called `name` on `path` (a `PATH` value); nil when there is none.
  public static func find(_ name: String, path: String? = ProcessInfo.processInfo.environment["PATH"]) -> String? {
    (path ?? "").split(separator: ":").map { "\($0)/\(name)" }.first {
      FileManager.default.isExecutableFile(atPath: $0)
    }
  }

  /// Runs the program to its end, `input` as its standard input, and returns what it printed.
  public func run(input: Data? = nil) async throws -> Output {
    try await withCheckedThrowingContinuation { continuation in
      Self.onThreadOfItsOwn { continuation.resume(with: Result { try runBlocking(input: input) }) }
    }
  }

  /// `run`, on the calling thread.
  public func runBlocking(input: Data? = nil) throws -> Output {
    let stdin = try Self.inputDescriptor(input)
    defer { close(stdin) }
    var out: [Int32] = [-1, -1]
    var err: [Int32] = [-1, -1]
    let pid = try Self.spawning.withLock { _ -> pid_t in
      // Pipes are made close-on-exec under the lock every spawn here takes, so no other child
      // started meanwhile inherits one (and keeps this one's output open after it exits).
      guard pipe(&out) == 0 else { throw SpawnError(call: "pipe", code: errno) }
      guard pipe(&err) == 0 else {
        let code = errno
        close(out[0])
        close(out[1])
        throw SpawnError(call: "pipe", code: code)
      }
      for fd in out + err { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
      defer {
        close(out[1])
        close(err[1])
      }
      do {
        return try spawn(stdin: stdin, stdout: out[1], stderr: err[1])
      } catch {
        close(out[0])
        close(err[0])
        throw error
      }
    }
    let (stdout, stderr) = Self.readBoth(out[0], err[0])
    return Output(status: Self.wait(for: pid), stdout: stdout, stderr: stderr)
  }

  /// Starts the program without waiting for it; what it prints goes to the files at `stdout`
  /// and `stderr` (created or truncated), or nowhere when nil.
  public func start(input: Data? = nil, stdout: String? = nil, stderr: String? = nil) throws -> RunningChild {
    let stdin = try Self.inputDescriptor(input)
    defer { close(stdin) }
    func output(_ path: String?) throws -> Int32 {
      let fd =
        path.map { open($0, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600) }
        ?? open("/dev/null", O_WRONLY | O_CLOEXEC)
      guard fd >= 0 else { throw SpawnError(call: "open \(path ?? "/dev/null")", code: errno) }
      return fd
    }
    let out = try output(stdout)
    defer { close(out) }
    let err = try output(stderr)
    defer { close(err) }
    let pid = try Self.spawning.withLock { _ in try spawn(stdin: stdin, stdout: out, stderr: err) }
    return RunningChild(pid: pid)
  }

  private func spawn(stdin: Int32, stdout: Int32, stderr: Int32) throws -> pid_t {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, stdin, 0)
    posix_spawn_file_actions_adddup2(&actions, stdout, 1)
    posix_spawn_file_actions_adddup2(&actions, stderr, 2)
    if let directory {
      guard let addChdir = Self.addChdir else {
        throw SpawnError(call: "posix_spawn_file_actions_addchdir_np (glibc 2.29 or later)", code: ENOSYS)
      }
      let added = addChdir(&actions, directory)
      guard added == 0 else { throw SpawnError(call: "chdir \(directory)", code: added) }
    }
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
    var flags = POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF
    if ownProcessGroup {
      posix_spawnattr_setpgroup(&attributes, 0)
      flags |= POSIX_SPAWN_SETPGROUP
    }
    posix_spawnattr_setflags(&attributes, Int16(flags))
    let argv = ([executable] + arguments).map { strdup($0) } + [nil]
    let envp = environment.map { strdup("\($0.key)=\($0.value)") } + [nil]
    defer {
      for pointer in argv { free(pointer) }
      for pointer in envp { free(pointer) }
    }
    var pid = pid_t()
    let spawned = posix_spawn(&pid, executable, &actions, &attributes, argv, envp)
    guard spawned == 0 else { throw SpawnError(call: "posix_spawn \(executable)", code: spawned) }
    return pid
  }

  private static let spawning = Mutex<Void>(())

  /// Runs `body`, which blocks until a child ends, on a new thread. Not a dispatch queue: its
  /// few threads (as many as cores) would queue every other child behind a long-running one.
  static func onThreadOfItsOwn(_ body: @escaping @Sendable () -> Void) {
    let thread = Thread(block: body)
    thread.stackSize = 256 * 1024
    thread.start()
  }

  /// glibc's `posix_spawn_file_actions_addchdir_np` (2.29+), which Swift's Glibc module does
  /// not import: looked up once by name.
  private static let addChdir:
    (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
      guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "posix_spawn_file_actions_addchdir_np") else {
        return nil
      }
      return unsafeBitCast(
        symbol,
        to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32).self)
    }()

  /// Standard input: `input` in an unlinked temporary file (a child that exits early cannot
  /// kill the parent with SIGPIPE; nothing to clean up; never fsynced), else `/dev/null`.
  private static func inputDescriptor(_ input: Data?) throws -> Int32 {
    guard let input else {
      let fd = open("/dev/null", O_RDONLY | O_CLOEXEC)
      guard fd >= 0 else { throw SpawnError(call: "open /dev/null", code: errno) }
      return fd
    }
    let path = FileManager.default.temporaryDirectory.appendingPathComponent("boardctl-in-\(UUID().uuidString)").path
    let fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
    guard fd >= 0 else { throw SpawnError(call: "open", code: errno) }
    unlink(path)
    let written = input.withUnsafeBytes { bytes -> Bool in
      var offset = 0
      while offset < bytes.count {
        let count = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
        if count < 0 {
          if errno == EINTR { continue }
          return false
        }
        offset += count
      }
      return true
    }
    guard written, lseek(fd, 0, SEEK_SET) == 0 else {
      let code = errno
      close(fd)
      throw SpawnError(call: "write", code: code)
    }
    return fd
  }

  /// Waits for `pid` to end: its exit code, or 128 + the signal that ended it.
  static func wait(for pid: pid_t) -> Int32 {
    var status: Int32 = 0
    while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
    // WIFEXITED and WEXITSTATUS are macros Swift does not import.
    let signal = status & 0x7F
    return signal == 0 ? (status >> 8) & 0xFF : 128 + signal
  }

  /// Reads two pipes to their end at once (a full stderr pipe would otherwise stall the
  /// child), then closes them.
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

/// A system call that failed while starting a child process.
public struct SpawnError: Error, CustomStringConvertible {
  public var call: String
  public var code: Int32
  public var description: String { "\(call) failed: \(String(cString: strerror(code)))" }
}
