/// Why a request failed for good. URLs in it are redacted; it never carries a header.
public enum HTTPFailure: Error, Sendable, CustomStringConvertible {
  /// The platform could not be reached (refused, DNS, timeout), after the retries allowed.
  case unreachable(url: String, reason: String)
  /// A write's connection failed after it was sent: the platform may or may not have acted.
  /// The adapter must look (by ownership tag) before trying again.
  case writeOutcomeUnknown(url: String, reason: String)
  /// Still failing (5xx) when the attempts or the time ran out.
  case gaveUp(url: String, status: Int, attempts: Int)
  /// Still rate limited (429) when the time allowed for waiting out the platform's window ran
  /// out; `board` names the client, `limit` the documented rate limit.
  case rateLimited(url: String, board: String, limit: RateLimit, waited: Duration)
  /// A page of a paged list was answered with a status other than 2xx; the answer is kept so an
  /// adapter can turn the platform's error body into its own words.
  case unsuccessful(url: String, result: HTTPResult)
  /// A page's paging data was unreadable, or pointed somewhere a credential must not go.
  case badPage(url: String, reason: String)
  /// The runtime the client belongs to was shut down: the command or server is finishing.
  case shutDown(url: String)
  /// The request would have carried the board's credential to a host it was not sealed for;
  /// nothing was sent.
  case credentialNotAllowed(url: String, board: String, allowed: String)

  public var description: String {
    switch self {
    case .unreachable(let url, let reason): return "cannot reach \(url): \(reason)"
    case .writeOutcomeUnknown(let url, let reason):
      return "the connection failed after a write was sent to \(url) (\(reason)); whether it was applied is unknown"
    case .gaveUp(let url, let status, let attempts):
      return "\(url) still answered \(status) after \(attempts) attempt\(attempts == 1 ? "" : "s")"
    case .rateLimited(let url, let board, let limit, let waited):
      return
        "rate limited by \(board) (\(limit)): \(url) still answered 429 after \(waited.spoken) of waiting for the rate-limit window; gave up"
    case .unsuccessful(let url, let result): return "\(url) answered \(result.status)"
    case .badPage(let url, let reason): return "cannot page through \(url): \(reason)"
    case .shutDown(let url): return "not sent to \(url): the HTTP runtime was shut down"
    case .credentialNotAllowed(let url, let board, let allowed):
      return
        "not sent to \(url): board '\(board)' would carry its credential to a host it was not sealed for (sealed for \(allowed)); seal the credential again with --host naming that host if it is the platform's"
    }
  }
}
