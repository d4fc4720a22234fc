/* A loadable SQLite extension of CSQLiteExtras, for measuring the tokenizer from Python (tokenizer_eval.py):
** registers blogsearch's FTS5 functions and the `blogsearch` tokenizer. Build: see tokenizer_eval.py. */
#include <sqlite3.h>
int blogsearch_register_functions(sqlite3 *db);
int sqlite3_extension_init(sqlite3 *db, char **error, const void *api) {
    (void)error; (void)api;
    return blogsearch_register_functions(db);
}
