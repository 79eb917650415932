/* fuzz_pep440.c - libFuzzer target for version parsing, ordering and
 * ranges (PEP 440 and SemVer/npm): the input is split at the first NUL or
 * newline into a version and a specifier/range.  Ordering must be
 * antisymmetric; nothing may crash. */
#include "deps/pep440.h"
#include "deps/semver.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    char *s = malloc(size + 1);
    memcpy(s, data, size);
    s[size] = 0;
    char *spec = s + strcspn(s, "\n");
    if (*spec) *spec++ = 0;
    char *b = spec + strcspn(spec, "\n");
    if (*b) *b++ = 0;
    if (pep440_cmp_str(s, b) != -pep440_cmp_str(b, s)) abort();
    if (semver_cmp_str(s, b) != -semver_cmp_str(b, s)) abort();
    (void)pep440_spec_match(spec, s);
    (void)semver_range_match(spec, s);
    pep440_ver v;
    if (pep440_parse(s, strlen(s), &v) >= 0 && pep440_cmp(&v, &v) != 0) abort();
    free(s);
    return 0;
}
