import Foundation
import Hummingbird
import Logging
import NIOCore

/// Records what a test server received.
actor RequestLog {
  private(set) var entries: [(path: String, method: String, at: ContinuousClock.Instant, authorization: String?)] = []
  func record(_ path: String, _ method: String, _ authorization: String?) {
    entries.append((path, method, ContinuousClock.now, authorization))
  }
  func count(_ path: String) -> Int { entries.filter { $0.path == path }.count }
  func times(_ path: String) -> [ContinuousClock.Instant] { entries.filter { $0.path == path }.map(\.at) }
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
    await log.record(request.uri.path, request.method.rawValue, request.headers[.authorization])
    return try await next(request, context)
  }
}

func response(_ status: HTTPResponse.Status, _ body: String = "", headers: HTTPFields = [:]) -> Response {
  Response(status: status, headers: headers, body: .init(byteBuffer: ByteBuffer(string: body)))
}
