import ArgumentParser
import BlogSearch
import Foundation

struct AnalyticsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "analytics",
        abstract: "What readers searched for: top queries, queries that found nothing, queries answered by a correction.",
        discussion: """
            Reads the searches `blogsearch serve` records (analytics.sqlite in --indexes unless --analytics-file), \
            also while the server runs. Days are UTC; without --since, --until or --days, every search kept. With no \
            searches recorded yet it says so and exits 0.
            """
    )

    @Option(name: .long, help: ArgumentHelp("Folder of published index generations, which holds analytics.sqlite.", valueName: "dir"))
    var indexes: String = "indexes"

    @Option(name: .long, help: ArgumentHelp("The analytics file to read (default: analytics.sqlite in --indexes).", valueName: "path"))
    var analyticsFile: String?

    @Option(name: .long, help: ArgumentHelp("First day counted (YYYY-MM-DD, UTC).", valueName: "date"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Last day counted (YYYY-MM-DD, UTC), included.", valueName: "date"))
    var until: String?

    @Option(name: .long, help: ArgumentHelp("The last N days, today included (instead of --since).", valueName: "n"))
    var days: Int?

    @Option(name: .long, help: "Queries in each list.")
    var limit: Int = 20

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    func validate() throws {
        guard (1...1_000).contains(limit) else { throw ValidationError("--limit: \(limit) is not between 1 and 1000") }
        if days != nil, since != nil { throw ValidationError("--days and --since both set where the period starts: give one") }
        _ = try period()
    }

    private func period() throws -> AnalyticsPeriod {
        do {
            if let days {
                var period = try AnalyticsPeriod(lastDays: days)
                period = try AnalyticsPeriod(since: period.since, until: until)
                return period
            }
            return try AnalyticsPeriod(since: since, until: until)
        } catch {
            throw ValidationError(error.description)
        }
    }

    func run() throws {
        let file = analyticsFile ?? AnalyticsStore.path(inIndexes: indexes)
        let period = try period()
        let report: AnalyticsReport
        do {
            guard let store = try AnalyticsStore.openForReading(path: file) else {
                printError("no searches recorded yet in \(file); `blogsearch serve` records them unless started with --no-analytics")
                if json { print(try JSONOutput.encode(AnalyticsReport.empty(file: file, period: period))) }
                return
            }
            report = try store.report(period, limit: limit)
        } catch {
            printError("\(error)")
            throw ExitCodes.failure
        }
        print(json ? try JSONOutput.encode(report) : TextOutput.analytics(report))
    }
}

extension TextOutput {
    static func analytics(_ report: AnalyticsReport) -> String {
        let totals = report.totals
        let days = switch (report.period.since, report.period.until) {
        case (nil, nil): "every day kept"
        case (let since?, nil): "from \(since)"
        case (nil, let until?): "until \(until)"
        case (let since?, let until?): since == until ? "on \(since)" : "from \(since) to \(until)"
        }
        var lines = ["Searches in \(report.file), \(days) (UTC)"]
        guard totals.searches > 0 else {
            lines.append("No searches in this period.")
            return lines.joined(separator: "\n")
        }
        func share(_ count: Int) -> String { String(format: "%.1f%%", Double(count) * 100 / Double(totals.searches)) }
        lines.append("  searches          \(String(totals.searches).leftPad(8))  (\(totals.firstSearch ?? "-") to \(totals.lastSearch ?? "-"))")
        lines.append("  distinct queries  \(String(totals.distinctQueries).leftPad(8))")
        lines.append("  found nothing     \(String(totals.zeroResults).leftPad(8))  (\(share(totals.zeroResults)))")
        lines.append("  corrected         \(String(totals.corrected).leftPad(8))  (\(share(totals.corrected)))")
        func table(_ title: String, _ header: String, _ rows: [(String, String)]) {
            lines.append("")
            lines.append(column(title, 44) + header)
            if rows.isEmpty { lines.append("  (none)") }
            for (query, values) in rows { lines.append(column("  " + query, 44) + values) }
        }
        table("Top queries", "searches  avg hits", report.topQueries.map {
            ($0.query, String($0.searches).leftPad(8) + String(format: "%10.1f", $0.averageHits))
        })
        table("Queries that found nothing", "searches  last searched", report.zeroResultQueries.map {
            ($0.query, String($0.searches).leftPad(8) + "  " + $0.lastSearched.prefix(10))
        })
        table("Queries answered by a correction", "searches", report.corrections.map {
            ("\($0.query) → \($0.correctedQuery)", String($0.searches).leftPad(8))
        })
        return lines.joined(separator: "\n")
    }

    /// `text` padded to `width`, or followed by two spaces when it is longer.
    private static func column(_ text: String, _ width: Int) -> String {
        text.count >= width ? text + "  " : text.padding(toLength: width, withPad: " ", startingAt: 0)
    }
}
