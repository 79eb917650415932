/* fuzz_scan_trim.c - libFuzzer target for scan_trim, which reads every
 * secret rule's regex (a user's --secrets-config too) to cut what
 * Hyperscan need not find: any string gives a string no longer than it,
 * never a read past its end; a regex PCRE2 compiles still compiles cut. */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "text/scan.h"

#include <pcre2.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 4096) return 0;
    char *in = malloc(size + 1), *out = malloc(size + 1);
    if (!in || !out) abort();
    memcpy(in, data, size);
    in[size] = 0;
    size_t n = strlen(in);
    memcpy(out, in, n + 1);
    scan_trim(out);
    if (strlen(out) > n) abort();
    int err;
    PCRE2_SIZE off;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)in, n, 0, &err, &off, NULL);
    if (re) {
        pcre2_code_free(re);
        re = pcre2_compile((PCRE2_SPTR)out, PCRE2_ZERO_TERMINATED, 0, &err, &off, NULL);
        if (!re) abort(); /* a valid pattern cut into an invalid one */
        pcre2_code_free(re);
    }
    free(in);
    free(out);
    return 0;
}
