import BoardSupport
import CryptoExtras
import Foundation
import JWTKit

#if canImport(FoundationNetworking)
  import FoundationNetworking
#endif

/// Delivers the site's events to the webhook URL as Wix does: each POST body a compact JWT signed
/// RS256 with a key pair made at start, claims `{data, iat, exp}`. It works from a queue of its
/// own, so the request that caused an event never waits for its delivery; it keeps a log of
/// every attempt and the counters `/_sim/stats` shows.
actor WixWebhooks {
  /// One POST to make: an event's signed body, which copy of it (2 is a duplicate), which attempt.
  struct Delivery: Sendable {
    let eventID: String
    let eventType: String
    let body: String
    let copy: Int
    var attempt = 1
  }

  /// The JWT's claims. Wix's sample token is valid for 300,000 s after `iat`, which also covers
  /// its 48 hours of retries (a retry resends the same token).
  struct Claims: JWTPayload {
    var data: String
    var iat: Int
    var exp: Int

    func verify(using _: some JWTAlgorithm) {}
  }

  let settings: WixWebhookSettings
  /// The `kid` in every token's header.
  nonisolated let keyID: String
  /// The key a receiver verifies tokens with: SPKI PEM (`-----BEGIN PUBLIC KEY-----`), as the
  /// app dashboard shows it.
  nonisolated let publicKeyPEM: String
  private let signingKey: JWTKit.Insecure.RSA.PrivateKey
  private let keys = JWTKeyCollection()
  private let session: URLSession
  private let outbox: AsyncStream<Delivery>.Continuation
  private let outgoing: AsyncStream<Delivery>
  private var random = SeededRandom(seed: 20_261_123)
  private var burst: [Delivery] = []
  private var retries: [UUID: Task<Void, Never>] = [:]
  private var log: [JSONValue] = []
  /// Deliveries accepted and not yet settled: held in a burst, queued, or waiting for a retry.
  private var pending = 0
  private var counters = noStats

  /// The counters before any delivery, and all there is without webhooks.
  static let noStats = ["webhooks_sent": 0, "webhooks_failed": 0, "webhooks_retried": 0, "webhooks_abandoned": 0]

  init(settings: WixWebhookSettings) throws {
    self.settings = settings
    signingKey = try JWTKit.Insecure.RSA.PrivateKey(backing: _RSA.Signing.PrivateKey(keySize: .bits2048))
    publicKeyPEM = signingKey.publicKey.pemRepresentation
    keyID = String(UUID().uuidString.replacingOccurrences(of: "-", with: "").lowercased().prefix(8))
    let configuration = URLSessionConfiguration.ephemeral
    configuration.requestCachePolicy = .reloadIgnoringLocalCacheData
    session = URLSession(configuration: configuration)
    (outgoing, outbox) = AsyncStream.makeStream(of: Delivery.self)
  }

  /// Delivers what `events` yields until it finishes; then pending retries are dropped.
  func run(_ events: AsyncStream<WixEvent>) async {
    await keys.add(rsa: signingKey, digestAlgorithm: .sha256, kid: JWKIdentifier(string: keyID))
    await withDiscardingTaskGroup { group in
      group.addTask { await self.send() }
      for await event in events { await accept(event) }
      outbox.finish()
    }
    for task in retries.values { task.cancel() }
  }

  /// `GET /_sim/webhooks`: every attempt so far, oldest first, and how many deliveries are not
  /// settled yet (answered 2xx, or out of retries).
  func deliveries() -> JSONValue { ["deliveries": .array(log), "pending": .number(Double(pending))] }

  /// `webhooks_sent` (attempts answered 2xx), `webhooks_failed` (other answers, no answer, a
  /// timeout), `webhooks_retried` (attempts after the first), `webhooks_abandoned` (out of retries).
  func stats() -> [String: Int] { counters }

  // MARK: Queue

  /// Signs the event and adds its deliveries (two for a duplicate) to the current burst.
  private func accept(_ event: WixEvent) async {
    let issued = Int(Date().timeIntervalSince1970)
    let claims = Claims(
      data: event.envelope(instanceID: settings.instanceID, appID: settings.appID), iat: issued,
      exp: issued + 300_000)
    let token: String
    do {
      token = try await keys.sign(claims, kid: JWKIdentifier(string: keyID))
    } catch {
      record(Delivery(eventID: event.id, eventType: event.kind.eventType, body: "", copy: 1), nil, "\(error)")
      return
    }
    let copies = random.unit() < settings.duplicateRate ? 2 : 1
    let first = burst.isEmpty
    pending += copies
    for copy in 1...copies {
      burst.append(Delivery(eventID: event.id, eventType: event.kind.eventType, body: token, copy: copy))
    }
    let window = settings.window
    if window == .zero {
      flush()
    } else if first {
      Task {
        try? await Task.sleep(for: window)
        self.flush()
      }
    }
  }

  /// Sends the burst on its way, in a seeded random order when shuffling.
  private func flush() {
    var ready = burst
    burst = []
    if settings.shuffle, ready.count > 1 {
      for index in stride(from: ready.count - 1, to: 0, by: -1) {
        ready.swapAt(index, min(index, Int(random.unit() * Double(index + 1))))
      }
    }
    for delivery in ready { outbox.yield(delivery) }
  }

  /// Makes the attempts one at a time, in queue order.
  private func send() async {
    for await delivery in outgoing {
      let (status, error) = await post(delivery.body)
      record(delivery, status, error)
    }
  }

  private nonisolated func post(_ body: String) async -> (status: Int?, error: String?) {
    var request = URLRequest(url: settings.url, timeoutInterval: Double(settings.timeout / .milliseconds(1)) / 1000)
    request.httpMethod = "POST"
    request.setValue("text/plain; charset=utf-8", forHTTPHeaderField: "Content-Type")
    request.httpBody = Data(body.utf8)
    do {
      let (_, response) = try await session.data(for: request)
      return ((response as? HTTPURLResponse)?.statusCode, nil)
    } catch {
      return (nil, error.localizedDescription)
    }
  }

  /// Logs an attempt and, when it failed, schedules the next one on Wix's resend schedule.
  private func record(_ delivery: Delivery, _ status: Int?, _ error: String?) {
    var entry: [String: JSONValue] = [
      "eventId": .string(delivery.eventID), "eventType": .string(delivery.eventType),
      "attempt": .number(Double(delivery.attempt)), "copy": .number(Double(delivery.copy)),
      "status": status.map { .number(Double($0)) } ?? .null,
      "at": .string(Date().formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))),
    ]
    if let error { entry["error"] = .string(error) }
    log.append(.object(entry))
    if delivery.attempt > 1 { counters["webhooks_retried", default: 0] += 1 }
    if let status, (200..<300).contains(status) {
      counters["webhooks_sent", default: 0] += 1
      pending -= 1
      return
    }
    counters["webhooks_failed", default: 0] += 1
    guard !delivery.body.isEmpty else { return }
    guard delivery.attempt <= WixWebhookSettings.retryDelays.count else {
      counters["webhooks_abandoned", default: 0] += 1
      pending -= 1
      return
    }
    let wait = WixWebhookSettings.retryDelays[delivery.attempt - 1] * settings.retryScale
    var next = delivery
    next.attempt += 1
    let id = UUID()
    retries[id] = Task { [outbox] in
      try? await Task.sleep(for: wait)
      if !Task.isCancelled { outbox.yield(next) }
      self.forget(id)
    }
  }

  private func forget(_ retry: UUID) { retries[retry] = nil }
}
