/// JSON text made safe to place inside an HTML `<script>` element (JSON-LD, boardctl's placement
/// block). An encoder leaves `<`, `>` and `&` as they are, so a title holding `</script>`,
/// `<!--` or `<script` could end the element early or make the browser read past its end.
/// Outside strings JSON has none of these characters; inside strings `\u003c` means the same
/// character to every JSON reader, and no sequence of them is markup to the HTML parser.
public enum EmbeddedJSON {
  public static func escaped(_ json: String) -> String { escapes(json) }

  private static let escapes = CharacterEscapes(["<": "\\u003c", ">": "\\u003e", "&": "\\u0026"])
}
