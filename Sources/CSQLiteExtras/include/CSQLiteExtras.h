#ifndef CSQLITE_EXTRAS_H
#define CSQLITE_EXTRAS_H
#include <sqlite3.h>
#include "topk.h"
#include "spell.h"

/// Process-wide SQLite configuration. Must run before the first connection opens.
/// - Turns MEMSTATUS off: Debian's build keeps it on, which takes a global mutex on every allocation
///   (measured: read throughput doubled on 2 cores without it).
/// - Turns URI file names on, so that published generations open as `file:…?immutable=1`.
/// Idempotent: the first call configures, later calls return its result. Returns SQLITE_OK, or SQLITE_MISUSE when
/// SQLite was already initialised by something else.
int blogsearch_sqlite_configure(void);

/// Registers blogsearch's FTS5 auxiliary functions on one connection:
/// - `blogsearch_rank(fts, k1, w0, b0, w1, b1, …)`: BM25F, see bm25f.c.
/// - `blogsearch_columns(fts)`: bitmask of the columns in which the current row matched.
/// - `blogsearch_instances(fts, column)`: the row's phrase instances in a column, as (phrase, offset) pairs.
/// - `blogsearch_snippet(fts, column, tokens)`: a highlighted snippet, see snippet.c.
/// - `blogsearch_rowids(x)`: aggregate, all x of the group as a blob of native 64-bit integers, see rowids.c.
/// - the tokenizer `blogsearch` (`blogsearch_register_multilingual`).
/// Returns SQLITE_OK or an SQLite error code (SQLITE_ERROR when FTS5 is missing).
int blogsearch_register_functions(sqlite3 *db);
/// `copy_file_range(2)` from the current offset of `input` to that of `output`, up to `length` bytes: the
/// bytes copied, or -1 with errno set (ENOSYS where the call does not exist). Swift's Glibc module does not
/// export it (it needs _GNU_SOURCE).
long long blogsearch_copy_file_range(int input, int output, long long length);

/// Registers `blogsearch_rowids` alone (part of `blogsearch_register_functions`).
int blogsearch_register_rowids(sqlite3 *db);

/// Registers the FTS5 tokenizer `blogsearch` on one connection (part of `blogsearch_register_functions`): each
/// text analysed in its own language, see multilingual.c. `tokenize='blogsearch'` or
/// `tokenize='blogsearch default es'`; also `korean bigrams|particles`, `han words|bigrams`.
int blogsearch_register_multilingual(sqlite3 *db);
/// The length in bytes of the language marker (0x01 TAG 0x02) that `text` begins with, 0 when it has none;
/// the tag is copied into `tag` (NUL-terminated) when `tagCapacity` is large enough (16 bytes always is).
int blogsearch_language_marker(const char *text, int length, char *tag, int tagCapacity);
/// 1 when the `blogsearch` tokenizer analyses text marked `tag` as that language (a tag of the stemmer table,
/// or another well-formed tag of a language ICU knows), 0 when it falls back to its default language.
int blogsearch_language_known(const char *tag);

#endif

#ifndef CSQLITE_EXTRAS_TOKENIZER_H
#define CSQLITE_EXTRAS_TOKENIZER_H
/// FTS5's own tokenizer, for code that must see exactly the terms FTS5 indexes (the TF-IDF vectors).
typedef struct BlogsearchTokenizer BlogsearchTokenizer;
/// `start` and `end` are the byte offsets of the token's source text in the input.
typedef void (*blogsearch_token_callback)(void *context, const char *token, int length, int start, int end);

/// Creates an FTS5 tokenizer from the FTS5 of connection `db`, which must stay open while the tokenizer is used:
/// `argv[0]` names it (`porter`), the rest are its arguments, as in a `tokenize=` option. Returns SQLITE_OK or an
/// error code.
int blogsearch_tokenizer_open(sqlite3 *db, const char **argv, int argc, BlogsearchTokenizer **out);
void blogsearch_tokenizer_close(BlogsearchTokenizer *tokenizer);
/// Calls `callback` once per token of `text` (UTF-8, `length` bytes), in order.
int blogsearch_tokenize(BlogsearchTokenizer *tokenizer, const char *text, int length, void *context,
                        blogsearch_token_callback callback);
/// `blogsearch_tokenize` for a tokenizer opened as `blogsearch`, with the text analysed as `language` (a BCP 47
/// tag; a malformed or unknown one means the tokenizer's default) whether or not it begins with a marker (a
/// marker it begins with gives no token). SQLITE_MISUSE for any other tokenizer.
int blogsearch_tokenize_language(BlogsearchTokenizer *tokenizer, const char *language, const char *text, int length,
                                 void *context, blogsearch_token_callback callback);
/// `blogsearch_tokenize` with FTS5's own token callback (flags and all), for C code that scans tokens.
int blogsearch_tokenize_fts5(BlogsearchTokenizer *tokenizer, const char *text, int length, void *context,
                             int (*xToken)(void *context, int flags, const char *token, int length, int start, int end));
/// `blogsearch_snippet` outside FTS5: the snippet of `text` (a post's body) for the phrase instances given as
/// (phrase, token offset) pairs in offset order, each phrase `phraseLengths[phrase]` tokens long, tokenized
/// with `tokenizer` from the last of `marks` (`snippet_marks`: little-endian UInt32 byte offsets of every 32nd
/// token; NULL for none) before the window. The same window and marks as blogsearch_snippet for the same
/// instances. `*out` is NULL for an empty snippet, else free it with sqlite3_free. Returns an SQLite code.
int blogsearch_snippet_text(BlogsearchTokenizer *tokenizer, const char *text, int nText, const unsigned char *marks, int nMarkBytes,
                            const int32_t *pairs, int32_t nPairs, const int32_t *phraseLengths, int32_t nPhrases, int32_t tokens,
                            char **out, int *length);
#endif
