import CSQLiteExtras
import Foundation
import GRDB

/// Makes the hits of a ranked page: each post's record with its snippet, matched columns and matched comment.
/// A maker returns nil when it cannot make this page's hits from what the ranking found; the search then asks
/// the next one (`HitMakers.full`: from the postings, from FTS5's ranking rows, from FTS5 one post at a time).
protocol HitMaker: Sendable {
    func hits(_ ranking: Ranking, _ plan: QueryPlan, _ db: Database, index: SearchIndex) throws -> [SearchResponse.Hit]?
}

/// The hit makers a search may be given.
enum HitMakers {
    /// Whole hits, made the cheapest way the ranking allows.
    static let full: [any HitMaker] = [PostingsHitMaker(), FTS5RowHitMaker(), FTS5QueryHitMaker()]
    /// A search box's list of posts: records only (title, URL, date, score), no snippets or comments.
    static let links: [any HitMaker] = [LinkHitMaker()]
    /// No hits at all: the ranked page's total and facets only (what the benchmarks compare with engines that
    /// return ids alone).
    static let none: [any HitMaker] = []
}

/// Hits from the postings that ranked the page: each phrase's instances in the post come from its positions
/// (only the block holding the post is read when a term's positions were not loaded), the body snippet from
/// the body text and `snippet_marks` (`blogsearch_snippet_text`: the window and highlights
/// `blogsearch_snippet` chooses for the same instances), the comment from `comment_starts`. No FTS5 cursor
/// per hit. Nil when a phrase's positions are unavailable (a prefix merged without them, a generation without
/// comment starts).
struct PostingsHitMaker: HitMaker {
    func hits(_ ranking: Ranking, _ plan: QueryPlan, _ db: Database, index: SearchIndex) throws -> [SearchResponse.Hit]? {
        guard case .postings(let answer) = ranking.evidence, let terms = plan.terms, let support = index.topK, support.commentStarts,
              answer.postings.allSatisfy({ $0.postings.positions != nil || $0.positionsRow != nil }) else { return nil }
        guard !ranking.page.isEmpty else { return [] }
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
        let lengths = terms.phraseLengths
        let phraseLengths = lengths.map { Int32($0) }
        let bodies = try db.cachedStatement(sql: "SELECT c\(Schema.PostColumn.body.rawValue) FROM post_text_content WHERE id = ?")
        let marks = support.snippetMarks ? try db.cachedStatement(sql: "SELECT body FROM snippet_marks WHERE post_id = ?") : nil
        let records = HitRecords(index: index, db: db, query: plan.parsed)
        return try ranking.page.map { found in
            var instances = bs_doc_hits()
            let code = lists.withUnsafeBufferPointer { lists in
                blobs.withUnsafeBufferPointer { blobs in
                    bs_doc_instances(lists.baseAddress, blobs.baseAddress, Int32(lists.count), Int32(found.id), &instances)
                }
            }
            defer { bs_doc_hits_free(&instances) }
            if code > 0 { throw DatabaseError.sqlite(code, on: connection) }
            guard code == 0 else {
                throw SearchError.indexCorrupt(path: index.generation.path, reason: "the positions of \(terms.sources) do not decode")
            }
            let snippet = try bodies.firstRow(id: found.id) { body in
                try marksOf(marks, found.id) { marks in
                    try bodySnippet(body, marks: marks, instances: instances.body, count: Int(instances.nBody),
                                    phraseLengths: phraseLengths, index: index)
                }
            }
            let comments = Data(bytes: instances.comments, count: Int(instances.nComments) * 8)
            return try records.hit(found, snippet: snippet ?? "", mask: Int(instances.mask), commentInstances: (comments, lengths))
        }
    }

    /// Calls `body` with the post's snippet marks (empty when it has none or the generation keeps none).
    private func marksOf<T>(_ statement: Statement?, _ id: Int64, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        if let statement, let result = try statement.firstRow(id: id, { row in try row.withBytes(0, body) }) { return result }
        return try body(UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// The body's snippet, marked with U+E000/U+E001 as `blogsearch_snippet` marks it.
    private func bodySnippet(_ body: StatementRow, marks: UnsafeRawBufferPointer, instances: UnsafePointer<Int32>?, count: Int,
                             phraseLengths: [Int32], index: SearchIndex) throws -> String {
        try body.withBytes(0) { text in
            var out: UnsafeMutablePointer<CChar>? = nil
            var length: Int32 = 0
            let code = try index.tokenizers.with { tokenizer in tokenizer.withHandle { handle in
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
}

/// Hits from the rows of FTS5's ranking statement, which computed each post's snippet and matched columns.
struct FTS5RowHitMaker: HitMaker {
    func hits(_ ranking: Ranking, _ plan: QueryPlan, _ db: Database, index: SearchIndex) throws -> [SearchResponse.Hit]? {
        guard case .fts5Rows(let rows) = ranking.evidence else { return nil }
        let records = HitRecords(index: index, db: db, query: plan.parsed)
        return try zip(ranking.page, rows).map { found, row in try records.hit(found, snippet: row.snippet, mask: row.mask) }
    }
}

/// Hits made one by one through FTS5: per post, a `MATCH … AND rowid = ?` query for its snippet, matched
/// columns and, where the generation says where comments start, its instances in the comments.
struct FTS5QueryHitMaker: HitMaker {
    func hits(_ ranking: Ranking, _ plan: QueryPlan, _ db: Database, index: SearchIndex) throws -> [SearchResponse.Hit]? {
        guard let match = plan.match else { return [] }
        let marks = index.topK?.snippetMarks == true ? "(SELECT body FROM snippet_marks WHERE post_id = ?2)" : "NULL"
        let snippet = try db.cachedStatement(sql: """
            SELECT blogsearch_snippet(post_text, 2, \(Snippet.tokens), \(marks)), blogsearch_columns(post_text),
                   blogsearch_instances(post_text, 3)
            FROM post_text WHERE post_text MATCH ?1 AND rowid = ?2
            """)
        // The phrases' lengths match the instances FTS5 reports when the plan's terms are those the postings rank.
        let lengths: [Int]? = if case .postings = ranking.evidence, index.topK?.commentStarts == true {
            plan.terms?.phraseLengths
        } else {
            nil
        }
        let records = HitRecords(index: index, db: db, query: plan.parsed)
        return try ranking.page.map { found in
            let row = try snippet.firstRow(id: found.id, after: match.expression(allTerms: found.all)) { row in
                (snippet: row.text(0), mask: Int(row.int64(1)), instances: row.withBytes(2) { Data($0) })
            }
            return try records.hit(found, snippet: row?.snippet, mask: row?.mask ?? 0,
                                   commentInstances: lengths.map { (row?.instances ?? Data(), $0) })
        }
    }
}

/// A search box's hits: the post's record and score, nothing searched for inside it.
struct LinkHitMaker: HitMaker {
    func hits(_ ranking: Ranking, _ plan: QueryPlan, _ db: Database, index: SearchIndex) throws -> [SearchResponse.Hit]? {
        ranking.page.map { found in
            SearchResponse.Hit(index.posts[Int(found.id) - 1], score: found.score, matchesAllTerms: found.all)
        }
    }
}
