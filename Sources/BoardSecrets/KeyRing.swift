import BoardSpec
import Foundation

/// The private keys this process can use: `BOARDCTL_KEY`, `--key-file`, and the key folder.
public struct KeyRing: Sendable {
  public var keys: [PrivateKey]

  public init(keys: [PrivateKey]) { self.keys = keys }

  /// The default key folder: `$BOARDCTL_KEY_DIR`, else `$XDG_CONFIG_HOME/boardctl/keys`, else
  /// `~/.config/boardctl/keys`.
  public static func defaultFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> String {
    if let folder = environment["BOARDCTL_KEY_DIR"], !folder.isEmpty { return folder }
    if let config = environment["XDG_CONFIG_HOME"], !config.isEmpty { return config + "/boardctl/keys" }
    return (environment["HOME"] ?? NSHomeDirectory()) + "/.config/boardctl/keys"
  }

  public struct LoadError: Error, CustomStringConvertible {
    public var description: String
  }

  /// Loads every available key; a malformed key file or `BOARDCTL_KEY` is an error naming where
  /// it came from (never its content).
  public static func load(
    keyFile: String?, environment: [String: String] = ProcessInfo.processInfo.environment
  ) throws -> KeyRing {
    var keys: [PrivateKey] = []
    if let text = environment["BOARDCTL_KEY"], !text.isEmpty {
      let decoded = Data(base64Encoded: text.trimmingCharacters(in: .whitespacesAndNewlines))
        .map { String(decoding: $0, as: UTF8.self) }
      guard let key = PrivateKey(fileText: text) ?? decoded.flatMap(PrivateKey.init(fileText:)) else {
        throw LoadError(
          description:
            "BOARDCTL_KEY does not hold a boardctl private key (boardctl keys generate NAME --stdout prints one)")
      }
      keys.append(key)
    }
    if let keyFile {
      guard let data = FileManager.default.contents(atPath: keyFile) else {
        throw LoadError(description: "cannot read key file '\(keyFile)'")
      }
      guard let key = PrivateKey(fileText: String(decoding: data, as: UTF8.self)) else {
        throw LoadError(description: "key file '\(keyFile)' is not a boardctl private key")
      }
      keys.append(key)
    }
    let folder = defaultFolder(environment: environment)
    for entry in ((try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []).sorted()
    where entry.hasSuffix(".key") {
      let path = folder + "/" + entry
      guard let data = FileManager.default.contents(atPath: path),
        let key = PrivateKey(fileText: String(decoding: data, as: UTF8.self))
      else {
        throw LoadError(description: "key file '\(path)' is not a boardctl private key")
      }
      keys.append(key)
    }
    return KeyRing(keys: keys)
  }

  public func key(for keyID: String) -> PrivateKey? { keys.first { $0.publicKey.id == keyID } }
}
