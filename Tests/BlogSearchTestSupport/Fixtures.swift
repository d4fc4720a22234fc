import BlogSearch
import Foundation

/// The fixture files (this target's `Fixtures/`, one copy for every test target) and posts and comments made up
/// in a test.
package enum Fixtures {
    /// The `Fixtures/` folder: `blog`, and exports and sites in each format the corpus reader takes.
    package static var directory: String {
        Bundle.module.resourcePath! + "/Fixtures"
    }

    /// The small blog, `Fixtures/blog`, read in place: five posts across three categories, with comments and a
    /// `<script>` title.
    package static var blog: String { directory + "/blog" }

    /// The small blog copied into `dir/corpus`, for a test that changes it or writes beside it.
    package static func blog(in dir: TemporaryDirectory) -> String {
        let corpus = dir.url("corpus")
        try! FileManager.default.copyItem(atPath: blog, toPath: corpus)
        return corpus
    }

    /// Builds the small blog, read in place, plus `extra` posts, into `dir/indexes`.
    @discardableResult
    package static func buildBlog(into dir: TemporaryDirectory, extra: [Post] = []) throws -> BuildSummary {
        var corpus = try CorpusReader().read(at: blog)
        corpus.posts += extra
        return try IndexBuilder(indexesDirectory: dir.url("indexes")).build(corpus, corpusPath: blog)
    }

    /// A fixture site (`Fixtures/site/<site>`) copied into `dir/c/<its last folder>`: the corpus is `dir/c`, the
    /// site one folder below it.
    package static func site(_ site: String, in dir: TemporaryDirectory) throws -> String {
        let folder = (site as NSString).lastPathComponent
        try FileManager.default.createDirectory(atPath: dir.url("c"), withIntermediateDirectories: true)
        try FileManager.default.copyItem(atPath: directory + "/site/" + site, toPath: dir.url("c/\(folder)"))
        return dir.url("c")
    }

    /// A Markdown post with front matter.
    package static func post(title: String, slug: String? = nil, date: String? = nil, author: String? = nil,
                             categories: [String] = [], tags: [String] = [], extra: String = "", body: String) -> String {
        var lines = ["---", "title: \"\(title)\""]
        if let slug { lines.append("slug: \(slug)") }
        if let date { lines.append("date: \(date)") }
        if let author { lines.append("author: \(author)") }
        if !categories.isEmpty { lines.append("categories: [\(categories.joined(separator: ", "))]") }
        if !tags.isEmpty { lines.append("tags: [\(tags.joined(separator: ", "))]") }
        if !extra.isEmpty { lines.append(extra) }
        lines += ["---", "", body, ""]
        return lines.joined(separator: "\n")
    }

    /// A Staticman comment file.
    package static func comment(id: String, name: String, date: String, message: String, replyingTo: String? = nil) -> String {
        var text = "_id: \(id)\nname: \(name)\ndate: \(date)\nmessage: |\n"
        text += message.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
        if let replyingTo { text += "replying_to: \(replyingTo)\n" }
        return text
    }
}
