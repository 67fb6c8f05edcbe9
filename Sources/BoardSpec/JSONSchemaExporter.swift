import Foundation

/// Exports the document schemas as JSON Schema (draft 2020-12), so editors validate and complete
/// `boards.d` through yaml-language-server. Generated from the same `ConfigSchema` the loader uses.
public enum JSONSchemaExporter {
  public static let schemaID = "https://boardctl.dev/schema/boards.json"

  public static func export(platforms: [PlatformDescriptor]) -> String {
    var definitions: [String: Any] = [:]
    for kind in ConfigSchema.kinds {
      var object = objectSchema(kind.object, platforms: platforms)
      object["description"] = kind.summary
      if kind.kind == "Board" {
        // Each platform's settings, selected by the `platform` key.
        object["allOf"] = platforms.map { platform -> [String: Any] in
          [
            "if": ["properties": ["platform": ["const": platform.id]], "required": ["platform"]],
            "then": ["properties": ["settings": objectSchema(platform.settings, platforms: platforms)]],
          ]
        }
        var properties = object["properties"] as! [String: Any]
        properties["platform"] = [
          "description": "Adapter id.", "enum": platforms.map(\.id),
        ]
        object["properties"] = properties
      }
      definitions[kind.kind] = object
    }
    let root: [String: Any] = [
      "$schema": "https://json-schema.org/draft/2020-12/schema",
      "$id": schemaID,
      "title": "boardctl boards.d document",
      "description": "One document in a boards.d YAML file; `kind` selects its schema.",
      "type": "object",
      "required": ["kind", "name"],
      "properties": ["kind": ["enum": ConfigSchema.kinds.map(\.kind)]],
      "oneOf": ConfigSchema.kinds.map { ["$ref": "#/$defs/\($0.kind)"] },
      "$defs": definitions,
    ]
    let data = try! JSONSerialization.data(
      withJSONObject: root, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
    return String(decoding: data, as: UTF8.self) + "\n"
  }

  static func objectSchema(_ schema: ObjectSchema, platforms: [PlatformDescriptor]) -> [String: Any] {
    var properties: [String: Any] = [:]
    for field in schema.fields {
      var property = type(field.type, platforms: platforms)
      property["description"] = field.summary
      if let value = field.defaultValue { property["default"] = defaultValue(value, field.type) }
      properties[field.name] = property
    }
    var object: [String: Any] = [
      "type": "object", "title": schema.title, "properties": properties, "additionalProperties": false,
    ]
    let required = schema.fields.filter(\.required).map(\.name)
    if !required.isEmpty { object["required"] = required }
    return object
  }

  static func type(_ type: SchemaType, platforms: [PlatformDescriptor]) -> [String: Any] {
    switch type {
    case .string(let format):
      var s: [String: Any] = ["type": "string"]
      switch format {
      case .name: s["pattern"] = "^[a-z0-9][a-z0-9-]{0,62}$"
      case .date: s["pattern"] = "^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
      case .url:
        s["format"] = "uri"
        s["pattern"] = "^https?://"
      case .urlPattern: s["pattern"] = "^[Hh][Tt][Tt][Pp][Ss]?://"
      case .currency: s["enum"] = ISOCodes.currencies.sorted()
      case .country: s["enum"] = ISOCodes.countries.sorted()
      case .duration: s["pattern"] = "^[0-9]+(\\.[0-9]+)?(ms|s|m|h)?$"
      case .gitRef: s["pattern"] = "^[A-Za-z0-9_][A-Za-z0-9_./-]*$"
      case .environmentVariable: s["pattern"] = "^[A-Za-z_][A-Za-z0-9_]*$"
      case .text, .template, .path: break
      }
      // Unquoted YAML scalars such as postal codes and dates arrive as numbers or dates.
      if format == .text || format == .date { s["type"] = ["string", "number"] }
      return s
    case .integer(let minimum):
      var s: [String: Any] = ["type": "integer"]
      if let minimum { s["minimum"] = minimum }
      return s
    case .number(let minimum):
      var s: [String: Any] = ["type": "number"]
      if let minimum { s["minimum"] = minimum }
      return s
    case .boolean: return ["type": "boolean"]
    case .scalar: return ["type": ["string", "number", "boolean"]]
    case .oneOf(let alternatives): return ["oneOf": alternatives.map { Self.type($0, platforms: platforms) }]
    case .enumeration(let cases): return ["enum": cases]
    case .object(let schema): return objectSchema(schema, platforms: platforms)
    case .array(let element, let minItems):
      var s: [String: Any] = ["type": "array", "items": Self.type(element, platforms: platforms)]
      if minItems > 0 { s["minItems"] = minItems }
      return s
    case .map(let element, _):
      return ["type": "object", "additionalProperties": Self.type(element, platforms: platforms)]
    case .reference: return ["type": "string", "pattern": "^[a-z0-9][a-z0-9-]{0,62}$"]
    case .nullable(let inner):
      return ["anyOf": [Self.type(inner, platforms: platforms), ["type": "null"]]]
    case .platformSettings: return ["type": ["object", "null"]]
    }
  }

  static func defaultValue(_ text: String, _ type: SchemaType) -> Any {
    switch type {
    case .boolean: return text == "true"
    case .nullable where text == "null": return NSNull()
    default: return text
    }
  }
}
