import ArgumentParser
import BlogSearch
import Foundation

/// In-process search latency over a query file, for the benchmarks (hidden from help).
struct BenchSearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "bench-search",
        abstract: "Time searches from a JSON Lines query file in-process; print per-class medians and p99 as JSON.",
        discussion: "Each line: {\"class\": \"rare\", \"text\": \"…\"}. Every query runs once to warm up, then --repeat times.",
        shouldDisplay: false
    )

    @Option(name: .long, help: "The query file (JSON Lines with class and text).")
    var queries: String

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
    }

    func run() throws {
        let index = try SearchIndex.open(directory: indexes)
        var byClass: [String: (times: [Double], hits: [Int], queries: Int)] = [:]
        let text = try String(contentsOfFile: queries, encoding: .utf8)
        for line in text.split(separator: "\n") where !line.isEmpty {
            guard let object = try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any],
                  let query = object["text"] as? String else { continue }
            let queryClass = object["class"] as? String ?? "all"
            let request = SearchRequest(query: query, limit: limit)
            let warm = try index.search(request)
            var entry = byClass[queryClass] ?? ([], [], 0)
            entry.queries += 1
            entry.hits.append(warm.hits.count)
            for _ in 0..<max(1, `repeat`) {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try index.search(request)
                entry.times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            byClass[queryClass] = entry
        }
        var result: [String: Stats] = [:]
        var all: [Double] = []
        for (name, entry) in byClass {
            result[name] = Self.stats(entry.times, queries: entry.queries, hits: entry.hits)
            all += entry.times
        }
        result["all"] = Self.stats(all, queries: byClass.values.reduce(0) { $0 + $1.queries },
                                   hits: byClass.values.flatMap(\.hits))
        print(try JSONOutput.encode(result))
    }

    static func stats(_ times: [Double], queries: Int, hits: [Int]) -> Stats {
        let sorted = times.sorted()
        func quantile(_ q: Double) -> Double { sorted.isEmpty ? 0 : sorted[min(sorted.count - 1, Int(Double(sorted.count) * q))] }
        return Stats(queries: queries, runs: sorted.count, p50Ms: quantile(0.5), p99Ms: quantile(0.99),
                     meanMs: sorted.isEmpty ? 0 : sorted.reduce(0, +) / Double(sorted.count),
                     meanHits: hits.isEmpty ? 0 : Double(hits.reduce(0, +)) / Double(hits.count))
    }
}
