import BoardSupport
import Foundation
import Hummingbird

/// An error answer in Wix's shape: `{"message", "details": {"applicationError": {code,
/// description, data}}}`, or `{"message", "details": {"validationError": {"fieldViolations":
/// [{field, description, violatedRule, data}]}}}`. Handlers throw it; the simulator renders it.
struct WixError: Error, Sendable {
  /// The `violatedRule` of a field violation.
  enum Rule: String, Sendable {
    case requiredField = "REQUIRED_FIELD"
    case max = "MAX"
    case format = "FORMAT"
    case other = "OTHER"
  }

  var status: HTTPResponse.Status
  var body: JSONValue

  var message: String { body["message"]?.string ?? "" }

  var response: Response { SimulatorServer.json(status, body) }

  static func application(
    _ status: HTTPResponse.Status, _ message: String, code: String, description: String? = nil,
    data: JSONValue = [:]
  ) -> WixError {
    let error: JSONValue = [
      "code": .string(code), "description": .string(description ?? message), "data": data,
    ]
    return WixError(status: status, body: ["message": .string(message), "details": ["applicationError": error]])
  }

  /// A 400 naming one field.
  static func invalid(
    _ field: String, _ description: String, rule: Rule = .other, message: String? = nil, data: JSONValue = [:]
  ) -> WixError {
    let violation: JSONValue = [
      "field": .string(field), "description": .string(description), "violatedRule": .string(rule.rawValue),
      "data": data,
    ]
    return WixError(
      status: .badRequest,
      body: [
        "message": .string(message ?? "INVALID_ARGUMENT: \(field) \(description)"),
        "details": ["validationError": ["fieldViolations": [violation]]],
      ])
  }

  static func tooLong(_ field: String, max: Int) -> WixError {
    invalid(field, "must be at most \(max) long", rule: .max, data: ["max": .number(Double(max))])
  }

  static func notFound(_ what: String, _ id: String) -> WixError {
    application(.notFound, "\(what) with id \(id) not found", code: "NOT_FOUND")
  }

  static func malformed(_ description: String) -> WixError {
    invalid("body", description, rule: .format, message: "Bad Request: \(description)")
  }

  /// The over-the-limit answer one Wix endpoint was seen to give instead of 429.
  static let emptyForbidden = WixError(status: .forbidden, body: ["message": "", "details": [:]])

  static let throttled = application(
    .tooManyRequests, "Too many requests: the site's rate limit was exceeded", code: "TOO_MANY_REQUESTS")
}
