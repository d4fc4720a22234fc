/*
** blogsearch_rowids(x) -- an aggregate: every x (an integer) of the group as one blob of native-endian
** 64-bit integers, in the order the rows came. Counting facets over the 40,000 matches of a common word
** then costs one call into SQLite instead of a cursor step and a decoded row each.
*/
#include <string.h>
#include "CSQLiteExtras.h"

typedef struct RowidList {
    sqlite3_int64 *a;
    sqlite3_int64 n, capacity;
    int failed;
} RowidList;

static void rowidsStep(sqlite3_context *ctx, int nVal, sqlite3_value **apVal) {
    (void)nVal;
    RowidList *list = (RowidList *)sqlite3_aggregate_context(ctx, sizeof(RowidList));
    if (!list) { sqlite3_result_error_nomem(ctx); return; }
    if (list->failed) return;
    if (list->n == list->capacity) {
        sqlite3_int64 capacity = list->capacity ? list->capacity * 2 : 1024;
        sqlite3_int64 *grown = (sqlite3_int64 *)sqlite3_realloc64(list->a, (sqlite3_uint64)capacity * sizeof(sqlite3_int64));
        if (!grown) { list->failed = 1; sqlite3_result_error_nomem(ctx); return; }
        list->a = grown;
        list->capacity = capacity;
    }
    list->a[list->n++] = sqlite3_value_int64(apVal[0]);
}

static void rowidsFinal(sqlite3_context *ctx) {
    RowidList *list = (RowidList *)sqlite3_aggregate_context(ctx, 0);
    if (!list || list->n == 0) {
        if (list) sqlite3_free(list->a);
        sqlite3_result_zeroblob(ctx, 0);
        return;
    }
    if (list->failed) { sqlite3_free(list->a); sqlite3_result_error_nomem(ctx); return; }
    sqlite3_result_blob64(ctx, list->a, (sqlite3_uint64)list->n * sizeof(sqlite3_int64), sqlite3_free);
    list->a = 0;
}

int blogsearch_register_rowids(sqlite3 *db) {
    return sqlite3_create_function_v2(db, "blogsearch_rowids", 1, SQLITE_UTF8 | SQLITE_DETERMINISTIC, 0, 0,
                                      rowidsStep, rowidsFinal, 0);
}
