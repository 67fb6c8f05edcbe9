import BoardCore
import BoardHTTP
import BoardSpec
import BoardSupport
import Foundation

/// One Manatal board: desired jobs and webhooks, list-based refresh, crash-safe apply.
struct ManatalBoard: PlacementBoard, DeclaredObjectsBoard, ImportableBoard {
  let board: Board
  let environment: BoardEnvironment
  let settings: ManatalSettings
  let remote: RemoteBoard
  let hooksEndpoint: String
  let organization: String
  let createOrganization: Bool
  let customFields: [(key: String, value: String)]
  let owned: Set<String>
  /// Ids learnt by refresh (jobs and webhooks by address, organizations by name), for apply.
  let known = ManatalIDs()

  init(board: Board, environment: BoardEnvironment) {
    self.board = board
    self.environment = environment
    let settings = ManatalSettings.of(board)
    self.settings = settings
    remote = RemoteBoard(
      board, settings.remote, environment: environment, defaultEndpoint: Manatal.defaultEndpoint,
      defaultHosts: Manatal.defaultHosts, limit: Manatal.documentedLimit.requests,
      window: Manatal.documentedLimit.seconds)
    hooksEndpoint = settings.webhooksEndpoint
    organization = settings.organization ?? environment.workspace?.organization?.name ?? ""
    createOrganization = settings.createOrganization
    customFields = settings.customFields
    owned = settings.owned
  }

  var workspace: String { environment.workspace?.name ?? "default" }
  var tagPrefix: String { "boardctl:\(workspace):" }

  /// The API, when the board's credential was opened.
  func api(_ policy: RetryPolicy = .default) throws -> ManatalAPI {
    guard let token = environment.credential?.fields["token"] else {
      throw PlatformError(
        .noCredential,
        "credential '\(board.credential ?? "?")' is not open: no private key for it is at hand (BOARDCTL_KEY, --key-file, or the key folder)"
      )
    }
    guard let http = remote.client(policy, authenticator: TokenAuthenticator(token: HTTPSecret { token.revealText() }))
    else {
      throw PlatformError(.other, "board '\(board.name)' was opened without an HTTP runtime; this is a bug in boardctl")
    }
    return ManatalAPI(base: remote.endpoint, hooks: hooksEndpoint, http: http)
  }

  // MARK: Desired

  func desired(_ posting: ResolvedPosting, context: PlacementContext) -> DesiredResource {
    let address = Address(board: board.name, object: .job, name: posting.posting.name)
    return DesiredResource(
      address: address, platform: Manatal.id,
      attributes: ManatalJob.attributes(
        posting, organization: organization, tag: ManatalJob.tag(workspace: workspace, address: address),
        customFields: customFields),
      onRemove: posting.posting.onRemove, source: posting.posting.source.root.location)
  }

  func declaredObjects() -> [DesiredResource] {
    settings.webhooks.map { hook in
      var a: Attributes = [:]
      a.set("model", hook.value.model)
      a.set("action", hook.value.action)
      a.set("target_url", hook.value.targetURL)
      return DesiredResource(
        address: Self.webhookAddress(board: board.name, model: hook.value.model, action: hook.value.action),
        platform: Manatal.id, attributes: a, onRemove: .delete, source: hook.location,
        origin: "declared in the board's settings.webhooks")
    }
  }

  static func webhookAddress(board: String, model: String, action: String) -> Address {
    Address(board: board, object: .webhook, name: "\(model)-\(action.replacingOccurrences(of: "_", with: "-"))")
  }

  // MARK: Refresh

  func refresh(prior: [StateRecord]) async throws -> BoardReading {
    let api = try api()
    async let organizationList = api.organizations()
    async let jobList = api.jobs()
    let wantsHooks = !declaredObjects().isEmpty || prior.contains { $0.address.object == .webhook }
    let hookList = wantsHooks ? try await api.webhooks() : []
    let organizations = try await organizationList
    let jobs = try await jobList

    var names: [Int: String] = [:]
    for org in organizations { if let id = org["id"]?.int, let name = org["name"]?.string { names[id] = name } }
    await known.learn(organizations: names)
    var warnings: [String] = []
    if !names.values.contains(organization) {
      guard createOrganization else {
        throw PlatformError(
          .invalid,
          "Manatal has no organization named '\(organization)' (it has \(names.isEmpty ? "none" : names.values.sorted().map { "'\($0)'" }.joined(separator: ", "))). Fix settings.organization, create it in Manatal, or set create_organization: true"
        )
      }
      warnings.append("organization '\(organization)' does not exist yet; apply creates it")
    }

    var records: [Address: StateRecord] = [:]
    var byRemoteID: [String: Address] = [:]
    for record in prior {
      records[record.address] = record
      if let id = record.remoteID { byRemoteID["\(record.address.object)/\(id)"] = record.address }
    }
    var resources: [LiveResource] = []
    var seen: [Address: String] = [:]
    let customKeys = customFields.map(\.key)
    for job in jobs {
      guard let id = job["id"]?.string else { continue }
      var address: Address?
      if let tag = job["external_id"]?.string, tag.hasPrefix(tagPrefix) {
        address = Address(String(tag.dropFirst(tagPrefix.count))).flatMap { $0.board == board.name ? $0 : nil }
      }
      // Imported jobs (and tagged ones whose tag a recruiter removed) are known by their id.
      if let byID = byRemoteID["job/\(id)"], address == nil || address == byID { address = byID }
      guard let address else { continue }  // not ours: never touched
      if let first = seen[address] {
        warnings.append(
          "jobs \(first) and \(id) both carry the tag of \(address); boardctl manages \(first). Delete the duplicate in Manatal"
        )
        continue
      }
      seen[address] = id
      await known.learn(address, id: id)
      // A closed job stays in Manatal, unpublished: that is what state expects.
      if records[address]?.status == .closed && job["is_published"]?.bool != true { continue }
      resources.append(
        LiveResource(
          address: address, attributes: ManatalJob.attributes(job, organizations: names, customKeys: customKeys)))
    }

    let wanted = Dictionary(declaredObjects().map { ($0.attributes, $0.address) }, uniquingKeysWith: { a, _ in a })
    for hook in hookList {
      guard let id = hook["id"]?.string else { continue }
      var a: Attributes = [:]
      a.set("model", hook["model"]?.string)
      a.set("action", hook["action"]?.string)
      a.set("target_url", hook["target_url"]?.string)
      // Registrations carry no tag: ours are the ids in state, or exact matches of a declared one.
      guard let address = byRemoteID["webhook/\(id)"] ?? wanted[a].flatMap({ records[$0] == nil ? $0 : nil }),
        seen[address] == nil
      else { continue }
      seen[address] = id
      await known.learn(address, id: id)
      resources.append(LiveResource(address: address, attributes: a))
    }
    return BoardReading(resources: resources, warnings: warnings)
  }

  // MARK: Import

  func lookup(remoteID: String) async throws -> RemoteObject? {
    guard Int(remoteID) != nil else {
      throw PlatformError(.invalid, "Manatal job ids are numbers; got '\(remoteID)'")
    }
    let api = try api()
    let job: JSONValue
    do {
      job = try await api.expect(.GET, api.jobURL(remoteID))
    } catch let error as PlatformError where error.kind == .notFound {
      return nil
    }
    var tagged: Address?
    if let tag = job["external_id"]?.string, tag.hasPrefix("boardctl:") {
      tagged = tag.hasPrefix(tagPrefix) ? Address(String(tag.dropFirst(tagPrefix.count))) : nil
      if tagged == nil {
        throw PlatformError(
          .invalid, "job \(remoteID) carries another workspace's tag (\(tag)); it is not this workspace's to adopt")
      }
    }
    return RemoteObject(
      remoteID: remoteID, taggedAs: tagged, summary: job["position_name"]?.string ?? "job \(remoteID)")
  }

  // MARK: Test Connection

  func check() async -> ConnectionCheck {
    let api: ManatalAPI
    do {
      api = try self.api(RemoteBoard.checkPolicy)
    } catch {
      return ConnectionCheck(
        ok: false, summary: "not tested: the credential is not open", problem: "\(error)",
        fix:
          "make the private key available (BOARDCTL_KEY, --key-file, or the key folder), or seal the token for this machine's key"
      )
    }
    var found: [String] = []
    do {
      try await api.expect(.GET, "\(remote.endpoint)/users/?page_size=1")
      found.append("authenticated at \(remote.endpoint)")
      try await api.expect(.GET, api.jobsURL("page_size=1"))
      found.append("jobs readable")
      let organizations = try await api.organizations()
      if let org = organizations.first(where: { $0["name"]?.string == organization }) {
        found.append("organization '\(organization)' (id \(org["id"]?.string ?? "?"))")
      } else if createOrganization {
        found.append("organization '\(organization)' will be created on the first apply")
      } else {
        return ConnectionCheck(
          ok: false, summary: found.joined(separator: "; "),
          problem: "Manatal has no organization named '\(organization)'",
          fix: "fix settings.organization, create it in Manatal, or set create_organization: true")
      }
      if !declaredObjects().isEmpty {
        _ = try await api.webhooks()
        found.append("Manahook webhooks readable")
      }
    } catch {
      let summary =
        found.isEmpty ? "failed at the first check (GET \(remote.endpoint)/users/)" : found.joined(separator: "; ")
      let error = error as? PlatformError ?? PlatformError(.other, "\(error)")
      return ConnectionCheck(ok: false, summary: summary, problem: error.description, fix: fix(error))
    }
    found.append(await remote.headroom())
    return ConnectionCheck(ok: true, summary: found.joined(separator: "; "))
  }

  func fix(_ error: PlatformError) -> String? {
    switch error.kind {
    case .badKey:
      return
        "bad key: Manatal rejected the token. Generate a new one (Manatal > Administration > Open API) and seal it: boardctl seal \(board.credential ?? "NAME") --field token"
    case .forbidden:
      return
        "missing permission: the token's user needs Open API access (Enterprise Plus) and rights to jobs and organizations"
    case .unreachable:
      return "network or timeout: check settings.endpoint (\(remote.endpoint)), DNS, proxy and firewall"
    case .rateLimited:
      return
        "rate limited: this token used its 100 requests per minute; wait a minute, or lower settings.rate_limit if other tools share the token"
    case .notFound: return "check settings.endpoint: it should end in /open/v3"
    case .server: return "Manatal is failing; try again later"
    default: return nil
    }
  }

  // MARK: Apply

  func apply(
    _ changes: [PlannedChange], desired: [Address: DesiredResource], prior: [Address: StateRecord],
    journal: any ApplyJournal
  ) async throws -> [Address: StateRecord?] {
    let api: ManatalAPI
    do { api = try self.api() } catch { throw BoardApplyError("\(error)", completed: [:]) }
    let needsOrganization = changes.contains { $0.address.object == .job && $0.after != nil }
    var organizationID: Int?
    if needsOrganization {
      do { organizationID = try await resolveOrganization(api) } catch {
        throw BoardApplyError("\(error)", completed: [:])
      }
    }
    let context = ApplyContext(
      api: api, organizationID: organizationID, desired: desired, prior: prior, journal: journal)
    return try await remote.applyEach(changes, journal: journal) { change in try await perform(change, context) }
  }

  struct ApplyContext: Sendable {
    let api: ManatalAPI
    let organizationID: Int?
    let desired: [Address: DesiredResource]
    let prior: [Address: StateRecord]
    let journal: any ApplyJournal
  }

  func resolveOrganization(_ api: ManatalAPI) async throws -> Int {
    if let id = await known.organizationID(organization) { return id }
    for org in try await api.organizations() where org["name"]?.string == organization {
      if let id = org["id"]?.int {
        await known.learn(organizations: [id: organization])
        return id
      }
    }
    guard createOrganization else {
      throw PlatformError(.invalid, "Manatal has no organization named '\(organization)'")
    }
    // A create whose outcome is unknown (a 5xx, a reset) is looked up by name before it is sent
    // again, so one bad answer neither aborts the apply nor makes two organizations.
    let name = organization
    let id = try await api.createOnce(
      "\(remote.endpoint)/organizations/", body: ["name": .string(name)], what: "the organization '\(name)'",
      find: { try await api.organizations().first { $0["name"]?.string == name }?["id"]?.int },
      id: { $0["id"]?.int })
    await known.learn(organizations: [id: organization])
    return id
  }

  func perform(_ change: PlannedChange, _ context: ApplyContext) async throws -> StateRecord? {
    switch change.address.object {
    case .job: return try await performJob(change, context)
    case .webhook: return try await performWebhook(change, context)
    default:
      guard let resource = context.desired[change.address], change.after != nil else { return nil }
      return record(resource, remoteID: nil, prior: context.prior[change.address])
    }
  }

  func record(_ resource: DesiredResource, remoteID: String?, prior: StateRecord?) -> StateRecord {
    StateRecord(
      address: resource.address, platform: Manatal.id, attributes: resource.attributes, status: .open,
      onRemove: resource.onRemove, remoteID: remoteID,
      firstPublished: prior?.firstPublished ?? environment.today.description,
      updatedAt: environment.now)
  }

  // MARK: Jobs

  private func performJob(_ change: PlannedChange, _ context: ApplyContext) async throws -> StateRecord? {
    let api = context.api
    let address = change.address
    let prior = context.prior[address]
    let knownID: String?
    if let id = await known.id(address) { knownID = id } else { knownID = prior?.remoteID }
    switch change.action {
    case .create, .update, .import, .replace:
      guard let resource = context.desired[address] else { return prior }
      let attributes = resource.attributes
      if change.action == .create {
        let id = try await createJob(address, attributes, knownID: knownID, context)
        return record(resource, remoteID: id, prior: prior)
      }
      guard let id = knownID else {
        throw PlatformError(.notFound, "\(address): the job's Manatal id is unknown; run plan again")
      }
      try await patchJob(id, attributes, keys: change.fields.map(\.key), context)
      return record(resource, remoteID: id, prior: prior)
    case .close:
      guard var closed = prior else { return nil }
      if let id = knownID {
        do {
          try await api.expect(.PATCH, api.jobURL(id), body: ["is_published": false], idempotent: true)
        } catch let error as PlatformError where error.kind == .notFound {
          // Already gone from Manatal: closed all the same.
        }
      }
      closed.status = .closed
      closed.updatedAt = environment.now
      return closed
    case .delete:
      if let id = knownID {
        do {
          try await api.expect(.DELETE, api.jobURL(id))
        } catch let error as PlatformError where error.kind == .notFound {
          // Already gone.
        }
      }
      return nil
    case .forget:
      return nil
    }
  }

  /// Creates a job without ever making two: a closed job is reopened in place, an interrupted
  /// earlier attempt is looked up by tag, and a POST whose outcome is unknown (a reset after the
  /// server committed, a 5xx) is followed by a lookup before anything is sent again.
  private func createJob(_ address: Address, _ attributes: Attributes, knownID: String?, _ context: ApplyContext)
    async throws -> String
  {
    let api = context.api
    let keys = attributes.keys.sorted()
    if let id = knownID {
      do {
        try await patchJob(id, attributes, keys: keys, context)
        return id
      } catch let error as PlatformError where error.kind == .notFound {
        await known.forget(address)
      }
    }
    let tag = attributes["external_id"]?.stringValue ?? ManatalJob.tag(workspace: workspace, address: address)
    let body = ManatalJob.body(attributes, keys: keys, organizationID: context.organizationID)
      .merging(customFieldsBody(attributes, current: nil)) { a, _ in a }
    let id = try await api.createOnce(
      api.collectionURL("jobs"), body: body, what: "\(address)",
      lookFirst: context.journal.interrupted.contains(address),
      find: {
        guard let existing = try await api.jobs(externalID: tag).first, let id = existing["id"]?.string else {
          return nil
        }
        try await patchJob(id, attributes, keys: keys, context)
        return id
      }, id: { $0["id"]?.string })
    await known.learn(address, id: id)
    return id
  }

  /// Sets `keys` on a job; custom fields are merged into what the job holds, because Manatal's
  /// PATCH replaces `custom_fields` whole.
  private func patchJob(_ id: String, _ attributes: Attributes, keys: [String], _ context: ApplyContext) async throws {
    let api = context.api
    var body = ManatalJob.body(attributes, keys: keys, organizationID: context.organizationID)
    if keys.contains(where: { $0.hasPrefix("custom_fields.") }) {
      let current = try await api.expect(.GET, api.jobURL(id))["custom_fields"]
      body.merge(customFieldsBody(attributes, current: current)) { a, _ in a }
    }
    guard !body.isEmpty else { return }
    try await api.expect(.PATCH, api.jobURL(id), body: body, idempotent: true)
  }

  /// `custom_fields`: what the job holds, with boardctl's keys set.
  private func customFieldsBody(_ attributes: Attributes, current: JSONValue?) -> [String: JSONValue] {
    guard !customFields.isEmpty else { return [:] }
    var merged = current?.object ?? [:]
    for (key, _) in customFields {
      merged[key] = attributes["custom_fields.\(key)"]?.stringValue.map(JSONValue.string) ?? .null
    }
    return ["custom_fields": .object(merged)]
  }

  // MARK: Webhooks

  private func performWebhook(_ change: PlannedChange, _ context: ApplyContext) async throws -> StateRecord? {
    let api = context.api
    let address = change.address
    let prior = context.prior[address]
    let knownID: String?
    if let id = await known.id(address) { knownID = id } else { knownID = prior?.remoteID }
    func remove() async throws {
      guard let id = knownID else { return }
      do {
        try await api.expect(.DELETE, "\(hooksEndpoint)/webhooks/\(id)/")
      } catch let error as PlatformError where error.kind == .notFound {}
    }
    switch change.action {
    case .import, .update:
      guard let resource = context.desired[address] else { return prior }
      return record(resource, remoteID: knownID, prior: prior)
    case .create, .replace:
      guard let resource = context.desired[address] else { return prior }
      if change.action == .replace { try await remove() }
      var body: [String: JSONValue] = [:]
      for key in ["model", "action", "target_url"] {
        body[key] = resource.attributes[key]?.stringValue.map(JSONValue.string)
      }
      var attempts = 0
      while true {
        attempts += 1
        if attempts > 1 || context.journal.interrupted.contains(address) {
          let existing = try await api.webhooks().first { hook in
            ["model", "action", "target_url"].allSatisfy { hook[$0]?.string == body[$0]?.string }
          }
          if let id = existing?["id"]?.string { return record(resource, remoteID: id, prior: prior) }
        }
        do {
          let created = try await api.expect(.POST, "\(hooksEndpoint)/webhooks/", body: body)
          return record(resource, remoteID: created["id"]?.string, prior: prior)
        } catch let error as PlatformError
          where (error.kind == .unknownOutcome || error.kind == .server) && attempts < 4
        {
          try await api.pauseBeforeResend(attempt: attempts)
          continue
        }
      }
    case .close, .delete:
      try await remove()
      return nil
    case .forget:
      return nil
    }
  }
}

/// Remote ids learnt while refreshing, so apply does not look them up again.
actor ManatalIDs {
  private var ids: [Address: String] = [:]
  private var organizations: [String: Int] = [:]

  func learn(_ address: Address, id: String) { ids[address] = id }
  func forget(_ address: Address) { ids[address] = nil }
  func id(_ address: Address) -> String? { ids[address] }
  func learn(organizations found: [Int: String]) {
    for (id, name) in found where organizations[name] == nil { organizations[name] = id }
  }
  func organizationID(_ name: String) -> Int? { organizations[name] }
}
