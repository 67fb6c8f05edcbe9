import BoardSupport
import BoardTesting
import Foundation
import Testing

/// `plan`, `state list` and `history` only read the state: they work when its folder is
/// read-only (a reviewer's checkout, a mounted volume), where SQLite cannot create the files
/// its WAL mode reads through.
@Suite("A read-only state folder")
struct ReadOnlyStateTests {
  @Test("plan, state list and history read it; apply says why it cannot write")
  func readers() async throws {
    let folder = makeWorkspace()
    #expect(try await Boardctl(folder).run("apply", "--auto-approve").status == 0)
    #expect(!folder.exists(".boardctl/state.db-shm"), "closed cleanly: nothing but the database file")
    // Root ignores permissions: run as nobody then, with a copy of the binary it can reach.
    let isRoot = getuid() == 0
    var command = [Boardctl.binary]
    if isRoot {
      let binary = folder.path + "/bin/boardctl"
      try FileManager.default.createDirectory(atPath: folder.path + "/bin", withIntermediateDirectories: true)
      // Copied by a child process: a write descriptor open in this process while other tests
      // spawn children could be inherited, and the copy would then not execute (ETXTBSY).
      let copy = try await ChildProcess("/bin/cp", [Boardctl.binary, binary]).run()
      try #require(copy.status == 0, "\(copy.standardError)")
      command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", "env", "HOME=/tmp", binary]
      for path in try [folder.path]
        + FileManager.default.subpathsOfDirectory(atPath: folder.path).map({ folder.path + "/" + $0 })
      {
        var info = stat()
        stat(path, &info)
        chmod(path, (info.st_mode & S_IFMT) == S_IFDIR ? 0o777 : 0o755)
      }
    }
    for path in [".boardctl/state.db", ".boardctl/state.db.lock", ".boardctl"] {
      chmod(folder.path + "/" + path, path == ".boardctl" ? 0o555 : 0o444)
    }
    defer { chmod(folder.path + "/.boardctl", 0o755) }
    func run(_ arguments: String...) async throws -> ChildProcess.Output {
      try await ChildProcess("/usr/bin/env", command + arguments, directory: folder.path).run()
    }
    let plan = try await run("plan", "--detailed-exitcode")
    #expect(plan.status == 0, "\(plan.standardError)")
    #expect(plan.standardOutput.contains("No changes."))
    let list = try await run("state", "list")
    #expect(list.status == 0, "\(list.standardError)")
    #expect(list.standardOutput.split(separator: "\n").count == 8)
    #expect(try await run("history").status == 0)
    folder.remove("boards.d/postings/analyst.yaml")
    let apply = try await run("apply", "--auto-approve")
    #expect(apply.status == 1)
    #expect(
      apply.standardError.contains("Check that this user can read and write the file and its folder"),
      "\(apply.standardError)")
    #expect(folder.exists("public/careers/analyst.html"), "apply changed nothing")
  }
}
