import BoardCore
import BoardHTTP
import BoardPlatforms
import BoardSecrets
import BoardSpec
import BoardState
import BoardSupport
import BoardSync
import Foundation

/// A loaded, checked configuration: its placements, its warnings, and where it runs.
public struct CheckedWorkspace: Sendable {
  public let layout: ProjectLayout
  public let config: Config
  public let placements: [ResolvedPosting]
  /// Placements past their `valid_through`: closed where published.
  public let expired: [ResolvedPosting]
  /// Warnings found while checking (errors make loading fail).
  public let warnings: [Diagnostic]
  public let environment: BoardEnvironment
  public let platforms: [String: any Platform]

  /// The name credentials are bound to.
  public var workspaceName: String { config.workspace?.name ?? Workspace.defaultName }

  /// Loads and checks the configuration; every problem is reported at once as
  /// `EngineError.invalidConfiguration`. `onConfig` is called as soon as the files are read,
  /// before the (longer) rule checks: `plan` starts reading state there, in parallel.
  /// `platforms` are the adapters this build knows (tests add fakes).
  public static func load(
    _ layout: ProjectLayout, clock: EngineClock = .current, platforms known: [any Platform] = Platforms.all,
    onConfig: ((Config) -> Void)? = nil
  ) throws -> CheckedWorkspace {
    let platforms = Dictionary(known.map { ($0.descriptor.id, $0) }, uniquingKeysWith: { first, _ in first })
    var phase = Phase()
    let loaded = ConfigLoader(platforms: known.map(\.descriptor)).load(directory: layout.configDirectory)
    phase.end("load \(loaded.config?.files.count ?? 0) files")
    if let config = loaded.config { onConfig?(config) }
    guard let config = loaded.config else {
      // Check the documents that were valid too, so one run reports every problem.
      var diagnostics = loaded.diagnostics
      if let partial = loaded.partial {
        diagnostics += PostingChecker.check(config: partial, platforms: platforms, today: clock.today).diagnostics
      }
      throw EngineError.invalidConfiguration(diagnostics.sortedByLocation())
    }
    let checked = PostingChecker.check(config: config, platforms: platforms, today: clock.today)
    phase.end("check \(checked.placements.count) placements")
    let paths = RepositoryPaths(layout: layout).check(config, platforms: platforms)
    let diagnostics =
      (loaded.diagnostics + checked.diagnostics + paths + CredentialChecker.check(config)
      + config.syncRules.flatMap(SyncMapper.problems)).sortedByLocation()
    if diagnostics.hasErrors { throw EngineError.invalidConfiguration(diagnostics) }
    let environment = BoardEnvironment(
      root: layout.root, workspace: config.workspace, boards: config.boards, syncRules: config.syncRules,
      today: clock.today, now: clock.now)
    return CheckedWorkspace(
      layout: layout, config: config, placements: checked.placements, expired: checked.expired, warnings: diagnostics,
      environment: environment, platforms: platforms)
  }

  /// The configuration as the key and credential commands need it: even while other documents
  /// have problems (a board may name a credential not sealed yet), but never with broken
  /// documents of their own.
  public static func loadForSecrets(_ layout: ProjectLayout) throws -> Config {
    let loaded = ConfigLoader(platforms: Platforms.descriptors).load(directory: layout.configDirectory)
    guard let config = loaded.config ?? loaded.partial else {
      throw EngineError.invalidConfiguration(loaded.diagnostics)
    }
    return config
  }

  /// `board.object` for every sync object boardctl can erase on this workspace's boards.
  var erasableSyncObjects: Set<String> { syncObjects(where: \.erasable) }

  /// `board.object` for every sync object of this workspace's boards that `include` selects.
  func syncObjects(where include: (SyncObjectSchema) -> Bool) -> Set<String> {
    var found: Set<String> = []
    for board in config.boards {
      for object in platforms[board.platform]?.descriptor.syncObjects ?? [] where include(object) {
        found.insert("\(board.name).\(object.name)")
      }
    }
    return found
  }

  /// By `board.object`: the sync fields a schema property lists (`\.setFields`: a Wix contact's
  /// labels; `\.appendOnly`: a Manatal note).
  func syncFields(_ list: KeyPath<SyncObjectSchema, [String]>) -> [String: Set<String>] {
    var fields: [String: Set<String>] = [:]
    for board in config.boards {
      for object in platforms[board.platform]?.descriptor.syncObjects ?? [] where !object[keyPath: list].isEmpty {
        fields["\(board.name).\(object.name)"] = Set(object[keyPath: list])
      }
    }
    return fields
  }

  /// Where this workspace keeps its state.
  public func stateLocation(keyFile: String? = nil) throws -> StateLocation {
    try layout.stateLocation(
      config.workspace?.state ?? StateSettings(), credentials: config.credentials, workspace: workspaceName,
      keys: { try KeyRing.load(keyFile: keyFile) })
  }

  /// Opens every board the configuration defines. Boards that need a credential get it opened
  /// with the keys at hand; when none opens it, `requireCredentials` makes that an error (apply),
  /// else the board is connected without it and listed in `unopened` with the reason (plan, test).
  /// With `tolerateFailures`, a board that cannot be opened is listed in `failures` instead.
  /// Remote boards send their requests through `http`, the caller's runtime.
  public func connect(
    keyFile: String? = nil, requireCredentials: Bool = false, tolerateFailures: Bool = false,
    http: HTTPRuntime? = nil
  ) throws -> ConnectedBoards {
    var connected = ConnectedBoards()
    var diagnostics: [Diagnostic] = []
    let users = config.boards.filter { board in
      board.credential != nil && platforms[board.platform]?.descriptor.needsCredential == true
    }
    var ring: KeyRing?
    if !users.isEmpty {
      do { ring = try KeyRing.load(keyFile: keyFile) } catch let error as KeyRing.LoadError {
        throw EngineError.user(error.description)
      }
    }
    var opened: [String: Result<OpenedCredential, CredentialOpener.OpenError>] = [:]
    for board in config.boards {
      guard let platform = platforms[board.platform] else { continue }
      var environment = self.environment
      environment.services = http.map(PlatformServices.init(http:))
      if let name = board.credential, let ring, users.contains(where: { $0.name == board.name }),
        let credential = config.credential(named: name)
      {
        let result =
          opened[name]
          ?? Result { try CredentialOpener.openAll(credential, workspace: workspaceName, keys: ring) }
          .mapError { $0 as? CredentialOpener.OpenError ?? .init(description: "\($0)", location: nil) }
        opened[name] = result
        switch result {
        case .success(let value):
          // A credential goes only where it was sealed for: a board's settings (which a pull
          // request may change) cannot send it anywhere else.
          if let destinations = platform.credentialDestinations(of: board) {
            let refused = Self.refusedDestinations(board, credential: value, destinations)
            guard refused.isEmpty else {
              diagnostics += refused
              continue
            }
          }
          environment.credential = value
          connected.credentials[board.name] = value
        case .failure(let error):
          // A damaged credential is an error even for plan: quietly planning against state only
          // would hide it behind an exit 0. Only a missing key is a warning there.
          if requireCredentials || !error.noKey {
            diagnostics.append(.error(error.description, at: error.location))
          } else {
            connected.unopened[board.name] = error.description
          }
        }
      }
      do {
        connected.connections[board.name] = try platform.connect(board, environment: environment)
      } catch {
        let diagnostic =
          error as? Diagnostic ?? .error("board '\(board.name)': \(error)", at: board.source.location(of: "name"))
        if tolerateFailures { connected.failures[board.name] = diagnostic } else { diagnostics.append(diagnostic) }
      }
    }
    if !diagnostics.isEmpty { throw EngineError.invalidConfiguration(diagnostics) }
    return connected
  }

  /// One error per setting that would send `credential` to a host it was not sealed for.
  static func refusedDestinations(
    _ board: Board, credential: OpenedCredential, _ destinations: CredentialDestinations
  ) -> [Diagnostic] {
    let allowed = destinations.allowed(for: credential)
    return destinations.destinations.filter { !allowed.allows($0.url) }.map { destination in
      let target = CredentialHosts.describe(destination.url)
      // Every field: sealing again replaces the document, so naming one would drop the others.
      let fields = credential.fields.keys.sorted().map { " --field \($0)" }.joined()
      return .error(
        "board '\(board.name)' would send credential '\(credential.name)' to \(target), but it is sealed for \(allowed) only; nothing is sent. If \(target) is the platform's, seal the credential again naming it: boardctl seal \(credential.name)\(fields) --host \(target)",
        at: board.source.location(of: destination.key))
    }
  }
}
