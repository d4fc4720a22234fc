import Foundation
import Testing

/// End to end: the real `blogsearch` binary, as a user runs it.
@Suite("The blogsearch command")
struct CLITests {
    static var binary: String {
        let products = Bundle.module.bundleURL.deletingLastPathComponent()   // .build/<triple>/debug
        return products.appendingPathComponent("blogsearch").path
    }

    func run(_ arguments: [String]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let stdout = out.fileHandleForReading.readDataToEndOfFile()
        let stderr = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: stdout, as: UTF8.self), String(decoding: stderr, as: UTF8.self))
    }

    @Test("search on a fresh folder indexes the corpus first, then answers in JSON")
    func searchBuildsIndexFirst() throws {
        let dir = TemporaryDirectory()
        let corpus = Fixtures.blog(in: dir)
        let result = try run(["search", "swarming", "--json", "--corpus", corpus, "--indexes", dir.url("indexes")])
        #expect(result.status == 0)
        #expect(result.stderr.contains("indexing"))
        let json = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as! [String: Any]
        #expect(json["total"] as? Int == 1)
        let hits = json["hits"] as! [[String: Any]]
        #expect(hits.first?["slug"] as? String == "angry-customers")
        #expect(hits.first?["matchedIn"] as? [String] == ["comments"])
        for key in ["query", "total", "hits", "facets", "tookMs"] { #expect(json[key] != nil) }
    }

    @Test("index exits 3 when files were skipped, and names them")
    func indexExitCodes() throws {
        let dir = TemporaryDirectory()
        let corpus = Fixtures.blog(in: dir)
        var result = try run(["index", "--corpus", corpus, "--indexes", dir.url("indexes")])
        #expect(result.status == 0)
        #expect(result.stderr.contains("published gen-000001.sqlite"))
        dir.write("corpus/posts/broken.md", "---\ntitle: [unclosed\n---\n")
        result = try run(["index", "--corpus", corpus, "--indexes", dir.url("indexes")])
        #expect(result.status == 3)
        #expect(result.stderr.contains("broken.md:"))
        #expect(result.stderr.contains("published gen-000002.sqlite"))
    }

    @Test("an empty corpus exits 4 and publishes nothing")
    func nothingPublished() throws {
        let dir = TemporaryDirectory()
        dir.write("corpus/notes.txt.bak", "")
        try FileManager.default.createDirectory(atPath: dir.url("corpus"), withIntermediateDirectories: true)
        let result = try run(["index", "--corpus", dir.url("corpus"), "--indexes", dir.url("indexes")])
        #expect(result.status == 4)
        #expect(result.stderr.contains("nothing was published"))
    }

    @Test("a bad parameter is one line naming it, with usage exit code")
    func badParameter() throws {
        let result = try run(["search", "x", "--limit", "500", "--indexes", "/nonexistent"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--limit: 500 is not between 1 and 100"))
    }

    @Test("import page writes corpus files and reports the comments")
    func importPage() throws {
        let dir = TemporaryDirectory()
        let result = try run(["import", "page", Fixtures.directory + "/pages/refund-policies.txt", "--into", dir.url("corpus")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("with 3 comments and 2 replies"))
        #expect(FileManager.default.fileExists(atPath: dir.url("corpus/posts/refund-policies-that-keep-customers.md")))
        #expect(FileManager.default.fileExists(atPath: dir.url("corpus/comments/refund-policies-that-keep-customers/c3-r1.yml")))
    }
}
