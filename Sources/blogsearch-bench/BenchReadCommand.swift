import ArgumentParser
import BlogSearch
import Foundation

/// Reads a corpus and prints what it holds and how long reading took, for the import benchmarks
/// (peak memory of one reader on one file, measured from outside with `/usr/bin/time -v`).
struct BenchReadCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "read",
        abstract: "Read a corpus (folder or file) without indexing it; print posts, comments, problems and seconds as JSON."
    )

    @Argument(help: "The corpus folder or file.")
    var corpus: String

    struct Result: Encodable {
        var posts: Int
        var comments: Int
        var problems: Int
        var seconds: Double
    }

    func run() throws {
        let start = Date()
        let read = try CorpusReader().read(at: corpus)
        let result = Result(posts: read.posts.count, comments: read.commentCount, problems: read.problems.count,
                            seconds: Date().timeIntervalSince(start))
        print(try JSONOutput.encode(result))
    }
}
