/// Mustache templates for a posting's title and description (`kind: Template`).
public struct Template: Sendable, Hashable {
  public var name: String
  public var title: String?
  public var description: String?
  public var source: DocumentSource

  public init(name: String, title: String? = nil, description: String? = nil, source: DocumentSource) {
    self.name = name
    self.title = title
    self.description = description
    self.source = source
  }
}
