import BoardSupport
import Foundation

/// Checks a Ricos document (`draftPost.richContent`) as Wix does (FACTS.md, Ricos): node types
/// from the known list, the nesting rules (the root holds blocks; paragraphs, headings and code
/// blocks hold only text; lists hold items that hold paragraphs; quotes hold paragraphs), text
/// without line breaks, known decorations, links with a URL. Accepted documents come back as
/// Wix stores them: missing node ids filled, `nodes: []` on leaves, `metadata` added.
enum RicosValidator {
  static let nodeTypes: Set<String> = [
    "PARAGRAPH", "TEXT", "HEADING", "BULLETED_LIST", "ORDERED_LIST", "LIST_ITEM", "BLOCKQUOTE", "CODE_BLOCK",
    "DIVIDER", "IMAGE", "VIDEO", "GALLERY", "GIF", "FILE", "HTML", "LINK_PREVIEW", "MAP", "POLL", "APP_EMBED",
    "EMBED", "BUTTON", "TABLE", "TABLE_ROW", "TABLE_CELL", "COLLAPSIBLE_LIST", "COLLAPSIBLE_ITEM",
    "COLLAPSIBLE_ITEM_TITLE", "COLLAPSIBLE_ITEM_BODY", "AUDIO", "EXTERNAL", "CAPTION",
  ]
  static let decorationTypes: Set<String> = [
    "BOLD", "ITALIC", "UNDERLINE", "SPOILER", "ANCHOR", "MENTION", "LINK", "COLOR", "FONT_SIZE", "EXTERNAL",
    "STRIKETHROUGH", "SUPERSCRIPT", "SUBSCRIPT", "FONT_FAMILY",
  ]
  /// Nodes that only ever sit inside another kind of node.
  static let innerTypes: Set<String> = [
    "TEXT", "LIST_ITEM", "TABLE_ROW", "TABLE_CELL", "COLLAPSIBLE_ITEM", "COLLAPSIBLE_ITEM_TITLE",
    "COLLAPSIBLE_ITEM_BODY", "CAPTION",
  ]
  static let linkTargets: Set<String> = ["SELF", "BLANK", "PARENT", "TOP"]

  /// The document as Wix would store it, or a 400 naming the first problem.
  static func normalize(_ document: JSONValue, field: String, now: String) throws -> JSONValue {
    guard case .object(var root) = document else {
      throw WixError.invalid(field, "must be a Ricos document object", rule: .format)
    }
    let nodes = root["nodes"] ?? .array([])
    guard case .array(let children) = nodes else {
      throw WixError.invalid(field + ".nodes", "must be a list", rule: .format)
    }
    root["nodes"] = .array(
      try children.enumerated().map { try node($1, parent: nil, path: "\(field).nodes[\($0)]") })
    var metadata = root["metadata"]?.object ?? [:]
    metadata["version"] = metadata["version"] ?? 1
    metadata["createdTimestamp"] = metadata["createdTimestamp"] ?? .string(now)
    metadata["updatedTimestamp"] = .string(now)
    metadata["id"] = metadata["id"] ?? .string(UUID().uuidString.lowercased())
    root["metadata"] = .object(metadata)
    root["documentStyle"] = root["documentStyle"] ?? [:]
    return .object(root)
  }

  /// The kinds of node `parent` may hold, and how Wix words the expectation; nil: any block.
  private static func expected(inside parent: String?) -> (types: Set<String>, name: String)? {
    switch parent {
    case nil: return (nodeTypes.subtracting(innerTypes), "paragraph")
    case "PARAGRAPH"?, "HEADING"?, "CODE_BLOCK"?: return (["TEXT"], "text")
    case "BULLETED_LIST"?, "ORDERED_LIST"?: return (["LIST_ITEM"], "list item")
    case "LIST_ITEM"?: return (["PARAGRAPH", "BULLETED_LIST", "ORDERED_LIST"], "paragraph")
    case "BLOCKQUOTE"?: return (["PARAGRAPH"], "paragraph")
    case "TABLE"?: return (["TABLE_ROW"], "table row")
    case "TABLE_ROW"?: return (["TABLE_CELL"], "table cell")
    case "TABLE_CELL"?, "COLLAPSIBLE_ITEM_BODY"?, "COLLAPSIBLE_ITEM_TITLE"?:
      return (nodeTypes.subtracting(innerTypes), "paragraph")
    case "COLLAPSIBLE_LIST"?: return (["COLLAPSIBLE_ITEM"], "collapsible item")
    case "COLLAPSIBLE_ITEM"?: return (["COLLAPSIBLE_ITEM_TITLE", "COLLAPSIBLE_ITEM_BODY"], "collapsible item part")
    default: return (["CAPTION"], "caption")
    }
  }

  private static func node(_ value: JSONValue, parent: String?, path: String) throws -> JSONValue {
    guard case .object(var fields) = value else { throw WixError.invalid(path, "must be a node object", rule: .format) }
    guard let type = fields["type"] else { throw WixError.invalid(path + ".type", "is required", rule: .requiredField) }
    guard case .string(let name) = type else {
      throw WixError.invalid(
        path + ".type", "must be a node type name", rule: .format, message: "Expected a string for node type")
    }
    guard nodeTypes.contains(name) else {
      throw WixError.invalid(path + ".type", "is not a node type", rule: .format, message: "Unknown node type \(name)")
    }
    if let rule = expected(inside: parent), !rule.types.contains(name) {
      throw WixError.invalid(
        path, "may not hold a \(name) node here", rule: .other,
        message: "Expected a \(rule.name) node but found \(name)")
    }
    switch name {
    case "TEXT":
      try text(&fields, path: path)
      if let inner = fields["nodes"]?.array, !inner.isEmpty {
        throw WixError.invalid(path + ".nodes", "must be empty: a TEXT node holds no nodes", rule: .other)
      }
    case "HEADING":
      guard let level = fields["headingData"]?["level"]?.int, (1...6).contains(level) else {
        throw WixError.invalid(path + ".headingData.level", "must be 1 to 6", rule: .requiredField)
      }
    default: break
    }
    let children = fields["nodes"] ?? .array([])
    guard case .array(let list) = children else {
      throw WixError.invalid(path + ".nodes", "must be a list", rule: .format)
    }
    fields["nodes"] = .array(try list.enumerated().map { try node($1, parent: name, path: "\(path).nodes[\($0)]") })
    if fields["id"] == nil || fields["id"] == .null { fields["id"] = .string(name == "TEXT" ? "" : Self.nodeID()) }
    return .object(fields)
  }

  private static func text(_ fields: inout [String: JSONValue], path: String) throws {
    guard case .object(var data)? = fields["textData"], case .string(let text)? = data["text"] else {
      throw WixError.invalid(path + ".textData.text", "is required", rule: .requiredField)
    }
    if text.contains("\n") {
      throw WixError.invalid(
        path + ".textData.text", "must not contain a line break", rule: .format,
        message: "Text may not contain line breaks; use one PARAGRAPH per line")
    }
    let decorations = data["decorations"] ?? .array([])
    guard case .array(let list) = decorations else {
      throw WixError.invalid(path + ".textData.decorations", "must be a list", rule: .format)
    }
    for (index, decoration) in list.enumerated() {
      let at = "\(path).textData.decorations[\(index)]"
      guard let type = decoration["type"]?.string, decorationTypes.contains(type) else {
        throw WixError.invalid(
          at + ".type", "is not a decoration type", rule: .format,
          message: "Unknown decoration type \(decoration["type"]?.string ?? "(none)")")
      }
      if type == "LINK" {
        guard let url = decoration["linkData"]?["link"]?["url"]?.string, !url.isEmpty else {
          throw WixError.invalid(at + ".linkData.link.url", "is required", rule: .requiredField)
        }
        if let target = decoration["linkData"]?["link"]?["target"], target != .null,
          !(target.string.map(linkTargets.contains) ?? false)
        {
          throw WixError.invalid(at + ".linkData.link.target", "must be SELF, BLANK, PARENT or TOP", rule: .format)
        }
      }
    }
    data["decorations"] = decorations
    fields["textData"] = .object(data)
  }

  private static func nodeID() -> String {
    let alphabet = Array("abcdefghijklmnopqrstuvwxyz0123456789")
    return String((0..<5).map { _ in alphabet.randomElement()! })
  }
}
