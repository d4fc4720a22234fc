import ArgumentParser
import BlogSearch
import Foundation

struct StatsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(commandName: "stats", abstract: "Describe the index being served.")

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var options: IndexOptions

    func run() throws {
        let index = try openIndex(options)
        let stats: IndexStats
        do {
            stats = try index.stats()
        } catch {
            printError("\(error)")
            throw ExitCodes.failure
        }
        if json {
            print(try JSONOutput.encode(stats))
            return
        }
        print("""
            generation   \(stats.generation) (\(stats.file))
            built at     \(stats.builtAt)
            posts        \(stats.posts)
            languages    \(stats.languages.map { "\($0.lang ?? "none") \($0.posts)" }.joined(separator: ", "))
            comments     \(stats.comments)
            vocabulary   \(stats.vocabulary) terms
            size         \(String(format: "%.1f", Double(stats.bytes) / 1_048_576)) MB
            format       \(stats.formatVersion), tokenizer \(stats.tokenizer)
            corpus       digest \(stats.corpusDigest)
            """)
    }
}
