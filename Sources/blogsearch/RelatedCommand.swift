import ArgumentParser
import BlogSearch
import Foundation

struct RelatedCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "related",
        abstract: "Posts related to a post (by slug or URL) or to free text, with the reasons.",
        discussion: """
            Related posts are precomputed at index time (TF-IDF cosine blended with shared tags and categories) \
            and explained by the words the posts share. Examples:
              blogsearch related empathy-in-support
              blogsearch related --url https://blog.example/posts/empathy-in-support/
              blogsearch related --text "draft about angry customers and refunds"
            """
    )

    @Argument(help: "The slug of the post.")
    var slug: String?

    @Option(name: .long, help: ArgumentHelp("The post's URL (path or full address) instead of its slug.", valueName: "url"))
    var url: String?

    @Option(name: .long, help: ArgumentHelp("Free text not in the corpus, e.g. a draft.", valueName: "text"))
    var text: String?

    @Option(name: .long, help: "How many related posts, 1–100.")
    var limit: Int = 5

    @Option(name: .long, help: ArgumentHelp("Never return this post (repeatable).", valueName: "slug"))
    var exclude: [String] = []

    @Flag(name: .long, help: "Only posts sharing a category with the post.")
    var sameCategory = false

    @Flag(name: .long, help: "Only posts older than the post (stable \"see also\" lists).")
    var olderOnly = false

    @Flag(name: .long, help: "Print JSON instead of text.")
    var json = false

    @OptionGroup var options: IndexOptions

    var request: RelatedRequest? {
        let sources: [RelatedRequest.Source] = [slug.map { .slug($0) }, url.map { .url($0) }, text.map { .text($0) }].compactMap { $0 }
        guard sources.count == 1 else { return nil }
        return RelatedRequest(sources[0], limit: limit, exclude: exclude, sameCategory: sameCategory, olderOnly: olderOnly)
    }

    func validate() throws {
        guard let request else { throw ValidationError("give exactly one of: a slug, --url or --text") }
        do {
            try request.validate()
        } catch .invalidParameter(let name, let message) {
            throw ValidationError("--\(name): \(message)")
        }
    }

    func run() throws {
        let index = try openIndex(options)
        let response: RelatedResponse
        do {
            response = try index.related(request!)
        } catch {
            printError("\(error)")
            throw ExitCodes.failure
        }
        if json {
            print(try JSONOutput.encode(response))
        } else {
            print(TextOutput.related(response, color: stdoutIsTerminal))
        }
    }
}
