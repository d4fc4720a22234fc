import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import BlogSearch
import BlogSearchTestSupport

/// End to end: the real `blogsearch` binary, as a user runs it.
@Suite("The blogsearch command")
struct CLITests {
    @Test("search on a fresh folder indexes the corpus first, then answers in JSON")
    func searchBuildsIndexFirst() throws {
        let dir = TemporaryDirectory()
        let corpus = Fixtures.blog(in: dir)
        let result = try Blogsearch.run(["search", "swarming", "--json", "--corpus", corpus, "--indexes", dir.url("indexes")])
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
        var result = try Blogsearch.run(["index", "--corpus", corpus, "--indexes", dir.url("indexes")])
        #expect(result.status == 0)
        #expect(result.stderr.contains("published gen-000001.sqlite"))
        dir.write("corpus/posts/broken.md", "---\ntitle: [unclosed\n---\n")
        result = try Blogsearch.run(["index", "--corpus", corpus, "--indexes", dir.url("indexes")])
        #expect(result.status == 3)
        #expect(result.stderr.contains("broken.md:"))
        #expect(result.stderr.contains("published gen-000002.sqlite"))
    }

    @Test("an empty corpus exits 4 and publishes nothing")
    func nothingPublished() throws {
        let dir = TemporaryDirectory()
        dir.write("corpus/notes.txt.bak", "")
        try FileManager.default.createDirectory(atPath: dir.url("corpus"), withIntermediateDirectories: true)
        let result = try Blogsearch.run(["index", "--corpus", dir.url("corpus"), "--indexes", dir.url("indexes")])
        #expect(result.status == 4)
        #expect(result.stderr.contains("nothing was published"))
    }

    @Test("a bad parameter is one line naming it, with usage exit code")
    func badParameter() throws {
        let result = try Blogsearch.run(["search", "x", "--limit", "500", "--indexes", "/nonexistent"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("--limit: 500 is not between 1 and 100"))
    }

    @Test("import page writes corpus files and reports the comments")
    func importPage() throws {
        let dir = TemporaryDirectory()
        let result = try Blogsearch.run(["import", "page", Fixtures.directory + "/pages/refund-policies.txt", "--into", dir.url("corpus")])
        #expect(result.status == 0)
        #expect(result.stdout.contains("with 3 comments and 2 replies"))
        #expect(FileManager.default.fileExists(atPath: dir.url("corpus/posts/refund-policies-that-keep-customers.md")))
        #expect(FileManager.default.fileExists(atPath: dir.url("corpus/comments/refund-policies-that-keep-customers/c3-r1.yml")))
    }
}

@Suite("blogsearch serve")
struct ServeCommandTests {
    @Test("serve builds the index when there is none, answers on its port, and exits 0 on SIGTERM")
    func serve() async throws {
        let dir = TemporaryDirectory()
        let corpus = Fixtures.blog(in: dir)
        let (process, port, output) = try Blogsearch.serve(["--corpus", corpus, "--indexes", dir.url("indexes")], within: 60)
        defer { if process.isRunning { process.terminate() } }
        let bound = try #require(port, "no address in: \(output)")
        #expect(output.contains("indexing"))
        let (data, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(bound)/healthz")!)
        #expect((response as? HTTPURLResponse)?.statusCode == 200)
        #expect(String(decoding: data, as: UTF8.self).contains("\"status\":\"ok\""))
        process.terminate()   // SIGTERM
        process.waitUntilExit()
        #expect(process.terminationReason == .exit)
        #expect(process.terminationStatus == 0)
    }
}

@Suite("Upgrading")
struct UpgradeTests {
    @Test("search rebuilds from the corpus when the current index has another format")
    func rebuildsOtherFormat() throws {
        let dir = TemporaryDirectory()
        let corpus = Fixtures.blog(in: dir)
        try FileManager.default.createDirectory(atPath: dir.url("indexes"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: Fixtures.directory + "/format-1/gen-000001.sqlite", toPath: dir.url("indexes/gen-000001.sqlite"))
        let result = try Blogsearch.run(["search", "swarming", "--json", "--corpus", corpus, "--indexes", dir.url("indexes")])
        #expect(result.status == 0)
        #expect(result.stderr.contains("has index format 1, this blogsearch reads"))
        #expect(result.stdout.contains("\"angry-customers\""))
        #expect(try GenerationStore(directory: dir.url("indexes")).current().number == 2)
    }
}
