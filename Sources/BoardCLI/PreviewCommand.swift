import ArgumentParser
import BoardEngine
import Foundation
import Hummingbird
import Logging

struct PreviewCommand: ReportingCommand {
  static let configuration = CommandConfiguration(
    commandName: "preview",
    abstract: "Serve the careers site as boards.d would publish it, on this machine.",
    discussion: """
      Renders the careers-site board's pages, index and sitemap from boards.d into a temporary \
      folder, with the code apply uses, and serves them at http://127.0.0.1:8080/. Nothing is \
      applied: the board's output folder and state are not touched. Edit boards.d or a layout \
      and reload: the site is rendered again. Ctrl-C stops it and removes the folder.
      """)

  @OptionGroup var global: GlobalOptions

  @Option(help: "The careers-site board to show; needed when boards.d has more than one.")
  var board: String?

  @Option(help: "Port to listen on; 0 picks a free one.")
  var port = 8080

  @Option(help: "Address to listen on. Keep it on loopback unless you mean others to see the preview.")
  var host = "127.0.0.1"

  func execute(_ terminal: Terminal) async throws -> ExitStatus {
    let folder = try PreviewFolder(layout: global.layout, board: board)
    let (boardName, pages): (String, Int)
    do {
      (boardName, pages) = try await folder.start()
    } catch {
      await folder.remove()
      throw error
    }
    var logger = Logger(label: "boardctl-preview")
    logger.logLevel = .critical
    let app = Application(
      responder: CallbackResponder<BasicRequestContext> { request, _ in
        await PreviewResponder.respond(to: request, from: folder)
      },
      configuration: .init(address: .hostname(host, port: port)),
      onServerRunning: { channel in
        let url = "http://\(host):\(channel.localAddress?.port ?? port)/"
        terminal.out(
          "Previewing board '\(boardName)' (\(pages) page\(pages == 1 ? "" : "s"), rendered from boards.d; nothing is applied) at \(url)\nEdit boards.d and reload to see the change. Ctrl-C to stop.\n"
        )
      }, logger: logger)
    do {
      // SIGINT and SIGTERM stop the server gracefully.
      try await app.runService()
    } catch {
      await folder.remove()
      throw EngineError.user("cannot serve the preview on \(host):\(port): \(error)")
    }
    await folder.remove()
    terminal.err("Preview stopped.\n")
    return .success
  }
}
