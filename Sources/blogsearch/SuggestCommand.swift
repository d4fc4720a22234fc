import ArgumentParser
import BlogSearch
import Foundation

struct SuggestCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "suggest",
        abstract: "What a search box suggests while the reader types: completions of the last word, and posts.",
        discussion: """
            The last word is completed when nothing follows it (quote the query to end it with a space: \
            'angry ' completes nothing). The posts are the best hits with the last word completed.
            """
    )

    @Argument(help: "What has been typed so far (several arguments are joined with spaces).")
    var query: [String]

    @Option(name: .long, help: "Completions and posts, 1–20 of each.")
    var limit: Int = 5

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var options: IndexOptions

    func validate() throws {
        guard (1...20).contains(limit) else { throw ValidationError("--limit: \(limit) is not between 1 and 20") }
    }

    func run() throws {
        let index = try openIndex(options)
        let suggestions: Suggestions
        do {
            suggestions = try index.suggest(query.joined(separator: " "), limit: limit)
        } catch {
            printError("\(error)")
            throw ExitCodes.failure
        }
        if json {
            print(try JSONOutput.encode(suggestions))
            return
        }
        var lines: [String] = []
        if suggestions.completions.isEmpty && suggestions.posts.isEmpty {
            lines.append("Nothing to suggest for \"\(suggestions.query)\".")
        }
        for completion in suggestions.completions { lines.append("\(completion.query)  (\(completion.count)×)") }
        if !suggestions.posts.isEmpty {
            if !suggestions.completions.isEmpty { lines.append("") }
            for post in suggestions.posts { lines.append("→ \(post.title)  \(post.url)") }
        }
        print(lines.joined(separator: "\n"))
    }
}
