/// One record on one side of a sync rule, as the board's adapter reads it: its id, when it last
/// changed, and its fields by the names rules use, as text.
public struct SyncRecord: Sendable, Hashable {
  public var id: String
  /// When the record last changed, in the platform's own ISO 8601 form: the cursor compares
  /// these as text, so one platform must always write them alike.
  public var updatedAt: String
  public var fields: [String: String]

  public init(id: String, updatedAt: String, fields: [String: String] = [:]) {
    self.id = id
    self.updatedAt = updatedAt
    self.fields = fields
  }

  /// A field's value; an empty text is no value.
  public subscript(field: String) -> String? {
    guard let value = fields[field], !value.isEmpty else { return nil }
    return value
  }

  /// Whether the record holds, in every field a rule's `filter` names, one of its values.
  public func isSelected(by filter: [String: [String]]) -> Bool {
    filter.allSatisfy { field, values in values.isEmpty || values.contains(self[field] ?? "") }
  }
}
