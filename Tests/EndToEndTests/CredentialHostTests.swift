import BoardSupport
import BoardTesting
import Foundation
import Testing

/// A pull request may change a board's `endpoint`; the credential still goes only to the hosts
/// it was sealed for.
@Suite("Credential hosts")
struct CredentialHostTests {
  @Test("an endpoint moved to another host: plan and apply refuse at its position, and that host gets nothing")
  func endpointMoved() async throws {
    let simulator = try await SimulatorProcess.start(fastLimit + ["--token", "canary-token-9d1c"])
    // The attacker's collector: a server that would gladly take the token.
    let collector = try await SimulatorProcess.start(fastLimit)
    let (folder, boardctl) = try await makeManatalWorkspace(simulator, postings: 1, settings: fastSettings)
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let workspace = try #require(folder.read("boards.d/workspace.yaml"))
    folder.write("boards.d/workspace.yaml", workspace.replacingOccurrences(of: simulator.url, with: collector.url))
    let line = try #require(
      folder.read("boards.d/workspace.yaml")?.split(separator: "\n", omittingEmptySubsequences: false).firstIndex {
        $0.contains("endpoint: \(collector.url)")
      })
    let before = folder.snapshotWithoutSideFiles()
    let target = collector.root.replacingOccurrences(of: "http://", with: "")
    for command in [["plan"], ["apply", "--auto-approve"], ["boards", "test"]] {
      let result = try await boardctl.run(command)
      #expect(result.status == 1, "\(command): \(result.stdout)\(result.stderr)")
      #expect(
        result.stderr.contains(
          "boards.d/workspace.yaml:\(line + 1):13: error: board 'manatal' would send credential 'manatal-token' to \(target)"
        ), "\(result.stderr)")
      #expect(result.stderr.contains("--host \(target)"))
      #expect(!(result.stdout + result.stderr).contains("canary-token-9d1c"))
      #expect(folder.snapshotWithoutSideFiles() == before)
    }
    let stats = try await collector.stats()
    #expect(stats.counters["requests", default: 0] == 0, "the collector was sent \(stats.counters)")
  }

  @Test("a board that declares no webhooks never sends its credential to Manahook, so needs no host for it")
  func noWebhooks() async throws {
    let simulator = try await SimulatorProcess.start(fastLimit)
    let (folder, boardctl) = try await makeManatalWorkspace(simulator, postings: 1, settings: fastSettings)
    let workspace = try #require(folder.read("boards.d/workspace.yaml"))
    folder.write(
      "boards.d/workspace.yaml",
      workspace.split(separator: "\n").filter { !$0.contains("webhooks_endpoint") }.joined(separator: "\n"))
    let plan = try await boardctl.run("plan")
    #expect(plan.status == 0, "\(plan.stderr)")
    #expect(plan.stdout.contains("sent_to"))
  }

  @Test("sealed without --host, a credential goes only to the platform's own hosts")
  func defaultHosts() async throws {
    let simulator = try await SimulatorProcess.start(fastLimit)
    let (folder, boardctl) = try await makeManatalWorkspace(simulator, postings: 1, settings: fastSettings)
    let sealed = try await boardctl.run(["seal", "other-token", "--field", "token"], stdin: "canary-other-41ab\n")
    #expect(sealed.status == 0, "\(sealed.stderr)")
    // A new credential, no board uses it yet: bound to no host.
    #expect(!sealed.stderr.contains("may be sent to"))
    let workspace = try #require(folder.read("boards.d/workspace.yaml"))
    folder.write(
      "boards.d/workspace.yaml",
      workspace.replacingOccurrences(of: "credential: manatal-token", with: "credential: fresh"))
    let fresh = try await boardctl.run(["seal", "fresh", "--field", "token"], stdin: simulator.token + "\n")
    #expect(
      fresh.stderr.contains("it may be sent to api.manatal.com, manahook.api.manatal.com only"), "\(fresh.stderr)")
    let plan = try await boardctl.run("plan")
    #expect(plan.status == 1)
    #expect(plan.stderr.contains("sealed for api.manatal.com, manahook.api.manatal.com only"), "\(plan.stderr)")
    #expect(try await simulator.stats().counters["requests", default: 0] == 0)
  }

  @Test("the hosts a credential goes to are in the plan: a changed endpoint shows as a change")
  func shownInPlan() async throws {
    let simulator = try await SimulatorProcess.start(fastLimit)
    let second = try await SimulatorProcess.start(fastLimit + ["--token", simulator.token])
    let (folder, boardctl) = try await makeManatalWorkspace(simulator, postings: 1, settings: fastSettings)
    // Sealed for both hosts: moving is allowed, and the reviewer sees it.
    let resealed = try await boardctl.run(
      ["seal", "manatal-token", "--field", "token", "--host", simulator.root, "--host", second.root],
      stdin: simulator.token + "\n")
    #expect(resealed.status == 0, "\(resealed.stderr)")
    #expect(try await boardctl.run("apply", "--auto-approve").status == 0)
    let workspace = try #require(folder.read("boards.d/workspace.yaml"))
    folder.write("boards.d/workspace.yaml", workspace.replacingOccurrences(of: simulator.root, with: second.root))
    let plan = try await boardctl.run("plan", "--no-refresh")
    #expect(plan.stdout.contains("~ manatal.credential.manatal-token"), "\(plan.stdout)\(plan.stderr)")
    let old = simulator.root.replacingOccurrences(of: "http://", with: "")
    let new = second.root.replacingOccurrences(of: "http://", with: "")
    #expect(plan.stdout.contains("sent_to = \"\(old), \(old)\" -> \"\(new), \(new)\""), "\(plan.stdout)")
  }
}
