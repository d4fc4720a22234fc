import Foundation
import Testing
@testable import BlogSearch

/// A temporary folder, removed when the value is released.
final class TemporaryDirectory {
    let path: String

    init() {
        path = (NSTemporaryDirectory() as NSString).appendingPathComponent("blogsearch-test-\(UUID().uuidString)")
        try! FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit { try? FileManager.default.removeItem(atPath: path) }

    func url(_ relative: String) -> String { (path as NSString).appendingPathComponent(relative) }

    @discardableResult
    func write(_ relative: String, _ text: String) -> String {
        let file = url(relative)
        try! FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! text.write(toFile: file, atomically: true, encoding: .utf8)
        return file
    }

    @discardableResult
    func write(_ relative: String, bytes: [UInt8]) -> String {
        let file = url(relative)
        try! FileManager.default.createDirectory(atPath: (file as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try! Data(bytes).write(to: URL(fileURLWithPath: file))
        return file
    }
}

enum Fixtures {
    static var directory: String {
        Bundle.module.resourcePath! + "/Fixtures"
    }

    /// A Markdown post with front matter.
    static func post(title: String, slug: String? = nil, date: String? = nil, author: String? = nil,
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

    static func comment(id: String, name: String, date: String, message: String, replyingTo: String? = nil) -> String {
        var text = "_id: \(id)\nname: \(name)\ndate: \(date)\nmessage: |\n"
        text += message.split(separator: "\n", omittingEmptySubsequences: false).map { "  " + $0 }.joined(separator: "\n") + "\n"
        if let replyingTo { text += "replying_to: \(replyingTo)\n" }
        return text
    }

    /// A small blog (Fixtures/blog): five posts across three categories, with comments, copied into `dir/corpus`.
    static func blog(in dir: TemporaryDirectory) -> String {
        let corpus = dir.url("corpus")
        try! FileManager.default.copyItem(atPath: directory + "/blog", toPath: corpus)
        return corpus
    }

    /// Builds the small blog into a fresh indexes folder and opens it.
    static func blogIndex(_ dir: TemporaryDirectory) throws -> SearchIndex {
        let corpusPath = blog(in: dir)
        let corpus = try CorpusReader().read(at: corpusPath)
        _ = try IndexBuilder(indexesDirectory: dir.url("indexes")).build(corpus, corpusPath: corpusPath)
        return try SearchIndex.open(directory: dir.url("indexes"))
    }
}
