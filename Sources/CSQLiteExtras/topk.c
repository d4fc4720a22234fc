/*
** Top-k over blogsearch's own postings: the same ranking as blogsearch_rank over FTS5 (bm25f.c), to the last
** bit, without scoring the posts that cannot reach the top k.
**
** One pass over the query's postings in post-id order (document at a time). Every matching post is counted
** (totals and facets stay exact; a posting's id costs a varint). A post is scored only when an upper bound
** of its score beats the k-th best score so far (`threshold`):
**   1. the block bound: the sum of the stored per-block maximum scores of its terms, plus each term's largest
**      possible proximity bonus (proximity * min(1, idf) * (k1 + 1));
**   2. the posting bound: its exact BM25F part (term frequencies and norms) plus a proximity bound from the
**      term frequencies (below);
**   3. only then are the positions read and the exact score computed, in blogsearch_rank's order of
**      operations (bm25f_math.h), so that equal rows give equal doubles.
** Posts come in ascending id order and ties go to the lower id, so a post whose bound does not exceed the
** threshold can never enter: the answer is exactly the exhaustive one (score descending, then id ascending).
**
** The proximity bound: an instance of phrase i has at most 2 neighbours at each distance d = 1..5 (one each
** side) and each neighbour position holds one token, matched by at most M phrases (M: the most times one term
** is repeated in the query), so acc_i <= 2 * M * sum(1/d^2, d = 1..5) * tf_i, where tf_i counts instances in
** weighted columns; the bonus grows with acc, so the bonus at that acc bounds it. A post with fewer than two
** phrases present gets no bonus at all.
*/
#include <stdlib.h>
#include <string.h>
#include <sqlite3.h>
#include "topk.h"
#include "bm25f_math.h"

#define BS_END INT32_MAX
#define BS_MAX_PHRASES 64

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
    double idf;
    double proximityCap;            /* the largest proximity bonus of this phrase */
    int32_t tf[BS_TEXT_COLUMNS];    /* of the current posting, once read */
} cursor;

static int loadBlock(cursor *c, int32_t b) {
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

static int next(cursor *c) {
    if (++c->inBlock < c->blockCount) {
        uint32_t delta;
        if (!varint(&c->dp, c->dEnd, &delta) || delta == 0 || (uint64_t)c->doc + delta >= BS_END) return -1;
        c->doc += (int32_t)delta;
        return 0;
    }
    return loadBlock(c, c->block + 1);
}

/* Moves to the first posting with id >= target, skipping whole blocks by their last id. */
static int seek(cursor *c, int32_t target) {
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

static int readFreq(const uint8_t **p, const uint8_t *end, int32_t tf[BS_TEXT_COLUMNS]) {
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

/* The current posting's term frequencies into c->tf (read once per posting). */
static int loadFreqs(cursor *c) {
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

/* The current posting's positions: [*start, *end). */
static int loadPositions(cursor *c, const uint8_t **start, const uint8_t **end) {
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

/* A bounded heap of hits; the root is the worst (lowest score; among equals, the highest id). */
typedef struct hit {
    double score;
    int32_t doc;
} hit;

typedef struct heap {
    hit *a;
    int32_t n, capacity;
} heap;

static inline int worse(hit x, hit y) {
    return x.score < y.score || (x.score == y.score && x.doc > y.doc);
}

static void heapPush(heap *h, hit x) {
    if (h->n < h->capacity) {
        int32_t i = h->n++;
        while (i > 0) {
            int32_t parent = (i - 1) / 2;
            if (!worse(x, h->a[parent])) break;
            h->a[i] = h->a[parent];
            i = parent;
        }
        h->a[i] = x;
        return;
    }
    /* Replace the root and sift down. */
    int32_t i = 0;
    for (;;) {
        int32_t l = 2 * i + 1, r = l + 1, w = i;
        hit best = x;
        if (l < h->n && worse(h->a[l], best)) { w = l; best = h->a[l]; }
        if (r < h->n && worse(h->a[r], best)) { w = r; }
        if (w == i) break;
        h->a[i] = h->a[w];
        i = w;
    }
    h->a[i] = x;
}

static int compareHits(const void *x, const void *y) {
    hit a = *(const hit *)x, b = *(const hit *)y;
    if (worse(b, a)) return -1;
    if (worse(a, b)) return 1;
    return 0;
}

static int compareInstances(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Merges the ascending runs keys[segment[i]..<segment[i + 1]], i < nRuns, into `out` (keys are distinct). A
   query has few phrases: the smallest head is found by a scan. */
static void mergeRuns(const uint64_t *keys, const size_t *segment, int32_t nRuns, uint64_t *out) {
    size_t head[BS_MAX_PHRASES];
    for (int32_t i = 0; i < nRuns; i++) head[i] = segment[i];
    size_t n = 0;
    for (;;) {
        int32_t best = -1;
        for (int32_t i = 0; i < nRuns; i++) {
            if (head[i] < segment[i + 1] && (best < 0 || keys[head[i]] < keys[head[best]])) best = i;
        }
        if (best < 0) break;
        out[n++] = keys[head[best]++];
    }
}

/* Threshold test: can a post whose score is at most `bound` still enter? Scores are positive; the slack
   covers the rounding of the bound's own sum. */
static inline int canEnter(const heap *h, double bound) {
    return h->n < h->capacity || bound * (1.0 + 1e-9) >= h->a[0].score;
}

void bs_compute_norms(const int32_t *lengths, int32_t count, const double *totals, double rows,
                      const double *weight, const double *b, double *norms) {
    for (int c = 0; c < BS_TEXT_COLUMNS; c++) {
        double avgLen = rows > 0 ? totals[c] / rows : 0.0;
        for (int32_t d = 0; d < count; d++) {
            double *norm = &norms[(size_t)d * BS_TEXT_COLUMNS + c];
            *norm = (weight[c] > 0.0 && avgLen > 0.0) ? bs_norm(b[c], (double)lengths[(size_t)d * BS_TEXT_COLUMNS + c], avgLen) : 1.0;
        }
    }
}

double bs_posting_score(double idf, const int32_t *tf, const double *norms, const double *weight, double k1) {
    double t = 0.0;
    for (int c = 0; c < BS_TEXT_COLUMNS; c++) {
        if (tf[c] > 0 && weight[c] > 0.0) t += bs_tf_part(weight[c], tf[c], norms[c]);
    }
    return t > 0.0 ? bs_term_score(idf, t, k1) : 0.0;
}

double bs_term_idf(double rows, double df) {
    return bs_idf(rows, df);
}


int bs_topk(const bs_topk_query *q, bs_topk_result *r) {
    const int32_t nPhrase = q->nPhrase;
    if (nPhrase <= 0 || nPhrase > BS_MAX_PHRASES || q->nClause <= 0 || q->nClause > 64 || q->k <= 0) return -1;
    cursor cur[BS_MAX_PHRASES];
    memset(cur, 0, sizeof cur);
    for (int32_t i = 0; i < nPhrase; i++) {
        if (q->clauseOf[i] < 0 || q->clauseOf[i] >= q->nClause) return -1;
    }
    /* M: the most phrases one position can hold an instance of. */
    const int32_t maxRepeat = q->maxInstancesPerPosition > 1 ? q->maxInstancesPerPosition : 1;
    const double closenessSum = 1.0 + 1.0 / 4 + 1.0 / 9 + 1.0 / 16 + 1.0 / 25;
    const double accPerInstance = 2.0 * maxRepeat * closenessSum;
    const int useProximity = q->proximity > 0.0 && nPhrase >= 2;
    for (int32_t i = 0; i < nPhrase; i++) {
        cur[i].t = &q->phrases[i];
        cur[i].idf = bs_idf(q->rows, (double)q->phrases[i].df);
        cur[i].proximityCap = useProximity ? q->proximity * (cur[i].idf < 1.0 ? cur[i].idf : 1.0) * (q->k1 + 1.0) : 0.0;
        if (loadBlock(&cur[i], 0) || seek(&cur[i], q->lo)) return -1;
    }
    const uint64_t everyClause = q->nClause == 64 ? ~(uint64_t)0 : (((uint64_t)1 << q->nClause) - 1);

    heap all = { malloc(sizeof(hit) * (size_t)q->k), 0, q->k };
    heap some = { q->tiered ? malloc(sizeof(hit) * (size_t)q->k) : NULL, 0, q->tiered ? q->k : 0 };
    size_t instanceCapacity = 256, mergedCapacity = 256;
    uint64_t *instances = malloc(sizeof(uint64_t) * instanceCapacity);
    uint64_t *merged = malloc(sizeof(uint64_t) * mergedCapacity);
    int rc = (all.a && (!q->tiered || some.a) && instances && merged) ? 0 : -1;
    r->nMatches = 0;
    r->allCount = 0;
    r->scored = 0;
    r->proximityScored = 0;

    int32_t present[BS_MAX_PHRASES];
    double termScore[BS_MAX_PHRASES], acc[BS_MAX_PHRASES];
    while (rc == 0) {
        int32_t doc = BS_END;
        for (int32_t i = 0; i < nPhrase; i++) if (cur[i].doc < doc) doc = cur[i].doc;
        if (doc == BS_END || doc > q->hi) break;
        int32_t nPresent = 0;
        uint64_t covered = 0;
        for (int32_t i = 0; i < nPhrase; i++) {
            if (cur[i].doc != doc) continue;
            present[nPresent++] = i;
            covered |= (uint64_t)1 << q->clauseOf[i];
        }
        if (q->allowed && !(q->allowed[doc >> 3] & (1u << (doc & 7)))) goto advance;
        r->matches[r->nMatches++] = doc;
        int matchesAll = !q->tiered || covered == everyClause;
        if (matchesAll) r->allCount++;
        heap *h = matchesAll ? &all : &some;
        if (!matchesAll && all.n == all.capacity) goto advance;   /* the first tier alone fills the page */
        /* Two phrases present, even two copies of one word, may be close to each other. */
        int proximityPossible = useProximity && nPresent >= 2;
        double bound = 0.0;
        for (int32_t a = 0; a < nPresent; a++) {
            bound += cur[present[a]].blockMax + (proximityPossible ? cur[present[a]].proximityCap : 0.0);
        }
        if (q->boost) bound *= q->maxBoost;
        if (!canEnter(h, bound)) goto advance;
        const double *norms = &q->norms[(size_t)(doc - 1) * BS_TEXT_COLUMNS];
        bound = 0.0;
        for (int32_t a = 0; a < nPresent; a++) {
            cursor *c = &cur[present[a]];
            if (loadFreqs(c)) { rc = -1; break; }
            termScore[present[a]] = bs_posting_score(c->idf, c->tf, norms, q->weight, q->k1);
            bound += termScore[present[a]];
            if (proximityPossible) {
                int32_t weighted = 0;
                for (int col = 0; col < BS_TEXT_COLUMNS; col++) if (q->weight[col] > 0.0) weighted += c->tf[col];
                if (weighted > 0) bound += bs_proximity_score(q->proximity, c->idf, accPerInstance * weighted, q->k1);
            }
        }
        if (rc) break;
        r->scored++;
        if (q->boost) bound *= q->boost[doc - 1];
        if (!canEnter(h, bound)) goto advance;
        for (int32_t i = 0; i < nPhrase; i++) acc[i] = 0.0;
        if (proximityPossible) {
            /* The instances of every present phrase in weighted columns, ordered as FTS5's xInst orders them:
               by column, then offset, then phrase. Each phrase's come in (column, offset) order already: they are
               merged, not sorted. */
            size_t n = 0;
            size_t segment[BS_MAX_PHRASES + 1];
            for (int32_t a = 0; a < nPresent && rc == 0; a++) {
                segment[a] = n;
                cursor *c = &cur[present[a]];
                const uint8_t *p, *end;
                if (loadPositions(c, &p, &end)) { rc = -1; break; }
                for (int col = 0; col < BS_TEXT_COLUMNS && rc == 0; col++) {
                    uint32_t offset = 0;
                    for (int32_t j = 0; j < c->tf[col]; j++) {
                        uint32_t delta;
                        if (!varint(&p, end, &delta) || (uint64_t)offset + delta > 0xFFFFFFFu) { rc = -1; break; }
                        offset += delta;
                        if (q->weight[col] <= 0.0) continue;
                        if (n == instanceCapacity) {
                            uint64_t *grown = realloc(instances, sizeof(uint64_t) * instanceCapacity * 2);
                            if (!grown) { rc = -1; break; }
                            instances = grown;
                            instanceCapacity *= 2;
                        }
                        instances[n++] = (uint64_t)col << 40 | (uint64_t)offset << 8 | (uint64_t)present[a];
                    }
                }
            }
            if (rc) break;
            segment[nPresent] = n;
            r->proximityScored++;
            if (n > mergedCapacity) {
                uint64_t *grown = realloc(merged, sizeof(uint64_t) * instanceCapacity);
                if (!grown) { rc = -1; break; }
                merged = grown;
                mergedCapacity = instanceCapacity;
            }
            mergeRuns(instances, segment, nPresent, merged);
            uint64_t *swap = instances;
            instances = merged;
            merged = swap;
            size_t swapCapacity = instanceCapacity;
            instanceCapacity = mergedCapacity;
            mergedCapacity = swapCapacity;
            for (size_t i = 0; i < n; i++) {
                int iCol = (int)(instances[i] >> 40), iOff = (int)((instances[i] >> 8) & 0xFFFFFFFF), iPhrase = (int)(instances[i] & 0xFF);
                for (size_t j = i + 1; j < n; j++) {
                    int jCol = (int)(instances[j] >> 40), jOff = (int)((instances[j] >> 8) & 0xFFFFFFFF), jPhrase = (int)(instances[j] & 0xFF);
                    int d = jOff - iOff;
                    if (jCol != iCol || d > BS_PROXIMITY_WINDOW) break;
                    if (jPhrase == iPhrase || d < 1) continue;
                    double bonus = bs_closeness(d);
                    acc[iPhrase] += bonus;
                    acc[jPhrase] += bonus;
                }
            }
        }
        /* The exact score, in blogsearch_rank's order: per phrase, its BM25F part, then its proximity bonus. */
        double score = 0.0;
        for (int32_t a = 0, i = 0; i < nPhrase; i++) {
            if (a < nPresent && present[a] == i) {
                cursor *c = &cur[i];
                double t = 0.0;
                for (int col = 0; col < BS_TEXT_COLUMNS; col++) {
                    if (c->tf[col] > 0 && q->weight[col] > 0.0) t += bs_tf_part(q->weight[col], c->tf[col], norms[col]);
                }
                if (t > 0.0) score += bs_term_score(c->idf, t, q->k1);
                a++;
            }
            if (acc[i] > 0.0) score += bs_proximity_score(q->proximity, cur[i].idf, acc[i], q->k1);
        }
        /* The boost multiplies the finished score, as the exhaustive path multiplies FTS5's rank. */
        if (q->boost) score *= q->boost[doc - 1];
        if (h->n < h->capacity || score > h->a[0].score) heapPush(h, (hit){ score, doc });
    advance:
        for (int32_t a = 0; a < nPresent && rc == 0; a++) {
            if (next(&cur[present[a]])) rc = -1;
        }
    }
    if (rc == 0) {
        qsort(all.a, (size_t)all.n, sizeof(hit), compareHits);
        r->nHits = 0;
        for (int32_t i = 0; i < all.n; i++) {
            r->hitDocs[r->nHits] = all.a[i].doc;
            r->hitScores[r->nHits] = all.a[i].score;
            r->hitAll[r->nHits++] = 1;
        }
        if (some.a && all.n < all.capacity) {
            qsort(some.a, (size_t)some.n, sizeof(hit), compareHits);
            for (int32_t i = 0; i < some.n && r->nHits < q->k; i++) {
                r->hitDocs[r->nHits] = some.a[i].doc;
                r->hitScores[r->nHits] = some.a[i].score;
                r->hitAll[r->nHits++] = 0;
            }
        }
    }
    free(all.a);
    free(some.a);
    free(instances);
    free(merged);
    return rc;
}

/* ---- Postings made at query time: phrases and prefixes ---- */

typedef struct buffer {
    uint8_t *a;
    size_t n, capacity;
    int failed;
} buffer;

static void bufferReserve(buffer *b, size_t more) {
    if (b->failed || b->n + more <= b->capacity) return;
    size_t capacity = b->capacity ? b->capacity : 256;
    while (capacity < b->n + more) capacity *= 2;
    uint8_t *grown = realloc(b->a, capacity);
    if (!grown) { b->failed = 1; return; }
    b->a = grown;
    b->capacity = capacity;
}

static void putVarint(buffer *b, uint32_t v) {
    bufferReserve(b, 5);
    if (b->failed) return;
    while (v >= 0x80) { b->a[b->n++] = (uint8_t)(v & 0x7f) | 0x80; v >>= 7; }
    b->a[b->n++] = (uint8_t)v;
}

static void put32(buffer *b, uint32_t v) {
    bufferReserve(b, 4);
    if (b->failed) return;
    for (int i = 0; i < 4; i++) b->a[b->n++] = (uint8_t)(v >> (8 * i));
}

static void putByte(buffer *b, uint8_t v) {
    bufferReserve(b, 1);
    if (!b->failed) b->a[b->n++] = v;
}

/* Postings collected in post order before they are encoded (the idf, hence the block maxima, needs the count). */
typedef struct collected {
    int32_t *docs;          /* per posting */
    int32_t *tf;            /* per posting, BS_TEXT_COLUMNS */
    size_t *positionStart;  /* per posting, into positions; the next posting's start ends it */
    size_t n, capacity;
    int32_t *positions;     /* per posting, per present column, the offsets in order */
    size_t nPositions, positionCapacity;
    int failed;
} collected;

static void collectedAdd(collected *c, int32_t doc, const int32_t tf[BS_TEXT_COLUMNS], const int32_t *positions, size_t count) {
    if (c->failed) return;
    if (c->n == c->capacity) {
        size_t capacity = c->capacity ? c->capacity * 2 : 64;
        int32_t *docs = realloc(c->docs, capacity * sizeof(int32_t));
        if (docs) c->docs = docs;
        int32_t *tfs = realloc(c->tf, capacity * BS_TEXT_COLUMNS * sizeof(int32_t));
        if (tfs) c->tf = tfs;
        size_t *starts = realloc(c->positionStart, capacity * sizeof(size_t));
        if (starts) c->positionStart = starts;
        if (!docs || !tfs || !starts) { c->failed = 1; return; }
        c->capacity = capacity;
    }
    if (c->nPositions + count > c->positionCapacity) {
        size_t capacity = c->positionCapacity ? c->positionCapacity : 256;
        while (capacity < c->nPositions + count) capacity *= 2;
        int32_t *grown = realloc(c->positions, capacity * sizeof(int32_t));
        if (!grown) { c->failed = 1; return; }
        c->positions = grown;
        c->positionCapacity = capacity;
    }
    c->docs[c->n] = doc;
    memcpy(&c->tf[c->n * BS_TEXT_COLUMNS], tf, sizeof(int32_t) * BS_TEXT_COLUMNS);
    c->positionStart[c->n] = c->nPositions;
    if (count) memcpy(&c->positions[c->nPositions], positions, count * sizeof(int32_t));
    c->nPositions += count;
    c->n++;
}

static void collectedFree(collected *c) {
    free(c->docs);
    free(c->tf);
    free(c->positionStart);
    free(c->positions);
}

/* Encodes collected postings as a stored term's (the layout of PostingsFormat.swift). */
static int encode(const collected *c, int withPositions, const bs_scoring *s, bs_postings *out) {
    memset(out, 0, sizeof *out);
    if (c->failed || c->n > INT32_MAX) return -1;
    buffer blocks = {0}, docs = {0}, freqs = {0}, positions = {0}, scratch = {0};
    double idf = bs_idf(s->rows, (double)c->n);
    int32_t previous = 0;
    double blockMax = 0.0;
    uint32_t start[3] = {0, 0, 0};
    for (size_t i = 0; i < c->n; i++) {
        const int32_t *tf = &c->tf[i * BS_TEXT_COLUMNS];
        int32_t doc = c->docs[i];
        putVarint(&docs, (uint32_t)(doc - previous));
        previous = doc;
        int mask = 0, first = -1;
        for (int col = 0; col < BS_TEXT_COLUMNS; col++) if (tf[col] > 0) { mask |= 1 << col; if (first < 0) first = col; }
        if (first < 0) return -1;
        uint32_t n0 = (uint32_t)tf[first];
        putByte(&freqs, (uint8_t)(mask | (n0 < 15 ? n0 : 15) << 4));
        if (n0 >= 15) putVarint(&freqs, n0 - 15);
        for (int col = first + 1; col < BS_TEXT_COLUMNS; col++) if (tf[col] > 0) putVarint(&freqs, (uint32_t)tf[col]);
        if (withPositions) {
            scratch.n = 0;
            size_t p = c->positionStart[i];
            for (int col = 0; col < BS_TEXT_COLUMNS; col++) {
                int32_t last = 0;
                for (int32_t j = 0; j < tf[col]; j++, p++) {
                    putVarint(&scratch, (uint32_t)(c->positions[p] - last));
                    last = c->positions[p];
                }
            }
            putVarint(&positions, (uint32_t)scratch.n);
            bufferReserve(&positions, scratch.n);
            if (!positions.failed && scratch.n) memcpy(positions.a + positions.n, scratch.a, scratch.n);
            if (!positions.failed) positions.n += scratch.n;
        }
        double score = bs_posting_score(idf, tf, &s->norms[(size_t)(doc - 1) * BS_TEXT_COLUMNS], s->weight, s->k1);
        if (score > blockMax) blockMax = score;
        if ((i + 1) % BS_BLOCK_SIZE == 0 || i + 1 == c->n) {
            put32(&blocks, (uint32_t)doc);
            put32(&blocks, start[0]);
            put32(&blocks, start[1]);
            put32(&blocks, start[2]);
            float bound = (float)blockMax;
            if ((double)bound < blockMax) bound = nextafterf(bound, INFINITY);
            uint32_t bits;
            memcpy(&bits, &bound, sizeof bits);
            put32(&blocks, bits);
            blockMax = 0.0;
            start[0] = (uint32_t)docs.n;
            start[1] = (uint32_t)freqs.n;
            start[2] = (uint32_t)positions.n;
        }
    }
    free(scratch.a);
    if (blocks.failed || docs.failed || freqs.failed || positions.failed || scratch.failed) {
        free(blocks.a); free(docs.a); free(freqs.a); free(positions.a);
        return -1;
    }
    out->blocks = blocks.a;
    out->nBlocks = (int32_t)(blocks.n / BS_BLOCK_HEADER);
    out->docs = docs.a;
    out->nDocs = (int32_t)docs.n;
    out->freqs = freqs.a;
    out->nFreqs = (int32_t)freqs.n;
    out->positions = withPositions ? (positions.a ? positions.a : malloc(1)) : NULL;
    if (!withPositions) free(positions.a);
    out->nPositions = (int32_t)positions.n;
    out->df = (int32_t)c->n;
    return 0;
}

void bs_postings_free(bs_postings *p) {
    free((void *)p->blocks);
    free((void *)p->docs);
    free((void *)p->freqs);
    free((void *)p->positions);
    memset(p, 0, sizeof *p);
}

/* The current posting's offsets per column into `into` (which holds at least the sum of its counts). */
static int decodePositions(cursor *c, int32_t *into) {
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

static int32_t totalCount(const int32_t tf[BS_TEXT_COLUMNS]) {
    int32_t n = 0;
    for (int col = 0; col < BS_TEXT_COLUMNS; col++) n += tf[col];
    return n;
}

/* Per-term offset arrays of the current posting, grown as needed. */
typedef struct offsets {
    int32_t *a;
    int32_t capacity;
} offsets;

static int offsetsLoad(offsets *o, cursor *c) {
    int32_t need = totalCount(c->tf);
    if (need > o->capacity) {
        int32_t capacity = o->capacity ? o->capacity : 64;
        while (capacity < need) capacity *= 2;
        int32_t *grown = realloc(o->a, sizeof(int32_t) * (size_t)capacity);
        if (!grown) return -1;
        o->a = grown;
        o->capacity = capacity;
    }
    return decodePositions(c, o->a);
}

int bs_phrase_postings(const bs_postings *terms, int32_t n, const bs_scoring *scoring, bs_postings *out) {
    memset(out, 0, sizeof *out);
    if (n <= 0 || n > BS_MAX_PHRASES) return -1;
    cursor cur[BS_MAX_PHRASES];
    offsets offs[BS_MAX_PHRASES];
    memset(cur, 0, sizeof cur);
    memset(offs, 0, sizeof offs);
    collected found = {0};
    int rc = 0;
    for (int32_t i = 0; i < n && rc == 0; i++) {
        if (!terms[i].positions) rc = -1;
        cur[i].t = &terms[i];
        if (rc == 0) rc = loadBlock(&cur[i], 0);
    }
    int32_t *starts = NULL;
    int32_t startCapacity = 0;
    while (rc == 0) {
        /* The next post holding every term. */
        int32_t target = 0;
        for (int32_t i = 0; i < n; i++) if (cur[i].doc > target) target = cur[i].doc;
        if (target == BS_END) break;
        int aligned = 1;
        for (int32_t i = 0; i < n && rc == 0; i++) {
            rc = seek(&cur[i], target);
            if (cur[i].doc != target) aligned = 0;
        }
        if (rc || !aligned) continue;
        for (int32_t i = 0; i < n && rc == 0; i++) {
            rc = loadFreqs(&cur[i]);
            if (rc == 0) rc = offsetsLoad(&offs[i], &cur[i]);
        }
        if (rc) break;
        int32_t tf[BS_TEXT_COLUMNS] = {0, 0, 0, 0};
        int32_t nStarts = 0;
        if (cur[0].tf[0] + cur[0].tf[1] + cur[0].tf[2] + cur[0].tf[3] > startCapacity) {
            startCapacity = totalCount(cur[0].tf) * 2;
            int32_t *grown = realloc(starts, sizeof(int32_t) * (size_t)startCapacity);
            if (!grown) { rc = -1; break; }
            starts = grown;
        }
        /* Column by column: the first term's offsets p with term k at p + k, each term's offsets walked once. */
        int32_t base[BS_MAX_PHRASES];
        for (int32_t i = 0; i < n; i++) base[i] = 0;
        for (int col = 0; col < BS_TEXT_COLUMNS; col++) {
            int32_t walk[BS_MAX_PHRASES];
            for (int32_t i = 0; i < n; i++) walk[i] = base[i];
            for (int32_t j = 0; j < cur[0].tf[col]; j++) {
                int32_t p = offs[0].a[base[0] + j];
                int match = 1;
                for (int32_t k = 1; k < n && match; k++) {
                    int32_t end = base[k] + cur[k].tf[col];
                    while (walk[k] < end && offs[k].a[walk[k]] < p + k) walk[k]++;
                    match = walk[k] < end && offs[k].a[walk[k]] == p + k;
                }
                if (match) {
                    starts[nStarts++] = p;
                    tf[col]++;
                }
            }
            for (int32_t i = 0; i < n; i++) base[i] += cur[i].tf[col];
        }
        if (nStarts > 0) collectedAdd(&found, target, tf, starts, (size_t)nStarts);
        for (int32_t i = 0; i < n && rc == 0; i++) rc = next(&cur[i]);
    }
    free(starts);
    for (int32_t i = 0; i < n; i++) free(offs[i].a);
    if (rc == 0) rc = encode(&found, 1, scoring, out);
    collectedFree(&found);
    return rc;
}

static int compareInts(const void *x, const void *y) {
    int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
    return a < b ? -1 : a > b;
}

int bs_union_postings(const bs_postings *terms, int32_t n, int withPositions, const bs_scoring *scoring, bs_postings *out) {
    memset(out, 0, sizeof *out);
    if (n <= 0) return -1;
    cursor *cur = calloc((size_t)n, sizeof(cursor));
    offsets merged = {0}, one = {0};
    collected found = {0};
    int rc = cur ? 0 : -1;
    for (int32_t i = 0; i < n && rc == 0; i++) {
        if (withPositions && !terms[i].positions) rc = -1;
        cur[i].t = &terms[i];
        if (rc == 0) rc = loadBlock(&cur[i], 0);
    }
    while (rc == 0) {
        int32_t doc = BS_END;
        for (int32_t i = 0; i < n; i++) if (cur[i].doc < doc) doc = cur[i].doc;
        if (doc == BS_END) break;
        int32_t tf[BS_TEXT_COLUMNS] = {0, 0, 0, 0};
        for (int32_t i = 0; i < n && rc == 0; i++) {
            if (cur[i].doc != doc) continue;
            rc = loadFreqs(&cur[i]);
            for (int col = 0; col < BS_TEXT_COLUMNS && rc == 0; col++) tf[col] += cur[i].tf[col];
        }
        if (rc) break;
        int32_t total = totalCount(tf);
        if (withPositions) {
            /* Each column's offsets of every term, sorted (one token per offset: no duplicates). */
            if (total > merged.capacity) {
                int32_t *grown = realloc(merged.a, sizeof(int32_t) * (size_t)total);
                if (!grown) { rc = -1; break; }
                merged.a = grown;
                merged.capacity = total;
            }
            int32_t fill[BS_TEXT_COLUMNS], at = 0;
            for (int col = 0; col < BS_TEXT_COLUMNS; col++) { fill[col] = at; at += tf[col]; }
            for (int32_t i = 0; i < n && rc == 0; i++) {
                if (cur[i].doc != doc) continue;
                rc = offsetsLoad(&one, &cur[i]);
                int32_t k = 0;
                for (int col = 0; col < BS_TEXT_COLUMNS && rc == 0; col++) {
                    for (int32_t j = 0; j < cur[i].tf[col]; j++) merged.a[fill[col]++] = one.a[k++];
                }
            }
            if (rc) break;
            at = 0;
            for (int col = 0; col < BS_TEXT_COLUMNS; col++) {
                qsort(merged.a + at, (size_t)tf[col], sizeof(int32_t), compareInts);
                at += tf[col];
            }
        }
        collectedAdd(&found, doc, tf, withPositions ? merged.a : NULL, withPositions ? (size_t)total : 0);
        for (int32_t i = 0; i < n && rc == 0; i++) {
            if (cur[i].doc == doc) rc = next(&cur[i]);
        }
    }
    free(cur);
    free(merged.a);
    free(one.a);
    if (rc == 0) rc = encode(&found, withPositions, scoring, out);
    collectedFree(&found);
    return rc;
}

/* ---- The instances of one post, for its hit (snippet, matched columns, matched comment) ---- */

/* Finds post `doc` in `t`: its block, in-block index and term frequencies. 1 when found, 0 when the post does
** not hold the term, -1 when the postings are malformed. */
static int locate(const bs_postings *t, int32_t doc, int32_t *block, int32_t *index, int32_t tf[BS_TEXT_COLUMNS]) {
    int32_t lo = 0, hi = t->nBlocks;
    while (lo < hi) {
        int32_t mid = lo + (hi - lo) / 2;
        if ((int32_t)rd32(t->blocks + (size_t)mid * BS_BLOCK_HEADER) < doc) lo = mid + 1; else hi = mid;
    }
    if (lo >= t->nBlocks) return 0;
    cursor c;
    memset(&c, 0, sizeof c);
    c.t = t;
    if (loadBlock(&c, lo)) return -1;
    while (c.doc < doc && c.block == lo) {
        if (next(&c)) return -1;
    }
    if (c.doc != doc || c.block != lo) return 0;
    if (loadFreqs(&c)) return -1;
    *block = lo;
    *index = c.inBlock;
    memcpy(tf, c.tf, sizeof(int32_t) * BS_TEXT_COLUMNS);
    return 1;
}

static int addInstance(uint64_t **keys, size_t *n, size_t *capacity, uint64_t key) {
    if (*n == *capacity) {
        size_t grown = *capacity ? *capacity * 2 : 64;
        uint64_t *a = realloc(*keys, sizeof(uint64_t) * grown);
        if (!a) return -1;
        *keys = a;
        *capacity = grown;
    }
    (*keys)[(*n)++] = key;
    return 0;
}

/* Unpacks sorted (offset << 8 | phrase) keys into (phrase, offset) pairs. */
static int32_t *pairsOf(const uint64_t *keys, size_t n) {
    int32_t *pairs = malloc(sizeof(int32_t) * 2 * (n ? n : 1));
    if (!pairs) return NULL;
    for (size_t i = 0; i < n; i++) {
        pairs[2 * i] = (int32_t)(keys[i] & 0xFF);
        pairs[2 * i + 1] = (int32_t)(keys[i] >> 8);
    }
    return pairs;
}

int bs_doc_instances(const bs_postings *phrases, sqlite3_blob *const *blobs, int32_t n, int32_t doc, bs_doc_hits *out) {
    memset(out, 0, sizeof *out);
    if (n <= 0 || n > BS_MAX_PHRASES) return -1;
    uint64_t *keys[2] = { NULL, NULL };
    size_t count[2] = { 0, 0 }, capacity[2] = { 0, 0 };
    uint8_t *scratch = NULL;
    size_t scratchSize = 0;
    int rc = 0;
    for (int32_t i = 0; i < n && rc == 0; i++) {
        const bs_postings *t = &phrases[i];
        int32_t block, index, tf[BS_TEXT_COLUMNS];
        int found = locate(t, doc, &block, &index, tf);
        if (found < 0) { rc = -1; break; }
        if (!found) continue;
        for (int col = 0; col < BS_TEXT_COLUMNS; col++) {
            if (tf[col] > 0) out->mask |= 1 << col;
        }
        if (tf[2] == 0 && tf[3] == 0) continue;
        /* The block's positions: in memory, or read from the term's row of `positions`. */
        const uint8_t *h = t->blocks + (size_t)block * BS_BLOCK_HEADER;
        const int last = block + 1 == t->nBlocks;
        uint32_t p0 = rd32(h + 12), p1 = last ? (uint32_t)t->nPositions : rd32(h + BS_BLOCK_HEADER + 12);
        if (p0 > p1 || p1 > (uint32_t)t->nPositions) { rc = -1; break; }
        const uint8_t *p, *end;
        if (t->positions) {
            p = t->positions + p0;
        } else {
            if (!blobs || !blobs[i]) { rc = -1; break; }
            if (p1 - p0 > scratchSize) {
                uint8_t *grown = realloc(scratch, p1 - p0);
                if (!grown) { rc = -1; break; }
                scratch = grown;
                scratchSize = p1 - p0;
            }
            int code = sqlite3_blob_read(blobs[i], scratch, (int)(p1 - p0), (int)p0);
            if (code != SQLITE_OK) { rc = code; break; }
            p = scratch;
        }
        end = p + (p1 - p0);
        uint32_t length;
        for (int32_t j = 0; j < index; j++) {
            if (!varint(&p, end, &length) || length > (uint32_t)(end - p)) { rc = -1; break; }
            p += length;
        }
        if (rc) break;
        if (!varint(&p, end, &length) || length > (uint32_t)(end - p)) { rc = -1; break; }
        end = p + length;
        for (int col = 0; col < BS_TEXT_COLUMNS && rc == 0; col++) {
            uint32_t offset = 0;
            for (int32_t k = 0; k < tf[col]; k++) {
                uint32_t delta;
                if (!varint(&p, end, &delta) || (uint64_t)offset + delta > 0x7FFFFFFFu) { rc = -1; break; }
                offset += delta;
                if (col >= 2 && addInstance(&keys[col - 2], &count[col - 2], &capacity[col - 2], (uint64_t)offset << 8 | (uint64_t)i)) {
                    rc = -1;
                    break;
                }
            }
        }
    }
    free(scratch);
    if (rc == 0) {
        for (int c = 0; c < 2; c++) qsort(keys[c], count[c], sizeof(uint64_t), compareInstances);
        out->body = pairsOf(keys[0], count[0]);
        out->comments = pairsOf(keys[1], count[1]);
        out->nBody = (int32_t)count[0];
        out->nComments = (int32_t)count[1];
        if (!out->body || !out->comments) rc = -1;
    }
    free(keys[0]);
    free(keys[1]);
    if (rc) bs_doc_hits_free(out);
    return rc;
}

void bs_doc_hits_free(bs_doc_hits *hits) {
    free(hits->body);
    free(hits->comments);
    hits->body = hits->comments = NULL;
    hits->nBody = hits->nComments = 0;
}
