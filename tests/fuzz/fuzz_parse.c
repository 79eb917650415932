/* fuzz_parse.c - libFuzzer target for the Python parser: any bytes give a
 * module (never NULL), every node has sane positions and a parent chain
 * that leads to the module, the ast.dump text can be produced, and a
 * syntax error is always a diag with a line and column. */
#include "python/dump.h"
#include "python/parse.h"

#include <stdint.h>
#include <stdlib.h>

static int check_node(py_node *n, void *ud)
{
    py_node *root = ud;
    if (n->kind >= PY_KIND_COUNT || n->lineno < 0 || n->col_offset < 0)
        abort();
    if (n != root && !n->parent)
        abort();
    return AST_CONTINUE;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static interner *in;
    if (!in)
        in = intern_new(NULL);
    arena a;
    arena_init(&a, 0);
    diag_list d = {0};
    py_module *m = py_parse(&a, in, "fuzz.py", data, size, &d);
    if (!m || !m->node || m->node->kind != PY_Module)
        abort();
    ast_walk(m->node, check_node, m->node);
    buf out;
    buf_init(&out, 0);
    ast_dump(&out, m->node);
    if (out.len < 7)
        abort();
    buf_free(&out);
    for (size_t i = 0; i < d.n; i++)
        if (d.v[i].line < 1 || d.v[i].col < 1)
            abort();
    if (m->nerrors > 0 && d.n == 0)
        abort();
    diag_free(&d);
    arena_free(&a);
    return 0;
}
