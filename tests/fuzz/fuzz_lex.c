/* fuzz_lex.c - libFuzzer target for the Python tokenizer: any bytes give a
 * token array ending in EOF whose offsets and positions stay inside the
 * input and never go backwards, and errors carry a line and column. */
#include "python/lex.h"

#include <stdint.h>
#include <stdlib.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static interner *in;
    if (!in)
        in = intern_new(NULL);
    arena a;
    arena_init(&a, 0);
    diag_list d = {0};
    lex_file f;
    lex_file_init(&f, &a, in, "fuzz.py", data, size, &d);
    lex_tokens t;
    lex_all(&f, &t);
    if (t.n == 0 || t.v[t.n - 1].type != T_EOF)
        abort();
    uint32_t last = 0;
    for (size_t i = 0; i < t.n; i++) {
        const lex_token *k = &t.v[i];
        if (k->end > size || k->start > k->end || k->lineno < 1 || k->col < 0)
            abort();
        if (k->type != T_DEDENT && k->type != T_EOF && k->type != T_NEWLINE &&
            k->type != T_INDENT && k->type != T_ERROR && k->start < last)
            abort();
        if (k->type == T_NAME && !k->ident)
            abort();
        if (k->start > last)
            last = k->start;
    }
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].line < 1 || d.v[i].col < 1)
            abort();
    free(t.v);
    diag_free(&d);
    arena_free(&a);
    return 0;
}
