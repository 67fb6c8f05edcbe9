import BoardCore
import BoardHTTP
import BoardSpec
import BoardSupport
import Foundation

/// One Wix board: desired posts, a refresh that reads boardctl's posts page by page, crash-safe
/// apply.
///
/// Ownership: Wix posts have no external id, so every post boardctl makes carries two hashtags of
/// its own: the board's (`boardctl` and 16 hex digits of SHA-256 of the workspace and board
/// names), which finds all of them with one query, and the posting's (`bc_` and the posting's
/// name with `_` for `-`), which names the address. A post without the board's hashtag is never
/// touched.
struct WixBoard: PlacementBoard {
  let board: Board
  let environment: BoardEnvironment
  let settings: WixSettings
  let remote: RemoteBoard
  let owned: Set<String>
  let words: PostingWords
  /// Ids learnt while refreshing or applying.
  let known = WixIDs()

  init(board: Board, environment: BoardEnvironment) {
    self.board = board
    self.environment = environment
    let settings = WixSettings.of(board)
    self.settings = settings
    remote = RemoteBoard(
      board, settings.remote, environment: environment, defaultEndpoint: Wix.defaultEndpoint,
      defaultHosts: Wix.defaultHosts, limit: Wix.documentedLimit.requests, window: Wix.documentedLimit.seconds,
      requestTimeout: Double(Wix.requestTimeout))
    owned = Set(settings.platformOwned)
    words = PostingWords(language: settings.language ?? "en")
  }

  var workspace: String { environment.workspace?.name ?? "default" }

  /// The hashtag every post of this board carries.
  var boardTag: String {
    "boardctl" + String(ContentDigest.sha256(workspace + "\u{0}" + board.name).prefix(16))
  }

  /// The hashtag naming a posting's post.
  static func postingTag(_ name: String) -> String { "bc_" + name.replacingOccurrences(of: "-", with: "_") }

  func address(ofTag tag: String) -> Address? {
    guard tag.hasPrefix("bc_") else { return nil }
    let name = tag.dropFirst(3).replacingOccurrences(of: "_", with: "-")
    return name.isEmpty ? nil : Address(board: board.name, object: .post, name: name)
  }

  /// The API, when the board's credential was opened.
  func api(_ policy: RetryPolicy = .default) throws -> WixAPI {
    guard let credential = environment.credential else {
      throw PlatformError(
        .noCredential,
        "credential '\(board.credential ?? "?")' is not open: no private key for it is at hand (BOARDCTL_KEY, --key-file, or the key folder)"
      )
    }
    guard let key = credential.fields["api_key"], let site = credential.fields["site_id"] else {
      let missing = ["api_key", "site_id"].filter { credential.fields[$0] == nil }
      throw PlatformError(
        .invalid,
        "credential '\(credential.name)' has no \(missing.joined(separator: " or ")): seal \(missing.count == 1 ? "it" : "them") with boardctl seal \(credential.name)\(["api_key", "site_id"].map { " --field \($0)" }.joined())"
      )
    }
    let authenticator = WixKeyAuthenticator(
      key: HTTPSecret { key.revealText() }, siteID: site.revealText(),
      accountID: credential.fields["account_id"]?.revealText())
    guard let http = remote.client(policy, authenticator: authenticator, isThrottled: WixAPI.isThrottled) else {
      throw PlatformError(.other, "board '\(board.name)' was opened without an HTTP runtime; this is a bug in boardctl")
    }
    return WixAPI(base: remote.endpoint, http: http)
  }

  // MARK: Desired

  func desired(_ posting: ResolvedPosting, context: PlacementContext) -> DesiredResource {
    let address = Address(board: board.name, object: .post, name: posting.posting.name)
    var (attributes, payload) = WixPost.desired(
      posting, settings: settings, tag: Self.postingTag(posting.posting.name), words: words)
    let hashtags = ([boardTag] + (attributes["hashtags"]?.stringValue ?? "").components(separatedBy: ", ")).sorted()
    attributes.set("hashtags", hashtags.joined(separator: ", "))
    return DesiredResource(
      address: address, platform: Wix.id, attributes: attributes,
      renderKey: ContentDigest.sha256(WixPost.rendererVersion), onRemove: posting.posting.onRemove,
      source: posting.posting.source.root.location, payload: payload)
  }

  // MARK: Refresh

  func refresh(prior: [StateRecord]) async throws -> BoardReading {
    let api = try api()
    async let names = labels(api)
    // Every post of this board, by its hashtag: one request per 100 posts.
    var posts = try await api.draftPosts(filter: ["hashtags": ["$hasSome": [.string(boardTag)]]])
    var byID: [String: StateRecord] = [:]
    for record in prior { if let id = record.remoteID { byID[id] = record } }
    // Posts state knows whose hashtags someone removed: looked up by id, 100 a request.
    let found = Set(posts.compactMap { $0["id"]?.string })
    let missing = byID.keys.filter { !found.contains($0) }.sorted()
    for start in stride(from: 0, to: missing.count, by: 100) {
      let ids = missing[start..<min(start + 100, missing.count)].map(JSONValue.string)
      posts += try await api.draftPosts(filter: ["id": ["$in": .array(ids)]])
    }
    let (categories, tags) = try await names
    var priorByAddress: [Address: StateRecord] = [:]
    for record in prior { priorByAddress[record.address] = record }
    // One post per id (the two reads may overlap), then one post per address: the id state
    // knows first, else the first post carrying the address's hashtag.
    var byAddress: [Address: (id: String, post: JSONValue)] = [:]
    var warnings: [String] = []
    var ids = Set<String>()
    for post in posts {
      guard let id = post["id"]?.string, ids.insert(id).inserted, post["status"]?.string != "DELETED" else {
        continue
      }
      let hashtags = (post["hashtags"]?.array ?? []).compactMap(\.string)
      let tagged = Set(hashtags.compactMap(address(ofTag:)))
      let address: Address
      if let known = byID[id]?.address {
        address = known
      } else if tagged.count == 1, let only = tagged.first {
        address = only
      } else {
        if tagged.count > 1 {
          warnings.append(
            "post \(id) carries the hashtags of \(tagged.map(\.description).sorted().joined(separator: " and ")); boardctl leaves it alone. Remove the extra bc_ hashtags in Wix"
          )
        }
        continue
      }
      if let first = byAddress[address] {
        let keep = byID[id] != nil && byID[first.id] == nil ? (id, post) : first
        let other = keep.0 == id ? first.id : id
        warnings.append(
          "posts \(keep.0) and \(other) both carry the hashtags of \(address); boardctl manages \(keep.0). Delete \(other) in Wix"
        )
        byAddress[address] = (keep.0, keep.1)
        continue
      }
      byAddress[address] = (id, post)
    }
    var resources: [LiveResource] = []
    for (address, found) in byAddress {
      await known.learn(address, id: found.id)
      let record = priorByAddress[address]
      let published = found.post["status"]?.string == "PUBLISHED"
      // A closed post stays in Wix unpublished, as state expects; an open one unpublished by
      // hand is as good as gone, and is published again.
      if record?.status == .closed && !published { continue }
      if record?.status == .open && !published { continue }
      resources.append(
        LiveResource(
          address: address,
          attributes: WixPost.attributes(
            found.post, categories: categories, tags: tags, language: settings.language != nil)))
    }
    return BoardReading(resources: resources, warnings: warnings)
  }

  /// Category names and tag labels by id, read only when the settings use them.
  func labels(_ api: WixAPI) async throws -> (categories: [String: String], tags: [String: String]) {
    var categories: [String: String] = [:]
    var tags: [String: String] = [:]
    if !settings.categories.isEmpty {
      for category in try await api.categories() {
        if let id = category["id"]?.string, let label = category["label"]?.string { categories[id] = label }
      }
      let missing = Set(settings.categories).subtracting(categories.values).sorted()
      if !missing.isEmpty && !settings.createCategories {
        throw PlatformError(
          .invalid,
          "board '\(board.name)': the Wix blog has no categor\(missing.count == 1 ? "y" : "ies") \(missing.map { "'\($0)'" }.joined(separator: ", ")) (settings.categories). Create \(missing.count == 1 ? "it" : "them") in the Wix dashboard, fix the name, or set create_categories: true"
        )
      }
    }
    if !settings.tags.isEmpty {
      for tag in try await api.tags() {
        if let id = tag["id"]?.string, let label = tag["label"]?.string { tags[id] = label }
      }
    }
    await known.learn(categories: categories, tags: tags)
    return (categories, tags)
  }

  // MARK: Test Connection

  func check() async -> ConnectionCheck {
    let api: WixAPI
    do {
      api = try self.api(RemoteBoard.checkPolicy)
    } catch {
      return ConnectionCheck(
        ok: false, summary: "not tested: the credential is not open", problem: "\(error)",
        fix:
          "make the private key available (BOARDCTL_KEY, --key-file, or the key folder), or seal the key for this machine's key"
      )
    }
    var found: [String] = []
    let member = settings.memberID ?? ""
    do {
      do {
        let answer = try await api.expect(.GET, api.memberURL(member))
        found.append("authenticated at \(remote.endpoint) for the site")
        found.append("blog owner member \(member) (\(answer["member"]?["status"]?.string ?? "found"))")
      } catch let error as PlatformError where error.kind == .notFound {
        return ConnectionCheck(
          ok: false, summary: "authenticated at \(remote.endpoint)",
          problem: "the site has no member \(member) (settings.member_id)",
          fix:
            "set settings.member_id to the id of the member who owns the posts (Wix dashboard > Contacts > Site Members)"
        )
      }
      _ = try await api.expect(
        .POST, "\(remote.endpoint)/blog/v3/draft-posts/query", body: ["query": ["paging": ["limit": 1]]],
        idempotent: true)
      found.append("blog readable")
      if !settings.categories.isEmpty {
        _ = try await labels(api)
        found.append("categories \(settings.categories.map { "'\($0)'" }.joined(separator: ", "))")
      }
      for area in syncAreas {
        do {
          try await area.probe(api)
          found.append(area.found)
        } catch let error as PlatformError where error.kind == .forbidden || error.kind == .badKey {
          return ConnectionCheck(
            ok: false, summary: found.joined(separator: "; "),
            problem: "\(area.name): the key may not \(area.verb) (\(error.description))",
            fix:
              "add the \(area.permission) permission to the API key in the Wix API Keys Manager (sync rule\(area.rules.count == 1 ? "" : "s") \(area.rules.joined(separator: ", ")) need\(area.rules.count == 1 ? "s" : "") it)"
          )
        } catch let error as PlatformError where error.kind == .invalid && area.name == "form submissions" {
          return ConnectionCheck(
            ok: false, summary: found.joined(separator: "; "), problem: error.description,
            fix:
              "install the Wix Forms app on the site (sync rule\(area.rules.count == 1 ? "" : "s") \(area.rules.joined(separator: ", ")) read its submissions)"
          )
        }
      }
    } catch {
      let summary =
        found.isEmpty ? "failed at the first check (the blog owner member)" : found.joined(separator: "; ")
      let error = error as? PlatformError ?? PlatformError(.other, "\(error)")
      return ConnectionCheck(ok: false, summary: summary, problem: error.description, fix: fix(error))
    }
    found.append(await remote.headroom())
    return ConnectionCheck(ok: true, summary: found.joined(separator: "; "))
  }

  /// A part of the site the board's sync rules need, checked with one cheap request.
  struct SyncArea: Sendable {
    var name: String
    var verb: String
    var permission: String
    var found: String
    var rules: [String]
    var probe: @Sendable (WixAPI) async throws -> Void
  }

  /// What the sync rules naming this board read and write here: contacts (and the extended
  /// fields a rule maps), form submissions, members.
  var syncAreas: [SyncArea] {
    var uses: [String: [String]] = [:]
    var extended: [String] = []
    for rule in environment.syncRules {
      for side in [rule.source, rule.target] where side.board == board.name {
        uses[side.object, default: []].append(rule.name)
      }
      let mapsExtended =
        rule.target.board == board.name && rule.map.contains { $0.target.hasPrefix(WixRecords.extendedPrefix) }
      if mapsExtended { extended.append(rule.name) }
    }
    var areas: [SyncArea] = []
    if let rules = uses["contacts"] {
      areas.append(
        SyncArea(
          name: "contacts", verb: "read or write contacts", permission: "Manage Contacts",
          found: "contacts readable", rules: rules,
          probe: { api in
            _ = try await api.expect(
              .POST, api.base + "/contacts/v4/contacts/query", body: ["query": ["paging": ["limit": 1]]],
              idempotent: true)
          }))
    }
    if !extended.isEmpty {
      areas.append(
        SyncArea(
          name: "extended fields", verb: "manage contacts' extended fields",
          permission: "Manage Extended Fields (MANAGE-EX-FIELDS)",
          found: "extended fields readable", rules: extended,
          probe: { api in
            _ = try await api.expect(
              .POST, api.base + "/contacts/v4/extended-fields/query", body: ["query": [:]], idempotent: true)
          }))
    }
    if let rules = uses["form_submissions"] {
      areas.append(
        SyncArea(
          name: "form submissions", verb: "read form submissions", permission: "Wix Forms (Manage Submissions)",
          found: "Wix Forms submissions readable", rules: rules,
          probe: { api in
            let body: [String: JSONValue] = [
              "query": ["filter": ["namespace": ["$eq": .string(WixAPI.formsNamespace)]], "paging": ["limit": 1]]
            ]
            let url = api.base + "/form-submission-service/v4/submissions/namespace/query"
            let result = try await api.send(.POST, url, body: body, idempotent: true)
            if let refusal = WixAPI.noFormsApp(status: result.status, body: result.body) { throw refusal }
            try WixAPI.check(result, method: .POST, url: url)
          }))
    }
    if let rules = uses["members"] {
      areas.append(
        SyncArea(
          name: "members", verb: "read site members", permission: "Read Members",
          found: "members readable", rules: rules,
          probe: { api in _ = try await api.expect(.GET, api.base + "/members/v1/members?paging.limit=1") }))
    }
    return areas
  }

  func fix(_ error: PlatformError) -> String? {
    switch error.kind {
    case .badKey, .forbidden:
      return
        "bad key, site id or missing permission: create an API key with the Wix Blog (and, for sync rules, Contacts, Forms and Members) permissions for this site, and seal it with the site id: boardctl seal \(board.credential ?? "NAME") --field api_key --field site_id"
    case .unreachable:
      return "network or timeout: check settings.endpoint (\(remote.endpoint)), DNS, proxy and firewall"
    case .rateLimited:
      return "rate limited: the site used its 200 requests per minute; wait a minute, or lower settings.rate_limit"
    case .notFound: return "check settings.endpoint: it should be https://www.wixapis.com"
    case .server: return "Wix is failing; try again later"
    case .invalid: return "fix the setting the message names"
    default: return nil
    }
  }

  // MARK: Apply

  func apply(
    _ changes: [PlannedChange], desired: [Address: DesiredResource], prior: [Address: StateRecord],
    journal: any ApplyJournal
  ) async throws -> [Address: StateRecord?] {
    let api: WixAPI
    do { api = try self.api() } catch { throw BoardApplyError("\(error)", completed: [:]) }
    var categoryIDs: [String] = []
    var tagIDs: [String] = []
    if changes.contains(where: { $0.after != nil }) {
      do {
        categoryIDs = try await resolveCategories(api)
        tagIDs = try await resolveTags(api)
      } catch {
        throw BoardApplyError("\(error)", completed: [:])
      }
    }
    let context = ApplyContext(
      api: api, categoryIDs: categoryIDs, tagIDs: tagIDs, desired: desired, prior: prior, journal: journal)
    // Many new posts go in bulk, 20 a request; the rest one at a time.
    var completed: [Address: StateRecord?] = [:]
    var bulkFailures: [String] = []
    var single = changes
    let fresh = await freshCreates(changes, context)
    if fresh.count >= Self.bulkThreshold {
      let addresses = Set(fresh.map(\.address))
      single.removeAll { addresses.contains($0.address) }
      for start in stride(from: 0, to: fresh.count, by: Self.bulkSize) {
        if journal.stopRequested { throw BoardApplyError(ApplyStopped().description, completed: completed) }
        let chunk = Array(fresh[start..<min(start + Self.bulkSize, fresh.count)])
        do {
          let (records, failures) = try await bulkCreate(chunk, context)
          completed.merge(records) { $1 }
          bulkFailures += failures
        } catch {
          throw BoardApplyError("\(error)", completed: completed)
        }
      }
    }
    // Creates can take Wix many seconds: several run at once, up to settings.concurrency.
    do {
      completed.merge(try await remote.applyEach(single, journal: journal) { try await perform($0, context) }) { $1 }
    } catch let error as BoardApplyError {
      throw BoardApplyError(error.message, completed: completed.merging(error.completed) { $1 })
    }
    if !bulkFailures.isEmpty {
      throw BoardApplyError(
        "Wix refused \(bulkFailures.count) post\(bulkFailures.count == 1 ? "" : "s") of a bulk create (the others were made): \(bulkFailures.joined(separator: "; ")). Fix them and apply again",
        completed: completed)
    }
    return completed
  }

  /// From how many new posts on they go in bulk, and how many a bulk request carries (Wix's
  /// limit is 20).
  static let bulkThreshold = 6
  static let bulkSize = 20

  /// Creates of posts Wix cannot already have: no known id, not interrupted in an earlier run.
  func freshCreates(_ changes: [PlannedChange], _ context: ApplyContext) async -> [PlannedChange] {
    var fresh: [PlannedChange] = []
    for change in changes where change.action == .create && context.desired[change.address] != nil {
      let knownID: String?
      if let id = await known.id(change.address) {
        knownID = id
      } else {
        knownID = context.prior[change.address]?.remoteID
      }
      if knownID == nil && !context.journal.interrupted.contains(change.address) { fresh.append(change) }
    }
    return fresh
  }

  /// Creates up to 20 posts with one request. Wix answers per item: the successes are recorded
  /// and journaled, each failure is journaled and returned as a message, so one bad post does
  /// not lose the others (it is created on the next apply). When the answer itself is lost, the
  /// posts are looked up by their hashtags before any is sent again.
  func bulkCreate(_ chunk: [PlannedChange], _ context: ApplyContext) async throws -> (
    [Address: StateRecord?], [String]
  ) {
    let api = context.api
    var entries: [Address: Int64] = [:]
    for change in chunk { entries[change.address] = try await context.journal.begin(change.address, action: .create) }
    var records: [Address: StateRecord?] = [:]
    var failures: [String] = []
    var pending = chunk
    var attempts = 0
    while !pending.isEmpty {
      attempts += 1
      let posts: [JSONValue] = pending.map { change in
        .object(
          WixPost.body(
            context.desired[change.address]!.attributes, payload: context.desired[change.address]!.payload,
            keys: Set(WixPost.fields), categoryIDs: context.categoryIDs, tagIDs: context.tagIDs))
      }
      let url = "\(remote.endpoint)/blog/v3/bulk/draft-posts/create"
      let answer: JSONValue
      do {
        answer = try await api.expect(.POST, url, body: ["draftPosts": .array(posts), "publish": true])
      } catch let error as PlatformError where (error.kind == .unknownOutcome || error.kind == .server) && attempts < 4
      {
        // Wix may have made some: find them by their hashtags, send only the rest again.
        try await api.pauseBeforeResend(attempt: attempts)
        let made = try await api.draftPosts(filter: ["hashtags": ["$hasSome": [.string(boardTag)]]])
        var byTag: [String: String] = [:]
        for post in made {
          guard let id = post["id"]?.string else { continue }
          for case .string(let tag) in post["hashtags"]?.array ?? [] { byTag[tag] = id }
        }
        var rest: [PlannedChange] = []
        for change in pending {
          if let id = byTag[Self.postingTag(change.address.name)] {
            try await succeed(change, id: id)
          } else {
            rest.append(change)
          }
        }
        pending = rest
        continue
      }
      var answered = Set<Int>()
      for result in answer["results"]?.array ?? [] {
        let metadata = result["itemMetadata"]
        guard let index = metadata?["originalIndex"]?.int, pending.indices.contains(index) else { continue }
        answered.insert(index)
        let change = pending[index]
        if metadata?["success"]?.bool == true, let id = metadata?["id"]?.string {
          try await succeed(change, id: id)
        } else {
          let error = metadata?["error"]
          let reason = [error?["code"]?.string, error?["description"]?.string].compactMap { $0 }.joined(separator: ": ")
          let message = "\(change.address): \(reason.isEmpty ? "refused" : reason)"
          failures.append(message)
          try await context.journal.finish(entries[change.address]!, error: message)
        }
      }
      // An item Wix said nothing about may or may not exist: the next plan finds it by its hashtags.
      for (index, change) in pending.enumerated() where !answered.contains(index) {
        let message = "\(change.address): Wix's bulk answer did not mention it"
        failures.append(message)
        try await context.journal.finish(entries[change.address]!, error: message)
      }
      pending = []
    }
    return (records, failures)

    func succeed(_ change: PlannedChange, id: String) async throws {
      await known.learn(change.address, id: id)
      let record = record(context.desired[change.address]!, remoteID: id, prior: context.prior[change.address])
      records[change.address] = record
      try await context.journal.finish(entries[change.address]!, saving: [change.address: record])
    }
  }

  struct ApplyContext: Sendable {
    let api: WixAPI
    let categoryIDs: [String]
    let tagIDs: [String]
    let desired: [Address: DesiredResource]
    let prior: [Address: StateRecord]
    let journal: any ApplyJournal
  }

  /// The ids of the settings' categories, created when missing if the settings allow.
  func resolveCategories(_ api: WixAPI) async throws -> [String] {
    guard !settings.categories.isEmpty else { return [] }
    var ids: [String] = []
    for name in settings.categories.sorted() {
      if let id = await known.categoryID(name) {
        ids.append(id)
        continue
      }
      guard settings.createCategories else {
        throw PlatformError(.invalid, "the Wix blog has no category '\(name)' and create_categories is off")
      }
      let id = try await api.createOnce(
        "\(remote.endpoint)/blog/v3/categories", body: ["category": ["label": .string(name)]],
        what: "the category '\(name)'",
        find: { try await api.categories().first { $0["label"]?.string == name }?["id"]?.string },
        id: { $0["category"]?["id"]?.string })
      await known.learn(categories: [id: name], tags: [:])
      ids.append(id)
    }
    return ids
  }

  /// The ids of the settings' tags, created when missing (a tag Wix already has answers 409).
  func resolveTags(_ api: WixAPI) async throws -> [String] {
    guard !settings.tags.isEmpty else { return [] }
    var ids: [String] = []
    for label in settings.tags.sorted() {
      if let id = await known.tagID(label) {
        ids.append(id)
        continue
      }
      let find: @Sendable () async throws -> String? = {
        try await api.tags().first { $0["label"]?.string == label }?["id"]?.string
      }
      let id: String
      do {
        id = try await api.createOnce(
          "\(remote.endpoint)/blog/v3/tags", body: ["label": .string(label)], what: "the tag '\(label)'", find: find,
          id: { $0["tag"]?["id"]?.string })
      } catch let error as PlatformError where error.kind == .invalid {
        guard let existing = try await find() else { throw error }
        id = existing
      }
      await known.learn(categories: [:], tags: [id: label])
      ids.append(id)
    }
    return ids
  }

  func record(_ resource: DesiredResource, remoteID: String, prior: StateRecord?) -> StateRecord {
    StateRecord(
      address: resource.address, platform: Wix.id, attributes: resource.attributes, renderKey: resource.renderKey,
      status: .open, onRemove: resource.onRemove, remoteID: remoteID,
      firstPublished: prior?.firstPublished ?? environment.today.description, updatedAt: environment.now)
  }

  func perform(_ change: PlannedChange, _ context: ApplyContext) async throws -> StateRecord? {
    let api = context.api
    let address = change.address
    let prior = context.prior[address]
    let knownID: String?
    if let id = await known.id(address) { knownID = id } else { knownID = prior?.remoteID }
    switch change.action {
    case .create, .update, .import, .replace:
      guard let resource = context.desired[address] else { return prior }
      let everything = Set(WixPost.fields)
      if change.action == .create, knownID == nil {
        let id = try await createPost(address, resource, context)
        return record(resource, remoteID: id, prior: prior)
      }
      guard let id = knownID else {
        throw PlatformError(.notFound, "\(address): the post's Wix id is unknown; run plan again")
      }
      // A reopened or adopted post gets every field; an update the ones that changed (and the
      // content when only the rendering did).
      var keys = change.action == .update ? Set(change.fields.map(\.key)) : everything
      if change.contentChanged { keys.insert("content") }
      // What people own in the editor is set when a post is made, never after.
      keys.subtract(owned)
      do {
        try await update(id, resource, keys: keys, context)
      } catch let error as PlatformError where error.kind == .notFound && change.action == .create {
        // Deleted in Wix since: made again.
        await known.forget(address)
        let created = try await createPost(address, resource, context)
        return record(resource, remoteID: created, prior: prior)
      }
      return record(resource, remoteID: id, prior: prior)
    case .close:
      guard var closed = prior else { return nil }
      if let id = knownID {
        do {
          try await api.expect(
            .PATCH, api.draftURL(id), body: ["draftPost": ["id": .string(id)], "action": "UPDATE_REVERT_TO_DRAFT"],
            idempotent: true)
        } catch let error as PlatformError where error.kind == .notFound {
          // Already gone from Wix: closed all the same.
        }
      }
      closed.status = .closed
      closed.updatedAt = environment.now
      return closed
    case .delete:
      if let id = knownID {
        do {
          try await api.expect(.DELETE, api.draftURL(id), idempotent: true)
        } catch let error as PlatformError where error.kind == .notFound {}
      }
      return nil
    case .forget:
      return nil
    }
  }

  /// Sets `keys` on a draft post, then publishes it (a published post changes only when published).
  func update(_ id: String, _ resource: DesiredResource, keys: Set<String>, _ context: ApplyContext) async throws {
    let api = context.api
    var post = WixPost.body(
      resource.attributes, payload: resource.payload, keys: keys, categoryIDs: context.categoryIDs,
      tagIDs: context.tagIDs)
    post["id"] = .string(id)
    try await api.expect(.PATCH, api.draftURL(id), body: ["draftPost": .object(post)], idempotent: true)
    try await api.expect(.POST, api.draftURL(id) + "/publish", body: [:], idempotent: true)
  }

  /// Creates and publishes a post without ever making two: an interrupted earlier attempt, or a
  /// create whose answer was lost, is looked up by the post's hashtags first.
  func createPost(_ address: Address, _ resource: DesiredResource, _ context: ApplyContext) async throws -> String {
    let api = context.api
    let post = WixPost.body(
      resource.attributes, payload: resource.payload, keys: Set(WixPost.fields), categoryIDs: context.categoryIDs,
      tagIDs: context.tagIDs)
    let tags: JSONValue = [.string(boardTag), .string(Self.postingTag(address.name))]
    let id = try await api.createOnce(
      "\(remote.endpoint)/blog/v3/draft-posts", body: ["draftPost": .object(post), "publish": true],
      what: "\(address)", lookFirst: context.journal.interrupted.contains(address),
      find: {
        guard let existing = try await api.draftPosts(filter: ["hashtags": ["$hasAll": tags]]).first,
          let id = existing["id"]?.string
        else { return nil }
        try await update(id, resource, keys: Set(WixPost.fields), context)
        return id
      }, id: { $0["draftPost"]?["id"]?.string })
    await known.learn(address, id: id)
    return id
  }
}

/// Ids learnt while refreshing or applying: posts by address, categories and tags by name.
actor WixIDs {
  private var ids: [Address: String] = [:]
  private var categories: [String: String] = [:]
  private var tags: [String: String] = [:]

  func learn(_ address: Address, id: String) { ids[address] = id }
  func forget(_ address: Address) { ids[address] = nil }
  func id(_ address: Address) -> String? { ids[address] }
  func learn(categories found: [String: String], tags labels: [String: String]) {
    for (id, name) in found where categories[name] == nil { categories[name] = id }
    for (id, label) in labels where tags[label] == nil { tags[label] = id }
  }
  func categoryID(_ name: String) -> String? { categories[name] }
  func tagID(_ label: String) -> String? { tags[label] }
}
