/* fuzz_coding.c - libFuzzer target for PEP 263 cookies and the decoders
 * (python/coding.c): the input is a source file.  Its own cookie is
 * looked up and decoded when it has one; the input is also decoded with
 * unicode_escape, raw_unicode_escape and utf-7 whatever it says, and then
 * parsed.  Nothing may crash; a successful decode is UTF-8 with its
 * length in the buffer. */
#include "core/arena.h"
#include "core/intern.h"
#include "python/coding.h"
#include "python/parse.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (size > 1 << 16) return 0;
    static const char *const forced[] = {"unicode_escape", "raw_unicode_escape", "utf_7", "u7",
                                         "shift_jis_2004", "latin-1"};
    buf b;
    buf_init(&b, 0);
    char name[64];
    int line;
    if (coding_cookie(data, size, name, sizeof name, &line)) {
        if (line < 1 || line > 2) abort();
        const coding_info *ci = coding_lookup(name);
        if (ci && coding_decode(ci, data, size, &b) == 0 && strlen(b.data) > b.len) abort();
    }
    for (size_t i = 0; i < sizeof forced / sizeof *forced; i++) {
        const coding_info *ci = coding_lookup(forced[i]);
        if (!ci) abort();
        if (coding_decode(ci, data, size, &b) == 0 && b.data && b.data[b.len] != 0) abort();
    }
    buf_free(&b);
    arena a;
    arena_init(&a, 0);
    interner *in = intern_new(NULL);
    diag_list errors = {0};
    py_parse(&a, in, "fuzz.py", data, size, &errors);
    diag_free(&errors);
    intern_free(in);
    arena_free(&a);
    return 0;
}
