import BlogSearch
@testable import BlogSearchServer
import BlogSearchTestSupport
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Hummingbird
import HummingbirdTesting
import Logging
import Synchronization
import Testing

/// A running server follows new generations without a restart and never serves a broken one.
@Suite("Swapping generations")
struct SwapTests {
    static let logger = Logger(label: "test")

    static let newPost = Post(slug: "zebra-support", title: "Zebra Support", date: "2025-09-01",
                              body: "Quagga zebras need support too.", source: SourceLocation(path: "mem"))

    @Test("a swap under steady load: not one request fails, and new requests see the new generation")
    func swapUnderLoad() async throws {
        let dir = TemporaryDirectory()
        try Fixtures.buildBlog(into: dir)
        let holder = try IndexHolder(directory: dir.url("indexes"), readers: 2)
        var config = ServerConfiguration(port: 0, watchInterval: .milliseconds(50))
        // The test client opens its connection at once and sends its first request only after the load below:
        // longer than the default header and idle timeouts on a loaded machine, which would (rightly) close it.
        config.headerTimeout = .seconds(300)
        config.idleTimeout = .seconds(300)
        try await buildApplication(config, holder: holder, logger: Self.logger).test(.live) { client in
            let base = "http://127.0.0.1:\(try #require(client.port))"
            let tally = Tally()
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<4 {
                    group.addTask {
                        while !tally.done {
                            for path in ["/posts/sla-basics/related", "/search?q=support", "/healthz"] {
                                let (_, response) = try await URLSession.shared.data(from: URL(string: base + path)!)
                                tally.record(ok: (response as? HTTPURLResponse)?.statusCode == 200)
                            }
                        }
                    }
                }
                group.addTask {
                    // Load before, during and after the swap: 30 requests, the build and swap, 30 more.
                    // A deadline for a loaded machine only: the loop ends as soon as the requests are in.
                    let deadline = ContinuousClock.now + .seconds(120)
                    while tally.requests < 30, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
                    try Fixtures.buildBlog(into: dir, extra: [Self.newPost])
                    while (try? holder.current().generation.number) != 2, ContinuousClock.now < deadline {
                        try await Task.sleep(for: .milliseconds(10))
                    }
                    let swapped = tally.requests
                    while tally.requests < swapped + 30, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(10)) }
                    tally.finish()
                }
                try await group.waitForAll()
            }
            #expect(tally.failures == 0)
            #expect(tally.requests >= 60)
            try await client.execute(uri: "/healthz", method: .get) { response in
                let json = try response.json()
                #expect(json["generation"] as? Int == 2)
            }
            try await client.execute(uri: "/search?q=quagga", method: .get) { response in
                let json = try response.json()
                #expect(json["total"] as? Int == 1)
            }
        }
    }

    /// Counts requests from several tasks.
    final class Tally: Sendable {
        private let state = Mutex((requests: 0, failures: 0, done: false))
        var requests: Int { state.withLock { $0.requests } }
        var failures: Int { state.withLock { $0.failures } }
        var done: Bool { state.withLock { $0.done } }
        func record(ok: Bool) { state.withLock { $0.requests += 1; if !ok { $0.failures += 1 } } }
        func finish() { state.withLock { $0.done = true } }
    }

    @Test("a corrupted newest generation is never served; healthz says degraded; the next good one is served")
    func corrupted() throws {
        let dir = TemporaryDirectory()
        try Fixtures.buildBlog(into: dir)
        let holder = try IndexHolder(directory: dir.url("indexes"), readers: 1)
        let bad = dir.url("indexes/gen-000002.sqlite")
        try Data(repeating: 0x42, count: 4096).write(to: URL(fileURLWithPath: bad))
        try GenerationStore(directory: dir.url("indexes")).makeCurrent(Generation(number: 2, path: bad))
        #expect(holder.reload(logger: Self.logger) == false)
        #expect(try holder.current().generation.number == 1)
        #expect(holder.status.degraded?.contains("gen-000002.sqlite") == true)
        try FileManager.default.removeItem(atPath: bad)
        try Fixtures.buildBlog(into: dir, extra: [Self.newPost])
        #expect(holder.reload(logger: Self.logger))
        #expect(try holder.current().generation.number == 2)
        #expect(holder.status.degraded == nil)
    }

    @Test("a truncated newest generation is refused too")
    func truncated() throws {
        let dir = TemporaryDirectory()
        try Fixtures.buildBlog(into: dir)
        let holder = try IndexHolder(directory: dir.url("indexes"), readers: 1)
        let second = try Fixtures.buildBlog(into: dir, extra: [Self.newPost]).generation
        let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: second.path))
        try handle.truncate(atOffset: 8192)
        try handle.close()
        #expect(holder.reload(logger: Self.logger) == false)
        #expect(try holder.current().generation.number == 1)
        #expect(holder.status.degraded != nil)
    }

    @Test("a second server reading a synced copy swaps when the new file arrives")
    func syncedCopy() throws {
        let primary = TemporaryDirectory()
        let replica = TemporaryDirectory()
        func sync() throws {
            // As rsync does: each file written aside, then renamed into place; generations before CURRENT.
            let from = primary.url("indexes"), to = replica.url("indexes")
            try FileManager.default.createDirectory(atPath: to, withIntermediateDirectories: true)
            let names = try FileManager.default.contentsOfDirectory(atPath: from).filter { $0.hasPrefix("gen-") }.sorted() + ["CURRENT"]
            for name in names where !FileManager.default.fileExists(atPath: "\(to)/\(name)") || name == "CURRENT" {
                try? FileManager.default.removeItem(atPath: "\(to)/.\(name).tmp")
                try FileManager.default.copyItem(atPath: "\(from)/\(name)", toPath: "\(to)/.\(name).tmp")
                rename("\(to)/.\(name).tmp", "\(to)/\(name)")
            }
        }
        try Fixtures.buildBlog(into: primary)
        try sync()
        let holder = try IndexHolder(directory: replica.url("indexes"), readers: 1)
        #expect(try holder.current().generation.number == 1)
        try Fixtures.buildBlog(into: primary, extra: [Self.newPost])
        #expect(holder.reload(logger: Self.logger) == false)
        try sync()
        #expect(holder.reload(logger: Self.logger))
        #expect(try holder.current().generation.number == 2)
        #expect(try holder.current().search(SearchRequest(query: "quagga")).total == 1)
    }

    @Test("old generations are pruned, except one a running server still serves")
    func pruneSkipsServed() throws {
        let dir = TemporaryDirectory()
        try Fixtures.buildBlog(into: dir)
        let holder = try IndexHolder(directory: dir.url("indexes"), readers: 1)
        for _ in 2...5 { try Fixtures.buildBlog(into: dir) }
        let left = GenerationStore(directory: dir.url("indexes")).list().map(\.number)
        #expect(left == [1, 3, 4, 5])
        #expect(try holder.current().search(SearchRequest(query: "swarming")).total == 1)
        holder.reload(logger: Self.logger)
        try Fixtures.buildBlog(into: dir)
        #expect(GenerationStore(directory: dir.url("indexes")).list().map(\.number) == [4, 5, 6])
    }
}
