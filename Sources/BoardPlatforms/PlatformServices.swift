import BoardCore
import BoardHTTP

/// What remote boards need from the command that opened them: its HTTP runtime, which the
/// command shuts down when it ends.
public struct PlatformServices: BoardServices {
  public let http: HTTPRuntime

  public init(http: HTTPRuntime) { self.http = http }
}
