import BoardCore
import BoardSecrets
import BoardSpec
import BoardState
import Foundation

extension ProjectLayout {
  /// Where the workspace keeps its state, from its `state:` settings. A PostgreSQL URL comes from
  /// the environment variable the settings name, or from a sealed credential opened with `keys`.
  public func stateLocation(
    _ settings: StateSettings, credentials: [Credential] = [], workspace: String = Workspace.defaultName,
    environment: [String: String] = ProcessInfo.processInfo.environment,
    keys: () throws -> KeyRing = {
      try KeyRing.load(keyFile: nil)
    }
  ) throws -> StateLocation {
    let lease = Duration.milliseconds(Int64(settings.leaseSeconds * 1000))
    switch settings.backend {
    case .sqlite:
      return .sqlite(path: resolve(settings.path))
    case .git:
      return .git(GitStateLocation(repository: root, remote: settings.remote, branch: settings.branch, lease: lease))
    case .postgres:
      if let name = settings.urlCredential {
        guard let credential = credentials.first(where: { $0.name == name }) else {
          throw EngineError.user(
            "the workspace keeps state in PostgreSQL with the URL in credential '\(name)', which is not defined; seal it with: boardctl seal \(name) --field url"
          )
        }
        let ring: KeyRing
        do { ring = try keys() } catch let error as KeyRing.LoadError { throw EngineError.user(error.description) }
        do {
          let opened = try CredentialOpener.open(credential, field: "url", workspace: workspace, keys: ring)
          return .postgres(
            PostgresStateLocation(url: opened.value, source: "credential '\(name)'", lease: lease))
        } catch let error as CredentialOpener.OpenError {
          throw EngineError.user(
            "the state's database URL cannot be opened", diagnostics: [.error(error.description, at: error.location)])
        }
      }
      let variable = settings.urlEnvironment
      guard let url = environment[variable], !url.isEmpty else {
        throw EngineError.user(
          "the workspace keeps state in PostgreSQL, but $\(variable) is not set; set it to the database URL (postgres://user:password@host:5432/database), for example from your CI's secret store"
        )
      }
      return .postgres(PostgresStateLocation(url: Secret(url), source: "$\(variable)", lease: lease))
    }
  }
}
