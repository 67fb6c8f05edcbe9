import BoardSpec
import Foundation

/// An indeed-feed board's `settings`, decoded once.
struct IndeedFeedSettings: Decodable, Sendable {
  var output: String
  var publisher: String?
  var publisherURL: String?
  /// A job page URL pattern with `{name}` for the posting name.
  let jobURL: String?
  /// `jobURL` split at each `{name}`, once: filling it in is then a join, per posting.
  private let jobURLParts: [String]?

  enum CodingKeys: String, CodingKey {
    case output, publisher
    case publisherURL = "publisher_url"
    case jobURL = "job_url"
  }

  init(from decoder: any Decoder) throws {
    let container = try decoder.container(keyedBy: CodingKeys.self)
    output = try container.decodeIfPresent(String.self, forKey: .output) ?? "public/indeed.xml"
    publisher = try container.decodeIfPresent(String.self, forKey: .publisher)
    publisherURL = try container.decodeIfPresent(String.self, forKey: .publisherURL)
    jobURL = try container.decodeIfPresent(String.self, forKey: .jobURL)
    jobURLParts = jobURL?.components(separatedBy: "{name}")
  }

  /// The settings of `board`; the defaults when they do not decode (the schema pass reports why).
  static func of(_ board: Board) -> IndeedFeedSettings {
    (try? board.settings(as: IndeedFeedSettings.self)) ?? (try! YAMLValueDecoder().decode(Self.self, from: nil))
  }

  /// The job URL for `posting`, when the pattern is set.
  func jobURL(for posting: String) -> String? { jobURLParts?.joined(separator: posting) }

  /// The careers-site board among `boards` whose pages `job_url` points at (it starts with the
  /// board's `base_url`): a job links there only when its posting is on that board.
  func pageBoard(among boards: [Board]) -> Board? {
    guard let jobURL = jobURL?.lowercased() else { return nil }
    return boards.first { board in
      board.platform == CareersSite.id && jobURL.hasPrefix(CareersSiteSettings.of(board).baseURL.lowercased() + "/")
    }
  }
}
