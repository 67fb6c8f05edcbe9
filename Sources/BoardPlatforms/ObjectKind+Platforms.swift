import BoardCore

extension ObjectKind {
  /// A careers-site page.
  public static let page: ObjectKind = "page"
  /// A job: an Indeed feed entry, a Manatal job.
  public static let job: ObjectKind = "job"
  /// A Manahook (Manatal webhook) registration.
  public static let webhook: ObjectKind = "webhook"
  /// A Wix blog post.
  public static let post: ObjectKind = "post"
  /// A file a board writes beside its placements: the careers site's `index.html` and
  /// `sitemap.xml`.
  public static let file: ObjectKind = "file"
}
