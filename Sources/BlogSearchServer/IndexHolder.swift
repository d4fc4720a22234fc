import BlogSearch
import Foundation
import Logging
import Synchronization

/// The generation being served. Requests take the current `SearchIndex` once and use it to the end, so a
/// swap to a newer generation never affects a request in flight: the old index (and its file) stays open
/// until the last request holding it finishes.
///
/// Only a generation that verifies (`Generation.verify`: its content checksum and `quick_check`) is served.
/// One that fails is remembered and not verified again until its file changes; the server keeps (or returns
/// to) the last good generation and reports degraded.
public final class IndexHolder: Sendable {
    public let directory: String
    public let readers: Int
    let logger: Logger

    /// What is served, and why a newer generation is not (when it failed to open).
    public struct Status: Sendable {
        public var index: SearchIndex?
        /// Set while the newest published generation cannot be served, or the served one was found damaged;
        /// cleared by the next good one.
        public var degraded: String?
    }

    /// A file that failed verification, as it was then: refused again without reading it while it is unchanged.
    private struct FileIdentity: Equatable {
        var device: UInt64, inode: UInt64, size: Int64, modified: Int

        init?(_ path: String) {
            var info = stat()
            guard stat(path, &info) == 0 else { return nil }
            device = UInt64(info.st_dev)
            inode = UInt64(info.st_ino)
            size = Int64(info.st_size)
            modified = info.st_mtim.tv_sec * 1_000_000_000 + info.st_mtim.tv_nsec
        }
    }

    private let state = Mutex(Status(index: nil, degraded: nil))
    private let refused = Mutex<[String: FileIdentity]>([:])
    private let reloading = Mutex(())

    /// Verifies and opens the current generation of `directory`. When it fails verification, the newest
    /// earlier generation that verifies is served instead, and the status says degraded.
    /// - Throws: `StoreError` when there is none, or neither it nor an earlier one can be served.
    public init(directory: String, readers: Int = 4, logger: Logger = Logger(label: "blogsearch.server")) throws(StoreError) {
        self.directory = directory
        self.readers = readers
        self.logger = logger
        let current = try GenerationStore(directory: directory).current()
        do throws(StoreError) {
            serve(try open(current))
        } catch {
            guard case .corrupt = error, let earlier = lastGood(before: current) else { throw error }
            serve(earlier, degraded: "\(current.fileName) was not served: \(error); serving \(earlier.generation.fileName) instead")
            logger.error("the current generation fails verification; serving an earlier one",
                         metadata: ["refused": "\(current.fileName)", "serving": "\(earlier.generation.fileName)", "reason": "\(error)"])
        }
    }

    public var status: Status { state.withLock { $0 } }

    /// The index to answer one request with.
    /// - Throws: `StoreError` when nothing is being served.
    public func current() throws(StoreError) -> SearchIndex {
        guard let index = state.withLock({ $0.index }) else { throw .noIndex(directory: directory) }
        return index
    }

    /// Replaces the served index.
    public func serve(_ index: SearchIndex) {
        serve(index, degraded: nil)
    }

    private func serve(_ index: SearchIndex, degraded: String?) {
        state.withLock { $0 = Status(index: index, degraded: degraded) }
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
            if isRefused(newest) { return false }   // still degraded, for the reason given when it was refused
            guard newest != served else {
                state.withLock { $0.degraded = nil }
                return false
            }
            do {
                let index = try open(newest)
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

    /// Verifies `generation` and opens it; remembers it as refused when it fails verification.
    private func open(_ generation: Generation) throws(StoreError) -> SearchIndex {
        do {
            let verification = try generation.verify()
            logger.info("verified \(generation.fileName)", metadata: ["seconds": "\(verification.seconds)",
                                                                       "checksum": "\(verification.checksum.map { String($0, radix: 16) } ?? "none")"])
            let index = try SearchIndex(generation: generation, readers: readers) { [weak self] reason in
                self?.damaged(generation, reason: reason)
            }
            // The first misspelt query should not pay for loading the spelling vocabulary; a failure here is
            // the first such query's to report.
            try? index.prepareSpelling()
            return index
        } catch {
            if case .corrupt = error, let identity = FileIdentity(generation.path) {
                refused.withLock { $0[generation.path] = identity }
            }
            throw error
        }
    }

    private func isRefused(_ generation: Generation) -> Bool {
        guard let identity = refused.withLock({ $0[generation.path] }) else { return false }
        return FileIdentity(generation.path) == identity
    }

    /// The newest generation before `generation` that verifies and opens.
    private func lastGood(before generation: Generation) -> SearchIndex? {
        for candidate in GenerationStore(directory: directory).list().reversed()
        where candidate.number < generation.number && !isRefused(candidate) {
            do {
                return try open(candidate)
            } catch {
                logger.warning("not returning to \(candidate.fileName)", metadata: ["reason": "\(error)"])
            }
        }
        return nil
    }

    /// A query met damage in the served file (it changed after it was verified): that request failed with
    /// `SearchError.indexCorrupt`; the server returns to the last good generation on a thread of its own,
    /// since verifying it reads the whole file.
    private func damaged(_ generation: Generation, reason: String) {
        logger.error("the served generation is damaged", metadata: ["generation": "\(generation.fileName)", "reason": "\(reason)"])
        Thread { [self] in
            reloading.withLock { _ in
                guard state.withLock({ $0.index?.generation }) == generation else { return }
                if let identity = FileIdentity(generation.path) { refused.withLock { $0[generation.path] = identity } }
                let why = "\(generation.fileName) is damaged (a query met: \(reason))"
                guard let earlier = lastGood(before: generation) else {
                    degrade(why + "; no earlier generation verifies, so it is still served", logger: logger)
                    return
                }
                serve(earlier, degraded: why + "; serving \(earlier.generation.fileName), the last good generation")
                logger.error("returned to the last good generation", metadata: ["damaged": "\(generation.fileName)",
                                                                               "serving": "\(earlier.generation.fileName)"])
            }
        }.start()
    }

    private func degrade(_ reason: String, logger: Logger) {
        let changed = state.withLock { status -> Bool in
            defer { status.degraded = reason }
            return status.degraded != reason
        }
        if changed { logger.error("index not swapped; still serving the previous generation", metadata: ["reason": "\(reason)"]) }
    }
}
