import BoardCore

extension ObjectKind {
  /// A careers-site page.
  public static let page: ObjectKind = "page"
  /// A job: an Indeed feed entry, a Manatal job.
  public static let job: ObjectKind = "job"
  /// A Manahook webhook registration.
  public static let webhook: ObjectKind = "webhook"
}
