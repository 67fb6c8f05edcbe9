/// HTML the sanitiser wrote, as a tree: for converting a description to a platform's own rich
/// text (Wix's Ricos) instead of sending HTML. Only meant for the sanitiser's output, which is
/// balanced and holds only allowed elements; anything else is read as well as it can be.
public indirect enum HTMLNode: Sendable, Hashable {
  case element(String, attributes: [String: String], children: [HTMLNode])
  /// Text with its character references decoded.
  case text(String)

  /// The nodes of `html`, in order.
  public static func parse(_ html: String) -> [HTMLNode] {
    var stack: [(name: String, attributes: [String: String], children: [HTMLNode])] = [("", [:], [])]
    var scanner = HTMLSanitizer.Scanner(Array(html.utf8))
    func close() {
      let top = stack.removeLast()
      stack[stack.count - 1].children.append(.element(top.name, attributes: top.attributes, children: top.children))
    }
    while let token = scanner.next() {
      switch token {
      case .text(let bytes):
        stack[stack.count - 1].children.append(.text(HTMLSanitizer.decodeReferences(bytes)))
      case .start(let name, let attributes):
        var values: [String: String] = [:]
        for (key, value) in attributes where values[key] == nil { values[key] = value }  // decoded already
        if HTMLSanitizer.void.contains(name) {
          stack[stack.count - 1].children.append(.element(name, attributes: values, children: []))
        } else {
          stack.append((name, values, []))
        }
      case .end(let name):
        guard let index = stack.lastIndex(where: { $0.name == name }), index > 0 else { continue }
        while stack.count > index { close() }
      }
    }
    while stack.count > 1 { close() }
    return stack[0].children
  }
}
