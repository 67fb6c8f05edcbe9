/// The type of one configuration value, as the schema pass, the JSON Schema export and the
/// configuration reference all see it. One description serves all three.
public indirect enum SchemaType: Sendable {
  case string(StringFormat = .text)
  case integer(minimum: Int? = nil)
  case number(minimum: Double? = nil)
  case boolean
  /// A string, number or boolean (a constant, a value to compare with).
  case scalar
  case enumeration([String])
  case object(ObjectSchema)
  case array(SchemaType, minItems: Int = 0)
  /// A mapping with free keys; when `keys` names a kind, every key must be the name of such a document.
  case map(SchemaType, keys: String? = nil)
  /// The name of another document of the given kind.
  case reference(String)
  /// `null` is allowed as well as the wrapped type.
  case nullable(SchemaType)
  /// A Board's `settings`: checked against the schema of the board's platform.
  case platformSettings
  /// One of several shapes, chosen by the value's own (a field name, or a mapping that says more).
  case oneOf([SchemaType])
}

/// Constraints on a string's text.
public enum StringFormat: String, Sendable {
  case text
  /// Lowercase letters, digits and `-`, starting with a letter or digit.
  case name
  /// `YYYY-MM-DD`.
  case date
  /// An absolute `http` or `https` URL.
  case url
  /// An absolute `http` or `https` URL in which `{name}` stands for a posting's name.
  case urlPattern
  /// An ISO 4217 currency code such as `USD`.
  case currency
  /// An ISO 3166-1 alpha-2 country code such as `FJ`.
  case country
  /// A Mustache template.
  case template
  /// A path, relative to the repository root unless absolute.
  case path
  /// A duration: `500ms`, `30s`, `2m`, `1h`.
  case duration
  /// A git branch name.
  case gitRef
  /// An environment variable's name: letters, digits and `_`.
  case environmentVariable
}

/// One key of a mapping.
public struct FieldSchema: Sendable {
  public var name: String
  public var type: SchemaType
  public var required: Bool
  /// The value used when the key is absent, as shown in the reference (`nil`: no default).
  public var defaultValue: String?
  /// One sentence for the reference and editor hovers.
  public var summary: String

  public init(
    _ name: String, _ type: SchemaType, required: Bool = false, default defaultValue: String? = nil,
    _ summary: String
  ) {
    self.name = name
    self.type = type
    self.required = required
    self.defaultValue = defaultValue
    self.summary = summary
  }
}

/// A mapping with known keys; unknown keys are errors.
public struct ObjectSchema: Sendable {
  public var title: String
  public var fields: [FieldSchema]

  public init(_ title: String, _ fields: [FieldSchema]) {
    self.title = title
    self.fields = fields
  }

  public func field(_ name: String) -> FieldSchema? { fields.first { $0.name == name } }
}

/// A document kind (`Workspace`, `Board`, …) and the schema of its documents.
public struct KindSchema: Sendable {
  public var kind: String
  public var summary: String
  public var object: ObjectSchema
  /// At most one document of this kind may exist.
  public var singleton: Bool

  public init(kind: String, summary: String, singleton: Bool = false, object: ObjectSchema) {
    self.kind = kind
    self.summary = summary
    self.singleton = singleton
    self.object = object
  }
}

/// What the configuration loader must know of a platform: its id and its board settings.
///
/// The adapters themselves live in BoardPlatforms; the loader only needs their schemas.
public struct PlatformDescriptor: Sendable {
  public var id: String
  public var summary: String
  public var settings: ObjectSchema
  /// Whether boards of this platform talk to a remote service and need a credential.
  public var needsCredential: Bool
  /// The fields a board's Credential must have (Manatal: `token`; Wix: `api_key`, `site_id`).
  public var credentialFields: [String]

  /// The kinds of record sync rules can read or write on boards of this platform.
  public var syncObjects: [SyncObjectSchema]

  public init(
    id: String, summary: String, settings: ObjectSchema, needsCredential: Bool, credentialFields: [String] = [],
    syncObjects: [SyncObjectSchema] = []
  ) {
    self.syncObjects = syncObjects
    self.id = id
    self.summary = summary
    self.settings = settings
    self.needsCredential = needsCredential
    self.credentialFields = credentialFields
  }
}
