/*
** The arithmetic of BM25F with the proximity bonus, shared by the FTS5 rank function (bm25f.c) and the top-k
** evaluator over blogsearch's own postings (topk.c, postings.h). Both must give the same double for the same row, to the
** last bit, so that the two read paths rank identically: every operation of the formula is written once, here.
*/
#ifndef BLOGSEARCH_BM25F_MATH_H
#define BLOGSEARCH_BM25F_MATH_H
#include <math.h>

/* Lucene's idf: N rows, n of them containing the phrase. */
static inline double bs_idf(double N, double n) {
    return log(1.0 + (N - n + 0.5) / (n + 0.5));
}

/* The column's length normalisation; 1 when the formula would not be positive. */
static inline double bs_norm(double b, double len, double avgLen) {
    double norm = 1.0 - b + b * len / avgLen;
    return norm <= 0.0 ? 1.0 : norm;
}

/* One column's share of the pseudo term frequency tf~. */
static inline double bs_tf_part(double weight, int n, double norm) {
    return weight * (double)n / norm;
}

/* The BM25 saturation of tf~, times idf: a phrase's score in a row. */
static inline double bs_term_score(double idf, double tf, double k1) {
    return idf * tf * (k1 + 1.0) / (k1 + tf);
}

/* The proximity bonus of a phrase with accumulated closeness `acc`. */
static inline double bs_proximity_score(double proximity, double idf, double acc, double k1) {
    return proximity * (idf < 1.0 ? idf : 1.0) * acc * (k1 + 1.0) / (k1 + acc);
}

/* Closeness of two instances d tokens apart (1 <= d <= BS_PROXIMITY_WINDOW). */
#define BS_PROXIMITY_WINDOW 5
static inline double bs_closeness(int d) {
    return 1.0 / ((double)d * (double)d);
}
#endif
