import BoardHTTP
import BoardTesting
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A workspace with one Manatal board pointing at `simulator`, a recipient key and the sealed
/// token; in `folder` with `state` and `environment` when given (a `BackendWorkspace`'s).
func makeManatalWorkspace(
  _ simulator: SimulatorProcess, postings: Int, settings: String = "", token: String? = nil,
  in folder: TemporaryFolder = TemporaryFolder(), state: String = "{backend: sqlite}",
  environment: [String: String] = [:]
) async throws -> (TemporaryFolder, Boardctl) {
  var boardctl = Boardctl(folder)
  boardctl.environment["BOARDCTL_KEY_DIR"] = folder.path + "/private-keys"
  for (key, value) in environment { boardctl.environment[key] = value }
  folder.write(
    "boards.d/workspace.yaml",
    """
    kind: Workspace
    name: acme
    state: \(state)
    organization: {name: Acme Pacific, url: https://acme.example}
    ---
    kind: Board
    name: manatal
    platform: manatal
    credential: manatal-token
    settings:
      endpoint: \(simulator.url)
      webhooks_endpoint: \(simulator.hooksURL)
      organization: Acme Pacific
      create_organization: true
    \(settings.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    """)
  writeManatalPostings(folder, count: postings)
  #expect(try await boardctl.run("keys", "generate", "ci").status == 0)
  let sealed = try await boardctl.run(
    ["seal", "manatal-token", "--field", "token", "--host", simulator.root], stdin: (token ?? simulator.token) + "\n")
  #expect(sealed.status == 0, "\(sealed.stderr)")
  return (folder, boardctl)
}

/// `count` postings on the Manatal board, `job-0` … (titles "Engineer N").
func writeManatalPostings(_ folder: TemporaryFolder, count: Int, retitled: Set<Int> = [], skipping: Set<Int> = []) {
  var text = ""
  for index in 0..<count where !skipping.contains(index) {
    text += """
      kind: Posting
      name: job-\(index)
      title: \(retitled.contains(index) ? "Senior " : "")Engineer \(index)
      description: |
        Build **things** for the Pacific, role \(index).
      employment_type: full_time
      location: {city: Suva, region: Central, country: FJ}
      salary: {min: 40000, max: 60000, currency: FJD, period: year}
      valid_through: 2027-06-30
      boards: [manatal]
      ---

      """
  }
  folder.write("boards.d/postings.yaml", text)
}
