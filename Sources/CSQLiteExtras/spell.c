#include "include/spell.h"
#include <string.h>

#define COLUMNS (BS_SPELL_MAX_WORD + 1)

/// Compares the first `depth` scalars of word `i` with `prefix`: <0, 0 or >0 (a shorter word sorts first).
static int compare_prefix(const uint32_t *chars, const int32_t *starts, int32_t i, const uint32_t *prefix, int32_t depth) {
    int32_t length = starts[i + 1] - starts[i];
    const uint32_t *w = chars + starts[i];
    for (int32_t k = 0; k < depth; k++) {
        if (k == length) return -1;
        if (w[k] != prefix[k]) return w[k] < prefix[k] ? -1 : 1;
    }
    return 0;
}

/// The first word after `from` that does not start with `prefix` (`depth` scalars): words starting with it
/// are contiguous in a sorted vocabulary.
static int32_t skip_prefix(const uint32_t *chars, const int32_t *starts, int32_t count, int32_t from,
                           const uint32_t *prefix, int32_t depth) {
    int32_t low = from + 1, high = count;
    while (low < high) {
        int32_t mid = low + (high - low) / 2;
        if (compare_prefix(chars, starts, mid, prefix, depth) == 0) low = mid + 1; else high = mid;
    }
    return low;
}

int32_t bs_spell_search(const uint32_t *chars, const int32_t *starts, int32_t count,
                        const uint32_t *query, int32_t query_length, int32_t max_distance,
                        bs_spell_match *out, int32_t capacity) {
    if (query_length <= 0 || query_length > BS_SPELL_MAX_WORD || max_distance < 0) return 0;
    // rows[d][j]: distance between the word's first d scalars and the query's first j.
    int32_t rows[COLUMNS][COLUMNS];
    uint32_t path[COLUMNS];
    for (int32_t j = 0; j <= query_length; j++) rows[0][j] = j;
    const int32_t far = max_distance + 2;
    int32_t valid = 0; /* rows[0 ... valid] hold the prefix `path[0 ..< valid]` */
    int32_t found = 0;
    int32_t i = 0;
    while (i < count) {
        const uint32_t *w = chars + starts[i];
        int32_t length = starts[i + 1] - starts[i];
        if (length > BS_SPELL_MAX_WORD) { i++; continue; }
        /* Meilisearch's rule for words allowed two typos: one on the first character counts as two, so under
           another first letter only one edit is left. (Words allowed one typo may have it anywhere.) */
        int32_t limit = (length > 0 && (w[0] == query[0] || max_distance < 2)) ? max_distance : max_distance - 1;
        if (length == 0) { i++; continue; }
        if (limit < 0) {
            path[0] = w[0];
            valid = 0;   /* path[0] changed: only the empty prefix's row still holds */
            i = skip_prefix(chars, starts, count, i, path, 1);
            continue;
        }
        int32_t depth = 0;
        while (depth < valid && depth < length && path[depth] == w[depth]) depth++;
        int32_t pruned = -1;
        for (int32_t d = depth + 1; d <= length; d++) {
            uint32_t c = w[d - 1];
            path[d - 1] = c;
            int32_t *row = rows[d], *above = rows[d - 1];
            row[0] = d;
            int32_t smallest = d;
            /* Only cells within `max_distance` of the diagonal can hold a value within it (Ukkonen's band);
               the cells just outside are set too large, so the next rows read them as such. Every row of a
               search has the same band, so rows kept for a shared prefix stay right. */
            int32_t lo = d - max_distance > 1 ? d - max_distance : 1;
            int32_t hi = d + max_distance < query_length ? d + max_distance : query_length;
            if (lo > 1) row[lo - 1] = far;
            if (hi < query_length) row[hi + 1] = far;
            for (int32_t j = lo; j <= hi; j++) {
                int32_t best = above[j - 1] + (c != query[j - 1]);
                if (above[j] + 1 < best) best = above[j] + 1;
                if (row[j - 1] + 1 < best) best = row[j - 1] + 1;
                if (d > 1 && j > 1 && c == query[j - 2] && path[d - 2] == query[j - 1] && rows[d - 2][j - 2] + 1 < best)
                    best = rows[d - 2][j - 2] + 1;
                row[j] = best;
                if (best < smallest) smallest = best;
            }
            valid = d;
            if (smallest > limit) { pruned = d; break; }
        }
        if (pruned >= 0) {
            // No word starting with these `pruned` scalars can come within the distance (a row's minimum never
            // falls as the word grows, transpositions included: see ARCHITECTURE.md).
            i = skip_prefix(chars, starts, count, i, path, pruned);
            continue;
        }
        valid = length;
        /* The last cell is in the row's band only when the lengths are within the distance. */
        int32_t gap = length > query_length ? length - query_length : query_length - length;
        if (gap <= max_distance && rows[length][query_length] <= limit) {
            if (found < capacity) {
                out[found].word = i;
                out[found].distance = rows[length][query_length] + (limit < max_distance);
            }
            found++;
        }
        i++;
    }
    return found;
}
