import CSQLiteExtras
import Foundation
import GRDB
import Synchronization

/// Making a page's hits: snippets, matched columns and the matched comment.
extension SearchIndex {
    /// The hits of a page ranked by the postings, made from the same postings: each phrase's instances in the
    /// post come from its positions (only the block holding the post is read when a term's positions were not
    /// loaded), the body snippet from the body text and `snippet_marks` (`blogsearch_snippet_text`: the window
    /// and highlights `blogsearch_snippet` chooses for the same instances), the comment from `comment_starts`.
    /// No FTS5 cursor per hit: that query was three quarters of a page's hits (callgrind, 10k benchmark).
    /// Nil when a phrase's positions are unavailable (a prefix merged without them, a generation without
    /// comment starts): the caller makes the hits through FTS5.
    func postingsHits(_ db: Database, _ page: some Collection<(id: Int64, score: Double, all: Bool)>, answer: TopKAnswer,
                      plan: TopKPlan, query: ParsedQuery) throws -> [SearchResponse.Hit]? {
        guard let support = topK, support.commentStarts,
              answer.postings.allSatisfy({ $0.postings.positions != nil || $0.positionsRow != nil }) else { return nil }
        guard !page.isEmpty else { return [] }
        let connection = db.sqliteConnection
        var blobs: [OpaquePointer?] = Array(repeating: nil, count: answer.postings.count)
        defer { for blob in blobs where blob != nil { sqlite3_blob_close(blob) } }
        var lists = answer.postings.map(\.postings)
        for (i, loaded) in answer.postings.enumerated() where loaded.postings.positions == nil {
            guard let row = loaded.positionsRow else { continue }
            let code = sqlite3_blob_open(connection, "main", "positions", "data", row, 0, &blobs[i])
            guard code == SQLITE_OK else { throw DatabaseError.sqlite(code, on: connection) }
            lists[i].nPositions = sqlite3_blob_bytes(blobs[i])
        }
        let lengths = plan.phraseLengths
        let phraseLengths = lengths.map { Int32($0) }
        let bodies = try db.cachedStatement(sql: "SELECT c\(Schema.PostColumn.body.rawValue) FROM post_text_content WHERE id = ?")
        let marks = support.snippetMarks ? try db.cachedStatement(sql: "SELECT body FROM snippet_marks WHERE post_id = ?") : nil
        pagesOfPostingsHits.add(1, ordering: .relaxed)
        return try page.map { found in
            var instances = bs_doc_hits()
            let code = lists.withUnsafeBufferPointer { lists in
                blobs.withUnsafeBufferPointer { blobs in
                    bs_doc_instances(lists.baseAddress, blobs.baseAddress, Int32(lists.count), Int32(found.id), &instances)
                }
            }
            defer { bs_doc_hits_free(&instances) }
            if code > 0 { throw DatabaseError.sqlite(code, on: connection) }
            guard code == 0 else {
                throw SearchError.indexCorrupt(path: generation.path, reason: "the positions of \(plan.sources) do not decode")
            }
            let snippet = try bodies.firstRow(id: found.id) { body in
                try marksOf(marks, found.id) { marks in
                    try bodySnippet(body, marks: marks, instances: instances.body, count: Int(instances.nBody),
                                    phraseLengths: phraseLengths)
                }
            }
            let comments = Data(bytes: instances.comments, count: Int(instances.nComments) * 8)
            return try hit(db, id: found.id, score: found.score, snippet: snippet ?? "", mask: Int(instances.mask),
                           matchesAll: found.all, query: query, commentInstances: (comments, lengths))
        }
    }

    /// Calls `body` with the post's snippet marks (empty when it has none or the generation keeps none).
    private func marksOf<T>(_ statement: Statement?, _ id: Int64, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        if let statement, let result = try statement.firstRow(id: id, { row in try row.withBytes(0, body) }) { return result }
        return try body(UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// The body's snippet, marked with U+E000/U+E001 as `blogsearch_snippet` marks it.
    private func bodySnippet(_ body: StatementRow, marks: UnsafeRawBufferPointer, instances: UnsafePointer<Int32>?, count: Int,
                             phraseLengths: [Int32]) throws -> String {
        try body.withBytes(0) { text in
            var out: UnsafeMutablePointer<CChar>? = nil
            var length: Int32 = 0
            let code = try tokenizers.with { tokenizer in tokenizer.withHandle { handle in
                phraseLengths.withUnsafeBufferPointer { lengths in
                    blogsearch_snippet_text(handle, text.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(text.count),
                                            marks.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(marks.count),
                                            instances, Int32(count), lengths.baseAddress, Int32(lengths.count), Int32(Snippet.tokens),
                                            &out, &length)
                }
            } }
            defer { sqlite3_free(out) }
            guard code == SQLITE_OK else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "the snippet of a post could not be made")
            }
            guard let out else { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: out, count: Int(length)), as: UTF8.self)
        }
    }

    /// A hit from a ranked post: its id, score, snippet and matched-columns mask (`blogsearch_columns`).
    /// - Parameter commentInstances: the hit's instances in the comments column and the phrases' lengths, to
    ///   find the matching comment without tokenizing every comment; nil: `CommentMatcher` tokenizes them.
    func hit(_ db: Database, id: Int64, score: Double, snippet: String?, mask: Int, matchesAll: Bool,
             query: ParsedQuery, commentInstances: (Data, [Int])? = nil) throws -> SearchResponse.Hit {
        let post = posts[Int(id) - 1]
        var matchedIn: [String] = []
        for (bit, name) in [(0, "title"), (1, "tags"), (2, "body"), (3, "comments")] where mask & (1 << bit) != 0 {
            matchedIn.append(name)
        }
        var comment: SearchResponse.CommentHit? = nil
        if mask & (1 << 3) != 0, post.commentCount > 0 {
            if let (instances, lengths) = commentInstances {
                comment = try bestComment(db, post: post, instances: instances, phraseLengths: lengths)
            } else {
                comment = try bestComment(db, post: post, query: query)
            }
        }
        var snippet = Snippet.html(snippet ?? "")
        if mask & (1 << 2) == 0, let comment { snippet = comment.snippet }
        return SearchResponse.Hit(post, score: score, matchedIn: matchedIn, snippet: snippet, comment: comment, matchesAllTerms: matchesAll)
    }

    /// The comment of `post` that matches best (see `CommentMatcher`). Comments of a post have consecutive ids.
    fileprivate func bestComment(_ db: Database, post: PostSummary, query: ParsedQuery) throws -> SearchResponse.CommentHit? {
        let rows = try Row.fetchAll(db.cachedStatement(sql: "SELECT comment_id, author, date, body FROM comments WHERE id BETWEEN ? AND ? ORDER BY id"),
                                    arguments: [post.firstComment, post.firstComment + Int64(post.commentCount) - 1])
        let match = try tokenizers.with { tokenizer in
            CommentMatcher(query, tokenizer: tokenizer).best(of: rows.map { $0[3] as String }, tokenizer: tokenizer)
        }
        guard let match else { return nil }
        let row = rows[match.index]
        return SearchResponse.CommentHit(id: row[0], author: row[1], date: row[2], snippet: Snippet.html(match.snippet))
    }

    /// The comment of `post` that matches best, from the hit's phrase instances in the comments column
    /// (native Int32 pairs of phrase and offset: `bs_doc_instances`'s, or FTS5's `blogsearch_instances`) and where each comment starts: the
    /// same choice and snippet as `CommentMatcher` (most distinct phrases, then most instances, then the
    /// first), tokenizing only the chosen comment. `phraseLengths` are the query's phrases' lengths in terms.
    func bestComment(_ db: Database, post: PostSummary, instances blob: Data, phraseLengths: [Int]) throws -> SearchResponse.CommentHit? {
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
                    // At most 64 phrases reach the postings path (`topKPlan`).
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
                                         snippet: Snippet.html(CommentMatcher.snippet(comment.text, bytes, instances, tokens: Snippet.tokens)))
    }
}
