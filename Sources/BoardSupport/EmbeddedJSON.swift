/// JSON text made safe to place inside an HTML `<script>` element (JSON-LD, boardctl's placement
/// block). An encoder leaves `<`, `>` and `&` as they are, so a title holding `</script>`,
/// `<!--` or `<script` could end the element early or make the browser read past its end.
/// Outside strings JSON has none of these characters; inside strings `\u003c` means the same
/// character to every JSON reader, and no sequence of them is markup to the HTML parser.
public enum EmbeddedJSON {
  public static func escaped(_ json: String) -> String {
    guard json.utf8.contains(where: { $0 == 0x3C || $0 == 0x3E || $0 == 0x26 }) else { return json }
    var out = String.UnicodeScalarView()
    for scalar in json.unicodeScalars {
      switch scalar {
      case "<": out.append(contentsOf: "\\u003c".unicodeScalars)
      case ">": out.append(contentsOf: "\\u003e".unicodeScalars)
      case "&": out.append(contentsOf: "\\u0026".unicodeScalars)
      default: out.append(scalar)
      }
    }
    return String(out)
  }
}
