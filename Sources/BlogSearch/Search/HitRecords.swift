import Foundation
import GRDB

/// A hit's record: the post as the index keeps it, the columns it matched in, its snippet and the comment
/// that matched best. Shared by every hit maker.
struct HitRecords {
    let index: SearchIndex
    let db: Database
    /// The query as matched (`QueryPlan.parsed`), for `CommentMatcher`.
    let query: ParsedQuery

    var posts: [PostSummary] { index.posts }
    var tokenizers: TokenizerPool { index.tokenizers }

    /// A hit from a ranked post: its id, score, snippet and matched-columns mask (`blogsearch_columns`).
    /// - Parameter commentInstances: the hit's instances in the comments column and the phrases' lengths, to
    ///   find the matching comment without tokenizing every comment; nil: `CommentMatcher` tokenizes them.
    func hit(_ found: RankedPost, snippet: String?, mask: Int, commentInstances: (Data, [Int])? = nil) throws -> SearchResponse.Hit {
        let post = posts[Int(found.id) - 1]
        var matchedIn: [String] = []
        for (bit, name) in [(0, "title"), (1, "tags"), (2, "body"), (3, "comments")] where mask & (1 << bit) != 0 {
            matchedIn.append(name)
        }
        var comment: SearchResponse.CommentHit? = nil
        if mask & (1 << 3) != 0, post.commentCount > 0 {
            if let (instances, lengths) = commentInstances {
                comment = try bestComment(post: post, instances: instances, phraseLengths: lengths)
            } else {
                comment = try bestComment(post: post)
            }
        }
        var snippet = Snippet.highlighted(snippet ?? "")
        if mask & (1 << 2) == 0, let comment { snippet = comment.snippet }
        return SearchResponse.Hit(post, score: found.score, matchedIn: matchedIn, snippet: snippet, comment: comment, matchesAllTerms: found.all)
    }

    /// The comment of `post` that matches best (see `CommentMatcher`). Comments of a post have consecutive ids.
    private func bestComment(post: PostSummary) throws -> SearchResponse.CommentHit? {
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT comment_id, author, date, body FROM comments WHERE id BETWEEN ? AND ? ORDER BY id"),
                                    arguments: [post.firstComment, post.firstComment + Int64(post.commentCount) - 1])
        let match = try tokenizers.with { tokenizer in
            CommentMatcher(query, tokenizer: tokenizer).best(of: rows.map { $0[3] as String }, tokenizer: tokenizer,
                                                             language: LanguageMarker.analysisLanguage(post.lang))
        }
        guard let match else { return nil }
        let row = rows[match.index]
        return SearchResponse.CommentHit(id: row[0], author: row[1], date: row[2], snippet: Snippet.highlighted(match.snippet))
    }

    /// The comment of `post` that matches best, from the hit's phrase instances in the comments column
    /// (native Int32 pairs of phrase and offset: `bs_doc_instances`'s, or FTS5's `blogsearch_instances`) and where each comment starts: the
    /// same choice and snippet as `CommentMatcher` (most distinct phrases, then most instances, then the
    /// first), tokenizing only the chosen comment. `phraseLengths` are the query's phrases' lengths in terms.
    private func bestComment(post: PostSummary, instances blob: Data, phraseLengths: [Int]) throws -> SearchResponse.CommentHit? {
        var pairs: [(phrase: Int, offset: Int)] = []
        blob.withUnsafeBytes { raw in
            for i in 0..<(raw.count / 8) {
                let phrase = Int(raw.loadUnaligned(fromByteOffset: i * 8, as: Int32.self))
                // Phrases past the query's own come from the expression's other parts (the tier-two NOT).
                if phrase < phraseLengths.count { pairs.append((phrase, Int(raw.loadUnaligned(fromByteOffset: i * 8 + 4, as: Int32.self)))) }
            }
        }
        guard !pairs.isEmpty,
              let starts = try db.cachedStatement(sql: "SELECT starts FROM comment_starts WHERE post_id = ?").firstRow(id: post.id, { row in
                  row.withBytes(0) { raw in
                      (0..<(raw.count / 4)).map { Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: $0 * 4, as: UInt32.self))) }
                  }
              }),
              starts.count == post.commentCount
        else { return nil }
        // Instances come in offset order: group them by the comment they fall in. The column joins the
        // comments, so FTS5 also finds a phrase that runs from one comment into the next: as in
        // `CommentMatcher`, only an instance wholly inside one comment counts.
        func end(_ index: Int) -> Int { index + 1 < starts.count ? starts[index + 1] : Int.max }
        // A comment's instances: pairs[first..<i] of those within it; the best group is kept as a range.
        var best: (index: Int, distinct: Int, count: Int, pairs: Range<Int>)? = nil
        var kept: [(phrase: Int, offset: Int)] = []
        kept.reserveCapacity(pairs.count)
        var index = 0, i = 0
        while i < pairs.count {
            while index + 1 < starts.count, starts[index + 1] <= pairs[i].offset { index += 1 }
            let first = kept.count
            var seen: UInt64 = 0, distinct = 0
            while i < pairs.count, pairs[i].offset < end(index) {
                if pairs[i].offset + phraseLengths[pairs[i].phrase] <= end(index) {
                    // At most 64 phrases reach the postings ranker (`QueryPlan.terms`).
                    let bit: UInt64 = 1 << UInt64(pairs[i].phrase & 63)
                    if seen & bit == 0 { seen |= bit; distinct += 1 }
                    kept.append(pairs[i])
                }
                i += 1
            }
            let count = kept.count - first
            if count > 0, best.map({ ($0.distinct, $0.count) < (distinct, count) }) ?? true {
                best = (index, distinct, count, first..<kept.count)
            }
        }
        guard let best else { return nil }
        let start = starts[best.index]
        let instances = kept[best.pairs].map { (phrase: $0.phrase, start: $0.offset - start, length: phraseLengths[$0.phrase]) }
        let comment = try db.cachedStatement(sql: "SELECT comment_id, author, date, body FROM comments WHERE id = ?")
            .firstRow(id: post.firstComment + Int64(best.index)) { row in
                (id: row.text(0) ?? "", author: row.text(1), date: row.text(2), text: row.text(3) ?? "")
            }
        guard let comment else { return nil }
        let bytes = try tokenizers.with { $0.tokenRanges(comment.text) }
        return SearchResponse.CommentHit(id: comment.id, author: comment.author, date: comment.date,
                                         snippet: Snippet.highlighted(CommentMatcher.snippet(comment.text, bytes, instances, tokens: Snippet.tokens)))
    }
}
