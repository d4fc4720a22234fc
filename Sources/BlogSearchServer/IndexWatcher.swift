import BlogSearch
import Foundation
import Logging
import ServiceLifecycle
import UnixSignals

/// Follows the `indexes/` folder: every `interval`, and at once on SIGHUP, serves a newly published (or
/// rolled back) generation. Runs beside the HTTP server in the same service group.
public struct IndexWatcher: Service {
    let holder: IndexHolder
    let interval: Duration
    let logger: Logger

    public init(holder: IndexHolder, interval: Duration = .seconds(2), logger: Logger) {
        self.holder = holder
        self.interval = interval
        self.logger = logger
    }

    public func run() async throws {
        defer { GenerationStore(directory: holder.directory).forgetServing() }
        do {
            try await watch()
        } catch is CancellationError {
            // Graceful shutdown cancels the watch: that is the normal end.
        }
    }

    private func watch() async throws {
        try await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: interval)
                        holder.reload(logger: logger)
                    }
                }
                group.addTask {
                    for await _ in await UnixSignalsSequence(trapping: .sighup) {
                        logger.info("SIGHUP: checking for a new generation")
                        holder.reload(logger: logger)
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }
}
