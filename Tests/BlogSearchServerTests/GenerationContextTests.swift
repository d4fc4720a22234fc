import BlogSearch
@testable import BlogSearchServer
import BlogSearchTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// A request takes the served generation once: its `ETag` and its body always come from the same index,
/// even when a swap happens between the cache middleware and the controller.
@Suite("One generation per request")
struct GenerationContextTests {
    /// Generation 1 (the fixture blog) is served; generation 2 (plus a post about quaggas) is open beside it.
    struct TwoGenerations: Sendable {
        let dir = TemporaryDirectory()
        let holder: IndexHolder
        let first: SearchIndex
        let second: SearchIndex

        init() throws {
            try Fixtures.buildBlog(into: dir)
            holder = try IndexHolder(directory: dir.url("indexes"), readers: 2)
            first = try holder.current()
            try Fixtures.buildBlog(into: dir, extra: [SwapTests.newPost])
            second = try SearchIndex.open(directory: dir.url("indexes"), readers: 2)
        }

        /// The generation number an `ETag` names (`"g2-…"`).
        static func generation(ofETag etag: String?) -> Int? {
            guard let etag, etag.hasPrefix("\"g") else { return nil }
            return Int(etag.dropFirst(2).prefix { $0.isNumber })
        }
    }

    /// Swaps the served generation after the cache middleware has made its ETag, before the controller runs.
    struct SwapMiddleware: RouterMiddleware {
        typealias Context = BlogSearchRequestContext
        let swap: @Sendable () -> Void

        func handle(_ request: Request, context: Context, next: (Request, Context) async throws -> Response) async throws -> Response {
            swap()
            return try await next(request, context)
        }
    }

    @Test("a swap between the ETag and the controller: the body is still the ETag's generation")
    func swapBetweenMiddlewareAndController() async throws {
        let generations = try TwoGenerations()
        let router = Router(context: BlogSearchRequestContext.self)
        router.add(middleware: ErrorMiddleware())
        router.add(middleware: IndexMiddleware(holder: generations.holder))
        router.add(middleware: CacheMiddleware(cacheControl: "no-cache"))
        router.add(middleware: SwapMiddleware { [holder = generations.holder, second = generations.second] in holder.serve(second) })
        router.addRoutes(SearchController().endpoints)
        try await Application(router: router).test(.router) { client in
            try await client.execute(uri: "/search?q=quagga", method: .get) { response in
                #expect(response.status == .ok)
                #expect(TwoGenerations.generation(ofETag: response.headers[.eTag]) == 1)
                // Generation 1 has no quagga; generation 2 has one.
                #expect((try? response.json())?["total"] as? Int == 0)
            }
        }
        #expect(try generations.holder.current().generation.number == 2)
    }

    @Test("swaps every few milliseconds under concurrent load: every ETag matches its body")
    func swapsUnderLoad() async throws {
        let generations = try TwoGenerations()
        let app = Fixtures.app(generations.holder)
        let checked = Checked()
        try await withDeadline(seconds: Deadline.hang) {
            try await app.test(.router) { client in
                try await withThrowingTaskGroup(of: Void.self) { group in
                    group.addTask {
                        var flip = false
                        while !checked.stopped {
                            generations.holder.serve(flip ? generations.first : generations.second)
                            flip.toggle()
                            try await Task.sleep(for: .milliseconds(2))
                        }
                    }
                    for worker in 0..<6 {
                        group.addTask {
                            for round in 0..<60 {
                                // The search API and the demo page: 1 quagga in generation 2, none in 1.
                                let uri = (worker + round).isMultiple(of: 2) ? "/search?q=quagga" : "/?q=quagga"
                                try await client.execute(uri: uri, method: .get) { response in
                                    let generation = TwoGenerations.generation(ofETag: response.headers[.eTag])
                                    let quaggas = uri.hasPrefix("/search")
                                        ? (try? response.json()["total"] as? Int) ?? -1
                                        : (response.text.contains("<h1>1 result for") ? 1 : 0)
                                    checked.record(generation != nil && quaggas == (generation == 2 ? 1 : 0),
                                                   "\(uri): ETag \(response.headers[.eTag] ?? "none"), \(quaggas) quaggas")
                                }
                            }
                        }
                    }
                    for _ in 0..<6 { try await group.next() }
                    checked.stop()
                    try await group.waitForAll()
                }
            }
        }
        let result = checked.state.withLock { $0 }
        #expect(result.responses == 360)
        #expect(result.mismatches.isEmpty, "\(result.mismatches.prefix(5))")
    }

    /// Responses checked by several tasks, and the signal that stops the swapping.
    final class Checked: Sendable {
        let state = Mutex((responses: 0, mismatches: [String](), stopped: false))
        var stopped: Bool { state.withLock { $0.stopped } }

        func stop() { state.withLock { $0.stopped = true } }

        func record(_ matches: Bool, _ description: String) {
            state.withLock { state in
                state.responses += 1
                if !matches { state.mismatches.append(description) }
            }
        }
    }
}
