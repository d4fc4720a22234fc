import BlogSearch
import Synchronization

/// The generation being served. Requests take the current `SearchIndex` once and use it to the end, so a
/// swap to a newer generation never affects a request in flight; nothing else holds on to a file.
public final class IndexHolder: Sendable {
    public let directory: String
    public let readers: Int
    private let state: Mutex<SearchIndex?>

    /// Opens the current generation of `directory`.
    /// - Throws: `IndexError` when there is none or it cannot be opened.
    public init(directory: String, readers: Int = 4) throws(IndexError) {
        self.directory = directory
        self.readers = readers
        let index = try SearchIndex.open(directory: directory, readers: readers)
        state = Mutex(index)
    }

    /// For tests: serve this index.
    public init(index: SearchIndex) {
        directory = ""
        readers = 1
        state = Mutex(index)
    }

    /// The index to answer one request with.
    /// - Throws: `IndexError` when nothing is being served.
    public func current() throws(IndexError) -> SearchIndex {
        guard let index = state.withLock({ $0 }) else { throw .noIndex(directory: directory) }
        return index
    }

    /// Replaces the served index.
    public func serve(_ index: SearchIndex) {
        state.withLock { $0 = index }
    }
}
