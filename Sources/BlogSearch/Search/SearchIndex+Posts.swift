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
                return PostPage(post: summary, body: body, comments: comments)
            }
        } catch {
            throw .wrapping(error)
        }
    }

    /// All posts, newest first (for listings).
    public var allPosts: [PostSummary] { posts.reversed() }
}
