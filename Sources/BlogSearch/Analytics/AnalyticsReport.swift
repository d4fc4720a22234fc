import Foundation
import GRDB

/// The days a report covers, in UTC: from `since` to `until`, both included; nil ends are open.
public struct AnalyticsPeriod: Sendable, Hashable, Codable {
    /// First day counted, `YYYY-MM-DD`; nil: from the oldest search kept.
    public var since: String?
    /// Last day counted, `YYYY-MM-DD`; nil: to the newest search.
    public var until: String?

    /// - Throws: `.invalidPeriod` for a date that is not `YYYY-MM-DD`, or `since` after `until`.
    public init(since: String? = nil, until: String? = nil) throws(AnalyticsError) {
        for (name, value) in [("--since", since), ("--until", until)] {
            guard let value else { continue }
            guard DateText.parse(value)?.day == value else {
                throw .invalidPeriod(name: name, message: "'\(value.prefix(40))' is not a date in the form YYYY-MM-DD")
            }
        }
        if let since, let until, since > until {
            throw .invalidPeriod(name: "--since", message: "\(since) is after --until \(until)")
        }
        self.since = since
        self.until = until
    }

    /// The last `days` days, today (UTC) included.
    public init(lastDays days: Int, now: Date = Date()) throws(AnalyticsError) {
        guard days >= 1 else { throw .invalidPeriod(name: "--days", message: "\(days) is not a number of days of 1 or more") }
        let today = Int64((now.timeIntervalSince1970 / 86_400).rounded(.down))
        self.since = AnalyticsPeriod.dayText(today - Int64(days - 1))
        self.until = nil
    }

    /// Unix seconds, half-open: `start..<end`.
    var bounds: (start: Int64, end: Int64) {
        let start = since.flatMap(DateText.dayNumber).map { Int64($0) * 86_400 } ?? Int64.min
        let end = until.flatMap(DateText.dayNumber).map { Int64($0 + 1) * 86_400 } ?? Int64.max
        return (start, end)
    }

    static func dayText(_ day: Int64) -> String {
        String(timeText(day * 86_400).prefix(10))
    }

    /// `YYYY-MM-DDTHH:MM:SSZ` of unix seconds.
    static func timeText(_ seconds: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: TimeInterval(seconds)))
    }
}

/// What readers searched for in a period: the most frequent queries, those that found nothing, and those
/// answered by a spelling correction (`blogsearch analytics`).
public struct AnalyticsReport: Sendable, Hashable, Codable {
    public struct Totals: Sendable, Hashable, Codable {
        public var searches: Int
        /// Searches that found no post.
        public var zeroResults: Int
        /// Searches answered by a corrected query.
        public var corrected: Int
        public var distinctQueries: Int
        /// The first and last search of the period, `YYYY-MM-DDTHH:MM:SSZ`; nil when there is none.
        public var firstSearch: String?
        public var lastSearch: String?
    }

    public struct TopQuery: Sendable, Hashable, Codable {
        public var query: String
        public var searches: Int
        /// Posts found, on average over the query's searches (one decimal).
        public var averageHits: Double
    }

    public struct ZeroResultQuery: Sendable, Hashable, Codable {
        public var query: String
        public var searches: Int
        /// The query's last search that found nothing, `YYYY-MM-DDTHH:MM:SSZ`.
        public var lastSearched: String
    }

    public struct Correction: Sendable, Hashable, Codable {
        /// The query as typed.
        public var query: String
        /// The query whose results were shown instead.
        public var correctedQuery: String
        public var searches: Int
    }

    /// The analytics file read.
    public var file: String
    public var period: AnalyticsPeriod
    public var totals: Totals
    /// Most searched first (ties by query), at most the report's limit.
    public var topQueries: [TopQuery]
    public var zeroResultQueries: [ZeroResultQuery]
    public var corrections: [Correction]

    /// The report of a file with no searches (none recorded yet).
    public static func empty(file: String, period: AnalyticsPeriod) -> AnalyticsReport {
        AnalyticsReport(file: file, period: period, totals: Totals(searches: 0, zeroResults: 0, corrected: 0, distinctQueries: 0),
                        topQueries: [], zeroResultQueries: [], corrections: [])
    }
}

extension AnalyticsStore {
    /// The searches of `period`; each list holds at most `limit` queries.
    /// - Throws: `.unreadable`, `.notAnalytics`.
    public func report(_ period: AnalyticsPeriod, limit: Int = 20) throws(AnalyticsError) -> AnalyticsReport {
        let (start, end) = period.bounds
        let within: StatementArguments = [start, end]
        let inPeriod = "FROM searches WHERE time >= ? AND time < ?"
        do {
            return try queue.read { db in
                let totalsRow = try Row.fetchOne(db, sql: """
                    SELECT count(*), coalesce(sum(hits = 0), 0), coalesce(sum(corrected_query IS NOT NULL), 0),
                           count(DISTINCT query), min(time), max(time) \(inPeriod)
                    """, arguments: within)!
                let totals = AnalyticsReport.Totals(
                    searches: totalsRow[0], zeroResults: totalsRow[1], corrected: totalsRow[2], distinctQueries: totalsRow[3],
                    firstSearch: (totalsRow[4] as Int64?).map(AnalyticsPeriod.timeText),
                    lastSearch: (totalsRow[5] as Int64?).map(AnalyticsPeriod.timeText))
                let top = try Row.fetchAll(db, sql: """
                    SELECT query, count(*) AS n, avg(hits) \(inPeriod) GROUP BY query ORDER BY n DESC, query LIMIT ?
                    """, arguments: within + [limit]).map {
                    AnalyticsReport.TopQuery(query: $0[0], searches: $0[1], averageHits: (($0[2] as Double) * 10).rounded() / 10)
                }
                let zero = try Row.fetchAll(db, sql: """
                    SELECT query, count(*) AS n, max(time) \(inPeriod) AND hits = 0 GROUP BY query ORDER BY n DESC, max(time) DESC, query LIMIT ?
                    """, arguments: within + [limit]).map {
                    AnalyticsReport.ZeroResultQuery(query: $0[0], searches: $0[1], lastSearched: AnalyticsPeriod.timeText($0[2]))
                }
                let corrected = try Row.fetchAll(db, sql: """
                    SELECT query, corrected_query, count(*) AS n \(inPeriod) AND corrected_query IS NOT NULL
                    GROUP BY query, corrected_query ORDER BY n DESC, query, corrected_query LIMIT ?
                    """, arguments: within + [limit]).map {
                    AnalyticsReport.Correction(query: $0[0], correctedQuery: $0[1], searches: $0[2])
                }
                return AnalyticsReport(file: path, period: period, totals: totals, topQueries: top, zeroResultQueries: zero,
                                       corrections: corrected)
            }
        } catch {
            throw AnalyticsStore.classify(error, path: path, otherwise: AnalyticsError.unreadable)
        }
    }
}
