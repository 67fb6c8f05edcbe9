import Foundation
import Hummingbird
import Logging
import NIOCore

/// What a test server received, one entry per request.
struct ReceivedRequest: Sendable {
  var path: String
  var method: String
  var query: String
  var at: ContinuousClock.Instant
  /// Header values by lower-cased name.
  var headers: [String: String]
  var authorization: String? { headers["authorization"] }
}

/// Records what a test server received.
actor RequestLog {
  private(set) var entries: [ReceivedRequest] = []
  func record(_ entry: ReceivedRequest) { entries.append(entry) }
  func count(_ path: String) -> Int { entries.filter { $0.path == path }.count }
  func times(_ path: String) -> [ContinuousClock.Instant] { entries.filter { $0.path == path }.map(\.at) }
  func entries(_ path: String) -> [ReceivedRequest] { entries.filter { $0.path == path } }
}

/// Starts `router` on an ephemeral loopback port, runs `body` with its base URL, then stops it.
func withServer(
  _ configure: (Router<BasicRequestContext>, RequestLog) -> Void, _ body: (String, RequestLog) async throws -> Void
) async throws {
  let log = RequestLog()
  let router = Router()
  router.middlewares.add(Recorder(log: log))
  configure(router, log)
  let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
  var logger = Logger(label: "test-server")
  logger.logLevel = .critical
  let app = Application(
    router: router, configuration: .init(address: .hostname("127.0.0.1", port: 0)),
    onServerRunning: { channel in continuation.yield(channel.localAddress?.port ?? 0) }, logger: logger)
  try await withThrowingTaskGroup(of: Void.self) { group in
    group.addTask { try await app.run() }
    var iterator = ports.makeAsyncIterator()
    guard let port = await iterator.next() else { return }
    do {
      try await body("http://127.0.0.1:\(port)", log)
    } catch {
      group.cancelAll()
      throw error
    }
    group.cancelAll()
  }
}

struct Recorder: RouterMiddleware {
  let log: RequestLog
  func handle(
    _ request: Request, context: BasicRequestContext, next: (Request, BasicRequestContext) async throws -> Response
  ) async throws -> Response {
    var headers: [String: String] = [:]
    for field in request.headers { headers[field.name.canonicalName] = field.value }
    await log.record(
      ReceivedRequest(
        path: request.uri.path, method: request.method.rawValue, query: request.uri.query ?? "",
        at: ContinuousClock.now, headers: headers))
    return try await next(request, context)
  }
}

func response(_ status: HTTPResponse.Status, _ body: String = "", headers: HTTPFields = [:]) -> Response {
  Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
}

/// The request body as JSON (tests' servers read what paging put there).
func jsonBody(_ request: Request) async throws -> [String: Any] {
  var request = request
  let buffer = try await request.collectBody(upTo: 1 << 20)
  return try JSONSerialization.jsonObject(with: Data(buffer.readableBytesView)) as? [String: Any] ?? [:]
}
