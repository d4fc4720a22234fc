/*
** FTS5's tokenizer outside FTS5: the related-posts vectors must hold exactly the terms the search index holds,
** so they are made by the same code, found through fts5_api with the arguments the index is created with
** (`Analyzer.tokenizerArguments` in Swift: the first names the tokenizer, the rest are its arguments).
*/
#include <stdlib.h>
#include "CSQLiteExtras.h"
#include "fts5api.h"

struct BlogsearchTokenizer {
    fts5_tokenizer api;
    Fts5Tokenizer *instance;
};

typedef struct CallbackContext {
    void *context;
    blogsearch_token_callback callback;
} CallbackContext;

int blogsearch_tokenizer_open(sqlite3 *db, const char **argv, int argc, BlogsearchTokenizer **out) {
    *out = 0;
    if (argc < 1) return SQLITE_MISUSE;
    fts5_api *api = blogsearch_fts5_api(db);
    if (!api) return SQLITE_ERROR;
    BlogsearchTokenizer *t = (BlogsearchTokenizer *)sqlite3_malloc(sizeof(BlogsearchTokenizer));
    if (!t) return SQLITE_NOMEM;
    void *userData = 0;
    int rc = api->xFindTokenizer(api, argv[0], &userData, &t->api);
    if (rc == SQLITE_OK) rc = t->api.xCreate(userData, argv + 1, argc - 1, &t->instance);
    if (rc != SQLITE_OK) {
        sqlite3_free(t);
        return rc;
    }
    *out = t;
    return SQLITE_OK;
}

void blogsearch_tokenizer_close(BlogsearchTokenizer *tokenizer) {
    if (!tokenizer) return;
    tokenizer->api.xDelete(tokenizer->instance);
    sqlite3_free(tokenizer);
}

static int forwardToken(void *pCtx, int tflags, const char *pToken, int nToken, int iStart, int iEnd) {
    if (tflags & FTS5_TOKEN_COLOCATED) return SQLITE_OK;   /* synonyms: none with porter, but be exact */
    CallbackContext *c = (CallbackContext *)pCtx;
    c->callback(c->context, pToken, nToken, iStart, iEnd);
    return SQLITE_OK;
}

int blogsearch_tokenize(BlogsearchTokenizer *tokenizer, const char *text, int length, void *context,
                        blogsearch_token_callback callback) {
    CallbackContext c = {context, callback};
    return tokenizer->api.xTokenize(tokenizer->instance, &c, FTS5_TOKENIZE_DOCUMENT, text, length, forwardToken);
}

int blogsearch_tokenize_language(BlogsearchTokenizer *tokenizer, const char *language, const char *text, int length,
                                 void *context, blogsearch_token_callback callback) {
    if (!blogsearch_is_multilingual(&tokenizer->api)) return SQLITE_MISUSE;
    CallbackContext c = {context, callback};
    return blogsearch_multilingual_tokenize(tokenizer->instance, language, &c, FTS5_TOKENIZE_DOCUMENT, text, length, forwardToken);
}

int blogsearch_tokenize_fts5(BlogsearchTokenizer *tokenizer, const char *text, int length, void *context,
                             int (*xToken)(void *, int, const char *, int, int, int)) {
    return tokenizer->api.xTokenize(tokenizer->instance, context, FTS5_TOKENIZE_DOCUMENT, text, length, xToken);
}
