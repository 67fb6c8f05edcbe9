import BoardCore
import BoardHTTP
import BoardSpec
import BoardSupport
import Foundation

/// What every board that talks to a platform over HTTP shares: where it is, how fast it may go,
/// how long to wait. One description for every remote adapter, so the settings read the same.
struct RemoteBoard: Sendable {
  /// The settings every remote platform accepts, beside its own.
  static func settings(endpoint: String, limit: Int, window: Int, requestTimeout: Int = 30) -> [FieldSchema] {
    [
      FieldSchema(
        "endpoint", .string(.url), default: endpoint,
        "The API's base URL; point it at `boardctl-sim` to rehearse a rollout."),
      FieldSchema(
        "rate_limit",
        .object(
          ObjectSchema(
            "rate limit",
            [
              FieldSchema("requests", .integer(minimum: 1), default: String(limit), "Requests allowed per window."),
              FieldSchema("per_seconds", .number(minimum: 0.001), default: String(window), "The window, in seconds."),
            ])),
        default: "\(limit) per \(window) s (the documented limit)",
        "At most this many requests in any window; boardctl never sends one beyond it."),
      FieldSchema(
        "timeout",
        .object(
          ObjectSchema(
            "timeouts",
            [
              FieldSchema("connect", .number(minimum: 0.1), default: "10", "Seconds to establish a connection."),
              FieldSchema(
                "read", .number(minimum: 0.1), default: "60", "Seconds to wait for the next bytes of an answer."),
              FieldSchema(
                "request", .number(minimum: 0.1), default: String(requestTimeout),
                "Seconds one attempt may take in all."),
            ])),
        "Timeouts, in seconds; each retry is a new attempt."),
      FieldSchema(
        "concurrency", .integer(minimum: 1), default: "4", "Requests apply keeps in flight at once on this board."),
    ]
  }

  let endpoint: String
  /// The limit as configured (the budget's window is padded a little).
  let limit: RateLimit
  /// Platforms limit per token: boards sharing a credential and an endpoint share one budget.
  let budgetKey: String
  let timeouts: BoardHTTPClient.Timeouts
  let concurrency: Int
  let boardName: String
  /// How progress lines and errors name the board: "manatal", or "acme-ats (manatal)".
  let label: String
  /// The command's runtime; nil when the board was opened by one that sends nothing.
  let runtime: HTTPRuntime?
  /// Where the board's credential may go: sealed with it, else the platform's defaults.
  let credentialHosts: CredentialHosts

  init(
    _ board: Board, _ settings: RemoteSettings, environment: BoardEnvironment, defaultEndpoint: String,
    defaultHosts: CredentialHosts, limit: Int, window: Int, requestTimeout: Double = 30
  ) {
    credentialHosts = environment.credential?.hosts ?? defaultHosts
    var endpoint = settings.endpoint ?? defaultEndpoint
    while endpoint.hasSuffix("/") { endpoint.removeLast() }
    self.endpoint = endpoint
    let requests = settings.rateLimit?.requests ?? limit
    let seconds = settings.rateLimit?.perSeconds ?? Double(window)
    self.limit = RateLimit(requests, per: .milliseconds(Int64(seconds * 1000)))
    budgetKey = "\(board.credential ?? "board:" + board.name)@\(endpoint)"
    func duration(_ seconds: Double?, _ fallback: Double) -> Duration {
      .milliseconds(Int64((seconds ?? fallback) * 1000))
    }
    timeouts = BoardHTTPClient.Timeouts(
      connect: duration(settings.timeout?.connect, 10), read: duration(settings.timeout?.read, 60),
      request: duration(settings.timeout?.request, requestTimeout))
    concurrency = settings.concurrency ?? 4
    boardName = board.name
    label = board.name == board.platform ? board.name : "\(board.name) (\(board.platform))"
    runtime = (environment.services as? PlatformServices)?.http
  }

  /// The client for this board's requests, with the given retry policy and authentication; nil
  /// when the command made no HTTP runtime.
  func client(
    _ policy: RetryPolicy = .default, authenticator: (any Authenticator)?,
    isThrottled: @escaping @Sendable (HTTPResult) -> Bool = { $0.status == 429 }
  ) -> BoardHTTPClient? {
    guard let runtime else { return nil }
    return BoardHTTPClient(
      runtime: runtime,
      .init(
        board: boardName, label: label, rateLimit: limit, budgetKey: budgetKey, timeouts: timeouts, policy: policy,
        authenticator: authenticator, credentialHosts: credentialHosts, isThrottled: isThrottled))
  }

  /// "rate limit 100 per 60 s: 97 left in the current window", for Test Connection.
  func headroom() async -> String {
    let seconds = limit.window / .seconds(1)
    let window = seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)
    let text = "rate limit \(limit.requests) per \(window) s"
    guard let runtime else { return text }
    let left = await runtime.budget(for: budgetKey, limit: limit).headroom()
    return "\(text): \(left) left in the current window"
  }

  /// Test Connection fails fast: one retry, a few seconds, and no waiting out a rate-limit
  /// window (a rate-limited board fails the test and says so).
  static let checkPolicy = RetryPolicy(
    maxAttempts: 2, baseDelay: .milliseconds(200), maxTotal: .seconds(5), rateLimitWait: .seconds(5))

  /// Carries out `changes` with at most `concurrency` in flight, journaling each: the intent
  /// before, the outcome and the resulting state record after (one transaction). Asked to stop,
  /// it starts nothing new. Returns the records of the changes done, or throws
  /// `BoardApplyError` with them after the first failure (those in flight still finish).
  func applyEach(
    _ changes: [PlannedChange], journal: any ApplyJournal,
    _ perform: @escaping @Sendable (PlannedChange) async throws -> StateRecord?
  ) async throws -> [Address: StateRecord?] {
    let (results, failure) = await Self.bounded(changes, limit: concurrency) { change in
      if journal.stopRequested { throw ApplyStopped() }
      let entry = try await journal.begin(change.address, action: change.action)
      do {
        let record = try await perform(change)
        try await journal.finish(entry, saving: [change.address: record])
        return (change.address, record)
      } catch {
        try? await journal.finish(entry, error: "\(error)")
        throw error
      }
    }
    var completed: [Address: StateRecord?] = [:]
    for (address, record) in results { completed[address] = record }
    if let failure { throw BoardApplyError("\(failure)", completed: completed) }
    return completed
  }

  /// Runs `work` for every item with at most `limit` in flight; stops starting new ones after the
  /// first failure, lets those in flight finish, then rethrows it with every result so far.
  static func bounded<Item: Sendable, Result: Sendable>(
    _ items: [Item], limit: Int, _ work: @escaping @Sendable (Item) async throws -> Result
  ) async -> (results: [Result], failure: (any Error)?) {
    await withTaskGroup(of: Swift.Result<Result, any Error>.self) { group in
      var results: [Result] = []
      var failure: (any Error)?
      var iterator = items.makeIterator()
      var running = 0
      func startNext() -> Bool {
        guard failure == nil, let item = iterator.next() else { return false }
        group.addTask {
          do { return .success(try await work(item)) } catch { return .failure(error) }
        }
        return true
      }
      while running < max(limit, 1), startNext() { running += 1 }
      while running > 0, let outcome = await group.next() {
        running -= 1
        switch outcome {
        case .success(let result): results.append(result)
        case .failure(let error): if failure == nil { failure = error }
        }
        if startNext() { running += 1 }
      }
      return (results, failure)
    }
  }
}
