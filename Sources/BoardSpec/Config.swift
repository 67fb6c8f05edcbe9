/// Everything read from the config folder: the desired state's raw material.
public struct Config: Sendable {
  /// The config folder as the user gave it.
  public var directory: String
  /// Every file read, relative display paths in the order they were read.
  public var files: [String]
  /// A digest of every file's bytes, in order; a saved plan binds it.
  public var contentDigest: String
  public var workspace: Workspace?
  public var boards: [Board]
  public var templates: [Template]
  public var postings: [Posting]
  public var recipients: [Recipient]
  public var credentials: [Credential]
  public var syncRules: [SyncRule] = []
  /// Every path the documents name, with its position (see `PathSetting`).
  public var paths: [PathSetting] = []

  public init(
    directory: String, files: [String] = [], contentDigest: String = "", workspace: Workspace? = nil,
    boards: [Board] = [], templates: [Template] = [], postings: [Posting] = [], recipients: [Recipient] = [],
    credentials: [Credential] = []
  ) {
    self.directory = directory
    self.files = files
    self.contentDigest = contentDigest
    self.workspace = workspace
    self.boards = boards
    self.templates = templates
    self.postings = postings
    self.recipients = recipients
    self.credentials = credentials
  }

  public func credential(named name: String) -> Credential? { credentials.first { $0.name == name } }

  public func board(named name: String) -> Board? { boards.first { $0.name == name } }
  public func template(named name: String) -> Template? { templates.first { $0.name == name } }
  public func syncRule(named name: String) -> SyncRule? { syncRules.first { $0.name == name } }
}
