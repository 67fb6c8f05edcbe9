import Foundation

/// Faults a simulator injects: shares of requests (0 to 1) answered badly, and added latency.
/// One set applies to every request; `endpoints` overrides it for requests whose
/// `METHOD /path` starts with a key (e.g. `POST /open/v3/jobs/`).
public struct SimulatorFaults: Sendable, Hashable, Codable {
  public struct Rates: Sendable, Hashable, Codable {
    /// Answered 500, 502 or 503 before anything is done.
    public var serverError = 0.0
    /// Answered 429 whatever the rate limit says.
    public var throttle = 0.0
    /// The connection is reset before the request is acted on.
    public var resetBefore = 0.0
    /// The request is acted on (a write committed), then the connection is reset before the answer.
    public var resetAfter = 0.0
    /// Added to every answer, in milliseconds.
    public var latencyMs = 0
    /// Answered 403, as for a token whose user lacks a permission or plan.
    public var forbidden = 0.0
    /// Above zero, requests wait (before being acted on) until the faults change: a test holds
    /// a client mid-operation, then lets it go with `PUT /_sim/faults`.
    public var hold = 0.0

    public init(
      serverError: Double = 0, throttle: Double = 0, resetBefore: Double = 0, resetAfter: Double = 0,
      latencyMs: Int = 0, forbidden: Double = 0, hold: Double = 0
    ) {
      self.hold = hold
      self.forbidden = forbidden
      self.serverError = serverError
      self.throttle = throttle
      self.resetBefore = resetBefore
      self.resetAfter = resetAfter
      self.latencyMs = latencyMs
    }

    enum CodingKeys: String, CodingKey {
      case serverError = "server_error", throttle, resetBefore = "reset_before", resetAfter = "reset_after"
      case latencyMs = "latency_ms", forbidden, hold
    }

    public init(from decoder: any Decoder) throws {
      let c = try decoder.container(keyedBy: CodingKeys.self)
      serverError = try c.decodeIfPresent(Double.self, forKey: .serverError) ?? 0
      throttle = try c.decodeIfPresent(Double.self, forKey: .throttle) ?? 0
      resetBefore = try c.decodeIfPresent(Double.self, forKey: .resetBefore) ?? 0
      resetAfter = try c.decodeIfPresent(Double.self, forKey: .resetAfter) ?? 0
      latencyMs = try c.decodeIfPresent(Int.self, forKey: .latencyMs) ?? 0
      forbidden = try c.decodeIfPresent(Double.self, forKey: .forbidden) ?? 0
      hold = try c.decodeIfPresent(Double.self, forKey: .hold) ?? 0
    }
  }

  public var all = Rates()
  public var endpoints: [String: Rates] = [:]

  public init(all: Rates = Rates(), endpoints: [String: Rates] = [:]) {
    self.all = all
    self.endpoints = endpoints
  }

  enum CodingKeys: String, CodingKey { case all, endpoints }

  /// Either key may be left out: `{}` means no faults.
  public init(from decoder: any Decoder) throws {
    let c = try decoder.container(keyedBy: CodingKeys.self)
    all = try c.decodeIfPresent(Rates.self, forKey: .all) ?? Rates()
    endpoints = try c.decodeIfPresent([String: Rates].self, forKey: .endpoints) ?? [:]
  }

  /// The rates for one request: the longest matching endpoint key, else `all`.
  public func rates(method: String, path: String) -> Rates {
    let request = "\(method) \(path)"
    let key = endpoints.keys.filter { request.hasPrefix($0) }.max { $0.count < $1.count }
    return key.flatMap { endpoints[$0] } ?? all
  }

  /// Applies one `--fault` option: `KIND=RATE` or `KIND=RATE@METHOD:/path/prefix`, where KIND is
  /// `server-error`, `throttle`, `reset-before`, `reset-after`, `forbidden`, `latency-ms` or `hold`.
  public mutating func apply(_ text: String) throws {
    let (setting, endpoint): (Substring, String?) = {
      guard let at = text.firstIndex(of: "@") else { return (text[...], nil) }
      return (text[..<at], text[text.index(after: at)...].replacingOccurrences(of: ":", with: " "))
    }()
    let parts = setting.split(separator: "=", maxSplits: 1).map(String.init)
    guard parts.count == 2, let value = Double(parts[1]), value >= 0 else { throw FaultSyntax(text: text) }
    var rates = endpoint.flatMap { endpoints[$0] } ?? (endpoint == nil ? all : Rates())
    switch parts[0] {
    case "server-error": rates.serverError = value
    case "throttle": rates.throttle = value
    case "reset-before": rates.resetBefore = value
    case "reset-after": rates.resetAfter = value
    case "latency-ms": rates.latencyMs = Int(value)
    case "forbidden": rates.forbidden = value
    case "hold": rates.hold = value
    default: throw FaultSyntax(text: text)
    }
    if let endpoint { endpoints[endpoint] = rates } else { all = rates }
  }

  public struct FaultSyntax: Error, CustomStringConvertible {
    public var text: String
    public var description: String {
      "'\(text)' is not a fault; use KIND=RATE[@METHOD:/path], KIND one of server-error, throttle, reset-before, reset-after, forbidden, latency-ms, hold (e.g. reset-after=0.2@POST:/open/v3/jobs/)"
    }
  }
}
