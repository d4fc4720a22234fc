import Foundation
import GRDB
import Testing
@testable import BlogSearch
import BlogSearchTestSupport

/// The analytics file: what a record holds, the bound, files of another kind, and the report.
@Suite("Search analytics")
struct AnalyticsTests {
    /// 2025-03-10T12:00:00Z
    static let noon: Int64 = 1_741_608_000
    static let day: Int64 = 86_400

    func record(_ query: String, hits: Int, corrected: String? = nil, at time: Int64 = noon) -> SearchRecord {
        SearchRecord(time: time, query: query, hits: hits, correctedQuery: corrected)!
    }

    @Test("a query is counted trimmed, lower-cased, its white space and control characters collapsed to one space, cut at 200 characters")
    func normalisation() {
        #expect(SearchRecord.normalise("  Customer\tSLA \n") == "customer sla")
        #expect(SearchRecord.normalise("Naïve\u{1B}[31m  CAFÉ") == "naïve [31m café")
        #expect(SearchRecord.normalise(String(repeating: "abc ", count: 100)).count == SearchRecord.maxQueryLength - 1)
        #expect(SearchRecord(time: 0, query: " \t\n", hits: 0) == nil)
        let corrected = SearchRecord(time: 0, query: "Custmer", hits: 2, correctedQuery: " Customer ")
        #expect(corrected?.query == "custmer")
        #expect(corrected?.correctedQuery == "customer")
    }

    @Test("the file holds exactly time, query, hits and the corrected query — nothing about the reader")
    func storedFields() throws {
        let dir = TemporaryDirectory()
        let path = AnalyticsStore.path(inIndexes: dir.path)
        let store = try AnalyticsStore.openForRecording(path: path)
        try store.append([record("SLA  Basics", hits: 3), record("custmer", hits: 2, corrected: "customer", at: Self.noon + 5)])
        let queue = try DatabaseQueue(path: path)
        let (tables, columns, rows) = try queue.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name"),
             try String.fetchAll(db, sql: "SELECT name FROM pragma_table_info('searches') ORDER BY cid"),
             try Row.fetchAll(db, sql: "SELECT time, query, hits, corrected_query FROM searches ORDER BY id"))
        }
        #expect(tables == ["searches"])
        #expect(columns == ["id", "time", "query", "hits", "corrected_query"])
        #expect(rows.count == 2)
        let values = rows.map { row -> [String?] in
            [String(row["time"] as Int64), row["query"], String(row["hits"] as Int), row["corrected_query"]]
        }
        #expect(values == [[String(Self.noon), "sla basics", "3", nil], [String(Self.noon + 5), "custmer", "2", "customer"]])
    }

    @Test("beyond the bound the oldest rows are deleted, batch after batch")
    func bound() throws {
        let dir = TemporaryDirectory()
        let path = dir.url("analytics.sqlite")
        let store = try AnalyticsStore.openForRecording(path: path)
        try store.append(["a", "b", "c"].map { record($0, hits: 1) }, maxRows: 4)
        try store.append(["d", "e", "f"].map { record($0, hits: 1) }, maxRows: 4)
        var kept = try DatabaseQueue(path: path).read { try String.fetchAll($0, sql: "SELECT query FROM searches ORDER BY id") }
        #expect(kept == ["c", "d", "e", "f"])
        // Reopened with a smaller bound (a restart with another --analytics-max-rows): cut at the next batch.
        try AnalyticsStore.openForRecording(path: path).append([record("g", hits: 1)], maxRows: 2)
        kept = try DatabaseQueue(path: path).read { try String.fetchAll($0, sql: "SELECT query FROM searches ORDER BY id") }
        #expect(kept == ["f", "g"])
    }

    @Test("a file of another kind is refused and left unchanged: not SQLite, or a generation")
    func otherFiles() throws {
        let dir = TemporaryDirectory()
        let text = dir.write("notes.sqlite", "these are not searches\n")
        #expect(throws: AnalyticsError.self) { try AnalyticsStore.openForRecording(path: text) }
        do {
            _ = try AnalyticsStore.openForRecording(path: text)
        } catch {
            guard case .notAnalytics = error else { Issue.record("expected notAnalytics, got \(error)"); return }
        }
        #expect(try String(contentsOfFile: text, encoding: .utf8) == "these are not searches\n")

        _ = try Fixtures.blogIndex(dir)
        let generation = try GenerationStore(directory: dir.url("indexes")).current()
        let before = try Data(contentsOf: URL(fileURLWithPath: generation.path))
        #expect(throws: AnalyticsError.notAnalytics(path: generation.path, reason: "it has no searches table")) {
            try AnalyticsStore.openForRecording(path: generation.path)
        }
        #expect(try Data(contentsOf: URL(fileURLWithPath: generation.path)) == before)
        #expect(try AnalyticsStore.openForReading(path: dir.url("missing.sqlite")) == nil)
    }

    @Test("the analytics file beside the generations is never one: not listed, not pruned, not removed by builds")
    func besideGenerations() throws {
        let dir = TemporaryDirectory()
        let corpusPath = Fixtures.blog(in: dir)
        let corpus = try CorpusReader().read(at: corpusPath)
        let builder = IndexBuilder(indexesDirectory: dir.url("indexes"), keep: 1)
        _ = try builder.build(corpus, corpusPath: corpusPath)
        let path = AnalyticsStore.path(inIndexes: dir.url("indexes"))
        try AnalyticsStore.openForRecording(path: path).append([record("sla", hits: 1)])
        _ = try builder.build(corpus, corpusPath: corpusPath)
        _ = try builder.build(corpus, corpusPath: corpusPath)
        let store = GenerationStore(directory: dir.url("indexes"))
        #expect(store.list().map(\.fileName) == ["gen-000003.sqlite"])
        #expect(store.describe().count == 1)
        #expect(try AnalyticsStore.openForReading(path: path)?.report(AnalyticsPeriod()).totals.searches == 1)
    }

    @Test("the report: top queries with average hits, queries that found nothing, corrections, totals; within the period")
    func report() throws {
        let dir = TemporaryDirectory()
        let store = try AnalyticsStore.openForRecording(path: dir.url("analytics.sqlite"))
        try store.append([
            record("sla", hits: 3, at: Self.noon - Self.day),            // 2025-03-09
            record("SLA", hits: 4), record("sla", hits: 4),
            record("kubernetes", hits: 0), record("kubernetes", hits: 0, at: Self.noon + 60),
            record("custmer", hits: 2, corrected: "customer"),
            record("zzz", hits: 0, at: Self.noon + Self.day),            // 2025-03-11
        ])
        let all = try store.report(AnalyticsPeriod())
        #expect(all.totals.searches == 7 && all.totals.zeroResults == 3 && all.totals.corrected == 1 && all.totals.distinctQueries == 4)
        #expect(all.totals.firstSearch == "2025-03-09T12:00:00Z" && all.totals.lastSearch == "2025-03-11T12:00:00Z")
        #expect(all.topQueries.map(\.query) == ["sla", "kubernetes", "custmer", "zzz"])
        #expect(all.topQueries.first?.averageHits == 3.7)
        #expect(all.zeroResultQueries.map(\.query) == ["kubernetes", "zzz"])
        #expect(all.zeroResultQueries.first?.lastSearched == "2025-03-10T12:01:00Z")
        #expect(all.corrections == [AnalyticsReport.Correction(query: "custmer", correctedQuery: "customer", searches: 1)])

        let day = try store.report(AnalyticsPeriod(since: "2025-03-10", until: "2025-03-10"), limit: 1)
        #expect(day.totals.searches == 5)
        #expect(day.topQueries.map(\.query) == ["kubernetes"])   // 2 each, ties by query; limit 1
        #expect(day.zeroResultQueries.map(\.query) == ["kubernetes"])
        let since = try store.report(AnalyticsPeriod(lastDays: 2, now: Date(timeIntervalSince1970: TimeInterval(Self.noon + Self.day))))
        #expect(since.period.since == "2025-03-10")
        #expect(since.totals.searches == 6)
        #expect(try store.report(AnalyticsPeriod(since: "2030-01-01")).totals.searches == 0)
    }

    @Test("a period is checked: dates are YYYY-MM-DD, since not after until, days at least 1")
    func periods() {
        #expect(throws: AnalyticsError.self) { try AnalyticsPeriod(since: "March 1") }
        #expect(throws: AnalyticsError.self) { try AnalyticsPeriod(until: "2025-02-30") }
        #expect(throws: AnalyticsError.self) { try AnalyticsPeriod(since: "2025-03-02", until: "2025-03-01") }
        #expect(throws: AnalyticsError.self) { try AnalyticsPeriod(lastDays: 0) }
    }

    @Test("the report reads the file while a writer holds it open, and sees each committed batch")
    func readWhileWriting() throws {
        let dir = TemporaryDirectory()
        let path = dir.url("analytics.sqlite")
        let writer = try AnalyticsStore.openForRecording(path: path)
        try writer.append([record("one", hits: 1)])
        let reader = try #require(try AnalyticsStore.openForReading(path: path))
        #expect(try reader.report(AnalyticsPeriod()).totals.searches == 1)
        try writer.append([record("two", hits: 1)])
        #expect(try reader.report(AnalyticsPeriod()).totals.searches == 2)
    }
}
