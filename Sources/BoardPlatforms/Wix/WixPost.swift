import BoardCore
import BoardSpec
import BoardSupport
import Foundation

/// How a posting maps to a Wix blog post, and a post back to attributes.
enum WixPost {
  /// The post fields boardctl manages, as attribute keys.
  static let fields = ["title", "excerpt", "content", "hashtags", "categories", "tags", "member_id", "language"]

  /// Bump when the Ricos a posting becomes changes, so every post is rewritten once.
  static let rendererVersion = "wix-ricos/1"

  /// A hashtag Wix keeps: letters, digits and `_`, at most 100 characters.
  static func isHashtag(_ text: String) -> Bool {
    !text.isEmpty && text.count <= Wix.limits.hashtag
      && text.unicodeScalars.allSatisfy { CharacterSet.alphanumerics.contains($0) || $0 == "_" }
  }

  /// The post a posting asks for, and its rich content (the payload apply sends).
  static func desired(
    _ posting: ResolvedPosting, settings: WixSettings, tag: String, words: PostingWords
  ) -> (Attributes, JSONValue) {
    let fields = posting.fields
    var nodes = WixRicos.nodes(fromHTML: PostingText.html(fromMarkdown: posting.description))
    let excerpt = Self.excerpt(nodes)
    // What a job seeker needs beside the description: where, what kind, how paid, and how to apply.
    var a: Attributes = [:]
    PostingText.common(fields, into: &a)
    var facts = [words.location(a)].filter { !$0.isEmpty }
    if let type = fields.employmentType.flatMap({ PostingText.employmentTypeLabels[$0] }) { facts.append(type) }
    if let salary = PostingText.salary(a) { facts.append(salary) }
    if !facts.isEmpty { nodes.append(WixRicos.paragraph([WixRicos.text(facts.joined(separator: " · "))])) }
    if let apply = fields.applyURL {
      nodes.append(WixRicos.paragraph([WixRicos.text("Apply now", [WixRicos.bold, WixRicos.link(apply)])]))
    }
    var attributes: Attributes = [:]
    attributes.set("title", posting.title)
    attributes.set("excerpt", excerpt)
    attributes.set("content", WixRicos.text(nodes))
    attributes.set("hashtags", ([tag] + settings.hashtags).sorted().joined(separator: ", "))
    attributes.set(
      "categories", settings.categories.isEmpty ? nil : settings.categories.sorted().joined(separator: ", "))
    attributes.set("tags", settings.tags.isEmpty ? nil : settings.tags.sorted().joined(separator: ", "))
    attributes.set("member_id", settings.memberID)
    attributes.set("language", settings.language)
    return (attributes, ["nodes": .array(nodes)])
  }

  /// The first paragraph's text, at most 500 characters, cut at a word.
  static func excerpt(_ nodes: [JSONValue]) -> String? {
    guard let first = nodes.first(where: { $0["type"]?.string == "PARAGRAPH" }) else { return nil }
    let text = WixRicos.plain(first["nodes"]?.array ?? [])
    guard text.count > Wix.limits.excerpt else { return text }
    var cut = String(text.prefix(Wix.limits.excerpt - 1))
    if let space = cut.lastIndex(of: " ") { cut = String(cut[..<space]) }
    return cut + "…"
  }

  /// A draft post as attributes; categories and tags by name, as the configuration writes them.
  /// The language only when the settings name one: Wix fills in its default otherwise.
  static func attributes(
    _ post: JSONValue, categories: [String: String], tags: [String: String], language: Bool
  ) -> Attributes {
    var a: Attributes = [:]
    a.set("title", post["title"]?.string)
    a.set("excerpt", post["excerpt"]?.string)
    a.set("content", WixRicos.text(post["richContent"]?["nodes"]?.array ?? []))
    let hashtags = (post["hashtags"]?.array ?? []).compactMap(\.string).sorted()
    a.set("hashtags", hashtags.isEmpty ? nil : hashtags.joined(separator: ", "))
    let names = (post["categoryIds"]?.array ?? []).compactMap(\.string).map { categories[$0] ?? "#\($0)" }.sorted()
    a.set("categories", names.isEmpty ? nil : names.joined(separator: ", "))
    let labels = (post["tagIds"]?.array ?? []).compactMap(\.string).map { tags[$0] ?? "#\($0)" }.sorted()
    a.set("tags", labels.isEmpty ? nil : labels.joined(separator: ", "))
    a.set("member_id", post["memberId"]?.string)
    if language { a.set("language", post["language"]?.string) }
    return a
  }

  /// The `draftPost` body that sets `keys` (all of them on create).
  static func body(
    _ attributes: Attributes, payload: JSONValue?, keys: Set<String>, categoryIDs: [String], tagIDs: [String]
  ) -> [String: JSONValue] {
    var post: [String: JSONValue] = [:]
    func list(_ key: String) -> [JSONValue] {
      (attributes[key]?.stringValue ?? "").split(separator: ",").map {
        .string($0.trimmingCharacters(in: .whitespaces))
      }
    }
    for key in keys {
      switch key {
      case "title": post["title"] = attributes["title"]?.stringValue.map(JSONValue.string) ?? .null
      case "excerpt": post["excerpt"] = attributes["excerpt"]?.stringValue.map(JSONValue.string) ?? .null
      case "content": post["richContent"] = payload ?? ["nodes": []]
      case "hashtags": post["hashtags"] = .array(list("hashtags"))
      case "categories": post["categoryIds"] = .array(categoryIDs.map(JSONValue.string))
      case "tags": post["tagIds"] = .array(tagIDs.map(JSONValue.string))
      case "member_id": post["memberId"] = attributes["member_id"]?.stringValue.map(JSONValue.string) ?? .null
      case "language":
        if let language = attributes["language"]?.stringValue { post["language"] = .string(language) }
      default: break
      }
    }
    return post
  }
}
