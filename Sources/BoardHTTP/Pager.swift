/// How a paged list is walked, one request per page: `first` asks for the first page, and
/// `next` turns the request just sent and its answer into the next page's request, or nil after
/// the last. Every paging style (a next URL, a cursor, an offset; in the URL or in a POST body)
/// is one such pair; `BoardHTTPClient.pages(_:decode:)` walks any of them.
public struct Pager: Sendable {
  /// The request for the page after `sent`, given its `answer`; nil when that was the last page.
  public typealias Next = @Sendable (_ sent: HTTPRequestSpec, _ answer: HTTPResult) throws -> HTTPRequestSpec?

  /// The first page's request, paging parameters included.
  public var first: HTTPRequestSpec
  /// The next page's request after each answer, or nil after the last page.
  public var next: Next

  public init(first: HTTPRequestSpec, next: @escaping Next) {
    self.first = first
    self.next = next
  }
}
