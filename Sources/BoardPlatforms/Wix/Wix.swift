import BoardCore
import BoardSpec
import BoardSupport
import Foundation

/// `platform: wix`: postings become posts on the site's Wix blog (draft post, then publish), owned
/// through a hashtag of boardctl's; the Wix objects sync rules read and write (contacts, form
/// submissions, members) go through the same API client.
public struct Wix: PostingPlatform {
  public init() {}

  public static let id = "wix"
  static let defaultEndpoint = "https://www.wixapis.com"
  /// The documented limit: 200 requests per minute per site.
  static let documentedLimit = (requests: 200, seconds: 60)
  /// Creating a post was seen to take Wix 25–30 s: one attempt may take 90 s by default.
  static let requestTimeout = 90
  static let defaultHosts = CredentialHosts([defaultEndpoint])
  /// Wix's limits on a post (FACTS.md): title, excerpt, hashtags, categories, tags.
  static let limits = (title: 100, excerpt: 500, hashtags: 100, hashtag: 100, categories: 10, tags: 30)

  public let descriptor = PlatformDescriptor(
    id: Wix.id, summary: "Posts on a Wix site's blog; the site's contacts, form submissions and members.",
    settings: ObjectSchema(
      "wix settings",
      RemoteBoard.settings(
        endpoint: Wix.defaultEndpoint, limit: Wix.documentedLimit.requests, window: Wix.documentedLimit.seconds,
        requestTimeout: Wix.requestTimeout)
        + [
          FieldSchema(
            "member_id", .string(), required: true,
            "The blog posts' owner: a site member's id (Wix requires one for posts made with an API key)."),
          FieldSchema("categories", .array(.string()), "Blog categories every post is filed under, by name."),
          FieldSchema(
            "create_categories", .boolean, default: "false",
            "Create a category named in `categories` that the blog does not have (else plan fails and says so)."),
          FieldSchema("tags", .array(.string()), "Blog tags every post carries, by label; created when missing."),
          FieldSchema("hashtags", .array(.string()), "Hashtags every post carries, beside boardctl's own."),
          FieldSchema("language", .string(), "The posts' language (a two-letter code, e.g. `en`)."),
          FieldSchema(
            "platform_owned", .array(.enumeration(WixPost.fields)), default: "[]",
            "Post fields people own in the Wix editor: their edits are never drift and never reverted."),
        ]), needsCredential: true, credentialFields: ["api_key", "site_id"],
    syncObjects: Wix.syncObjects)

  public let placementKind: ObjectKind = .post

  public func problems(with posting: ResolvedPosting, today: CalendarDate) -> [PostingProblem] {
    var problems = PostingText.commonProblems(posting.fields, today: today)
    if posting.title.count > Self.limits.title {
      problems.append(
        PostingProblem(
          field: "title",
          "Wix allows \(Self.limits.title) characters in a post's title; this has \(posting.title.count)"))
    }
    return problems
  }

  public func problems(with board: Board, in config: Config) -> [Diagnostic] {
    let settings = WixSettings.of(board)
    var diagnostics: [Diagnostic] = []
    if settings.categories.count > Self.limits.categories {
      diagnostics.append(
        .error(
          "board '\(board.name)': Wix files a post under at most \(Self.limits.categories) categories; settings.categories has \(settings.categories.count)",
          at: board.source.location(of: "settings.categories")))
    }
    if settings.tags.count > Self.limits.tags {
      diagnostics.append(
        .error(
          "board '\(board.name)': a Wix post carries at most \(Self.limits.tags) tags; settings.tags has \(settings.tags.count)",
          at: board.source.location(of: "settings.tags")))
    }
    for tag in settings.hashtags where tag.hasPrefix("bc_") || tag.lowercased().hasPrefix("boardctl") {
      diagnostics.append(
        .error(
          "board '\(board.name)': '\(tag)' looks like one of boardctl's own hashtags (bc_…, boardctl…), which name the posts it owns; choose another",
          at: board.source.location(of: "settings.hashtags")))
    }
    for tag in settings.hashtags where !WixPost.isHashtag(tag) {
      diagnostics.append(
        .error(
          "board '\(board.name)': '\(tag)' is not a hashtag Wix keeps: letters, digits and _ only, at most \(Self.limits.hashtag), without '#'",
          at: board.source.location(of: "settings.hashtags")))
    }
    return diagnostics
  }

  public func platformOwned(_ board: Board) -> Set<String> { Set(WixSettings.of(board).platformOwned) }

  public func credentialDestinations(of board: Board) -> CredentialDestinations? {
    CredentialDestinations(
      defaultHosts: Self.defaultHosts,
      destinations: [
        .init(key: "settings.endpoint", url: WixSettings.of(board).remote.endpoint ?? Self.defaultEndpoint)
      ])
  }

  public func connect(_ board: Board, environment: BoardEnvironment) throws -> any BoardConnection {
    WixBoard(board: board, environment: environment)
  }
}
