import Foundation

/// A decoded JSON object from a platform's answer. Platforms add fields freely, so adapters read
/// what they need by key instead of decoding fixed types.
struct JSONObject: @unchecked Sendable {
  // Only Foundation's JSON types (NSString, NSNumber, NSNull, arrays, dictionaries), never mutated.
  let fields: [String: Any]

  init(_ fields: [String: Any]) { self.fields = fields }

  subscript(key: String) -> Any? {
    let value = fields[key]
    return value is NSNull ? nil : value
  }

  func string(_ key: String) -> String? {
    switch self[key] {
    case let text as String: return text
    case let number as NSNumber where !number.isBool: return number.stringValue
    default: return nil
    }
  }

  /// Numbers, and numbers sent as strings ("40000.00", as Django's DecimalField does).
  func number(_ key: String) -> Double? {
    switch self[key] {
    case let number as NSNumber where !number.isBool: return number.doubleValue
    case let text as String: return Double(text)
    default: return nil
    }
  }

  func int(_ key: String) -> Int? {
    switch self[key] {
    case let number as NSNumber where !number.isBool: return number.intValue
    case let text as String: return Int(text)
    default: return nil
    }
  }

  func bool(_ key: String) -> Bool? {
    (self[key] as? NSNumber).flatMap { $0.isBool ? $0.boolValue : nil }
  }

  func object(_ key: String) -> JSONObject? { (self[key] as? [String: Any]).map(JSONObject.init) }

  static func parse(_ data: Data) -> Any? {
    try? JSONSerialization.jsonObject(with: data, options: [.fragmentsAllowed])
  }

  static func encode(_ value: [String: Any]) -> Data {
    (try? JSONSerialization.data(withJSONObject: value, options: [.sortedKeys, .withoutEscapingSlashes])) ?? Data()
  }
}

extension NSNumber {
  /// Whether JSONSerialization decoded this number from `true` or `false`.
  var isBool: Bool { String(cString: objCType) == "c" }
}
