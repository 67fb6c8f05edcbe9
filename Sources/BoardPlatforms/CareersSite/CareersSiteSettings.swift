import BoardSpec

/// A careers-site board's `settings`, decoded once.
struct CareersSiteSettings: Decodable, Sendable {
  var output: String
  var baseURL: String
  var title: String?
  var language: String
  var layout: String?
  var indexLayout: String?

  enum CodingKeys: String, CodingKey {
    case output, title, language, layout
    case baseURL = "base_url"
    case indexLayout = "index_layout"
  }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    output = try container.decodeIfPresent(String.self, forKey: .output) ?? "public/careers"
    var base = try container.decodeIfPresent(String.self, forKey: .baseURL) ?? ""
    while base.hasSuffix("/") { base.removeLast() }
    baseURL = base
    title = try container.decodeIfPresent(String.self, forKey: .title)
    language = try container.decodeIfPresent(String.self, forKey: .language) ?? "en"
    layout = try container.decodeIfPresent(String.self, forKey: .layout)
    indexLayout = try container.decodeIfPresent(String.self, forKey: .indexLayout)
  }

  /// The settings of `board`; the defaults when they do not decode (the schema pass reports why).
  static func of(_ board: Board) -> CareersSiteSettings {
    (try? board.settings(as: CareersSiteSettings.self)) ?? (try! YAMLValueDecoder().decode(Self.self, from: nil))
  }
}
