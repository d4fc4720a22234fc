/*
** The scripts the multilingual tokenizer cannot cut at spaces and punctuation, as unicode61 does: a run of Han,
** Hiragana, Katakana, Thai, Lao, Khmer or Myanmar is one unicode61 token however many words it holds, and a
** Korean word carries its particle (텍스트를: 텍스트 + 를). multilingual.c hands a text holding such runs here.
**
** - Han, Kana, Thai, Lao, Khmer, Myanmar: ICU's word break (dictionary based), whatever the text's language,
**   so an English post quoting a Chinese phrase and a Japanese post alike give its words.
** - Hangul: overlapping character bigrams of the run (a run of one syllable is its own token), so a noun typed
**   without its particle is a phrase of bigrams inside the word's; or (ML_KOREAN_PARTICLES) the run, plus the
**   run without a common particle at its end as a colocated token.
** - Everything between those runs (other scripts, spaces, punctuation, Latin letters glued to a run) goes back
**   to the caller, which tokenizes it as the text's language.
** Offsets are byte offsets into the caller's text; Hangul bigrams overlap by one character.
*/
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unicode/ubrk.h>
#include <unicode/uscript.h>
#include <unicode/utext.h>
#include <unicode/utf8.h>
#include "fts5api.h"
#include "multilingual.h"

struct MlSegmenter {
    int korean, han;
    UBreakIterator *brk;        /* opened on first use, for `locale` */
    char locale[16];
};

MlSegmenter *ml_segmenter_new(int korean, int han) {
    MlSegmenter *s = (MlSegmenter *)sqlite3_malloc(sizeof(MlSegmenter));
    if (!s) return 0;
    memset(s, 0, sizeof(*s));
    s->korean = korean;
    s->han = han;
    return s;
}

void ml_segmenter_free(MlSegmenter *s) {
    if (!s) return;
    if (s->brk) ubrk_close(s->brk);
    sqlite3_free(s);
}

/* Character classes of a span. */
enum { CLASS_OTHER = 0, CLASS_HANGUL = 1, CLASS_BREAK = 2 };

static int isHangul(UChar32 c) {
    return (c >= 0xAC00 && c <= 0xD7A3) || (c >= 0x1100 && c <= 0x11FF) || (c >= 0x3130 && c <= 0x318F)
        || (c >= 0xA960 && c <= 0xA97F) || (c >= 0xD7B0 && c <= 0xD7FF);
}

static int classOf(UChar32 c) {
    if (c < 0x0E00) return CLASS_OTHER;     /* Latin, Greek, Cyrillic, Arabic, Indic …: unicode61's tokens */
    if (c >= 0x2000 && c < 0x2E80) return CLASS_OTHER;  /* punctuation, symbols, arrows, dingbats: no script cut */
    if (isHangul(c)) return CLASS_HANGUL;
    UErrorCode err = U_ZERO_ERROR;
    UScriptCode script = uscript_getScript(c, &err);
    if (U_FAILURE(err)) return CLASS_OTHER;
    switch (script) {
    case USCRIPT_HAN: case USCRIPT_HIRAGANA: case USCRIPT_KATAKANA: case USCRIPT_THAI: case USCRIPT_LAO:
    case USCRIPT_KHMER: case USCRIPT_MYANMAR:
        return CLASS_BREAK;
    case USCRIPT_COMMON:
        /* ー (U+30FC), ｰ and the halfwidth voiced sound marks: Common, but part of a Kana word. */
        if (c == 0x30FC || c == 0xFF70 || c == 0xFF9E || c == 0xFF9F) return CLASS_BREAK;
        return CLASS_OTHER;
    case USCRIPT_INHERITED:
        return -1;      /* a combining mark: the class of the character it follows */
    default:
        return CLASS_OTHER;
    }
}

int ml_span_needs_segmenting(const char *text, int start, int end) {
    /* Every character classOf cuts is U+0E00 or above: three or four UTF-8 bytes, the first 0xE0 or more. Only
    ** those are decoded, and ASCII is skipped eight bytes at a time, so English text costs little more than a
    ** read (2 MB of English, Benchmarks/multilingual/tokenizer_speed.c: 21.5M tokens/s, porter alone 21.5-22.4M). */
    const unsigned char *p = (const unsigned char *)text;
    for (int i = start; i < end; i++) {
        while (i + 8 <= end) {
            uint64_t word;
            memcpy(&word, p + i, 8);
            if (word & 0x8080808080808080ULL) break;
            i += 8;
        }
        if (i >= end) break;
        if (p[i] < 0xE0) continue;
        int next = i;
        UChar32 c;
        U8_NEXT(p, next, end, c);
        if (classOf(c) > 0) return 1;
        i = next - 1;
    }
    return 0;
}

/* One token made of bytes [start, end) of the text, as written. */
static int emit(const char *text, int start, int end, void *ctx, MlTokenFn xToken) {
    return xToken(ctx, 0, text + start, end - start, start, end);
}

/* Particles (josa) that follow a Korean noun, longest first, tried at the end of a Hangul run. */
static const char *const koreanParticles[] = {
    "에서는", "에게서", "으로는", "으로써", "으로서", "이라는", "에서", "에게", "한테", "으로", "까지", "부터", "보다",
    "처럼", "마다", "이나", "이랑", "하고", "께서", "에는", "에도", "와", "과", "을", "를", "이", "가", "은", "는",
    "의", "에", "로", "도", "만", "랑", 0
};

static int hangulRun(MlSegmenter *s, const char *text, int start, int end, void *ctx, MlTokenFn xToken) {
    const unsigned char *p = (const unsigned char *)text;
    if (s->korean == ML_KOREAN_PARTICLES) {
        int rc = emit(text, start, end, ctx, xToken);
        for (int k = 0; rc == SQLITE_OK && koreanParticles[k]; k++) {
            int n = (int)strlen(koreanParticles[k]);
            /* The noun left must be two syllables or more (6 bytes): 아이 is not 아 + 이. */
            if (end - start - n >= 6 && memcmp(text + end - n, koreanParticles[k], n) == 0) {
                rc = xToken(ctx, FTS5_TOKEN_COLOCATED, text + start, end - start - n, start, end);
                break;
            }
        }
        return rc;
    }
    /* Bigrams: character i and i + 1 for each i; a lone syllable is its own token. */
    int a = start, b = start;
    UChar32 c;
    U8_NEXT(p, b, end, c);
    if (b >= end) return emit(text, start, end, ctx, xToken);
    while (b < end) {
        int e = b;
        U8_NEXT(p, e, end, c);
        int rc = emit(text, a, e, ctx, xToken);
        if (rc != SQLITE_OK) return rc;
        a = b;
        b = e;
    }
    return SQLITE_OK;
}

static int breakRun(MlSegmenter *s, const char *locale, const char *text, int start, int end, int flags, void *ctx,
                    MlTokenFn xToken, void *call, MlOtherFn other) {
    UErrorCode err = U_ZERO_ERROR;
    if (!s->brk || strcmp(s->locale, locale) != 0) {
        if (s->brk) ubrk_close(s->brk);
        s->brk = ubrk_open(UBRK_WORD, locale, 0, 0, &err);
        if (U_FAILURE(err)) { s->brk = 0; return SQLITE_ERROR; }
        strncpy(s->locale, locale, sizeof(s->locale) - 1);
        s->locale[sizeof(s->locale) - 1] = 0;
    }
    UText ut = UTEXT_INITIALIZER;
    utext_openUTF8(&ut, text + start, end - start, &err);
    ubrk_setUText(s->brk, &ut, &err);
    if (U_FAILURE(err)) { utext_close(&ut); return SQLITE_ERROR; }
    int rc = SQLITE_OK;
    const unsigned char *p = (const unsigned char *)text;
    /* With UTF-8 UText, ICU's boundaries are byte offsets into the run. */
    for (int32_t a = ubrk_first(s->brk), b = ubrk_next(s->brk); rc == SQLITE_OK && b != UBRK_DONE; a = b, b = ubrk_next(s->brk)) {
        int32_t status = ubrk_getRuleStatus(s->brk);
        if (status >= UBRK_WORD_NONE && status < UBRK_WORD_NONE_LIMIT) continue;
        int ws = start + a, we = start + b;
        if (!ml_span_needs_segmenting(text, ws, we)) { rc = other(call, ws, we); continue; }
        rc = emit(text, ws, we, ctx, xToken);
        if (rc != SQLITE_OK || s->han != ML_HAN_BIGRAMS || (flags & FTS5_TOKENIZE_QUERY)) continue;
        /* Bigrams of a Chinese or Japanese word of three characters or more, at its position: a shorter word
        ** typed alone is found inside it. */
        int i = ws, count = 0, cjk = 1;
        UChar32 c;
        while (i < we && cjk) {
            U8_NEXT(p, i, we, c);
            UErrorCode e = U_ZERO_ERROR;
            UScriptCode script = uscript_getScript(c, &e);
            cjk = script == USCRIPT_HAN || script == USCRIPT_HIRAGANA || script == USCRIPT_KATAKANA || c == 0x30FC;
            count++;
        }
        if (!cjk || count < 3) continue;
        int x = ws, y = ws;
        U8_NEXT(p, y, we, c);
        while (rc == SQLITE_OK && y < we) {
            int z = y;
            U8_NEXT(p, z, we, c);
            rc = xToken(ctx, FTS5_TOKEN_COLOCATED, text + x, z - x, ws, we);
            x = y;
            y = z;
        }
    }
    utext_close(&ut);
    return rc;
}

int ml_segment_span(MlSegmenter *s, const char *locale, const char *text, int start, int end,
                    int flags, void *ctx, MlTokenFn xToken, void *call, MlOtherFn other) {
    const unsigned char *p = (const unsigned char *)text;
    int rc = SQLITE_OK;
    int i = start, runStart = start, runClass = -2;
    while (rc == SQLITE_OK && i <= end) {
        int at = i, cls = -3;
        if (i < end) {
            UChar32 c;
            U8_NEXT(p, i, end, c);
            cls = classOf(c);
            if (cls == -1) cls = runClass == -2 ? CLASS_OTHER : runClass;
        } else {
            i = end + 1;
        }
        if (cls == runClass) continue;
        if (runClass >= 0 && at > runStart) {
            if (runClass == CLASS_HANGUL) rc = hangulRun(s, text, runStart, at, ctx, xToken);
            else if (runClass == CLASS_BREAK) rc = breakRun(s, locale, text, runStart, at, flags, ctx, xToken, call, other);
            else rc = other(call, runStart, at);
        }
        runStart = at;
        runClass = cls;
    }
    return rc;
}
