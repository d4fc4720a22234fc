import ArgumentParser
import BlogSearch
import BlogSearchServer
import Foundation

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Search posts and comments.",
        discussion: """
            Posts containing every word rank first, then posts containing some of them. Syntax: \
            "exact phrase", -excluded, prefix*, a OR b; any other character is plain text. \
            When there is no index yet, the corpus is indexed first.
            """
    )

    @Argument(help: "The query (several arguments are joined with spaces).")
    var query: [String]

    @Option(name: .long, help: ArgumentHelp("Only posts in this category (repeatable: all must match).", valueName: "name"))
    var category: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only posts with this tag (repeatable: all must match).", valueName: "name"))
    var tag: [String] = []

    @Option(name: .long, help: ArgumentHelp("Only posts by this author.", valueName: "name"))
    var author: String?

    @Option(name: .long, help: ArgumentHelp("Only posts dated on or after this day.", valueName: "YYYY-MM-DD"))
    var since: String?

    @Option(name: .long, help: ArgumentHelp("Only posts dated on or before this day.", valueName: "YYYY-MM-DD"))
    var until: String?

    @Option(name: .long, help: "Hits per page, 1–100.")
    var limit: Int = 10

    @Option(name: .long, help: "Hits to skip, for the next pages.")
    var offset: Int = 0

    @Flag(name: .customLong("no-correct"), help: "Search for the words as typed: never correct a word the index does not know.")
    var noCorrect = false

    @Option(name: .long, help: ArgumentHelp("Order of the hits: relevance (best first) or date (newest first).", valueName: "order"))
    var sort: SearchRequest.Sort = .relevance

    @Option(name: .long, help: ArgumentHelp("Boost newer posts: a post this many days older than the newest gets half the newest's boost.", valueName: "days"))
    var recency: Double?

    @Flag(name: .long, help: "Search as you type: the last word may be the start of a word (completed from the index's vocabulary).")
    var prefixLast = false

    @Option(name: .long, help: ArgumentHelp("Only posts in this language; the query is analysed as that language (e.g. ja, es, pt-BR).", valueName: "tag"))
    var lang: String?

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var options: IndexOptions

    var request: SearchRequest {
        SearchRequest(query: query.joined(separator: " "), limit: limit, offset: offset, categories: category, tags: tag,
                      author: author, since: since, until: until, correct: !noCorrect, sort: sort, recencyHalfLifeDays: recency,
                      prefixLast: prefixLast, lang: lang)
    }

    func validate() throws {
        do {
            try request.validate()
        } catch .invalidParameter(let name, let message) {
            throw ValidationError("\(name == "query" ? "the query" : "--\(name)"): \(message)")
        }
    }

    func run() throws {
        let index = try openIndex(options)
        let response: SearchResponse
        do {
            response = try index.search(request)
        } catch {
            printError("\(error)")
            throw ExitCodes.failure
        }
        if json {
            print(try JSONOutput.encode(SearchResponseJSON(response)))
        } else {
            print(TextOutput.search(response, color: stdoutIsTerminal))
        }
    }
}

extension SearchRequest.Sort: ExpressibleByArgument {
    public init?(argument: String) {
        self.init(rawValue: argument.lowercased())
    }
}

/// Opens the current generation, building one from the corpus first when there is none, or when the current
/// one was written by another version of blogsearch (its format cannot be read; the corpus is the source).
func openIndex(_ options: IndexOptions) throws -> SearchIndex {
    try ensureIndex(options)
    do {
        return try SearchIndex.open(directory: options.indexes)
    } catch {
        printError("\(error)")
        throw ExitCodes.failure
    }
}

/// Indexes the corpus when `--indexes` has no generation, or only one of another format.
func ensureIndex(_ options: IndexOptions) throws {
    let store = GenerationStore(directory: options.indexes)
    if store.list().isEmpty {
        printErr("no index in \(options.indexes) yet: indexing \(options.corpus) first")
        _ = try runIndex(corpus: options.corpus, reader: options.reader, indexes: options.indexes, quiet: false)
        return
    }
    guard let current = try? store.current() else { return }
    do {
        _ = try SearchIndex(generation: current)
    } catch .formatVersion(_, let found, let expected) {
        printErr("\(current.fileName) has index format \(found), this blogsearch reads \(expected): indexing \(options.corpus) again")
        _ = try runIndex(corpus: options.corpus, reader: options.reader, indexes: options.indexes, quiet: false)
    } catch {
        return   // reported when the index is opened
    }
}

enum JSONOutput {
    static func encode<T: Encodable>(_ value: T) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
