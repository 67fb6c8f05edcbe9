import BoardCore
import BoardHTTP
import BoardPlatforms
import BoardSecrets
import BoardSpec
import BoardState
import Foundation

/// A loaded, checked configuration and where its state and outputs live.
struct Session {
  let configDirectory: String
  let config: Config
  let placements: [ResolvedPosting]
  let warnings: [Diagnostic]
  let environment: BoardEnvironment
  let statePath: String
  let platforms: [String: any Platform]

  /// Loads and checks the configuration; every problem is reported at once as a `CLIError`.
  /// `onStatePath` is called as soon as the state's path is known, before the (longer) rule
  /// checks: `plan` starts reading state there, in parallel.
  static func load(configDirectory: String, onStatePath: ((String) -> Void)? = nil) throws -> Session {
    let platforms = Platforms.byID
    var phase = Phase()
    let loaded = ConfigLoader(platforms: Platforms.descriptors).load(directory: configDirectory)
    phase.end("load \(loaded.config?.files.count ?? 0) files")
    if let config = loaded.config, let onStatePath {
      onStatePath(statePath(for: config, configDirectory: configDirectory))
    }
    let clock = Clock.current
    guard let config = loaded.config else {
      // Check the documents that were valid too, so one run reports every problem.
      var diagnostics = loaded.diagnostics
      if let partial = loaded.partial {
        diagnostics += PostingChecker.check(config: partial, platforms: platforms, today: clock.today).diagnostics
      }
      diagnostics = diagnostics.sortedByLocation()
      throw CLIError(problemCount(diagnostics), diagnostics: diagnostics)
    }
    let checked = PostingChecker.check(config: config, platforms: platforms, today: clock.today)
    phase.end("check \(checked.placements.count) placements")
    let diagnostics = (loaded.diagnostics + checked.diagnostics + CredentialChecker.check(config)).sortedByLocation()
    if diagnostics.hasErrors { throw CLIError(problemCount(diagnostics), diagnostics: diagnostics) }
    let root = Self.root(of: configDirectory)
    let environment = BoardEnvironment(root: root, workspace: config.workspace, today: clock.today, now: clock.now)
    let statePath = Self.statePath(for: config, configDirectory: configDirectory)
    return Session(
      configDirectory: configDirectory, config: config, placements: checked.placements, warnings: diagnostics,
      environment: environment, statePath: statePath, platforms: platforms)
  }

  static func statePath(for config: Config, configDirectory: String) -> String {
    BoardEnvironment(
      root: root(of: configDirectory), workspace: nil, today: CalendarDate(year: 1970, month: 1, day: 1), now: ""
    )
    .resolve(config.workspace?.statePath ?? Workspace.defaultStatePath)
  }

  /// The config folder's parent: relative paths in settings and `state.path` resolve against it.
  static func root(of configDirectory: String) -> String {
    let url = URL(fileURLWithPath: configDirectory).standardizedFileURL.deletingLastPathComponent()
    return url.path
  }

  static func problemCount(_ diagnostics: [Diagnostic]) -> String {
    let errors = diagnostics.filter { $0.severity == .error }.count
    return "\(errors) problem\(errors == 1 ? "" : "s") in the configuration; nothing was changed"
  }

  /// Opens every board the configuration defines. Boards that need a credential get it opened
  /// with the keys at hand; when none opens it, `requireCredentials` makes that an error (apply),
  /// else the board is connected without it and listed in `unopened` with the reason (plan, test).
  /// With `tolerateFailures`, a board that cannot be opened is listed in `failures` instead.
  /// Remote boards send their requests through `http`, the command's runtime.
  func connect(
    keys keyFile: String? = nil, requireCredentials: Bool = false, tolerateFailures: Bool = false,
    http: HTTPRuntime? = nil
  ) throws -> Connected {
    var connected = Connected()
    var diagnostics: [Diagnostic] = []
    let users = config.boards.filter { board in
      board.credential != nil && platforms[board.platform]?.descriptor.needsCredential == true
    }
    var ring: KeyRing?
    if !users.isEmpty {
      do { ring = try KeyRing.load(keyFile: keyFile) } catch let error as KeyRing.LoadError {
        throw CLIError(error.description)
      }
    }
    var opened: [String: Result<OpenedCredential, CredentialOpener.OpenError>] = [:]
    for board in config.boards {
      guard let platform = platforms[board.platform] else { continue }
      var environment = self.environment
      environment.http = http
      if let name = board.credential, let ring, users.contains(where: { $0.name == board.name }),
        let credential = config.credential(named: name)
      {
        let result = opened[name] ?? open(credential, keys: ring)
        opened[name] = result
        switch result {
        case .success(let value):
          environment.credential = value
          connected.credentials[board.name] = value
        case .failure(let error):
          if requireCredentials {
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
    if !diagnostics.isEmpty {
      throw CLIError(Self.problemCount(diagnostics), diagnostics: diagnostics)
    }
    return connected
  }

  /// Every field of a credential, opened, with its fingerprint.
  private func open(_ credential: Credential, keys: KeyRing) -> Result<OpenedCredential, CredentialOpener.OpenError> {
    let workspace = config.workspace?.name ?? CredentialFile.defaultWorkspace
    var fields: [String: any SensitiveValue] = [:]
    var fingerprints: [String: String] = [:]
    for field in credential.fields {
      do {
        let value = try CredentialOpener.open(credential, field: field.name, workspace: workspace, keys: keys)
        fields[field.name] = value.value
        fingerprints[field.name] = value.fingerprint(
          binding: SealBinding(workspace: workspace, credential: credential.name, field: field.name))
      } catch let error as CredentialOpener.OpenError {
        return .failure(error)
      } catch {
        return .failure(CredentialOpener.OpenError(description: "\(error)", location: field.source.root.location))
      }
    }
    return .success(OpenedCredential(name: credential.name, fields: fields, fingerprints: fingerprints))
  }

  /// The state for reading, if one exists; nothing is created or migrated.
  func existingState() async throws -> (any StateStore)? {
    do {
      return try await StateStores.open(.sqlite(path: statePath), create: false)
    } catch let error as StateError {
      throw CLIError(error.description)
    }
  }

  func openState() async throws -> any StateStore {
    do {
      guard let store = try await StateStores.open(.sqlite(path: statePath), create: true) else {
        throw CLIError("cannot open the state at \(statePath)")
      }
      return store
    } catch let error as StateError {
      throw CLIError(error.description)
    }
  }
}

/// The boards of a session, opened.
struct Connected {
  var connections: [String: any BoardConnection] = [:]
  /// Opened credentials by board.
  var credentials: [String: OpenedCredential] = [:]
  /// Boards whose credential no key at hand opens, with the reason; plan does not refresh them.
  var unopened: [String: String] = [:]
  /// Boards that could not be opened (only with `tolerateFailures`).
  var failures: [String: Diagnostic] = [:]
}

/// Today and now, in UTC; `BOARDCTL_NOW` (ISO 8601) pins them for reproducible runs and tests.
struct Clock {
  var today: CalendarDate
  var now: String

  static var current: Clock {
    var date = Date()
    if let pinned = ProcessInfo.processInfo.environment["BOARDCTL_NOW"], !pinned.isEmpty {
      let formatter = ISO8601DateFormatter()
      if let parsed = formatter.date(from: pinned) { date = parsed }
    }
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = TimeZone(identifier: "UTC")!
    let parts = calendar.dateComponents([.year, .month, .day], from: date)
    return Clock(
      today: CalendarDate(year: parts.year!, month: parts.month!, day: parts.day!), now: StateTime.timestamp(date))
  }
}
