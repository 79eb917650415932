/* fuzz_pii.c - libFuzzer target for the PII recognizers, in the scan's
 * profile and in Presidio's (its tokenizer and context rule included):
 * any bytes give sorted, in-bounds, non-empty spans with scores in [0, 1];
 * never a crash, a hang or a leak. */
#include "text/pii.h"

#include <stdint.h>
#include <stdlib.h>

static pii *P, *Q;

static void check(pii *e, const uint8_t *data, size_t size)
{
    pii_match *m = NULL;
    size_t n = 0;
    if (pii_find(e, data, size, &m, &n)) abort();
    for (size_t i = 0; i < n; i++) {
        if (m[i].start >= m[i].end || m[i].end > size) abort();
        if (m[i].score < 0 || m[i].score > 1) abort();
        if (i && m[i].start < m[i - 1].start) abort();
        if ((unsigned)m[i].entity >= PII_NENTITIES) abort();
    }
    free(m);
}

/* Both recognizer sets are compiled once, before the first input: the two
 * Hyperscan compiles take seconds under the sanitizers, and libFuzzer's
 * per-input timeout must not count them. */
int LLVMFuzzerInitialize(int *argc, char ***argv)
{
    (void)argc, (void)argv;
    diag_list d = {0};
    if (pii_open(PII_ALL_PUBLIC | PII_INFRA_MASK, 0.0, PII_OPEN_OWN_DB, &P, &d)) abort();
    if (pii_open(PII_ALL_PUBLIC, 0.0, PII_OPEN_OWN_DB | PII_OPEN_PRESIDIO, &Q, &d)) abort();
    diag_free(&d);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check(P, data, size);
    check(Q, data, size);
    return 0;
}
