import BoardHTTP
import BoardSupport
import BoardTesting
import Foundation
import Testing

#if canImport(Glibc)
  import Glibc
#endif

/// A `boardctl-sim wix` process delivering webhooks to a Python receiver, and a client for both.
struct WebhookRig {
  let folder: TemporaryFolder
  let url: String
  let values: [String: String]
  let http: BoardHTTPClient

  var records: String { folder.path + "/records.jsonl" }

  /// A request; `auth` adds the key and site id.
  @discardableResult
  func send(_ method: HTTPRequestSpec.Method, _ path: String, _ body: String? = nil, auth: Bool = true)
    async throws -> (status: Int, json: JSONValue)
  {
    var headers: [(String, String)] = body == nil ? [] : [("Content-Type", "application/json")]
    if auth { headers += [("Authorization", values["api_key"] ?? ""), ("wix-site-id", values["site_id"] ?? "")] }
    let result = try await http.send(
      HTTPRequestSpec(method, url + path, headers: headers, body: body.map { Data($0.utf8) }))
    return (result.status, JSONValue.parse(result.body) ?? .null)
  }

  /// `GET /_sim/webhooks`: every attempt, oldest first.
  func deliveries() async throws -> [JSONValue] {
    try await send(.GET, "/_sim/webhooks", auth: false).json["deliveries"]?.array ?? []
  }

  /// Deliveries the simulator has not settled yet.
  func pending() async throws -> Int { try await send(.GET, "/_sim/webhooks", auth: false).json["pending"]?.int ?? -1 }

  func counters() async throws -> JSONValue {
    try await send(.GET, "/_sim/stats", auth: false).json["counters"] ?? .null
  }

  /// What the receiver was sent, each POST `{n, status, body}` in arrival order.
  func received() -> [JSONValue] {
    let text = folder.read("records.jsonl") ?? ""
    return text.split(separator: "\n").compactMap { JSONValue.parse(Data($0.utf8)) }
  }

  /// The received bodies as PyJWT reads them, each verified (RS256) with `pem`: header, claims,
  /// the parsed envelope, the entity. Fails the test when a signature does not verify.
  func decoded(pem: String, sourceLocation: SourceLocation = #_sourceLocation) async throws -> [JSONValue] {
    let key = folder.write("key.pem", pem)
    let run = try await ChildProcess("/usr/bin/env", ["python3", "-c", WebhookRig.decoder, records, key]).run()
    #expect(run.succeeded, "PyJWT could not verify the deliveries: \(run.errorText)", sourceLocation: sourceLocation)
    return JSONValue.parse(run.stdout)?.array ?? []
  }

  /// Records every POST and answers 500 to the first `argv[3]`, 200 after; announces its port.
  static let receiver = #"""
    import http.server, json, sys, threading
    records, announce, failures = sys.argv[1], sys.argv[2], int(sys.argv[3])
    lock = threading.Lock()
    seen = [0]
    class Receiver(http.server.BaseHTTPRequestHandler):
        def do_POST(self):
            body = self.rfile.read(int(self.headers.get("Content-Length", "0"))).decode()
            with lock:
                seen[0] += 1
                status = 500 if seen[0] <= failures else 200
                with open(records, "a") as f:
                    f.write(json.dumps({"n": seen[0], "status": status, "body": body,
                                        "type": self.headers.get("Content-Type")}) + "\n")
            self.send_response(status)
            self.send_header("Content-Length", "0")
            self.end_headers()
        def log_message(self, *args):
            pass
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    with open(announce, "w") as f:
        f.write("port: %d\n" % server.server_address[1])
    server.serve_forever()
    """#

  /// Verifies and unpacks every recorded body with PyJWT; a tampered copy of the first must fail.
  static let decoder = #"""
    import json, sys, jwt
    records = [json.loads(line) for line in open(sys.argv[1]) if line.strip()]
    pem = open(sys.argv[2]).read()
    out = []
    for record in records:
        token = record["body"]
        claims = jwt.decode(token, pem, algorithms=["RS256"])
        assert isinstance(claims["data"], str), "data is not a JSON string"
        envelope = json.loads(claims["data"])
        assert isinstance(envelope["data"], str) and isinstance(envelope["identity"], str)
        inner = json.loads(envelope["data"])
        change = "createdEvent" if "createdEvent" in inner else "updatedEvent"
        text = inner[change]["entityAsJson" if change == "createdEvent" else "currentEntityAsJson"]
        assert isinstance(text, str), "the entity is not a JSON string"
        out.append({"n": record["n"], "status": record["status"], "contentType": record["type"],
                    "header": jwt.get_unverified_header(token), "iat": claims["iat"], "exp": claims["exp"],
                    "eventType": envelope["eventType"], "instanceId": envelope["instanceId"],
                    "identity": json.loads(envelope["identity"]), "change": change, "entity": json.loads(text),
                    "inner": {k: v for k, v in inner.items() if k not in ("createdEvent", "updatedEvent")}})
    if records:
        head, payload, signature = records[0]["body"].split(".")
        forged = head + "." + payload + "." + ("A" if signature[0] != "A" else "B") + signature[1:]
        try:
            jwt.decode(forged, pem, algorithms=["RS256"])
            sys.exit("a forged signature verified")
        except jwt.InvalidSignatureError:
            pass
    print(json.dumps(out))
    """#
}

/// Starts the receiver (failing its first `failures` POSTs) and `boardctl-sim wix` delivering to
/// it with `arguments`, runs `body`, then stops both.
func withWebhookRig(
  failures: Int = 0, _ arguments: [String] = [], webhookURL: String? = nil, _ body: (WebhookRig) async throws -> Void
) async throws {
  let folder = TemporaryFolder()
  let announce = folder.path + "/receiver-port"
  let receiver = try ChildProcess(
    "/usr/bin/env", ["python3", "-c", WebhookRig.receiver, folder.path + "/records.jsonl", announce, "\(failures)"]
  ).start()
  defer { receiver.send(SIGTERM) }
  let port = try await WebhookRig.poll("the receiver announces its port", within: .seconds(30)) { () -> String? in
    try #require(receiver.isRunning, "the Python receiver exited")
    guard let text = folder.read("receiver-port"), text.hasSuffix("\n") else { return nil }
    return text.dropFirst("port: ".count).trimmingCharacters(in: .whitespacesAndNewlines)
  }
  let target = webhookURL ?? "http://127.0.0.1:\(port)/wix/events"
  let (simulator, values) = try await SimulatorProcess.launch(
    "wix",
    ["--webhook-url", target, "--webhook-retry-scale", "0.001", "--webhook-timeout-ms", "10000"] + arguments,
    announcing: ["url", "api_key", "site_id", "member_id", "webhook_public_key"])
  defer { simulator.send(SIGTERM) }
  try await withHTTPRuntime { runtime in
    let http = BoardHTTPClient(
      runtime: runtime,
      .init(
        board: "webhook-test", rateLimit: RateLimit(1000, per: .seconds(1)),
        policy: RetryPolicy(maxAttempts: 1, rateLimitWait: .zero)))
    try await body(WebhookRig(folder: folder, url: values["url"]!, values: values, http: http))
  }
}

extension WebhookRig {
  /// Polls `check` until it gives a value, or fails once `within` has passed.
  static func poll<T>(
    _ what: String, within limit: Duration = .seconds(60), sourceLocation: SourceLocation = #_sourceLocation,
    _ check: () async throws -> T?
  ) async throws -> T {
    let deadline = ContinuousClock.now + limit
    while true {
      if let value = try await check() { return value }
      guard ContinuousClock.now < deadline else {
        Issue.record("timed out waiting until \(what)", sourceLocation: sourceLocation)
        throw Timeout(what: what)
      }
      try await Task.sleep(for: .milliseconds(20))
    }
  }

  struct Timeout: Error { var what: String }
}

// One test at a time: each starts a simulator process (and boardctl runs), and all at once they
// would load a 2-core machine enough to starve the suite's timing-sensitive tests.
@Suite("Wix simulator: webhooks out", .serialized)
struct WixWebhookTests {
  @Test("contacts, a form submission and a member arrive as verified RS256 JWTs, one of them again after a 500")
  func deliversSignedEventsAndRetries() async throws {
    try await withWebhookRig(failures: 1) { rig in
      let announced = Data(base64Encoded: rig.values["webhook_public_key"] ?? "").map {
        String(decoding: $0, as: UTF8.self)
      }
      let served = try await rig.http.send(HTTPRequestSpec(.GET, rig.url + "/_sim/webhook-key"))
      let pem = String(decoding: served.body, as: UTF8.self)
      #expect(pem.hasPrefix("-----BEGIN PUBLIC KEY-----"))
      #expect(announced == pem, "the announced key is the served one")

      let created = try await rig.send(
        .POST, "/contacts/v4/contacts",
        #"{"info": {"name": {"first": "Ana", "last": "Tui"}, "emails": {"items": [{"email": "ana@acme.example"}]}}}"#)
      let contactID = try #require(created.json["contact"]?["id"]?.string)
      try await rig.send(
        .PATCH, "/contacts/v4/contacts/\(contactID)", #"{"revision": 1, "info": {"name": {"first": "Anaseini"}}}"#)
      try await rig.send(
        .POST, "/_sim/edit/contacts/\(contactID)", #"{"info": {"jobTitle": "Welder"}}"#, auth: false)
      let submitted = try await rig.send(
        .POST, "/_sim/forms/apply-form/submit", #"{"submissions": {"first_name": "Sione"}}"#, auth: false)
      let submissionID = try #require(submitted.json["submission"]?["id"]?.string)
      let member = try await rig.send(
        .POST, "/members/v1/members", #"{"member": {"loginEmail": "sione@acme.example"}}"#)
      let memberID = try #require(member.json["member"]?["id"]?.string)
      let memberContactID = try #require(member.json["member"]?["contactId"]?.string)

      // Six events, the first answered 500 once: seven POSTs, and every event delivered.
      let log = try await WebhookRig.poll("six events are delivered") {
        let log = try await rig.deliveries()
        let delivered = Set(log.filter { $0["status"] == 200 }.compactMap { $0["eventId"]?.string })
        let settled = try await rig.pending() == 0
        return delivered.count == 6 && settled && rig.received().count == 7 ? log : nil
      }
      let events = try await rig.decoded(pem: pem)
      try #require(events.count == 7)

      #expect(events[0]["status"] == 500)
      let retried = try #require(events[0]["inner"]?["id"]?.string)
      #expect(events.dropFirst().contains { $0["inner"]?["id"]?.string == retried && $0["status"] == 200 })
      #expect(log.contains { $0["eventId"]?.string == retried && $0["attempt"] == 2 && $0["status"] == 200 })
      let counters = try await rig.counters()
      #expect(counters["webhooks_sent"] == 6)
      #expect(counters["webhooks_failed"] == 1)
      #expect(counters["webhooks_retried"] == 1)

      // Each delivered event once, by what it says happened.
      let delivered = events.filter { $0["status"] == 200 }
      func event(_ type: String, _ entityID: String) -> [JSONValue] {
        delivered.filter { $0["eventType"]?.string == type && $0["inner"]?["entityId"]?.string == entityID }
      }
      let contactCreated = event("wix.contacts.v4.contact_created", contactID)
      let contactUpdated = event("wix.contacts.v4.contact_updated", contactID)
      let submission = event("wix.forms.v4.submission_created", submissionID)
      let memberCreated = event("wix.members.v1.member_created", memberID)
      #expect(contactCreated.count == 1)
      #expect(contactUpdated.count == 2)
      #expect(submission.count == 1)
      #expect(memberCreated.count == 1)
      #expect(event("wix.contacts.v4.contact_created", memberContactID).count == 1, "a member's contact is created too")

      for entry in delivered {
        #expect(entry["header"]?["alg"] == "RS256")
        #expect(entry["header"]?["kid"]?.string?.isEmpty == false)
        #expect(entry["identity"]?["identityType"] == "APP")
        #expect(entry["identity"]?["appId"]?.string?.isEmpty == false)
        #expect(entry["instanceId"]?.string?.isEmpty == false)
        #expect(entry["inner"]?["triggeredByAnonymizeRequest"] == false)
        #expect(entry["inner"]?["entityId"] == entry["entity"]?["id"])
        #expect((entry["exp"]?.int ?? 0) > (entry["iat"]?.int ?? 0))
        #expect(entry["contentType"]?.string?.hasPrefix("text/plain") == true)
      }
      #expect(Set(delivered.compactMap { $0["inner"]?["id"]?.string }).count == 6, "each event has its own id")
      #expect(Set(delivered.compactMap { $0["header"]?["kid"]?.string }).count == 1, "one key signs them all")

      let contact = try #require(contactCreated.first)
      #expect(contact["inner"]?["entityFqdn"] == "wix.contacts.v4.contact")
      #expect(contact["inner"]?["slug"] == "created")
      #expect(contact["change"] == "createdEvent")
      #expect(contact["entity"]?["primaryInfo"]?["email"] == "ana@acme.example")
      let updates = contactUpdated.sorted {
        ($0["entity"]?["revision"]?.int ?? 0) < ($1["entity"]?["revision"]?.int ?? 0)
      }
      #expect(updates.map { $0["inner"]?["slug"] } == ["updated", "updated"])
      #expect(updates.map { $0["change"] } == ["updatedEvent", "updatedEvent"])
      #expect(updates.map { $0["entity"]?["revision"] } == [2, 3])
      #expect(updates.first?["entity"]?["info"]?["name"]?["first"] == "Anaseini")
      #expect(updates.last?["entity"]?["info"]?["jobTitle"] == "Welder")
      #expect(updates.first?["inner"]?["eventTime"] == updates.first?["entity"]?["updatedDate"])
      let form = try #require(submission.first)
      #expect(form["inner"]?["entityFqdn"] == "wix.forms.v4.submission")
      #expect(form["entity"]?["formId"] == "apply-form")
      #expect(form["entity"]?["submissions"]?["first_name"] == "Sione")
      let joined = try #require(memberCreated.first)
      #expect(joined["inner"]?["entityFqdn"] == "wix.members.v1.member")
      #expect(joined["inner"]?["slug"] == "created")
      #expect(joined["entity"]?["loginEmail"] == "sione@acme.example")
      #expect(joined["entity"]?["contactId"]?.string == memberContactID)
    }
  }

  @Test("with duplicates and shuffling on, every event arrives, some twice, out of order")
  func duplicatesAndShuffles() async throws {
    // A burst window long enough for all eight creates to fall in it, even on a loaded machine.
    let arguments = ["--webhook-duplicate-rate", "0.5", "--webhook-shuffle", "--webhook-delay-ms", "6000"]
    try await withWebhookRig(arguments) { rig in
      var contacts: [String] = []
      for index in 0..<8 {
        let created = try await rig.send(
          .POST, "/contacts/v4/contacts", #"{"info": {"name": {"first": "Person \#(index)"}}}"#)
        contacts.append(try #require(created.json["contact"]?["id"]?.string))
      }
      let log = try await WebhookRig.poll("every contact's event is delivered") {
        let log = try await rig.deliveries()
        let delivered = Set(log.filter { $0["status"] == 200 }.compactMap { $0["eventId"]?.string })
        let settled = try await rig.pending() == 0
        return delivered.count == 8 && settled && rig.received().count == log.count ? log : nil
      }
      let events = try await rig.decoded(pem: Self.pem(rig))
      let arrived = events.compactMap { $0["inner"]?["entityId"]?.string }
      #expect(Set(arrived) == Set(contacts), "each contact's event arrives at least once")
      let copies = Dictionary(grouping: events.compactMap { $0["inner"]?["id"]?.string }, by: { $0 })
      #expect(copies.count == 8)
      #expect(copies.values.contains { $0.count == 2 }, "some events arrive twice")
      #expect(copies.values.allSatisfy { $0.count <= 2 })
      #expect(log.filter { $0["copy"] == 2 }.count == events.count - 8)
      var firstArrivals: [String] = []
      for id in arrived where !firstArrivals.contains(id) { firstArrivals.append(id) }
      #expect(firstArrivals != contacts, "the burst was delivered out of order")
      let counters = try await rig.counters()
      #expect(counters["webhooks_sent"]?.int == events.count)
    }
  }

  @Test("a receiver that cannot be reached gets the attempt again, on the compressed schedule")
  func retriesWhenUnreachable() async throws {
    let closed = "http://127.0.0.1:\(try LoopbackSocket.freePort())/events"
    try await withWebhookRig([], webhookURL: closed) { rig in
      try await rig.send(.POST, "/contacts/v4/contacts", #"{"info": {"name": {"first": "Nobody"}}}"#)
      let log = try await WebhookRig.poll("three attempts have failed") {
        let log = try await rig.deliveries()
        return log.count >= 3 ? log : nil
      }
      #expect(log.prefix(3).map { $0["attempt"] } == [1, 2, 3])
      #expect(log.allSatisfy { $0["status"] == .null && $0["error"]?.string != nil })
      #expect(Set(log.compactMap { $0["eventId"]?.string }).count == 1)
      let counters = try await rig.counters()
      #expect((counters["webhooks_failed"]?.int ?? 0) >= 3)
      #expect((counters["webhooks_retried"]?.int ?? 0) >= 2)
      #expect(counters["webhooks_sent"] == 0)
    }
  }

  @Test("without --webhook-url there is no key line and nothing to deliver")
  func offByDefault() async throws {
    let (simulator, values) = try await SimulatorProcess.launch(
      "wix", [], announcing: ["url", "api_key", "site_id", "member_id"])
    defer { simulator.send(SIGTERM) }
    #expect(values["webhook_public_key"] == nil)
    try await withHTTPRuntime { runtime in
      let http = BoardHTTPClient(
        runtime: runtime, .init(board: "webhook-test", rateLimit: RateLimit(100, per: .seconds(1))))
      let key = try await http.send(HTTPRequestSpec(.GET, values["url"]! + "/_sim/webhook-key"))
      #expect(key.status == 404)
      let stats = JSONValue.parse(try await http.send(HTTPRequestSpec(.GET, values["url"]! + "/_sim/stats")).body)
      #expect(stats?["counters"]?["webhooks_sent"] == 0)
    }
  }

  static func pem(_ rig: WebhookRig) -> String {
    Data(base64Encoded: rig.values["webhook_public_key"] ?? "").map { String(decoding: $0, as: UTF8.self) } ?? ""
  }
}
