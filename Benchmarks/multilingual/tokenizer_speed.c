/* Tokens per second of FTS5's `porter unicode61 remove_diacritics 2` and of blogsearch's multilingual tokenizer,
** over one text file, with its language's marker for the latter. Build from the package root:
**   gcc -O2 -ISources/CSQLiteExtras/include -ISources/CSQLiteExtras Sources/CSQLiteExtras/*.c \
**       Benchmarks/multilingual/tokenizer_speed.c -o /tmp/tokenizer-speed -lsqlite3 -lstemmer -licuuc -lm
**   /tmp/tokenizer-speed FILE LANG
** Prints tokens, MB/s and tokens/s, best of 20 passes, per tokenizer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "CSQLiteExtras.h"

static void count(void *context, const char *token, int length, int start, int end) {
    (void)token; (void)length; (void)start; (void)end;
    (*(long *)context)++;
}

static double now(void) {
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return t.tv_sec + t.tv_nsec / 1e9;
}

static void run(sqlite3 *db, const char **argv, int argc, const char *text, int n, const char *label) {
    BlogsearchTokenizer *t = 0;
    if (blogsearch_tokenizer_open(db, argv, argc, &t) != SQLITE_OK) { fprintf(stderr, "cannot open %s\n", label); exit(1); }
    double best = 1e9;
    long tokens = 0;
    for (int pass = 0; pass < 20; pass++) {
        tokens = 0;
        double t0 = now();
        /* One call per 4 KB paragraph-sized piece, as a builder calls it per post column. */
        for (int at = 0; at < n; at += 4096) blogsearch_tokenize(t, text + at, n - at < 4096 ? n - at : 4096, &tokens, count);
        double dt = now() - t0;
        if (dt < best) best = dt;
    }
    printf("%-40s %9ld tokens %7.1f MB/s %10.0f tokens/s\n", label, tokens, n / best / 1e6, tokens / best);
    blogsearch_tokenizer_close(t);
}

int main(int argc, char **argv) {
    if (argc < 3) { fprintf(stderr, "usage: tokenizer-speed FILE LANG\n"); return 2; }
    FILE *f = fopen(argv[1], "rb");
    if (!f) { perror(argv[1]); return 1; }
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    /* Each 4 KB piece gets the marker, so the text is copied with a marker before every piece. */
    char marker[32];
    int m = snprintf(marker, sizeof(marker), "\x01%s\x02", argv[2]);
    char *raw = malloc(n), *marked = malloc(n + (n / 4096 + 1) * 4096);
    if (fread(raw, 1, n, f) != (size_t)n) return 1;
    fclose(f);
    sqlite3 *db;
    sqlite3_open(":memory:", &db);
    if (blogsearch_register_functions(db) != SQLITE_OK) { fprintf(stderr, "no FTS5\n"); return 1; }
    const char *porter[] = {"porter", "unicode61", "remove_diacritics", "2"};
    const char *multilingual[] = {"blogsearch"};
    run(db, porter, 4, raw, (int)n, "porter unicode61 remove_diacritics 2");
    run(db, multilingual, 1, raw, (int)n, "blogsearch, no marker");
    /* Marked: pieces of 4096 - m bytes of text after a marker. */
    int piece = 4096 - m, mn = 0;
    for (long at = 0; at < n; at += piece) {
        int k = n - at < piece ? (int)(n - at) : piece;
        memcpy(marked + mn, marker, m);
        memcpy(marked + mn + m, raw + at, k);
        mn += m + k;
        if (k < piece) memset(marked + mn, ' ', 4096 - m - k), mn += 4096 - m - k;
    }
    char label[64];
    snprintf(label, sizeof(label), "blogsearch, marked %s", argv[2]);
    run(db, multilingual, 1, marked, mn, label);
    return 0;
}
