/*
** blogsearch's postings format in C (the layout is documented in Sources/BlogSearch/Store/PostingsFormat.swift):
** the reader of a term's postings (a cursor in post-id order) and the writer of postings made at query time.
** Private to CSQLiteExtras: the evaluator (topk.c), the phrase and prefix postings (query_postings.c) and the hit
** instances (hit_instances.c) read postings through it; postings.c writes them.
**
** The reader's functions are `static inline` here rather than compiled once in postings.c: the evaluator calls
** them for every posting of every query term, and they must inline into its loop.
*/
#ifndef BLOGSEARCH_POSTINGS_H
#define BLOGSEARCH_POSTINGS_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "topk.h"
#include "bm25f_math.h"

/* A cursor's post id past its last posting. */
#define BS_END INT32_MAX
/* The most phrases one query, phrase or post's instances may hold (an instance's phrase fits in 8 bits). */
#define BS_MAX_PHRASES 64

/* ---- Bytes: little-endian UInt32 and Float32, unsigned LEB128 varints ---- */

static inline uint32_t rd32(const uint8_t *p) {
    return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static inline float rdf32(const uint8_t *p) {
    uint32_t u = rd32(p);
    float f;
    memcpy(&f, &u, sizeof f);
    return f;
}

/* An unsigned LEB128 varint at *p, before end: 1, or 0 when the bytes run out or it is too long. */
static inline int varint(const uint8_t **p, const uint8_t *end, uint32_t *out) {
    const uint8_t *q = *p;
    uint32_t v = 0;
    for (int shift = 0; q < end && shift < 35; shift += 7) {
        uint8_t b = *q++;
        v |= (uint32_t)(b & 0x7f) << shift;
        if (!(b & 0x80)) {
            *p = q;
            *out = v;
            return 1;
        }
    }
    return 0;
}

/* ---- Reading: a cursor over one term's postings, in post-id order ---- */

typedef struct cursor {
    const bs_postings *t;
    int32_t block, inBlock, blockCount;
    int32_t doc;                    /* current post id, BS_END past the last */
    const uint8_t *dp, *dEnd;
    const uint8_t *fp, *fEnd;
    int32_t fIdx;                   /* in-block index of the posting fp points at */
    const uint8_t *pp, *pEnd;
    int32_t pIdx;
    double blockMax;
    double idf;                     /* set by the evaluator */
    double proximityCap;            /* the largest proximity bonus of this phrase; set by the evaluator */
    int32_t tf[BS_TEXT_COLUMNS];    /* of the current posting, once read */
} cursor;

/* Moves to the first posting of block b (past the last posting when there is no such block). The block's docs,
** freqs and positions run from its header's offsets to the next block's (the last block's: to the end). */
static inline int loadBlock(cursor *c, int32_t b) {
    const bs_postings *t = c->t;
    c->block = b;
    if (b >= t->nBlocks) {
        c->doc = BS_END;
        return 0;
    }
    const uint8_t *h = t->blocks + (size_t)b * BS_BLOCK_HEADER;
    const int last = b + 1 == t->nBlocks;
    uint32_t d0 = rd32(h + 4), f0 = rd32(h + 8), p0 = rd32(h + 12);
    uint32_t d1 = last ? (uint32_t)t->nDocs : rd32(h + BS_BLOCK_HEADER + 4);
    uint32_t f1 = last ? (uint32_t)t->nFreqs : rd32(h + BS_BLOCK_HEADER + 8);
    uint32_t p1 = last ? (uint32_t)t->nPositions : rd32(h + BS_BLOCK_HEADER + 12);
    if (d0 > d1 || d1 > (uint32_t)t->nDocs || f0 > f1 || f1 > (uint32_t)t->nFreqs) return -1;
    c->inBlock = 0;
    c->blockCount = t->df - b * BS_BLOCK_SIZE < BS_BLOCK_SIZE ? t->df - b * BS_BLOCK_SIZE : BS_BLOCK_SIZE;
    c->dp = t->docs + d0;
    c->dEnd = t->docs + d1;
    c->fp = t->freqs + f0;
    c->fEnd = t->freqs + f1;
    c->fIdx = 0;
    if (t->positions) {
        if (p0 > p1 || p1 > (uint32_t)t->nPositions) return -1;
        c->pp = t->positions + p0;
        c->pEnd = t->positions + p1;
    }
    c->pIdx = 0;
    c->blockMax = (double)rdf32(h + 16);
    uint32_t base = b == 0 ? 0 : rd32(h - BS_BLOCK_HEADER), delta;
    if (!varint(&c->dp, c->dEnd, &delta) || (uint64_t)base + delta >= BS_END) return -1;
    c->doc = (int32_t)(base + delta);
    return 0;
}

/* Moves to the next posting. Its counts and positions are read only when asked for (loadFreqs, loadPositions). */
static inline int next(cursor *c) {
    if (++c->inBlock < c->blockCount) {
        uint32_t delta;
        if (!varint(&c->dp, c->dEnd, &delta) || delta == 0 || (uint64_t)c->doc + delta >= BS_END) return -1;
        c->doc += (int32_t)delta;
        return 0;
    }
    return loadBlock(c, c->block + 1);
}

/* Moves to the first posting with id >= target, skipping whole blocks by their last id. */
static inline int seek(cursor *c, int32_t target) {
    if (c->doc >= target) return 0;
    int32_t b = c->block;
    while (b < c->t->nBlocks && (int32_t)rd32(c->t->blocks + (size_t)b * BS_BLOCK_HEADER) < target) b++;
    if (b != c->block) {
        if (loadBlock(c, b)) return -1;
    }
    while (c->doc < target) {
        if (next(c)) return -1;
    }
    return 0;
}

/* One posting's freqs bytes at *p (which moves past them) into counts per text column: the mask in the low 4
** bits of the first byte, the first present column's count in its high 4 (15: 15 plus a varint), then a varint
** per further present column. */
static inline int readFreq(const uint8_t **p, const uint8_t *end, int32_t tf[BS_TEXT_COLUMNS]) {
    if (*p >= end) return -1;
    uint8_t b0 = *(*p)++;
    int mask = b0 & 15;
    uint32_t first = b0 >> 4;
    if (mask == 0 || first == 0) return -1;
    if (first == 15) {
        uint32_t extra;
        if (!varint(p, end, &extra)) return -1;
        first = 15 + extra;
    }
    int seen = 0;
    for (int col = 0; col < BS_TEXT_COLUMNS; col++) {
        if (!(mask & (1 << col))) {
            tf[col] = 0;
        } else if (!seen) {
            tf[col] = (int32_t)first;
            seen = 1;
        } else {
            uint32_t v;
            if (!varint(p, end, &v) || v == 0) return -1;
            tf[col] = (int32_t)v;
        }
    }
    return 0;
}

/* The current posting's term frequencies into c->tf (read once per posting; the block's earlier postings that
** were passed over are read past). */
static inline int loadFreqs(cursor *c) {
    int32_t skipped[BS_TEXT_COLUMNS];
    while (c->fIdx < c->inBlock) {
        if (readFreq(&c->fp, c->fEnd, skipped)) return -1;
        c->fIdx++;
    }
    if (c->fIdx == c->inBlock) {
        if (readFreq(&c->fp, c->fEnd, c->tf)) return -1;
        c->fIdx++;
    }
    return 0;
}

/* The current posting's positions: [*start, *end), per present column its offsets as varint differences. Read
** at most once per posting, after loadFreqs. */
static inline int loadPositions(cursor *c, const uint8_t **start, const uint8_t **end) {
    uint32_t length;
    while (c->pIdx < c->inBlock) {
        if (!varint(&c->pp, c->pEnd, &length) || length > (uint32_t)(c->pEnd - c->pp)) return -1;
        c->pp += length;
        c->pIdx++;
    }
    if (c->pIdx != c->inBlock || !varint(&c->pp, c->pEnd, &length) || length > (uint32_t)(c->pEnd - c->pp)) return -1;
    *start = c->pp;
    *end = c->pp + length;
    c->pp += length;
    c->pIdx++;
    return 0;
}

static inline int32_t totalCount(const int32_t tf[BS_TEXT_COLUMNS]) {
    int32_t n = 0;
    for (int col = 0; col < BS_TEXT_COLUMNS; col++) n += tf[col];
    return n;
}

/* The current posting's offsets, column after column, into `into` (which holds at least totalCount(c->tf)). */
static inline int decodePositions(cursor *c, int32_t *into) {
    const uint8_t *p, *end;
    if (loadPositions(c, &p, &end)) return -1;
    size_t k = 0;
    for (int col = 0; col < BS_TEXT_COLUMNS; col++) {
        uint32_t offset = 0;
        for (int32_t j = 0; j < c->tf[col]; j++) {
            uint32_t delta;
            if (!varint(&p, end, &delta)) return -1;
            offset += delta;
            into[k++] = (int32_t)offset;
        }
    }
    return 0;
}

/* ---- Scores: what a block's stored maximum is the maximum of ---- */

/* The score of one term in one post without the proximity bonus, from the posting's counts per text column and
** the post's norms: BM25 of tf~ = SUM_c w_c * tf_c / norm_c over the weighted columns, in blogsearch_rank's
** order of operations (bm25f_math.h); 0 when no weighted column holds the term. bs_posting_score is this
** function for Swift (the build's block maxima). */
static inline double postingScore(double idf, const int32_t *tf, const double *norms, const double *weight, double k1) {
    double t = 0.0;
    for (int c = 0; c < BS_TEXT_COLUMNS; c++) {
        if (tf[c] > 0 && weight[c] > 0.0) t += bs_tf_part(weight[c], tf[c], norms[c]);
    }
    return t > 0.0 ? bs_term_score(idf, t, k1) : 0.0;
}

/* ---- Writing: postings made at query time (postings.c) ---- */

/* Postings collected in post order before they are encoded (the idf, hence the block maxima, needs their count). */
typedef struct collected {
    int32_t *docs;          /* per posting */
    int32_t *tf;            /* per posting, BS_TEXT_COLUMNS */
    size_t *positionStart;  /* per posting, into positions; the next posting's start ends it */
    size_t n, capacity;
    int32_t *positions;     /* per posting, per present column, the offsets in order */
    size_t nPositions, positionCapacity;
    int failed;             /* memory ran out: encodeCollected fails */
} collected;

/* Appends post `doc`'s posting: its counts per text column and `count` offsets, column after column (none when
** the postings are made without positions). */
void collectedAdd(collected *c, int32_t doc, const int32_t tf[BS_TEXT_COLUMNS], const int32_t *positions, size_t count)
    __attribute__((visibility("hidden")));
void collectedFree(collected *c) __attribute__((visibility("hidden")));

/* Encodes collected postings as a stored term's, with block maxima for `scoring`, positions when
** `withPositions`. Returns 0 (free `out` with bs_postings_free), or -1 when memory ran out. */
int encodeCollected(const collected *c, int withPositions, const bs_scoring *scoring, bs_postings *out)
    __attribute__((visibility("hidden")));
#endif
