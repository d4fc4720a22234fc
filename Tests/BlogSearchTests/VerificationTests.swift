import Foundation
import GRDB
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

/// A generation that fails verification is never copied, rolled back to, or kept instead of a good one.
@Suite("Verifying generations")
struct VerificationTests {
    /// What `body` throws, as text; nil when it does not throw.
    static func failure(_ body: () throws -> Void) -> String? {
        do {
            try body()
            return nil
        } catch {
            return "\(error)"
        }
    }

    @Test("XXH64 matches xxHash's reference values, fed in one piece or in chunks")
    func xxh64() {
        func hash(_ bytes: [UInt8], split: Int? = nil) -> String {
            var hasher = XXH64()
            bytes.withUnsafeBytes { all in
                if let split {
                    hasher.add(UnsafeRawBufferPointer(rebasing: all[..<split]))
                    hasher.add(UnsafeRawBufferPointer(rebasing: all[split...]))
                } else {
                    hasher.add(all)
                }
            }
            return Generation.hex(hasher.finish())
        }
        #expect(hash([]) == "ef46db3751d8e999")
        #expect(hash(Array("a".utf8)) == "d24ec4f1a98c6e5b")
        #expect(hash(Array("abc".utf8)) == "44bc2cf5ad770999")
        let long = Array((0..<768).map { UInt8($0 % 256) }) + Array("tail-bytes!".utf8)
        #expect(hash(long) == "47dfed05396022c7")
        #expect(hash(long, split: 512) == "47dfed05396022c7")
    }

    @Test("a build seals its generation: the checksum of every byte sits in the header, the manifest says so, and it verifies")
    func sealed() throws {
        let dir = TemporaryDirectory()
        let summary = try Fixtures.buildBlog(into: dir)
        let path = summary.generation.path
        let stored = try GenerationSeal.stored(path)
        #expect(stored != 0)
        #expect(stored == max(try GenerationSeal.checksum(path), 1))
        #expect(summary.manifest.checksum == GenerationSeal.scheme)
        #expect(try SearchIndex(generation: summary.generation).manifest.checksum == GenerationSeal.scheme)
        #expect(try summary.generation.verify().checksum == stored)
        let userVersion = try DatabaseQueue(path: path).read { try Int.fetchOne($0, sql: "PRAGMA user_version") }
        #expect(UInt64(UInt32(truncatingIfNeeded: userVersion ?? 0)) == stored >> 32)
    }

    @Test("one flipped byte anywhere fails verification, naming the file and the checksum", arguments: [0.0, 0.3, 0.9999])
    func flippedByte(at share: Double) throws {
        let dir = TemporaryDirectory()
        let generation = try Fixtures.buildBlog(into: dir).generation
        let size = try FileManager.default.attributesOfItem(atPath: generation.path)[.size] as! UInt64
        try Damage.invert(generation.path, at: max(100, UInt64(Double(size) * share)))
        let failure = Self.failure { _ = try generation.verify() }
        #expect(failure?.contains("gen-000001.sqlite") == true)
        #expect(failure?.contains("checksum does not match") == true)
    }

    @Test("a sealed file whose checksum fields were zeroed does not pass for one built before checksums")
    func zeroedSeal() throws {
        let dir = TemporaryDirectory()
        let generation = try Fixtures.buildBlog(into: dir).generation
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: generation.path))
        for offset in GenerationSeal.fields {
            try handle.seek(toOffset: UInt64(offset))
            try handle.write(contentsOf: Data(count: 4))
        }
        try handle.close()
        #expect(Self.failure { _ = try generation.verify() }?.contains("its header holds none") == true)
    }

    @Test("a generation built before checksums verifies by quick_check alone")
    func unsealed() throws {
        let generation = Generation(number: 1, path: Fixtures.directory + "/format-4/gen-000001.sqlite")
        #expect(try generation.verify().checksum == nil)
    }

    @Test("an incremental build never starts from a generation that fails verification: a full build, and it says why")
    func incrementalRefusesCorrupt() throws {
        let dir = TemporaryDirectory()
        let first = try Fixtures.buildBlog(into: dir).generation
        try Damage.middlePage(first.path)
        let summary = try Fixtures.buildBlog(into: dir)
        guard case .full(let reason) = summary.reuse else {
            Issue.record("expected a full build, got \(summary.reuse)")
            return
        }
        #expect(reason.contains("gen-000001.sqlite fails verification"))
        #expect(summary.refusedPrevious == reason)
        #expect(try summary.generation.verify().checksum != nil)
        #expect(try SearchIndex(generation: summary.generation).search(SearchRequest(query: "swarming")).total == 1)
        // A good current generation is reused as before.
        #expect(try Fixtures.buildBlog(into: dir).reuse == .incremental(reused: 5, changed: 0, added: 0))
    }

    @Test("pruning keeps the newest good generations and never counts a corrupt one as kept")
    func pruneByGood() throws {
        let dir = TemporaryDirectory()
        for _ in 1...3 { try Fixtures.buildBlog(into: dir) }
        try Damage.middlePage(dir.url("indexes/gen-000002.sqlite"))
        try Damage.middlePage(dir.url("indexes/gen-000003.sqlite"))
        let summary = try Fixtures.buildBlog(into: dir)
        #expect(summary.generation.number == 4)
        let store = GenerationStore(directory: dir.url("indexes"))
        #expect(store.list().map(\.number) == [1, 4])
        #expect(try store.list()[0].verify().checksum != nil)
    }

    @Test("only a missing CURRENT means 'look for the newest': other errors are reported as what they are")
    func currentErrors() throws {
        let dir = TemporaryDirectory()
        try Fixtures.buildBlog(into: dir)
        let store = GenerationStore(directory: dir.url("indexes"))
        try FileManager.default.removeItem(atPath: dir.url("indexes/CURRENT"))
        #expect(try store.current().number == 1)
        try FileManager.default.createDirectory(atPath: dir.url("indexes/CURRENT"), withIntermediateDirectories: false)
        #expect(Self.failure { _ = try store.current() }?.contains("CURRENT: Is a directory") == true)
        let file = dir.write("not-a-folder", "")
        #expect(Self.failure { _ = try GenerationStore(directory: file).current() }?.contains("Not a directory") == true)
        #expect(Self.failure { _ = try GenerationStore(directory: dir.url("missing")).current() }?.hasPrefix("no index in") == true)
    }
}
