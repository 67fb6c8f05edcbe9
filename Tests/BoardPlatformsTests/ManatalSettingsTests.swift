import BoardCore
import BoardPlatforms
import BoardSpec
import BoardTesting
import Foundation
import Testing

/// A Manatal board with the given settings (and a credential document), loaded through the real loader.
func loadManatal(settings: String, folder: TemporaryFolder) -> ConfigLoader.Result {
  folder.write(
    "boards.d/base.yaml",
    """
    kind: Workspace
    name: acme
    ---
    kind: Recipient
    name: ci
    key_id: "ci:00000000"
    public_key: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=
    ---
    kind: Credential
    name: token
    fields:
      token:
        sealed_at: "2026-11-21T10:00:00Z"
        ciphertexts: {"ci:00000000": AAAA}
    ---
    kind: Board
    name: manatal
    platform: manatal
    credential: token
    settings:
    \(settings.split(separator: "\n").map { "  " + $0 }.joined(separator: "\n"))
    """)
  return ConfigLoader(platforms: Platforms.descriptors).load(directory: folder.path + "/boards.d")
}

@Suite("Manatal settings")
struct ManatalSettingsTests {
  @Test("platform_owned defaults to status; custom_fields stands for every key boardctl sets there")
  func platformOwned() throws {
    let folder = TemporaryFolder()
    let plain = try #require(loadManatal(settings: "organization: Acme", folder: folder).config)
    #expect(Manatal().platformOwned(plain.boards[0]) == ["status"])
    let custom = try #require(
      loadManatal(
        settings: "organization: Acme\nplatform_owned: [owner, custom_fields]\ncustom_fields: {source: x, team: y}",
        folder: folder
      ).config)
    #expect(Manatal().platformOwned(custom.boards[0]) == ["owner", "custom_fields.source", "custom_fields.team"])
  }

  @Test("webhooks must be Manahook events, once each; platform_owned must name a job field")
  func invalidSettings() throws {
    let folder = TemporaryFolder()
    let config = try #require(
      loadManatal(
        settings: """
          organization: Acme
          webhooks:
            - {model: job, action: create, target_url: https://h.example/a}
            - {model: match, action: moved, target_url: https://h.example/b}
            - {model: match, action: moved, target_url: https://h.example/c}
          """, folder: folder
      ).config)
    let messages = PostingChecker.check(config: config, platforms: Platforms.byID, today: today).diagnostics.map(
      \.message)
    #expect(messages.contains { $0.contains("Manahook has no 'job/create' event; for job use status_update") })
    #expect(messages.contains { $0.contains("registers match/moved a second time") })
    let owned = loadManatal(settings: "organization: Acme\nplatform_owned: [salary]", folder: folder)
    #expect(owned.config == nil)
    #expect(owned.diagnostics.contains { $0.message.contains("salary") })
  }
}
