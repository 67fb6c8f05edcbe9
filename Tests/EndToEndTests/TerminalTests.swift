import BoardSupport
import BoardTesting
import Foundation
import Testing

/// Runs `boardctl ARGS` on a pseudo-terminal (through Python's pty module), answering the first
/// prompt with `answer`; returns the exit status and everything the terminal showed.
func runOnTerminal(
  _ folder: TemporaryFolder, _ arguments: [String], answer: String, environment: [String: String] = [:]
)
  async throws -> (status: Int32, screen: String)
{
  let script = """
    import os, pty, sys
    binary, answer = sys.argv[1], sys.argv[2]
    pid, fd = pty.fork()
    if pid == 0:
        os.execv(binary, [binary] + sys.argv[3:])
    out, answered = b'', False
    while True:
        try:
            data = os.read(fd, 4096)
        except OSError:
            break
        if not data:
            break
        out += data
        if not answered and b'Enter a value:' in out:
            os.write(fd, (answer + '\\n').encode())
            answered = True
    _, status = os.waitpid(pid, 0)
    sys.stdout.write(str(os.waitstatus_to_exitcode(status)) + '\\n' + out.decode(errors='replace'))
    """
  var env = ProcessInfo.processInfo.environment
  env["BOARDCTL_NOW"] = "2026-11-21T10:00:00Z"
  env["NO_COLOR"] = nil
  for (key, value) in environment { env[key] = value }
  let output = try await ChildProcess(
    "/usr/bin/env", ["python3", "-c", script, Boardctl.binary, answer] + arguments, environment: env,
    directory: folder.path
  ).run().standardOutput
  let firstLine = output.prefix { $0 != "\n" }
  return (Int32(firstLine) ?? -1, String(output.dropFirst(firstLine.count + 1)))
}

@Suite("On a terminal")
struct TerminalTests {
  @Test("apply asks for confirmation and applies on 'yes'")
  func confirmYes() async throws {
    let folder = makeWorkspace()
    let result = try await runOnTerminal(folder, ["apply"], answer: "yes")
    #expect(result.status == 0, "\(result.screen)")
    #expect(result.screen.contains("Do you want to perform these actions?"))
    #expect(result.screen.contains("Apply complete!"))
    #expect(folder.exists("public/careers/backend.html"))
  }

  @Test("any answer but 'yes' cancels and changes nothing")
  func confirmNo() async throws {
    let folder = makeWorkspace()
    let result = try await runOnTerminal(folder, ["apply"], answer: "y")
    #expect(result.status == 1)
    #expect(result.screen.contains("apply cancelled; nothing was changed"))
    #expect(!folder.exists("public"))
  }

  @Test("the plan is coloured on a terminal, and not with NO_COLOR")
  func colour() async throws {
    let folder = makeWorkspace()
    let coloured = try await runOnTerminal(folder, ["plan"], answer: "")
    #expect(coloured.screen.contains("\u{1B}[32m+\u{1B}[0m careers.page.backend"))
    let plain = try await runOnTerminal(folder, ["plan"], answer: "", environment: ["NO_COLOR": "1"])
    #expect(!plain.screen.contains("\u{1B}["))
    #expect(plain.screen.contains("+ careers.page.backend {"))
  }
}
