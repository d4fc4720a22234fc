import GRDB

/// Writes one post's rows: metadata, searchable text, comments.
struct PostWriter {
    let insertPost: Statement
    let insertText: Statement
    let insertComment: Statement
    let database: Database

    init(_ db: Database) throws {
        database = db
        insertPost = try db.makeStatement(sql: """
            INSERT INTO posts(id, slug, title, url, date, author, categories, tags, source, content_hash, first_comment, comment_count,
                              lang, translation_key)
            VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
            """)
        insertText = try db.makeStatement(sql: "INSERT INTO post_text(rowid, title, taxonomy, body, comments, facets) VALUES (?, ?, ?, ?, ?, ?)")
        insertComment = try db.makeStatement(sql: "INSERT INTO comments(id, post_id, comment_id, author, date, reply_to, body) VALUES (?, ?, ?, ?, ?, ?, ?)")
    }

    /// Writes `post` as `id`, its comments from `firstComment` on; returns the next free comment id.
    func write(_ post: Post, id: Int64, hash: String, firstComment: Int64) throws -> Int64 {
        try insertPost.execute(arguments: [
            id, post.slug, post.title, post.url, post.date, post.author, JSONText.encode(post.categories),
            JSONText.encode(post.tags), post.source.description, hash, firstComment, post.comments.count,
            post.lang, post.translationKey,
        ])
        let facets = Facet.tokens(categories: post.categories, tags: post.tags, author: post.author, language: post.lang)
        let text = PostText(post)
        try insertText.execute(arguments: [id, text.title, text.taxonomy, text.body, text.comments, facets.joined(separator: " ")])
        var commentID = firstComment
        for comment in post.comments {
            try insertComment.execute(arguments: [commentID, id, comment.id, comment.author, comment.date, comment.replyTo,
                                                  HighlightMarker.removed(from: comment.body)])
            commentID += 1
        }
        return commentID
    }

    /// Removes post `id` and its comments (an incremental build rewrites it).
    func remove(id: Int64) throws {
        try database.execute(sql: "DELETE FROM post_text WHERE rowid = ?", arguments: [id])
        // A post's comments are a range of ids (comments.post_id has no index).
        if let row = try Row.fetchOne(database, sql: "SELECT first_comment, comment_count FROM posts WHERE id = ?", arguments: [id]) {
            let first: Int64 = row[0], count: Int64 = row[1]
            try database.execute(sql: "DELETE FROM comments WHERE id BETWEEN ? AND ?", arguments: [first, first + count - 1])
        }
        try database.execute(sql: "DELETE FROM posts WHERE id = ?", arguments: [id])
    }
}
