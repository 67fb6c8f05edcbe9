import BoardSupport
import Foundation
import Hummingbird

/// Blog v3: draft posts (create, bulk create, PATCH with actions, publish, unpublish, trash,
/// restore, query, list), published posts as snapshots taken at publish time, categories, tags.
extension WixSite {
  static let draftSchema = WixQuerySchema(
    fields: [
      "id": WixFilter.Operator.equality, "status": WixFilter.Operator.equality, "title": WixFilter.Operator.text,
      "excerpt": WixFilter.Operator.text, "hashtags": WixFilter.Operator.list, "tagIds": WixFilter.Operator.list,
      "categoryIds": WixFilter.Operator.list, "editedDate": WixFilter.Operator.range,
      "createdDate": WixFilter.Operator.range, "firstPublishedDate": WixFilter.Operator.range,
      "featured": [.eq, .ne], "hasUnpublishedChanges": [.eq, .ne], "language": WixFilter.Operator.equality,
    ],
    sortable: ["createdDate", "editedDate", "title", "firstPublishedDate"],
    defaultSort: [.init(field: "editedDate", ascending: false)])

  static let postSchema = WixQuerySchema(
    fields: [
      "id": WixFilter.Operator.equality, "title": WixFilter.Operator.text, "hashtags": WixFilter.Operator.list,
      "tagIds": WixFilter.Operator.list, "categoryIds": WixFilter.Operator.list,
      "firstPublishedDate": WixFilter.Operator.range, "lastPublishedDate": WixFilter.Operator.range,
      "memberId": WixFilter.Operator.equality, "language": WixFilter.Operator.equality, "featured": [.eq, .ne],
      "slug": WixFilter.Operator.equality,
    ],
    sortable: ["firstPublishedDate", "lastPublishedDate", "title"],
    defaultSort: [.init(field: "firstPublishedDate", ascending: false)])

  static let categorySchema = WixQuerySchema(
    fields: [
      "id": WixFilter.Operator.equality, "label": WixFilter.Operator.text, "slug": WixFilter.Operator.text,
      "language": WixFilter.Operator.equality,
    ],
    sortable: ["displayPosition", "label", "postCount"],
    defaultSort: [.init(field: "displayPosition", ascending: false)])

  static let tagSchema = WixQuerySchema(
    fields: [
      "id": WixFilter.Operator.equality, "label": WixFilter.Operator.text, "slug": WixFilter.Operator.text,
      "language": WixFilter.Operator.equality,
    ],
    sortable: ["postCount", "publishedPostCount", "label", "createdDate"],
    defaultSort: [.init(field: "postCount", ascending: false)], maxLimit: 500)

  static let writableDraftFields: Set<String> = [
    "title", "memberId", "richContent", "excerpt", "hashtags", "categoryIds", "tagIds", "language", "seoSlug",
    "featured", "commentingEnabled", "media", "heroImage", "seoData", "relatedPostIds", "pricingPlanIds",
  ]

  // MARK: Checking drafts

  /// The writable fields of `input` once checked; unknown categories and tags are dropped, as
  /// Wix drops them, and the rich content comes back with ids filled.
  func draftFields(_ input: JSONValue?, at path: String, creating: Bool) throws -> Object {
    guard case .object(let given)? = input else {
      throw WixError.invalid(path, "is required", rule: .requiredField)
    }
    var fields: Object = [:]
    for key in Self.writableDraftFields { if let value = given[key], value != .null { fields[key] = value } }
    if creating && (fields["memberId"]?.string ?? "").isEmpty {
      throw WixError.application(.badRequest, "Missing post owner information", code: "MISSING_POST_OWNER_INFORMATION")
    }
    if let member = fields["memberId"] {
      guard let id = member.string, members[id] != nil else {
        throw WixError.application(
          .badRequest, "Member \(member.string ?? "?") not found: memberId must be a member of the site",
          code: "MEMBER_NOT_FOUND")
      }
    }
    func text(_ key: String, max: Int) throws {
      guard let value = fields[key] else { return }
      guard let string = value.string, case .string = value else {
        throw WixError.invalid("\(path).\(key)", "must be text", rule: .format)
      }
      if string.count > max { throw WixError.tooLong("\(path).\(key)", max: max) }
    }
    func list(_ key: String, max: Int, itemMax: Int? = nil) throws -> [String]? {
      guard let value = fields[key] else { return nil }
      guard case .array(let items) = value, items.allSatisfy({ $0.string != nil }) else {
        throw WixError.invalid("\(path).\(key)", "must be a list of text", rule: .format)
      }
      if items.count > max { throw WixError.tooLong("\(path).\(key)", max: max) }
      let strings = items.compactMap(\.string)
      if let itemMax, let index = strings.firstIndex(where: { $0.count > itemMax }) {
        throw WixError.tooLong("\(path).\(key)[\(index)]", max: itemMax)
      }
      return strings
    }
    if creating && (fields["title"]?.string ?? "").isEmpty {
      throw WixError.invalid("\(path).title", "is required", rule: .requiredField)
    }
    if let title = fields["title"], title.string?.isEmpty ?? false {
      throw WixError.invalid("\(path).title", "must not be empty", rule: .requiredField)
    }
    try text("title", max: 100)
    try text("excerpt", max: 500)
    try text("language", max: 20)
    try text("seoSlug", max: 100)
    if let slug = fields["seoSlug"]?.string,
      (slug.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? slug).count > 100
    {
      throw WixError.tooLong("\(path).seoSlug", max: 100)
    }
    _ = try list("hashtags", max: 100, itemMax: 100)
    _ = try list("relatedPostIds", max: 3)
    if let ids = try list("categoryIds", max: 10) {
      fields["categoryIds"] = .array(ids.filter { categories[$0] != nil }.map { .string($0) })
    }
    if let ids = try list("tagIds", max: 30) {
      fields["tagIds"] = .array(ids.filter { tags[$0] != nil }.map { .string($0) })
    }
    if let content = fields["richContent"] {
      fields["richContent"] = try RicosValidator.normalize(content, field: "\(path).richContent", now: now())
    }
    return fields
  }

  /// Text of a Ricos document, one line per block.
  static func plainText(_ node: JSONValue?) -> String {
    guard let node else { return "" }
    if let text = node["textData"]?["text"]?.string { return text }
    let parts = (node["nodes"]?.array ?? []).map { plainText($0) }
    return parts.joined(separator: "\n")
  }

  private static func minutesToRead(_ content: JSONValue?) -> JSONValue {
    let words = plainText(content).split(whereSeparator: \.isWhitespace).count
    return .number(Double(max(1, (words + 199) / 200)))
  }

  /// A new draft's fields before the caller's are merged in.
  static func newDraft(id: String, at time: String) -> Object {
    [
      "id": .string(id), "excerpt": "", "featured": false, "commentingEnabled": true, "hashtags": [],
      "categoryIds": [], "tagIds": [], "relatedPostIds": [], "pricingPlanIds": [], "language": "en",
      "status": "UNPUBLISHED", "hasUnpublishedChanges": true, "createdDate": .string(time),
      "editedDate": .string(time), "minutesToRead": 1,
    ]
  }

  private func insertDraft(_ fields: Object) -> String {
    let id = newID()
    let time = now()
    var draft = Self.newDraft(id: id, at: time)
    for (key, value) in fields { draft[key] = value }
    if draft["richContent"] == nil {
      draft["richContent"] = (try? RicosValidator.normalize(["nodes": []], field: "richContent", now: time)) ?? [:]
    }
    draft["minutesToRead"] = Self.minutesToRead(draft["richContent"])
    draftPosts[id] = draft
    return id
  }

  /// A draft as an answer: `richContent` only in single-object answers or with the
  /// `RICH_CONTENT` fieldset, `url` only with `URL`.
  func render(draft: Object, fieldsets: [String], single: Bool) -> JSONValue {
    var object = draft
    if !single && !fieldsets.contains("RICH_CONTENT") { object["richContent"] = nil }
    if fieldsets.contains("URL") { object["url"] = url(for: draft) }
    return .object(object)
  }

  private func url(for object: Object) -> JSONValue {
    let slug = object["seoSlug"]?.string ?? object["slug"]?.string ?? Self.slug(object["title"]?.string ?? "")
    return ["base": .string(siteURL), "path": .string("/post/\(slug)")]
  }

  private func liveDraft(_ id: String) throws -> Object {
    guard let draft = draftPosts[id], draft["status"]?.string != "DELETED" else {
      throw WixError.notFound("Draft post", id)
    }
    return draft
  }

  // MARK: Draft posts

  func createDraftPost(_ body: JSONValue?) throws -> JSONValue {
    let id = insertDraft(try draftFields(body?["draftPost"], at: "draftPost", creating: true))
    if body?["publish"]?.bool == true { try publish(id) }
    return ["draftPost": render(draft: draftPosts[id]!, fieldsets: Self.fieldsets(body), single: true)]
  }

  static let bulkLimit = 20

  func bulkCreateDraftPosts(_ body: JSONValue?) throws -> JSONValue {
    guard let items = body?["draftPosts"]?.array, !items.isEmpty else {
      throw WixError.invalid("draftPosts", "is required", rule: .requiredField)
    }
    guard items.count <= Self.bulkLimit else { throw WixError.tooLong("draftPosts", max: Self.bulkLimit) }
    let publishing = body?["publish"]?.bool == true
    let full = body?["returnFullEntity"]?.bool == true
    var results: [JSONValue] = []
    var successes = 0
    for (index, item) in items.enumerated() {
      var metadata: Object = ["originalIndex": .number(Double(index)), "success": false]
      do {
        let fields = try draftFields(item, at: "draftPosts[\(index)]", creating: true)
        if draw() < bulkFailureRate {
          throw WixError.application(
            .internalServerError, "Failed to create the draft post", code: "INTERNAL_ERROR")
        }
        let id = insertDraft(fields)
        if publishing { try publish(id) }
        metadata["id"] = .string(id)
        metadata["success"] = true
        successes += 1
        var result: Object = ["itemMetadata": .object(metadata)]
        if full { result["item"] = render(draft: draftPosts[id]!, fieldsets: Self.fieldsets(body), single: true) }
        results.append(.object(result))
      } catch let error as WixError {
        let code = error.body["details"]?["applicationError"]?["code"] ?? "INVALID_ARGUMENT"
        metadata["error"] = ["code": code, "description": .string(error.message), "data": [:]]
        results.append(["itemMetadata": .object(metadata)])
      }
    }
    return [
      "results": .array(results),
      "bulkActionMetadata": [
        "totalSuccesses": .number(Double(successes)), "totalFailures": .number(Double(items.count - successes)),
        "undetailedFailures": 0,
      ],
    ]
  }

  func draftPost(_ id: String, fieldsets: [String]) throws -> JSONValue {
    guard let draft = draftPosts[id] else { throw WixError.notFound("Draft post", id) }
    return ["draftPost": render(draft: draft, fieldsets: fieldsets, single: true)]
  }

  /// Merges fields; `action` UPDATE (the default) leaves a published post as it was until the
  /// next publish, UPDATE_PUBLISH publishes, UPDATE_REVERT_TO_DRAFT unpublishes.
  func updateDraftPost(_ id: String, _ body: JSONValue?) throws -> JSONValue {
    var draft = try liveDraft(id)
    let action = body?["action"]?.string ?? "UPDATE"
    guard ["UPDATE", "UPDATE_PUBLISH", "UPDATE_REVERT_TO_DRAFT"].contains(action) else {
      let known = ["UPDATE_SCHEDULE", "UPDATE_CANCEL_SCHEDULE", "UPDATE_REJECT", "UPDATE_PUBLICATION"]
      throw WixError.invalid(
        "action",
        known.contains(action)
          ? "\(action) is not simulated" : "must be UPDATE, UPDATE_PUBLISH or UPDATE_REVERT_TO_DRAFT",
        rule: .format)
    }
    let given = body?["draftPost"] ?? [:]
    if let bodyID = given["id"]?.string, bodyID != id {
      throw WixError.invalid("draftPost.id", "must be the id in the path", rule: .format)
    }
    for (key, value) in try draftFields(given, at: "draftPost", creating: false) { draft[key] = value }
    draft["minutesToRead"] = Self.minutesToRead(draft["richContent"])
    draft["hasUnpublishedChanges"] = true
    draft["editedDate"] = .string(now())
    draftPosts[id] = draft
    switch action {
    case "UPDATE_PUBLISH": try publish(id)
    case "UPDATE_REVERT_TO_DRAFT": try unpublish(id)
    default: break
    }
    return ["draftPost": render(draft: draftPosts[id]!, fieldsets: Self.fieldsets(body), single: true)]
  }

  /// The post becomes a copy of the draft as it is now; the post id is the draft id.
  @discardableResult
  func publish(_ id: String) throws -> JSONValue {
    var draft = try liveDraft(id)
    let time = now()
    draft["status"] = "PUBLISHED"
    draft["hasUnpublishedChanges"] = false
    draft["firstPublishedDate"] = draft["firstPublishedDate"] ?? .string(time)
    draft["editedDate"] = .string(time)
    draftPosts[id] = draft
    posts[id] = Self.post(from: draft, at: time)
    return ["postId": .string(id)]
  }

  static func post(from draft: Object, at time: String) -> Object {
    var post: Object = ["pinned": false, "lastPublishedDate": .string(time)]
    for key in [
      "id", "title", "excerpt", "featured", "categoryIds", "memberId", "hashtags", "commentingEnabled",
      "minutesToRead", "tagIds", "relatedPostIds", "pricingPlanIds", "language", "richContent",
      "firstPublishedDate", "media", "heroImage", "seoData",
    ] {
      post[key] = draft[key]
    }
    post["slug"] = .string(draft["seoSlug"]?.string ?? slug(draft["title"]?.string ?? ""))
    return post
  }

  @discardableResult
  func unpublish(_ id: String) throws -> JSONValue {
    var draft = try liveDraft(id)
    guard posts[id] != nil || draft["status"] == "PUBLISHED" else { return [:] }
    posts[id] = nil
    draft["status"] = "UNPUBLISHED"
    draft["editedDate"] = .string(now())
    draftPosts[id] = draft
    return [:]
  }

  /// To the trash bin (status DELETED, the post unpublished), or gone with `permanent`.
  func deleteDraftPost(_ id: String, permanent: Bool) throws -> JSONValue {
    guard var draft = draftPosts[id], permanent || draft["status"] != "DELETED" else {
      throw WixError.notFound("Draft post", id)
    }
    posts[id] = nil
    if permanent {
      draftPosts[id] = nil
    } else {
      draft["status"] = "DELETED"
      draft["editedDate"] = .string(now())
      draftPosts[id] = draft
    }
    return [:]
  }

  func restoreDraftPost(_ id: String) throws -> JSONValue {
    guard var draft = draftPosts[id], draft["status"] == "DELETED" else {
      throw WixError.notFound("Draft post in the trash bin", id)
    }
    draft["status"] = "UNPUBLISHED"
    draft["editedDate"] = .string(now())
    draftPosts[id] = draft
    return ["draftPost": render(draft: draft, fieldsets: [], single: true)]
  }

  /// Drafts in the trash bin are left out unless the filter names `status`.
  func queryDraftPosts(_ body: JSONValue?) throws -> JSONValue {
    let query = try WixQuery(body?["query"], schema: Self.draftSchema)
    let candidates = draftPosts.values.filter {
      query.filter.fields.contains("status") || $0["status"]?.string != "DELETED"
    }
    let (items, metadata) = query.page(candidates.map { .object($0) }, schema: Self.draftSchema)
    let fieldsets = Self.fieldsets(body)
    return [
      "draftPosts": .array(
        items.compactMap { $0.object.map { render(draft: $0, fieldsets: fieldsets, single: false) } }),
      "pagingMetadata": metadata,
      "metaData": [
        "count": metadata["count"] ?? 0, "offset": metadata["offset"] ?? 0, "total": metadata["total"] ?? 0,
      ],
    ]
  }

  func listDraftPosts(status: String?, language: String?, limit: JSONValue?, offset: JSONValue?, fieldsets: [String])
    throws -> JSONValue
  {
    var filter: Object = [:]
    if let status { filter["status"] = .string(status) }
    if let language { filter["language"] = .string(language) }
    let answer = try queryDraftPosts([
      "query": ["filter": .object(filter), "paging": ["limit": limit ?? .null, "offset": offset ?? .null]],
      "fieldsets": .array(fieldsets.map { .string($0) }),
    ])
    return ["draftPosts": answer["draftPosts"] ?? [], "metaData": answer["metaData"] ?? [:]]
  }

  // MARK: Posts

  private func render(post: Object, fieldsets: [String]) -> JSONValue {
    var object = post
    if !fieldsets.contains("RICH_CONTENT") { object["richContent"] = nil }
    if fieldsets.contains("CONTENT_TEXT") { object["contentText"] = .string(Self.plainText(post["richContent"])) }
    if fieldsets.contains("URL") { object["url"] = url(for: post) }
    return .object(object)
  }

  func queryPosts(_ body: JSONValue?) throws -> JSONValue {
    let query = try WixQuery(body?["query"], schema: Self.postSchema)
    let (items, metadata) = query.page(posts.values.map { .object($0) }, schema: Self.postSchema)
    let fieldsets = Self.fieldsets(body)
    return [
      "posts": .array(items.compactMap { $0.object.map { render(post: $0, fieldsets: fieldsets) } }),
      "pagingMetadata": metadata,
    ]
  }

  func post(_ id: String, fieldsets: [String]) throws -> JSONValue {
    guard let post = posts[id] else { throw WixError.notFound("Post", id) }
    return ["post": render(post: post, fieldsets: fieldsets)]
  }

  // MARK: Categories and tags

  private func counted(category: Object) -> JSONValue {
    var object = category
    let id = category["id"] ?? .null
    object["postCount"] = .number(Double(posts.values.filter { $0["categoryIds"]?.array?.contains(id) == true }.count))
    return .object(object)
  }

  private func counted(tag: Object) -> JSONValue {
    var object = tag
    let id = tag["id"] ?? .null
    let drafts = draftPosts.values.filter {
      $0["status"]?.string != "DELETED" && $0["tagIds"]?.array?.contains(id) == true
    }
    object["postCount"] = .number(Double(drafts.count))
    object["publishedPostCount"] = .number(
      Double(posts.values.filter { $0["tagIds"]?.array?.contains(id) == true }.count))
    return .object(object)
  }

  func createCategory(_ body: JSONValue?) throws -> JSONValue {
    guard let label = body?["category"]?["label"]?.string, !label.isEmpty else {
      throw WixError.invalid("category.label", "is required", rule: .requiredField)
    }
    if label.count > 35 { throw WixError.tooLong("category.label", max: 35) }
    if categories.values.contains(where: { $0["label"]?.string?.lowercased() == label.lowercased() }) {
      throw WixError.application(.conflict, "A category labelled \(label) already exists", code: "ALREADY_EXISTS")
    }
    let id = newID()
    var category: Object = [
      "id": .string(id), "label": .string(label), "slug": .string(Self.slug(label)), "description": "",
      "title": .string(label), "displayPosition": .number(Double(categories.count)), "language": "en",
    ]
    for key in ["slug", "description", "title", "displayPosition", "language"] {
      if let value = body?["category"]?[key], value != .null { category[key] = value }
    }
    categories[id] = category
    return ["category": counted(category: category)]
  }

  func queryCategories(_ query: JSONValue?) throws -> JSONValue {
    let parsed = try WixQuery(query, schema: Self.categorySchema)
    let (items, metadata) = parsed.page(
      categories.values.map { counted(category: $0) }, schema: Self.categorySchema)
    return [
      "categories": .array(items), "pagingMetadata": metadata,
      "metaData": [
        "count": metadata["count"] ?? 0, "offset": metadata["offset"] ?? 0, "total": metadata["total"] ?? 0,
      ],
    ]
  }

  func createTag(_ body: JSONValue?) throws -> JSONValue {
    guard let label = body?["label"]?.string, !label.isEmpty else {
      throw WixError.invalid("label", "is required", rule: .requiredField)
    }
    if tags.values.contains(where: { $0["label"]?.string?.lowercased() == label.lowercased() }) {
      throw WixError.application(.conflict, "A tag labelled \(label) already exists", code: "ALREADY_EXISTS")
    }
    let id = newID()
    let time = now()
    let tag: Object = [
      "id": .string(id), "label": .string(label), "slug": .string(body?["slug"]?.string ?? Self.slug(label)),
      "language": .string(body?["language"]?.string ?? "en"), "createdDate": .string(time),
      "updatedDate": .string(time),
    ]
    tags[id] = tag
    return ["tag": counted(tag: tag)]
  }

  func queryTags(_ body: JSONValue?) throws -> JSONValue {
    let query = try WixQuery(body?["query"], schema: Self.tagSchema)
    let (items, metadata) = query.page(tags.values.map { counted(tag: $0) }, schema: Self.tagSchema)
    return ["tags": .array(items), "pagingMetadata": metadata]
  }

  func tag(label: String) throws -> JSONValue {
    guard let tag = tags.values.first(where: { $0["label"]?.string == label }) else {
      throw WixError.application(.notFound, "Tag with label \(label) not found", code: "NOT_FOUND")
    }
    return ["tag": counted(tag: tag)]
  }

  // MARK: Edits in the Wix editor

  /// Fields merged without checks, `editedDate` bumped, `hasUnpublishedChanges` set; a
  /// published post is published again unless `publish` is false.
  func editDraftPost(_ id: String, _ changes: Object, publish republish: Bool) -> JSONValue? {
    guard var draft = draftPosts[id] else { return nil }
    for (key, value) in changes where key != "id" { draft[key] = value }
    draft["hasUnpublishedChanges"] = true
    draft["editedDate"] = .string(now())
    draftPosts[id] = draft
    if republish && draft["status"] == "PUBLISHED" { _ = try? publish(id) }
    return .object(draftPosts[id]!)
  }
}
