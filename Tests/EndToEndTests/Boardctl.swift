import BoardTesting
import Foundation
import Testing

/// A small workspace with both file boards: three postings, one remote.
func makeWorkspace(in folder: TemporaryFolder = TemporaryFolder(), state: String = "{backend: sqlite}")
  -> TemporaryFolder
{
  folder.write(
    "boards.d/workspace.yaml",
    """
    kind: Workspace
    name: acme
    state: \(state)
    organization: {name: Acme Pacific, url: https://acme.example}
    ---
    kind: Board
    name: careers
    platform: careers-site
    settings: {output: public/careers, base_url: https://jobs.acme.example}
    ---
    kind: Board
    name: indeed
    platform: indeed-feed
    settings: {output: public/indeed.xml, job_url: "https://jobs.acme.example/{name}.html"}
    """)
  for (name, city, remote) in [("backend", "Suva", false), ("analyst", "Apia", false), ("frontend", "Auckland", true)] {
    folder.write(
      "boards.d/postings/\(name).yaml",
      """
      kind: Posting
      name: \(name)
      title: \(name.capitalized) Engineer
      description: |
        You will build \(name) systems for the Pacific.
      employment_type: full_time
      location: {city: \(city), region: Central, country: \(city == "Auckland" ? "NZ" : "FJ"), remote: \(remote)}
      salary: {min: 40000, max: 60000, currency: \(city == "Auckland" ? "NZD" : "FJD"), period: year}
      valid_through: 2027-06-30
      boards: [careers, indeed]
      """)
  }
  return folder
}

/// `count` more postings on both file boards, so an apply runs long enough to race or kill.
func addPostings(_ folder: TemporaryFolder, count: Int) {
  var text = ""
  for index in 0..<count {
    text += """
      kind: Posting
      name: extra-\(index)
      title: Engineer \(index)
      description: Posting \(index).
      location: {city: Suva, region: Central, country: FJ}
      apply_url: https://acme.example/apply/\(index)
      boards: [careers, indeed]
      ---

      """
  }
  folder.write("boards.d/postings/extra.yaml", text)
}
