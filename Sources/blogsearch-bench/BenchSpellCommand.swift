import ArgumentParser
import BlogSearch
import Foundation

/// The typo-correction step alone, timed per word.
struct BenchSpellCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "spell",
        abstract: "Correct each word of a file as a query word would be; print one JSON line per word, then a summary line.",
        discussion: """
            Each input line is a word as a reader typed it (lower case); anything after a tab is ignored. Output: \
            {"typed", "corrected" (null: left as typed), "term" (what the search looks for: the stem of the \
            correction, or of the word as typed), "ms"} per word, each word corrected once to warm up and \
            then timed --repeat times (the median is reported), and a last line {"loadMs", "words"}: the time to \
            load the spelling vocabulary and how many words it holds.
            """
    )

    @Option(name: .long, help: "The word file.")
    var words: String

    @Option(name: .long, help: "Timed runs per word.")
    var `repeat`: Int = 3

    @Option(name: .long, help: ArgumentHelp("Folder of published index generations.", valueName: "dir"))
    var indexes: String = "indexes"

    func run() throws {
        let index = try SearchIndex.open(directory: indexes)
        let loading = DispatchTime.now().uptimeNanoseconds
        try index.prepareSpelling()
        let loadMs = Double(DispatchTime.now().uptimeNanoseconds - loading) / 1e6
        let text = try String(contentsOfFile: words, encoding: .utf8)
        var out = ""
        for line in text.split(separator: "\n") where !line.isEmpty {
            let typed = String(line.prefix { $0 != "\t" })
            let corrected = try index.correction(ofWord: typed)
            var times: [Double] = []
            for _ in 0..<max(1, `repeat`) {
                let start = DispatchTime.now().uptimeNanoseconds
                _ = try index.correction(ofWord: typed)
                times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6)
            }
            times.sort()
            let term = try index.searchTerm(of: corrected ?? typed)
            let object: [String: Any] = ["typed": typed, "corrected": corrected ?? NSNull(), "term": term ?? NSNull(),
                                         "ms": times[times.count / 2]]
            out += String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self) + "\n"
        }
        print(out, terminator: "")
        print("{\"loadMs\": \(loadMs), \"words\": \(index.spellingWordCount)}")
    }
}
