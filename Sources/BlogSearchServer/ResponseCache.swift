import BlogSearch
import Hummingbird
import Synchronization

/// Encoded responses of the routes a sidebar calls on every page view (related posts, the widget fragment),
/// kept per generation: the same request gets the same bytes until the index changes, so repeated views cost a
/// dictionary lookup instead of a query and an encode. A new generation starts an empty cache.
///
/// Keys are made by the controllers from the parsed parameters that change the answer (not the raw URI), so
/// parameter order, spelling and unknown parameters do not multiply entries. The cache is bounded in bytes
/// (keys and bodies): entries live in a recent and an older half of at most half the budget each; when the
/// recent half is full it becomes the older half and the previous older half is dropped, and an entry found in the older
/// half moves back to the recent one. So what is read stays, what is not ages out, and the total never
/// exceeds `capacityBytes`, whatever the URLs.
final class ResponseCache: Sendable {
    struct Entry: Sendable {
        var body: ByteBuffer
        var contentType: String
        var bytes: Int
    }

    private struct State {
        var generation = 0
        var recent: [String: Entry] = [:]
        var recentBytes = 0
        var older: [String: Entry] = [:]
        var olderBytes = 0

        var bytes: Int { recentBytes + olderBytes }

        /// Adds `entry` to the recent half (which holds at most `half` bytes), first turning a full recent half
        /// into the older one.
        mutating func insert(_ key: String, _ entry: Entry, half: Int) {
            if let old = recent.removeValue(forKey: key) { recentBytes -= old.bytes }
            if let old = older.removeValue(forKey: key) { olderBytes -= old.bytes }
            if recentBytes + entry.bytes > half {
                older = recent
                olderBytes = recentBytes
                recent = [:]
                recentBytes = 0
            }
            recent[key] = entry
            recentBytes += entry.bytes
        }
    }

    /// What an entry costs besides its key and body: dictionary slots, the content type, the entry itself.
    static let entryOverhead = 128

    private let state = Mutex(State())
    let capacityBytes: Int

    init(capacityBytes: Int = 64 << 20) {
        self.capacityBytes = capacityBytes
    }

    /// Bytes held now (keys, bodies and per-entry overhead).
    var bytes: Int { state.withLock { $0.bytes } }
    /// Entries held now.
    var count: Int { state.withLock { $0.recent.count + $0.older.count } }

    /// The key of `request` on `route`: every value that changes the answer, each quoted (so no two requests
    /// share a key by accident), in one order. `extra` holds the route's own options (the widget's title).
    static func key(_ route: String, _ request: RelatedRequest, _ extra: String...) -> String {
        let source: String
        switch request.source {
        case .slug(let slug): source = "slug:" + slug
        case .url(let url): source = "url:" + url
        case .text(let text): source = "text:" + text
        }
        let parts = [route, source, "\(request.limit)", "\(request.sameCategory)", "\(request.olderOnly)"] + extra + request.exclude
        return parts.map(JSONText.quote).joined(separator: ",")
    }

    func lookup(_ key: String, generation: Int) -> Entry? {
        state.withLock { state in
            guard state.generation == generation else { return nil }
            if let entry = state.recent[key] { return entry }
            guard let entry = state.older[key] else { return nil }
            state.insert(key, entry, half: capacityBytes / 2)
            return entry
        }
    }

    /// The cached response for `key` in `generation`, or `make()`'s, cached when it is a 200 with a buffer body.
    /// An entry over a quarter of the budget is served but not kept.
    func response(_ key: String, generation: Int, make: () throws -> (ByteBuffer, String)) rethrows -> Response {
        if let entry = lookup(key, generation: generation) {
            return Response(status: .ok, headers: [.contentType: entry.contentType], body: .init(byteBuffer: entry.body))
        }
        let (body, contentType) = try make()
        let entry = Entry(body: body, contentType: contentType,
                          bytes: key.utf8.count + body.readableBytes + contentType.utf8.count + ResponseCache.entryOverhead)
        if entry.bytes <= capacityBytes / 4 {
            state.withLock { state in
                if state.generation != generation {
                    guard generation > state.generation else { return }
                    state = State(generation: generation)
                }
                state.insert(key, entry, half: capacityBytes / 2)
            }
        }
        return Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: body))
    }
}
