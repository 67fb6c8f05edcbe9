import BoardSpec
import BoardSupport

/// What the configuration wants on a board: one placement (posting × board) or other owned object.
public struct DesiredResource: Sendable, Hashable {
  public var address: Address
  public var platform: String
  public var attributes: Attributes
  /// Digest of everything the rendered artifact depends on besides the attributes (layout,
  /// renderer version), for platforms that render files; a change rewrites the artifact.
  public var renderKey: String?
  public var onRemove: Posting.OnRemove
  /// Where the posting is defined, for messages.
  public var source: SourceLocation?
  /// Why the resource exists, as a new one's plan entry says it.
  public var origin: String
  /// What the board sends beside the attributes, derived from the same posting and not
  /// compared by the diff (Wix's rich content, whose readable rendition is an attribute); a
  /// change to it reaches the plan through `renderKey`.
  public var payload: JSONValue?
  /// What a reviewer should know about how the resource was derived (an Indeed job linking to
  /// its apply_url because the posting has no careers page); added to the reason of any change.
  public var note: String?

  public init(
    address: Address, platform: String, attributes: Attributes, renderKey: String? = nil,
    onRemove: Posting.OnRemove = .close, source: SourceLocation? = nil,
    origin: String = "the posting lists this board", note: String? = nil, payload: JSONValue? = nil
  ) {
    self.payload = payload
    self.origin = origin
    self.note = note
    self.address = address
    self.platform = platform
    self.attributes = attributes
    self.renderKey = renderKey
    self.onRemove = onRemove
    self.source = source
  }
}

/// What state remembers of a resource: the last applied attributes, never a secret.
public struct StateRecord: Sendable, Hashable, Codable {
  public enum Status: String, Sendable, Hashable, Codable {
    /// Published on the board.
    case open
    /// Unpublished; kept so that reopening reuses its identity (Indeed referencenumber, datePosted).
    case closed
    /// Named by `boardctl import` (its `remoteID`) and not yet adopted: the next plan shows an
    /// import, and apply tags the object and records what it holds.
    case importing
  }

  public var address: Address
  public var platform: String
  public var attributes: Attributes
  /// The desired resource's `renderKey` when last applied.
  public var renderKey: String?
  /// Digest of the artifact as written (a page's bytes), to notice edits made outside boardctl.
  public var digest: String?
  /// The artifact's size and modification time as written: when they still match, refresh
  /// trusts `digest` without reading the file (as git trusts its index).
  public var stamp: String?
  public var status: Status
  /// The lifecycle rule in force when last applied: removal from the configuration needs it.
  public var onRemove: Posting.OnRemove
  /// The platform's own id for the object (a file path, a referencenumber, a job id).
  public var remoteID: String?
  /// The first day the resource was published (schema.org datePosted).
  public var firstPublished: String?
  /// When the record was last written, ISO 8601.
  public var updatedAt: String

  public init(
    address: Address, platform: String, attributes: Attributes, renderKey: String? = nil, digest: String? = nil,
    stamp: String? = nil, status: Status = .open,
    onRemove: Posting.OnRemove = .close, remoteID: String? = nil, firstPublished: String? = nil,
    updatedAt: String = ""
  ) {
    self.address = address
    self.platform = platform
    self.attributes = attributes
    self.renderKey = renderKey
    self.digest = digest
    self.stamp = stamp
    self.status = status
    self.onRemove = onRemove
    self.remoteID = remoteID
    self.firstPublished = firstPublished
    self.updatedAt = updatedAt
  }
}

/// What is on the board now, as refresh read it.
public struct LiveResource: Sendable, Hashable {
  public var address: Address
  public var attributes: Attributes
  /// Digest of the artifact as found (a page's bytes).
  public var digest: String?
  /// Lines that show a reviewer how the live object differs from what boardctl wrote.
  public var details: [String]

  public init(address: Address, attributes: Attributes, digest: String? = nil, details: [String] = []) {
    self.address = address
    self.attributes = attributes
    self.digest = digest
    self.details = details
  }
}

/// One board's refresh: every object carrying boardctl's ownership tag, plus warnings.
public struct BoardReading: Sendable {
  public var resources: [LiveResource]
  public var warnings: [String]

  public init(resources: [LiveResource] = [], warnings: [String] = []) {
    self.resources = resources
    self.warnings = warnings
  }
}
