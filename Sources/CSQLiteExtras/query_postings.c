/*
** Postings made at query time from stored terms' postings, so that the evaluator (topk.c) sees a quoted phrase
** or a prefix as one more term: a phrase's postings hold the posts where its terms follow each other, a prefix's
** the posts holding any of the terms it expands to. Both are encoded as a stored term's (postings.c), with block
** maxima for the query's scoring.
*/
#include "postings.h"

/* Per-term offset arrays of the current posting, grown as needed. */
typedef struct offsets {
    int32_t *a;
    int32_t capacity;
} offsets;

/* The cursor's current posting's offsets into `o` (after loadFreqs). */
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

/* ---- Phrases ---- */

/* Moves every cursor to the next post holding all `n` terms: 1 when they are aligned on it, 0 when they are not
** yet (call again), -1 on malformed postings. *target is BS_END when a term has no posting left. */
static int alignAll(cursor *cur, int32_t n, int32_t *target) {
    int32_t doc = 0;
    for (int32_t i = 0; i < n; i++) if (cur[i].doc > doc) doc = cur[i].doc;
    *target = doc;
    if (doc == BS_END) return 0;
    int aligned = 1;
    for (int32_t i = 0; i < n; i++) {
        if (seek(&cur[i], doc)) return -1;
        if (cur[i].doc != doc) aligned = 0;
    }
    return aligned;
}

/* The phrase's instances in the post all `n` cursors are on (their offsets in `offs`): the first term's offsets
** p with term k at p + k in the same column, into `starts` (room for the first term's count), and how many per
** column into `tf`. Column by column, each term's offsets are walked once. Returns how many instances. */
static int32_t phraseInstances(const cursor *cur, const offsets *offs, int32_t n, int32_t *starts, int32_t tf[BS_TEXT_COLUMNS]) {
    int32_t nStarts = 0;
    int32_t base[BS_MAX_PHRASES];
    for (int32_t i = 0; i < n; i++) base[i] = 0;
    for (int col = 0; col < BS_TEXT_COLUMNS; col++) {
        tf[col] = 0;
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
    return nStarts;
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
        int32_t target;
        int aligned = alignAll(cur, n, &target);
        if (aligned < 0) { rc = -1; break; }
        if (target == BS_END) break;
        if (!aligned) continue;
        for (int32_t i = 0; i < n && rc == 0; i++) {
            rc = loadFreqs(&cur[i]);
            if (rc == 0) rc = offsetsLoad(&offs[i], &cur[i]);
        }
        if (rc) break;
        if (totalCount(cur[0].tf) > startCapacity) {
            startCapacity = totalCount(cur[0].tf) * 2;
            int32_t *grown = realloc(starts, sizeof(int32_t) * (size_t)startCapacity);
            if (!grown) { rc = -1; break; }
            starts = grown;
        }
        int32_t tf[BS_TEXT_COLUMNS];
        int32_t nStarts = phraseInstances(cur, offs, n, starts, tf);
        if (nStarts > 0) collectedAdd(&found, target, tf, starts, (size_t)nStarts);
        for (int32_t i = 0; i < n && rc == 0; i++) rc = next(&cur[i]);
    }
    free(starts);
    for (int32_t i = 0; i < n; i++) free(offs[i].a);
    if (rc == 0) rc = encodeCollected(&found, 1, scoring, out);
    collectedFree(&found);
    return rc;
}

/* ---- Prefixes ---- */

static int compareInts(const void *x, const void *y) {
    int32_t a = *(const int32_t *)x, b = *(const int32_t *)y;
    return a < b ? -1 : a > b;
}

/* The offsets of every term on post `doc` (counts already loaded, summed per column in `tf`), column after
** column, each column's sorted (one token per offset: no duplicates), into `merged`; `one` is scratch. */
static int mergeOffsets(cursor *cur, int32_t n, int32_t doc, const int32_t tf[BS_TEXT_COLUMNS], offsets *merged, offsets *one) {
    int32_t total = totalCount(tf);
    if (total > merged->capacity) {
        int32_t *grown = realloc(merged->a, sizeof(int32_t) * (size_t)total);
        if (!grown) return -1;
        merged->a = grown;
        merged->capacity = total;
    }
    int32_t fill[BS_TEXT_COLUMNS], at = 0;
    for (int col = 0; col < BS_TEXT_COLUMNS; col++) { fill[col] = at; at += tf[col]; }
    for (int32_t i = 0; i < n; i++) {
        if (cur[i].doc != doc) continue;
        if (offsetsLoad(one, &cur[i])) return -1;
        int32_t k = 0;
        for (int col = 0; col < BS_TEXT_COLUMNS; col++) {
            for (int32_t j = 0; j < cur[i].tf[col]; j++) merged->a[fill[col]++] = one->a[k++];
        }
    }
    at = 0;
    for (int col = 0; col < BS_TEXT_COLUMNS; col++) {
        qsort(merged->a + at, (size_t)tf[col], sizeof(int32_t), compareInts);
        at += tf[col];
    }
    return 0;
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
        /* The counts per column, summed over the terms the post holds. */
        int32_t tf[BS_TEXT_COLUMNS] = {0, 0, 0, 0};
        for (int32_t i = 0; i < n && rc == 0; i++) {
            if (cur[i].doc != doc) continue;
            rc = loadFreqs(&cur[i]);
            for (int col = 0; col < BS_TEXT_COLUMNS && rc == 0; col++) tf[col] += cur[i].tf[col];
        }
        if (rc) break;
        if (withPositions && mergeOffsets(cur, n, doc, tf, &merged, &one)) { rc = -1; break; }
        collectedAdd(&found, doc, tf, withPositions ? merged.a : NULL, withPositions ? (size_t)totalCount(tf) : 0);
        for (int32_t i = 0; i < n && rc == 0; i++) {
            if (cur[i].doc == doc) rc = next(&cur[i]);
        }
    }
    free(cur);
    free(merged.a);
    free(one.a);
    if (rc == 0) rc = encodeCollected(&found, withPositions, scoring, out);
    collectedFree(&found);
    return rc;
}
