import BlogSearch
import BlogSearchServer
import BlogSearchTestSupport
import Foundation
import GRDB
import Hummingbird
import HummingbirdTesting
import Logging
import Testing

/// Reader searches as the server records them: the analytics file, the `/metrics` counters, and a store that
/// fails without failing a search.
@Suite("Search analytics over HTTP")
struct AnalyticsRouteTests {
    let dir = TemporaryDirectory()
    let holder: IndexHolder

    init() throws {
        holder = try Fixtures.holder(dir)
    }

    var analyticsFile: String { AnalyticsStore.path(inIndexes: holder.directory) }

    /// A router whose recorder is not run as a service: its queue is written only by `flush()`.
    func app(_ settings: SearchRecorder.Settings?) -> (some ApplicationProtocol, SearchRecorder) {
        var logger = Logger(label: "test")
        logger.logLevel = .critical
        let recorder = SearchRecorder(settings, logger: logger)
        return (Application(router: buildRouter(ServerConfiguration(port: 0), holder: holder, recorder: recorder)), recorder)
    }

    /// The value of a counter in `/metrics` text (0 when it has not been created yet).
    static func counter(_ name: String, in text: String) -> Int {
        text.split(separator: "\n").first { $0.hasPrefix(name + " ") }.flatMap { Int($0.split(separator: " ").last ?? "") } ?? 0
    }

    @Test("/search and the demo's searches are recorded when the server stops: normalised query, hits, correction; pages after the first are not")
    func recorded() async throws {
        var configuration = ServerConfiguration(port: 0)
        configuration.analytics = SearchRecorder.Settings(file: analyticsFile)
        configuration.analytics?.batchInterval = .seconds(3_600)   // only the flush at shutdown writes
        try await Fixtures.app(holder, configuration).test(.router) { client in
            for uri in ["/search?q=%20Swarming%20", "/search?q=custmer", "/search?q=zzqqxx", "/search?q=swarming&offset=10",
                        "/?q=SLA", "/", "/search?q=sla&limit=500"] {
                try await client.execute(uri: uri, method: .get) { _ in }
            }
        }
        let store = try #require(try AnalyticsStore.openForReading(path: analyticsFile))
        let report = try store.report(AnalyticsPeriod())
        #expect(report.totals.searches == 4)
        #expect(Set(report.topQueries.map(\.query)) == ["swarming", "custmer", "zzqqxx", "sla"])
        #expect(report.topQueries.first { $0.query == "swarming" }?.averageHits == 1)
        #expect(report.zeroResultQueries.map(\.query) == ["zzqqxx"])
        #expect(report.corrections.map { [$0.query, $0.correctedQuery, "\($0.searches)"] } == [["custmer", "customer", "1"]])
        let now = Date().timeIntervalSince1970
        let last = try #require(report.totals.lastSearch.flatMap { ISO8601DateFormatter().date(from: $0) })
        #expect(abs(last.timeIntervalSince1970 - now) < 3_600)
    }

    @Test("/metrics counts searches and the searches that found nothing")
    func zeroResultMetric() async throws {
        let (app, _) = app(nil)
        try await app.test(.router) { client in
            let before = try await client.execute(uri: "/metrics", method: .get).text
            try await client.execute(uri: "/search?q=zzqqxx", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/?q=qqzzxx", method: .get) { #expect($0.status == .ok) }
            try await client.execute(uri: "/search?q=swarming", method: .get) { #expect($0.status == .ok) }
            let after = try await client.execute(uri: "/metrics", method: .get).text
            #expect(after.contains("# TYPE blogsearch_searches_zero_results_total counter"))
            // Other suites search in parallel in this process: at least these searches were counted.
            #expect(Self.counter("blogsearch_searches_zero_results_total", in: after)
                    >= Self.counter("blogsearch_searches_zero_results_total", in: before) + 2)
            #expect(Self.counter("blogsearch_searches_total", in: after) >= Self.counter("blogsearch_searches_total", in: before) + 3)
        }
        #expect(!FileManager.default.fileExists(atPath: analyticsFile))   // analytics off: no file
    }

    @Test("a store that cannot be written never fails a search: not SQLite, a folder, a missing folder, locked by another process; the searches are counted lost and a later batch retries",
          arguments: ["not-sqlite", "folder", "missing-folder", "locked"])
    func brokenStore(kind: String) async throws {
        var path = analyticsFile
        var locked: ExclusiveLock?
        switch kind {
        case "not-sqlite":
            try "these are not searches\n".write(toFile: path, atomically: true, encoding: .utf8)
        case "folder":
            try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
        case "missing-folder":
            path = dir.url("missing/analytics.sqlite")
        default:
            _ = try AnalyticsStore.openForRecording(path: path)
            locked = try ExclusiveLock(path)
        }
        let (file, lock) = (path, locked)
        let (app, recorder) = app(SearchRecorder.Settings(file: file))
        try await app.test(.router) { client in
            let before = Self.counter("blogsearch_analytics_lost_total", in: try await client.execute(uri: "/metrics", method: .get).text)
            for round in 1...2 {
                try await client.execute(uri: "/search?q=swarming", method: .get) { response in
                    #expect(response.status == .ok)
                    let json = try response.json()
                    #expect(json["total"] as? Int == 1)
                }
                try await client.execute(uri: "/?q=swarming", method: .get) { #expect($0.status == .ok) }
                await recorder.flush()
                let lost = Self.counter("blogsearch_analytics_lost_total", in: try await client.execute(uri: "/metrics", method: .get).text)
                #expect(lost >= before + 2 * round)
            }
            guard let lock else { return }
            lock.release()
            try await client.execute(uri: "/search?q=sla", method: .get) { _ in }
            await recorder.flush()
            let report = try #require(try AnalyticsStore.openForReading(path: file)).report(AnalyticsPeriod())
            #expect(report.topQueries.map(\.query) == ["sla"])   // the batches lost while locked stay lost
        }
        if kind == "not-sqlite" { #expect(try String(contentsOfFile: file, encoding: .utf8) == "these are not searches\n") }
        if kind == "missing-folder" { #expect(!FileManager.default.fileExists(atPath: dir.url("missing"))) }
    }

    @Test("the queue in memory is bounded: searches beyond it are dropped and counted, never waited for")
    func queueBound() async throws {
        var settings = SearchRecorder.Settings(file: analyticsFile)
        settings.queueLimit = 2
        let (app, recorder) = app(settings)
        try await app.test(.router) { client in
            for query in ["one", "two", "three", "four"] {
                try await client.execute(uri: "/search?q=" + query, method: .get) { #expect($0.status == .ok) }
            }
            await recorder.flush()
            try await client.execute(uri: "/search?q=five", method: .get) { _ in }
            await recorder.flush()
        }
        let report = try #require(try AnalyticsStore.openForReading(path: analyticsFile)).report(AnalyticsPeriod())
        #expect(Set(report.topQueries.map(\.query)) == ["one", "two", "five"])
    }

    @Test("the file keeps at most maxRows searches, the newest")
    func rowBound() async throws {
        var settings = SearchRecorder.Settings(file: analyticsFile)
        settings.maxRows = 2
        let (app, recorder) = app(settings)
        try await app.test(.router) { client in
            for query in ["one", "two", "three"] {
                try await client.execute(uri: "/search?q=" + query, method: .get) { _ in }
                await recorder.flush()
            }
        }
        let report = try #require(try AnalyticsStore.openForReading(path: analyticsFile)).report(AnalyticsPeriod())
        #expect(Set(report.topQueries.map(\.query)) == ["two", "three"])
    }
}

/// Another connection holding the file's write lock (`BEGIN EXCLUSIVE`) on a thread of its own until released,
/// as a second process would.
final class ExclusiveLock: Sendable {
    private let released = DispatchSemaphore(value: 0)

    init(_ path: String) throws {
        let queue = try DatabaseQueue(path: path)
        let held = DispatchSemaphore(value: 0)
        Thread { [released] in
            try? queue.inDatabase { db in
                try db.execute(sql: "BEGIN EXCLUSIVE")
                held.signal()
                released.wait()
                try db.execute(sql: "COMMIT")
            }
        }.start()
        held.wait()
    }

    func release() {
        released.signal()
    }
}
