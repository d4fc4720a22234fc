/*
** `blogsearch`: an FTS5 tokenizer that analyses each text in its own language, so that the index, the vectors,
** the queries and the snippets share one analysis whatever the post's language.
**
** The language travels with the text (SQLite 3.40's FTS5 has no locale): a text that begins with the marker
** 0x01 TAG 0x02 (TAG a BCP 47 tag of up to 15 bytes: letters, digits, '-', '_') is analysed as TAG, and the
** marker gives no token; any other text is analysed as the tokenizer's default language (argument
** `default TAG`, `en` when absent). FTS5 tokenizes each quoted phrase of a query on its own, so a phrase
** carries its own marker: "\x01ja\x02東京". Control characters are separators to unicode61 and no reader of the
** corpus produces them, so the marker cannot be mistaken for text.
**
** Per language (the primary subtag decides: pt-br is pt, zh-hans is zh):
** - en: FTS5's own `porter unicode61 remove_diacritics 2`, delegated, so English terms are byte for byte what
**   the `porter` index has always held.
** - ja, zh, ko, th, lo, km, my: their scripts cut as below, and the words in other scripts (quoted code, product
**   names) as English, by the same porter.
** - a language with a Snowball stemmer (table below): words cut as unicode61 cuts them (letters, digits, marks),
**   lower-cased by unicode61, stemmed, then diacritics folded where the table says the language allows it.
** - any other well-formed tag (a language ICU knows): words lower-cased, nothing else.
** - a malformed or unknown tag: the default language.
** Whatever the language, runs of Han, Kana, Thai, Lao, Khmer, Myanmar and Hangul are cut by
** multilingual_scripts.c (ICU word break; Hangul bigrams), and the text between them is analysed as the text's
** language: a Japanese post's English code words are English words, an English post's Chinese phrase Chinese words.
**
** Arguments: `default TAG`, `korean bigrams|particles`, `han words|bigrams` (see multilingual.h).
*/
#include <string.h>
#include <libstemmer.h>
#include <unicode/uloc.h>
#include <unicode/unorm2.h>
#include <unicode/utf8.h>
#include <unicode/uchar.h>
#include "CSQLiteExtras.h"
#include "fts5api.h"
#include "multilingual.h"

// MARK: - Languages

/* What is folded after stemming. */
enum {
    FOLD_NONE = 0,      /* the language's accented letters are letters of their own (å, ö, ş, ą, й) */
    FOLD_MARKS = 1,     /* accents are marks that readers often leave out when they type: fold them all */
    FOLD_KEEP_ENYE = 2, /* Spanish: fold á é í ó ú ü, keep ñ (año is not ano) */
};

typedef struct MlLanguage {
    const char *tag;        /* primary subtag */
    const char *snowball;   /* libstemmer's name; NULL for en (porter, delegated) */
    int fold;
    /* 1: words outside the segmented scripts are English words (porter, delegated): en itself, and the
    ** languages written in CJK or South-East Asian scripts, whose Latin words are quoted English. */
    int porter;
} MlLanguage;

/* Sorted by tag. Folding decided per language: fold where the accent is a mark readers drop when typing and
** the stemmer keeps it (fr, es, pt, it, ca, ro, nl, el, ga, eu); keep where the accented letter is a letter of
** the alphabet whose loss merges words (da, fi, hu, lt, nb/nn/no, sv, tr) or where the stemmer itself already
** normalises (de: the German stemmer maps ä ö ü to a o u; ar: it drops the harakat; ru: й is not и). */
static const MlLanguage languages[] = {
    {"ar", "arabic", FOLD_NONE, 0},      {"ca", "catalan", FOLD_MARKS, 0},    {"da", "danish", FOLD_NONE, 0},
    {"de", "german", FOLD_NONE, 0},      {"el", "greek", FOLD_MARKS, 0},      {"en", 0, FOLD_MARKS, 1},
    {"es", "spanish", FOLD_KEEP_ENYE, 0}, {"eu", "basque", FOLD_MARKS, 0},    {"fi", "finnish", FOLD_NONE, 0},
    {"fr", "french", FOLD_MARKS, 0},     {"ga", "irish", FOLD_MARKS, 0},      {"hi", "hindi", FOLD_NONE, 0},
    {"hu", "hungarian", FOLD_NONE, 0},   {"hy", "armenian", FOLD_NONE, 0},    {"id", "indonesian", FOLD_NONE, 0},
    {"in", "indonesian", FOLD_NONE, 0},  {"it", "italian", FOLD_MARKS, 0},    {"ja", 0, FOLD_MARKS, 1},
    {"km", 0, FOLD_MARKS, 1},            {"ko", 0, FOLD_MARKS, 1},            {"lo", 0, FOLD_MARKS, 1},
    {"lt", "lithuanian", FOLD_NONE, 0},  {"my", 0, FOLD_MARKS, 1},            {"nb", "norwegian", FOLD_NONE, 0},
    {"ne", "nepali", FOLD_NONE, 0},      {"nl", "dutch", FOLD_MARKS, 0},      {"nn", "norwegian", FOLD_NONE, 0},
    {"no", "norwegian", FOLD_NONE, 0},   {"pt", "portuguese", FOLD_MARKS, 0}, {"ro", "romanian", FOLD_MARKS, 0},
    {"ru", "russian", FOLD_NONE, 0},     {"sr", "serbian", FOLD_NONE, 0},     {"sv", "swedish", FOLD_NONE, 0},
    {"ta", "tamil", FOLD_NONE, 0},       {"th", 0, FOLD_MARKS, 1},            {"tr", "turkish", FOLD_NONE, 0},
    {"yi", "yiddish", FOLD_NONE, 0},     {"zh", 0, FOLD_MARKS, 1},
};
#define LANGUAGES ((int)(sizeof(languages) / sizeof(languages[0])))
/* A well-formed tag with no entry above: lower-cased words, no stemming, no folding. */
static const MlLanguage plainLanguage = {"", 0, FOLD_NONE, 0};

#define TAG_MAX 16

int blogsearch_language_marker(const char *text, int length, char *tag, int tagCapacity) {
    if (tag && tagCapacity > 0) tag[0] = 0;
    if (!text || length < 3 || text[0] != 0x01) return 0;
    for (int i = 1; i < length && i <= TAG_MAX; i++) {
        unsigned char c = (unsigned char)text[i];
        if (c == 0x02) {
            if (i == 1) return 0;
            if (tag && tagCapacity > i - 1) {
                memcpy(tag, text + 1, i - 1);
                tag[i - 1] = 0;
            }
            return i + 1;
        }
        if (!((c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || c == '-' || c == '_')) return 0;
    }
    return 0;
}

/* The primary subtag of `tag`, lower-cased, into out (TAG_MAX bytes); 0 when it is not 2 or 3 ASCII letters. */
static int primarySubtag(const char *tag, char *out) {
    int n = 0;
    while (tag[n] && tag[n] != '-' && tag[n] != '_' && n < 8) {
        char c = tag[n];
        if (c >= 'A' && c <= 'Z') c = (char)(c - 'A' + 'a');
        if (c < 'a' || c > 'z') return 0;
        out[n++] = c;
    }
    out[n] = 0;
    return n == 2 || n == 3;
}

/* The entry of `tag`'s language: its row of the table, plainLanguage for another language ICU knows, or NULL
** for a malformed or unknown tag. */
static const MlLanguage *languageOf(const char *tag) {
    char primary[TAG_MAX];
    if (!tag || !primarySubtag(tag, primary)) return 0;
    int lo = 0, hi = LANGUAGES - 1;
    while (lo <= hi) {
        int mid = (lo + hi) / 2, cmp = strcmp(primary, languages[mid].tag);
        if (cmp == 0) return &languages[mid];
        if (cmp < 0) hi = mid - 1; else lo = mid + 1;
    }
    /* ICU knows every ISO 639-1 code and maps it to its ISO 639-2 one; an unknown two-letter code maps to "". */
    if (strlen(primary) == 2 && uloc_getISO3Language(primary)[0] == 0) return 0;
    return &plainLanguage;
}

// MARK: - The tokenizer

typedef struct Delegate {
    fts5_tokenizer api;
    Fts5Tokenizer *instance;
} Delegate;

typedef struct MlTokenizer {
    fts5_api *fts5;
    const MlLanguage *defaultLanguage;
    /* porter over unicode61 remove_diacritics 2 (en, exactly the index's `porter` tokenizer), and unicode61
    ** without folding, with marks as token characters (the vowel signs of Devanagari or Tamil are marks, and
    ** unicode61 would cut words at them). */
    Delegate porter, unicode;
    struct sb_stemmer *stemmers[LANGUAGES];
    MlSegmenter *segmenter;
    char *buffer;               /* the folded token */
    int capacity;
} MlTokenizer;

static int delegateOpen(fts5_api *api, const char *name, const char **argv, int argc, Delegate *d) {
    void *userData = 0;
    int rc = api->xFindTokenizer(api, name, &userData, &d->api);
    if (rc == SQLITE_OK) rc = d->api.xCreate(userData, argv, argc, &d->instance);
    return rc;
}

static void mlDelete(Fts5Tokenizer *pTok) {
    MlTokenizer *t = (MlTokenizer *)pTok;
    if (!t) return;
    if (t->porter.instance) t->porter.api.xDelete(t->porter.instance);
    if (t->unicode.instance) t->unicode.api.xDelete(t->unicode.instance);
    for (int i = 0; i < LANGUAGES; i++) if (t->stemmers[i]) sb_stemmer_delete(t->stemmers[i]);
    ml_segmenter_free(t->segmenter);
    sqlite3_free(t->buffer);
    sqlite3_free(t);
}

static int mlCreate(void *pCtx, const char **azArg, int nArg, Fts5Tokenizer **ppOut) {
    *ppOut = 0;
    fts5_api *api = (fts5_api *)pCtx;
    MlTokenizer *t = (MlTokenizer *)sqlite3_malloc(sizeof(MlTokenizer));
    if (!t) return SQLITE_NOMEM;
    memset(t, 0, sizeof(*t));
    t->fts5 = api;
    t->defaultLanguage = languageOf("en");
    int korean = ML_KOREAN_BIGRAMS, han = ML_HAN_WORDS, rc = SQLITE_OK;
    for (int i = 0; rc == SQLITE_OK && i < nArg; i += 2) {
        const char *value = i + 1 < nArg ? azArg[i + 1] : 0;
        if (!value) rc = SQLITE_ERROR;
        else if (strcmp(azArg[i], "default") == 0) {
            t->defaultLanguage = languageOf(value);
            if (!t->defaultLanguage) rc = SQLITE_ERROR;
        } else if (strcmp(azArg[i], "korean") == 0) {
            if (strcmp(value, "bigrams") == 0) korean = ML_KOREAN_BIGRAMS;
            else if (strcmp(value, "particles") == 0) korean = ML_KOREAN_PARTICLES;
            else rc = SQLITE_ERROR;
        } else if (strcmp(azArg[i], "han") == 0) {
            if (strcmp(value, "words") == 0) han = ML_HAN_WORDS;
            else if (strcmp(value, "bigrams") == 0) han = ML_HAN_BIGRAMS;
            else rc = SQLITE_ERROR;
        } else rc = SQLITE_ERROR;
    }
    const char *porterArgs[] = {"unicode61", "remove_diacritics", "2"};
    const char *unicodeArgs[] = {"remove_diacritics", "0", "categories", "L* N* Co M*"};
    if (rc == SQLITE_OK) rc = delegateOpen(api, "porter", porterArgs, 3, &t->porter);
    if (rc == SQLITE_OK) rc = delegateOpen(api, "unicode61", unicodeArgs, 4, &t->unicode);
    if (rc == SQLITE_OK) {
        t->segmenter = ml_segmenter_new(korean, han);
        if (!t->segmenter) rc = SQLITE_NOMEM;
    }
    if (rc != SQLITE_OK) { mlDelete((Fts5Tokenizer *)t); return rc; }
    *ppOut = (Fts5Tokenizer *)t;
    return SQLITE_OK;
}

/* One xTokenize call. */
typedef struct MlCall {
    MlTokenizer *t;
    const MlLanguage *language;
    struct sb_stemmer *stemmer;
    const char *text;           /* the text given to xTokenize, marker included: offsets are into it */
    int base;                   /* where the piece the delegate is tokenizing starts in `text` */
    int flags;
    void *ctx;
    MlTokenFn xToken;
} MlCall;

static int ensureBuffer(MlTokenizer *t, int n) {
    if (n <= t->capacity) return SQLITE_OK;
    char *b = (char *)sqlite3_realloc(t->buffer, n);
    if (!b) return SQLITE_NOMEM;
    t->buffer = b;
    t->capacity = n;
    return SQLITE_OK;
}

/* Folds `token` (UTF-8) as `fold` says into t->buffer: each character's canonical decomposition without its
** nonspacing marks (é → e, ç → c), as unicode61's remove_diacritics does. Returns the length, or -1 (no memory). */
static int foldToken(MlTokenizer *t, int fold, const char *token, int n) {
    /* A character's decomposition without its marks is at most twice its UTF-8 length (one base character
    ** of up to 4 bytes for one of at least 2; a singleton such as U+212B Å may be shorter). */
    int capacity = 2 * n + 8;
    if (ensureBuffer(t, capacity) != SQLITE_OK) return -1;
    UErrorCode err = U_ZERO_ERROR;
    const UNormalizer2 *nfd = unorm2_getNFDInstance(&err);
    if (U_FAILURE(err)) return -1;
    const unsigned char *p = (const unsigned char *)token;
    unsigned char *out = (unsigned char *)t->buffer;
    int i = 0, o = 0;
    while (i < n) {
        int at = i;
        UChar32 c;
        U8_NEXT(p, i, n, c);
        /* ASCII, malformed bytes, Hangul syllables (whose decomposition is jamo, not marks) and ñ where kept. */
        if (c < 0x80 || (c >= 0xAC00 && c <= 0xD7A3) || (fold == FOLD_KEEP_ENYE && (c == 0xF1 || c == 0xD1))) {
            memcpy(out + o, p + at, i - at);
            o += i - at;
            continue;
        }
        if (u_charType(c) == U_NON_SPACING_MARK) continue;
        UChar d[8];
        int32_t nd = unorm2_getDecomposition(nfd, c, d, 8, &err);
        if (U_FAILURE(err) || nd <= 0) {
            err = U_ZERO_ERROR;
            memcpy(out + o, p + at, i - at);
            o += i - at;
            continue;
        }
        for (int32_t k = 0; k < nd;) {
            UChar32 x;
            U16_NEXT(d, k, nd, x);
            if (u_charType(x) == U_NON_SPACING_MARK) continue;
            int before = o;
            UBool bad = 0;
            U8_APPEND(out, o, capacity, x, bad);
            if (bad) { o = before; break; }
        }
    }
    return o;
}

/* A word of the text's language, cut and lower-cased by the delegate: stemmed and folded as the language says. */
static int finishToken(MlCall *c, int tflags, const char *token, int n, int start, int end) {
    const MlLanguage *language = c->language;
    if (!language->snowball && language->fold == FOLD_NONE) return c->xToken(c->ctx, tflags, token, n, start, end);
    if (c->stemmer) {
        const sb_symbol *stem = sb_stemmer_stem(c->stemmer, (const sb_symbol *)token, n);
        if (!stem) return SQLITE_NOMEM;
        token = (const char *)stem;
        n = sb_stemmer_length(c->stemmer);
    }
    if (language->fold != FOLD_NONE) {
        int ascii = 1;
        for (int i = 0; i < n && ascii; i++) ascii = (unsigned char)token[i] < 0x80;
        if (!ascii) {
            n = foldToken(c->t, language->fold, token, n);
            if (n < 0) return SQLITE_NOMEM;
            token = c->t->buffer;
        }
    }
    return c->xToken(c->ctx, tflags, token, n, start, end);
}

static int delegateToken(void *pCtx, int tflags, const char *token, int n, int iStart, int iEnd) {
    MlCall *c = (MlCall *)pCtx;
    int start = c->base + iStart, end = c->base + iEnd;
    if (c->language->porter) return c->xToken(c->ctx, tflags, token, n, start, end);
    return finishToken(c, tflags, token, n, start, end);
}

/* The bytes [start, end) of the text, in no segmented script: tokenized by the language's delegate. */
static int analyzePiece(void *call, int start, int end) {
    MlCall *c = (MlCall *)call;
    c->base = start;
    Delegate *d = c->language->porter ? &c->t->porter : &c->t->unicode;
    return d->api.xTokenize(d->instance, c, c->flags, c->text + start, end - start, delegateToken);
}

/* Tokenizes text[skip, nText) as `language`, offsets into text. A text without a character of the segmented
** scripts (every English post but a few) is one delegate call, so English is exactly porter's; otherwise the
** segmenter cuts the runs of those scripts and hands the pieces between them to the delegate. */
static int analyze(MlTokenizer *t, const MlLanguage *language, void *pCtx, int flags, const char *text, int nText, int skip,
                   MlTokenFn xToken) {
    MlCall c = {t, language, 0, text, skip, flags, pCtx, xToken};
    if (language->snowball) {
        int index = (int)(language - languages);
        if (!t->stemmers[index]) t->stemmers[index] = sb_stemmer_new(language->snowball, "UTF_8");
        if (!t->stemmers[index]) return SQLITE_NOMEM;
        c.stemmer = t->stemmers[index];
    }
    if (!ml_span_needs_segmenting(text, skip, nText)) return analyzePiece(&c, skip, nText);
    return ml_segment_span(t->segmenter, "", text, skip, nText, flags, pCtx, xToken, &c, analyzePiece);
}

static int mlTokenize(Fts5Tokenizer *pTok, void *pCtx, int flags, const char *pText, int nText, MlTokenFn xToken) {
    MlTokenizer *t = (MlTokenizer *)pTok;
    char tag[TAG_MAX];
    int skip = blogsearch_language_marker(pText, nText, tag, sizeof(tag));
    const MlLanguage *language = skip ? languageOf(tag) : 0;
    return analyze(t, language ? language : t->defaultLanguage, pCtx, flags, pText, nText, skip, xToken);
}

int blogsearch_multilingual_tokenize(Fts5Tokenizer *tokenizer, const char *language, void *context, int flags,
                                     const char *text, int length, MlTokenFn xToken) {
    MlTokenizer *t = (MlTokenizer *)tokenizer;
    const MlLanguage *l = languageOf(language);
    int skip = blogsearch_language_marker(text, length, 0, 0);
    return analyze(t, l ? l : t->defaultLanguage, context, flags, text, length, skip, xToken);
}

int blogsearch_is_multilingual(const fts5_tokenizer *api) {
    return api->xTokenize == mlTokenize;
}

int blogsearch_register_multilingual(sqlite3 *db) {
    fts5_api *api = blogsearch_fts5_api(db);
    if (!api) return SQLITE_ERROR;
    fts5_tokenizer tokenizer = {mlCreate, mlDelete, mlTokenize};
    return api->xCreateTokenizer(api, "blogsearch", api, &tokenizer, 0);
}

int blogsearch_language_known(const char *tag) {
    return languageOf(tag) != 0;
}
