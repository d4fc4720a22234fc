/*
** Top-k over blogsearch's own postings: the same ranking as blogsearch_rank over FTS5 (bm25f.c), to the last
** bit, without scoring the posts that cannot reach the top k.
**
** One pass over the query's postings in post-id order (document at a time). Every matching post is counted
** (totals and facets stay exact; a posting's id costs a varint). A post is scored only when an upper bound
** of its score beats the k-th best score so far (`threshold`):
**   1. the block bound (blockBound): the sum of the stored per-block maximum scores of its terms, plus each
**      term's largest possible proximity bonus (proximity * min(1, idf) * (k1 + 1));
**   2. the posting bound (postingBound): its exact BM25F part (term frequencies and norms) plus a proximity
**      bound from the term frequencies (below);
**   3. only then are the positions read (orderedInstances, addCloseness) and the exact score computed
**      (exactScore), in blogsearch_rank's order of operations (bm25f_math.h), so that equal rows give equal
**      doubles.
** Posts come in ascending id order and ties go to the lower id, so a post whose bound does not exceed the
** threshold can never enter: the answer is exactly the exhaustive one (score descending, then id ascending).
**
** The proximity bound: an instance of phrase i has at most 2 neighbours at each distance d = 1..5 (one each
** side) and each neighbour position holds one token, matched by at most M phrases (M: the most times one term
** is repeated in the query), so acc_i <= 2 * M * sum(1/d^2, d = 1..5) * tf_i, where tf_i counts instances in
** weighted columns; the bonus grows with acc, so the bonus at that acc bounds it. A post with fewer than two
** phrases present gets no bonus at all.
**
** A tiered query keeps two heaps: the posts matching every clause rank first, the others fill what is left of
** the page.
*/
#include "postings.h"

/* ---- The best k so far ---- */

typedef struct hit {
    double score;
    int32_t doc;
} hit;

/* A bounded heap of hits; the root is the worst (lowest score; among equals, the highest id). */
typedef struct heap {
    hit *a;
    int32_t n, capacity;
} heap;

static inline int worse(hit x, hit y) {
    return x.score < y.score || (x.score == y.score && x.doc > y.doc);
}

/* Adds x; when the heap is full, x replaces the root (the caller has checked that x is better). */
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

/* Best first. */
static int compareHits(const void *x, const void *y) {
    hit a = *(const hit *)x, b = *(const hit *)y;
    if (worse(b, a)) return -1;
    if (worse(a, b)) return 1;
    return 0;
}

/* Threshold test: can a post whose score is at most `bound` still enter? Scores are positive; the slack
   covers the rounding of the bound's own sum. */
static inline int canEnter(const heap *h, double bound) {
    return h->n < h->capacity || bound * (1.0 + 1e-9) >= h->a[0].score;
}

/* ---- One query's evaluation ---- */

typedef struct evaluation {
    const bs_topk_query *q;
    cursor cur[BS_MAX_PHRASES];     /* per phrase */
    int useProximity;               /* the query has a proximity weight and two phrases or more */
    double accPerInstance;          /* the proximity bound's acc per weighted instance: 2 * M * sum(1/d^2) */
    uint64_t everyClause;           /* the clause bits of a post matching every clause */
    heap all, some;                 /* posts matching every clause; the others (tiered queries only) */
    /* A post's instances, (column << 40 | offset << 8 | phrase) keys, and the buffer they are merged into. */
    uint64_t *instances, *merged;
    size_t instanceCapacity, mergedCapacity;
    /* The post under consideration: the phrases whose cursors are on it, ascending, and their clauses. */
    int32_t present[BS_MAX_PHRASES];
    int32_t nPresent;
    uint64_t covered;
    double acc[BS_MAX_PHRASES];     /* per phrase, its accumulated closeness in the post */
} evaluation;

/* Checks the query, puts each phrase's cursor on its first post from q->lo, with its idf and largest proximity
** bonus, and allocates the heaps and instance buffers. 0, or -1 (evaluationClose frees what was made). */
static int evaluationOpen(evaluation *e, const bs_topk_query *q) {
    memset(e, 0, sizeof *e);
    e->q = q;
    const int32_t nPhrase = q->nPhrase;
    if (nPhrase <= 0 || nPhrase > BS_MAX_PHRASES || q->nClause <= 0 || q->nClause > 64 || q->k <= 0) return -1;
    for (int32_t i = 0; i < nPhrase; i++) {
        if (q->clauseOf[i] < 0 || q->clauseOf[i] >= q->nClause) return -1;
    }
    /* M: the most phrases one position can hold an instance of. */
    const int32_t maxRepeat = q->maxInstancesPerPosition > 1 ? q->maxInstancesPerPosition : 1;
    const double closenessSum = 1.0 + 1.0 / 4 + 1.0 / 9 + 1.0 / 16 + 1.0 / 25;
    e->accPerInstance = 2.0 * maxRepeat * closenessSum;
    e->useProximity = q->proximity > 0.0 && nPhrase >= 2;
    for (int32_t i = 0; i < nPhrase; i++) {
        cursor *c = &e->cur[i];
        c->t = &q->phrases[i];
        c->idf = bs_idf(q->rows, (double)q->phrases[i].df);
        c->proximityCap = e->useProximity ? q->proximity * (c->idf < 1.0 ? c->idf : 1.0) * (q->k1 + 1.0) : 0.0;
        if (loadBlock(c, 0) || seek(c, q->lo)) return -1;
    }
    e->everyClause = q->nClause == 64 ? ~(uint64_t)0 : (((uint64_t)1 << q->nClause) - 1);
    e->all = (heap){ malloc(sizeof(hit) * (size_t)q->k), 0, q->k };
    e->some = (heap){ q->tiered ? malloc(sizeof(hit) * (size_t)q->k) : NULL, 0, q->tiered ? q->k : 0 };
    e->instanceCapacity = 256;
    e->mergedCapacity = 256;
    e->instances = malloc(sizeof(uint64_t) * e->instanceCapacity);
    e->merged = malloc(sizeof(uint64_t) * e->mergedCapacity);
    return (e->all.a && (!q->tiered || e->some.a) && e->instances && e->merged) ? 0 : -1;
}

static void evaluationClose(evaluation *e) {
    free(e->all.a);
    free(e->some.a);
    free(e->instances);
    free(e->merged);
}

/* The lowest post id any cursor is on (BS_END when all are past their last posting). */
static int32_t lowestDoc(const evaluation *e) {
    const int32_t nPhrase = e->q->nPhrase;
    int32_t doc = BS_END;
    for (int32_t i = 0; i < nPhrase; i++) if (e->cur[i].doc < doc) doc = e->cur[i].doc;
    return doc;
}

/* Which phrases post `doc` holds, and their clauses. */
static void gatherPresent(evaluation *e, int32_t doc) {
    const int32_t nPhrase = e->q->nPhrase;
    int32_t n = 0;
    uint64_t covered = 0;
    for (int32_t i = 0; i < nPhrase; i++) {
        if (e->cur[i].doc != doc) continue;
        e->present[n++] = i;
        covered |= (uint64_t)1 << e->q->clauseOf[i];
    }
    e->nPresent = n;
    e->covered = covered;
}

/* Moves the present phrases' cursors past the post. */
static int advancePresent(evaluation *e) {
    const int32_t nPresent = e->nPresent;
    for (int32_t a = 0; a < nPresent; a++) {
        if (next(&e->cur[e->present[a]])) return -1;
    }
    return 0;
}

/* ---- Bounds ---- */

/* Bound 1, from the block headers alone: the present phrases' block maxima, plus each one's largest proximity
** bonus when a bonus is possible, times the largest boost. */
static double blockBound(const evaluation *e, int proximityPossible) {
    double bound = 0.0;
    for (int32_t a = 0; a < e->nPresent; a++) {
        const cursor *c = &e->cur[e->present[a]];
        bound += c->blockMax + (proximityPossible ? c->proximityCap : 0.0);
    }
    if (e->q->boost) bound *= e->q->maxBoost;
    return bound;
}

/* Bound 2, from the postings' counts (read here, for the exact score too): each present phrase's exact BM25F
** part, plus, when a bonus is possible, its bonus at the largest acc its instances in weighted columns allow.
** Without the boost. 0, or -1 when the freqs are malformed. */
static int postingBound(evaluation *e, const double *norms, int proximityPossible, double *bound) {
    const bs_topk_query *q = e->q;
    const int32_t nPresent = e->nPresent;
    double sum = 0.0;
    for (int32_t a = 0; a < nPresent; a++) {
        cursor *c = &e->cur[e->present[a]];
        if (loadFreqs(c)) return -1;
        sum += postingScore(c->idf, c->tf, norms, q->weight, q->k1);
        if (proximityPossible) {
            int32_t weighted = 0;
            for (int col = 0; col < BS_TEXT_COLUMNS; col++) if (q->weight[col] > 0.0) weighted += c->tf[col];
            if (weighted > 0) sum += bs_proximity_score(q->proximity, c->idf, e->accPerInstance * weighted, q->k1);
        }
    }
    *bound = sum;
    return 0;
}

/* ---- Scoring ---- */

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

/* The instances of every present phrase in weighted columns into e->instances, ordered as FTS5's xInst orders
** them: by column, then offset, then phrase. Each phrase's come in (column, offset) order already: they are
** merged, not sorted. Reads the present phrases' positions. 0 with their count in *count, or -1. */
static int orderedInstances(evaluation *e, size_t *count) {
    const bs_topk_query *q = e->q;
    const int32_t nPresent = e->nPresent;
    size_t n = 0;
    size_t segment[BS_MAX_PHRASES + 1];
    for (int32_t a = 0; a < nPresent; a++) {
        segment[a] = n;
        cursor *c = &e->cur[e->present[a]];
        const uint8_t *p, *end;
        if (loadPositions(c, &p, &end)) return -1;
        for (int col = 0; col < BS_TEXT_COLUMNS; col++) {
            uint32_t offset = 0;
            for (int32_t j = 0; j < c->tf[col]; j++) {
                uint32_t delta;
                if (!varint(&p, end, &delta) || (uint64_t)offset + delta > 0xFFFFFFFu) return -1;
                offset += delta;
                if (q->weight[col] <= 0.0) continue;
                if (n == e->instanceCapacity) {
                    uint64_t *grown = realloc(e->instances, sizeof(uint64_t) * e->instanceCapacity * 2);
                    if (!grown) return -1;
                    e->instances = grown;
                    e->instanceCapacity *= 2;
                }
                e->instances[n++] = (uint64_t)col << 40 | (uint64_t)offset << 8 | (uint64_t)e->present[a];
            }
        }
    }
    segment[nPresent] = n;
    if (n > e->mergedCapacity) {
        uint64_t *grown = realloc(e->merged, sizeof(uint64_t) * e->instanceCapacity);
        if (!grown) return -1;
        e->merged = grown;
        e->mergedCapacity = e->instanceCapacity;
    }
    mergeRuns(e->instances, segment, nPresent, e->merged);
    /* The merged keys become the instances; the old buffer is the next post's merge target. */
    uint64_t *swap = e->instances;
    e->instances = e->merged;
    e->merged = swap;
    size_t swapCapacity = e->instanceCapacity;
    e->instanceCapacity = e->mergedCapacity;
    e->mergedCapacity = swapCapacity;
    *count = n;
    return 0;
}

/* Each pair of instances of different phrases in one column, 1 to BS_PROXIMITY_WINDOW tokens apart, adds its
** closeness to both phrases' acc (the `n` ordered instances of orderedInstances). */
static void addCloseness(evaluation *e, size_t n) {
    const uint64_t *instances = e->instances;
    for (size_t i = 0; i < n; i++) {
        int iCol = (int)(instances[i] >> 40), iOff = (int)((instances[i] >> 8) & 0xFFFFFFFF), iPhrase = (int)(instances[i] & 0xFF);
        for (size_t j = i + 1; j < n; j++) {
            int jCol = (int)(instances[j] >> 40), jOff = (int)((instances[j] >> 8) & 0xFFFFFFFF), jPhrase = (int)(instances[j] & 0xFF);
            int d = jOff - iOff;
            if (jCol != iCol || d > BS_PROXIMITY_WINDOW) break;
            if (jPhrase == iPhrase || d < 1) continue;
            double bonus = bs_closeness(d);
            e->acc[iPhrase] += bonus;
            e->acc[jPhrase] += bonus;
        }
    }
}

/* The exact score, in blogsearch_rank's order: per phrase in query order, its BM25F part, then its proximity
** bonus (from e->acc). Without the boost. */
static double exactScore(const evaluation *e, const double *norms) {
    const bs_topk_query *q = e->q;
    double score = 0.0;
    for (int32_t a = 0, i = 0; i < q->nPhrase; i++) {
        if (a < e->nPresent && e->present[a] == i) {
            const cursor *c = &e->cur[i];
            score += postingScore(c->idf, c->tf, norms, q->weight, q->k1);
            a++;
        }
        if (e->acc[i] > 0.0) score += bs_proximity_score(q->proximity, e->cur[i].idf, e->acc[i], q->k1);
    }
    return score;
}

/* ---- The pass ---- */

/* Post `doc` (the present phrases gathered): counted when the filters allow it, then scored into its tier's
** heap unless a bound shows that it cannot enter. 0, or -1 when its postings are malformed or memory ran out. */
static int considerPost(evaluation *e, int32_t doc, bs_topk_result *r) {
    const bs_topk_query *q = e->q;
    if (q->allowed && !(q->allowed[doc >> 3] & (1u << (doc & 7)))) return 0;
    r->matches[r->nMatches++] = doc;
    const int matchesAll = !q->tiered || e->covered == e->everyClause;
    if (matchesAll) r->allCount++;
    heap *h = matchesAll ? &e->all : &e->some;
    if (!matchesAll && e->all.n == e->all.capacity) return 0;   /* the first tier alone fills the page */
    /* Two phrases present, even two copies of one word, may be close to each other. */
    const int proximityPossible = e->useProximity && e->nPresent >= 2;
    if (!canEnter(h, blockBound(e, proximityPossible))) return 0;
    const double *norms = &q->norms[(size_t)(doc - 1) * BS_TEXT_COLUMNS];
    double bound;
    if (postingBound(e, norms, proximityPossible, &bound)) return -1;
    r->scored++;
    if (q->boost) bound *= q->boost[doc - 1];
    if (!canEnter(h, bound)) return 0;
    for (int32_t i = 0; i < q->nPhrase; i++) e->acc[i] = 0.0;
    if (proximityPossible) {
        size_t n;
        if (orderedInstances(e, &n)) return -1;
        r->proximityScored++;
        addCloseness(e, n);
    }
    double score = exactScore(e, norms);
    /* The boost multiplies the finished score, as the exhaustive path multiplies FTS5's rank. */
    if (q->boost) score *= q->boost[doc - 1];
    if (h->n < h->capacity || score > h->a[0].score) heapPush(h, (hit){ score, doc });
    return 0;
}

/* The hits, best first: the first tier's, then the second's while the page has room. */
static void writeHits(evaluation *e, bs_topk_result *r) {
    qsort(e->all.a, (size_t)e->all.n, sizeof(hit), compareHits);
    r->nHits = 0;
    for (int32_t i = 0; i < e->all.n; i++) {
        r->hitDocs[r->nHits] = e->all.a[i].doc;
        r->hitScores[r->nHits] = e->all.a[i].score;
        r->hitAll[r->nHits++] = 1;
    }
    if (e->some.a && e->all.n < e->all.capacity) {
        qsort(e->some.a, (size_t)e->some.n, sizeof(hit), compareHits);
        for (int32_t i = 0; i < e->some.n && r->nHits < e->q->k; i++) {
            r->hitDocs[r->nHits] = e->some.a[i].doc;
            r->hitScores[r->nHits] = e->some.a[i].score;
            r->hitAll[r->nHits++] = 0;
        }
    }
}

int bs_topk(const bs_topk_query *q, bs_topk_result *r) {
    evaluation e;
    int rc = evaluationOpen(&e, q);
    r->nMatches = 0;
    r->allCount = 0;
    r->scored = 0;
    r->proximityScored = 0;
    while (rc == 0) {
        int32_t doc = lowestDoc(&e);
        if (doc == BS_END || doc > q->hi) break;
        gatherPresent(&e, doc);
        rc = considerPost(&e, doc, r);
        if (rc == 0) rc = advancePresent(&e);
    }
    if (rc == 0) writeHits(&e, r);
    evaluationClose(&e);
    return rc;
}
