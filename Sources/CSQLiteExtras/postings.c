/*
** The postings codec: the scores a block's maximum is made of (shared with the build, which writes the stored
** postings from Swift: PostingsBuilder), and the encoder of the postings made at query time (phrases and
** prefixes, query_postings.c), which lays them out as a stored term's so that one reader (postings.h) and one
** evaluator (topk.c) serve both.
*/
#include <math.h>
#include "postings.h"

/* ---- Scores ---- */

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
    return postingScore(idf, tf, norms, weight, k1);
}

double bs_term_idf(double rows, double df) {
    return bs_idf(rows, df);
}

/* ---- Collecting postings in post order ---- */

void collectedAdd(collected *c, int32_t doc, const int32_t tf[BS_TEXT_COLUMNS], const int32_t *positions, size_t count) {
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

void collectedFree(collected *c) {
    free(c->docs);
    free(c->tf);
    free(c->positionStart);
    free(c->positions);
}

/* ---- Encoding ---- */

/* A growing byte buffer; `failed` once memory ran out (later writes are dropped). */
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

/* One posting's freqs bytes (the inverse of readFreq). 0, or -1 when no column holds the term. */
static int putFreqs(buffer *freqs, const int32_t tf[BS_TEXT_COLUMNS]) {
    int mask = 0, first = -1;
    for (int col = 0; col < BS_TEXT_COLUMNS; col++) if (tf[col] > 0) { mask |= 1 << col; if (first < 0) first = col; }
    if (first < 0) return -1;
    uint32_t n0 = (uint32_t)tf[first];
    putByte(freqs, (uint8_t)(mask | (n0 < 15 ? n0 : 15) << 4));
    if (n0 >= 15) putVarint(freqs, n0 - 15);
    for (int col = first + 1; col < BS_TEXT_COLUMNS; col++) if (tf[col] > 0) putVarint(freqs, (uint32_t)tf[col]);
    return 0;
}

/* One posting's positions: its byte length, then per column its offsets as differences (`scratch` holds them
** while the length is not known yet). */
static void putPositions(buffer *positions, buffer *scratch, const int32_t tf[BS_TEXT_COLUMNS], const int32_t *offsets) {
    scratch->n = 0;
    size_t p = 0;
    for (int col = 0; col < BS_TEXT_COLUMNS; col++) {
        int32_t last = 0;
        for (int32_t j = 0; j < tf[col]; j++, p++) {
            putVarint(scratch, (uint32_t)(offsets[p] - last));
            last = offsets[p];
        }
    }
    putVarint(positions, (uint32_t)scratch->n);
    bufferReserve(positions, scratch->n);
    if (!positions->failed && scratch->n) memcpy(positions->a + positions->n, scratch->a, scratch->n);
    if (!positions->failed) positions->n += scratch->n;
}

/* A block's header: its last post id, where it starts in docs, freqs and positions, and its highest score as a
** Float32 rounded up (never below a score computed in double). */
static void putBlockHeader(buffer *blocks, int32_t lastDoc, const uint32_t start[3], double blockMax) {
    put32(blocks, (uint32_t)lastDoc);
    put32(blocks, start[0]);
    put32(blocks, start[1]);
    put32(blocks, start[2]);
    float bound = (float)blockMax;
    if ((double)bound < blockMax) bound = nextafterf(bound, INFINITY);
    uint32_t bits;
    memcpy(&bits, &bound, sizeof bits);
    put32(blocks, bits);
}

int encodeCollected(const collected *c, int withPositions, const bs_scoring *s, bs_postings *out) {
    memset(out, 0, sizeof *out);
    if (c->failed || c->n > INT32_MAX) return -1;
    buffer blocks = {0}, docs = {0}, freqs = {0}, positions = {0}, scratch = {0};
    double idf = bs_idf(s->rows, (double)c->n);
    int32_t previous = 0;
    double blockMax = 0.0;
    uint32_t start[3] = {0, 0, 0};
    int rc = 0;
    for (size_t i = 0; i < c->n && rc == 0; i++) {
        const int32_t *tf = &c->tf[i * BS_TEXT_COLUMNS];
        int32_t doc = c->docs[i];
        putVarint(&docs, (uint32_t)(doc - previous));
        previous = doc;
        if (putFreqs(&freqs, tf)) { rc = -1; break; }
        if (withPositions) putPositions(&positions, &scratch, tf, &c->positions[c->positionStart[i]]);
        double score = postingScore(idf, tf, &s->norms[(size_t)(doc - 1) * BS_TEXT_COLUMNS], s->weight, s->k1);
        if (score > blockMax) blockMax = score;
        if ((i + 1) % BS_BLOCK_SIZE == 0 || i + 1 == c->n) {
            putBlockHeader(&blocks, doc, start, blockMax);
            blockMax = 0.0;
            start[0] = (uint32_t)docs.n;
            start[1] = (uint32_t)freqs.n;
            start[2] = (uint32_t)positions.n;
        }
    }
    free(scratch.a);
    if (rc || blocks.failed || docs.failed || freqs.failed || positions.failed || scratch.failed) {
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
