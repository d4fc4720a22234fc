#ifndef BLOGSEARCH_MULTILINGUAL_H
#define BLOGSEARCH_MULTILINGUAL_H
/* Internal to CSQLiteExtras: the pieces of the multilingual tokenizer (multilingual.c) that live in their own
** files. The public entries are in include/CSQLiteExtras.h. */
#include <sqlite3.h>

/* Where a token goes: the tokenizer's call, with FTS5's callback and its context. */
typedef int (*MlTokenFn)(void *ctx, int tflags, const char *token, int nToken, int iStart, int iEnd);

/* How a text that holds Hangul or a script written without spaces is cut (multilingual_scripts.c). `other` is
** called for the pieces between those runs (other scripts, spaces, punctuation, Latin letters glued to a CJK
** run as in "東京tower"), with byte offsets into the same text, so that they are analysed as the text's language. */
typedef struct MlSegmenter MlSegmenter;
typedef int (*MlOtherFn)(void *call, int start, int end);

/* Korean: how a Hangul run becomes tokens. */
enum { ML_KOREAN_BIGRAMS = 0, ML_KOREAN_PARTICLES = 1 };
/* Han runs: ICU words only, or ICU words with their character bigrams at the same positions (colocated). */
enum { ML_HAN_WORDS = 0, ML_HAN_BIGRAMS = 1 };

MlSegmenter *ml_segmenter_new(int korean, int han);
void ml_segmenter_free(MlSegmenter *s);
/* 1 when the UTF-8 bytes [start, end) of text hold a character that ml_segment_span cuts. */
int ml_span_needs_segmenting(const char *text, int start, int end);
/* Cuts [start, end) of text: Hangul runs as `korean` says, runs of Han, Hiragana, Katakana, Thai, Lao, Khmer
** and Myanmar (with their combining marks) by ICU's word break for `locale`, the rest handed to `other`. `flags`
** are xTokenize's (FTS5_TOKENIZE_QUERY …); the tokens' own flags are 0, or FTS5_TOKEN_COLOCATED for extras. Returns SQLITE_OK or the first error (or SQLITE_DONE) a callback returned. */
int ml_segment_span(MlSegmenter *s, const char *locale, const char *text, int start, int end,
                    int flags, void *ctx, MlTokenFn xToken, void *call, MlOtherFn other);
#endif
