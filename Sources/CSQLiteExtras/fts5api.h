#ifndef BLOGSEARCH_FTS5API_H
#define BLOGSEARCH_FTS5API_H
#include <sqlite3.h>
/// The fts5_api of a connection (the documented `SELECT fts5(?1)` handshake), or NULL without FTS5.
fts5_api *blogsearch_fts5_api(sqlite3 *db);
/// See snippet.c.
void blogsearch_snippet_function(const Fts5ExtensionApi *pApi, Fts5Context *pFts, sqlite3_context *pCtx,
                                 int nVal, sqlite3_value **apVal);
/// See multilingual.c: whether `api` is the `blogsearch` tokenizer's, and its tokenizing with an explicit language.
int blogsearch_is_multilingual(const fts5_tokenizer *api);
int blogsearch_multilingual_tokenize(Fts5Tokenizer *tokenizer, const char *language, void *context, int flags,
                                     const char *text, int length,
                                     int (*xToken)(void *, int, const char *, int, int, int));
#endif
