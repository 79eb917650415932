/* fuzz_redact_stream.c - libFuzzer target for redact's streaming: the
 * input, copied until the stream spans several blocks (each copy rotated
 * by its number, so block cuts fall somewhere new, and most copies end a
 * line), goes through redact_stream with one thread and with three.  The
 * two outputs must be the same bytes (the workers find blocks in any
 * order; numbering is in input order) and restoring them gives the stream
 * back, whatever the input does to block cutting: lines longer than a
 * read, a PEM BEGIN with no END, a line end at a block's last byte.
 * Each redactor keeps its map across inputs, reset to empty for each. */
#include "redact/placeholder.h"
#include "redact/redact.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define STREAM_MAX (320u << 10)

static redactor *R1, *R3;
static ph_map *M1, *M3;   /* borrowed by R1, R3: emptied by swapping in a new map */

static redactor *make(int jobs, ph_map **m)
{
    diag_list d = {0};
    redact_opts o = {.style = PH_PLACEHOLDER, .threshold = 0.0, .jobs = jobs};
    redactor *r;
    *m = ph_map_new();
    if (redactor_new(&o, NULL, *m, &r, &d)) abort();
    diag_free(&d);
    return r;
}

static void empty(ph_map *m)
{
    ph_map *fresh = ph_map_new();
    ph_map_swap(m, fresh);
    ph_map_free(fresh);
}

/* redact_stream of s[0..n) into a malloc'd *out of *outn bytes. */
static void run(redactor *r, const char *s, size_t n, char **out, size_t *outn)
{
    FILE *in = fmemopen((void *)s, n, "rb");
    FILE *o = open_memstream(out, outn);
    if (!in || !o) abort();
    diag_list d = {0};
    if (redact_stream(r, in, o, &d)) abort();
    diag_free(&d);
    fclose(in);
    fclose(o);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!size) return 0;
    if (!R1) {
        R1 = make(1, &M1);
        R3 = make(3, &M3);
    }
    empty(M1);
    empty(M3);
    char *s = malloc(STREAM_MAX + size + 1);
    size_t n = 0;
    for (size_t i = 0; n < (200u << 10) && n + size + 1 <= STREAM_MAX; i++) {
        size_t k = i % size;
        memcpy(s + n, data + k, size - k);
        memcpy(s + n + size - k, data, k);
        n += size;
        if (i % 4 != 3) s[n++] = '\n';
    }
    char *a = NULL, *b = NULL;
    size_t an = 0, bn = 0;
    run(R1, s, n, &a, &an);
    run(R3, s, n, &b, &bn);
    if (an != bn || memcmp(a, b, an)) abort();
    buf back;
    buf_init(&back, 0);
    restore_stats st = {0};
    restore_buffer(M3, (const unsigned char *)b, bn, &back, &st);
    if (back.len != n || memcmp(back.data, s, n)) abort();
    restore_stats_free(&st);
    buf_free(&back);
    free(a);
    free(b);
    free(s);
    return 0;
}
