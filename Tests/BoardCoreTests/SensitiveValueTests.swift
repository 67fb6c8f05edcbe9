import BoardCore
import Foundation
import Testing

@Suite("Sensitive values in plans")
struct SensitiveValueTests {
  let before: Attributes = ["credential.token": .sensitive(fingerprint: "fp-old-1234"), "title": .string("A")]
  let after: Attributes = ["credential.token": .sensitive(fingerprint: "fp-new-5678"), "title": .string("A")]

  var plan: Plan {
    Diff.plan(
      DiffInput(
        desired: [desired(after)], prior: [record(before)], live: [live(before)], refreshedBoards: ["careers"]))
  }

  @Test("a rotated value plans an update shown as (sensitive value changed)")
  func rotation() {
    #expect(plan.changes.first?.action == .update)
    let text = TextPlanRenderer().render(plan)
    #expect(text.contains("~ credential.token = (sensitive value changed)"))
    #expect(!text.contains("fp-old") && !text.contains("fp-new"))
  }

  @Test("JSON and markdown say (sensitive value) and never carry the fingerprint")
  func redacted() {
    let json = JSONPlanRenderer.render(plan)
    #expect(json.contains("\"credential.token\" : \"(sensitive value)\""))
    let markdown = MarkdownPlanRenderer.render(plan).joined()
    for text in [json, markdown] { #expect(!text.contains("fp-old") && !text.contains("fp-new")) }
  }

  @Test("an unchanged fingerprint is no change")
  func unchanged() {
    let plan = Diff.plan(
      DiffInput(desired: [desired(before)], prior: [record(before)], live: [live(before)], refreshedBoards: ["careers"])
    )
    #expect(plan.changes.isEmpty)
  }
}
