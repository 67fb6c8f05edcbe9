/// An object on a board, found by its platform id.
public struct RemoteObject: Sendable {
  public var remoteID: String
  /// The address its ownership tag names, when it carries one.
  public var taggedAs: Address?
  /// A few words a user recognises it by ("Backend Engineer").
  public var summary: String

  public init(remoteID: String, taggedAs: Address?, summary: String) {
    self.remoteID = remoteID
    self.taggedAs = taggedAs
    self.summary = summary
  }
}
