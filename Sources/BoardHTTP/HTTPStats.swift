/// What the HTTP layer did, for `--stats` and benchmarks.
public struct HTTPStats: Sendable, Hashable, Codable {
  public var requests = 0
  public var retries = 0
  public var rateLimited = 0
  public var bytesSent = 0
  public var bytesReceived = 0

  public init() {}

  public static func + (a: HTTPStats, b: HTTPStats) -> HTTPStats {
    var sum = a
    sum.requests += b.requests
    sum.retries += b.retries
    sum.rateLimited += b.rateLimited
    sum.bytesSent += b.bytesSent
    sum.bytesReceived += b.bytesReceived
    return sum
  }

  /// One line: requests, retries, 429s and bytes each way.
  public var summary: String {
    "\(requests) request\(requests == 1 ? "" : "s"), \(retries) retr\(retries == 1 ? "y" : "ies"), \(rateLimited) rate-limited (429), \(bytesSent) bytes sent, \(bytesReceived) bytes received"
  }
}
