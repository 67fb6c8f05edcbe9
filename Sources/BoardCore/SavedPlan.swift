import BoardSpec
import BoardSupport

/// A plan saved with `plan --out`, bound to the state and the boards it was made against:
/// applying it after either moved is refused (exit 4).
public struct SavedPlan: Sendable, Codable {
  public static let formatName = "boardctl-plan"
  public static let currentVersion = 1

  public var format: String
  public var formatVersion: Int
  public var createdAt: String
  /// State lineage and serial at plan time (nil lineage: no state existed yet).
  public var lineage: String?
  public var serial: Int
  /// Digest of every configuration file.
  public var configDigest: String
  /// Digest of everything refresh read from the boards.
  public var liveFingerprint: String
  public var targets: [String]
  public var excludes: [String]
  public var force: Bool
  public var plan: Plan
  /// Boards the plan compared with state only (no key opened their credential).
  public var unrefreshedBoards: [String]?

  public init(
    createdAt: String, lineage: String?, serial: Int, configDigest: String, liveFingerprint: String,
    targets: [String], excludes: [String], force: Bool, plan: Plan, unrefreshedBoards: [String] = []
  ) {
    self.unrefreshedBoards = unrefreshedBoards.isEmpty ? nil : unrefreshedBoards
    self.format = Self.formatName
    self.formatVersion = Self.currentVersion
    self.createdAt = createdAt
    self.lineage = lineage
    self.serial = serial
    self.configDigest = configDigest
    self.liveFingerprint = liveFingerprint
    self.targets = targets
    self.excludes = excludes
    self.force = force
    self.plan = plan
  }

  /// Why this plan can no longer be applied, or nil if it still can.
  public func staleness(lineage: String?, serial: Int, configDigest: String, liveFingerprint: String) -> String? {
    if let boards = unrefreshedBoards, !boards.isEmpty {
      return
        "it was made without refreshing \(boards.map { "board '\($0)'" }.joined(separator: ", ")) (no private key opened the credential), so it may not match the platform; make the plan where the key is available"
    }
    if let planned = self.lineage, let current = lineage, planned != current {
      return "the state was replaced (lineage \(planned) at plan time, \(current) now)"
    }
    if self.lineage == nil, lineage != nil, serial != 0 {
      return "state was created since the plan was made (serial \(serial))"
    }
    if serial != self.serial {
      return "the state changed since the plan was made (serial \(self.serial) at plan time, \(serial) now)"
    }
    if configDigest != self.configDigest {
      return "the configuration in boards.d changed since the plan was made"
    }
    if liveFingerprint != self.liveFingerprint {
      return "the boards changed since the plan was made (something was edited outside boardctl)"
    }
    return nil
  }

  /// A digest of what refresh read, so a saved plan notices boards that moved.
  public static func fingerprint(_ live: [LiveResource]) -> String {
    var digest = ContentDigest()
    for resource in live.sorted(by: { $0.address < $1.address }) {
      digest.update(resource.address.description)
      digest.update(resource.attributes.digest)
      digest.update(resource.digest ?? "-")
    }
    return digest.hexDigest
  }
}
