import Foundation
import Hummingbird
import Logging
import NIOCore

/// A request's context in a simulator: it keeps the connection, so a simulator can reset it.
public struct SimulatorContext: RequestContext {
  public var coreContext: CoreRequestContextStorage
  public let channel: any Channel

  public init(source: ApplicationRequestContextSource) {
    coreContext = .init(source: source)
    channel = source.channel
  }

  /// Drops the connection with a TCP reset: the client gets no answer at all.
  public func resetConnection() async {
    try? await (channel as? any SocketOptionProvider)?.setSoLinger(linger(l_onoff: 1, l_linger: 0)).get()
    try? await channel.close()
  }
}

/// Thrown after `resetConnection`, so the server writes nothing more.
struct ConnectionReset: Error {}

/// Runs a simulator as a real HTTP server on loopback. `onReady` receives the port once the server
/// listens; the server runs until the surrounding task is cancelled.
public enum SimulatorServer {
  public static func run(
    port: Int = 0, host: String = "127.0.0.1",
    respond: @escaping @Sendable (Request, SimulatorContext) async throws -> Response,
    onReady: @escaping @Sendable (Int) async -> Void
  ) async throws {
    var logger = Logger(label: "boardctl-sim")
    logger.logLevel = .critical
    let app = Application(
      responder: CallbackResponder<SimulatorContext>(callback: respond),
      configuration: .init(address: .hostname(host, port: port)),
      onServerRunning: { channel in await onReady(channel.localAddress?.port ?? port) }, logger: logger)
    try await app.run()
  }

  /// Starts `respond` on an ephemeral port, runs `body` with the base URL, then stops the server.
  public static func with(
    respond: @escaping @Sendable (Request, SimulatorContext) async throws -> Response,
    _ body: (String) async throws -> Void
  ) async throws {
    let (ports, continuation) = AsyncStream.makeStream(of: Int.self)
    try await withThrowingTaskGroup(of: Void.self) { group in
      group.addTask { try await run(respond: respond) { continuation.yield($0) } }
      var iterator = ports.makeAsyncIterator()
      guard let port = await iterator.next() else { return }
      defer { group.cancelAll() }
      try await body("http://127.0.0.1:\(port)")
    }
  }

  /// A JSON response.
  public static func json(_ status: HTTPResponse.Status, _ value: some Encodable, headers: HTTPFields = [:]) -> Response
  {
    let encoder = JSONEncoder()
    encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
    let data = (try? encoder.encode(value)) ?? Data("{}".utf8)
    var fields = headers
    fields[.contentType] = "application/json"
    return Response(status: status, headers: fields, body: .init(byteBuffer: ByteBuffer(bytes: data)))
  }
}
