import Foundation

/// Reads posts exported as JSON Lines, one post per line:
/// `{"slug", "title", "body"` (required), `"url", "date", "author", "categories", "tags",
/// "comments": [{"id", "author", "date", "body", "replyTo"}]}`. Bodies may hold light HTML (WordPress
/// exports do); it is reduced to text. A bad line is reported with its number and skipped.
enum JSONLinesReader {
    static func read(_ text: String, path: String) -> (posts: [Post], problems: [CorpusProblem]) {
        var posts: [Post] = []
        var problems: [CorpusProblem] = []
        var lineNumber = 0
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            lineNumber += 1
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty { continue }
            let location = SourceLocation(path: path, line: lineNumber)
            switch post(from: Data(trimmed.utf8), location: location) {
            case .success(let (post, warnings)):
                posts.append(post)
                problems += warnings
            case .failure(let problem):
                problems.append(problem)
            }
        }
        return (posts, problems)
    }

    private static func post(from data: Data, location: SourceLocation) -> Result<(Post, [CorpusProblem]), CorpusProblem> {
        func fail(_ message: String) -> Result<(Post, [CorpusProblem]), CorpusProblem> {
            .failure(CorpusProblem(location, .skipped, message))
        }
        let object: [String: Any]
        do {
            guard let parsed = try JSONSerialization.jsonObject(with: data) as? [String: Any] else {
                return fail("not a JSON object")
            }
            object = parsed
        } catch {
            return fail("not valid JSON: \((error as NSError).userInfo[NSDebugDescriptionErrorKey] as? String ?? "\(error)")")
        }
        for key in ["slug", "title", "body"] where !(object[key] is String) {
            return fail(object[key] == nil ? "no `\(key)` field (slug, title and body are required)" : "`\(key)` must be a string")
        }
        let slug = (object["slug"] as! String).trimmingCharacters(in: .whitespaces)
        let title = (object["title"] as! String).trimmingCharacters(in: .whitespacesAndNewlines)
        guard Slug.isValid(slug) else { return fail("slug '\(slug)' may hold only letters, digits, '-', '_' and '.'") }
        guard !title.isEmpty else { return fail("`title` is empty") }
        var date: String? = nil
        if let raw = string(object["date"]) {
            guard let parsed = DateText.parse(raw) else { return fail("date '\(raw)' is not a date (use YYYY-MM-DD)") }
            date = parsed.day
        }
        var warnings: [CorpusProblem] = []
        var comments: [Comment] = []
        for (index, item) in ((object["comments"] as? [Any]) ?? []).enumerated() {
            guard let c = item as? [String: Any], let body = string(c["body"]) else {
                warnings.append(CorpusProblem(location, .skipped, "comment \(index + 1) of '\(slug)' has no `body`"))
                continue
            }
            var commentDate: String? = nil
            if let raw = string(c["date"]) {
                commentDate = DateText.parse(raw)?.dateTime
                if commentDate == nil {
                    warnings.append(CorpusProblem(location, .warning, "comment \(index + 1) of '\(slug)': date '\(raw)' is not a date; kept without one"))
                }
            }
            comments.append(Comment(id: string(c["id"]) ?? String(index + 1), author: string(c["author"]),
                                    date: commentDate, body: PlainText.fromHTML(body), replyTo: string(c["replyTo"])))
        }
        let post = Post(slug: slug, title: PlainText.fromHTML(title), url: string(object["url"]), date: date,
                        author: string(object["author"]), categories: list(object["categories"]),
                        tags: list(object["tags"]), body: PlainText.fromHTML(object["body"] as! String),
                        comments: comments, source: location)
        return .success((post, warnings))
    }

    /// Text from a JSON value; numbers are accepted as ids are often numeric.
    private static func string(_ value: Any?) -> String? {
        switch value {
        case let s as String:
            let t = s.trimmingCharacters(in: .whitespacesAndNewlines)
            return t.isEmpty ? nil : t
        case let n as NSNumber:
            return n.stringValue
        default:
            return nil
        }
    }

    private static func list(_ value: Any?) -> [String] {
        if let items = value as? [Any] { return items.compactMap { string($0) } }
        return string(value).map { [$0] } ?? []
    }
}
