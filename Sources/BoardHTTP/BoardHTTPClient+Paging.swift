extension BoardHTTPClient {
  /// Every item of a paged list, one request per page (never one per object), in order. `decode`
  /// reads one page's items; a page answered other than 2xx ends the walk with
  /// `HTTPFailure.unsuccessful`, which keeps the answer for the adapter's own error.
  public func pages<Item>(_ pager: Pager, decode: (HTTPResult) throws -> [Item]) async throws -> [Item] {
    var items: [Item] = []
    var request: HTTPRequestSpec? = pager.first
    while let current = request {
      let answer = try await send(current)
      guard answer.succeeded else { throw HTTPFailure.unsuccessful(url: Redaction.url(current.url), result: answer) }
      items += try decode(answer)
      request = try pager.next(current, answer)
    }
    return items
  }
}
