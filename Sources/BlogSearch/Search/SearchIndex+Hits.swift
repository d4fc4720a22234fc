import CSQLiteExtras
import Foundation
import GRDB
import Synchronization

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
            guard code == SQLITE_OK else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection)))
            }
            lists[i].nPositions = sqlite3_blob_bytes(blobs[i])
        }
        let lengths = plan.phraseLengths
        let phraseLengths = lengths.map { Int32($0) }
        let bodies = try db.cachedStatement(sql: "SELECT c\(Schema.PostColumn.body.rawValue) FROM post_text_content WHERE id = ?")
        let marks = support.snippetMarks ? try db.cachedStatement(sql: "SELECT body FROM snippet_marks WHERE post_id = ?") : nil
        pagesOfPostingsHits.add(1, ordering: .relaxed)
        return try tokenizers.with { tokenizer in
            try page.map { found in
                var instances = bs_doc_hits()
                let code = lists.withUnsafeBufferPointer { lists in
                    blobs.withUnsafeBufferPointer { blobs in
                        bs_doc_instances(lists.baseAddress, blobs.baseAddress, Int32(lists.count), Int32(found.id), &instances)
                    }
                }
                defer { bs_doc_hits_free(&instances) }
                if code > 0 { throw DatabaseError(resultCode: ResultCode(rawValue: code), message: String(cString: sqlite3_errmsg(connection))) }
                guard code == 0 else {
                    throw SearchError.indexCorrupt(path: generation.path, reason: "the positions of \(plan.sources) do not decode")
                }
                let snippet = try bodies.firstRow(id: found.id) { body in
                    try marksOf(marks, found.id) { marks in
                        try bodySnippet(body, marks: marks, instances: instances.body, count: Int(instances.nBody),
                                        phraseLengths: phraseLengths, tokenizer: tokenizer)
                    }
                }
                let comments = Data(bytes: instances.comments, count: Int(instances.nComments) * 8)
                return try hit(db, id: found.id, score: found.score, snippet: snippet ?? "", mask: Int(instances.mask),
                               matchesAll: found.all, query: query, commentInstances: (comments, lengths))
            }
        }
    }

    /// Calls `body` with the post's snippet marks (empty when it has none or the generation keeps none).
    private func marksOf<T>(_ statement: Statement?, _ id: Int64, _ body: (UnsafeRawBufferPointer) throws -> T) throws -> T {
        if let statement, let result = try statement.firstRow(id: id, { row in try row.withBytes(0, body) }) { return result }
        return try body(UnsafeRawBufferPointer(start: nil, count: 0))
    }

    /// The body's snippet, marked with U+E000/U+E001 as `blogsearch_snippet` marks it.
    private func bodySnippet(_ body: StatementRow, marks: UnsafeRawBufferPointer, instances: UnsafePointer<Int32>?, count: Int,
                             phraseLengths: [Int32], tokenizer: TermTokenizer) throws -> String {
        try body.withBytes(0) { text in
            var out: UnsafeMutablePointer<CChar>? = nil
            var length: Int32 = 0
            let code = tokenizer.withHandle { handle in
                phraseLengths.withUnsafeBufferPointer { lengths in
                    blogsearch_snippet_text(handle, text.baseAddress?.assumingMemoryBound(to: CChar.self), Int32(text.count),
                                            marks.baseAddress?.assumingMemoryBound(to: UInt8.self), Int32(marks.count),
                                            instances, Int32(count), lengths.baseAddress, Int32(lengths.count), Int32(Snippet.tokens),
                                            &out, &length)
                }
            }
            defer { sqlite3_free(out) }
            guard code == SQLITE_OK else {
                throw DatabaseError(resultCode: ResultCode(rawValue: code), message: "the snippet of a post could not be made")
            }
            guard let out else { return "" }
            return String(decoding: UnsafeRawBufferPointer(start: out, count: Int(length)), as: UTF8.self)
        }
    }
}
