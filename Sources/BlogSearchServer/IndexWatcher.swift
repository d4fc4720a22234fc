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

    /// `IndexHolder.reload` on a thread of its own: verifying a new generation reads the whole file (seconds
    /// at 100k posts), which must not hold one of the few threads that answer requests.
    private func reload() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            Thread { [holder, logger] in
                holder.reload(logger: logger)
                done.resume()
            }.start()
        }
    }

    private func watch() async throws {
        try await cancelWhenGracefulShutdown {
            try await withThrowingTaskGroup(of: Void.self) { group in
                group.addTask {
                    while !Task.isCancelled {
                        try await Task.sleep(for: interval)
                        await reload()
                    }
                }
                group.addTask {
                    for await _ in await UnixSignalsSequence(trapping: .sighup) {
                        logger.info("SIGHUP: checking for a new generation")
                        await reload()
                    }
                }
                try await group.next()
                group.cancelAll()
            }
        }
    }
}
