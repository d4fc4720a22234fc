/*
** FTS5 auxiliary functions for blogsearch.
**
** blogsearch_rank(fts, k1, proximity, w0, b0, w1, b1, ...)  -- BM25F plus a term-proximity bonus (Robertson & Zaragoza 2009, "The Probabilistic
** Relevance Framework: BM25 and Beyond", section 3.5), returned NEGATED so that `ORDER BY` ascending puts
** the best match first, like FTS5's own bm25().
**
** FTS5's bm25() normalises every column by the length of the WHOLE row. A post with thirty comments then
** looks long and its body matches are punished for what readers wrote. BM25F normalises each column by its
** own length and only then combines them:
**
**   For query phrase i and column c:
**     tf_ic   = occurrences of phrase i in column c of this row
**     len_c   = tokens in column c of this row;   avglen_c = tokens in column c over all rows / rows
**     norm_c  = 1 - b_c + b_c * len_c / avglen_c             (b_c in [0,1]; norm_c > 0 when len_c > 0)
**     tf~_i   = SUM_c  w_c * tf_ic / norm_c                  (w_c >= 0; a zero weight ignores the column)
**   score     = SUM_i  idf_i * tf~_i * (k1 + 1) / (k1 + tf~_i)
**   idf_i     = ln(1 + (N - n_i + 0.5) / (n_i + 0.5))        (N rows, n_i rows containing phrase i)
**
** Proximity (BM25TP, Rasolofo & Savoy 2003): for every two instances of different query phrases in the same
** column of a weighted (w_c > 0) field, d = 1..5 tokens apart, acc_i += 1/d^2 and acc_j += 1/d^2; then
**   score += proximity * SUM_i min(1, idf_i) * acc_i * (k1 + 1) / (k1 + acc_i)
** Measured on Cranfield (Benchmarks/relevance/research/05_proximity.py): +0.007 nDCG@10 at proximity 0.5.
**
** The idf is Lucene's form: always positive, so a term present in every post still counts a little rather
** than going negative (FTS5 clamps its own idf at 1e-6 instead). A phrase repeated in the query is a separate
** phrase to FTS5, so query-term frequency counts naturally. Missing weight/b arguments default to w=1, b=0.75.
** n_i is counted once per query (first row) and cached with xSetAuxdata, as FTS5's bm25() does.
**
** blogsearch_columns(fts) -- a bitmask with bit c set when some phrase matched in column c of this row.
** blogsearch_instances(fts, column) -- see instancesFunction below.
*/
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "CSQLiteExtras.h"
#include "fts5api.h"
#include "bm25f_math.h"

#define BS_MAX_COLUMNS 16

typedef struct Bm25fData {
    int nPhrase;
    int nCol;
    double avgLen[BS_MAX_COLUMNS];
    double *aIdf;               /* nPhrase entries */
    int *aTf;                   /* nPhrase * nCol scratch, reused per row */
    double *aAcc;               /* nPhrase proximity accumulators, reused per row */
} Bm25fData;

static int countRowCallback(const Fts5ExtensionApi *pApi, Fts5Context *pFts, void *pUserData) {
    (void)pApi; (void)pFts;
    sqlite3_int64 *pn = (sqlite3_int64 *)pUserData;
    (*pn)++;
    return SQLITE_OK;
}

static int bm25fGetData(const Fts5ExtensionApi *pApi, Fts5Context *pFts, Bm25fData **ppData) {
    Bm25fData *p = (Bm25fData *)pApi->xGetAuxdata(pFts, 0);
    if (p) { *ppData = p; return SQLITE_OK; }

    int nPhrase = pApi->xPhraseCount(pFts);
    int nCol = pApi->xColumnCount(pFts);
    if (nCol > BS_MAX_COLUMNS) nCol = BS_MAX_COLUMNS;
    size_t nByte = sizeof(Bm25fData) + 2 * sizeof(double) * (size_t)nPhrase + sizeof(int) * (size_t)(nPhrase * nCol);
    p = (Bm25fData *)sqlite3_malloc64(nByte);
    if (!p) return SQLITE_NOMEM;
    memset(p, 0, nByte);
    p->nPhrase = nPhrase;
    p->nCol = nCol;
    p->aIdf = (double *)&p[1];
    p->aAcc = &p->aIdf[nPhrase];
    p->aTf = (int *)&p->aAcc[nPhrase];

    sqlite3_int64 nRow = 0;
    int rc = pApi->xRowCount(pFts, &nRow);
    if (rc == SQLITE_OK) {
        for (int c = 0; c < nCol && rc == SQLITE_OK; c++) {
            sqlite3_int64 nTok = 0;
            rc = pApi->xColumnTotalSize(pFts, c, &nTok);
            p->avgLen[c] = nRow > 0 ? (double)nTok / (double)nRow : 0.0;
        }
    }
    for (int i = 0; i < nPhrase && rc == SQLITE_OK; i++) {
        sqlite3_int64 nHit = 0;
        rc = pApi->xQueryPhrase(pFts, i, (void *)&nHit, countRowCallback);
        double N = (double)nRow, n = (double)nHit;
        p->aIdf[i] = bs_idf(N, n);
    }
    if (rc == SQLITE_OK) rc = pApi->xSetAuxdata(pFts, p, sqlite3_free);
    if (rc != SQLITE_OK) { sqlite3_free(p); return rc; }
    *ppData = p;
    return SQLITE_OK;
}

static void bm25fFunction(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx,
                          int nVal, sqlite3_value **apVal) {
    Bm25fData *p = 0;
    int rc = bm25fGetData(pApi, pFts, &p);
    if (rc != SQLITE_OK) { sqlite3_result_error_code(pCtx, rc); return; }

    double k1 = nVal > 0 ? sqlite3_value_double(apVal[0]) : 1.2;
    double proximity = nVal > 1 ? sqlite3_value_double(apVal[1]) : 0.0;
    double weight[BS_MAX_COLUMNS], b[BS_MAX_COLUMNS], norm[BS_MAX_COLUMNS];
    for (int c = 0; c < p->nCol; c++) {
        int wi = 2 + 2 * c, bi = 3 + 2 * c;
        weight[c] = wi < nVal ? sqlite3_value_double(apVal[wi]) : 1.0;
        b[c] = bi < nVal ? sqlite3_value_double(apVal[bi]) : 0.75;
        norm[c] = 1.0;
    }

    memset(p->aTf, 0, sizeof(int) * (size_t)(p->nPhrase * p->nCol));
    memset(p->aAcc, 0, sizeof(double) * (size_t)p->nPhrase);
    int nInst = 0;
    rc = pApi->xInstCount(pFts, &nInst);
    for (int i = 0; rc == SQLITE_OK && i < nInst; i++) {
        int iPhrase, iCol, iOff;
        rc = pApi->xInst(pFts, i, &iPhrase, &iCol, &iOff);
        if (rc != SQLITE_OK || iCol >= p->nCol) continue;
        p->aTf[iPhrase * p->nCol + iCol]++;
        if (proximity <= 0.0 || weight[iCol] <= 0.0 || p->nPhrase < 2) continue;
        /* Instances come in position order (column, then offset): look ahead within the window. */
        for (int j = i + 1; j < nInst; j++) {
            int jPhrase, jCol, jOff;
            if (pApi->xInst(pFts, j, &jPhrase, &jCol, &jOff) != SQLITE_OK) break;
            int d = jOff - iOff;
            if (jCol != iCol || d > BS_PROXIMITY_WINDOW) break;
            if (jPhrase == iPhrase || d < 1) continue;
            double bonus = bs_closeness(d);
            p->aAcc[iPhrase] += bonus;
            p->aAcc[jPhrase] += bonus;
        }
    }
    for (int c = 0; rc == SQLITE_OK && c < p->nCol; c++) {
        if (weight[c] <= 0.0 || p->avgLen[c] <= 0.0) continue;
        int len = 0;
        rc = pApi->xColumnSize(pFts, c, &len);
        norm[c] = bs_norm(b[c], (double)len, p->avgLen[c]);
    }
    if (rc != SQLITE_OK) { sqlite3_result_error_code(pCtx, rc); return; }

    double score = 0.0;
    for (int i = 0; i < p->nPhrase; i++) {
        double tf = 0.0;
        for (int c = 0; c < p->nCol; c++) {
            int n = p->aTf[i * p->nCol + c];
            if (n > 0 && weight[c] > 0.0) tf += bs_tf_part(weight[c], n, norm[c]);
        }
        if (tf > 0.0) score += bs_term_score(p->aIdf[i], tf, k1);
        double acc = p->aAcc[i];
        if (acc > 0.0) score += bs_proximity_score(proximity, p->aIdf[i], acc, k1);
    }
    sqlite3_result_double(pCtx, -score);
}

static void columnsFunction(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx,
                            int nVal, sqlite3_value **apVal) {
    (void)nVal; (void)apVal;
    int nInst = 0, mask = 0;
    int rc = pApi->xInstCount(pFts, &nInst);
    for (int i = 0; rc == SQLITE_OK && i < nInst; i++) {
        int iPhrase, iCol, iOff;
        rc = pApi->xInst(pFts, i, &iPhrase, &iCol, &iOff);
        if (rc == SQLITE_OK && iCol < 31) mask |= (1 << iCol);
    }
    if (rc != SQLITE_OK) { sqlite3_result_error_code(pCtx, rc); return; }
    sqlite3_result_int(pCtx, mask);
}

/*
** blogsearch_instances(fts, column) -- the phrase instances of the current row in `column`, as a blob of
** native 32-bit integer pairs (phrase, token offset), in xInst's order (offset, then phrase). Which comment of
** a post matched is read from these and the comments' first offsets, without tokenizing every comment.
*/
static void instancesFunction(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx,
                              int nVal, sqlite3_value **apVal) {
    int column = nVal > 0 ? sqlite3_value_int(apVal[0]) : 0;
    int nInst = 0, n = 0;
    int rc = pApi->xInstCount(pFts, &nInst);
    int *pairs = rc == SQLITE_OK && nInst > 0 ? sqlite3_malloc64(sizeof(int) * 2 * (sqlite3_uint64)nInst) : 0;
    if (rc == SQLITE_OK && nInst > 0 && !pairs) rc = SQLITE_NOMEM;
    for (int i = 0; rc == SQLITE_OK && i < nInst; i++) {
        int iPhrase, iCol, iOff;
        rc = pApi->xInst(pFts, i, &iPhrase, &iCol, &iOff);
        if (rc == SQLITE_OK && iCol == column) {
            pairs[2 * n] = iPhrase;
            pairs[2 * n + 1] = iOff;
            n++;
        }
    }
    if (rc != SQLITE_OK) { sqlite3_free(pairs); sqlite3_result_error_code(pCtx, rc); return; }
    if (n == 0) { sqlite3_free(pairs); sqlite3_result_zeroblob(pCtx, 0); return; }
    sqlite3_result_blob(pCtx, pairs, (int)(sizeof(int) * 2 * (size_t)n), sqlite3_free);
}

fts5_api *blogsearch_fts5_api(sqlite3 *db) {
    fts5_api *pRet = 0;
    sqlite3_stmt *pStmt = 0;
    if (sqlite3_prepare_v2(db, "SELECT fts5(?1)", -1, &pStmt, 0) == SQLITE_OK) {
        sqlite3_bind_pointer(pStmt, 1, (void *)&pRet, "fts5_api_ptr", NULL);
        sqlite3_step(pStmt);
    }
    sqlite3_finalize(pStmt);
    return pRet;
}

int blogsearch_register_functions(sqlite3 *db) {
    fts5_api *api = blogsearch_fts5_api(db);
    if (!api || api->iVersion < 2) return SQLITE_ERROR;
    int rc = api->xCreateFunction(api, "blogsearch_rank", 0, bm25fFunction, 0);
    if (rc == SQLITE_OK) rc = api->xCreateFunction(api, "blogsearch_columns", 0, columnsFunction, 0);
    if (rc == SQLITE_OK) rc = api->xCreateFunction(api, "blogsearch_instances", 0, instancesFunction, 0);
    if (rc == SQLITE_OK) rc = api->xCreateFunction(api, "blogsearch_snippet", 0, blogsearch_snippet_function, 0);
    if (rc == SQLITE_OK) rc = blogsearch_register_rowids(db);
    if (rc == SQLITE_OK) rc = blogsearch_register_multilingual(db);
    return rc;
}
