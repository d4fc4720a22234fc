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
    if (rc != SQLITE_OK) { sqlite3_free(offs); sqlite3_result_error_code(pCtx, rc); return; }

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

    const char *text = 0;
    int nText = 0;
    rc = pApi->xColumnText(pFts, col, &text, &nText);
    if (rc != SQLITE_OK) { sqlite3_free(offs); sqlite3_result_error_code(pCtx, rc); return; }
    if (!text || nText == 0) { sqlite3_free(offs); sqlite3_result_text(pCtx, "", 0, SQLITE_STATIC); return; }

    SnippetScan scan;
    memset(&scan, 0, sizeof(scan));
    scan.start = start;
    scan.end = start + nTok;
    /* With the column's marks (the byte offset of every SNIPPET_MARK_EVERY-th token), tokenizing starts at the
    ** last mark before the window instead of the column's beginning. */
    if (nVal > 2 && sqlite3_value_type(apVal[2]) == SQLITE_BLOB) {
        const unsigned char *marks = (const unsigned char *)sqlite3_value_blob(apVal[2]);
        int nMarks = sqlite3_value_bytes(apVal[2]) / 4;
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
    rc = pApi->xTokenize(pFts, text + scan.base, nText - scan.base, &scan, snippetToken);
    if (rc == SQLITE_DONE) rc = SQLITE_OK;
    if (rc != SQLITE_OK) { sqlite3_free(offs); sqlite3_result_error_code(pCtx, rc); return; }
    if (scan.count == 0) { sqlite3_free(offs); sqlite3_result_text(pCtx, "", 0, SQLITE_STATIC); return; }

    sqlite3_str *out = sqlite3_str_new(0);
    if (start > 0) sqlite3_str_appendall(out, "\xE2\x80\xA6");
    int pos = scan.byteStart[0];
    int first = 0;   /* instances before `first` end before the current token: tokens only move forward */
    for (int t = 0; t < scan.count; t++) {
        int token = start + t;
        int matched = 0;
        while (first < n && ends[first] <= token) first++;
        for (int i = first; i < n && offs[i] <= token && !matched; i++) matched = token < ends[i];
        sqlite3_str_append(out, text + pos, scan.byteStart[t] - pos);
        if (matched) sqlite3_str_appendall(out, "\xEE\x80\x80");
        sqlite3_str_append(out, text + scan.byteStart[t], scan.byteEnd[t] - scan.byteStart[t]);
        if (matched) sqlite3_str_appendall(out, "\xEE\x80\x81");
        pos = scan.byteEnd[t];
    }
    if (scan.more) sqlite3_str_appendall(out, "\xE2\x80\xA6");
    sqlite3_free(offs);
    int length = sqlite3_str_length(out);
    char *result = sqlite3_str_finish(out);
    if (!result) { sqlite3_result_error_nomem(pCtx); return; }
    sqlite3_result_text(pCtx, result, length, sqlite3_free);
}
