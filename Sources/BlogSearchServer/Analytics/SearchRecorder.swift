import BlogSearch
import Dispatch
import Foundation
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Where every reader search (`GET /search`, the demo's `GET /?q=`) is counted, once, after it is answered: the
/// `/metrics` counters, and — unless analytics are off — a `SearchRecord` queued for the analytics file.
///
/// The request only appends to a bounded queue in memory; the file is written off the request path, on a queue
/// of its own, in batches: every `batchInterval`, as soon as `batchSize` records wait, and once more when the
/// server stops gracefully (after the last request has been answered). When the writer cannot keep up, new
/// records are dropped (counted in `blogsearch_analytics_lost_total`) and the request never waits. A batch that
/// cannot be written (a full disk, a locked or read-only file, a file that is not an analytics file) is dropped
/// and logged once at warning; the next batch tries again. Analytics can be lost; a search never fails for them.
public final class SearchRecorder: Service, Sendable {
    /// Where and how much is recorded.
    public struct Settings: Sendable {
        /// The analytics file (`AnalyticsStore`), created when missing.
        public var file: String
        /// The most searches the file keeps; the oldest are deleted beyond it.
        public var maxRows = AnalyticsStore.maxRowsDefault
        /// The most records waiting in memory; more are dropped until the writer catches up.
        public var queueLimit = 10_000
        public var batchSize = 1_000
        public var batchInterval: Duration = .seconds(1)

        public init(file: String) {
            self.file = file
        }
    }

    /// Nil: searches are only counted (`--no-analytics`).
    public let settings: Settings?
    let logger: Logger
    private let pending = Mutex<[SearchRecord]>([])
    private let writer = Mutex(Writer())
    private let writes = DispatchQueue(label: "blogsearch.analytics")
    private let searches: Counter
    private let zeroResults: Counter
    private let lost: Counter

    /// The writer's state, used on `writes` only.
    private struct Writer {
        var store: AnalyticsStore?
        /// Records lost since the last batch that was written; non-zero while failing.
        var lostSinceFailure = 0
        var failing = false
    }

    public init(_ settings: Settings?, logger: Logger) {
        ServerMetrics.bootstrap()
        self.settings = settings
        self.logger = logger
        searches = Counter(label: "blogsearch_searches_total")
        zeroResults = Counter(label: "blogsearch_searches_zero_results_total")
        lost = Counter(label: "blogsearch_analytics_lost_total")
    }

    /// Counts a search that was answered, and queues its record. Pages after the first (`offset` > 0) are the
    /// same search read further and are not counted again; an empty query is not a search, nor is a search
    /// box's request while the reader types (`prefixLast`).
    public func record(_ request: SearchRequest, _ response: SearchResponse) {
        // A search box's as-you-type requests (`prefix=last`) are keystrokes, not searches: the query the reader
        // settles on is recorded when the form is submitted.
        guard request.offset == 0, !request.prefixLast,
              let record = SearchRecord(time: Int64(Date().timeIntervalSince1970), query: response.query, hits: response.total,
                                        correctedQuery: response.correctedQuery) else { return }
        searches.increment()
        if response.total == 0 { zeroResults.increment() }
        guard let settings else { return }
        let waiting = pending.withLock { records -> Int? in
            guard records.count < settings.queueLimit else { return nil }
            records.append(record)
            return records.count
        }
        guard let waiting else {
            lost.increment()
            return
        }
        if waiting == settings.batchSize { writes.async { self.writeBatch() } }
    }

    /// Writes what is queued now, and returns when it is written (or dropped).
    public func flush() async {
        await withCheckedContinuation { (done: CheckedContinuation<Void, Never>) in
            writes.async {
                self.writeBatch()
                done.resume()
            }
        }
    }

    /// Writes a batch every `batchInterval` until the server stops, then the last one.
    public func run() async throws {
        guard let settings else {
            try? await gracefulShutdown()   // nothing to write; a service that returned would stop the group
            return
        }
        await cancelWhenGracefulShutdown {
            while true {
                do {
                    try await Task.sleep(for: settings.batchInterval)
                } catch {
                    return
                }
                await self.flush()
            }
        }
        await flush()
        writer.withLock { $0.store = nil }
    }

    /// Takes the queued records and appends them to the file (opened on first use, and again after a failure).
    private func writeBatch() {
        guard let settings else { return }
        let batch = pending.withLock { records in
            var taken: [SearchRecord] = []
            swap(&taken, &records)
            return taken
        }
        guard !batch.isEmpty else { return }
        writer.withLock { state in
            do throws(AnalyticsError) {
                if state.store == nil { state.store = try AnalyticsStore.openForRecording(path: settings.file) }
                guard let store = state.store else { return }
                try store.append(batch, maxRows: settings.maxRows)
                if state.failing {
                    logger.info("search analytics are recorded again", metadata: ["file": "\(settings.file)", "lost": "\(state.lostSinceFailure)"])
                }
                state.failing = false
                state.lostSinceFailure = 0
            } catch {
                lost.increment(by: batch.count)
                state.store = nil   // opened afresh next time: the file may have been replaced or repaired
                state.lostSinceFailure += batch.count
                if !state.failing {
                    logger.warning("search analytics not recorded (searches are still answered); retrying with the next batch",
                                   metadata: ["error": "\(error)"])
                }
                state.failing = true
            }
        }
    }
}
