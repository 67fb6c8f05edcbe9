import BoardHTTP
import Foundation
import Hummingbird
import Logging
import Testing

/// An authenticator whose token the server rejects until it is renewed: the shape of an OAuth2
/// client-credentials token that expired.
actor RenewingAuthenticator: Authenticator {
  private(set) var generation = 1
  private(set) var asked = 0

  func headers(for request: HTTPRequestSpec) async throws -> [(String, String)] {
    asked += 1
    return [("Authorization", "Bearer gen-\(generation)")]
  }

  func renew(afterRejecting request: HTTPRequestSpec) async throws -> Bool {
    generation += 1
    return true
  }

  nonisolated var description: String { "Bearer (renewing)" }
}

@Suite("Authenticators: headers on every attempt, secrets nowhere else")
struct AuthenticatorTests {
  @Test(
    "a token authenticator's header reaches the server on every attempt, and never a log, an error or a description")
  func tokenCanary() async throws {
    let canary = "manatal-canary-7f3e"
    let attempts = Attempts()
    let captured = CapturedLogs()
    var logger = Logger(label: "test") { _ in captured }
    logger.logLevel = .trace
    try await withServer({ router, _ in
      router.get("/users/") { _, _ in
        await attempts.next("users") == 1 ? response(.badGateway) : response(.ok, "[]")
      }
      router.get("/down/") { _, _ in response(.serviceUnavailable) }
    }) { base, log in
      try await withHTTPRuntime { runtime in
        let authenticator = TokenAuthenticator(token: HTTPSecret { canary })
        let http = client(runtime, attempts: 2, authenticator: authenticator, logger: logger)
        let answer = try await http.send(HTTPRequestSpec(.GET, base + "/users/"))
        #expect(answer.status == 200)
        #expect(await log.entries("/users/").map(\.authorization) == ["Token \(canary)", "Token \(canary)"])

        let failure = await #expect(throws: HTTPFailure.self) {
          _ = try await http.send(HTTPRequestSpec(.GET, base + "/down/"))
        }
        var printed = [
          String(describing: authenticator), String(reflecting: authenticator), "\(HTTPSecret { canary })",
          String(describing: http), String(reflecting: http), String(describing: failure),
        ]
        var dumped = ""
        dump(http.configuration, to: &dumped)
        printed.append(dumped)
        for text in printed + captured.lines { #expect(!text.contains(canary), "\(text)") }
        #expect(String(describing: authenticator) == "Authorization: Token (sensitive value)")
      }
    }
  }

  @Test("Wix: the raw key in Authorization (never Bearer), wix-site-id, and wix-account-id when given")
  func wixHeaders() async throws {
    let key = "IST.wix-canary-91ab"
    try await withServer({ router, _ in
      router.post("/contacts/v4/contacts/query") { _, _ in response(.ok, "{}") }
    }) { base, log in
      try await withHTTPRuntime { runtime in
        let site = WixKeyAuthenticator(key: HTTPSecret { key }, siteID: "site-1")
        let account = WixKeyAuthenticator(key: HTTPSecret { key }, siteID: "site-1", accountID: "account-9")
        for authenticator in [site, account] {
          _ = try await client(runtime, authenticator: authenticator).send(
            HTTPRequestSpec(.POST, base + "/contacts/v4/contacts/query", body: Data("{}".utf8)))
        }
        let received = await log.entries("/contacts/v4/contacts/query").map(\.headers)
        #expect(received.count == 2)
        for headers in received {
          #expect(headers["authorization"] == key)
          #expect(headers["wix-site-id"] == "site-1")
        }
        #expect(received[0]["wix-account-id"] == nil)
        #expect(received[1]["wix-account-id"] == "account-9")
        #expect(!String(describing: account).contains(key))
        #expect(String(describing: account).contains("wix-site-id: site-1"))
      }
    }
  }

  @Test("a 401 is sent once more when the authenticator renewed its credential, with the new one")
  func renewsAfter401() async throws {
    try await withServer({ router, _ in
      router.get("/me") { request, _ in
        request.headers[.authorization] == "Bearer gen-2" ? response(.ok, "me") : response(.unauthorized)
      }
    }) { base, log in
      try await withHTTPRuntime { runtime in
        let authenticator = RenewingAuthenticator()
        let http = client(runtime, authenticator: authenticator)
        let answer = try await http.send(HTTPRequestSpec(.GET, base + "/me"))
        #expect(answer.status == 200)
        #expect(await log.entries("/me").map(\.authorization) == ["Bearer gen-1", "Bearer gen-2"])
        #expect(await authenticator.asked == 2)
      }
    }
  }

  @Test("a static key is not renewed: the 401 is the answer, sent once")
  func staticKey401() async throws {
    try await withServer({ router, _ in
      router.get("/me") { _, _ in response(.unauthorized, #"{"detail": "Invalid token."}"#) }
    }) { base, log in
      try await withHTTPRuntime { runtime in
        let http = client(runtime, authenticator: TokenAuthenticator(token: HTTPSecret { "wrong" }))
        let answer = try await http.send(HTTPRequestSpec(.GET, base + "/me"))
        #expect(answer.status == 401)
        #expect(await log.count("/me") == 1)
      }
    }
  }
}
