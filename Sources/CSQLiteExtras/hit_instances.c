/*
** One post's phrase instances, for its hit (snippet, matched columns, matched comment), from the postings of the
** query's phrases: what blogsearch_columns and blogsearch_instances (bm25f.c) return for the same row through
** FTS5, without a MATCH. Only the post's block is decoded; a phrase whose positions are not in memory reads
** that block's positions alone from its row of `positions`.
*/
#include <sqlite3.h>
#include "postings.h"

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

/* A block's positions, read through `blob` into `scratch` when they are not in memory. */
typedef struct scratch {
    uint8_t *a;
    size_t size;
} scratch;

/* The positions of the posting at in-block `index` of `block`: [*start, *end). 0, -1 when they are malformed or
** memory ran out, or SQLite's error code from the blob read. */
static int postingPositions(const bs_postings *t, sqlite3_blob *blob, int32_t block, int32_t index, scratch *s,
                            const uint8_t **start, const uint8_t **end) {
    const uint8_t *h = t->blocks + (size_t)block * BS_BLOCK_HEADER;
    const int last = block + 1 == t->nBlocks;
    uint32_t p0 = rd32(h + 12), p1 = last ? (uint32_t)t->nPositions : rd32(h + BS_BLOCK_HEADER + 12);
    if (p0 > p1 || p1 > (uint32_t)t->nPositions) return -1;
    const uint8_t *p, *stop;
    if (t->positions) {
        p = t->positions + p0;
    } else {
        if (!blob) return -1;
        if (p1 - p0 > s->size) {
            uint8_t *grown = realloc(s->a, p1 - p0);
            if (!grown) return -1;
            s->a = grown;
            s->size = p1 - p0;
        }
        int code = sqlite3_blob_read(blob, s->a, (int)(p1 - p0), (int)p0);
        if (code != SQLITE_OK) return code;
        p = s->a;
    }
    stop = p + (p1 - p0);
    /* Each posting's positions are length-prefixed: skip the block's earlier ones. */
    uint32_t length;
    for (int32_t j = 0; j < index; j++) {
        if (!varint(&p, stop, &length) || length > (uint32_t)(stop - p)) return -1;
        p += length;
    }
    if (!varint(&p, stop, &length) || length > (uint32_t)(stop - p)) return -1;
    *start = p;
    *end = p + length;
    return 0;
}

/* Growing arrays of (offset << 8 | phrase) keys, one per column of hits: body, comments. */
typedef struct instanceKeys {
    uint64_t *a;
    size_t n, capacity;
} instanceKeys;

static int addInstance(instanceKeys *keys, uint64_t key) {
    if (keys->n == keys->capacity) {
        size_t grown = keys->capacity ? keys->capacity * 2 : 64;
        uint64_t *a = realloc(keys->a, sizeof(uint64_t) * grown);
        if (!a) return -1;
        keys->a = a;
        keys->capacity = grown;
    }
    keys->a[keys->n++] = key;
    return 0;
}

/* Decodes phrase `phrase`'s offsets in [p, end) (its counts per column in `tf`) into the body's and the
** comments' keys. */
static int addOffsets(const uint8_t *p, const uint8_t *end, const int32_t tf[BS_TEXT_COLUMNS], int32_t phrase, instanceKeys keys[2]) {
    for (int col = 0; col < BS_TEXT_COLUMNS; col++) {
        uint32_t offset = 0;
        for (int32_t k = 0; k < tf[col]; k++) {
            uint32_t delta;
            if (!varint(&p, end, &delta) || (uint64_t)offset + delta > 0x7FFFFFFFu) return -1;
            offset += delta;
            if (col >= 2 && addInstance(&keys[col - 2], (uint64_t)offset << 8 | (uint64_t)phrase)) return -1;
        }
    }
    return 0;
}

static int compareInstances(const void *x, const void *y) {
    uint64_t a = *(const uint64_t *)x, b = *(const uint64_t *)y;
    return a < b ? -1 : a > b;
}

/* Sorts the keys (offset, then phrase: xInst's order) and unpacks them into (phrase, offset) pairs. */
static int32_t *pairsOf(instanceKeys *keys) {
    qsort(keys->a, keys->n, sizeof(uint64_t), compareInstances);
    int32_t *pairs = malloc(sizeof(int32_t) * 2 * (keys->n ? keys->n : 1));
    if (!pairs) return NULL;
    for (size_t i = 0; i < keys->n; i++) {
        pairs[2 * i] = (int32_t)(keys->a[i] & 0xFF);
        pairs[2 * i + 1] = (int32_t)(keys->a[i] >> 8);
    }
    return pairs;
}

int bs_doc_instances(const bs_postings *phrases, sqlite3_blob *const *blobs, int32_t n, int32_t doc, bs_doc_hits *out) {
    memset(out, 0, sizeof *out);
    if (n <= 0 || n > BS_MAX_PHRASES) return -1;
    instanceKeys keys[2] = { {0}, {0} };
    scratch s = {0};
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
        if (tf[2] == 0 && tf[3] == 0) continue;   /* no instance in the body or the comments */
        const uint8_t *p, *end;
        rc = postingPositions(t, blobs ? blobs[i] : NULL, block, index, &s, &p, &end);
        if (rc == 0) rc = addOffsets(p, end, tf, i, keys);
    }
    free(s.a);
    if (rc == 0) {
        out->body = pairsOf(&keys[0]);
        out->comments = pairsOf(&keys[1]);
        out->nBody = (int32_t)keys[0].n;
        out->nComments = (int32_t)keys[1].n;
        if (!out->body || !out->comments) rc = -1;
    }
    free(keys[0].a);
    free(keys[1].a);
    if (rc) bs_doc_hits_free(out);
    return rc;
}

void bs_doc_hits_free(bs_doc_hits *hits) {
    free(hits->body);
    free(hits->comments);
    hits->body = hits->comments = NULL;
    hits->nBody = hits->nComments = 0;
}
