import GRDB

/// A post as a page shows it: metadata, the indexed body text, and its comments in reading order.
public struct PostPage: Sendable, Hashable, Codable {
    public var post: PostSummary
    public var body: String
    public var comments: [Comment]
}

extension SearchIndex {
    /// The whole post, for pages that render it (the demo site).
    /// - Throws: `SearchError.postNotFound` with close matches.
    public func page(slug: String) throws(SearchError) -> PostPage {
        guard let summary = post(slug: slug) else { throw .postNotFound(slug: slug, suggestions: suggestions(for: slug)) }
        do {
            return try read { db in
                let body = try String.fetchOne(db, sql: "SELECT body FROM post_text WHERE rowid = ?", arguments: [summary.id]) ?? ""
                // A post's comments have consecutive ids: a rowid range, not a scan of every comment.
                let comments = try Row.fetchAll(db, sql: """
                    SELECT comment_id, author, date, body, reply_to FROM comments WHERE id BETWEEN ? AND ? ORDER BY id
                    """, arguments: [summary.firstComment, summary.firstComment + Int64(summary.commentCount) - 1]).map {
                    Comment(id: $0[0], author: $0[1], date: $0[2], body: $0[3], replyTo: $0[4])
                }
                return PostPage(post: summary, body: String(LanguageMarker.strip(body).text), comments: comments)
            }
        } catch {
            throw .wrapping(error)
        }
    }

    /// All posts, newest first (for listings).
    public var allPosts: [PostSummary] { posts.reversed() }

    /// Slugs that look like `slug` (shared prefix or small edit distance), best first.
    public func suggestions(for slug: String, limit: Int = 3) -> [String] {
        let target = Array(slug.lowercased())
        let scored = posts.compactMap { post -> (Int, String)? in
            let candidate = Array(post.slug.lowercased())
            if post.slug.lowercased().hasPrefix(slug.lowercased()) || slug.lowercased().hasPrefix(post.slug.lowercased()) {
                return (0, post.slug)
            }
            let d = EditDistance.levenshtein(target, candidate, limit: max(3, target.count / 3))
            return d.map { ($0, post.slug) }
        }
        return scored.sorted { $0 < $1 }.prefix(limit).map(\.1)
    }
}

enum EditDistance {
    /// Levenshtein distance, or nil when it exceeds `limit`.
    static func levenshtein(_ a: [Character], _ b: [Character], limit: Int) -> Int? {
        if abs(a.count - b.count) > limit { return nil }
        var previous = Array(0...b.count)
        for (i, ca) in a.enumerated() {
            var current = [i + 1] + Array(repeating: 0, count: b.count)
            var rowMin = current[0]
            for (j, cb) in b.enumerated() {
                current[j + 1] = min(previous[j + 1] + 1, current[j] + 1, previous[j] + (ca == cb ? 0 : 1))
                rowMin = min(rowMin, current[j + 1])
            }
            if rowMin > limit { return nil }
            previous = current
        }
        return previous[b.count] <= limit ? previous[b.count] : nil
    }
}
