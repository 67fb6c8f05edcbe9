import BoardHTTP
import BoardSupport
import Foundation
import Hummingbird
import Testing

@Suite("Credential hosts: a credential is sent only where it was sealed for")
struct CredentialHostHTTPTests {
  @Test("a request to a host the credential was not sealed for is refused before anything is sent")
  func refusedHost() async throws {
    try await withServer({ router, _ in
      router.get("/users/") { _, _ in response(.ok, "[]") }
    }) { base, log in
      try await withHTTPRuntime { runtime in
        let port = try #require(URLComponents(string: base)?.port)
        let token = TokenAuthenticator(token: HTTPSecret { "canary-host-3b7e" })
        var configuration = client(runtime, authenticator: token).configuration
        configuration.credentialHosts = CredentialHosts(["api.example.com"])
        let http = BoardHTTPClient(runtime: runtime, configuration)
        await #expect {
          _ = try await http.send(HTTPRequestSpec(.GET, base + "/users/"))
        } throws: { error in
          guard case HTTPFailure.credentialNotAllowed(_, _, let allowed) = error else { return false }
          return allowed == "api.example.com" && !"\(error)".contains("canary-host-3b7e")
        }
        #expect(await log.count("/users/") == 0)
        // The same host on its port is allowed.
        configuration.credentialHosts = CredentialHosts(["127.0.0.1:\(port)"])
        let allowed = BoardHTTPClient(runtime: runtime, configuration)
        #expect(try await allowed.send(HTTPRequestSpec(.GET, base + "/users/")).status == 200)
        #expect(await log.count("/users/") == 1)
      }
    }
  }

  @Test("a redirect is returned as the answer, never followed with the credential")
  func redirectNotFollowed() async throws {
    try await withServer({ router, _ in
      router.get("/collect") { _, _ in response(.ok, "got it") }
    }) { collector, collected in
      try await withServer({ router, _ in
        router.get("/users/") { _, _ in response(.found, headers: [.location: collector + "/collect"]) }
      }) { base, _ in
        try await withHTTPRuntime { runtime in
          let http = client(runtime, authenticator: TokenAuthenticator(token: HTTPSecret { "canary-redirect-19c2" }))
          let answer = try await http.send(HTTPRequestSpec(.GET, base + "/users/"))
          #expect(answer.status == 302)
          #expect(await collected.count("/collect") == 0)
        }
      }
    }
  }

  @Test("host entries: a host alone means the scheme's default port; a URL or host:port names its port")
  func entries() {
    let hosts = CredentialHosts(["API.Manatal.com", "http://127.0.0.1:8080/open/v3", "localhost:9000"])
    #expect(hosts.entries == ["127.0.0.1:8080", "api.manatal.com", "localhost:9000"])
    #expect(hosts.allows("https://api.manatal.com/open/v3/jobs/"))
    #expect(!hosts.allows("https://api.manatal.com:8443/open/v3/jobs/"))
    #expect(!hosts.allows("https://api.manatal.com.evil.example/"))
    #expect(hosts.allows("http://127.0.0.1:8080/x"))
    #expect(!hosts.allows("http://127.0.0.1:8081/x"))
    #expect(!hosts.allows("ftp://api.manatal.com/"))
    #expect(!hosts.allows("https://user@evil.example/@api.manatal.com"))
    #expect(CredentialHosts.entry(from: "not a host/") == nil)
  }
}
