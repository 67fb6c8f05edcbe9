/// Wix API keys: the raw key in `Authorization` (never "Bearer"), with `wix-site-id` for
/// site-level calls and, when given, `wix-account-id` (clients send both and Wix accepts it).
public struct WixKeyAuthenticator: Authenticator {
  public let siteID: String
  public let accountID: String?
  let key: HTTPSecret

  public init(key: HTTPSecret, siteID: String, accountID: String? = nil) {
    self.key = key
    self.siteID = siteID
    self.accountID = accountID
  }

  public func headers(for request: HTTPRequestSpec) async throws -> [(String, String)] {
    var headers = [("Authorization", key.revealText()), ("wix-site-id", siteID)]
    if let accountID { headers.append(("wix-account-id", accountID)) }
    return headers
  }

  public var description: String {
    "Authorization: \(key), wix-site-id: \(siteID)\(accountID.map { ", wix-account-id: \($0)" } ?? "")"
  }
}
