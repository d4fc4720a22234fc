import BlogSearch
@testable import BlogSearchServer
import BlogSearchTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Testing

/// The sidebar cache stays within its byte bound whatever the URLs, and keys by what changes the answer.
@Suite("Response cache")
struct ResponseCacheTests {
    @Test("thousands of unique entries never take the cache over its byte bound; recently read entries stay")
    func byteBound() throws {
        let cache = ResponseCache(capacityBytes: 256 << 10)
        let body = ByteBuffer(repeating: 0x61, count: 3_000)
        var peak = 0
        for number in 0..<5_000 {
            _ = cache.response("key-\(number)-" + String(repeating: "x", count: number % 500), generation: 1) { (body, "text/html") }
            // A hot entry, read all along, is never evicted.
            _ = cache.response("hot", generation: 1) { (ByteBuffer(string: "hot \(number)"), "text/html") }
            peak = max(peak, cache.bytes)
        }
        #expect(peak <= 256 << 10)
        #expect(cache.count > 20)
        #expect(String(buffer: cache.lookup("hot", generation: 1)!.body) == "hot 0")
        // An entry over a quarter of the budget is answered but not kept.
        _ = cache.response("huge", generation: 1) { (ByteBuffer(repeating: 0, count: 100_000), "text/html") }
        #expect(cache.lookup("huge", generation: 1) == nil)
    }

    @Test("a response is computed once per request and generation, and again after a swap")
    func perGeneration() throws {
        let cache = ResponseCache(capacityBytes: 1 << 20)
        var calls = 0
        func get(_ key: String, _ generation: Int) throws -> String? {
            _ = try cache.response(key, generation: generation) {
                calls += 1
                return (ByteBuffer(string: "\(key)@\(generation)#\(calls)"), "text/plain")
            }
            return cache.lookup(key, generation: generation).map { String(buffer: $0.body) }
        }
        #expect(try get("/a", 1) == "/a@1#1")
        #expect(try get("/a", 1) == "/a@1#1")
        #expect(try get("/a", 2) == "/a@2#2")
        #expect(cache.lookup("/a", generation: 1) == nil)
        #expect(try get("/b", 2) == "/b@2#3")
        #expect(try get("/a", 2) == "/a@2#2")
        #expect(calls == 3)
    }

    @Test("a newer generation empties the cache; a request still on the older one does not bring it back")
    func generations() {
        let cache = ResponseCache(capacityBytes: 1 << 20)
        _ = cache.response("a", generation: 1) { (ByteBuffer(string: "one"), "text/html") }
        _ = cache.response("a", generation: 2) { (ByteBuffer(string: "two"), "text/html") }
        _ = cache.response("b", generation: 1) { (ByteBuffer(string: "late"), "text/html") }
        #expect(cache.lookup("a", generation: 1) == nil)
        #expect(String(buffer: cache.lookup("a", generation: 2)!.body) == "two")
        #expect(cache.count == 1)
    }

    func router(_ holder: IndexHolder, _ cache: ResponseCache) -> Router<BlogSearchRequestContext> {
        let router = Router(context: BlogSearchRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: IndexMiddleware(holder: holder))
        router.addRoutes(RelatedController(cache: cache).endpoints)
        router.addRoutes(WidgetController(cache: cache).endpoints)
        return router
    }

    @Test("spellings of one request share an entry: parameter order, encoding, repeats and unknown parameters")
    func normalisedKeys() async throws {
        let dir = TemporaryDirectory()
        let holder = try Fixtures.holder(dir)
        let cache = ResponseCache(capacityBytes: 1 << 20)
        try await Application(router: router(holder, cache)).test(.router) { client in
            for uri in ["/posts/sla-basics/related?limit=3&exclude=angry-customers&exclude=empathy-in-support",
                        "/posts/sla-basics/related?utm_source=x&exclude=empathy-in-support&limit=%33&exclude=angry-customers",
                        "/posts/sla%2Dbasics/related?exclude=angry-customers&exclude=empathy-in-support&exclude=angry-customers&limit=3&sameCategory=false",
                        "/posts/sla-basics/related?limit=3&exclude=empathy-in-support&exclude=angry-customers&fbclid=\(UUID())"] {
                try await client.execute(uri: uri, method: .get) { response in
                    #expect(response.status == .ok)
                }
            }
            #expect(cache.count == 1)
            for uri in ["/widget/related/sla-basics?because=1&utm=1", "/widget/related/sla-basics?because=true", "/widget/related/sla-basics"] {
                try await client.execute(uri: uri, method: .get) { #expect($0.status == .ok) }
            }
            #expect(cache.count == 2)
        }
    }

    @Test("many unique long URLs keep the cache under its byte bound")
    func longURLs() async throws {
        let dir = TemporaryDirectory()
        let holder = try Fixtures.holder(dir)
        let cache = ResponseCache(capacityBytes: 128 << 10)
        try await withDeadline(seconds: Deadline.hang) {
            try await Application(router: router(holder, cache)).test(.router) { client in
                for number in 0..<300 {
                    // Unknown parameters do not make new entries; a long unique exclude does, within the bound.
                    let padding = String(repeating: "p", count: 3_000)
                    let uri = "/posts/sla-basics/related?tracking=\(padding)\(number)&exclude=\(padding)\(number)"
                    try await client.execute(uri: uri, method: .get) { #expect($0.status == .ok) }
                    #expect(cache.bytes <= 128 << 10)
                }
            }
        }
        #expect(cache.count > 10)
    }
}
