import BoardSpec

/// A posting as one board publishes it: overrides applied, title and description rendered
/// through the template.
public struct ResolvedPosting: Sendable, Hashable {
  public var posting: Posting
  public var board: Board
  public var fields: PostingFields
  public var organization: Organization?

  public init(posting: Posting, board: Board, fields: PostingFields, organization: Organization?) {
    self.posting = posting
    self.board = board
    self.fields = fields
    self.organization = organization
  }

  /// The posting's title after template and overrides (always present: the schema requires it).
  public var title: String { fields.title ?? posting.name }
  public var description: String { fields.description ?? "" }
  /// The last day it may be published (`valid_through`), when set.
  public var expiry: CalendarDate? { fields.validThrough.flatMap(CalendarDate.init) }
}
