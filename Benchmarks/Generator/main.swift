// Generates a boards.d with N synthetic postings for Benchmarks/run: on both file boards, or,
// with `manatal ENDPOINT RATE`, on one Manatal board at ENDPOINT allowed RATE requests a second.
// Usage: boardctl-bench-gen COUNT FOLDER [manatal ENDPOINT RATE]
import Foundation

let arguments = CommandLine.arguments
guard arguments.count == 3 || (arguments.count == 6 && arguments[3] == "manatal"), let count = Int(arguments[1]),
  count > 0
else {
  FileHandle.standardError.write(Data("usage: boardctl-bench-gen COUNT FOLDER [manatal ENDPOINT RATE]\n".utf8))
  exit(1)
}
let manatal = arguments.count == 6 ? (endpoint: arguments[4], rate: arguments[5]) : nil
let folder = URL(fileURLWithPath: arguments[2])
let config = folder.appendingPathComponent("boards.d")
try FileManager.default.createDirectory(at: config, withIntermediateDirectories: true)

let base = """
  kind: Workspace
  name: bench
  organization: {name: Bench Corp, url: https://bench.example, logo: https://bench.example/logo.png}
  ---
  kind: Board
  name: careers
  platform: careers-site
  settings: {output: public/careers, base_url: https://jobs.bench.example}
  defaults: {template: standard}
  ---
  kind: Board
  name: indeed
  platform: indeed-feed
  settings: {output: public/indeed.xml, job_url: "https://jobs.bench.example/{name}.html"}
  ---
  kind: Template
  name: standard
  title: "{{title}}"
  description: |
    {{{description}}}

    Bench Corp is an equal opportunity employer.

  """
let manatalBase = """
  kind: Workspace
  name: bench
  organization: {name: Bench Corp, url: https://bench.example}
  ---
  kind: Board
  name: manatal
  platform: manatal
  credential: manatal-token
  settings:
    endpoint: \(manatal?.endpoint ?? "")
    organization: Bench Corp
    create_organization: true
    rate_limit: {requests: \(manatal?.rate ?? "100"), per_seconds: 1}
    concurrency: 8

  """
try Data((manatal == nil ? base : manatalBase).utf8).write(to: config.appendingPathComponent("base.yaml"))
let boards = manatal == nil ? "[careers, indeed]" : "[manatal]"

let cities = [
  ("Suva", "Central", "FJ", "FJD"), ("Auckland", "Auckland", "NZ", "NZD"), ("Apia", "Tuamasaga", "WS", "USD"),
]
let types = ["full_time", "part_time", "contractor", "temporary"]
// Postings go 500 to a file, as a team with many postings would group them.
var text = ""
var file = 0
for index in 0..<count {
  let (city, region, country, currency) = cities[index % cities.count]
  text += """
    kind: Posting
    name: posting-\(index)
    title: Engineer \(index)
    description: |
      Posting number \(index). You will build and run services for our customers in \(city),
      working with a small team. We value careful work, clear writing and kindness.

      - Own features end to end
      - Review code and mentor
      - Share on-call fairly
    employment_type: \(types[index % types.count])
    location: {city: \(city), region: \(region), country: \(country), remote: \(index % 5 == 0)}
    salary: {min: \(40000 + index % 1000), max: \(60000 + index % 1000), currency: \(currency), period: year}
    valid_through: 2030-12-31
    apply_url: https://bench.example/apply/\(index)
    boards: \(boards)
    ---

    """
  if (index + 1) % 500 == 0 || index == count - 1 {
    try Data(text.utf8).write(to: config.appendingPathComponent("postings-\(file).yaml"))
    text = ""
    file += 1
  }
}
print("generated \(count) postings in \(file) files under \(config.path)")
