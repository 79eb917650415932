/* fuzz_mask.c - libFuzzer target for the masking step (finding/mask.c):
 * the input's first line lists values (separated by spaces), the rest is
 * text.  After mask_set_scrub no value of three bytes or more (without a
 * '*', which MASK_TOKEN could spell) is left in the text, and hidden runs
 * built from arbitrary ranges render any window of it without reading
 * outside the text. */
#include "finding/mask.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    const uint8_t *nl = memchr(data, '\n', size);
    size_t head = nl ? (size_t)(nl - data) : 0, off = nl ? head + 1 : 0;
    const char *text = (const char *)data + off;
    size_t tn = size - off;
    mask_set *m = mask_set_new();
    for (size_t i = 0; i < head;) {
        size_t j = i;
        while (j < head && data[j] != ' ') j++;
        if (j > i) mask_set_add(m, "f", data + i, j - i);
        i = j + 1;
    }
    mask_set_seal(m);
    size_t on = 0;
    char *out = mask_set_scrub(m, "f", text, tn, &on);
    if (out) {
        for (size_t i = 0; i < head;) {
            size_t j = i;
            while (j < head && data[j] != ' ') j++;
            if (j - i >= MASK_SCRUB_MIN && !memchr(data + i, '*', j - i) &&
                memmem(out, on, data + i, j - i))
                abort();
            i = j + 1;
        }
        free(out);
    }
    mask_set_free(m);

    /* runs from byte pairs of the head, rendered over windows of the text */
    size_t n = head / 2, ms[64], me[64], k = 0;
    for (size_t i = 0; i < n && k < 64; i++) {
        size_t a = tn ? data[2 * i] % (tn + 1) : 0, b = tn ? data[2 * i + 1] % (tn + 1) : 0;
        ms[k] = a < b ? a : b;
        me[k++] = a < b ? b : a;
    }
    mask_runs r;
    mask_runs_build(&r, (const unsigned char *)text, ms, me, k);
    buf b;
    buf_init(&b, 0);
    for (size_t s = 0; s <= tn; s += 7) mask_runs_put(&r, &b, (const unsigned char *)text, s, tn);
    buf_free(&b);
    mask_runs_free(&r);
    return 0;
}
