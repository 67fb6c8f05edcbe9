import BoardSupport
import Foundation

/// The user's repository, driven with plumbing only: the state branch is fetched into a private
/// ref (`refs/boardctl/<branch>`), commits are built by `git fast-import` from the parent commit
/// and the changed files, and pushed by commit id. The working tree, the index, HEAD, branches
/// and remote-tracking branches are never touched.
struct GitRepository: Sendable {
  /// What a push found.
  enum PushOutcome: Sendable {
    case pushed
    /// The branch was not at the expected commit any more: someone else pushed first.
    case lostRace
  }

  let git: GitProcess
  /// Where git runs: the user's repository (or any folder inside it).
  let directory: String
  let remote: GitRemote
  let branch: String
  /// For messages, never a secret.
  let location: String
  /// Whether the checkout is shallow (CI's default), found by `check`.
  private(set) var shallow = false
  /// Where pushes go: a named remote's push URL, found by `check`. Pushing to the URL rather than
  /// the name keeps git from updating the user's remote-tracking branch `<remote>/<branch>`.
  private(set) var pushTarget: String

  init(git: GitProcess, directory: String, remote: GitRemote, branch: String, location: String) {
    self.git = git
    self.directory = directory
    self.remote = remote
    self.branch = branch
    self.location = location
    self.pushTarget = remote.argument
  }

  var trackingRef: String { "refs/boardctl/\(branch)" }
  var remoteRef: String { "refs/heads/\(branch)" }

  /// Checks that git runs here, that `directory` is a repository, that a remote given by name
  /// exists and that the branch name is one git accepts.
  mutating func check() async throws {
    let inside = try await run(["rev-parse", "--is-shallow-repository"])
    guard inside.succeeded else {
      if inside.errorText.contains("dubious ownership") {
        throw StateError.unavailable(
          location: location, reason: "git refuses to work in '\(directory)': another user owns it",
          fix:
            "Trust it with git config --global --add safe.directory '\(directory)' (in a container job, run as the checkout's owner)"
        )
      }
      throw StateError.unavailable(
        location: location, reason: "'\(directory)' is not a git repository (\(Self.firstLine(inside.errorText)))",
        fix:
          "Run boardctl in a checkout of the repository whose remote keeps the state, or choose the sqlite state backend"
      )
    }
    if remote.isName {
      let url = try await run(["remote", "get-url", "--push", remote.argument])
      guard url.succeeded else {
        throw StateError.unavailable(
          location: location, reason: "the repository has no remote named '\(remote.argument)'",
          fix:
            "Add it (git remote add \(remote.argument) <url>), or set the Workspace's state remote to an existing remote or a URL"
        )
      }
      pushTarget = url.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
    }
    let name = try await run(["check-ref-format", remoteRef])
    guard name.succeeded else {
      throw StateError.unavailable(
        location: location, reason: "'\(branch)' is not a valid branch name",
        fix: "Set the Workspace's state branch to a name git accepts, such as \(GitStateLocation.defaultBranch)")
    }
    shallow = inside.standardOutput.hasPrefix("true")
  }

  /// Fetches the state branch into the private ref; returns its commit, or nil when the remote
  /// has no such branch. A shallow checkout (CI's default) fetches only the newest commit.
  func fetch() async throws -> String? {
    var arguments = [
      "fetch", "--quiet", "--no-tags", "--no-write-fetch-head", "--no-recurse-submodules", "--refmap=",
    ]
    // Only the newest commit is needed; a full clone stays full (a shallow fetch would make it shallow).
    if shallow { arguments.append("--depth=1") }
    arguments += [remote.argument, "+\(remoteRef):\(trackingRef)"]
    let fetched = try await run(arguments)
    if !fetched.succeeded {
      guard fetched.errorText.contains("couldn't find remote ref") else {
        throw GitFailure.unreachable(fetched, location: location, remote: remote)
      }
      // The branch is gone (or never was): forget what an earlier fetch left.
      _ = try await run(["update-ref", "-d", trackingRef])
      return nil
    }
    let head = try await run(["rev-parse", "--verify", "--quiet", "\(trackingRef)^{commit}"])
    guard head.succeeded else {
      throw StateError.foreign(
        location: location, fix: "The branch does not point at a commit; choose another branch for the state")
    }
    return head.standardOutput.trimmingCharacters(in: .whitespacesAndNewlines)
  }

  /// Every file of `commit`'s tree with its blob id, one process for the whole tree.
  func files(of commit: String) async throws -> [String: String] {
    let listed = try await run(["ls-tree", "-r", "-z", "--full-tree", commit])
    guard listed.succeeded else { throw GitFailure.failed(listed, doing: "list the state branch", location: location) }
    var files: [String: String] = [:]
    // One pass over the bytes: `<mode> SP <type> SP <id> TAB <path> NUL`, 20,000 entries for a
    // large state.
    listed.stdout.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
      let count = bytes.count
      var start = 0
      while start < count {
        var end = start
        while end < count, bytes[end] != 0 { end += 1 }
        var tab = start
        while tab < end, bytes[tab] != 9 { tab += 1 }
        // The id is the 40 or 64 hex digits before the tab; the type sits before it.
        var idStart = tab
        while idStart > start, bytes[idStart - 1] != 32 { idStart -= 1 }
        let isBlob =
          idStart - start >= 6 && bytes[idStart - 6] == 32
          && UnsafeRawBufferPointer(rebasing: bytes[(idStart - 5)..<(idStart - 1)]).elementsEqual("blob".utf8)
        if tab < end, isBlob {
          let id = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[idStart..<tab]), as: UTF8.self)
          let path = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[(tab + 1)..<end]), as: UTF8.self)
          files[path] = id
        }
        start = end + 1
      }
    }
    return files
  }

  /// The contents of blobs, in order, read by one `git cat-file --batch` that streams them all.
  func read(_ blobs: [String]) async throws -> [String] {
    guard !blobs.isEmpty else { return [] }
    let input = Data(blobs.joined(separator: "\n").utf8 + [10])
    // --buffer: one flush at the end instead of one per object.
    let read = try await run(["cat-file", "--batch", "--buffer"], input: input)
    guard read.succeeded else { throw GitFailure.failed(read, doing: "read the state branch", location: location) }
    var texts: [String] = []
    texts.reserveCapacity(blobs.count)
    try read.stdout.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
      var position = 0
      let count = bytes.count
      while position < count, texts.count < blobs.count {
        // <id> SP <type> SP <size> LF <contents> LF
        var lineEnd = position
        while lineEnd < count, bytes[lineEnd] != 10 { lineEnd += 1 }
        let header = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[position..<lineEnd]), as: UTF8.self)
        let parts = header.split(separator: " ")
        guard parts.count == 3, let size = Int(parts[2]), lineEnd + 1 + size <= count else {
          throw StateError.unavailable(
            location: location, reason: "git cat-file answered '\(header.prefix(100))'",
            fix: "Check the repository with git fsck")
        }
        let start = lineEnd + 1
        texts.append(String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<(start + size)]), as: UTF8.self))
        position = start + size + 1
      }
    }
    guard texts.count == blobs.count else {
      throw StateError.unavailable(
        location: location, reason: "git cat-file returned \(texts.count) of \(blobs.count) files",
        fix: "Check the repository with git fsck")
    }
    return texts
  }

  /// Makes a commit of `parent`'s tree with `files` written (text) or removed (nil), without any
  /// ref, index or working tree: one `git fast-import` writes the blobs, trees and commit.
  /// Returns the commit and the blob of each file written.
  func commit(parent: String?, files: [(path: String, text: String?)], message: String) async throws
    -> (commit: String, blobs: [String: String])
  {
    var stream = Data()
    func append(_ text: String) { stream.append(contentsOf: Array(text.utf8)) }
    func data(_ text: String) {
      let bytes = Array(text.utf8)
      append("data \(bytes.count)\n")
      stream.append(contentsOf: bytes)
      append("\n")
    }
    var written: [String] = []
    for file in files {
      guard let text = file.text else { continue }
      written.append(file.path)
      append("blob\nmark :\(written.count)\n")
      data(text)
    }
    let commitMark = written.count + 1
    let when = "\(Int(Date().timeIntervalSince1970)) +0000"
    let identity = "\(GitProcess.identityName) <\(GitProcess.identityEmail)>"
    // A ref of its own that the stream deletes again (`reset` without `from`): fast-import needs
    // a ref to build on, and nothing should point at a commit before its push succeeded.
    let draftRef = "refs/boardctl/draft/\(UUID().uuidString.lowercased())"
    append("commit \(draftRef)\nmark :\(commitMark)\nauthor \(identity) \(when)\ncommitter \(identity) \(when)\n")
    data(message)
    if let parent { append("from \(parent)\n") }
    var mark = 0
    for file in files {
      if file.text != nil {
        mark += 1
        append("M 100644 :\(mark) \(file.path)\n")
      } else {
        append("D \(file.path)\n")
      }
    }
    append("\nget-mark :\(commitMark)\n")
    for index in written.indices { append("get-mark :\(index + 1)\n") }
    append("reset \(draftRef)\n\n")
    let made = try await run(["fast-import", "--quiet", "--done"], input: stream + Data("done\n".utf8))
    let ids = made.standardOutput.split(separator: "\n").map(String.init)
    guard made.succeeded, ids.count == written.count + 1 else {
      throw GitFailure.failed(made, doing: "write a commit of the state branch", location: location)
    }
    return (ids[0], Dictionary(uniqueKeysWithValues: zip(written, ids.dropFirst())))
  }

  /// Pushes `commit` to the branch if the branch is still at `expected` (nil: absent), the
  /// compare-and-swap every state change relies on.
  func push(_ commit: String, expected: String?) async throws -> PushOutcome {
    let pushed = try await run([
      "push", "--porcelain", "--no-verify", "--recurse-submodules=no",
      "--force-with-lease=\(remoteRef):\(expected ?? "")", pushTarget, "\(commit):\(remoteRef)",
    ])
    if pushed.succeeded { return .pushed }
    let report = pushed.standardOutput.split(separator: "\n").first { $0.hasPrefix("!") }.map(String.init) ?? ""
    if report.contains("[rejected]") || report.contains("stale info") {
      return .lostRace
    }
    // Two pushes at the same instant: the remote checked the old value while updating the ref
    // and found the other push's commit ("cannot lock ref …: is at X but expected Y").
    let raced = ["cannot lock ref", "but expected", "reference already exists", "incorrect old value"]
    if report.contains("[remote rejected]"),
      raced.contains(where: { pushed.errorText.contains($0) || report.contains($0) })
    {
      return .lostRace
    }
    if report.contains("[remote rejected]") {
      throw GitFailure.refused(pushed, report: report, location: location, branch: branch)
    }
    throw GitFailure.pushFailed(pushed, location: location, remote: remote, branch: branch)
  }

  /// Points the private ref at a commit just pushed, so the next fetch starts from it. Only a
  /// hint: a failure here changes nothing that matters.
  func remember(_ commit: String) async {
    _ = try? await run(["update-ref", trackingRef, commit])
  }

  func run(_ arguments: [String], input: Data? = nil) async throws -> GitProcess.Output {
    do {
      return try await git.run(arguments, in: directory, input: input)
    } catch {
      throw StateError.unavailable(
        location: location, reason: "cannot run \(git.executable): \(error)",
        fix: "Check that git is installed and runs (git --version)")
    }
  }

  static func firstLine(_ text: String) -> String {
    String(text.split(separator: "\n").first ?? "")
  }
}
