/// ANSI colour for the text plan; `plain` everywhere but a TTY without `NO_COLOR`.
public struct TextStyle: Sendable {
  public var colour: Bool

  public init(colour: Bool) { self.colour = colour }

  public static let plain = TextStyle(colour: false)

  public func green(_ s: String) -> String { wrap(s, "32") }
  public func red(_ s: String) -> String { wrap(s, "31") }
  public func yellow(_ s: String) -> String { wrap(s, "33") }
  public func cyan(_ s: String) -> String { wrap(s, "36") }
  public func bold(_ s: String) -> String { wrap(s, "1") }
  public func dim(_ s: String) -> String { wrap(s, "2") }

  private func wrap(_ s: String, _ code: String) -> String {
    colour && !s.isEmpty ? "\u{1B}[\(code)m\(s)\u{1B}[0m" : s
  }

  /// The symbol of an action, coloured as OpenTofu does.
  public func symbol(_ action: PlanAction) -> String {
    switch action {
    case .create, .import: return green(action.symbol)
    case .update: return yellow(action.symbol)
    case .replace: return red("-") + "/" + green("+")
    case .close, .delete: return red(action.symbol)
    case .forget: return dim(action.symbol)
    }
  }
}
