/*
** blogsearch_snippet(fts, column, tokens [, marks]) -- a snippet of `tokens` tokens around the best matches in `column`,
** with matched tokens between U+E000 and U+E001 and "…" where text was cut. Like FTS5's snippet(), but it
** tokenizes the column once and only up to the end of the chosen window (snippet() tokenizes the whole
** column, twice), which made it the largest cost of a page of search hits.
**
** The window is chosen from the phrase instances FTS5 already has (xInst): of the windows starting at an
** instance, the one holding the most distinct phrases, then the most instances, then the earliest; it then
** starts up to tokens/6 tokens earlier for context. Without an instance in the column, the window is the
** column's beginning. `marks`, when given, is a blob of little-endian UInt32 byte offsets of the column's tokens
** 0, 32, 64, …: tokenizing then starts at the last of them before the window.
*/
#include <string.h>
#include "CSQLiteExtras.h"
#include "fts5api.h"

#define SNIPPET_MAX_TOKENS 64
/* The builder marks the byte offset of every 32nd token of the body (PostingsBuilder, table snippet_marks). */
#define SNIPPET_MARK_EVERY 32

typedef struct SnippetScan {
    int base;                       /* byte offset of the tokenized text in the column */
    int start, end;                 /* window of token indexes [start, end) */
    int index;                      /* index of the next token */
    int count;                      /* tokens recorded */
    int more;                       /* a token exists at or after `end` */
    int byteStart[SNIPPET_MAX_TOKENS];
    int byteEnd[SNIPPET_MAX_TOKENS];
} SnippetScan;

static int snippetToken(void *pCtx, int tflags, const char *pToken, int nToken, int iStart, int iEnd) {
    (void)pToken; (void)nToken;
    if (tflags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;
    SnippetScan *s = (SnippetScan *)pCtx;
    int i = s->index++;
    if (i >= s->end) {
        s->more = 1;
        return SQLITE_DONE;         /* stop tokenizing: the rest of the column is not needed */
    }
    if (i >= s->start && s->count < SNIPPET_MAX_TOKENS) {
        s->byteStart[s->count] = s->base + iStart;
        s->byteEnd[s->count] = s->base + iEnd;
        s->count++;
    }
    return SQLITE_OK;
}

/* Tokenizes `text` for a scan: FTS5's xTokenize inside the auxiliary function, the standalone tokenizer outside. */
typedef int (*SnippetTokenize)(void *context, const char *text, int nText, SnippetScan *scan);

/* The snippet of `text` for the instances [offs[i], ends[i]) of phrases[i] (ordered by offset), as
** blogsearch_snippet describes it: *out is NULL when it is empty, else free it with sqlite3_free. */
static int snippetMake(const int *offs, const int *ends, const int *phrases, int n, int nTok, const char *text, int nText,
                       const unsigned char *marks, int nMarks, SnippetTokenize tokenize, void *context, char **out, int *length) {
    *out = 0;
    *length = 0;
    if (!text || nText <= 0) return SQLITE_OK;
    /* The window shown starts `lead` tokens before its first match, so it is scored over the matches that will
    ** be shown: those within nTok - lead tokens of the first. */
    int lead = nTok / 6;
    int best = 0, bestScore = -1;
    for (int i = 0; i < n; i++) {
        unsigned long long seen = 0;
        int distinct = 0, count = 0;
        for (int j = i; j < n && offs[j] < offs[i] + nTok - lead; j++) {
            unsigned long long bit = 1ULL << (phrases[j] & 63);
            if (!(seen & bit)) { seen |= bit; distinct++; }
            count++;
        }
        int score = distinct * 1000 + count;
        if (score > bestScore) { bestScore = score; best = offs[i]; }
    }
    int start = n > 0 ? (best > lead ? best - lead : 0) : 0;

    SnippetScan scan;
    memset(&scan, 0, sizeof(scan));
    scan.start = start;
    scan.end = start + nTok;
    /* With the column's marks (the byte offset of every SNIPPET_MARK_EVERY-th token), tokenizing starts at the
    ** last mark before the window instead of the column's beginning. */
    if (marks && nMarks > 0) {
        int k = start / SNIPPET_MARK_EVERY;
        if (k >= nMarks) k = nMarks - 1;
        if (k > 0) {
            int at = (int)((unsigned)marks[4 * k] | (unsigned)marks[4 * k + 1] << 8 | (unsigned)marks[4 * k + 2] << 16 | (unsigned)marks[4 * k + 3] << 24);
            if (at > 0 && at < nText) {
                scan.base = at;
                scan.index = k * SNIPPET_MARK_EVERY;
            }
        }
    }
    /* A text that begins with a language marker (0x01 TAG 0x02, see multilingual.c) is analysed as that
    ** language; tokenizing from a mark must keep it, so it goes before the mark's text in a copy, whose offsets
    ** map back to the text's by `base`. The marker itself gives no token, so it is never shown. */
    int markerLength = scan.base > 0 ? blogsearch_language_marker(text, nText, 0, 0) : 0;
    int rc;
    if (markerLength > 0) {
        int at = scan.base, nCopy = markerLength + nText - at;
        char *copy = (char *)sqlite3_malloc64((sqlite3_uint64)nCopy);
        if (!copy) return SQLITE_NOMEM;
        memcpy(copy, text, markerLength);
        memcpy(copy + markerLength, text + at, nText - at);
        scan.base = at - markerLength;
        rc = tokenize(context, copy, nCopy, &scan);
        sqlite3_free(copy);
    } else {
        rc = tokenize(context, text + scan.base, nText - scan.base, &scan);
    }
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
    if (rc != SQLITE_OK || scan.count == 0) return rc;

    /* Tokens may overlap (Korean bigrams share a character) or touch (CJK words): each byte is shown once, and
    ** matched tokens that touch or overlap are one highlight. */
    sqlite3_str *str = sqlite3_str_new(0);
    if (start > 0) sqlite3_str_appendall(str, "\xE2\x80\xA6");
    int pos = scan.byteStart[0];
    int open = 0;
    int first = 0;   /* instances before `first` end before the current token: tokens only move forward */
    for (int t = 0; t < scan.count; t++) {
        int token = start + t;
        int matched = 0;
        while (first < n && ends[first] <= token) first++;
        for (int i = first; i < n && offs[i] <= token && !matched; i++) matched = token < ends[i];
        int from = scan.byteStart[t] > pos ? scan.byteStart[t] : pos;
        if (from > pos) {
            if (open) { sqlite3_str_appendall(str, "\xEE\x80\x81"); open = 0; }
            sqlite3_str_append(str, text + pos, from - pos);
        }
        if (matched && !open) { sqlite3_str_appendall(str, "\xEE\x80\x80"); open = 1; }
        if (!matched && open) { sqlite3_str_appendall(str, "\xEE\x80\x81"); open = 0; }
        if (scan.byteEnd[t] > from) sqlite3_str_append(str, text + from, scan.byteEnd[t] - from);
        if (scan.byteEnd[t] > pos) pos = scan.byteEnd[t];
    }
    if (open) sqlite3_str_appendall(str, "\xEE\x80\x81");
    if (scan.more) sqlite3_str_appendall(str, "\xE2\x80\xA6");
    *length = sqlite3_str_length(str);
    rc = sqlite3_str_errcode(str);
    *out = sqlite3_str_finish(str);
    if (rc == SQLITE_OK && *length > 0 && !*out) rc = SQLITE_NOMEM;
    return rc;
}

typedef struct Fts5Source {
    const Fts5ExtensionApi *api;
    Fts5Context *fts;
} Fts5Source;

static int fts5Tokenize(void *context, const char *text, int nText, SnippetScan *scan) {
    Fts5Source *source = (Fts5Source *)context;
    return source->api->xTokenize(source->fts, text, nText, scan, snippetToken);
}

void blogsearch_snippet_function(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx,
                                 int nVal, sqlite3_value **apVal) {
    if (nVal < 2) { sqlite3_result_error(pCtx, "blogsearch_snippet(fts, column, tokens)", -1); return; }
    int col = sqlite3_value_int(apVal[0]);
    int nTok = sqlite3_value_int(apVal[1]);
    if (nTok < 1) nTok = 1;
    if (nTok > SNIPPET_MAX_TOKENS) nTok = SNIPPET_MAX_TOKENS;

    /* Matched token ranges in this column, from the instances (FTS5 gives them in column and offset order).
    ** Every instance counts: a long comments column can hold thousands, and the best window may come after
    ** any of them. */
    int nInst = 0, rc = pApi->xInstCount(pFts, &nInst);
    if (rc != SQLITE_OK) { sqlite3_result_error_code(pCtx, rc); return; }
    int *offs = nInst > 0 ? (int *)sqlite3_malloc64(sizeof(int) * 3 * (sqlite3_uint64)nInst) : 0;
    if (nInst > 0 && !offs) { sqlite3_result_error_nomem(pCtx); return; }
    int *ends = offs ? offs + nInst : 0, *phrases = offs ? offs + 2 * (sqlite3_int64)nInst : 0, n = 0;
    for (int i = 0; rc == SQLITE_OK && i < nInst; i++) {
        int iPhrase, iCol, iOff;
        rc = pApi->xInst(pFts, i, &iPhrase, &iCol, &iOff);
        if (rc != SQLITE_OK || iCol != col) continue;
        offs[n] = iOff;
        ends[n] = iOff + pApi->xPhraseSize(pFts, iPhrase);
        phrases[n] = iPhrase;
        n++;
    }
    const char *text = 0;
    int nText = 0;
    if (rc == SQLITE_OK) rc = pApi->xColumnText(pFts, col, &text, &nText);
    const unsigned char *marks = 0;
    int nMarks = 0;
    if (nVal > 2 && sqlite3_value_type(apVal[2]) == SQLITE_BLOB) {
        marks = (const unsigned char *)sqlite3_value_blob(apVal[2]);
        nMarks = sqlite3_value_bytes(apVal[2]) / 4;
    }
    char *out = 0;
    int length = 0;
    Fts5Source source = { pApi, pFts };
    if (rc == SQLITE_OK) rc = snippetMake(offs, ends, phrases, n, nTok, text, nText, marks, nMarks, fts5Tokenize, &source, &out, &length);
    sqlite3_free(offs);
    if (rc != SQLITE_OK) { sqlite3_free(out); sqlite3_result_error_code(pCtx, rc); return; }
    if (!out) { sqlite3_result_text(pCtx, "", 0, SQLITE_STATIC); return; }
    sqlite3_result_text(pCtx, out, length, sqlite3_free);
}

static int standaloneTokenize(void *context, const char *text, int nText, SnippetScan *scan) {
    return blogsearch_tokenize_fts5((BlogsearchTokenizer *)context, text, nText, scan, snippetToken);
}

int blogsearch_snippet_text(BlogsearchTokenizer *tokenizer, const char *text, int nText, const unsigned char *marks, int nMarkBytes,
                            const int32_t *pairs, int32_t nPairs, const int32_t *phraseLengths, int32_t nPhrases, int32_t tokens,
                            char **out, int *length) {
    *out = 0;
    *length = 0;
    if (tokens < 1) tokens = 1;
    if (tokens > SNIPPET_MAX_TOKENS) tokens = SNIPPET_MAX_TOKENS;
    int *offs = nPairs > 0 ? (int *)sqlite3_malloc64(sizeof(int) * 3 * (sqlite3_uint64)nPairs) : 0;
    if (nPairs > 0 && !offs) return SQLITE_NOMEM;
    int *ends = offs ? offs + nPairs : 0, *phrases = offs ? offs + 2 * (sqlite3_int64)nPairs : 0;
    for (int32_t i = 0; i < nPairs; i++) {
        int phrase = pairs[2 * i];
        if (phrase < 0 || phrase >= nPhrases) { sqlite3_free(offs); return SQLITE_CORRUPT; }
        offs[i] = pairs[2 * i + 1];
        ends[i] = offs[i] + phraseLengths[phrase];
        phrases[i] = phrase;
    }
    int rc = snippetMake(offs, ends, phrases, nPairs, tokens, text, nText, marks, nMarkBytes / 4, standaloneTokenize, tokenizer, out, length);
    sqlite3_free(offs);
    return rc;
}
