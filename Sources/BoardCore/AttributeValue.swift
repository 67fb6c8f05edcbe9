import BoardSpec
import BoardSupport

/// One attribute of a resource, as the diff compares it and the plan shows it.
public enum AttributeValue: Hashable, Sendable, Codable, CustomStringConvertible {
  case string(String)
  case number(Double)
  case bool(Bool)
  case null
  /// A credential value, known only by its keyed fingerprint: shown as `(sensitive value)`, and a
  /// changed fingerprint as `(sensitive value changed)`. The value itself never enters a plan.
  case sensitive(fingerprint: String)

  /// What plans, JSON and pages show instead of a sensitive value.
  public static let redacted = "(sensitive value)"

  public init(from decoder: any Decoder) throws {
    let container = try decoder.singleValueContainer()
    if container.decodeNil() {
      self = .null
    } else if let bool = try? container.decode(Bool.self) {
      self = .bool(bool)
    } else if let number = try? container.decode(Double.self) {
      self = .number(number)
    } else {
      self = .string(try container.decode(String.self))
    }
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    switch self {
    case .string(let s): try container.encode(s)
    case .number(let n):
      if n == n.rounded(), abs(n) < 1e15 { try container.encode(Int(n)) } else { try container.encode(n) }
    case .bool(let b): try container.encode(b)
    case .null: try container.encodeNil()
    case .sensitive: try container.encode(Self.redacted)
    }
  }

  /// How the plan prints the value: strings quoted, numbers without a needless `.0`.
  public var description: String {
    switch self {
    case .string(let s): return Self.quoted(s)
    case .number(let n): return n == n.rounded() && abs(n) < 1e15 ? String(Int(n)) : String(n)
    case .bool(let b): return b ? "true" : "false"
    case .null: return "null"
    case .sensitive: return Self.redacted
    }
  }

  public var stringValue: String? {
    if case .string(let s) = self { return s }
    return nil
  }

  /// A long or multi-line string is diffed word by word rather than shown whole.
  public var isLongText: Bool {
    guard case .string(let s) = self else { return false }
    return s.count > 80 || s.contains("\n")
  }

  static func quoted(_ s: String) -> String {
    var out = "\""
    for ch in s {
      switch ch {
      case "\"": out += "\\\""
      case "\\": out += "\\\\"
      case "\n": out += "\\n"
      case "\t": out += "\\t"
      default: out.append(ch)
      }
    }
    return out + "\""
  }
}

/// A resource's attributes by name; dotted names for nested fields (`salary.min`).
public typealias Attributes = [String: AttributeValue]

extension Dictionary where Key == String, Value == AttributeValue {
  /// Sets `key` when `value` is present; absent values are simply not attributes.
  public mutating func set(_ key: String, _ value: String?) {
    if let value { self[key] = .string(value) }
  }

  public mutating func set(_ key: String, _ value: Double?) {
    if let value { self[key] = .number(value) }
  }

  public mutating func set(_ key: String, _ value: Bool?) {
    if let value { self[key] = .bool(value) }
  }

  /// A stable digest of the attributes, for fingerprints.
  public var digest: String {
    var digest = ContentDigest()
    for key in keys.sorted() {
      digest.update(key)
      digest.update(self[key]!.description)
    }
    return digest.hexDigest
  }
}
