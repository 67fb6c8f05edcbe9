import BoardSupport
import Foundation
import Hummingbird
import NIOCore

/// A loopback simulator of the Wix REST APIs boardctl uses (FACTS.md, section Wix): API-key and
/// site-id auth, Wix's error shapes, a per-site rate limit (429, or the empty 403 one endpoint was
/// seen to give), scopes, and injected faults; Blog v3 drafts and posts, Members v1, Contacts v4
/// with labels and extended fields, and form submissions. It keeps its own data, so tests and
/// rehearsals can look at what a client really did (`GET /_sim/stats`).
public final class WixSimulator: Sendable {
  public struct Configuration: Sendable {
    /// The API key, sent raw in `Authorization` (no "Bearer").
    public var apiKey = "sim-wix-key"
    /// The site the key belongs to, sent in `wix-site-id`.
    public var siteID = "sim-site"
    /// Requests allowed per site in a rolling window; the real API allows 200 per minute.
    public var rateLimit = 200
    public var rateWindow: Duration = .seconds(60)
    /// Over the limit, answer 403 with an empty message instead of 429, as one endpoint was seen to.
    public var throttleWith403 = false
    public var faults = SimulatorFaults()
    /// Objects to start with, by collection (`members`, `contacts`, `draftPosts`, `categories`,
    /// `tags`, `submissions`).
    public var seed: [String: [JSONValue]] = [:]
    /// Added to draft-post creates (single and bulk); the real API takes 25 to 30 s.
    public var createLatency: Duration = .zero
    /// The share of valid bulk-create items that fail anyway (drawn from a seeded generator).
    public var bulkFailureRate = 0.0
    /// The areas the API key may use; others answer 403 "Missing permissions: …".
    public var scopes = Set(WixScope.allCases)
    /// Whether the Wix Forms app is installed; without it form-submission calls answer 428.
    public var formsApp = true
    /// Where to deliver contact, form-submission and member events; nil sends none.
    public var webhooks: WixWebhookSettings?

    public init() {}

    /// The share of requests answered 500/502/503 (every endpoint).
    public var serverErrorRate: Double {
      get { faults.all.serverError }
      set { faults.all.serverError = newValue }
    }
    /// The share of requests throttled regardless of the limit (every endpoint).
    public var throttleRate: Double {
      get { faults.all.throttle }
      set { faults.all.throttle = newValue }
    }
    /// Latency added to every request.
    public var latency: Duration {
      get { .milliseconds(faults.all.latencyMs) }
      set { faults.all.latencyMs = Int(newValue / .milliseconds(1)) }
    }
  }

  public let configuration: Configuration
  let site: WixSite
  let traffic: SimulatorTraffic
  let gate: SimulatorGate
  let webhooks: WixWebhooks?
  private let events: AsyncStream<WixEvent>.Continuation?

  public init(configuration: Configuration = Configuration()) {
    self.configuration = configuration
    if let settings = configuration.webhooks {
      let (stream, continuation) = AsyncStream.makeStream(of: WixEvent.self)
      // Making a key fails only when BoringSSL cannot allocate one.
      let queue = try! WixWebhooks(settings: settings)
      Task { await queue.run(stream) }
      (webhooks, events) = (queue, continuation)
    } else {
      (webhooks, events) = (nil, nil)
    }
    site = WixSite(
      siteID: configuration.siteID, bulkFailureRate: configuration.bulkFailureRate, seed: configuration.seed,
      events: events)
    traffic = SimulatorTraffic(faults: configuration.faults)
    let throttled = configuration.throttleWith403 ? WixError.emptyForbidden : WixError.throttled
    gate = SimulatorGate(
      traffic: traffic,
      refusals: .init(
        throttled: { throttled.response },
        forbidden: { WixError.application(.forbidden, "Permission denied", code: "PERMISSION_DENIED").response },
        serverError: { status in
          WixError.application(status, status.reasonPhrase, code: status.code == 503 ? "UNAVAILABLE" : "INTERNAL")
            .response
        }))
  }

  /// Ends the webhook queue, which would otherwise wait for events forever.
  deinit { events?.finish() }

  /// The blog owner the site starts with, for `draftPost.memberId`.
  public var ownerMemberID: String { site.ownerMemberID }

  /// The key webhook receivers verify tokens with (SPKI PEM); nil without webhooks.
  public var webhookPublicKeyPEM: String? { webhooks?.publicKeyPEM }

  public func respond(to request: Request, context: SimulatorContext) async throws -> Response {
    let path = request.uri.path
    await site.prepare()
    if path.hasPrefix("/_sim/") { return try await inspect(request, path: path) }
    if let refusal = refusal(request.headers) { return refusal.response }
    let match = WixRoute.match(request.method, path)
    let endpoint = "\(request.method.rawValue) \(match?.route.template ?? path)"
    return try await gate.pass(
      request, context: context, endpoint: endpoint, caller: configuration.siteID, limit: configuration.rateLimit,
      window: configuration.rateWindow
    ) { body in
      guard let (route, values) = match else {
        return WixError.application(.notFound, "Not Found", code: "NOT_FOUND").response
      }
      guard configuration.scopes.contains(route.scope) else {
        return WixError.application(
          .forbidden, "Missing permissions: \(route.scope.permission)", code: "PERMISSION_DENIED"
        ).response
      }
      if route.scope == .forms && !configuration.formsApp {
        return WixError.application(
          .preconditionRequired, "The Wix Forms app is not installed on this site",
          code: "WIX_FORMS_APP_NOT_INSTALLED",
          description: "Install the Wix Forms app (wix.form_app) on the site to use form submissions"
        ).response
      }
      var json: JSONValue?
      if body.readableBytes > 0 {
        guard let parsed = JSONValue.parse(Data(body.readableBytesView)) else {
          return WixError.malformed("the body is not JSON").response
        }
        json = parsed
      }
      do {
        let answer = try await perform(
          route.action, values: values, query: request.uri.queryParameters, json: json)
        return SimulatorServer.json(.ok, answer)
      } catch let error as WixError {
        return error.response
      }
    }
  }

  /// Why a request's credentials are refused, or nil: the raw API key in `Authorization` and the
  /// site in `wix-site-id`, both required (a `Bearer` value is refused).
  func refusal(_ headers: HTTPFields) -> WixError? {
    guard let key = headers[.authorization], !key.isEmpty else {
      return .application(.forbidden, "Missing Authorization header", code: "UNAUTHENTICATED")
    }
    if key.lowercased().hasPrefix("bearer ") {
      return .application(
        .forbidden, "Invalid API key: send the key itself in Authorization, without \"Bearer\"",
        code: "UNAUTHENTICATED")
    }
    guard key == configuration.apiKey else {
      return .application(.forbidden, "Invalid API key", code: "UNAUTHENTICATED")
    }
    guard let site = headers.first(where: { $0.name.canonicalName == "wix-site-id" })?.value, !site.isEmpty else {
      return .application(.forbidden, "Missing wix-site-id header", code: "MISSING_SITE_ID")
    }
    guard site == configuration.siteID else {
      return .application(.forbidden, "The API key has no access to site \(site)", code: "PERMISSION_DENIED")
    }
    return nil
  }
}
