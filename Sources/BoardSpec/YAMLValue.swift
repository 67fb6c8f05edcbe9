import Foundation

/// A YAML value with the position of every node, built once from Yams' composed nodes.
///
/// The schema pass and the typed model both read this tree, so every diagnostic can point
/// at the exact key or value it is about.
public indirect enum YAMLValue: Sendable, Hashable {
  /// A plain or quoted scalar with its resolved YAML tag (str, int, float, bool, null, timestamp).
  case scalar(String, ScalarKind, SourceLocation)
  case sequence([YAMLValue], SourceLocation)
  /// Pairs in file order; the key's own position is kept for "unknown key" diagnostics.
  case mapping([Pair], SourceLocation)

  public struct Pair: Sendable, Hashable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: YAMLValue

    public init(key: String, keyLocation: SourceLocation, value: YAMLValue) {
      self.key = key
      self.keyLocation = keyLocation
      self.value = value
    }
  }

  public enum ScalarKind: String, Sendable, Hashable {
    case string, int, float, bool, null, timestamp
  }

  public var location: SourceLocation {
    switch self {
    case .scalar(_, _, let l), .sequence(_, let l), .mapping(_, let l): return l
    }
  }

  /// The value under `key` in a mapping.
  public subscript(key: String) -> YAMLValue? {
    guard case .mapping(let pairs, _) = self else { return nil }
    return pairs.first { $0.key == key }?.value
  }

  /// The pair for `key` in a mapping, with the key's position.
  public func pair(_ key: String) -> Pair? {
    guard case .mapping(let pairs, _) = self else { return nil }
    return pairs.first { $0.key == key }
  }

  public var isNull: Bool {
    if case .scalar(_, .null, _) = self { return true }
    return false
  }

  /// The scalar's text, for any non-null scalar.
  public var string: String? {
    if case .scalar(let s, let kind, _) = self, kind != .null { return s }
    return nil
  }

  public var int: Int? {
    if case .scalar(let s, .int, _) = self { return Int(s.replacingOccurrences(of: "_", with: "")) }
    return nil
  }

  public var double: Double? {
    if case .scalar(let s, let kind, _) = self, kind == .int || kind == .float {
      return Double(s.replacingOccurrences(of: "_", with: ""))
    }
    return nil
  }

  public var bool: Bool? {
    if case .scalar(let s, .bool, _) = self { return ["true", "yes", "on", "y"].contains(s.lowercased()) }
    return nil
  }

  public var array: [YAMLValue]? {
    if case .sequence(let items, _) = self { return items }
    return nil
  }

  public var pairs: [Pair]? {
    if case .mapping(let pairs, _) = self { return pairs }
    return nil
  }

  /// A short name of the value's type for messages ("a mapping", "a list", "a number").
  public var typeDescription: String {
    switch self {
    case .mapping: return "a mapping"
    case .sequence: return "a list"
    case .scalar(_, let kind, _):
      switch kind {
      case .string: return "a string"
      case .int: return "an integer"
      case .float: return "a number"
      case .bool: return "a boolean"
      case .null: return "null"
      case .timestamp: return "a date"
      }
    }
  }
}
