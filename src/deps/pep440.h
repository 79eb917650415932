/* pep440.h - Python package versions (PEP 440): parsing, ordering and
 * specifier matching.
 *
 * A version that is not valid PEP 440 ("2013-01-21T20:33:09", "0.4m2") is
 * kept as a *legacy* version, ordered like packaging's LegacyVersion: before
 * every valid version, and among legacy versions by setuptools' old key.
 * Nothing here allocates; a pep440_ver refers to no outside memory.
 */
#ifndef VG_PEP440_H
#define VG_PEP440_H

#include <stddef.h>
#include <stdint.h>

#include "../core/limits.h"

typedef struct pep440_ver {
    int legacy;                  /* not PEP 440: ordered before every valid version */
    uint64_t epoch;
    uint64_t rel[PEP440_MAX_REL];
    int nrel;
    int pre_kind;                /* -1 none, 0 a, 1 b, 2 rc */
    uint64_t pre;
    int has_post, has_dev;
    uint64_t post, dev;
    char local[PEP440_MAX_TEXT]; /* lower-case, '.'-separated; "" when absent */
    char text[PEP440_MAX_TEXT];  /* lower-case source text (legacy ordering, ===) */
} pep440_ver;

/* Parse `s` (n bytes; leading/trailing blanks ignored).  Returns 0 for a
 * valid PEP 440 version, 1 for a legacy one (still ordered), -1 when the
 * text is empty or too long to hold. */
int pep440_parse(const char *s, size_t n, pep440_ver *v);

/* <0, 0, >0 like strcmp. */
int pep440_cmp(const pep440_ver *a, const pep440_ver *b);
/* Convenience: compare two strings (unparseable text orders as legacy). */
int pep440_cmp_str(const char *a, const char *b);

/* Does `version` satisfy the specifier set `spec` (e.g. ">=1.0,!=1.3.*,<2")?
 * An empty spec matches everything.  Returns 1 or 0, or -1 when the spec
 * is malformed.  Pre-releases are matched like any other version (we ask
 * "is this pinned version inside the range", not "would pip pick it"). */
int pep440_spec_match(const char *spec, const char *version);

/* Is the version a pre-release or dev release? */
int pep440_is_prerelease(const pep440_ver *v);

#endif
