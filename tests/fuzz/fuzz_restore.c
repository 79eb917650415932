/* fuzz_restore.c - libFuzzer target for redact and restore: restoring a
 * redaction of any input gives the input back byte for byte (placeholder
 * text already in the input becomes a <LITERAL_N> placeholder; only a
 * shape-style value's replacement, "XXXXX XXXXXX", may be read back as
 * that value), and restore of any bytes against a small map never crashes.
 * The map starts from the same two entries for every input: one kept
 * across inputs grows values whose shapes a later input can hold, and the
 * round-trip check would then fail on what an earlier input left. */
#include "redact/placeholder.h"
#include "redact/redact.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static redactor *R;
static ph_map *M;  /* borrowed by R: reset by swapping in a fresh map */

static ph_map *seed_map(void)
{
    ph_map *m = ph_map_new();
    const ph_entry *e;
    ph_map_get(m, "EMAIL_ADDRESS", (const unsigned char *)"a@acme.io", 9, PH_PLACEHOLDER, &e);
    ph_map_get(m, "PERSON", (const unsigned char *)"Maria Garcia", 12, PH_SHAPE, &e);
    return m;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!R) {
        diag_list d = {0};
        redact_opts o = {.style = PH_PLACEHOLDER, .threshold = 0.0};
        M = ph_map_new();
        if (redactor_new(&o, NULL, M, &R, &d)) abort();
        diag_free(&d);
    }
    ph_map *fresh = seed_map();
    ph_map_swap(M, fresh);   /* M holds the seed; fresh the last input's map */
    ph_map_free(fresh);
    buf red, back;
    buf_init(&red, 0);
    buf_init(&back, 0);
    if (redact_block(R, data, size, &red)) abort();
    restore_stats st = {0};
    restore_buffer(M, (const unsigned char *)red.data, red.len, &back, &st);
    int plain = !memmem(data, size, "XXXXX XXXXXX", 12);
    if (plain && (back.len != size || memcmp(back.data, data, size))) abort();
    restore_stats_free(&st);
    buf_clear(&back);
    restore_buffer(M, data, size, &back, &st);
    restore_stats_free(&st);
    buf_free(&red);
    buf_free(&back);
    return 0;
}
