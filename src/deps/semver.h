/* semver.h - SemVer 2.0 versions (npm and the OSV SEMVER range type) and
 * npm ranges (^, ~, x-ranges, ||, hyphen ranges, comparators).
 *
 * Parsing is lenient the way package tooling is: a leading 'v' or '=' is
 * dropped, missing minor/patch count as 0, numbers of any size compare
 * exactly (kept as digit strings), components past the third are build
 * metadata, and build metadata never takes part in ordering.  Nothing here
 * allocates.
 */
#ifndef VG_SEMVER_H
#define VG_SEMVER_H

#include <stddef.h>

#include "../core/limits.h"

typedef struct semver_ver {
    char num[3][SEMVER_NUM];  /* major, minor, patch: digits, no leading zeros */
    char pre[SEMVER_PRE];     /* pre-release identifiers, '.'-separated; "" none */
} semver_ver;

/* 0 on success, -1 when `s` (n bytes) is not a version. */
int semver_parse(const char *s, size_t n, semver_ver *v);
int semver_cmp(const semver_ver *a, const semver_ver *b);
/* Compare two strings; unparseable text orders before any version. */
int semver_cmp_str(const char *a, const char *b);

/* Does `version` satisfy the npm range `range`?  1 or 0; -1 when the range
 * or version is malformed.  Pre-releases match like any version. */
int semver_range_match(const char *range, const char *version);

#endif
