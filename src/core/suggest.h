/* suggest.h - "did you mean": the closest of a list of known words to a
 * word the user typed (a command, a flag, a rule id, a config key).
 *
 * Distance is optimal string alignment (Damerau-Levenshtein with adjacent
 * transpositions), compared case-insensitively.  A word is close enough
 * when the distance is at most a third of its length (at least 1, at most
 * 3), or when it is a prefix of the candidate of at least three characters
 * ("update" -> "update-db").  Ties go to the earlier candidate.
 */
#ifndef VG_SUGGEST_H
#define VG_SUGGEST_H

#include <stddef.h>

/* Edit distance of a and b, case-insensitive; words longer than 64 bytes
 * compare as SIZE_MAX (never close). */
size_t suggest_distance(const char *a, const char *b);

/* The closest of cands[0..n) to word, or NULL when none is close enough. */
const char *suggest_best(const char *word, const char *const *cands, size_t n);

/* The same over a NULL-terminated array of structs whose first member is
 * the candidate name (an option table, a command table): stride is the
 * size of one element. */
const char *suggest_best_in(const char *word, const void *table, size_t stride);

#endif
