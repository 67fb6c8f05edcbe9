import BoardSpec

/// The settings every remote board accepts beside its platform's own, as written (defaults are
/// the platform's, applied by `RemoteBoard`).
struct RemoteSettings: Decodable, Sendable {
  struct RateLimitSetting: Decodable, Sendable {
    var requests: Int?
    var perSeconds: Double?
    enum CodingKeys: String, CodingKey {
      case requests
      case perSeconds = "per_seconds"
    }
  }

  struct Timeouts: Decodable, Sendable {
    var connect: Double?
    var read: Double?
    var request: Double?
  }

  var endpoint: String?
  var rateLimit: RateLimitSetting?
  var timeout: Timeouts?
  var concurrency: Int?

  enum CodingKeys: String, CodingKey {
    case endpoint, timeout, concurrency
    case rateLimit = "rate_limit"
  }
}
