/* names.h - the popular package names compiled into the binary
 * (data/pypi-names.txt, data/npm-names.txt; see scripts/gen-names.py),
 * and the typosquat signals of DESIGN §6 against them.
 *
 * names_get loads both lists once (thread-safe) and returns a read-only
 * table shared by every worker for the life of the process.
 */
#ifndef VG_NAMES_H
#define VG_NAMES_H

#include <stddef.h>

typedef struct names names;

typedef enum name_eco { NAMES_PYPI = 0, NAMES_NPM = 1 } name_eco;

const names *names_get(void);
void names_release(void);                 /* frees the table (tests, leak checks) */

/* 1-based popularity rank of a normalised name, 0 when not listed. */
size_t names_rank(const names *t, name_eco eco, const char *norm);
size_t names_count(const names *t, name_eco eco);
/* For a listed name one edit from a far more downloaded one: that one. */
const char *names_shadow(const names *t, name_eco eco, const char *norm);

typedef struct typo_hit {
    const char *target;      /* the popular name imitated (static storage) */
    char how[160];           /* e.g. "two letters swapped ('eu' for 'ue')" */
    int strong;              /* 1: look-alike or swap, 0: other edits */
    int distance;            /* edit distance, 0 for the structural signals */
    int listed;              /* the name is itself popular, but far less than target */
} typo_hit;

/* Is `norm` (normalised) a likely typosquat of a popular name?  A listed
 * name only when it is one edit from a far more downloaded one
 * (hit->listed).  1 with *hit filled, else 0.  `near` (optional) is set
 * when some listed name is within edit distance 2 (even if not reported). */
int typosquat_check(const names *t, name_eco eco, const char *norm, typo_hit *hit, int *near);
/* strong_only: only look-alike characters and swapped letters (cheaper; for
 * lockfiles, whose entries nobody typed). */
int typosquat_check_ex(const names *t, name_eco eco, const char *norm, int strong_only,
                       typo_hit *hit, int *near);

/* Damerau-Levenshtein (optimal string alignment) distance, capped: returns
 * max+1 as soon as the distance exceeds max. */
int names_distance(const char *a, size_t an, const char *b, size_t bn, int max);

#endif
