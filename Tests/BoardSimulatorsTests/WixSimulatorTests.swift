import BoardHTTP
import BoardSimulators
import BoardSupport
import Foundation
import Testing

/// A Wix simulator on loopback, and a client that sends its key and site id.
struct WixRig {
  let root: String
  let http: BoardHTTPClient
  let member: String
  let configuration: WixSimulator.Configuration

  var auth: [(String, String)] { [("Authorization", configuration.apiKey), ("wix-site-id", configuration.siteID)] }

  /// Sends a request; 5xx and 429 come back as statuses, not retried or waited out.
  func send(
    _ method: HTTPRequestSpec.Method, _ path: String, _ json: String? = nil, headers: [(String, String)]? = nil
  ) async throws -> (status: Int, body: Data) {
    var all = headers ?? auth
    if json != nil { all.append(("Content-Type", "application/json")) }
    do {
      let result = try await http.send(
        HTTPRequestSpec(method, root + path, headers: all, body: json.map { Data($0.utf8) }))
      return (result.status, result.body)
    } catch HTTPFailure.rateLimited {
      return (429, Data())
    } catch HTTPFailure.gaveUp(_, let status, _) {
      return (status, Data())
    }
  }

  /// Sends a request and reads its JSON answer, expecting `status`.
  func json(
    _ method: HTTPRequestSpec.Method, _ path: String, _ body: String? = nil, status: Int = 200,
    sourceLocation: SourceLocation = #_sourceLocation
  ) async throws -> JSONValue {
    let result = try await send(method, path, body)
    let value = JSONValue.parse(result.body) ?? .null
    #expect(
      result.status == status, "\(method) \(path): \(String(decoding: result.body, as: UTF8.self))",
      sourceLocation: sourceLocation)
    return value
  }

  func stats() async throws -> JSONValue { try await json(.GET, "/_sim/stats") }

  /// A draft post body owned by the site's blog owner.
  func draft(_ title: String, hashtags: [String] = [], extra: String = "") -> String {
    let tags = hashtags.map { "\"\($0)\"" }.joined(separator: ",")
    return #"{"memberId": "\#(member)", "title": "\#(title)", "hashtags": [\#(tags)]\#(extra)}"#
  }
}

func withWix(
  _ configure: (inout WixSimulator.Configuration) -> Void = { _ in }, _ body: (WixRig) async throws -> Void
) async throws {
  var configuration = WixSimulator.Configuration()
  configure(&configuration)
  let simulator = WixSimulator(configuration: configuration)
  try await withHTTPRuntime { runtime in
    let http = BoardHTTPClient(
      runtime: runtime,
      .init(
        board: "wix-test", rateLimit: RateLimit(1000, per: .seconds(1)),
        policy: RetryPolicy(maxAttempts: 1, rateLimitWait: .zero)))
    try await SimulatorServer.with(respond: simulator.respond) { base in
      try await body(
        WixRig(root: base, http: http, member: simulator.ownerMemberID, configuration: configuration))
    }
  }
}

extension JSONValue {
  var count: Int { array?.count ?? -1 }
  var ids: [String] { (array ?? []).compactMap { $0["id"]?.string } }
}

@Suite("Wix simulator: auth, limits, faults, stats")
struct WixSimulatorTests {
  @Test("the raw key and the site id pass; Bearer, a wrong key, no or another site id are 403 in Wix's shape")
  func auth() async throws {
    try await withWix { wix in
      #expect(try await wix.send(.GET, "/members/v1/members").status == 200)
      let key = wix.configuration.apiKey
      let refused: [[(String, String)]] = [
        [("Authorization", "Bearer \(key)"), ("wix-site-id", "sim-site")],
        [("Authorization", "wrong"), ("wix-site-id", "sim-site")],
        [("Authorization", key)],
        [("Authorization", key), ("wix-site-id", "other-site")],
        [("wix-site-id", "sim-site")],
      ]
      for headers in refused {
        let result = try await wix.send(.GET, "/members/v1/members", headers: headers)
        #expect(result.status == 403, "\(headers)")
        let body = JSONValue.parse(result.body)
        #expect(body?["message"]?.string?.isEmpty == false)
        #expect(body?["details"]?["applicationError"]?["code"]?.string != nil)
      }
      let bearer = try await wix.send(.GET, "/members/v1/members", headers: [("Authorization", "Bearer \(key)")])
      #expect(JSONValue.parse(bearer.body)?["message"]?.string?.contains("Bearer") == true)
    }
  }

  @Test("over the per-site limit: 429, or 403 with an empty message in the 403 mode")
  func rateLimit() async throws {
    for empty403 in [false, true] {
      // A long window, so the four requests fall in one however loaded the machine is.
      try await withWix({
        $0.rateLimit = 3
        $0.rateWindow = .seconds(600)
        $0.throttleWith403 = empty403
      }) { wix in
        var statuses: [Int] = []
        for _ in 0..<4 { statuses.append(try await wix.send(.GET, "/members/v1/members").status) }
        #expect(statuses == [200, 200, 200, empty403 ? 403 : 429])
        let last = try await wix.send(.GET, "/members/v1/members")
        if empty403 {
          #expect(JSONValue.parse(last.body) == ["message": "", "details": [:]])
        }
        // The test hooks are outside the limit.
        let stats = try await wix.stats()
        #expect(stats["counters"]?["throttled"] == 2)
        #expect(stats["busiest_window"] == 3)
      }
    }
  }

  @Test("a scope the key lacks is 403 naming the permission")
  func scopes() async throws {
    try await withWix({ $0.scopes = [.contacts, .members] }) { wix in
      let fields = try await wix.json(
        .POST, "/contacts/v4/extended-fields", #"{"displayName": "boardctl id", "dataType": "TEXT"}"#, status: 403)
      #expect(fields["message"] == "Missing permissions: MANAGE-EX-FIELDS")
      let blog = try await wix.json(.POST, "/blog/v3/draft-posts/query", "{}", status: 403)
      #expect(blog["message"] == "Missing permissions: MANAGE-BLOG")
      #expect(try await wix.send(.POST, "/contacts/v4/contacts/query", "{}").status == 200)
    }
  }

  @Test("injected faults: 5xx in Wix's shape; a reset after a create commits it, the client cannot know")
  func faults() async throws {
    try await withWix({ $0.serverErrorRate = 1 }) { wix in
      let status = try await wix.send(.GET, "/members/v1/members").status
      #expect([500, 502, 503].contains(status))
      let stats = try await wix.stats()
      #expect(stats["counters"]?["server_errors"] == 1)
    }
    try await withWix({ try? $0.faults.apply("reset-after=1@POST:/contacts/v4/contacts") }) { wix in
      do {
        _ = try await wix.send(.POST, "/contacts/v4/contacts", #"{"info": {"name": {"first": "Ana"}}}"#)
        Issue.record("the reset POST answered")
      } catch HTTPFailure.writeOutcomeUnknown {
        // As it must: the write was sent and the connection died.
      }
      #expect(try await wix.send(.PUT, "/_sim/faults", "{}").status == 200)
      let found = try await wix.json(
        .POST, "/contacts/v4/contacts/query", #"{"query": {"filter": {"info.name.first": "Ana"}}}"#)
      #expect(found["contacts"]?.count == 1)
    }
  }

  @Test("stats count requests per endpoint pattern, drafts per hashtag, contacts per email and objects")
  func stats() async throws {
    try await withWix { wix in
      for _ in 0..<2 {
        _ = try await wix.json(.POST, "/blog/v3/draft-posts", #"{"draftPost": \#(wix.draft("A", hashtags: ["dup"]))}"#)
      }
      let id = try #require(
        try await wix.json(.POST, "/blog/v3/draft-posts/query", "{}")["draftPosts"]?[0]?["id"]?.string)
      _ = try await wix.json(.GET, "/blog/v3/draft-posts/\(id)")
      let stats = try await wix.stats()
      #expect(stats["requests_by_endpoint"]?["POST /blog/v3/draft-posts"] == 2)
      #expect(stats["requests_by_endpoint"]?["GET /blog/v3/draft-posts/{id}"] == 1)
      #expect(stats["draft_posts_per_hashtag"]?["dup"] == 2)
      #expect(stats["objects"]?["draftPosts"] == 2)
      // The blog owner, and the contact every member has.
      #expect(stats["objects"]?["members"] == 1)
      #expect(stats["contacts_per_email"]?["owner@sim.example"] == 1)
      #expect(stats["counters"]?["requests"] == 4)
    }
  }
}

@Suite("Wix simulator: blog")
struct WixSimulatorBlogTests {
  @Test("a draft's life: create, find by hashtag, patch, publish, patch again, unpublish, trash")
  func lifecycle() async throws {
    try await withWix { wix in
      let created = try await wix.json(
        .POST, "/blog/v3/draft-posts", #"{"draftPost": \#(wix.draft("Welder", hashtags: ["boardctl-p1"]))}"#)
      let draft = try #require(created["draftPost"])
      let id = try #require(draft["id"]?.string)
      #expect(draft["status"] == "UNPUBLISHED")
      #expect(draft["hasUnpublishedChanges"] == true)
      #expect(draft["memberId"]?.string == wix.member)
      let byHashtag = #"{"query": {"filter": {"hashtags": {"$hasSome": ["boardctl-p1"]}}}}"#
      #expect(try await wix.json(.POST, "/blog/v3/draft-posts/query", byHashtag)["draftPosts"]?.ids == [id])

      let patched = try await wix.json(
        .PATCH, "/blog/v3/draft-posts/\(id)", #"{"draftPost": {"id": "\#(id)", "title": "Senior Welder"}}"#)
      #expect(patched["draftPost"]?["title"] == "Senior Welder")
      #expect(try #require(patched["draftPost"]?["editedDate"]?.string) > draft["editedDate"]?.string ?? "")

      #expect(try await wix.json(.POST, "/blog/v3/draft-posts/\(id)/publish")["postId"]?.string == id)
      let published = try await wix.json(.GET, "/blog/v3/draft-posts/\(id)")["draftPost"]
      #expect(published?["status"] == "PUBLISHED")
      #expect(published?["hasUnpublishedChanges"] == false)
      #expect(published?["firstPublishedDate"]?.string != nil)

      // A published post stays as it was until the next publish.
      _ = try await wix.json(.PATCH, "/blog/v3/draft-posts/\(id)", #"{"draftPost": {"title": "Lead Welder"}}"#)
      let posts = try await wix.json(.POST, "/blog/v3/posts/query", byHashtag)["posts"]
      #expect(posts?.ids == [id])
      #expect(posts?[0]?["title"] == "Senior Welder")
      #expect(try await wix.json(.GET, "/blog/v3/draft-posts/\(id)")["draftPost"]?["hasUnpublishedChanges"] == true)

      #expect(try await wix.json(.POST, "/blog/v3/draft-posts/\(id)/unpublish") == [:])
      #expect(try await wix.json(.GET, "/blog/v3/draft-posts/\(id)")["draftPost"]?["status"] == "UNPUBLISHED")
      #expect(try await wix.json(.POST, "/blog/v3/posts/query", "{}")["posts"]?.count == 0)

      #expect(try await wix.json(.DELETE, "/blog/v3/draft-posts/\(id)") == [:])
      #expect(try await wix.json(.GET, "/blog/v3/draft-posts/\(id)")["draftPost"]?["status"] == "DELETED")
      #expect(try await wix.json(.POST, "/blog/v3/draft-posts/query", byHashtag)["draftPosts"]?.count == 0)
      let trashed = #"{"query": {"filter": {"status": "DELETED"}}}"#
      #expect(try await wix.json(.POST, "/blog/v3/draft-posts/query", trashed)["draftPosts"]?.ids == [id])
      #expect(try await wix.stats()["draft_posts_per_hashtag"]?["boardctl-p1"] == nil)
    }
  }

  @Test("publish on create, and PATCH actions UPDATE_PUBLISH and UPDATE_REVERT_TO_DRAFT")
  func actions() async throws {
    try await withWix { wix in
      let created = try await wix.json(
        .POST, "/blog/v3/draft-posts", #"{"draftPost": \#(wix.draft("A")), "publish": true, "fieldsets": ["URL"]}"#)
      let id = try #require(created["draftPost"]?["id"]?.string)
      #expect(created["draftPost"]?["status"] == "PUBLISHED")
      #expect(created["draftPost"]?["url"]?["path"] == "/post/a")
      let reverted = try await wix.json(
        .PATCH, "/blog/v3/draft-posts/\(id)", #"{"draftPost": {}, "action": "UPDATE_REVERT_TO_DRAFT"}"#)
      #expect(reverted["draftPost"]?["status"] == "UNPUBLISHED")
      let republished = try await wix.json(
        .PATCH, "/blog/v3/draft-posts/\(id)", #"{"draftPost": {"title": "B"}, "action": "UPDATE_PUBLISH"}"#)
      #expect(republished["draftPost"]?["status"] == "PUBLISHED")
      #expect(republished["draftPost"]?["hasUnpublishedChanges"] == false)
      #expect(try await wix.json(.POST, "/blog/v3/posts/query", "{}")["posts"]?[0]?["title"] == "B")
    }
  }

  @Test("memberId is required and must be a member; title and list limits are enforced")
  func owner() async throws {
    try await withWix { wix in
      let missing = try await wix.json(.POST, "/blog/v3/draft-posts", #"{"draftPost": {"title": "A"}}"#, status: 400)
      #expect(missing["message"] == "Missing post owner information")
      let unknown = try await wix.json(
        .POST, "/blog/v3/draft-posts", #"{"draftPost": {"title": "A", "memberId": "nobody"}}"#, status: 400)
      #expect(unknown["message"]?.string?.contains("nobody") == true)
      let long = String(repeating: "x", count: 101)
      let tooLong = try await wix.json(
        .POST, "/blog/v3/draft-posts", #"{"draftPost": \#(wix.draft(long))}"#, status: 400)
      #expect(tooLong["details"]?["validationError"]?["fieldViolations"]?[0]?["violatedRule"] == "MAX")
      let tags = (0..<31).map { "\"t\($0)\"" }.joined(separator: ",")
      _ = try await wix.json(
        .POST, "/blog/v3/draft-posts", #"{"draftPost": \#(wix.draft("A", extra: #", "tagIds": [\#(tags)]"#))}"#,
        status: 400)
      // Unknown categories are dropped silently.
      let dropped = try await wix.json(
        .POST, "/blog/v3/draft-posts", #"{"draftPost": \#(wix.draft("A", extra: #", "categoryIds": ["nope"]"#))}"#)
      #expect(dropped["draftPost"]?["categoryIds"] == [])
    }
  }

  static let invalidRicos: [(String, String)] = [
    (#"{"nodes": [{"type": "TEXT", "textData": {"text": "x"}}]}"#, "Expected a paragraph node but found TEXT"),
    (
      #"{"nodes": [{"type": "BULLETED_LIST", "nodes": [{"type": "LIST_ITEM", "nodes": [{"type": "TEXT", "textData": {"text": "x"}}]}]}]}"#,
      "Expected a paragraph node but found TEXT"
    ),
    (
      #"{"nodes": [{"type": "BLOCKQUOTE", "nodes": [{"type": "TEXT", "textData": {"text": "x"}}]}]}"#,
      "Expected a paragraph node but found TEXT"
    ),
    (
      #"{"nodes": [{"type": "PARAGRAPH", "nodes": [{"type": "PARAGRAPH", "nodes": []}]}]}"#,
      "Expected a text node but found PARAGRAPH"
    ),
    (#"{"nodes": [{"type": "SPARKLE"}]}"#, "Unknown node type SPARKLE"),
    (#"{"nodes": [{"type": {"value": "PARAGRAPH"}}]}"#, "Expected a string for node type"),
    (
      #"{"nodes": [{"type": "PARAGRAPH", "nodes": [{"type": "TEXT", "textData": {"text": "a\nb"}}]}]}"#,
      "Text may not contain line breaks; use one PARAGRAPH per line"
    ),
    (
      #"{"nodes": [{"type": "PARAGRAPH", "nodes": [{"type": "TEXT", "textData": {"text": "a", "decorations": [{"type": "LINK", "linkData": {"link": {}}}]}}]}]}"#,
      "INVALID_ARGUMENT: draftPost.richContent.nodes[0].nodes[0].textData.decorations[0].linkData.link.url is required"
    ),
  ]

  @Test("invalid Ricos is a 400 validation error with Wix's message", arguments: invalidRicos)
  func invalidRichContent(document: String, message: String) async throws {
    try await withWix { wix in
      let answer = try await wix.json(
        .POST, "/blog/v3/draft-posts", #"{"draftPost": \#(wix.draft("A", extra: #", "richContent": \#(document)"#))}"#,
        status: 400)
      #expect(answer["message"]?.string == message)
      #expect(answer["details"]?["validationError"]?["fieldViolations"]?.count == 1)
    }
  }

  @Test("valid Ricos is kept, with node ids filled and metadata added")
  func validRichContent() async throws {
    let document = """
      {"nodes":[
       {"type":"HEADING","headingData":{"level":2},"nodes":[{"type":"TEXT","textData":{"text":"Senior Welder","decorations":[]}}]},
       {"type":"PARAGRAPH","paragraphData":{},"nodes":[
        {"type":"TEXT","textData":{"text":"Apply here","decorations":[{"type":"BOLD","fontWeightValue":700},
         {"type":"LINK","linkData":{"link":{"url":"https://example.com/apply","target":"BLANK","rel":{"nofollow":true}}}}]}}]},
       {"type":"BULLETED_LIST","bulletedListData":{"indentation":0},"nodes":[
        {"type":"LIST_ITEM","nodes":[{"type":"PARAGRAPH","nodes":[{"type":"TEXT","textData":{"text":"MIG/TIG","decorations":[]}}]}]}]},
       {"type":"PARAGRAPH"}]}
      """
    try await withWix { wix in
      let answer = try await wix.json(
        .POST, "/blog/v3/draft-posts", #"{"draftPost": \#(wix.draft("A", extra: #", "richContent": \#(document)"#))}"#)
      let content = try #require(answer["draftPost"]?["richContent"])
      #expect(content["nodes"]?.count == 4)
      #expect(content["nodes"]?[0]?["id"]?.string?.isEmpty == false)
      #expect(content["nodes"]?[0]?["nodes"]?[0]?["id"] == "")
      #expect(content["metadata"]?["version"] == 1)
      // Queries leave rich content out unless asked for.
      let plain = try await wix.json(.POST, "/blog/v3/draft-posts/query", "{}")
      #expect(plain["draftPosts"]?[0]?["richContent"] == nil)
      let rich = try await wix.json(.POST, "/blog/v3/draft-posts/query", #"{"fieldsets": ["RICH_CONTENT"]}"#)
      #expect(rich["draftPosts"]?[0]?["richContent"] == content)
    }
  }

  @Test("bulk create: each item checked alone, partial failure reported per item, at most 20")
  func bulk() async throws {
    try await withWix { wix in
      let body =
        #"{"draftPosts": [\#(wix.draft("A")), {"title": "no owner"}, \#(wix.draft("C"))], "returnFullEntity": true}"#
      let answer = try await wix.json(.POST, "/blog/v3/bulk/draft-posts/create", body)
      #expect(answer["bulkActionMetadata"] == ["totalSuccesses": 2, "totalFailures": 1, "undetailedFailures": 0])
      let results = try #require(answer["results"]?.array)
      #expect(results.map { $0["itemMetadata"]?["success"] } == [true, false, true])
      #expect(results.map { $0["itemMetadata"]?["originalIndex"] } == [0, 1, 2])
      #expect(results[1]["itemMetadata"]?["error"]?["description"] == "Missing post owner information")
      #expect(results[1]["item"] == nil)
      #expect(results[0]["item"]?["id"] == results[0]["itemMetadata"]?["id"])
      #expect(try await wix.stats()["objects"]?["draftPosts"] == 2)
      let many = (0..<21).map { _ in wix.draft("X") }.joined(separator: ",")
      _ = try await wix.json(.POST, "/blog/v3/bulk/draft-posts/create", #"{"draftPosts": [\#(many)]}"#, status: 400)
    }
    try await withWix({ $0.bulkFailureRate = 1 }) { wix in
      let answer = try await wix.json(
        .POST, "/blog/v3/bulk/draft-posts/create", #"{"draftPosts": [\#(wix.draft("A")), \#(wix.draft("B"))]}"#)
      #expect(answer["bulkActionMetadata"]?["totalFailures"] == 2)
      #expect(try await wix.stats()["objects"]?["draftPosts"] == 0)
    }
  }

  @Test("query paging by offset and by cursor gives every draft once, ties broken by id")
  func paging() async throws {
    let drafts: [JSONValue] = ["p3", "p1", "p5", "p2", "p4"].map {
      ["id": .string($0), "title": .string($0), "editedDate": "2026-01-01T00:00:00.000Z", "hashtags": ["job"]]
    }
    try await withWix({ $0.seed = ["draftPosts": drafts] }) { wix in
      var offsets: [String] = []
      for offset in stride(from: 0, to: 6, by: 2) {
        let page = try await wix.json(
          .POST, "/blog/v3/draft-posts/query", #"{"query": {"paging": {"limit": 2, "offset": \#(offset)}}}"#)
        offsets += page["draftPosts"]?.ids ?? []
        #expect(page["pagingMetadata"]?["total"] == 5)
        #expect(page["pagingMetadata"]?["hasNext"] == .bool(offset < 4))
      }
      #expect(offsets == ["p1", "p2", "p3", "p4", "p5"])
      var cursor: String?
      var cursors: [String] = []
      repeat {
        let paging = cursor.map { #"{"limit": 2, "cursor": "\#($0)"}"# } ?? #"{"limit": 2}"#
        let filter = cursor == nil ? #""filter": {"hashtags": {"$hasAll": ["job"]}}, "# : ""
        let page = try await wix.json(
          .POST, "/blog/v3/draft-posts/query", #"{"query": {\#(filter)"cursorPaging": \#(paging)}}"#)
        cursors += page["draftPosts"]?.ids ?? []
        cursor = page["pagingMetadata"]?["cursors"]?["next"]?.string
      } while cursor != nil
      #expect(cursors == offsets)
      let byTitle = try await wix.json(
        .POST, "/blog/v3/draft-posts/query", #"{"query": {"sort": [{"fieldName": "title", "order": "DESC"}]}}"#)
      #expect(byTitle["draftPosts"]?.ids == ["p5", "p4", "p3", "p2", "p1"])
      _ = try await wix.json(
        .POST, "/blog/v3/draft-posts/query", #"{"query": {"paging": {"limit": 101}}}"#, status: 400)
      _ = try await wix.json(
        .POST, "/blog/v3/draft-posts/query", #"{"query": {"filter": {"memberId": "x"}}}"#, status: 400)
    }
  }

  @Test("categories and tags: create, duplicates refused, lookups, linked through ids")
  func taxonomy() async throws {
    try await withWix { wix in
      let category = try await wix.json(.POST, "/blog/v3/categories", #"{"category": {"label": "Jobs"}}"#)
      let categoryID = try #require(category["category"]?["id"]?.string)
      #expect(category["category"]?["postCount"] == 0)
      let tag = try await wix.json(.POST, "/blog/v3/tags", #"{"label": "welding"}"#)
      let tagID = try #require(tag["tag"]?["id"]?.string)
      let again = try await wix.json(.POST, "/blog/v3/tags", #"{"label": "welding"}"#, status: 409)
      #expect(again["details"]?["applicationError"]?["code"] == "ALREADY_EXISTS")
      #expect(try await wix.json(.GET, "/blog/v3/tags/labels/welding")["tag"]?["id"]?.string == tagID)
      _ = try await wix.json(
        .POST, "/blog/v3/draft-posts",
        #"{"draftPost": \#(wix.draft("A", extra: #", "categoryIds": ["\#(categoryID)"], "tagIds": ["\#(tagID)"]"#)), "publish": true}"#
      )
      #expect(try await wix.json(.GET, "/blog/v3/categories")["categories"]?[0]?["postCount"] == 1)
      let tags = try await wix.json(.POST, "/blog/v3/tags/query", #"{"query": {"filter": {"label": "welding"}}}"#)
      #expect(tags["tags"]?[0]?["publishedPostCount"] == 1)
    }
  }

  @Test("an edit in the Wix editor changes the draft and republishes a published post")
  func editorEdit() async throws {
    try await withWix { wix in
      let id = try #require(
        try await wix.json(.POST, "/blog/v3/draft-posts", #"{"draftPost": \#(wix.draft("A")), "publish": true}"#)[
          "draftPost"]?["id"]?.string)
      _ = try await wix.json(.POST, "/_sim/edit/draftPosts/\(id)", #"{"title": "Edited"}"#)
      #expect(try await wix.json(.POST, "/blog/v3/posts/query", "{}")["posts"]?[0]?["title"] == "Edited")
      _ = try await wix.json(.POST, "/_sim/edit/draftPosts/\(id)?publish=false", #"{"title": "Saved"}"#)
      let draft = try await wix.json(.GET, "/blog/v3/draft-posts/\(id)")["draftPost"]
      #expect(draft?["title"] == "Saved")
      #expect(draft?["hasUnpublishedChanges"] == true)
      #expect(try await wix.json(.POST, "/blog/v3/posts/query", "{}")["posts"]?[0]?["title"] == "Edited")
    }
  }
}

@Suite("Wix simulator: members, contacts, forms")
struct WixSimulatorCRMTests {
  @Test("members: create needs a login email; list pages; PUBLIC shows only id and profile")
  func members() async throws {
    try await withWix { wix in
      for name in ["ana", "ben", "cy"] {
        _ = try await wix.json(
          .POST, "/members/v1/members",
          #"{"member": {"loginEmail": "\#(name)@x.example", "contact": {"firstName": "\#(name)"}}}"#)
      }
      _ = try await wix.json(.POST, "/members/v1/members", #"{"member": {}}"#, status: 400)
      let first = try await wix.json(.GET, "/members/v1/members?paging.limit=2&paging.offset=0&fieldsets=FULL")
      #expect(first["members"]?.count == 2)
      #expect(first["metadata"]?["total"] == 4)
      #expect(first["metadata"]?["tooManyToCount"] == false)
      #expect(first["members"]?[0]?["loginEmail"] == "owner@sim.example")
      #expect(first["members"]?[0]?["status"] == "APPROVED")
      let second = try await wix.json(.GET, "/members/v1/members?paging.limit=2&paging.offset=2")
      #expect(second["members"]?.count == 2)
      #expect(second["members"]?[0]?["loginEmail"] == nil)
      #expect(second["members"]?[0]?["profile"] != nil)
      let queried = try await wix.json(
        .POST, "/members/v1/members/query",
        #"{"query": {"filter": {"loginEmail": "ben@x.example"}}, "fieldsets": ["FULL"]}"#)
      #expect(queried["members"]?[0]?["contact"]?["firstName"] == "ben")
      let member = try await wix.json(.GET, "/members/v1/members/\(wix.member)?fieldsets=FULL")
      #expect(member["member"]?["contactId"]?.string != nil)
    }
  }

  @Test("contacts: one per email unless duplicates are allowed; a name, email or phone is required")
  func contactCreate() async throws {
    try await withWix { wix in
      let body =
        #"{"info": {"name": {"first": "Ana"}, "emails": {"items": [{"tag": "MAIN", "email": "ana@x.example"}]}}}"#
      let created = try await wix.json(.POST, "/contacts/v4/contacts", body)
      #expect(created["contact"]?["revision"] == 1)
      #expect(created["contact"]?["primaryInfo"]?["email"] == "ana@x.example")
      let upper = body.replacingOccurrences(of: "ana@x", with: "ANA@X")
      let duplicate = try await wix.json(.POST, "/contacts/v4/contacts", upper, status: 409)
      #expect(duplicate["details"]?["applicationError"]?["code"] == "DUPLICATE_CONTACT_EXISTS")
      let allowed = String(upper.dropLast()) + #", "allowDuplicates": true}"#
      _ = try await wix.json(.POST, "/contacts/v4/contacts", allowed)
      let empty = try await wix.json(.POST, "/contacts/v4/contacts", #"{"info": {}}"#, status: 400)
      #expect(empty["details"]?["validationError"] != nil)
    }
  }

  @Test("contacts: PATCH needs the current revision (409 when stale); query by updatedDate")
  func contactRevisions() async throws {
    try await withWix { wix in
      var ids: [String] = []
      for name in ["a", "b", "c"] {
        let contact = try await wix.json(.POST, "/contacts/v4/contacts", #"{"info": {"name": {"first": "\#(name)"}}}"#)
        ids.append(try #require(contact["contact"]?["id"]?.string))
      }
      let before = try #require(
        try await wix.json(.GET, "/contacts/v4/contacts/\(ids[2])")["contact"]?["updatedDate"]?.string)
      let patched = try await wix.json(
        .PATCH, "/contacts/v4/contacts/\(ids[0])", #"{"revision": 1, "info": {"name": {"first": "A"}}}"#)
      #expect(patched["contact"]?["revision"] == 2)
      let stale = try await wix.json(
        .PATCH, "/contacts/v4/contacts/\(ids[0])", #"{"revision": 1, "info": {"name": {"first": "B"}}}"#, status: 409)
      #expect(stale["message"] == "entity has already changed since the requested revision")
      let changed = try await wix.json(
        .POST, "/contacts/v4/contacts/query", #"{"query": {"filter": {"updatedDate": {"$gt": "\#(before)"}}}}"#)
      #expect(changed["contacts"]?.ids == [ids[0]])
      let page = try await wix.json(.POST, "/contacts/v4/contacts/query", #"{"query": {"paging": {"limit": 2}}}"#)
      #expect(page["pagingMetadata"]?["count"] == 2)
      #expect(page["pagingMetadata"]?["total"] == 4)  // the blog owner's contact too
      _ = try await wix.json(
        .POST, "/contacts/v4/contacts/query", #"{"query": {"paging": {"limit": 1001}}}"#, status: 400)
      #expect(try await wix.json(.DELETE, "/contacts/v4/contacts/\(ids[1])") == [:])
      _ = try await wix.json(.GET, "/contacts/v4/contacts/\(ids[1])", status: 404)
    }
  }

  @Test("extended fields and labels: find-or-create, set on a contact, query by them")
  func extendedFieldsAndLabels() async throws {
    try await withWix { wix in
      let field = try await wix.json(
        .POST, "/contacts/v4/extended-fields", #"{"displayName": "boardctl id", "dataType": "TEXT"}"#)
      #expect(field["field"]?["key"] == "custom.boardctl-id")
      #expect(field["newField"] == true)
      let again = try await wix.json(
        .POST, "/contacts/v4/extended-fields", #"{"displayName": "boardctl id", "dataType": "TEXT"}"#)
      #expect(again["field"]?["key"] == "custom.boardctl-id")
      #expect(again["newField"] == false)
      #expect(try await wix.json(.POST, "/contacts/v4/extended-fields/query", "{}")["fields"]?.count == 1)
      _ = try await wix.json(
        .POST, "/contacts/v4/contacts",
        #"{"info": {"name": {"first": "X"}, "extendedFields": {"items": {"custom.nope": "1"}}}}"#,
        status: 400)
      let created = try await wix.json(
        .POST, "/contacts/v4/contacts",
        #"{"info": {"name": {"first": "Ana"}, "extendedFields": {"items": {"custom.boardctl-id": "c-1"}}}}"#)
      let id = try #require(created["contact"]?["id"]?.string)
      let found = try await wix.json(
        .POST, "/contacts/v4/contacts/query",
        #"{"query": {"filter": {"info.extendedFields.custom.boardctl-id": {"$eq": "c-1"}}}}"#)
      #expect(found["contacts"]?.ids == [id])

      let label = try await wix.json(.POST, "/contacts/v4/labels", #"{"displayName": "Applicant"}"#)
      #expect(label["label"]?["key"] == "custom.applicant")
      #expect(label["label"]?["labelType"] == "USER_DEFINED")
      #expect(label["newLabel"] == true)
      _ = try await wix.json(
        .POST, "/contacts/v4/contacts/\(id)/labels", #"{"labelKeys": ["custom.nope"]}"#, status: 400)
      let labelled = try await wix.json(
        .POST, "/contacts/v4/contacts/\(id)/labels", #"{"labelKeys": ["custom.applicant"]}"#)
      #expect(labelled["contact"]?["revision"] == 2)
      let byLabel = try await wix.json(
        .POST, "/contacts/v4/contacts/query",
        #"{"query": {"filter": {"info.labelKeys": {"$hasSome": ["custom.applicant"]}}}}"#)
      #expect(byLabel["contacts"]?.ids == [id])
      let unlabelled = try await wix.json(
        .DELETE, "/contacts/v4/contacts/\(id)/labels", #"{"labelKeys": ["custom.applicant"]}"#)
      #expect(unlabelled["contact"]?["info"]?["labelKeys"]?["items"] == [])
    }
  }

  @Test("form submissions: the namespace is required, 428 without the Forms app, a submission is found")
  func forms() async throws {
    let path = "/form-submission-service/v4/submissions/namespace/query"
    try await withWix({ $0.formsApp = false }) { wix in
      let answer = try await wix.json(
        .POST, path, #"{"query": {"filter": {"namespace": "wix.form_app.form"}}}"#, status: 428)
      #expect(answer["details"]?["applicationError"]?["description"]?.string?.contains("Wix Forms") == true)
    }
    try await withWix { wix in
      let missing = try await wix.json(.POST, path, #"{"query": {"filter": {"formId": "f1"}}}"#, status: 400)
      #expect(missing["details"]?["validationError"]?["fieldViolations"]?[0]?["field"] == "query.filter.namespace")
      let submitted = try await wix.json(.POST, "/_sim/forms/f1/submit", #"{"submissions": {"email": "a@x.example"}}"#)
      let id = try #require(submitted["submission"]?["id"]?.string)
      _ = try await wix.json(.POST, "/_sim/forms/f2/submit", #"{"submissions": {"email": "b@x.example"}}"#)
      let found = try await wix.json(
        .POST, path, #"{"query": {"filter": {"namespace": {"$eq": "wix.form_app.form"}, "formId": "f1"}}}"#)
      #expect(found["submissions"]?.ids == [id])
      #expect(found["submissions"]?[0]?["status"] == "CONFIRMED")
      #expect(found["submissions"]?[0]?["submissions"]?["email"] == "a@x.example")
      let all = try await wix.json(
        .POST, path, #"{"query": {"filter": {"namespace": "wix.form_app.form"}, "cursorPaging": {"limit": 1}}}"#)
      #expect(all["submissions"]?.count == 1)
      #expect(all["pagingMetadata"]?["cursors"]?["next"]?.string != nil)
      _ = try await wix.json(
        .POST, path, #"{"query": {"filter": {"namespace": "wix.form_app.form"}, "paging": {"limit": 101}}}"#,
        status: 400)
    }
  }
}
