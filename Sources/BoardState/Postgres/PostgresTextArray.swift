import PostgresNIO

/// A `text[]` parameter whose elements may be NULL, which postgres-nio's own arrays cannot
/// hold. With one array per column, `unnest` writes a thousand records in one statement.
struct PostgresTextArray: PostgresNonThrowingEncodable, Sendable {
  var elements: [String?]

  init(_ elements: [String?]) {
    self.elements = elements
  }

  static var psqlType: PostgresDataType { .textArray }
  static var psqlFormat: PostgresFormat { .binary }

  /// PostgreSQL's binary array format: dimensions, a has-NULL flag, the element type, then
  /// the length and lower bound of the one dimension, then each element length-prefixed (-1
  /// for NULL).
  func encode<JSONEncoder: PostgresJSONEncoder>(
    into buffer: inout ByteBuffer, context: PostgresEncodingContext<JSONEncoder>
  ) {
    buffer.writeInteger(elements.isEmpty ? 0 : 1, as: Int32.self)
    buffer.writeInteger(elements.contains(where: { $0 == nil }) ? 1 : 0, as: Int32.self)
    buffer.writeInteger(PostgresDataType.text.rawValue)
    guard !elements.isEmpty else { return }
    buffer.writeInteger(Int32(elements.count), as: Int32.self)
    buffer.writeInteger(1, as: Int32.self)
    for element in elements {
      if let element {
        buffer.writeInteger(Int32(element.utf8.count), as: Int32.self)
        buffer.writeString(element)
      } else {
        buffer.writeInteger(-1, as: Int32.self)
      }
    }
  }
}
