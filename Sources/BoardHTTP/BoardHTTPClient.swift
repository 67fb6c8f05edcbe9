import AsyncHTTPClient
import BoardSupport
import Foundation
import Logging
import NIOCore
import NIOHTTP1

/// The HTTP layer one board talks through: every request takes a slot from the board's budget,
/// is authenticated afresh on every attempt, is retried when that is safe, waits out the
/// platform's rate-limit window on a 429, is counted, and is logged with secrets redacted.
public struct BoardHTTPClient: Sendable, CustomStringConvertible {
  /// How one board talks HTTP: its name, its rate limit, timeouts, retries and authentication.
  public struct Configuration: Sendable {
    /// The board's name: its counters are kept under it.
    public var board: String
    /// How progress lines and errors name it ("rate limited by manatal"); the board's name by default.
    public var label: String
    /// The platform's documented limit for this board's credential.
    public var rateLimit: RateLimit
    /// Clients with the same key share one budget: a token at an endpoint ("manatal-token@https://…").
    public var budgetKey: String
    public var timeouts: Timeouts
    public var policy: RetryPolicy
    /// Adds authentication to every attempt; nil for requests that carry their own headers.
    public var authenticator: (any Authenticator)?
    /// Where the authenticator's credential may go: a request to any other host is refused
    /// before anything is sent. Nil: no restriction (a credential that carries none).
    public var credentialHosts: CredentialHosts?
    /// Debug logs of every request; the runtime's logger when nil.
    public var logger: Logger?
    /// Whether an answer says "too many requests": a 429 for most platforms; Wix also throttles
    /// some endpoints with a 403 whose message is empty. Such answers are waited out like a 429.
    public var isThrottled: @Sendable (HTTPResult) -> Bool

    public init(
      board: String, label: String? = nil, rateLimit: RateLimit, budgetKey: String? = nil,
      timeouts: Timeouts = Timeouts(), policy: RetryPolicy = .default, authenticator: (any Authenticator)? = nil,
      credentialHosts: CredentialHosts? = nil, logger: Logger? = nil,
      isThrottled: @escaping @Sendable (HTTPResult) -> Bool = { $0.status == 429 }
    ) {
      self.isThrottled = isThrottled
      self.credentialHosts = credentialHosts
      self.board = board
      self.label = label ?? board
      self.rateLimit = rateLimit
      self.budgetKey = budgetKey ?? "board:" + board
      self.timeouts = timeouts
      self.policy = policy
      self.authenticator = authenticator
      self.logger = logger
    }
  }

  /// Connect and read timeouts choose the pooled client; `request` bounds each attempt in all.
  public struct Timeouts: Sendable, Hashable {
    public var connect: Duration
    public var read: Duration
    public var request: Duration

    public init(connect: Duration = .seconds(10), read: Duration = .seconds(60), request: Duration = .seconds(30)) {
      self.connect = connect
      self.read = read
      self.request = request
    }
  }

  public let configuration: Configuration
  /// The runtime whose pools carry the requests; once it is shut down, sending fails.
  public let runtime: HTTPRuntime
  /// The budget of the configuration's key, shared with every board of the same token.
  public let budget: RequestBudget
  /// The board's counters, shared with every client made for it.
  public let counters: HTTPCounters
  let logger: Logger

  /// A client for one board; its budget and counters come from `runtime`, shared with every
  /// other client of the same budget key or board.
  public init(runtime: HTTPRuntime, _ configuration: Configuration) {
    self.configuration = configuration
    self.runtime = runtime
    budget = runtime.budget(for: configuration.budgetKey, limit: configuration.rateLimit)
    counters = runtime.counters(for: configuration.board)
    logger = configuration.logger ?? runtime.logger
  }

  /// The retry policy (adapters use its backoff when they send a write again themselves).
  public var policy: RetryPolicy { configuration.policy }

  /// Names the board and its limit; never the authenticator's secret.
  public var description: String {
    "HTTP client of \(configuration.label) (\(configuration.rateLimit), budget \(configuration.budgetKey))"
  }

  /// Sends `request`. Reads are retried on 5xx and connection errors, writes only when the
  /// connection was never made; both wait out 429s (by time, not attempts). A 401 is retried
  /// once when the authenticator renewed its credential. Returns the last answer, whatever its
  /// status, unless the retries or the waiting ran out.
  public func send(_ request: HTTPRequestSpec) async throws -> HTTPResult {
    let url = Redaction.url(request.url)
    if configuration.authenticator != nil, let hosts = configuration.credentialHosts, !hosts.allows(request.url) {
      throw HTTPFailure.credentialNotAllowed(url: url, board: configuration.label, allowed: hosts.description)
    }
    var attempt = 0
    var failures = 0
    var firstFailure: ContinuousClock.Instant?
    var renewed = false
    // Waiting out 429s is bounded from the first one: time the request took before is not waiting.
    var rateLimitedSince: ContinuousClock.Instant?
    while true {
      attempt += 1
      counters.record {
        $0.requests += 1
        $0.bytesSent += request.body?.count ?? 0
        if attempt > 1 { $0.retries += 1 }
      }
      logger.debug("\(request.method.rawValue) \(url)\(attempt > 1 ? " (attempt \(attempt))" : "")")
      // Authentication first: nothing but the send may come between taking a slot and sending.
      var headers = request.headers
      if let authenticator = configuration.authenticator {
        headers += try await authenticator.headers(for: request)
      }
      let slot = try await budget.acquire()
      let sentAt = ContinuousClock.now
      let outcome: Result<HTTPResult, any Error>
      do {
        outcome = .success(try await execute(request, headers: headers))
      } catch {
        outcome = .failure(error)
      }
      await budget.finish(slot)
      let result: HTTPResult
      switch outcome {
      case .success(let answer):
        result = answer
      case .failure(let error):
        if error is HTTPRuntime.RuntimeShutDown || runtime.isShutDown { throw HTTPFailure.shutDown(url: url) }
        let reason = Self.describe(error)
        logger.debug("\(request.method.rawValue) \(url) failed: \(reason)")
        guard request.idempotent || Self.isConnectFailure(error) else {
          throw HTTPFailure.writeOutcomeUnknown(url: url, reason: reason)
        }
        failures += 1
        guard canRetry(failures: failures, since: firstFailure ?? sentAt) else {
          throw HTTPFailure.unreachable(url: url, reason: reason)
        }
        firstFailure = firstFailure ?? sentAt
        try await Task.sleep(for: policy.delay(afterAttempt: failures, retryAfter: nil))
        continue
      }
      counters.record { $0.bytesReceived += result.body.count }
      logger.debug(
        "\(request.method.rawValue) \(url) -> \(result.status) (\(result.body.count) bytes, \(ContinuousClock.now - sentAt))"
      )
      let retryAfter = result.header("Retry-After").flatMap(RetryPolicy.retryAfter(header:))
      switch result.status {
      case _ where configuration.isThrottled(result):
        counters.record { $0.rateLimited += 1 }
        // The platform counts differently than we do: stop every request on this budget until
        // the platform's window (or its Retry-After) has passed, then go on.
        let since = rateLimitedSince ?? ContinuousClock.now
        rateLimitedSince = since
        let pause = await budget.rateLimited(sentAt: sentAt, retryAfter: retryAfter)
        guard pause.resume <= since + policy.rateLimitAllowance(window: budget.window) else {
          throw HTTPFailure.rateLimited(
            url: url, board: configuration.label, limit: configuration.rateLimit, waited: ContinuousClock.now - since)
        }
        if pause.began {
          let wait = (pause.resume - ContinuousClock.now).spoken
          runtime.reporter(
            "rate limited by \(configuration.label); waiting \(wait) "
              + (retryAfter == nil ? "for the window" : "as it asked (Retry-After)"))
        }
        // `acquire()` waits for the pause's end.
        continue
      case 401:
        guard !renewed, let authenticator = configuration.authenticator,
          try await authenticator.renew(afterRejecting: request)
        else { return result }
        renewed = true
      case 500...599 where request.idempotent:
        failures += 1
        guard canRetry(failures: failures, since: firstFailure ?? sentAt) else {
          throw HTTPFailure.gaveUp(url: url, status: result.status, attempts: failures)
        }
        firstFailure = firstFailure ?? sentAt
        try await Task.sleep(for: policy.delay(afterAttempt: failures, retryAfter: retryAfter))
      default:
        return result
      }
    }
  }

  private func canRetry(failures: Int, since first: ContinuousClock.Instant) -> Bool {
    failures < policy.maxAttempts && ContinuousClock.now - first < policy.maxTotal
  }

  private func execute(_ spec: HTTPRequestSpec, headers: [(String, String)]) async throws -> HTTPResult {
    let client = try runtime.httpClient(connect: configuration.timeouts.connect, read: configuration.timeouts.read)
    var request = HTTPClientRequest(url: spec.url)
    request.method = HTTPMethod(rawValue: spec.method.rawValue)
    for (name, value) in headers { request.headers.add(name: name, value: value) }
    if let body = spec.body { request.body = .bytes(ByteBuffer(bytes: body)) }
    let response = try await client.execute(
      request, timeout: .milliseconds(configuration.timeouts.request.milliseconds))
    let buffer = try await response.body.collect(upTo: 64 * 1024 * 1024)
    return HTTPResult(
      status: Int(response.status.code), headers: response.headers.map { ($0.name, $0.value) },
      body: Data(buffer.readableBytesView))
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
      if error == .readTimeout { return "timed out waiting for the answer" }
      if error == .writeTimeout { return "timed out sending the request" }
      if error == .remoteConnectionClosed { return "the server closed the connection" }
    }
    let text = String(describing: error)
    if text.lowercased().contains("connection refused") { return "connection refused" }
    if text.lowercased().contains("connection reset") { return "connection reset" }
    return text
  }
}
