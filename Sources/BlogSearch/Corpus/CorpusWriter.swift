import Foundation
import Yams

/// Writes posts as ordinary corpus files: `posts/<slug>.md` (YAML front matter + Markdown) and
/// `comments/<slug>/<id>.yml` (Staticman layout). Used by `blogsearch import page`.
public enum CorpusWriter {
    public enum Failure: Error, CustomStringConvertible {
        case exists(path: String)
        case cannotWrite(path: String, reason: String)

        public var description: String {
            switch self {
            case .exists(let path): return "\(path) already exists (use --force to replace it)"
            case .cannotWrite(let path, let reason): return "cannot write \(path): \(reason)"
            }
        }
    }

    /// - Returns: the paths written, post first.
    /// - Throws: `Failure.exists` before writing anything when a file is already there and `overwrite` is false.
    public static func write(_ post: Post, into directory: String, overwrite: Bool = false) throws(Failure) -> [String] {
        let root = directory as NSString
        let postPath = (root.appendingPathComponent("posts") as NSString).appendingPathComponent("\(post.slug).md")
        let commentDir = (root.appendingPathComponent("comments") as NSString).appendingPathComponent(post.slug)
        var files: [(String, String)] = [(postPath, markdown(post))]
        for comment in post.comments {
            files.append(((commentDir as NSString).appendingPathComponent("\(comment.id).yml"), staticman(comment)))
        }
        if !overwrite, let existing = files.first(where: { FileManager.default.fileExists(atPath: $0.0) }) {
            throw .exists(path: existing.0)
        }
        for (path, text) in files {
            do {
                try FileManager.default.createDirectory(atPath: (path as NSString).deletingLastPathComponent,
                                                        withIntermediateDirectories: true)
                try text.write(toFile: path, atomically: true, encoding: .utf8)
            } catch {
                throw .cannotWrite(path: path, reason: (error as NSError).localizedDescription)
            }
        }
        return files.map(\.0)
    }

    static func markdown(_ post: Post) -> String {
        var fields: [(String, Node)] = [("title", Node(post.title)), ("slug", Node(post.slug))]
        if let date = post.date { fields.append(("date", Node(date))) }
        if let author = post.author { fields.append(("author", Node(author))) }
        if !post.categories.isEmpty { fields.append(("categories", Node(post.categories.map { Node($0) }))) }
        if !post.tags.isEmpty { fields.append(("tags", Node(post.tags.map { Node($0) }))) }
        if post.url != Post.defaultURL(slug: post.slug) { fields.append(("url", Node(post.url))) }
        let frontMatter = yaml(fields)
        return "---\n\(frontMatter)---\n\n\(escapeMarkdown(post.body))\n"
    }

    /// Plain text as Markdown that renders back to the same text: entities for `&` and `<`, a backslash before
    /// inline markers and before a line start that Markdown would read as a heading, list, quote or table.
    static func escapeMarkdown(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false).map { line -> String in
            var out = ""
            for ch in line {
                switch ch {
                case "&": out += "&amp;"
                case "<": out += "&lt;"
                case "*", "_", "`", "[", "]", "\\": out += "\\\(ch)"
                default: out.append(ch)
                }
            }
            if let first = out.first, "#!>-+|".contains(first) { out = "\\" + out }
            // "2025. A year": an ordered list marker unless its `.` or `)` is escaped (CommonMark escapes
            // punctuation only, so a backslash before the digit would stay in the text).
            let digits = out.prefix { $0.isASCII && $0.isNumber }
            if !digits.isEmpty, let marker = out.dropFirst(digits.count).first, marker == "." || marker == ")" {
                out = digits + "\\" + out.dropFirst(digits.count)
            }
            return out
        }.joined(separator: "\n")
    }

    static func staticman(_ comment: Comment) -> String {
        var fields: [(String, Node)] = [("_id", Node(comment.id))]
        if let author = comment.author { fields.append(("name", Node(author))) }
        if let date = comment.date { fields.append(("date", Node(date))) }
        fields.append(("message", Node(comment.body, Tag(.str), .literal)))
        if let replyTo = comment.replyTo { fields.append(("replying_to", Node(replyTo))) }
        return yaml(fields)
    }

    private static func yaml(_ fields: [(String, Node)]) -> String {
        let node = Node.mapping(Node.Mapping(fields.map { (Node($0.0), $0.1) }))
        return (try? Yams.serialize(node: node, width: -1, allowUnicode: true)) ?? ""
    }
}
