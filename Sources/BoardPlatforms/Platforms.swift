import BoardCore
import BoardSpec

/// Every platform this build knows, by id.
public enum Platforms {
  public static let all: [any Platform] = [CareersSite(), IndeedFeed(), Manatal(), Wix()]

  public static var byID: [String: any Platform] {
    Dictionary(uniqueKeysWithValues: all.map { ($0.descriptor.id, $0) })
  }

  public static var descriptors: [PlatformDescriptor] { all.map(\.descriptor) }
}
