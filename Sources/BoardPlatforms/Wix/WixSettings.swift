import BoardSpec

/// A Wix board's `settings`, decoded once.
struct WixSettings: Decodable, Sendable {
  var remote: RemoteSettings
  /// The blog post owner (a site member's id): Wix requires one for posts made by an API key.
  var memberID: String?
  /// Blog categories every post is filed under, by name.
  var categories: [String]
  /// Create a category that does not exist yet (else plan fails and says so).
  var createCategories: Bool
  /// Blog tags every post carries, by label; created when missing.
  var tags: [String]
  /// Hashtags every post carries, beside boardctl's own.
  var hashtags: [String]
  var language: String?
  var platformOwned: [String]

  enum CodingKeys: String, CodingKey {
    case categories, tags, hashtags, language
    case memberID = "member_id"
    case createCategories = "create_categories"
    case platformOwned = "platform_owned"
  }

  init(from decoder: any Decoder) throws {
    remote = try RemoteSettings(from: decoder)
    let container = try decoder.container(keyedBy: CodingKeys.self)
    memberID = try container.decodeIfPresent(String.self, forKey: .memberID)
    categories = try container.decodeIfPresent([String].self, forKey: .categories) ?? []
    createCategories = try container.decodeIfPresent(Bool.self, forKey: .createCategories) ?? false
    tags = try container.decodeIfPresent([String].self, forKey: .tags) ?? []
    hashtags = try container.decodeIfPresent([String].self, forKey: .hashtags) ?? []
    language = try container.decodeIfPresent(String.self, forKey: .language)
    platformOwned = try container.decodeIfPresent([String].self, forKey: .platformOwned) ?? []
  }

  /// The settings of `board`; the defaults when they do not decode (the schema pass reports why).
  static func of(_ board: Board) -> WixSettings {
    (try? board.settings(as: WixSettings.self)) ?? (try! YAMLValueDecoder().decode(Self.self, from: nil))
  }
}
