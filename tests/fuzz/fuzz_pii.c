/* fuzz_pii.c - libFuzzer target for the PII recognizers, in the scan's
 * profile and in Presidio's (its tokenizer and context rule included):
 * any bytes give sorted, in-bounds, non-empty spans with scores in [0, 1],
 * the very spans confirming one scan of every pattern over the whole input
 * gives (the digit gate keeps every match); never a crash, a hang or a
 * leak. */
#include "text/pii.h"
#include "text/scan.h"

#include <stdint.h>
#include <stdlib.h>

static pii *P, *Q;
static scan_db *WP, *WQ;         /* every pattern of P, of Q: the whole-input scan */
static scan_scratch *SP, *SQ;

static void check(pii *e, scan_db *whole, scan_scratch *sc, const uint8_t *data, size_t size)
{
    pii_match *m = NULL, *w = NULL;
    size_t n = 0, nw = 0, nh;
    if (pii_find(e, data, size, &m, &n)) abort();
    for (size_t i = 0; i < n; i++) {
        if (m[i].start >= m[i].end || m[i].end > size) abort();
        if (m[i].score < 0 || m[i].score > 1) abort();
        if (i && m[i].start < m[i - 1].start) abort();
        if ((unsigned)m[i].entity >= PII_NENTITIES) abort();
    }
    scan_hits h = {0};
    if (scan_buffer(whole, sc, data, size, &h)) abort();
    const scan_hit *hv = scan_hits_family(&h, SCAN_FAM_PII, &nh);
    if (pii_confirm(e, data, size, hv, nh, &w, &nw)) abort();
    /* past SCAN_MAX_HITS the two scans drop different hits */
    if (!h.truncated && nw != n) abort();
    for (size_t i = 0; i < n && !h.truncated; i++)
        if (w[i].entity != m[i].entity || w[i].start != m[i].start || w[i].end != m[i].end ||
            w[i].score != m[i].score)
            abort();
    scan_hits_free(&h);
    free(w);
    free(m);
}

static void whole(const pii *e, scan_db **db, scan_scratch **sc, diag_list *d)
{
    *db = scan_db_new();
    if (pii_add_patterns(e, *db, d) || scan_db_compile(*db, NULL, d)) abort();
    if (!(*sc = scan_scratch_new(*db))) abort();
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
    whole(P, &WP, &SP, &d);
    whole(Q, &WQ, &SQ, &d);
    diag_free(&d);
    return 0;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    check(P, WP, SP, data, size);
    check(Q, WQ, SQ, data, size);
    return 0;
}
