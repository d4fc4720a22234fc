import Hummingbird
import Synchronization

/// Encoded responses of the routes a sidebar calls on every page view (related posts, the widget fragment),
/// kept per generation: the same URL gets the same bytes until the index changes, so repeated views cost a
/// dictionary lookup instead of a query and an encode. A new generation starts an empty cache; the cache
/// holds at most `capacity` entries (then it starts over: the sidebar's working set refills it at once).
final class ResponseCache: Sendable {
    struct Entry: Sendable {
        var body: ByteBuffer
        var contentType: String
    }

    private let state = Mutex<(generation: Int, entries: [String: Entry])>((0, [:]))
    let capacity: Int

    init(capacity: Int = 20_000) {
        self.capacity = capacity
    }

    func lookup(_ key: String, generation: Int) -> Entry? {
        state.withLock { $0.generation == generation ? $0.entries[key] : nil }
    }

    /// The cached response for `key` in `generation`, or `make()`'s, cached when it is a 200 with a buffer body.
    func response(_ key: String, generation: Int, make: () throws -> (ByteBuffer, String)) rethrows -> Response {
        if let entry = lookup(key, generation: generation) {
            return Response(status: .ok, headers: [.contentType: entry.contentType], body: .init(byteBuffer: entry.body))
        }
        let (body, contentType) = try make()
        state.withLock { state in
            if state.generation != generation || state.entries.count >= capacity {
                state = (generation, [:])
            }
            state.entries[key] = Entry(body: body, contentType: contentType)
        }
        return Response(status: .ok, headers: [.contentType: contentType], body: .init(byteBuffer: body))
    }
}
