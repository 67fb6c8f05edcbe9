import BoardCore
import Logging

/// Log lines on stderr with their control characters escaped: a debug line can quote a URL or a
/// platform's answer, which must not drive the terminal any more than a plan's values may.
struct TerminalLogHandler: LogHandler {
  var inner: StreamLogHandler

  var logLevel: Logger.Level {
    get { inner.logLevel }
    set { inner.logLevel = newValue }
  }

  var metadata: Logger.Metadata {
    get { inner.metadata }
    set { inner.metadata = newValue }
  }

  var metadataProvider: Logger.MetadataProvider? {
    get { inner.metadataProvider }
    set { inner.metadataProvider = newValue }
  }

  subscript(metadataKey key: String) -> Logger.Metadata.Value? {
    get { inner[metadataKey: key] }
    set { inner[metadataKey: key] = newValue }
  }

  func log(event: LogEvent) {
    var event = event
    event.message = "\(TerminalText.escaped(event.message.description, keepingNewlines: true))"
    event.metadata = event.metadata?.mapValues { .string(TerminalText.escaped($0.description)) }
    inner.log(event: event)
  }
}
