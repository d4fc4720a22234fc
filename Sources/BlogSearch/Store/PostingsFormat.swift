import CSQLiteExtras
import Foundation
import GRDB

/// blogsearch's own postings, beside FTS5 in the same generation: what lets a search find its top hits without
/// scoring every match (`Sources/CSQLiteExtras/postings.c` decodes them for the evaluator, `topk.c`; `PostingsBuilder` writes them).
///
/// One row per term of the text columns (title, taxonomy, body, comments — not facets), as FTS5 indexes it
/// (the stem), in `postings`; the positions, read only for queries of two words or more, in `positions`.
/// Posts are in id order, in blocks of `BS_BLOCK_SIZE` (128):
///
///     blocks     per block, 20 bytes little-endian: the block's last post id (UInt32), where the block starts
///                in docs, freqs and positions (3 × UInt32), and the block's highest score (Float32, rounded
///                up): the term's BM25F part (`bs_posting_score`) with the ranking weights of `rankingWeights`
///                and the collection statistics of FTS5 in the same file.
///     docs       per posting, the post id minus the previous one (the block's first: minus the previous
///                block's last id; the first block's: minus 0), as an unsigned LEB128 varint.
///     freqs      per posting: one byte, the column mask (bit c: the term occurs in column c) in the low 4 bits
///                and the first present column's count in the high 4 (15: 15 plus a varint that follows), then
///                a varint count for each further present column.
///     positions  per posting: a varint byte length, then for each present column its token offsets as FTS5
///                numbers them, each a varint difference from the previous (the first from 0).
///
/// Everything a score needs besides the counts comes from FTS5's own tables (`FTS5Statistics`), so that the
/// two read paths rank with the same numbers.
enum PostingsFormat {
    static let blockSize = Int(BS_BLOCK_SIZE)
    static let blockHeaderBytes = Int(BS_BLOCK_HEADER)
    static let textColumns = Int(BS_TEXT_COLUMNS)
    // The byte encodings themselves (varints, the freqs byte) are in `PostingBytes`; the snippet marks' spacing is
    // `PostTokens.snippetMarkEvery` (snippet.c's SNIPPET_MARK_EVERY).
}

/// FTS5's collection statistics for `post_text`, read from its own tables: what `blogsearch_rank` sees through
/// `xRowCount`, `xColumnTotalSize` and `xColumnSize`.
struct FTS5Statistics: Sendable {
    /// Rows (posts).
    var rows: Int
    /// Tokens per column over all rows (title, taxonomy, body, comments, facets).
    var totals: [Int]
    /// Tokens per text column, per post id d at `(d - 1) * 4 + c`.
    var lengths: [Int32]

    /// - Throws: `StoreError.corrupt` when a record does not decode; SQLite's errors.
    static func read(_ db: Database, path: String, posts: Int) throws -> FTS5Statistics {
        guard let averages = try Data.fetchOne(db, sql: "SELECT block FROM post_text_data WHERE id = 1") else {
            throw StoreError.corrupt(path: path, reason: "FTS5's averages record is missing")
        }
        let values = sqliteVarints(averages)
        guard values.count >= 1 + Schema.PostColumn.allCases.count else {
            throw StoreError.corrupt(path: path, reason: "FTS5's averages record holds \(values.count) numbers")
        }
        var lengths = [Int32](repeating: 0, count: posts * PostingsFormat.textColumns)
        let cursor = try Row.fetchCursor(db, sql: "SELECT id, sz FROM post_text_docsize ORDER BY id")
        var seen = 0
        while let row = try cursor.next() {
            let id: Int = row[0]
            let sizes = sqliteVarints(row[1] as Data)
            guard id >= 1, id <= posts, sizes.count >= PostingsFormat.textColumns else {
                throw StoreError.corrupt(path: path, reason: "FTS5's size record of row \(id) does not decode")
            }
            for c in 0..<PostingsFormat.textColumns { lengths[(id - 1) * PostingsFormat.textColumns + c] = Int32(truncatingIfNeeded: sizes[c]) }
            seen += 1
        }
        guard seen == posts, values[0] == posts else {
            throw StoreError.corrupt(path: path, reason: "FTS5 counts \(values[0]) rows and \(seen) sizes for \(posts) posts")
        }
        return FTS5Statistics(rows: values[0], totals: Array(values[1...]), lengths: lengths)
    }

    /// The norms `blogsearch_rank` divides each text column's counts by, per post: `bs_compute_norms`.
    func norms(_ weights: RankingWeights) -> [Double] {
        let fields = [weights.title, weights.taxonomy, weights.body, weights.comments]
        let weight = fields.map(\.weight), b = fields.map(\.b)
        let totals = (0..<PostingsFormat.textColumns).map { Double(self.totals[$0]) }
        var norms = [Double](repeating: 1, count: lengths.count)
        let count = Int32(lengths.count / PostingsFormat.textColumns)
        lengths.withUnsafeBufferPointer { lengths in
            norms.withUnsafeMutableBufferPointer { out in
                bs_compute_norms(lengths.baseAddress, count, totals, Double(rows), weight, b, out.baseAddress)
            }
        }
        return norms
    }

    /// SQLite's own varints (FTS5 records use them): big-endian groups of 7 bits, the ninth byte whole.
    static func sqliteVarints(_ data: Data) -> [Int] {
        var values: [Int] = []
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            var i = 0
            while i < raw.count {
                var value: UInt64 = 0
                var n = 0
                while i < raw.count {
                    let b = raw[i]
                    i += 1
                    n += 1
                    if n == 9 {
                        value = (value << 8) | UInt64(b)
                        break
                    }
                    value = (value << 7) | UInt64(b & 0x7f)
                    if b & 0x80 == 0 { break }
                }
                values.append(Int(truncatingIfNeeded: value))
            }
        }
        return values
    }
}

extension RankingWeights {
    /// The weights as JSON, as the manifest records the ones the postings' block maxima were computed with.
    var json: String {
        JSONText.encodeSorted(self)
    }

    init?(json: String) {
        guard let decoded: RankingWeights = JSONText.decodeValue(json) else { return nil }
        self = decoded
    }
}
