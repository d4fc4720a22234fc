#ifndef CSQLITE_EXTRAS_SPELL_H
#define CSQLITE_EXTRAS_SPELL_H
#include <stdint.h>

/// A word of the vocabulary within the distance asked for.
typedef struct {
    int32_t word;
    int32_t distance;
} bs_spell_match;

/// The longest word (in Unicode scalars) `bs_spell_search` looks at; longer words are never candidates.
#define BS_SPELL_MAX_WORD 48

/// Every word of a sorted vocabulary within `max_distance` edits of `query` (optimal string alignment:
/// insertions, deletions, substitutions and transpositions of neighbours, each one edit). With two edits
/// allowed, a word whose first character differs from the query's costs one edit more (Meilisearch's rule: a
/// typo on the first character counts as two); the distance reported includes it.
///
/// The vocabulary is `count` words of Unicode scalars, word i being `chars[starts[i] ..< starts[i + 1]]`,
/// sorted lexicographically by scalar. The walk shares the edit-distance rows of common prefixes (a trie walk
/// over the sorted array) and skips, by binary search, every word under a prefix already too far from the
/// query. Writes up to `capacity` matches in vocabulary order; returns how many there were (which may exceed
/// `capacity`: only the first `capacity` were written).
int32_t bs_spell_search(const uint32_t *chars, const int32_t *starts, int32_t count,
                        const uint32_t *query, int32_t query_length, int32_t max_distance,
                        bs_spell_match *out, int32_t capacity);
#endif
