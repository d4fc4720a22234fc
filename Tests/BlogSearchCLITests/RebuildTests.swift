import Foundation
import Testing
import BlogSearch
import BlogSearchTestSupport

/// Nightly rebuilds: locking, the shrink guard, crashes and full disks at every step, rollback.
@Suite("Rebuilding safely")
struct RebuildTests {
    func index(_ dir: TemporaryDirectory, _ extra: [String] = [], environment: [String: String] = [:]) throws
        -> (status: Int32, stdout: String, stderr: String) {
        try Blogsearch.run(["index", "--corpus", dir.url("corpus"), "--indexes", dir.url("indexes")] + extra, environment: environment)
    }

    func leftovers(_ dir: TemporaryDirectory) throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: dir.url("indexes"))
            .filter { $0.hasPrefix(".building-") || $0.hasPrefix(".publishing-") }
    }

    func currentGeneration(_ dir: TemporaryDirectory) throws -> Int {
        try GenerationStore(directory: dir.url("indexes")).current().number
    }

    @Test("a second build exits 5 at once, naming the holder of the lock")
    func locked() throws {
        let dir = TemporaryDirectory()
        _ = Fixtures.blog(in: dir)
        let lock = try BuildLock(directory: dir.url("indexes"))
        let result = try index(dir)
        #expect(result.status == 5)
        #expect(result.stderr.contains("another index build is running (pid \(getpid())"))
        withExtendedLifetime(lock) {}
    }

    @Test("a lock left by a dead process is taken over with a warning")
    func staleLock() throws {
        let dir = TemporaryDirectory()
        _ = Fixtures.blog(in: dir)
        try FileManager.default.createDirectory(atPath: dir.url("indexes"), withIntermediateDirectories: true)
        try "pid 999999 on elsewhere, started 2026-01-01T03:00:00Z".write(toFile: dir.url("indexes/.lock"), atomically: true, encoding: .utf8)
        let result = try index(dir)
        #expect(result.status == 0)
        #expect(result.stderr.contains("took over the build lock"))
        #expect(result.stderr.contains("pid 999999"))
    }

    @Test("the shrink guard refuses a build that loses too many posts, names some, and --allow-shrink overrides it")
    func shrinkGuard() throws {
        let dir = TemporaryDirectory()
        _ = Fixtures.blog(in: dir)
        #expect(try index(dir).status == 0)
        try FileManager.default.removeItem(atPath: dir.url("corpus/posts/sla-basics.md"))
        try FileManager.default.removeItem(atPath: dir.url("corpus/posts/queue-management.md"))
        try FileManager.default.removeItem(atPath: dir.url("corpus/comments/sla-basics"))
        let refused = try index(dir)
        #expect(refused.status == 6)
        #expect(refused.stderr.contains("2 of 5 posts (40%) would vanish"))
        #expect(refused.stderr.contains("'queue-management'") && refused.stderr.contains("'sla-basics'"))
        #expect(try currentGeneration(dir) == 1)
        #expect(try index(dir, ["--max-shrink", "0.5"]).status == 0)
        #expect(try currentGeneration(dir) == 2)
        try FileManager.default.removeItem(atPath: dir.url("corpus/posts/escaping-forms.md"))
        try FileManager.default.removeItem(atPath: dir.url("corpus/posts/empathy-in-support.md"))
        #expect(try index(dir).status == 6)
        #expect(try index(dir, ["--allow-shrink"]).status == 0)
    }

    @Test("kill -9 at any step keeps the previous generation serving; the next run cleans up and publishes",
          arguments: ["reading", "writing", "relating", "verifying", "publishing"])
    func killed(point: String) throws {
        let dir = TemporaryDirectory()
        _ = Fixtures.blog(in: dir)
        #expect(try index(dir).status == 0)
        let process = try Blogsearch.start(["index", "--corpus", dir.url("corpus"), "--indexes", dir.url("indexes")],
                                           environment: ["BLOGSEARCH_FAULT": "pause:\(point)"])
        let stderr = process.standardError as! Pipe
        var seen = ""
        while !seen.contains("paused at \(point)") {
            let chunk = stderr.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            seen += String(decoding: chunk, as: UTF8.self)
        }
        #expect(seen.contains("paused at \(point)"))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(try currentGeneration(dir) == 1)
        let served = try SearchIndex.open(directory: dir.url("indexes"))
        #expect(served.generation.number == 1)
        #expect(try served.search(SearchRequest(query: "swarming")).hits.count == 1)
        let next = try index(dir)
        #expect(next.status == 0)
        #expect(try leftovers(dir) == [])
        let generations = GenerationStore(directory: dir.url("indexes")).list().map(\.number)
        #expect(generations.last == (try currentGeneration(dir)))
        #expect(generations.count == 2)
    }

    @Test("a disk that fills during a build: a clear error, nothing published, nothing left behind",
          arguments: ["writing", "relating", "publishing"])
    func diskFull(point: String) throws {
        let dir = TemporaryDirectory()
        _ = Fixtures.blog(in: dir)
        #expect(try index(dir).status == 0)
        let result = try index(dir, environment: ["BLOGSEARCH_FAULT": "fail:\(point)"])
        #expect(result.status == 4)
        #expect(result.stderr.contains("No space left on device"))
        #expect(result.stderr.contains("the previous index stays"))
        #expect(try currentGeneration(dir) == 1)
        #expect(GenerationStore(directory: dir.url("indexes")).list().map(\.number) == [1])
        #expect(try leftovers(dir) == [])
    }

    @Test("generations lists every build; rollback makes an earlier one current")
    func generationsAndRollback() throws {
        let dir = TemporaryDirectory()
        _ = Fixtures.blog(in: dir)
        for _ in 1...3 { #expect(try index(dir).status == 0) }
        var listing = try Blogsearch.run(["generations", "--indexes", dir.url("indexes")])
        #expect(listing.status == 0)
        #expect(listing.stdout.contains("*   3"))
        #expect(listing.stdout.contains("gen-000001.sqlite"))
        let back = try Blogsearch.run(["rollback", "--indexes", dir.url("indexes")])
        #expect(back.status == 0)
        #expect(try currentGeneration(dir) == 2)
        #expect(try Blogsearch.run(["rollback", "1", "--indexes", dir.url("indexes")]).status == 0)
        #expect(try currentGeneration(dir) == 1)
        let missing = try Blogsearch.run(["rollback", "7", "--indexes", dir.url("indexes")])
        #expect(missing.status == 1)
        #expect(missing.stderr.contains("no generation 7"))
        listing = try Blogsearch.run(["generations", "--indexes", dir.url("indexes")])
        #expect(listing.stdout.contains("*   1"))
    }
}
