/* test_ast.c - the schema table (src/python/ast.def) and the small AST
 * queries of ast.h: every kind has its CPython name and a row, twins map
 * to the kind they copy, each kind's node size, the walk visits children in source order where
 * that differs from the field order, and ast_call_arg / ast_terminal_name
 * / ast_const_str read what they say.  (test_parse covers the parser and
 * the dump; tests/cli/ast_diff.sh compares the dump with CPython.)
 */
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"

#include "core/arena.h"
#include "core/buf.h"
#include "core/intern.h"
#include "python/dump.h"
#include "python/parse.h"

static void test_schema(void)
{
    for (int k = 0; k < PY_KIND_COUNT; k++) {
        const char *name = ast_kind_name((py_kind)k);
        CHECK_MSG(name && strcmp(name, "?") != 0, "kind %d has no name", k);
        py_kind s = ast_schema_kind((py_kind)k);
        CHECK_MSG(s < PY_KIND_COUNT && ast_schema_kind(s) == s, "kind %s: schema row %d", name, (int)s);
    }
    CHECK_STR(ast_kind_name(PY_AsyncFunctionDef), "AsyncFunctionDef");
    CHECK_STR(ast_kind_name(PY_match_case), "match_case");
    CHECK_STR(ast_kind_name(PY_KIND_COUNT), "?");
    CHECK_INT(ast_schema_kind(PY_AsyncFor), PY_For);
    CHECK_INT(ast_schema_kind(PY_Tuple), PY_List);
    CHECK_INT(ast_schema_kind(PY_GeneratorExp), PY_ListComp);
    CHECK_INT(ast_schema_kind(PY_YieldFrom), PY_Await);
    CHECK_INT(ast_schema_kind(PY_Yield), PY_Yield);   /* own row: value is optional */
    CHECK_INT(ast_schema_kind(PY_MatchStar), PY_MatchStar);
    CHECK_INT(ast_schema_kind(PY_KIND_COUNT), PY_KIND_COUNT);
    /* the ranges ast.h relies on */
    CHECK(PY_IS_STMT(PY_FunctionDef) && PY_IS_STMT(PY_Continue) && !PY_IS_STMT(PY_Module));
    CHECK(PY_IS_EXPR(PY_BoolOp) && PY_IS_EXPR(PY_Slice) && !PY_IS_EXPR(PY_comprehension));
    CHECK(PY_IS_PATTERN(PY_MatchValue) && PY_IS_PATTERN(PY_MatchOr) && !PY_IS_PATTERN(PY_TypeVar));
}

/* Each node takes its own kind's size: the header and the kind's member,
 * no more than the whole union; twins take their schema kind's size, and
 * ast_node_copy reads no more than that (ASan checks it: the arena leaves
 * a poisoned gap after each allocation). */
static void test_node_size(void)
{
    size_t header = offsetof(py_node, module);
    CHECK_INT(header, 32);
    for (int k = 0; k < PY_KIND_COUNT; k++) {
        size_t sz = ast_node_size((py_kind)k);
        CHECK_MSG(sz > header && sz <= sizeof(py_node) && sz % _Alignof(py_node) == 0,
                  "kind %s: size %zu", ast_kind_name((py_kind)k), sz);
        CHECK_MSG(sz == ast_node_size(ast_schema_kind((py_kind)k)), "twin %s", ast_kind_name((py_kind)k));
    }
    CHECK_INT(ast_node_size(PY_Name), 48);
    CHECK_INT(ast_node_size(PY_Constant), 64);
    CHECK_INT(ast_node_size(PY_Call), 72);
    CHECK_INT(ast_node_size(PY_arguments), sizeof(py_node));
    CHECK_INT(ast_node_size(PY_KIND_COUNT), sizeof(py_node));

    arena a;
    arena_init(&a, 0);
    interner *in = intern_new(NULL);
    py_module *m = py_parse(&a, in, "t.py", (const unsigned char *)"f(x, k=1)\n", 10, NULL);
    py_node *call = m->node->module.body.v[0]->expr.value;
    CHECK_INT(call->kind, PY_Call);
    py_node at;
    memset(&at, 0xAB, sizeof at);
    CHECK(ast_node_copy(&at, call) == &at);
    CHECK(at.kind == PY_Call && at.lineno == 1 && at.end_col_offset == 9 && at.parent == call->parent);
    CHECK(at.call.func == call->call.func && at.call.keywords.n == 1);
    unsigned char *rest = (unsigned char *)&at + ast_node_size(PY_Call);
    CHECK(rest[0] == 0xAB); /* past the Call's size: untouched */
    intern_free(in);
    arena_free(&a);
}

typedef struct order {
    char text[1024];
    size_t n;
} order;

/* names, attributes and constants in visiting order, space-separated */
static int record(py_node *n, void *ud)
{
    order *o = ud;
    const char *s = n->kind == PY_Name ? n->name.id : n->kind == PY_arg ? n->arg.arg
                    : ast_const_str(n);
    if (s && o->n + strlen(s) + 2 < sizeof o->text)
        o->n += (size_t)snprintf(o->text + o->n, sizeof o->text - o->n, "%s%s", o->n ? " " : "", s);
    return AST_CONTINUE;
}

static void check_order(const char *src, const char *want)
{
    arena a;
    arena_init(&a, 0);
    interner *in = intern_new(NULL);
    diag_list errs = {0};
    py_module *m = py_parse(&a, in, "t.py", (const unsigned char *)src, strlen(src), &errs);
    CHECK_MSG(errs.n == 0, "%s: %s", src, errs.n ? errs.v[0].message : "");
    order o = {{0}, 0};
    ast_walk(m->node, record, &o);
    CHECK_STR(o.text, want);
    diag_free(&errs);
    arena_free(&a);
    intern_free(in);
}

static void test_child_order(void)
{
    /* decorators, type parameters, arguments, return annotation, body */
    check_order("@deco\ndef f[T](a: A = d, *v, k=kd, **kw) -> R:\n    body\n",
                "deco a A d v k kd kw R body");
    check_order("@deco\nclass C[T](Base, metaclass=M):\n    body\n", "deco Base M body");
    /* a dict's keys and values in turn, ** entries without a key */
    check_order("{'a': x, **rest, 'b': y}\n", "a x rest b y");
    check_order("match v:\n    case None: pass\n    case [*s]: pass\n", "v");
}

static void test_dump_twins(void)
{
    arena a;
    arena_init(&a, 0);
    interner *in = intern_new(NULL);
    diag_list errs = {0};
    const char *src = "async def f():\n    yield\n    await x\n";
    py_module *m = py_parse(&a, in, "t.py", (const unsigned char *)src, strlen(src), &errs);
    buf b;
    buf_init(&b, 0);
    ast_dump(&b, m->node);
    buf_putc(&b, 0);
    CHECK_STR(b.data,
              "Module(body=[AsyncFunctionDef(name='f', args=arguments(posonlyargs=[], args=[], "
              "kwonlyargs=[], kw_defaults=[], defaults=[]), body=[Expr(value=Yield()), "
              "Expr(value=Await(value=Name(id='x', ctx=Load())))], decorator_list=[])], "
              "type_ignores=[])");
    buf_free(&b);
    diag_free(&errs);
    arena_free(&a);
    intern_free(in);
}

static void test_queries(void)
{
    arena a;
    arena_init(&a, 0);
    interner *in = intern_new(NULL);
    diag_list errs = {0};
    const char *src = "f(a, 'b', *c, d, key='v')\n"
                      "request.form['password']\n"
                      "os.environ.get('TOKEN')\n"
                      "x[0]\n";
    py_module *m = py_parse(&a, in, "t.py", (const unsigned char *)src, strlen(src), &errs);
    const py_list *b = &m->node->module.body;
    CHECK_INT(b->n, 4);
    if (b->n == 4) {
        const py_node *call = b->v[0]->expr.value;
        CHECK_STR(ast_call_method(call), "f");
        CHECK_STR(ast_call_arg(call, 0, NULL)->name.id, "a");
        CHECK_STR(ast_const_str(ast_call_arg(call, 1, NULL)), "b");
        CHECK(ast_call_arg(call, 3, NULL) == NULL);      /* after *c: unknown */
        CHECK_STR(ast_const_str(ast_call_arg(call, 9, "key")), "v");
        CHECK_STR(ast_const_str(ast_call_kw(call, "key")), "v");
        CHECK(ast_call_kw(call, "nope") == NULL);
        CHECK(ast_const_str(call) == NULL);
        CHECK_STR(ast_terminal_name(b->v[1]->expr.value), "password");
        CHECK_STR(ast_terminal_name(b->v[2]->expr.value), "TOKEN");
        CHECK(ast_terminal_name(b->v[3]->expr.value) == NULL);
        CHECK(ast_terminal_name(NULL) == NULL && ast_call_method(NULL) == NULL);
    }
    diag_free(&errs);
    arena_free(&a);
    intern_free(in);
}

int main(void)
{
    test_schema();
    test_node_size();
    test_child_order();
    test_dump_twins();
    test_queries();
    return T_DONE("test_ast");
}
