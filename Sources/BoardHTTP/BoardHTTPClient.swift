import AsyncHTTPClient
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// One request as an adapter describes it.
public struct HTTPRequestSpec: Sendable {
  public enum Method: String, Sendable {
    case GET, POST, PATCH, PUT, DELETE
  }

  public var method: Method
  public var url: String
  public var headers: [(String, String)]
  public var body: Data?
  /// Sending it twice has the same effect as once (GET, PUT, DELETE, and a PATCH that sets
  /// absolute values), so it may be retried whatever happened to the first attempt.
  public var idempotent: Bool

  public init(
    _ method: Method, _ url: String, headers: [(String, String)] = [], body: Data? = nil, idempotent: Bool? = nil
  ) {
    self.method = method
    self.url = url
    self.headers = headers
    self.body = body
    self.idempotent = idempotent ?? [.GET, .PUT, .DELETE].contains(method)
  }
}

/// A response, body read in full.
public struct HTTPResult: Sendable {
  public var status: Int
  public var headers: [(String, String)]
  public var body: Data

  public func header(_ name: String) -> String? {
    headers.first { $0.0.lowercased() == name.lowercased() }?.1
  }
}

/// Why a request failed for good.
public enum HTTPFailure: Error, Sendable, CustomStringConvertible {
  /// The platform could not be reached (refused, DNS, timeout), after the retries allowed.
  case unreachable(url: String, reason: String)
  /// A write's connection failed after it was sent: the platform may or may not have acted.
  /// The adapter must look (by ownership tag) before trying again.
  case writeOutcomeUnknown(url: String, reason: String)
  /// Still rate-limited or failing (429 or 5xx) when the attempts or the time ran out.
  case gaveUp(url: String, status: Int, attempts: Int)

  public var description: String {
    switch self {
    case .unreachable(let url, let reason): return "cannot reach \(url): \(reason)"
    case .writeOutcomeUnknown(let url, let reason):
      return "the connection failed after a write was sent to \(url) (\(reason)); whether it was applied is unknown"
    case .gaveUp(let url, let status, let attempts):
      return "\(url) still answered \(status) after \(attempts) attempt\(attempts == 1 ? "" : "s")"
    }
  }
}

/// The HTTP layer one board talks through: every request takes a slot from the board's budget,
/// is retried with backoff when that is safe, is counted, and is logged with secrets redacted.
public struct BoardHTTPClient: Sendable {
  /// One pooled client for the whole process, with the default connect (10 s) and read (60 s)
  /// timeouts; boards that set other timeouts share a client per distinct pair.
  public static var shared: HTTPClient { pooled(connect: .seconds(10), read: .seconds(60)) }

  private static let poolLock = NSLock()
  nonisolated(unsafe) private static var pools: [String: HTTPClient] = [:]

  /// The pooled client with these timeouts, made once per process.
  public static func pooled(connect: Duration, read: Duration) -> HTTPClient {
    poolLock.withLock {
      let key = "\(connect)/\(read)"
      if let client = pools[key] { return client }
      var configuration = HTTPClient.Configuration()
      configuration.timeout = .init(
        connect: .milliseconds(milliseconds(connect)), read: .milliseconds(milliseconds(read)))
      // A failed connection fails the attempt at once: the retry policy decides what happens next,
      // and every retry is counted (AsyncHTTPClient would otherwise retry silently until the
      // connect timeout).
      configuration.connectionPool.retryConnectionEstablishment = false
      let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
      pools[key] = client
      return client
    }
  }

  static func milliseconds(_ duration: Duration) -> Int64 {
    duration.components.seconds * 1000 + duration.components.attoseconds / 1_000_000_000_000_000
  }

  public let budget: RequestBudget
  public let policy: RetryPolicy
  /// The whole-request timeout, per attempt.
  public let timeout: Duration
  public let counters: HTTPCounters
  public let logger: Logger
  let client: HTTPClient

  public init(
    budget: RequestBudget, policy: RetryPolicy = .default, timeout: Duration = .seconds(30),
    counters: HTTPCounters = HTTPCounters(), logger: Logger = Logger(label: "boardctl.http"),
    client: HTTPClient = BoardHTTPClient.shared
  ) {
    self.budget = budget
    self.policy = policy
    self.timeout = timeout
    self.counters = counters
    self.logger = logger
    self.client = client
  }

  /// Sends `request`, retrying reads on 429, 5xx and connection errors, and writes only on 429
  /// or when the connection was never made. Returns the last response, whatever its status.
  public func send(_ request: HTTPRequestSpec) async throws -> HTTPResult {
    let started = ContinuousClock.now
    var attempt = 0
    while true {
      attempt += 1
      try await budget.acquire()
      let sentAt = ContinuousClock.now
      counters.record {
        $0.requests += 1
        $0.bytesSent += request.body?.count ?? 0
        if attempt > 1 { $0.retries += 1 }
      }
      logger.debug(
        "\(request.method.rawValue) \(Redaction.url(request.url))\(attempt > 1 ? " (attempt \(attempt))" : "")")
      let result: HTTPResult
      do {
        result = try await execute(request)
      } catch {
        let reason = Self.describe(error)
        logger.debug("\(request.method.rawValue) \(Redaction.url(request.url)) failed: \(reason)")
        let neverSent = Self.isConnectFailure(error)
        guard request.idempotent || neverSent else {
          throw HTTPFailure.writeOutcomeUnknown(url: Redaction.url(request.url), reason: reason)
        }
        guard canRetry(attempt: attempt, started: started) else {
          throw HTTPFailure.unreachable(url: Redaction.url(request.url), reason: reason)
        }
        try await Task.sleep(for: policy.delay(afterAttempt: attempt, retryAfter: nil))
        continue
      }
      counters.record { $0.bytesReceived += result.body.count }
      logger.debug(
        "\(request.method.rawValue) \(Redaction.url(request.url)) -> \(result.status) (\(result.body.count) bytes, \(ContinuousClock.now - sentAt))"
      )
      let retryAfter = result.header("Retry-After").flatMap(RetryPolicy.retryAfter(header:))
      if result.status == 429 {
        counters.record { $0.rateLimited += 1 }
        // The platform counts differently than we do: stop every request on this board for a while.
        await budget.pause(
          until: ContinuousClock.now + (retryAfter ?? policy.delay(afterAttempt: attempt, retryAfter: nil)))
      }
      let retryable = result.status == 429 || (request.idempotent && (500...599).contains(result.status))
      guard retryable else { return result }
      guard canRetry(attempt: attempt, started: started) else {
        throw HTTPFailure.gaveUp(url: Redaction.url(request.url), status: result.status, attempts: attempt)
      }
      try await Task.sleep(for: policy.delay(afterAttempt: attempt, retryAfter: retryAfter))
    }
  }

  private func canRetry(attempt: Int, started: ContinuousClock.Instant) -> Bool {
    attempt < policy.maxAttempts && ContinuousClock.now - started < policy.maxTotal
  }

  private func execute(_ spec: HTTPRequestSpec) async throws -> HTTPResult {
    var request = HTTPClientRequest(url: spec.url)
    request.method = HTTPMethod(rawValue: spec.method.rawValue)
    for (name, value) in spec.headers { request.headers.add(name: name, value: value) }
    if let body = spec.body { request.body = .bytes(ByteBuffer(bytes: body)) }
    let response = try await client.execute(request, timeout: .milliseconds(Self.milliseconds(timeout)))
    let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
    return HTTPResult(
      status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
      body: Data(buffer.readableBytesView))
  }

  /// Every page of a paged list: `decode` returns a page's items and the absolute URL of the next
  /// page, or nil on the last. One request per page, never one per object.
  public func pages<Item: Sendable>(
    from url: String, headers: [(String, String)], decode: (HTTPResult) throws -> (items: [Item], next: String?)
  ) async throws -> [Item] {
    var items: [Item] = []
    var next: String? = url
    while let current = next {
      let result = try await send(HTTPRequestSpec(.GET, current, headers: headers))
      guard (200...299).contains(result.status) else {
        throw HTTPFailure.gaveUp(url: Redaction.url(current), status: result.status, attempts: 1)
      }
      let page = try decode(result)
      items += page.items
      next = page.next
    }
    return items
  }

  /// Whether the connection was never established, so nothing was sent.
  static func isConnectFailure(_ error: any Error) -> Bool {
    if let error = error as? HTTPClientError, error == .connectTimeout { return true }
    let text = String(describing: error).lowercased()
    return text.contains("connection refused") || text.contains("connectTimeout".lowercased())
      || text.contains("nameresolution") || text.contains("econnrefused")
  }

  static func describe(_ error: any Error) -> String {
    if let error = error as? HTTPClientError {
      if error == .deadlineExceeded { return "timed out" }
      if error == .connectTimeout { return "connect timed out" }
      if error == .remoteConnectionClosed { return "the server closed the connection" }
    }
    let text = String(describing: error)
    if text.lowercased().contains("connection refused") { return "connection refused" }
    if text.lowercased().contains("connection reset") { return "connection reset" }
    return text
  }
}

/// Keeps secrets out of logs: query parameters that carry keys are masked.
public enum Redaction {
  static let sensitiveParameters: Set<String> = ["key", "token", "api_key", "apikey", "access_token", "secret"]

  public static func url(_ text: String) -> String {
    guard var components = URLComponents(string: text), let items = components.queryItems, !items.isEmpty else {
      return text
    }
    components.queryItems = items.map { item in
      sensitiveParameters.contains(item.name.lowercased()) ? URLQueryItem(name: item.name, value: "REDACTED") : item
    }
    return components.string ?? text
  }
}
