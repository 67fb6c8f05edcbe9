import BoardSupport
import Foundation
import Hummingbird
import NIOCore

/// The pipeline every simulator puts an authenticated request through, in the order a real
/// server's layers act: the rate limit (counted on arrival), injected throttling, latency, a hold,
/// injected 403s and 5xx answers, a reset before the request is acted on, the request itself, and
/// a reset after it was acted on (the write is committed; the client never hears so).
struct SimulatorGate: Sendable {
  /// The simulator's answers, in its platform's words, when the gate turns a request away.
  struct Refusals: Sendable {
    var throttled: @Sendable () -> Response
    var forbidden: @Sendable () -> Response
    var serverError: @Sendable (HTTPResponse.Status) -> Response
  }

  let traffic: SimulatorTraffic
  let refusals: Refusals

  /// Runs `act` with the request's body unless a limit or a fault decides otherwise. `endpoint`
  /// is the counter key (`POST /path/{id}`); `caller` is whose rate-limit window it counts in.
  func pass(
    _ request: Request, context: SimulatorContext, endpoint: String, caller: String, limit: Int, window: Duration,
    act: (ByteBuffer) async throws -> Response
  ) async throws -> Response {
    let (method, path) = (request.method.rawValue, request.uri.path)
    let allowed = await traffic.admit(endpoint: endpoint, caller: caller, limit: limit, window: window)
    let faults = await traffic.faults.rates(method: method, path: path)
    if !allowed || Double.random(in: 0..<1) < faults.throttle {
      await traffic.count("throttled")
      return refusals.throttled()
    }
    if faults.latencyMs > 0 { try await Task.sleep(for: .milliseconds(faults.latencyMs)) }
    if faults.hold > 0 {
      await traffic.count("held")
      while await traffic.faults.rates(method: method, path: path).hold > 0 {
        try await Task.sleep(for: .milliseconds(10))
      }
    }
    if Double.random(in: 0..<1) < faults.forbidden {
      await traffic.count("forbidden")
      return refusals.forbidden()
    }
    if Double.random(in: 0..<1) < faults.serverError {
      await traffic.count("server_errors")
      return refusals.serverError([.internalServerError, .badGateway, .serviceUnavailable].randomElement()!)
    }
    let body = try await request.body.collect(upTo: 4 * 1024 * 1024)
    if Double.random(in: 0..<1) < faults.resetBefore {
      await traffic.count("resets_before")
      await context.resetConnection()
      throw ConnectionReset()
    }
    let response = try await act(body)
    if Double.random(in: 0..<1) < faults.resetAfter {
      await traffic.count("resets_after")
      await context.resetConnection()
      throw ConnectionReset()
    }
    return response
  }
}
