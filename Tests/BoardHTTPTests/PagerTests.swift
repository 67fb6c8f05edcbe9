import BoardHTTP
import Foundation
import Hummingbird
import Testing

/// Five records a paged test endpoint serves.
let records = ["a", "b", "c", "d", "e"]

/// A Wix-style page of `records` from `offset`, with its paging metadata.
func wixPage(_ key: String = "items", from offset: Int, limit: Int, metadata: [String: Any]) -> Response {
  let page = Array(records.dropFirst(offset).prefix(limit))
  let body: [String: Any] = [key: page, "pagingMetadata": metadata]
  let data = try! JSONSerialization.data(withJSONObject: body)
  return response(.ok, String(decoding: data, as: UTF8.self))
}

func strings(_ key: String) -> @Sendable (HTTPResult) throws -> [String] {
  { result in
    (try JSONSerialization.jsonObject(with: result.body) as? [String: Any])?[key] as? [String] ?? []
  }
}

@Suite("Pagers: one request per page, whatever the style")
struct PagerTests {
  @Test("DRF: absolute next URLs are followed, one request per page; a bare array is one page")
  func nextURL() async throws {
    try await withServer({ router, _ in
      router.get("/jobs/") { request, _ in
        let page = Int(request.uri.queryParameters["page"].map(String.init) ?? "1") ?? 1
        let host = request.head.authority ?? "127.0.0.1"
        let next = page < 3 ? "\"http://\(host)/jobs/?page=\(page + 1)&page_size=2\"" : "null"
        return response(.ok, "{\"count\": 6, \"next\": \(next), \"results\": [\(page), \(page * 10)]}")
      }
      router.get("/jobs/1/notes/") { _, _ in response(.ok, "[7, 8]") }
    }) { base, log in
      try await withHTTPRuntime { runtime in
        struct Page: Decodable { var results: [Int] }
        let http = client(runtime)
        let items = try await http.pages(.nextURL(HTTPRequestSpec(.GET, base + "/jobs/?page_size=2"))) {
          try JSONDecoder().decode(Page.self, from: $0.body).results
        }
        #expect(items == [1, 10, 2, 20, 3, 30])
        #expect(await log.count("/jobs/") == 3)
        let notes = try await http.pages(.nextURL(HTTPRequestSpec(.GET, base + "/jobs/1/notes/"))) {
          try JSONDecoder().decode([Int].self, from: $0.body)
        }
        #expect(notes == [7, 8])
        #expect(await log.count("/jobs/1/notes/") == 1)
      }
    }
  }

  @Test("a next URL on another host is refused before anything is sent there")
  func nextURLElsewhere() async throws {
    try await withServer({ router, _ in
      router.get("/jobs/") { _, _ in
        response(.ok, #"{"next": "https://collector.example/jobs/?page=2", "results": [1]}"#)
      }
    }) { base, log in
      try await withHTTPRuntime { runtime in
        let failure = await #expect(throws: HTTPFailure.self) {
          _ = try await client(runtime).pages(.nextURL(HTTPRequestSpec(.GET, base + "/jobs/"))) { _ in [0] }
        }
        guard case .badPage(_, let reason)? = failure else {
          Issue.record("unexpected \(String(describing: failure))")
          return
        }
        #expect(reason.contains("collector.example"))
        #expect(await log.count("/jobs/") == 1)
      }
    }
  }

  @Test("a page answered other than 2xx ends the walk with the answer kept")
  func failedPage() async throws {
    try await withServer({ router, _ in
      router.get("/jobs/") { _, _ in response(.forbidden, #"{"detail": "No."}"#) }
    }) { base, _ in
      try await withHTTPRuntime { runtime in
        let failure = await #expect(throws: HTTPFailure.self) {
          _ = try await client(runtime).pages(.nextURL(HTTPRequestSpec(.GET, base + "/jobs/"))) { _ in [0] }
        }
        guard case .unsuccessful(_, let result)? = failure else {
          Issue.record("unexpected \(String(describing: failure))")
          return
        }
        #expect(result.status == 403)
        #expect(String(decoding: result.body, as: UTF8.self).contains("No."))
      }
    }
  }

  @Test("Wix cursor paging in a POST body: limit on every page, the cursor after the first, filter only on the first")
  func cursorInBody() async throws {
    let problems = LockedLines()
    try await withServer({ router, _ in
      router.post("/contacts/v4/contacts/query") { request, _ in
        let body = try await jsonBody(request)
        let query = body["query"] as? [String: Any] ?? [:]
        let paging = query["cursorPaging"] as? [String: Any] ?? [:]
        let cursor = paging["cursor"] as? String
        let offset = cursor.flatMap { Int($0.dropFirst("after-".count)) } ?? 0
        if paging["limit"] as? Int != 2 { problems.append("limit \(String(describing: paging["limit"]))") }
        if body["fieldsets"] == nil { problems.append("fieldsets dropped") }
        if (cursor == nil) != (query["filter"] != nil) { problems.append("filter with cursor \(cursor ?? "none")") }
        if cursor != nil && query["sort"] != nil { problems.append("sort with a cursor") }
        let more = offset + 2 < records.count
        var metadata: [String: Any] = ["count": min(2, records.count - offset), "hasNext": more]
        if more { metadata["cursors"] = ["next": "after-\(offset + 2)"] }
        return wixPage(from: offset, limit: 2, metadata: metadata)
      }
    }) { base, log in
      try await withHTTPRuntime { runtime in
        let first = HTTPRequestSpec(
          .POST, base + "/contacts/v4/contacts/query",
          body: Data(
            #"{"fieldsets": ["FULL"], "query": {"filter": {"info.name.first": {"$eq": "Ana"}}, "sort": [{"fieldName": "createdDate"}]}}"#
              .utf8))
        let items = try await client(runtime).pages(try .cursor(first, limit: 2), decode: strings("items"))
        #expect(items == records)
        #expect(await log.count("/contacts/v4/contacts/query") == 3)
        #expect(problems.lines.isEmpty, "\(problems.lines)")
      }
    }
  }

  @Test("Wix offset paging in a POST body runs to pagingMetadata.total")
  func offsetInBody() async throws {
    let offsets = LockedLines()
    try await withServer({ router, _ in
      router.post("/members/v1/members/query") { request, _ in
        let paging = (try await jsonBody(request)["query"] as? [String: Any])?["paging"] as? [String: Any] ?? [:]
        let offset = paging["offset"] as? Int ?? -1
        offsets.append("\(offset)/\(paging["limit"] as? Int ?? -1)")
        return wixPage(
          from: offset, limit: 2,
          metadata: ["count": min(2, records.count - offset), "offset": offset, "total": records.count])
      }
    }) { base, log in
      try await withHTTPRuntime { runtime in
        let first = HTTPRequestSpec(.POST, base + "/members/v1/members/query", body: Data(#"{"query": {}}"#.utf8))
        let items = try await client(runtime).pages(try .offset(first, limit: 2), decode: strings("items"))
        #expect(items == records)
        #expect(await log.count("/members/v1/members/query") == 3)
        #expect(offsets.lines == ["0/2", "2/2", "4/2"])
      }
    }
  }

  @Test("offset paging in a GET's query parameters, without a total: it ends on an empty page")
  func offsetInQuery() async throws {
    try await withServer({ router, _ in
      router.get("/members/v1/members") { request, _ in
        let offset = Int(request.uri.queryParameters["paging.offset"].map(String.init) ?? "") ?? -1
        let limit = Int(request.uri.queryParameters["paging.limit"].map(String.init) ?? "") ?? -1
        let page = Array(records.prefix(4).dropFirst(offset).prefix(limit))
        let body: [String: Any] = ["members": page, "metadata": ["count": page.count, "offset": offset]]
        return response(.ok, String(decoding: try JSONSerialization.data(withJSONObject: body), as: UTF8.self))
      }
    }) { base, log in
      try await withHTTPRuntime { runtime in
        let first = HTTPRequestSpec(.GET, base + "/members/v1/members?fieldsets=FULL")
        let items = try await client(runtime).pages(
          try .offset(first, limit: 2, metadata: "metadata"), decode: strings("members"))
        #expect(items == Array(records.prefix(4)))
        let queries = await log.entries("/members/v1/members").map(\.query)
        #expect(queries.count == 3, "two full pages, then the empty one: \(queries)")
        #expect(queries.allSatisfy { $0.contains("fieldsets=FULL") })
      }
    }
  }
}
