/// Collects documents from every file, checks them, and builds the typed `Config`.
struct ConfigAssembler {
  var platforms: [PlatformDescriptor]
  var diagnostics: [Diagnostic] = []
  /// Files whose YAML did not parse to the end: the documents they hold are unknown.
  var unparsedFiles: [String] = []
  private var validator: SchemaValidator
  private var firstNames: [String: [String: SourceLocation]] = [:]
  private var workspace: Workspace?
  private var singletonSeen: [String: SourceLocation] = [:]
  private var boards: [Board] = []
  private var templates: [Template] = []
  private var postings: [Posting] = []
  private var recipients: [Recipient] = []
  private var credentials: [Credential] = []
  private var syncRules: [SyncRule] = []

  init(platforms: [PlatformDescriptor]) {
    self.platforms = platforms
    self.validator = SchemaValidator(platforms: platforms)
  }

  mutating func add(_ document: YAMLValue, file: String) {
    if document.isNull { return }  // an empty document, e.g. after a trailing `---`
    guard document.pairs != nil else {
      diagnostics.append(
        .error(
          "a document must be a mapping with 'kind' and 'name'; found \(document.typeDescription)",
          at: document.location))
      return
    }
    let kinds = ConfigSchema.kinds.map(\.kind)
    guard let kindPair = document.pair("kind") else {
      diagnostics.append(
        .error(
          "document has no 'kind'", at: document.location, notes: ["add one of: kind: \(kinds.joined(separator: ", "))"]
        ))
      return
    }
    guard let kindName = kindPair.value.string, let schema = ConfigSchema.kind(named: kindName) else {
      let found = kindPair.value.string ?? kindPair.value.typeDescription
      diagnostics.append(
        .error(
          "unknown kind '\(found)'; the kinds are \(kinds.joined(separator: ", "))", at: kindPair.value.location,
          notes: Suggestion.note(for: found, in: kinds)))
      return
    }
    let before = validator.diagnostics.count
    validator.checkObject(document, schema.object, path: "")
    checkPlatform(document, kind: kindName)
    checkState(document, kind: kindName)
    if kindName == "SyncRule" { diagnostics += Self.mappingProblems(document) }
    let documentDiagnostics = Array(validator.diagnostics[before...])
    let source = DocumentSource(file: file, root: document)
    if let name = document["name"]?.string, SchemaValidator.isValidName(name) {
      if let first = firstNames[kindName]?[name] {
        diagnostics.append(
          .error(
            "duplicate \(kindName) name '\(name)': names must be unique per kind", at: document["name"]!.location,
            notes: ["first defined at \(first)"]))
      } else {
        firstNames[kindName, default: [:]][name] = document["name"]!.location
      }
    }
    if schema.singleton {
      if let first = singletonSeen[kindName] {
        diagnostics.append(
          .error("only one \(kindName) document is allowed", at: document.location, notes: ["another is at \(first)"]))
        return
      }
      singletonSeen[kindName] = document.location
    }
    guard !documentDiagnostics.hasErrors else { return }
    switch kindName {
    case "Workspace": workspace = Self.workspace(document, source)
    case "Board": boards.append(Self.board(document, source))
    case "SyncRule": syncRules.append(Self.syncRule(document, source))
    case "Template":
      templates.append(
        Template(
          name: document["name"]!.string!, title: document["title"]?.string,
          description: document["description"]?.string, source: source))
    case "Recipient":
      recipients.append(
        Recipient(
          name: document["name"]!.string!, keyID: document["key_id"]!.string!,
          publicKey: document["public_key"]!.string!, source: source))
    case "Credential":
      credentials.append(
        Credential(
          name: document["name"]!.string!,
          fields: (document["fields"]?.pairs ?? []).map { pair in
            Credential.Field(
              name: pair.key, sealedAt: pair.value["sealed_at"]?.string ?? "",
              ciphertexts: Dictionary(
                (pair.value["ciphertexts"]?.pairs ?? []).map { ($0.key, $0.value.string ?? "") },
                uniquingKeysWith: { first, _ in first }), source: source)
          }, source: source))
    default: postings.append(Self.posting(document, source))
    }
  }

  /// The `platform` key names an adapter this build knows.
  private mutating func checkPlatform(_ document: YAMLValue, kind: String) {
    guard kind == "Board", let value = document["platform"], let id = value.string else { return }
    let ids = platforms.map(\.id)
    if !ids.contains(id) {
      validator.diagnostics.append(
        .error(
          "unknown platform '\(id)'; available: \(ids.joined(separator: ", "))", at: value.location,
          notes: Suggestion.note(for: id, in: ids)))
    } else if let platform = platforms.first(where: { $0.id == id }), !platform.needsCredential,
      let credential = document["credential"], !credential.isNull
    {
      validator.diagnostics.append(
        .error("platform \(id) writes files and takes no credential; remove 'credential'", at: credential.location))
    }
  }

  /// A state key that the chosen backend does not read is a mistake (a `branch` under sqlite).
  private mutating func checkState(_ document: YAMLValue, kind: String) {
    guard kind == "Workspace", let state = document["state"], let pairs = state.pairs else { return }
    let backend = state["backend"]?.string.flatMap(StateSettings.Backend.init(rawValue:)) ?? .sqlite
    let allowed = StateSettings.keys[backend] ?? []
    for pair in pairs where pair.key != "backend" && !allowed.contains(pair.key) {
      let owner = StateSettings.keys.first { $0.value.contains(pair.key) }?.key
      guard let owner else { continue }  // unknown keys are the schema pass's
      validator.diagnostics.append(
        .error(
          "state key '\(pair.key)' belongs to the \(owner.rawValue) backend, but this workspace's backend is \(backend.rawValue)",
          at: pair.keyLocation,
          notes: ["set backend: \(owner.rawValue), or remove '\(pair.key)'"]))
    }
    if state["url_env"] != nil, let credential = state.pair("url_credential") {
      validator.diagnostics.append(
        .error(
          "give the database URL one way: url_env or url_credential, not both", at: credential.keyLocation))
    }
  }

  mutating func finish() -> ConfigLoader.Result {
    diagnostics += validator.diagnostics
    for reference in validator.references {
      let known = firstNames[reference.kind].map { Array($0.keys).sorted() } ?? []
      // A file that did not parse may define it: one syntax error stays one error, not one more
      // per document that names something in that file. References are checked once it parses.
      if !known.contains(reference.name) && unparsedFiles.isEmpty {
        let what = reference.path.hasSuffix(" key") ? "key of '\(reference.path.dropLast(4))'" : "'\(reference.path)'"
        diagnostics.append(
          .error(
            "\(what) refers to \(reference.kind) '\(reference.name)', which is not defined", at: reference.location,
            notes: Suggestion.note(for: reference.name, in: known)
              + (known.isEmpty ? ["no \(reference.kind) documents exist in this configuration"] : [])))
      }
    }
    for board in boards {
      guard let platform = platforms.first(where: { $0.id == board.platform }) else { continue }
      guard let name = board.credential else {
        if platform.needsCredential {
          diagnostics.append(
            .error(
              "board '\(board.name)' (\(platform.id)) needs a credential: add credential: NAME (seal one with boardctl seal NAME\(platform.credentialFields.map { " --field \($0)" }.joined()))",
              at: board.source.keyLocation(of: "platform")))
        }
        continue
      }
      guard let credential = credentials.first(where: { $0.name == name }) else { continue }
      for field in platform.credentialFields where credential.field(field) == nil {
        diagnostics.append(
          .error(
            "board '\(board.name)' (\(platform.id)) needs field '\(field)' in credential '\(name)'; seal it with boardctl seal \(name) --field \(field)",
            at: board.source.location(of: "credential")))
      }
    }
    for posting in postings {
      for board in posting.overrides.keys where !posting.boards.contains(board) && firstNames["Board"]?[board] != nil {
        diagnostics.append(
          .error(
            "overrides for board '\(board)', which the posting does not list in 'boards'",
            at: posting.source.keyLocation(of: "overrides.\(board)"),
            notes: ["add '\(board)' to boards, or remove the override"]))
      }
      var seen: Set<String> = []
      for item in posting.source.root["boards"]?.array ?? [] {
        if let board = item.string, !seen.insert(board).inserted {
          diagnostics.append(.error("board '\(board)' is listed twice in 'boards'", at: item.location))
        }
      }
    }
    var rules = SyncRuleChecker(boards: boards, platforms: platforms)
    rules.rules = syncRules
    for board in boards where SyncRuleChecker.reservedBoardNames.contains(board.name) {
      diagnostics.append(
        .error(
          "a board cannot be named '\(board.name)': sync rules' records are filed under that name",
          at: board.source.location(of: "name")))
    }
    for rule in syncRules { rules.check(rule) }
    diagnostics += rules.diagnostics
    var config = Config(
      directory: "", workspace: workspace, boards: boards, templates: templates, postings: postings,
      recipients: recipients, credentials: credentials)
    config.syncRules = syncRules
    config.paths = validator.paths
    if diagnostics.hasErrors {
      return ConfigLoader.Result(config: nil, diagnostics: diagnostics, workspace: workspace, partial: config)
    }
    return ConfigLoader.Result(config: config, diagnostics: diagnostics, workspace: workspace)
  }

  // MARK: Decoding the typed model (the schema pass has already checked every value)

  static func workspace(_ v: YAMLValue, _ source: DocumentSource) -> Workspace {
    let state = v["state"]
    let settings = StateSettings(
      backend: state?["backend"]?.string.flatMap(StateSettings.Backend.init(rawValue:)) ?? .sqlite,
      path: state?["path"]?.string ?? StateSettings.defaultPath,
      branch: state?["branch"]?.string ?? StateSettings.defaultBranch,
      remote: state?["remote"]?.string ?? StateSettings.defaultRemote,
      urlEnvironment: state?["url_env"]?.string ?? StateSettings.defaultURLEnvironment,
      urlCredential: state?["url_credential"]?.string,
      leaseSeconds: state?["lease"]?.string.flatMap(DurationText.seconds) ?? StateSettings.defaultLeaseSeconds)
    return Workspace(
      name: v["name"]!.string!, state: settings,
      organization: v["organization"].map {
        Organization(name: $0["name"]!.string!, url: $0["url"]?.string, logo: $0["logo"]?.string)
      }, source: source)
  }

  static func board(_ v: YAMLValue, _ source: DocumentSource) -> Board {
    Board(
      name: v["name"]!.string!, platform: v["platform"]!.string!,
      tier: v["tier"]?.string.flatMap(Board.Tier.init(rawValue:)) ?? .free,
      costPerPosting: v["cost"]?["per_posting"]?.double, costCurrency: v["cost"]?["currency"]?.string,
      credential: v["credential"]?.string, settings: v["settings"].flatMap { $0.isNull ? nil : $0 },
      defaultTemplate: v["defaults"]?["template"]?.string, source: source)
  }

  static func posting(_ v: YAMLValue, _ source: DocumentSource) -> Posting {
    var overrides: [String: PostingFields] = [:]
    for pair in v["overrides"]?.pairs ?? [] { overrides[pair.key] = fields(pair.value) }
    return Posting(
      name: v["name"]!.string!, fields: fields(v), directApply: v["direct_apply"]?.bool ?? false,
      boards: v["boards"]?.array?.compactMap(\.string) ?? [], template: v["template"]?.string,
      overrides: overrides,
      onRemove: v["lifecycle"]?["on_remove"]?.string.flatMap(Posting.OnRemove.init(rawValue:)) ?? .close,
      source: source)
  }

  static func fields(_ v: YAMLValue) -> PostingFields {
    PostingFields(
      title: v["title"]?.string, description: v["description"]?.string,
      employmentType: v["employment_type"]?.string,
      location: v["location"].map {
        Location(
          streetAddress: $0["street_address"]?.string, city: $0["city"]?.string, region: $0["region"]?.string,
          country: $0["country"]?.string, postalCode: $0["postal_code"]?.string, remote: $0["remote"]?.bool ?? false)
      },
      salary: v["salary"].map {
        Salary(
          min: $0["min"]?.double, max: $0["max"]?.double, currency: $0["currency"]!.string!,
          period: $0["period"]!.string!)
      }, validThrough: v["valid_through"]?.string, applyURL: v["apply_url"]?.string)
  }
}
