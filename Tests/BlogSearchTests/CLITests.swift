import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
@testable import BlogSearch

/// End to end: the real `blogsearch` binary, as a user runs it.
@Suite("The blogsearch command")
struct CLITests {
    static var binary: String {
        let products = Bundle.module.bundleURL.deletingLastPathComponent()   // .build/<triple>/debug
        return products.appendingPathComponent("blogsearch").path
    }

    /// Starts the binary with pipes for stdout and stderr.
    func start(_ arguments: [String], environment: [String: String] = [:]) throws -> Process {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Self.binary)
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 }
        process.standardOutput = Pipe()
        process.standardError = Pipe()
        try process.run()
        return process
    }

    func run(_ arguments: [String], environment: [String: String] = [:]) throws -> (status: Int32, stdout: String, stderr: String) {
        let process = try start(arguments, environment: environment)
        let stdout = (process.standardOutput as! Pipe).fileHandleForReading.readDataToEndOfFile()
        let stderr = (process.standardError as! Pipe).fileHandleForReading.readDataToEndOfFile()
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

@Suite("blogsearch serve")
struct ServeCommandTests {
    @Test("serve builds the index when there is none, answers on its port, and exits 0 on SIGTERM")
    func serve() async throws {
        let dir = TemporaryDirectory()
        let corpus = Fixtures.blog(in: dir)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: CLITests.binary)
        process.arguments = ["serve", "--port", "0", "--corpus", corpus, "--indexes", dir.url("indexes")]
        let err = Pipe()
        process.standardError = err
        process.standardOutput = FileHandle.nullDevice
        try process.run()
        defer { if process.isRunning { process.terminate() } }
        // Read stderr until the line that names the address.
        var output = ""
        var port: Int?
        let deadline = Date().addingTimeInterval(60)
        while port == nil, Date() < deadline {
            let chunk = err.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            output += String(decoding: chunk, as: UTF8.self)
            if let range = output.range(of: "at http://127.0.0.1:") {
                port = Int(output[range.upperBound...].prefix { $0.isNumber })
            }
        }
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
        let result = try CLITests().run(["search", "swarming", "--json", "--corpus", corpus, "--indexes", dir.url("indexes")])
        #expect(result.status == 0)
        #expect(result.stderr.contains("has index format 1, this blogsearch reads"))
        #expect(result.stdout.contains("\"angry-customers\""))
        #expect(try GenerationStore(directory: dir.url("indexes")).current().number == 2)
    }
}
