import ArgumentParser
import BoardSupport
import Foundation

extension SimulatorCommand {
  /// `boardctl-sim wix`.
  struct Wix: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
      abstract: "Simulate the Wix REST APIs: Blog v3, Members v1, Contacts v4, form submissions.",
      discussion: """
        Prints `url: <base URL>`, `api_key: <key>`, `site_id: <site>` and `member_id: <the blog \
        owner's member id>` as its first lines (with --webhook-url, then `webhook_public_key: \
        <base64 of the PEM>`), then serves until stopped. Without a key and outside the rate limit: \
        GET /_sim/stats, PUT /_sim/faults, POST /_sim/edit/draftPosts/{id} (an edit in the Wix \
        editor), POST /_sim/edit/contacts/{id}, POST /_sim/forms/{formId}/submit, GET \
        /_sim/webhook-key, GET /_sim/webhooks.
        """)

    @Option(help: "Port to listen on (0: any free port).") var port = 0
    @Option(help: "The API key the simulator accepts (sent raw in Authorization).") var apiKey = "sim-wix-key"
    @Option(help: "The site id the simulator accepts in wix-site-id.") var siteId = "sim-site"
    @Option(help: "Requests allowed per site in each window (the real API: 200 per 60 s).") var rateLimit = 200
    @Option(help: "The rate-limit window in seconds.") var rateWindow = 60.0
    @Flag(
      name: .customLong("throttle-with-403"),
      help: "Over the limit, answer 403 with an empty message instead of 429 (seen on one endpoint).")
    var throttleWith403 = false
    @Option(help: "Share of requests answered 500, 502 or 503 (0 to 1).") var serverErrorRate = 0.0
    @Option(help: "Share of requests throttled regardless of the limit (0 to 1).") var throttleRate = 0.0
    @Option(help: "Latency added to every request, in milliseconds.") var latencyMs = 0
    @Option(
      help: ArgumentHelp(
        "A fault, for every request or one endpoint: KIND=RATE[@METHOD:/path/prefix]. KIND is server-error, throttle, reset-before, reset-after (the write is committed, then the connection is reset), forbidden (403), latency-ms or hold (requests wait until PUT /_sim/faults clears it). Repeatable, e.g. --fault reset-after=0.2@POST:/blog/v3/draft-posts",
        valueName: "fault"))
    var fault: [String] = []
    @Option(
      help: ArgumentHelp(
        "A JSON file of objects to start with, by collection: members, contacts, draftPosts, categories, tags, submissions.",
        valueName: "file"))
    var seed: String?
    @Option(help: "Added to every draft-post create, in milliseconds (the real API takes 25000 to 30000).")
    var createLatencyMs = 0
    @Option(help: "Share of valid bulk-create items that fail anyway (0 to 1; a seeded draw).")
    var bulkFailureRate = 0.0
    @Option(help: "Comma-separated scopes the key has: blog, contacts, extended-fields, forms, members.")
    var scopes = WixScope.allCases.map(\.rawValue).joined(separator: ",")
    @Flag(help: "The site lacks the Wix Forms app: form-submission calls answer 428.") var noFormsApp = false
    @Option(
      help: ArgumentHelp(
        "Deliver contact, form-submission and member events here, each POST body an RS256 JWT.", valueName: "url"))
    var webhookUrl: String?
    @Option(help: "Share of webhook events delivered twice (0 to 1; a seeded draw).") var webhookDuplicateRate = 0.0
    @Flag(help: "Send the deliveries of a burst in a random (seeded) order (held at least 200 ms).")
    var webhookShuffle = false
    @Option(help: "Hold webhook events this many milliseconds after the first of a burst.") var webhookDelayMs = 0
    @Option(help: "Multiply every webhook retry delay (1 min to 10 h, Wix's 48 hours) by this, e.g. 0.001.")
    var webhookRetryScale = 1.0
    @Option(help: "Count a webhook attempt as failed after this many milliseconds without an answer.")
    var webhookTimeoutMs = 1250

    func run() async throws {
      var configuration = WixSimulator.Configuration()
      configuration.apiKey = apiKey
      configuration.siteID = siteId
      configuration.rateLimit = rateLimit
      configuration.rateWindow = .milliseconds(Int64(rateWindow * 1000))
      configuration.throttleWith403 = throttleWith403
      configuration.serverErrorRate = serverErrorRate
      configuration.throttleRate = throttleRate
      configuration.latency = .milliseconds(latencyMs)
      configuration.createLatency = .milliseconds(createLatencyMs)
      configuration.bulkFailureRate = bulkFailureRate
      configuration.formsApp = !noFormsApp
      configuration.scopes = []
      for name in scopes.split(separator: ",").map({ $0.trimmingCharacters(in: .whitespaces) }) where !name.isEmpty {
        guard let scope = WixScope(rawValue: name) else {
          throw ValidationError(
            "--scopes: '\(name)' is not a scope; use \(WixScope.allCases.map(\.rawValue).joined(separator: ", "))")
        }
        configuration.scopes.insert(scope)
      }
      for text in fault {
        do { try configuration.faults.apply(text) } catch { throw ValidationError("\(error)") }
      }
      if let seed { configuration.seed = try SimulatorSeed.load(seed) }
      configuration.webhooks = try webhookSettings()
      let simulator = WixSimulator(configuration: configuration)
      let member = simulator.ownerMemberID
      let (key, site) = (configuration.apiKey, configuration.siteID)
      // One line whatever the PEM's line breaks: `base64 -d` gives the PEM back.
      let webhookKey = simulator.webhookPublicKeyPEM.map {
        "webhook_public_key: \(Data($0.utf8).base64EncodedString())\n"
      }
      try await SimulatorServer.run(port: port, respond: simulator.respond) { port in
        // Unbuffered, so a parent process reads these lines at once.
        FileHandle.standardOutput.write(
          Data(
            ("url: http://127.0.0.1:\(port)\napi_key: \(key)\nsite_id: \(site)\nmember_id: \(member)\n"
              + (webhookKey ?? "")).utf8))
      }
    }

    private func webhookSettings() throws -> WixWebhookSettings? {
      guard let webhookUrl else { return nil }
      guard let url = URL(string: webhookUrl), ["http", "https"].contains(url.scheme ?? ""), url.host != nil else {
        throw ValidationError("--webhook-url: '\(webhookUrl)' is not an http(s) URL")
      }
      guard (0...1).contains(webhookDuplicateRate) else {
        throw ValidationError("--webhook-duplicate-rate: give a share from 0 to 1")
      }
      guard webhookDelayMs >= 0, webhookTimeoutMs > 0, webhookRetryScale >= 0 else {
        throw ValidationError(
          "--webhook-delay-ms and --webhook-retry-scale cannot be negative; --webhook-timeout-ms must be above 0")
      }
      var settings = WixWebhookSettings(url: url)
      settings.duplicateRate = webhookDuplicateRate
      settings.shuffle = webhookShuffle
      settings.delay = .milliseconds(webhookDelayMs)
      settings.retryScale = webhookRetryScale
      settings.timeout = .milliseconds(webhookTimeoutMs)
      return settings
    }
  }
}
