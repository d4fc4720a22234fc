import ArgumentParser
import BlogSearch
import Foundation

/// In-process search latency over a query file, or over queries given on the command line.
struct BenchSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Time searches in-process; print per-class medians and p99 as JSON.",
        discussion: """
            Query file lines: {"class": "rare", "text": "…"}; a --query is of class "query". Every query runs once             to warm up, then --repeat times, each run timed as a whole search and again up to the ranked page             without making hits (rankP50Ms, rankP99Ms).
            """
    )

    @Option(name: .long, help: "The query file (JSON Lines with class and text).")
    var queries: String?

    @Option(name: .long, help: "A query to time (repeatable), instead of or besides --queries.")
    var query: [String] = []

    @Option(name: .long, help: "Timed runs per query.")
    var `repeat`: Int = 5

    @Option(name: .long, help: "Hits per query.")
    var limit: Int = 10

    @Option(name: .long, help: ArgumentHelp("Folder of published index generations.", valueName: "dir"))
    var indexes: String = "indexes"

    struct Stats: Encodable {
        var queries: Int
        var runs: Int
        var p50Ms: Double
        var p99Ms: Double
        var meanMs: Double
        var meanHits: Double
        /// The same searches up to the ranked page, without making hits (`searchWithoutHits`).
        var rankP50Ms: Double
        var rankP99Ms: Double
    }

    func validate() throws {
        if queries == nil, query.isEmpty { throw ValidationError("give --queries FILE or --query TEXT") }
    }

    func run() throws {
        let index = try SearchIndex.open(directory: indexes)
        var byClass: [String: (times: [Double], rank: [Double], hits: [Int], queries: Int)] = [:]
        var list = query.map { (text: $0, queryClass: "query") }
        if let queries {
            for line in try String(contentsOfFile: queries, encoding: .utf8).split(separator: "\n") where !line.isEmpty {
                guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                      let text = object["text"] as? String else { continue }
                list.append((text, object["class"] as? String ?? "all"))
            }
        }
        for (query, queryClass) in list {
            let request = SearchRequest(query: query, limit: limit)
            let warm = try index.search(request)
            var entry = byClass[queryClass] ?? ([], [], [], 0)
            entry.queries += 1
            entry.hits.append(warm.hits.count)
            for _ in 0..<max(1, `repeat`) {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try index.search(request)
                entry.times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
                let ranking = DispatchTime.now().uptimeNanoseconds
                _ = try index.searchWithoutHits(request)
                entry.rank.append(Double(DispatchTime.now().uptimeNanoseconds - ranking) / 1e6)
            }
            byClass[queryClass] = entry
        }
        var result: [String: Stats] = [:]
        var all: [Double] = [], allRank: [Double] = []
        for (name, entry) in byClass {
            result[name] = Self.stats(entry.times, rank: entry.rank, queries: entry.queries, hits: entry.hits)
            all += entry.times
            allRank += entry.rank
        }
        result["all"] = Self.stats(all, rank: allRank, queries: byClass.values.reduce(0) { $0 + $1.queries },
                                   hits: byClass.values.flatMap(\.hits))
        print(try JSONOutput.encode(result))
    }

    static func stats(_ times: [Double], rank: [Double], queries: Int, hits: [Int]) -> Stats {
        func quantile(_ sorted: [Double], _ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
        let sorted = times.sorted(), ranked = rank.sorted()
        return Stats(queries: queries, runs: sorted.count, p50Ms: quantile(sorted, 0.5), p99Ms: quantile(sorted, 0.99),
                     meanMs: sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count),
                     meanHits: hits.isEmpty ? 0 : Double(hits.reduce(0, +)) / Double(hits.count),
                     rankP50Ms: quantile(ranked, 0.5), rankP99Ms: quantile(ranked, 0.99))
    }
}
