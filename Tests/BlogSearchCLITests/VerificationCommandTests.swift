import BlogSearch
import BlogSearchTestSupport
import Foundation
import Synchronization
import Testing

/// What the `blogsearch` binary does with a generation that fails verification: `index` builds afresh and warns,
/// `rollback` refuses it, and `serve`, out of file descriptors, says so.
@Suite("Verifying generations, through the command")
struct VerificationCommandTests {
    @Test("index: a corrupt current generation makes a full build, with a warning even under --quiet")
    func indexCommandWarns() throws {
        let dir = TemporaryDirectory()
        let corpus = Fixtures.blog(in: dir)
        #expect(try Blogsearch.run(["index", "--corpus", corpus, "--indexes", dir.url("indexes")]).status == 0)
        try Damage.middlePage(dir.url("indexes/gen-000001.sqlite"))
        let result = try Blogsearch.run(["index", "--quiet", "--corpus", corpus, "--indexes", dir.url("indexes")])
        #expect(result.status == 0)
        #expect(result.stderr.contains("warning: gen-000001.sqlite fails verification"))
        #expect(try GenerationStore(directory: dir.url("indexes")).current().verify().checksum != nil)
    }

    @Test("rollback refuses a generation that fails verification, naming it and why; CURRENT stays")
    func rollbackRefuses() throws {
        let dir = TemporaryDirectory()
        for _ in 1...3 { try Fixtures.buildBlog(into: dir) }
        try Damage.middlePage(dir.url("indexes/gen-000002.sqlite"))
        let refused = try Blogsearch.run(["rollback", "--indexes", dir.url("indexes")])
        #expect(refused.status == 1)
        #expect(refused.stderr.contains("refusing to roll back to gen-000002.sqlite"))
        #expect(refused.stderr.contains("checksum does not match"))
        #expect(try GenerationStore(directory: dir.url("indexes")).current().number == 3)
        #expect(try Blogsearch.run(["rollback", "1", "--indexes", dir.url("indexes")]).status == 0)
        #expect(try GenerationStore(directory: dir.url("indexes")).current().number == 1)
        let listing = try Blogsearch.run(["generations", "--indexes", dir.url("indexes")])
        #expect(listing.stdout.contains("gen-000002.sqlite  UNUSABLE"))
    }

    @Test("a server out of file descriptors says so, not 'no index'", .timeLimit(.minutes(1)),
          .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prlimit")))
    func descriptorExhaustion() throws {
        let dir = TemporaryDirectory()
        try Fixtures.buildBlog(into: dir)
        let server = try Blogsearch.start(["serve", "--indexes", dir.url("indexes"), "--port", "0", "--watch-interval", "0.05"])
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
