import BoardSecrets
import BoardSpec
import Foundation

/// Where everything of one project lives, derived once: the config folder, the repository root
/// its relative paths resolve against, where keys and sealed credentials go, and the state.
public struct ProjectLayout: Sendable, Hashable {
  /// The config folder as messages show it (relative to the current directory when it was
  /// found there or above): file positions are reported under it.
  public var configDirectory: String
  /// The config folder's parent, absolute: relative paths in settings and `state.path` resolve
  /// against it, whatever the current directory.
  public var root: String
  /// Where `boardctl keys generate` writes private keys (outside the repository).
  public var keyFolder: String
  /// Where `boardctl seal` writes Credential documents, and `keys generate` Recipient documents.
  public var credentialsFolder: String
  public var recipientsFolder: String

  /// The config folder's default name.
  public static let defaultConfigFolder = "boards.d"

  public init(configDirectory: String, currentDirectory: String, keyFolder: String) {
    self.configDirectory = configDirectory
    let absolute =
      configDirectory.hasPrefix("/") ? configDirectory : currentDirectory + "/" + configDirectory
    root = URL(fileURLWithPath: absolute).standardizedFileURL.deletingLastPathComponent().path
    self.keyFolder = keyFolder
    credentialsFolder = configDirectory + "/credentials"
    recipientsFolder = configDirectory + "/keys"
  }

  /// The layout for `--config` (or `BOARDCTL_CONFIG`); without either, `./boards.d`, else the
  /// nearest `boards.d` in a parent folder, as git finds its repository. When none exists the
  /// layout names `./boards.d`, and loading it reports that clearly.
  public static func discover(
    config: String?, environment: [String: String] = ProcessInfo.processInfo.environment,
    currentDirectory: String = FileManager.default.currentDirectoryPath
  ) -> ProjectLayout {
    let keys = KeyRing.defaultFolder(environment: environment)
    if let config, !config.isEmpty {
      return ProjectLayout(configDirectory: config, currentDirectory: currentDirectory, keyFolder: keys)
    }
    if let config = environment["BOARDCTL_CONFIG"], !config.isEmpty {
      return ProjectLayout(configDirectory: config, currentDirectory: currentDirectory, keyFolder: keys)
    }
    var prefix = ""
    var folder = URL(fileURLWithPath: currentDirectory).standardizedFileURL
    while true {
      var isDirectory: ObjCBool = false
      let candidate = folder.appendingPathComponent(defaultConfigFolder).path
      if FileManager.default.fileExists(atPath: candidate, isDirectory: &isDirectory), isDirectory.boolValue {
        return ProjectLayout(
          configDirectory: prefix + defaultConfigFolder, currentDirectory: currentDirectory, keyFolder: keys)
      }
      let parent = folder.deletingLastPathComponent()
      if parent.path == folder.path { break }
      folder = parent
      prefix += "../"
    }
    return ProjectLayout(configDirectory: defaultConfigFolder, currentDirectory: currentDirectory, keyFolder: keys)
  }

  /// `path` resolved against the root unless absolute.
  public func resolve(_ path: String) -> String {
    if path.hasPrefix("/") { return path }
    return root.hasSuffix("/") ? root + path : root + "/" + path
  }

  /// The Credential document `seal` writes for `name`.
  public func credentialPath(_ name: String) -> String { credentialsFolder + "/\(name).yaml" }

  /// The Recipient document `keys generate` writes for `name`.
  public func recipientPath(_ name: String) -> String { recipientsFolder + "/\(name).yaml" }
}
