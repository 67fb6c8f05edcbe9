import ArgumentParser
import BoardSupport
import Foundation

/// A `--seed FILE`: a JSON object of collections, each a list of objects to start with.
enum SimulatorSeed {
  static func load(_ path: String) throws -> [String: [JSONValue]] {
    guard let data = FileManager.default.contents(atPath: path),
      case .object(let collections) = JSONValue.parse(data)
    else { throw ValidationError("--seed: '\(path)' is not a readable JSON object of collections") }
    var seed: [String: [JSONValue]] = [:]
    for (name, value) in collections {
      guard case .array(let objects) = value else {
        throw ValidationError("--seed: '\(name)' must be a list of objects")
      }
      seed[name] = objects
    }
    return seed
  }
}
