import BlogSearch
import Foundation
import Logging
import Synchronization

/// The generation being served. Requests take the current `SearchIndex` once and use it to the end, so a
/// swap to a newer generation never affects a request in flight: the old index (and its file) stays open
/// until the last request holding it finishes.
public final class IndexHolder: Sendable {
    public let directory: String
    public let readers: Int

    /// What is served, and why a newer generation is not (when it failed to open).
    public struct Status: Sendable {
        public var index: SearchIndex?
        /// Set while the newest published generation cannot be served; cleared by the next good one.
        public var degraded: String?
    }

    private let state: Mutex<Status>
    private let reloading = Mutex(())

    /// Opens the current generation of `directory`.
    /// - Throws: `IndexError` when there is none or it cannot be opened.
    public init(directory: String, readers: Int = 4) throws(IndexError) {
        self.directory = directory
        self.readers = readers
        let index = try SearchIndex.open(directory: directory, readers: readers)
        state = Mutex(Status(index: index, degraded: nil))
        GenerationStore(directory: directory).recordServing(index.generation)
    }

    public var status: Status { state.withLock { $0 } }

    /// The index to answer one request with.
    /// - Throws: `IndexError` when nothing is being served.
    public func current() throws(IndexError) -> SearchIndex {
        guard let index = state.withLock({ $0.index }) else { throw .noIndex(directory: directory) }
        return index
    }

    /// Replaces the served index.
    public func serve(_ index: SearchIndex) {
        state.withLock { $0 = Status(index: index, degraded: nil) }
        GenerationStore(directory: directory).recordServing(index.generation)
    }

    /// Serves the folder's current generation if it is not the one being served. A generation that does not
    /// open or verify is never served: the old one stays, and the status says degraded with the reason.
    /// - Returns: true when a new generation is now served.
    @discardableResult
    public func reload(logger: Logger) -> Bool {
        reloading.withLock { _ in
            let served = state.withLock { $0.index?.generation }
            let newest: Generation
            do {
                newest = try GenerationStore(directory: directory).current()
            } catch {
                degrade("\(error)", logger: logger)
                return false
            }
            guard newest != served else {
                state.withLock { $0.degraded = nil }
                return false
            }
            do {
                let index = try SearchIndex(generation: newest, readers: readers)
                serve(index)
                logger.info("now serving \(newest.fileName)", metadata: ["posts": "\(index.postCount)",
                                                                          "previous": "\(served?.fileName ?? "none")"])
                return true
            } catch {
                degrade("\(newest.fileName) was not served: \(error)", logger: logger)
                return false
            }
        }
    }

    private func degrade(_ reason: String, logger: Logger) {
        let changed = state.withLock { status -> Bool in
            defer { status.degraded = reason }
            return status.degraded != reason
        }
        if changed { logger.error("index not swapped; still serving the previous generation", metadata: ["reason": "\(reason)"]) }
    }
}
