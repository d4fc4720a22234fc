#ifndef CSQLITE_EXTRAS_TOPK_H
#define CSQLITE_EXTRAS_TOPK_H
#include <stdint.h>

/// blogsearch's own postings in C, one file per stage (as FTS5 splits fts5_index.c, fts5_expr.c, fts5_aux.c):
/// - postings.h, postings.c: the codec: reading a term's postings, encoding postings made at query time, and
///   the scores a block's maximum is made of (bs_posting_score, bs_term_idf, bs_compute_norms; the build uses them);
/// - topk.c: the evaluator (bs_topk), its bounds and its scoring;
/// - query_postings.c: the postings of a phrase or a prefix, made at query time (bs_phrase_postings, bs_union_postings);
/// - hit_instances.c: one post's phrase instances, for its hit (bs_doc_instances).

/// The postings of one term, as stored in a generation's `postings` and `positions` tables (layout in
/// Sources/BlogSearch/Store/PostingsFormat.swift; postings.h reads it).
typedef struct bs_postings {
    const uint8_t *blocks;      /// `nBlocks` headers of BS_BLOCK_HEADER bytes
    int32_t nBlocks;
    const uint8_t *docs;        /// doc id deltas
    const uint8_t *freqs;       /// per posting: column mask and term frequencies
    const uint8_t *positions;   /// per posting: length-prefixed positions; NULL when not loaded
    int32_t nDocs, nFreqs, nPositions;  /// byte lengths of the three
    int32_t df;                 /// postings (posts holding the term in a text column)
} bs_postings;

#define BS_BLOCK_SIZE 128
#define BS_BLOCK_HEADER 20
#define BS_TEXT_COLUMNS 4

/// One query, already reduced to single-term phrases (see SearchIndex+TopK.swift).
typedef struct bs_topk_query {
    int32_t nPhrase;
    const bs_postings *phrases;     /// per phrase, in query order (a repeated word appears twice)
    const int32_t *clauseOf;        /// per phrase: the clause (AND group) it belongs to, 0 ..< nClause
    int32_t nClause;
    double k1, proximity;
    double weight[BS_TEXT_COLUMNS];
    double rows;                    /// N, FTS5's row count
    const double *norms;            /// per post id d >= 1: norms[(d - 1) * BS_TEXT_COLUMNS + column]
    int32_t lo, hi;                 /// post ids considered, inclusive
    const uint8_t *allowed;         /// bit d set when post d passes the filters; NULL: all do
    int32_t k;                      /// hits wanted: offset + limit
    int32_t tiered;                 /// 1: posts matching every clause rank first
    /// The most phrases one token position can hold an instance of (1 for distinct single words; a repeated
    /// word, phrases and prefixes make it more): the proximity bound depends on it.
    int32_t maxInstancesPerPosition;
    /// Per post id d >= 1: boost[d - 1] multiplies its score (the recency boost); NULL: none. Every factor must
    /// be at least 1 and at most `maxBoost`, which multiplies the bounds.
    const double *boost;
    double maxBoost;
} bs_topk_query;

typedef struct bs_topk_result {
    int32_t *matches;               /// every matching, allowed post id, ascending (capacity: sum of df)
    int32_t nMatches;
    int32_t allCount;               /// how many of them match every clause
    int32_t *hitDocs;               /// capacity k: the best k, best first
    double *hitScores;
    uint8_t *hitAll;                /// 1 when the hit matches every clause
    int32_t nHits;
    int64_t scored;                 /// posts whose score was computed
    int64_t proximityScored;        /// of those, posts whose positions were read
} bs_topk_result;

/// Ranks the query's matches as FTS5 with blogsearch_rank would, without scoring the posts that cannot
/// reach the top k. Returns 0, or -1 when a buffer is malformed (a damaged generation) or memory ran out.
int bs_topk(const bs_topk_query *query, bs_topk_result *result);

/// What block maxima are scored with, for postings made at query time.
typedef struct bs_scoring {
    double k1;
    double weight[BS_TEXT_COLUMNS];
    double rows;
    const double *norms;            /// as in bs_topk_query
} bs_scoring;

/// The postings of a phrase of `n` terms (each at the next position of the same column: FTS5's phrase
/// semantics; an instance is the position of the first term), made from the terms' postings, which must
/// carry positions. Encoded as a stored term's, positions included, with block maxima for `scoring`.
/// Returns 0 (free `out` with bs_postings_free), or -1 when a buffer is malformed or memory ran out.
int bs_phrase_postings(const bs_postings *terms, int32_t n, const bs_scoring *scoring, bs_postings *out);

/// The postings of a prefix: every post holding any of the `n` terms, counts summed per column, positions
/// merged (as FTS5 matches a prefix: one phrase whose instances are the tokens starting with it). The terms
/// must carry positions when `withPositions`.
int bs_union_postings(const bs_postings *terms, int32_t n, int withPositions, const bs_scoring *scoring, bs_postings *out);

/// Frees postings made by bs_phrase_postings or bs_union_postings.
void bs_postings_free(bs_postings *postings);

/// The norms of `count` posts from their column lengths (`lengths[(d - 1) * 4 + c]`), as blogsearch_rank
/// computes them; `totals` are FTS5's token totals per column, `rows` its row count.
void bs_compute_norms(const int32_t *lengths, int32_t count, const double *totals, double rows,
                      const double *weight, const double *b, double *norms);

/// The score of one term in one post without the proximity bonus, as blogsearch_rank computes it.
double bs_posting_score(double idf, const int32_t *tf, const double *norms, const double *weight, double k1);

/// Lucene's idf, as blogsearch_rank computes it.
double bs_term_idf(double rows, double df);
typedef struct sqlite3_blob sqlite3_blob;

/// One post's phrase instances, for its hit: in the body (column 2) and the comments (column 3), each as
/// (phrase, token offset) pairs ordered as FTS5's xInst orders them (offset, then phrase), and the text
/// columns any phrase occurs in (bit c for column c).
typedef struct bs_doc_hits {
    int32_t mask;
    int32_t *body;
    int32_t nBody;
    int32_t *comments;
    int32_t nComments;
} bs_doc_hits;

/// The instances of the `n` phrases in post `doc`. A phrase whose positions are not in memory
/// (`positions` NULL) reads only its block's positions through `blobs[i]`, its row of `positions` opened with
/// sqlite3_blob_open, and must have `nPositions` set to that blob's length. Returns 0 (free `out` with
/// bs_doc_hits_free), -1 when a buffer is malformed or memory ran out, or SQLite's error code from a blob read.
int bs_doc_instances(const bs_postings *phrases, sqlite3_blob *const *blobs, int32_t n, int32_t doc, bs_doc_hits *out);
void bs_doc_hits_free(bs_doc_hits *hits);
#endif
