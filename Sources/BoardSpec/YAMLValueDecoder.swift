import Foundation

/// Decodes a `Decodable` value from a `YAMLValue` tree that the schema pass has already checked,
/// so typed settings are read in one place instead of key by key. Keys are the YAML keys
/// (snake_case), given by the type's `CodingKeys`.
public struct YAMLValueDecoder {
  public init() {}

  public func decode<T: Decodable>(_ type: T.Type, from value: YAMLValue?) throws -> T {
    try T(from: YAMLValueDecoding(value: value ?? .mapping([], SourceLocation(file: "", line: 0, column: 0)), path: []))
  }
}

/// Why a value did not decode; the schema pass makes this a bug, never the user's to fix.
public struct YAMLValueDecodingError: Error, CustomStringConvertible {
  public var path: String
  public var expected: String
  public var location: SourceLocation?
  public var description: String { "'\(path)' is not \(expected)" }
}

struct YAMLValueDecoding: Decoder {
  let value: YAMLValue
  let path: [any CodingKey]
  var codingPath: [any CodingKey] { path }
  var userInfo: [CodingUserInfoKey: Any] { [:] }

  func mismatch(_ expected: String) -> YAMLValueDecodingError {
    YAMLValueDecodingError(
      path: path.map(\.stringValue).joined(separator: "."), expected: expected, location: value.location)
  }

  func container<Key: CodingKey>(keyedBy type: Key.Type) throws -> KeyedDecodingContainer<Key> {
    guard let pairs = value.pairs else { throw mismatch("a mapping") }
    return KeyedDecodingContainer(YAMLKeyedContainer<Key>(pairs: pairs, decoder: self))
  }

  func unkeyedContainer() throws -> any UnkeyedDecodingContainer {
    guard let items = value.array else { throw mismatch("a list") }
    return YAMLUnkeyedContainer(items: items, decoder: self)
  }

  func singleValueContainer() throws -> any SingleValueDecodingContainer { YAMLSingleValue(decoder: self) }
}

struct YAMLKey: CodingKey {
  var stringValue: String
  var intValue: Int?
  init(stringValue: String) { self.stringValue = stringValue }
  init(intValue: Int) {
    stringValue = String(intValue)
    self.intValue = intValue
  }
}

struct YAMLKeyedContainer<Key: CodingKey>: KeyedDecodingContainerProtocol {
  let pairs: [YAMLValue.Pair]
  let decoder: YAMLValueDecoding
  var codingPath: [any CodingKey] { decoder.path }
  var allKeys: [Key] { pairs.compactMap { Key(stringValue: $0.key) } }

  func value(_ key: Key) -> YAMLValue? { pairs.first { $0.key == key.stringValue }?.value }

  func contains(_ key: Key) -> Bool { value(key) != nil }

  func decodeNil(forKey key: Key) throws -> Bool { value(key)?.isNull ?? true }

  func decode<T: Decodable>(_ type: T.Type, forKey key: Key) throws -> T {
    guard let value = value(key) else {
      throw YAMLValueDecodingError(
        path: (codingPath + [key]).map(\.stringValue).joined(separator: "."), expected: "present", location: nil)
    }
    return try T(from: YAMLValueDecoding(value: value, path: codingPath + [key]))
  }

  func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type, forKey key: Key) throws
    -> KeyedDecodingContainer<NestedKey>
  {
    try YAMLValueDecoding(value: value(key) ?? .mapping([], decoder.value.location), path: codingPath + [key])
      .container(keyedBy: type)
  }

  func nestedUnkeyedContainer(forKey key: Key) throws -> any UnkeyedDecodingContainer {
    try YAMLValueDecoding(value: value(key) ?? .sequence([], decoder.value.location), path: codingPath + [key])
      .unkeyedContainer()
  }

  func superDecoder() throws -> any Decoder { decoder }
  func superDecoder(forKey key: Key) throws -> any Decoder {
    YAMLValueDecoding(value: value(key) ?? .mapping([], decoder.value.location), path: codingPath + [key])
  }
}

struct YAMLUnkeyedContainer: UnkeyedDecodingContainer {
  let items: [YAMLValue]
  let decoder: YAMLValueDecoding
  var currentIndex = 0
  var codingPath: [any CodingKey] { decoder.path }
  var count: Int? { items.count }
  var isAtEnd: Bool { currentIndex >= items.count }

  mutating func next() throws -> YAMLValueDecoding {
    guard !isAtEnd else { throw decoder.mismatch("long enough") }
    defer { currentIndex += 1 }
    return YAMLValueDecoding(value: items[currentIndex], path: codingPath + [YAMLKey(intValue: currentIndex)])
  }

  mutating func decodeNil() throws -> Bool {
    guard !isAtEnd, items[currentIndex].isNull else { return false }
    currentIndex += 1
    return true
  }

  mutating func decode<T: Decodable>(_ type: T.Type) throws -> T { try T(from: next()) }

  mutating func nestedContainer<NestedKey: CodingKey>(keyedBy type: NestedKey.Type) throws
    -> KeyedDecodingContainer<NestedKey>
  { try next().container(keyedBy: type) }

  mutating func nestedUnkeyedContainer() throws -> any UnkeyedDecodingContainer { try next().unkeyedContainer() }

  mutating func superDecoder() throws -> any Decoder { try next() }
}

struct YAMLSingleValue: SingleValueDecodingContainer {
  let decoder: YAMLValueDecoding
  var codingPath: [any CodingKey] { decoder.path }
  var value: YAMLValue { decoder.value }

  func decodeNil() -> Bool { value.isNull }

  func decode(_ type: Bool.Type) throws -> Bool {
    guard let bool = value.bool else { throw decoder.mismatch("a boolean") }
    return bool
  }

  func decode(_ type: String.Type) throws -> String {
    guard let string = value.string else { throw decoder.mismatch("a string") }
    return string
  }

  func decode(_ type: Double.Type) throws -> Double {
    guard let double = value.double else { throw decoder.mismatch("a number") }
    return double
  }

  func decode(_ type: Int.Type) throws -> Int {
    guard let int = value.int else { throw decoder.mismatch("an integer") }
    return int
  }

  func decode<T: Decodable>(_ type: T.Type) throws -> T {
    if type == Double.self { return try decode(Double.self) as! T }
    if type == Int.self { return try decode(Int.self) as! T }
    if type == String.self { return try decode(String.self) as! T }
    if type == Bool.self { return try decode(Bool.self) as! T }
    return try T(from: decoder)
  }

  func decode(_ type: Float.Type) throws -> Float { Float(try decode(Double.self)) }
  func decode(_ type: Int8.Type) throws -> Int8 { Int8(try decode(Int.self)) }
  func decode(_ type: Int16.Type) throws -> Int16 { Int16(try decode(Int.self)) }
  func decode(_ type: Int32.Type) throws -> Int32 { Int32(try decode(Int.self)) }
  func decode(_ type: Int64.Type) throws -> Int64 { Int64(try decode(Int.self)) }
  func decode(_ type: UInt.Type) throws -> UInt { UInt(try decode(Int.self)) }
  func decode(_ type: UInt8.Type) throws -> UInt8 { UInt8(try decode(Int.self)) }
  func decode(_ type: UInt16.Type) throws -> UInt16 { UInt16(try decode(Int.self)) }
  func decode(_ type: UInt32.Type) throws -> UInt32 { UInt32(try decode(Int.self)) }
  func decode(_ type: UInt64.Type) throws -> UInt64 { UInt64(try decode(Int.self)) }
}

extension Board {
  /// The board's settings as the platform's typed value. The schema pass has checked them, so
  /// a failure here is a bug; callers fall back to the type's defaults.
  public func settings<T: Decodable>(as type: T.Type) throws -> T {
    try YAMLValueDecoder().decode(type, from: settings)
  }
}

/// A decoded value with the position it was written at, for typed settings whose checks report
/// `file:line:column` (a Manatal webhook entry, say).
public struct Located<Value: Decodable & Sendable>: Decodable, Sendable {
  public var value: Value
  public var location: SourceLocation

  public init(from decoder: any Decoder) throws {
    value = try Value(from: decoder)
    location = (decoder as? YAMLValueDecoding)?.value.location ?? SourceLocation(file: "", line: 0, column: 0)
  }
}
