/// A kind of object a board manages, the middle part of an address (`careers.page.x`,
/// `manatal.job.x`, `manatal.webhook.x`). A type, not a string compared in several places: each
/// platform declares its kinds once.
public struct ObjectKind: Hashable, Comparable, Sendable, Codable, CustomStringConvertible,
  ExpressibleByStringLiteral
{
  public let rawValue: String

  public init(_ rawValue: String) { self.rawValue = rawValue }
  public init(stringLiteral value: String) { rawValue = value }

  public var description: String { rawValue }

  public static func < (lhs: ObjectKind, rhs: ObjectKind) -> Bool { lhs.rawValue < rhs.rawValue }

  public init(from decoder: any Decoder) throws { rawValue = try decoder.singleValueContainer().decode(String.self) }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(rawValue)
  }

  /// A board's credential fingerprints: a resource every board that uses a credential has.
  public static let credential: ObjectKind = "credential"
}
