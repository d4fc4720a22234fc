import BlogSearch
@testable import BlogSearchServer
import BlogSearchTestSupport
import Foundation
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// A damaged generation is never served: refused before serving, and left as soon as a query meets damage.
@Suite("Corrupt generations")
struct CorruptionTests {
    static let logger = Logger(label: "test")

    /// Waits (at most 10 s) until `holder` serves `number`.
    static func waitFor(_ number: Int, _ holder: IndexHolder) async throws {
        let deadline = ContinuousClock.now + .seconds(10)
        while (try? holder.current().generation.number) != number, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(20))
        }
    }

    @Test("a byte-flipped copy published as the next generation is not served; healthz says degraded, and why")
    func byteFlippedCopy() async throws {
        let dir = TemporaryDirectory()
        try Fixtures.buildBlog(into: dir)
        let holder = try IndexHolder(directory: dir.url("indexes"), readers: 1)
        let copy = dir.url("indexes/gen-000002.sqlite")
        try FileManager.default.copyItem(atPath: dir.url("indexes/gen-000001.sqlite"), toPath: copy)
        let size = try FileManager.default.attributesOfItem(atPath: copy)[.size] as! UInt64
        try Damage.invert(copy, at: size / 2, count: 1)
        try GenerationStore(directory: dir.url("indexes")).makeCurrent(Generation(number: 2, path: copy))
        #expect(holder.reload(logger: Self.logger) == false)
        #expect(try holder.current().generation.number == 1)
        try await Fixtures.app(holder).test(.router) { client in
            for _ in 0..<20 {
                try await client.execute(uri: "/search?q=support", method: .get) { #expect($0.status == .ok) }
            }
            try await client.execute(uri: "/healthz", method: .get) { response in
                let json = try response.json()
                #expect(json["status"] as? String == "degraded")
                #expect(json["generation"] as? Int == 1)
                #expect((json["reason"] as? String)?.contains("gen-000002.sqlite") == true)
                #expect((json["reason"] as? String)?.contains("checksum does not match") == true)
            }
        }
        // Refused once, not read again while the file is unchanged; a good build is served.
        #expect(holder.reload(logger: Self.logger) == false)
        try FileManager.default.removeItem(atPath: copy)
        try Fixtures.buildBlog(into: dir, extra: [SwapTests.newPost])
        #expect(holder.reload(logger: Self.logger))
        #expect(holder.status.degraded == nil)
    }

    @Test("a server started on a corrupt current generation serves the last good one, degraded")
    func startOnCorrupt() throws {
        let dir = TemporaryDirectory()
        try Fixtures.buildBlog(into: dir)
        let second = try Fixtures.buildBlog(into: dir, extra: [SwapTests.newPost]).generation
        let size = try FileManager.default.attributesOfItem(atPath: second.path)[.size] as! UInt64
        try Damage.invert(second.path, at: size / 3, count: 16)
        let holder = try IndexHolder(directory: dir.url("indexes"), readers: 1)
        #expect(try holder.current().generation.number == 1)
        #expect(holder.status.degraded?.contains("gen-000002.sqlite was not served") == true)
    }

    @Test("damage met at run time: that request gets index_unavailable, healthz says degraded, the last good generation is served")
    func damagedWhileServed() async throws {
        let dir = TemporaryDirectory()
        try Fixtures.buildBlog(into: dir)
        let second = try Fixtures.buildBlog(into: dir, extra: [SwapTests.newPost]).generation
        let holder = try IndexHolder(directory: dir.url("indexes"), readers: 1)
        #expect(try holder.current().generation.number == 2)
        // In place, every page but the first: pages already cached stay as they were (immutable=1 never
        // rereads them); the text index's pages are read by the first search and are garbage.
        let size = try FileManager.default.attributesOfItem(atPath: second.path)[.size] as! UInt64
        try Damage.invert(second.path, at: 8192, count: Int(size) - 8192)
        try await Fixtures.app(holder).test(.router) { client in
            try await client.execute(uri: "/search?q=quagga", method: .get) { response in
                #expect(response.status == .serviceUnavailable)
                #expect(response.errorCode == "index_unavailable")
            }
            try await Self.waitFor(1, holder)
            try await client.execute(uri: "/healthz", method: .get) { response in
                let json = try response.json()
                #expect(json["status"] as? String == "degraded")
                #expect(json["generation"] as? Int == 1)
                #expect((json["reason"] as? String)?.contains("gen-000002.sqlite is damaged") == true)
            }
            try await client.execute(uri: "/search?q=swarming", method: .get) { response in
                #expect(response.status == .ok)
                let json = try response.json()
                #expect(json["total"] as? Int == 1)
            }
        }
        // CURRENT still names the damaged file: the watcher does not serve it again.
        #expect(holder.reload(logger: Self.logger) == false)
        #expect(try holder.current().generation.number == 1)
        #expect(holder.status.degraded != nil)
    }
}
