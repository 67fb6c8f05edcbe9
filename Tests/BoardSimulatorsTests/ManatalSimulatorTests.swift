import BoardHTTP
import BoardSimulators
import BoardSupport
import Foundation
import Testing

/// Runs a Manatal simulator on loopback and hands the test an authenticated client for it.
func withManatal(
  _ configure: (inout ManatalSimulator.Configuration) -> Void = { _ in },
  limit: RateLimit = RateLimit(1000, per: .seconds(1)),
  _ body: (_ api: String, _ http: BoardHTTPClient, _ auth: [(String, String)]) async throws -> Void
) async throws {
  var configuration = ManatalSimulator.Configuration()
  configure(&configuration)
  let simulator = ManatalSimulator(configuration: configuration)
  try await withHTTPRuntime { runtime in
    let http = BoardHTTPClient(
      runtime: runtime,
      .init(
        board: "manatal", rateLimit: limit,
        policy: RetryPolicy(maxAttempts: 3, baseDelay: .milliseconds(5), maxDelay: .milliseconds(20))))
    try await SimulatorServer.with(respond: simulator.respond) { base in
      try await body(base + "/open/v3", http, [("Authorization", "Token \(configuration.token)")])
    }
  }
}

func object(_ result: HTTPResult) throws -> [String: JSONValue] {
  guard case .object(let fields) = try JSONDecoder().decode(JSONValue.self, from: result.body) else {
    throw CocoaError(.coderReadCorrupt)
  }
  return fields
}

func post(_ http: BoardHTTPClient, _ url: String, _ auth: [(String, String)], _ json: String) async throws -> HTTPResult
{
  try await http.send(
    HTTPRequestSpec(.POST, url, headers: auth + [("Content-Type", "application/json")], body: Data(json.utf8)))
}

@Suite("Manatal simulator")
struct ManatalSimulatorTests {
  @Test("token auth: no header and a wrong token are 401 with a DRF detail")
  func auth() async throws {
    try await withManatal { api, http, _ in
      let missing = try await http.send(HTTPRequestSpec(.GET, api + "/users/"))
      #expect(missing.status == 401)
      #expect(try object(missing)["detail"] == .string("Authentication credentials were not provided."))
      let wrong = try await http.send(
        HTTPRequestSpec(.GET, api + "/users/", headers: [("Authorization", "Token nope")]))
      #expect(wrong.status == 401)
      #expect(try object(wrong)["detail"] == .string("Invalid token."))
    }
  }

  @Test("jobs: create, filter by external_id, patch replacing custom_fields whole, delete")
  func jobs() async throws {
    try await withManatal { api, http, auth in
      let organization = try object(try await post(http, api + "/organizations/", auth, #"{"name": "Acme"}"#))
      let orgID = try #require(organization["id"]?.int)
      let created = try await post(
        http, api + "/jobs/", auth,
        #"{"position_name": "Engineer", "organization": \#(orgID), "external_id": "boardctl:acme:x", "custom_fields": {"a": 1, "b": 2}}"#
      )
      #expect(created.status == 201)
      let job = try object(created)
      let id = try #require(job["id"]?.int)
      #expect(job["status"] == .string("active"))
      let found = try object(
        try await http.send(HTTPRequestSpec(.GET, api + "/jobs/?external_id=boardctl:acme:x", headers: auth)))
      #expect(found["count"] == .number(1))
      let patched = try await http.send(
        HTTPRequestSpec(.PATCH, api + "/jobs/\(id)/", headers: auth, body: Data(#"{"custom_fields": {"b": 3}}"#.utf8)))
      #expect(try object(patched)["custom_fields"] == .object(["b": .number(3)]))
      #expect(try await http.send(HTTPRequestSpec(.DELETE, api + "/jobs/\(id)/", headers: auth)).status == 204)
      #expect(try await http.send(HTTPRequestSpec(.GET, api + "/jobs/\(id)/", headers: auth)).status == 404)
    }
  }

  @Test("validation errors are DRF field maps")
  func validation() async throws {
    try await withManatal { api, http, auth in
      let missing = try await post(http, api + "/jobs/", auth, #"{"description": "x"}"#)
      #expect(missing.status == 400)
      let errors = try object(missing)
      #expect(errors["position_name"] == .array([.string("This field is required.")]))
      #expect(errors["organization"] == .array([.string("This field is required.")]))
      let bad = try await post(
        http, api + "/jobs/", auth, #"{"position_name": "X", "organization": 999, "contract_details": "forever"}"#)
      let badErrors = try object(bad)
      #expect(badErrors["organization"] != nil)
      #expect(badErrors["contract_details"] == .array([.string("\"forever\" is not a valid choice.")]))
    }
  }

  @Test("paging: default 10, at most 100, absolute next URLs, 404 past the end, trailing slash required")
  func paging() async throws {
    try await withManatal { api, http, auth in
      let orgID = try #require(
        try object(try await post(http, api + "/organizations/", auth, #"{"name": "Acme"}"#))["id"]?.int)
      for index in 0..<25 {
        _ = try await post(
          http, api + "/jobs/", auth, #"{"position_name": "Job \#(index)", "organization": \#(orgID)}"#)
      }
      let first = try object(try await http.send(HTTPRequestSpec(.GET, api + "/jobs/", headers: auth)))
      #expect(first["count"] == .number(25))
      if case .array(let results)? = first["results"] { #expect(results.count == 10) }
      #expect(first["next"]?.string?.hasPrefix("http://127.0.0.1:") == true)
      struct Page: Decodable {
        var results: [JSONValue]
      }
      let all: [JSONValue] = try await http.pages(
        .nextURL(HTTPRequestSpec(.GET, api + "/jobs/?page_size=500", headers: auth))
      ) { result in
        try JSONDecoder().decode(Page.self, from: result.body).results
      }
      #expect(all.count == 25)
      #expect(try await http.send(HTTPRequestSpec(.GET, api + "/jobs/?page=9", headers: auth)).status == 404)
      #expect(try await http.send(HTTPRequestSpec(.GET, api + "/jobs", headers: auth)).status == 404)
    }
  }

  @Test("the rate limit answers 429; a client budget with a margin under the limit never meets it")
  func rateLimit() async throws {
    // A long window, so that the four requests fall in one however loaded the machine is (tests
    // that block the shared thread pool while a boardctl process runs can hold this one for long).
    try await withManatal({
      $0.rateLimit = 3; $0.rateWindow = .seconds(600)
    }) { api, http, auth in
      // Straight past the limit with a generous client budget: the 4th request in the window is 429.
      let raw = BoardHTTPClient(
        runtime: http.runtime,
        .init(board: "raw", rateLimit: RateLimit(100, per: .seconds(1)), policy: RetryPolicy(rateLimitWait: .zero)))
      var statuses: [Int] = []
      for _ in 0..<4 {
        do {
          statuses.append(try await raw.send(HTTPRequestSpec(.GET, api + "/users/", headers: auth)).status)
        } catch HTTPFailure.rateLimited {
          statuses.append(429)  // no waiting allowed: a 429 ends it
        }
      }
      #expect(statuses == [200, 200, 200, 429])
      _ = http
    }
    try await withManatal(
      {
        $0.rateLimit = 3; $0.rateWindow = .milliseconds(600)
      },
      limit: RateLimit(3, per: .milliseconds(1000))
    ) { api, http, auth in
      for _ in 0..<7 {
        let status = try await http.send(HTTPRequestSpec(.GET, api + "/users/", headers: auth)).status
        #expect(status == 200)
      }
      #expect(http.counters.snapshot.rateLimited == 0)
    }
  }

  @Test("injected server errors: reads retry through them; at 100 % the client gives up")
  func faults() async throws {
    try await withManatal({ $0.serverErrorRate = 1.0 }) { api, http, auth in
      do {
        _ = try await http.send(HTTPRequestSpec(.GET, api + "/users/", headers: auth))
        Issue.record("expected to give up")
      } catch let failure as HTTPFailure {
        guard case .gaveUp(_, let status, let attempts) = failure else {
          Issue.record("\(failure)")
          return
        }
        #expect([500, 502, 503].contains(status))
        #expect(attempts == 3)
      }
    }
  }

  @Test("stats count jobs per external_id, so tests can prove there are no duplicates")
  func stats() async throws {
    try await withManatal { api, http, auth in
      let orgID = try #require(
        try object(try await post(http, api + "/organizations/", auth, #"{"name": "Acme"}"#))["id"]?.int)
      for _ in 0..<2 {
        _ = try await post(
          http, api + "/jobs/", auth, #"{"position_name": "A", "organization": \#(orgID), "external_id": "dup"}"#)
      }
      let stats = try object(
        try await http.send(HTTPRequestSpec(.GET, api.replacingOccurrences(of: "/open/v3", with: "") + "/_sim/stats")))
      #expect(stats["jobs_per_external_id"]?["dup"] == .number(2))
    }
  }
}

@Suite("Manatal simulator: applications, webhooks and resets")
struct ManatalSimulatorMoreTests {
  @Test("candidates and matches: the (candidate, job) pair is unique; a stage move sets the stage; nested lists")
  func matches() async throws {
    try await withManatal { api, http, auth in
      let orgID = try #require(
        try object(try await post(http, api + "/organizations/", auth, #"{"name": "Acme"}"#))["id"]?.int)
      let jobID = try #require(
        try object(try await post(http, api + "/jobs/", auth, #"{"position_name": "A", "organization": \#(orgID)}"#))[
          "id"]?.int)
      let noName = try await post(http, api + "/candidates/", auth, #"{"email": "a@b.example"}"#)
      #expect(try object(noName)["full_name"] == .array([.string("This field is required.")]))
      let candidateID = try #require(
        try object(
          try await post(http, api + "/candidates/", auth, #"{"full_name": "Ana Vuki", "email": "ana@x.example"}"#))[
            "id"]?.int)
      let byEmail = try object(
        try await http.send(HTTPRequestSpec(.GET, api + "/candidates/?email=ana@x.example", headers: auth)))
      #expect(byEmail["count"] == .number(1))
      let body = #"{"candidate": \#(candidateID), "job": \#(jobID)}"#
      let match = try object(try await post(http, api + "/matches/", auth, body))
      let matchID = try #require(match["id"]?.int)
      #expect(match["stage"]?["name"] == .string("Applied"))
      let again = try await post(http, api + "/matches/", auth, body)
      #expect(again.status == 400)
      #expect(try object(again)["non_field_errors"] != nil)
      let stages = try object(try await http.send(HTTPRequestSpec(.GET, api + "/match-stages/", headers: auth)))
      #expect(stages["count"] == .number(5))
      let moved = try await http.send(
        HTTPRequestSpec(
          .PATCH, api + "/matches/\(matchID)/", headers: auth, body: Data(#"{"job_pipeline_stage": {"id": 5}}"#.utf8)))
      #expect(try object(moved)["stage"]?["name"] == .string("Hired"))
      #expect(try object(moved)["hired_at"] != nil)
      let forJob = try object(
        try await http.send(HTTPRequestSpec(.GET, api + "/jobs/\(jobID)/matches/", headers: auth)))
      #expect(forJob["count"] == .number(1))
      #expect(try await post(http, api + "/match-stages/", auth, "{}").status == 405)

      // Notes are a bare JSON array, not the paging envelope.
      #expect(
        try await post(http, api + "/candidates/\(candidateID)/notes/", auth, #"{"info": "Called"}"#).status == 201)
      let notes = try await http.send(HTTPRequestSpec(.GET, api + "/candidates/\(candidateID)/notes/", headers: auth))
      guard case .array(let list) = try JSONDecoder().decode(JSONValue.self, from: notes.body) else {
        Issue.record("notes are not a bare array")
        return
      }
      #expect(list.first?["info"] == .string("Called"))
    }
  }

  @Test("Manahook: register, list and delete webhooks; unknown events are 422 with FastAPI details")
  func webhooks() async throws {
    try await withManatal { api, http, auth in
      let hooks = api.replacingOccurrences(of: "/open/v3", with: "/v1") + "/webhooks/"
      let created = try await post(
        http, hooks, auth, #"{"model": "match", "action": "moved", "target_url": "https://h.example/x"}"#)
      #expect(created.status == 201)
      let id = try #require(try object(created)["id"]?.string)
      let bad = try await post(http, hooks, auth, #"{"model": "job", "action": "created", "target_url": "https://h"}"#)
      #expect(bad.status == 422)
      #expect(String(decoding: bad.body, as: UTF8.self).contains(#""loc":["body","action"]"#))
      let list = try JSONDecoder().decode(
        JSONValue.self, from: try await http.send(HTTPRequestSpec(.GET, hooks, headers: auth)).body)
      #expect(list == .array([try JSONDecoder().decode(JSONValue.self, from: created.body)]))
      #expect(try await http.send(HTTPRequestSpec(.DELETE, hooks + "\(id)/", headers: auth)).status == 204)
      #expect(try await http.send(HTTPRequestSpec(.DELETE, hooks + "\(id)/", headers: auth)).status == 404)
    }
  }

  @Test("a reset after the write: the client cannot know, the job exists; a reset before: nothing happened")
  func resets() async throws {
    for (kind, committed) in [("reset-after", true), ("reset-before", false)] {
      try await withManatal({ try? $0.faults.apply("\(kind)=1@POST:/open/v3/jobs/") }) { api, http, auth in
        let orgID = try #require(
          try object(try await post(http, api + "/organizations/", auth, #"{"name": "Acme"}"#))["id"]?.int)
        do {
          _ = try await post(
            http, api + "/jobs/", auth, #"{"position_name": "A", "organization": \#(orgID), "external_id": "t"}"#)
          Issue.record("the \(kind) POST answered")
        } catch HTTPFailure.writeOutcomeUnknown {
          // As it must: the write was sent and the connection died.
        }
        let found = try object(try await http.send(HTTPRequestSpec(.GET, api + "/jobs/?external_id=t", headers: auth)))
        #expect(found["count"] == .number(committed ? 1 : 0), "\(kind)")
      }
    }
  }

  @Test("faults parse per endpoint, the longest matching prefix wins, and bad ones are refused")
  func faultOptions() throws {
    var faults = SimulatorFaults()
    try faults.apply("server-error=0.2")
    try faults.apply("reset-after=0.5@POST:/open/v3/jobs/")
    #expect(faults.rates(method: "GET", path: "/open/v3/jobs/").serverError == 0.2)
    #expect(faults.rates(method: "POST", path: "/open/v3/jobs/").resetAfter == 0.5)
    #expect(faults.rates(method: "POST", path: "/open/v3/jobs/").serverError == 0)
    #expect(throws: SimulatorFaults.FaultSyntax.self) { try faults.apply("explode=1") }
    #expect(throws: SimulatorFaults.FaultSyntax.self) { try faults.apply("throttle=lots") }
  }
}
