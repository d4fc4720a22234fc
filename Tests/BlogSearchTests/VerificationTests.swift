import Foundation
import GRDB
import Synchronization
import Testing
@testable import BlogSearch

/// A generation that fails verification is never copied, rolled back to, or kept instead of a good one.
@Suite("Verifying generations")
struct VerificationTests {
    let cli = CLITests()

    /// Builds the fixture blog (plus `extra` posts) into `dir/indexes`.
    @discardableResult
    static func build(_ dir: TemporaryDirectory, extra: [Post] = [], keep: Int = GenerationStore.keepDefault) throws -> BuildSummary {
        var corpus = try CorpusReader().read(at: Fixtures.directory + "/blog")
        corpus.posts += extra
        return try IndexBuilder(indexesDirectory: dir.url("indexes"), keep: keep).build(corpus, corpusPath: "blog")
    }

    /// Overwrites `count` bytes of `path` at `offset` with 0xFF, in place.
    static func damage(_ path: String, at offset: UInt64, count: Int = 1) throws {
        let handle = try FileHandle(forUpdating: URL(fileURLWithPath: path))
        try handle.seek(toOffset: offset)
        let old = try handle.read(upToCount: count) ?? Data()
        try handle.seek(toOffset: offset)
        try handle.write(contentsOf: Data(old.map { ~$0 }) + Data(repeating: 0xFF, count: count - old.count))
        try handle.close()
    }

    /// Damages a page in the middle of the file: b-tree pages, so `quick_check` and FTS5 notice too.
    static func damageMiddle(_ path: String) throws {
        let size = try FileManager.default.attributesOfItem(atPath: path)[.size] as! UInt64
        try damage(path, at: size / 2 / 8192 * 8192, count: 8192)
    }

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
        let summary = try Self.build(dir)
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
        let generation = try Self.build(dir).generation
        let size = try FileManager.default.attributesOfItem(atPath: generation.path)[.size] as! UInt64
        try Self.damage(generation.path, at: max(100, UInt64(Double(size) * share)))
        let failure = Self.failure { _ = try generation.verify() }
        #expect(failure?.contains("gen-000001.sqlite") == true)
        #expect(failure?.contains("checksum does not match") == true)
    }

    @Test("a sealed file whose checksum fields were zeroed does not pass for one built before checksums")
    func zeroedSeal() throws {
        let dir = TemporaryDirectory()
        let generation = try Self.build(dir).generation
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
        let first = try Self.build(dir).generation
        try Self.damageMiddle(first.path)
        let summary = try Self.build(dir)
        guard case .full(let reason) = summary.reuse else {
            Issue.record("expected a full build, got \(summary.reuse)")
            return
        }
        #expect(reason.contains("gen-000001.sqlite fails verification"))
        #expect(summary.refusedPrevious == reason)
        #expect(try summary.generation.verify().checksum != nil)
        #expect(try SearchIndex(generation: summary.generation).search(SearchRequest(query: "swarming")).total == 1)
        // A good current generation is reused as before.
        #expect(try Self.build(dir).reuse == .incremental(reused: 5, changed: 0, added: 0))
    }

    @Test("index: a corrupt current generation makes a full build, with a warning even under --quiet")
    func indexCommandWarns() throws {
        let dir = TemporaryDirectory()
        let corpus = Fixtures.blog(in: dir)
        #expect(try cli.run(["index", "--corpus", corpus, "--indexes", dir.url("indexes")]).status == 0)
        try Self.damageMiddle(dir.url("indexes/gen-000001.sqlite"))
        let result = try cli.run(["index", "--quiet", "--corpus", corpus, "--indexes", dir.url("indexes")])
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: gen-000001.sqlite fails verification"))
        #expect(try GenerationStore(directory: dir.url("indexes")).current().verify().checksum != nil)
    }

    @Test("rollback refuses a generation that fails verification, naming it and why; CURRENT stays")
    func rollbackRefuses() throws {
        let dir = TemporaryDirectory()
        for _ in 1...3 { try Self.build(dir) }
        try Self.damageMiddle(dir.url("indexes/gen-000002.sqlite"))
        let refused = try cli.run(["rollback", "--indexes", dir.url("indexes")])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refusing to roll back to gen-000002.sqlite"))
        #expect(refused.stderr.contains("checksum does not match"))
        #expect(try GenerationStore(directory: dir.url("indexes")).current().number == 3)
        #expect(try cli.run(["rollback", "1", "--indexes", dir.url("indexes")]).status == 0)
        #expect(try GenerationStore(directory: dir.url("indexes")).current().number == 1)
        let listing = try cli.run(["generations", "--indexes", dir.url("indexes")])
        #expect(listing.stdout.contains("gen-000002.sqlite  UNUSABLE"))
    }

    @Test("pruning keeps the newest good generations and never counts a corrupt one as kept")
    func pruneByGood() throws {
        let dir = TemporaryDirectory()
        for _ in 1...3 { try Self.build(dir) }
        try Self.damageMiddle(dir.url("indexes/gen-000002.sqlite"))
        try Self.damageMiddle(dir.url("indexes/gen-000003.sqlite"))
        let summary = try Self.build(dir)
        #expect(summary.generation.number == 4)
        let store = GenerationStore(directory: dir.url("indexes"))
        #expect(store.list().map(\.number) == [1, 4])
        #expect(try store.list()[0].verify().checksum != nil)
    }

    @Test("only a missing CURRENT means 'look for the newest': other errors are reported as what they are")
    func currentErrors() throws {
        let dir = TemporaryDirectory()
        try Self.build(dir)
        let store = GenerationStore(directory: dir.url("indexes"))
        try FileManager.default.removeItem(atPath: dir.url("indexes/CURRENT"))
        #expect(try store.current().number == 1)
        try FileManager.default.createDirectory(atPath: dir.url("indexes/CURRENT"), withIntermediateDirectories: false)
        #expect(Self.failure { _ = try store.current() }?.contains("CURRENT: Is a directory") == true)
        let file = dir.write("not-a-folder", "")
        #expect(Self.failure { _ = try GenerationStore(directory: file).current() }?.contains("Not a directory") == true)
        #expect(Self.failure { _ = try GenerationStore(directory: dir.url("missing")).current() }?.hasPrefix("no index in") == true)
    }

    @Test("a server out of file descriptors says so, not 'no index'", .timeLimit(.minutes(1)),
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit")))
    func descriptorExhaustion() throws {
        let dir = TemporaryDirectory()
        try Self.build(dir)
        let server = try cli.start(["serve", "--indexes", dir.url("indexes"), "--port", "0", "--watch-interval", "0.05"])
        let log = StderrLog(server)
        defer {
            server.terminate()
            server.waitUntilExit()
        }
        func prlimit(_ nofile: String) throws {
            let tool = try Process.run(URL(fileURLWithPath: "/usr/bin/prlimit"), arguments: ["--pid", "\(server.processIdentifier)", "--nofile=\(nofile)"])
            tool.waitUntilExit()
            #expect(tool.terminationStatus == 0)
        }
        #expect(log.wait(for: "serving gen-000001.sqlite", seconds: 20))
        // Below the descriptors already open: every open() now fails with EMFILE.
        try prlimit("4:")
        let said = log.wait(for: "Too many open files", seconds: 10)
        try prlimit("1024:")
        #expect(said)
        #expect(!log.text.contains("no index in"))
    }
}

/// The stderr of a running process, collected on a thread of its own.
final class StderrLog: Sendable {
    private let collected = Mutex("")

    init(_ process: Process) {
        let handle = (process.standardError as! Pipe).fileHandleForReading
        Thread { [self] in
            while true {
                let data = handle.availableData
                if data.isEmpty { return }
                collected.withLock { $0 += String(decoding: data, as: UTF8.self) }
            }
        }.start()
    }

    var text: String { collected.withLock { $0 } }

    /// Waits until `needle` has been written, at most `seconds`.
    func wait(for needle: String, seconds: Double) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while Date() < deadline {
            if text.contains(needle) { return true }
            usleep(20_000)
        }
        return text.contains(needle)
    }
}
