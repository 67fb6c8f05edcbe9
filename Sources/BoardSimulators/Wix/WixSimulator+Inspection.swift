import BoardSupport
import Foundation
import Hummingbird
import NIOCore

/// What tests and rehearsals may use without a key and outside the rate limit.
extension WixSimulator {
  /// `GET /_sim/stats`, `PUT /_sim/faults`, `POST /_sim/edit/draftPosts/{id}[?publish=false]`
  /// (an edit in the Wix editor), `POST /_sim/edit/contacts/{id}` (an edit in the dashboard),
  /// `POST /_sim/forms/{formId}/submit` (a visitor submits a form), `GET /_sim/webhook-key` (the
  /// PEM receivers verify with), `GET /_sim/webhooks` (every delivery attempt).
  func inspect(_ request: Request, path: String) async throws -> Response {
    let body = try await request.body.collect(upTo: 1024 * 1024)
    let json = body.readableBytes == 0 ? nil : JSONValue.parse(Data(body.readableBytesView))
    let parts = path.split(separator: "/").dropFirst().map { $0.removingPercentEncoding ?? String($0) }
    switch (request.method, parts.first ?? "", parts.count) {
    case (.get, "stats", 1):
      var stats = await traffic.stats()
      stats.merge(await site.stats()) { _, new in new }
      let sent = await webhooks?.stats() ?? WixWebhooks.noStats
      var counters = stats["counters"]?.object ?? [:]
      for (key, value) in sent { counters[key] = .number(Double(value)) }
      stats["counters"] = .object(counters)
      return SimulatorServer.json(.ok, JSONValue.object(stats))
    case (.get, "webhook-key", 1):
      guard let pem = webhooks?.publicKeyPEM else { return Self.noWebhooks.response }
      return Response(
        status: .ok, headers: [.contentType: "application/x-pem-file"],
        body: .init(byteBuffer: ByteBuffer(string: pem)))
    case (.get, "webhooks", 1):
      guard let webhooks else { return Self.noWebhooks.response }
      return SimulatorServer.json(.ok, await webhooks.deliveries())
    case (.put, "faults", 1):
      guard let faults = try? JSONDecoder().decode(SimulatorFaults.self, from: Data(body.readableBytesView)) else {
        return WixError.malformed("expected {\"all\": {...}, \"endpoints\": {...}}").response
      }
      await traffic.setFaults(faults)
      return SimulatorServer.json(.ok, faults)
    case (.post, "edit", 3) where parts[1] == "draftPosts":
      guard case .object(let changes)? = json else {
        return WixError.malformed("expected an object of fields").response
      }
      let republish = request.uri.queryParameters["publish"] != "false"
      guard let draft = await site.editDraftPost(parts[2], changes, publish: republish) else {
        return WixError.notFound("Draft post", parts[2]).response
      }
      return SimulatorServer.json(.ok, JSONValue.object(["draftPost": draft]))
    case (.post, "edit", 3) where parts[1] == "contacts":
      guard let changes = json, changes.object != nil else {
        return WixError.malformed("expected {\"info\": {...}}").response
      }
      guard let contact = await site.editContact(parts[2], changes) else {
        return WixError.notFound("Contact", parts[2]).response
      }
      return SimulatorServer.json(.ok, JSONValue.object(["contact": contact]))
    case (.post, "forms", 3) where parts[2] == "submit":
      guard let values = json?["submissions"], values.object != nil else {
        return WixError.malformed("expected {\"submissions\": {field: value}}").response
      }
      let answer = await site.submit(formId: parts[1], values: values, namespace: json?["namespace"]?.string)
      return SimulatorServer.json(.ok, answer)
    default:
      return WixError.application(.notFound, "Not Found", code: "NOT_FOUND").response
    }
  }

  static let noWebhooks = WixError.application(
    .notFound, "No webhook is configured: start the simulator with --webhook-url", code: "NO_WEBHOOK")
}
