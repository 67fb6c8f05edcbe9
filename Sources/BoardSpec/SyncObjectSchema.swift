/// What a platform offers sync rules: one kind of record (Wix contacts, Manatal candidates) and
/// the fields rules may read, write, match and filter on. The loader checks rules against it.
public struct SyncObjectSchema: Sendable, Hashable {
  /// The name rules use after the board (`object: contacts`).
  public var name: String
  public var summary: String
  /// Fields every record has, by the names rules use.
  public var fields: [String]
  /// Fields boardctl can write; empty for an object sync rules only read.
  public var writable: [String]
  /// Prefixes under which any name is a field (`answers.` for a form's own fields); such names
  /// cannot be checked before the records are read.
  public var openPrefixes: [String]
  /// Whether boardctl can delete (and so erase) these records: a retention purge, `on_delete:
  /// delete` and `forget person` do; records it cannot erase keep their data and only lose the
  /// link. Every writable object is; some read-only ones are too (form submissions).
  public var erasable: Bool
  /// Fields that hold a set of names, `, `-separated (a contact's labels). A rule writing one
  /// adds its value and removes only the names it wrote before; the others stay.
  public var setFields: [String]
  /// Fields a record needs to be made (a Manatal candidate's `full_name`): a rule that can create
  /// such records must map them.
  public var required: [String]
  /// Write-only fields whose every value is added, never replaced (a Manatal note): when one
  /// create stands for several source records, their values are all written.
  public var appendOnly: [String]

  public init(
    name: String, summary: String, fields: [String], writable: [String] = [], openPrefixes: [String] = [],
    erasable: Bool? = nil, setFields: [String] = [], required: [String] = [], appendOnly: [String] = []
  ) {
    self.name = name
    self.summary = summary
    self.fields = fields
    self.writable = writable
    self.openPrefixes = openPrefixes
    self.erasable = erasable ?? !writable.isEmpty
    self.setFields = setFields
    self.required = required
    self.appendOnly = appendOnly
  }

  public var canWrite: Bool { !writable.isEmpty }

  /// The postings a board publishes, as a sync rule's target: records from another board (the
  /// ATS's jobs) become placements, planned and applied like the postings in `boards.d`.
  public static let postings = SyncObjectSchema(
    name: "postings", summary: "Postings made from the source's records, published as this board's placements.",
    fields: postingFields, writable: postingFields, required: ["title", "description"])

  /// The posting fields a `postings` target takes (`location.city`, `salary.min`, …).
  public static let postingFields = [
    "title", "description", "employment_type", "location.city", "location.region", "location.country",
    "location.postal_code", "location.remote", "salary.min", "salary.max", "salary.currency", "salary.period",
    "valid_through", "apply_url",
  ]

  /// Whether `field` is one of this object's fields, named or under an open prefix.
  public func has(_ field: String) -> Bool {
    fields.contains(field) || openPrefixes.contains { field.hasPrefix($0) && field.count > $0.count }
  }

  /// Whether boardctl can write `field`.
  public func canWrite(_ field: String) -> Bool {
    writable.contains(field) || (canWrite && openPrefixes.contains { field.hasPrefix($0) && field.count > $0.count })
  }
}
