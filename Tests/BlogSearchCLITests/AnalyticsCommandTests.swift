import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif
import Testing
import BlogSearch
import BlogSearchTestSupport

/// `blogsearch analytics` on a prepared file, and `blogsearch serve` recording (or, with --no-analytics, not
/// recording) the searches it answers.
@Suite("blogsearch analytics")
struct AnalyticsCommandTests {
    /// An indexes folder whose analytics file holds searches of 2025-03-09 (1), 2025-03-10 (6) and 2025-03-11 (1).
    func prepared(_ dir: TemporaryDirectory) throws -> String {
        let indexes = dir.url("indexes")
        try FileManager.default.createDirectory(atPath: indexes, withIntermediateDirectories: true)
        let noon: Int64 = 1_741_608_000   // 2025-03-10T12:00:00Z
        let records: [(Int64, String, Int, String?)] = [
            (noon - 86_400, "sla", 3, nil), (noon, "sla", 4, nil), (noon, "Kubernetes", 0, nil), (noon + 60, "kubernetes", 0, nil),
            (noon, "custmer", 2, "customer"), (noon, "sla", 5, nil), (noon, "sla", 6, nil), (noon + 86_400, "zzz", 0, nil),
        ]
        try AnalyticsStore.openForRecording(path: AnalyticsStore.path(inIndexes: indexes))
            .append(records.map { SearchRecord(time: $0.0, query: $0.1, hits: $0.2, correctedQuery: $0.3)! })
        return indexes
    }

    @Test("text: totals, top queries with average hits, queries that found nothing, corrections, within the days asked")
    func text() throws {
        let dir = TemporaryDirectory()
        let indexes = try prepared(dir)
        let result = try Blogsearch.run(["analytics", "--indexes", indexes, "--since", "2025-03-10", "--until", "2025-03-10"])
        #expect(result.status == 0)
        let lines = result.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasSuffix("analytics.sqlite, on 2025-03-10 (UTC)") == true)
        #expect(lines.contains { $0.hasPrefix("  searches") && $0.contains(" 6  (2025-03-10T12:00:00Z to 2025-03-10T12:01:00Z)") })
        #expect(lines.contains { $0.hasPrefix("  found nothing") && $0.contains(" 2  (33.3%)") })
        #expect(lines.contains { $0.hasPrefix("  corrected") && $0.contains(" 1  (16.7%)") })
        let top = try #require(lines.firstIndex { $0.hasPrefix("Top queries") })
        #expect(lines[top + 1].split(separator: " ") == ["sla", "3", "5.0"])
        #expect(lines[top + 2].split(separator: " ") == ["kubernetes", "2", "0.0"])
        let zero = try #require(lines.firstIndex { $0.hasPrefix("Queries that found nothing") })
        #expect(lines[zero + 1].split(separator: " ") == ["kubernetes", "2", "2025-03-10"])
        #expect(!result.stdout.contains("zzz"))   // 2025-03-11, outside the period
        let corrected = try #require(lines.firstIndex { $0.hasPrefix("Queries answered by a correction") })
        #expect(lines[corrected + 1].split(separator: " ") == ["custmer", "→", "customer", "1"])
    }

    @Test("--json: the period, totals and the three lists; --limit bounds each list")
    func json() throws {
        let dir = TemporaryDirectory()
        let indexes = try prepared(dir)
        let result = try Blogsearch.run(["analytics", "--indexes", indexes, "--json", "--limit", "1"])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let totals = try #require(json["totals"] as? [String: Any])
        #expect(totals["searches"] as? Int == 8)
        #expect(totals["zeroResults"] as? Int == 3)
        #expect(totals["corrected"] as? Int == 1)
        #expect(totals["distinctQueries"] as? Int == 4)
        let top = try #require(json["topQueries"] as? [[String: Any]])
        #expect(top.count == 1)
        #expect(top.first?["query"] as? String == "sla")
        #expect(top.first?["searches"] as? Int == 4)
        #expect(top.first?["averageHits"] as? Double == 4.5)
        #expect((json["zeroResultQueries"] as? [[String: Any]])?.first?["query"] as? String == "kubernetes")
        let correction = try #require((json["corrections"] as? [[String: Any]])?.first)
        #expect(correction["query"] as? String == "custmer" && correction["correctedQuery"] as? String == "customer")
        #expect((json["file"] as? String)?.hasSuffix("indexes/analytics.sqlite") == true)
    }

    @Test("no file yet: says so and exits 0 (JSON: an empty report); a bad date is a usage error; a file of another kind is an error")
    func edges() throws {
        let dir = TemporaryDirectory()
        var result = try Blogsearch.run(["analytics", "--indexes", dir.url("indexes")])
        #expect(result.status == 0)
        #expect(result.stderr.contains("no searches recorded yet in \(dir.url("indexes/analytics.sqlite"))"))
        #expect(result.stderr.contains("unless started with --no-analytics"))
        result = try Blogsearch.run(["analytics", "--indexes", dir.url("indexes"), "--json"])
        #expect(result.status == 0)
        #expect((try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])?["totals"] != nil)
        result = try Blogsearch.run(["analytics", "--indexes", dir.url("indexes"), "--since", "March 1"])
        #expect(result.status == 64)
        #expect(result.stderr.contains("invalid --since: 'March 1' is not a date in the form YYYY-MM-DD"))
        let other = dir.write("other.sqlite", "not searches")
        result = try Blogsearch.run(["analytics", "--analytics-file", other])
        #expect(result.status == 1)
        #expect(result.stderr.contains("is not a blogsearch analytics file"))
    }

    /// Starts `blogsearch serve` on a free port; returns it with its port once it listens.
    func serve(_ arguments: [String]) throws -> (Process, Int) {
        let (process, port, output) = try Blogsearch.serve(arguments, within: 120)
        guard let port else {
            process.terminate()
            throw CocoaError(.fileReadUnknown, userInfo: [NSLocalizedDescriptionKey: "serve printed no address: \(output)"])
        }
        return (process, port)
    }

    @Test("serve records the searches it answers, written when it stops; with --no-analytics it records none",
          arguments: [false, true])
    func serveRecords(noAnalytics: Bool) async throws {
        let dir = TemporaryDirectory()
        let corpus = Fixtures.blog(in: dir)
        let indexes = dir.url("indexes")
        let (process, port) = try serve(["--corpus", corpus, "--indexes", indexes] + (noAnalytics ? ["--no-analytics"] : []))
        defer { if process.isRunning { process.terminate() } }
        for query in ["Swarming", "custmer", "zzqqxx"] {
            let (_, response) = try await URLSession.shared.data(from: URL(string: "http://127.0.0.1:\(port)/search?q=\(query)")!)
            #expect((response as? HTTPURLResponse)?.statusCode == 200)
        }
        process.terminate()   // SIGTERM: the last batch is written before the process exits
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        let result = try Blogsearch.run(["analytics", "--indexes", indexes, "--json"])
        #expect(result.status == 0)
        let json = try #require(try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any])
        let totals = try #require(json["totals"] as? [String: Any])
        if noAnalytics {
            #expect(!FileManager.default.fileExists(atPath: AnalyticsStore.path(inIndexes: indexes)))
            #expect(totals["searches"] as? Int == 0)
            #expect(result.stderr.contains("no searches recorded yet"))
        } else {
            #expect(totals["searches"] as? Int == 3)
            #expect((json["zeroResultQueries"] as? [[String: Any]])?.map { $0["query"] as? String } == ["zzqqxx"])
            #expect((json["corrections"] as? [[String: Any]])?.first?["correctedQuery"] as? String == "customer")
        }
    }
}
