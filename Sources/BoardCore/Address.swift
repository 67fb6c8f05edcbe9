/// A resource's stable address: `<board>.<object>.<name>`, e.g. `careers.page.backend-engineer-suva`.
public struct Address: Hashable, Comparable, Sendable, Codable, CustomStringConvertible {
  public var board: String
  public var object: ObjectKind
  public var name: String

  public init(board: String, object: ObjectKind, name: String) {
    self.board = board
    self.object = object
    self.name = name
  }

  /// Parses `board.object.name`; `nil` when the text does not have three parts.
  public init?(_ text: String) {
    let parts = text.split(separator: ".", maxSplits: 2, omittingEmptySubsequences: false)
    guard parts.count == 3, parts.allSatisfy({ !$0.isEmpty }) else { return nil }
    self.init(board: String(parts[0]), object: ObjectKind(String(parts[1])), name: String(parts[2]))
  }

  public var description: String { "\(board).\(object).\(name)" }

  public static func < (lhs: Address, rhs: Address) -> Bool {
    (lhs.board, lhs.object, lhs.name) < (rhs.board, rhs.object, rhs.name)
  }

  public init(from decoder: any Decoder) throws {
    let text = try decoder.singleValueContainer().decode(String.self)
    guard let address = Address(text) else {
      throw DecodingError.dataCorrupted(.init(codingPath: decoder.codingPath, debugDescription: "bad address \(text)"))
    }
    self = address
  }

  public func encode(to encoder: any Encoder) throws {
    var container = encoder.singleValueContainer()
    try container.encode(description)
  }
}

/// Selects resources by address for `--target` and `--exclude`: a full address, a board
/// (`careers`), a board and object (`careers.page`), or a posting name (`*.*.backend-engineer`).
public struct AddressPattern: Hashable, Sendable, CustomStringConvertible {
  public var parts: [String]

  public init?(_ text: String) {
    let parts = text.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
    guard (1...3).contains(parts.count), parts.allSatisfy({ !$0.isEmpty }) else { return nil }
    self.parts = parts
  }

  public var description: String { parts.joined(separator: ".") }

  public func matches(_ address: Address) -> Bool {
    let values = [address.board, address.object.rawValue, address.name]
    return zip(parts, values).allSatisfy { $0 == "*" || $0 == $1 }
  }
}
