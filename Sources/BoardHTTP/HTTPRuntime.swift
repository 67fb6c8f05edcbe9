import AsyncHTTPClient
import Logging
import NIOCore
import Synchronization

/// The HTTP machinery one command (or the server) owns for its length: pooled clients, one
/// request budget per token at an endpoint, counters per board. Whoever makes it shuts it down;
/// nothing here is process-wide, so two runtimes (two tests, two server workspaces) never share.
public final class HTTPRuntime: Sendable {
  /// Where progress lines go ("rate limited by manatal; waiting 43 s for the window"); the
  /// command wires it to stderr.
  public let reporter: @Sendable (String) -> Void
  /// The logger of clients whose configuration names none.
  public let logger: Logger
  private let state = Mutex(State())

  private struct State {
    var clients: [PoolKey: HTTPClient] = [:]
    var budgets: [String: RequestBudget] = [:]
    var counters: [String: HTTPCounters] = [:]
    var shutDown = false
  }

  /// Boards with the same connect and read timeouts share a connection pool.
  private struct PoolKey: Hashable {
    var connect: Duration
    var read: Duration
  }

  /// A runtime with no clients yet; they are made on first use. `reporter` gets progress lines.
  public init(
    reporter: @escaping @Sendable (String) -> Void = { _ in }, logger: Logger = Logger(label: "boardctl.http")
  ) {
    self.reporter = reporter
    self.logger = logger
  }

  /// The pooled client with these timeouts, made on first use; none is made once shut down.
  func httpClient(connect: Duration, read: Duration) throws(RuntimeShutDown) -> HTTPClient {
    try state.withLock { state throws(RuntimeShutDown) in
      guard !state.shutDown else { throw RuntimeShutDown() }
      let key = PoolKey(connect: connect, read: read)
      if let client = state.clients[key] { return client }
      var configuration = HTTPClient.Configuration()
      configuration.timeout = .init(
        connect: .milliseconds(connect.milliseconds), read: .milliseconds(read.milliseconds))
      // A failed connection fails the attempt at once: the retry policy decides what happens next,
      // and every retry is counted (AsyncHTTPClient would otherwise retry silently until the
      // connect timeout).
      configuration.connectionPool.retryConnectionEstablishment = false
      // A redirect is an answer, never followed: following one could carry a credential to a
      // host it was not sealed for.
      configuration.redirectConfiguration = .disallow
      let client = HTTPClient(eventLoopGroupProvider: .singleton, configuration: configuration)
      state.clients[key] = client
      return client
    }
  }

  /// Thrown by `httpClient` after `shutdown()`; the client turns it into `HTTPFailure.shutDown`.
  struct RuntimeShutDown: Error {}

  /// Whether `shutdown()` was called.
  public var isShutDown: Bool { state.withLock { $0.shutDown } }

  /// The budget of one key, a token at an endpoint: platforms limit per token, so boards sharing
  /// a credential at an endpoint share it. The first caller's limit sets it (padded as documented).
  public func budget(for key: String, limit: RateLimit) -> RequestBudget {
    state.withLock { state in
      if let budget = state.budgets[key] { return budget }
      let budget = RequestBudget.documented(limit: limit.requests, per: limit.window)
      state.budgets[key] = budget
      return budget
    }
  }

  /// The counters of one board, shared by every client made for it.
  public func counters(for board: String) -> HTTPCounters {
    state.withLock { state in
      if let counters = state.counters[board] { return counters }
      let counters = HTTPCounters()
      state.counters[board] = counters
      return counters
    }
  }

  /// Every board's counters so far, by board name (for `--stats`).
  public var stats: [String: HTTPStats] {
    let counters = state.withLock { $0.counters }
    return counters.mapValues(\.snapshot)
  }

  /// Shuts down every client this runtime made: requests in flight fail, and later ones fail
  /// with `HTTPFailure.shutDown` instead of opening a new pool. Safe to call more than once.
  public func shutdown() async {
    let clients = state.withLock { state in
      state.shutDown = true
      defer { state.clients = [:] }
      return Array(state.clients.values)
    }
    for client in clients {
      // Already shut down is the only error, and the outcome wanted.
      try? await client.shutdown()
    }
  }

  deinit {
    // A runtime dropped without `shutdown()` (a bug in its owner) still closes its pools, rather
    // than leaking them and tripping AsyncHTTPClient's debug check.
    let clients = state.withLock { Array($0.clients.values) }
    for client in clients { client.shutdown { _ in } }
  }
}

/// Runs `body` with a new runtime and shuts it down afterwards, whether `body` returned or threw.
public func withHTTPRuntime<Result>(
  reporter: @escaping @Sendable (String) -> Void = { _ in }, logger: Logger = Logger(label: "boardctl.http"),
  isolation: isolated (any Actor)? = #isolation, _ body: (HTTPRuntime) async throws -> Result
) async throws -> Result {
  let runtime = HTTPRuntime(reporter: reporter, logger: logger)
  do {
    let result = try await body(runtime)
    await runtime.shutdown()
    return result
  } catch {
    await runtime.shutdown()
    throw error
  }
}
