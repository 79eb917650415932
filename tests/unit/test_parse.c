/* test_parse.c - the Python parser and AST helpers: node positions as
 * CPython reports them, interned names, parents, walks, constants, error
 * recovery, the interner's thread model. */
#include "python/dump.h"
#include "python/parse.h"

#include <stdlib.h>

#include "t.h"

typedef struct parsed {
    arena a;
    interner *in;
    diag_list d;
    py_module *m;
} parsed;

static interner *g_child;

static py_module *parse_str(parsed *P, const char *src)
{
    arena_init(&P->a, 0);
    memset(&P->d, 0, sizeof P->d);
    P->in = g_child;
    P->m = py_parse(&P->a, P->in, "t.py", (const unsigned char *)src, strlen(src), &P->d);
    return P->m;
}

static void parse_done(parsed *P)
{
    diag_free(&P->d);
    arena_free(&P->a);
}

static char *dump_of(const py_node *n)
{
    static char out[4096];
    buf b;
    buf_init(&b, 0);
    ast_dump(&b, n);
    snprintf(out, sizeof out, "%s", b.data);
    buf_free(&b);
    return out;
}

#define POS(n, l, c, el, ec)                                                   \
    do {                                                                       \
        CHECK_INT((n)->lineno, l);                                             \
        CHECK_INT((n)->col_offset, c);                                         \
        CHECK_INT((n)->end_lineno, el);                                        \
        CHECK_INT((n)->end_col_offset, ec);                                    \
    } while (0)

static void test_positions(void)
{
    parsed P;
    /* the same figures as CPython 3.11's ast for this source */
    py_module *m = parse_str(&P, "x = foo.bar(1, \"\xC3\xA9\")\nif a:\n    y = [i for i in z]  # nosec\n");
    CHECK_INT(P.d.n, 0);
    CHECK_INT(m->node->module.body.n, 2);
    py_node *assign = m->node->module.body.v[0];
    POS(assign, 1, 0, 1, 20);
    py_node *call = assign->assign.value;
    CHECK_INT(call->kind, PY_Call);
    POS(call, 1, 4, 1, 20);
    POS(call->call.func, 1, 4, 1, 11);
    POS(call->call.func->attribute.value, 1, 4, 1, 7);
    POS(call->call.args.v[1], 1, 15, 1, 19);
    py_node *ifs = m->node->module.body.v[1];
    POS(ifs, 2, 0, 3, 22);
    py_node *lc = ifs->if_.body.v[0]->assign.value;
    CHECK_INT(lc->kind, PY_ListComp);
    POS(lc, 3, 8, 3, 22);
    /* the pragma comment is kept */
    const py_comment *c = py_comment_at(m, 3);
    CHECK(c != NULL);
    if (c) {
        CHECK_STR(c->text, "# nosec");
        CHECK_INT(c->col_offset, 24);
    }
    CHECK(py_comment_at(m, 2) == NULL);
    parse_done(&P);
}

static int count_calls(py_node *n, void *ud)
{
    if (n->kind == PY_Call)
        (*(int *)ud)++;
    return AST_CONTINUE;
}

static int order_enter(py_node *n, void *ud)
{
    buf *b = ud;
    if (n->kind == PY_Name)
        buf_printf(b, "+%s", n->name.id);
    if (n->kind == PY_FunctionDef)
        return AST_SKIP;
    return AST_CONTINUE;
}

static int order_leave(py_node *n, void *ud)
{
    buf *b = ud;
    if (n->kind == PY_Name)
        buf_printf(b, "-%s", n->name.id);
    return AST_CONTINUE;
}

static void test_names_parents_walk(void)
{
    parsed P;
    py_module *m = parse_str(&P, "import subprocess as sp\nsp.Popen(cmd)\nsubprocess.run(x)\n"
                                 "def f():\n    hidden()\na(b, c)\n");
    py_node *imp = m->node->module.body.v[0];
    CHECK_INT(imp->kind, PY_Import);
    CHECK_STR(imp->import.names.v[0]->alias.name, "subprocess");
    CHECK_STR(imp->import.names.v[0]->alias.asname, "sp");
    py_node *call = m->node->module.body.v[1]->expr.value;
    const char *sp = intern_cstr(P.in, "sp");
    CHECK(call->call.func->attribute.value->name.id == sp);
    CHECK(call->call.func->attribute.attr == intern_cstr(P.in, "Popen"));
    py_node *run = m->node->module.body.v[2]->expr.value;
    CHECK(run->call.func->attribute.value->name.id == imp->import.names.v[0]->alias.name);
    /* parents lead back to the module */
    py_node *arg = call->call.args.v[0];
    CHECK(arg->parent == call);
    CHECK(call->parent == m->node->module.body.v[1]);
    CHECK(m->node->module.body.v[1]->parent == m->node);
    CHECK(m->node->parent == NULL);
    /* walks */
    int calls = 0;
    ast_walk(m->node, count_calls, &calls);
    CHECK_INT(calls, 4);
    buf b;
    buf_init(&b, 0);
    ast_walk_ex(m->node->module.body.v[3], order_enter, order_leave, &b);
    CHECK_INT(b.len, 0);
    buf_clear(&b);
    ast_walk_ex(m->node->module.body.v[4]->parent, order_enter, order_leave, &b);
    CHECK_STR(b.data, "+sp-sp+cmd-cmd+subprocess-subprocess+x-x+a-a+b-b+c-c");
    buf_free(&b);
    char dn[64];
    CHECK_INT(ast_dotted_name(call->call.func, dn, sizeof dn), 8);
    CHECK_STR(dn, "sp.Popen");
    CHECK_INT(ast_dotted_name(call, dn, sizeof dn), 0);
    CHECK_INT(ast_dotted_name(call->call.func, dn, 4), 0);
    parse_done(&P);
}

static void test_constants(void)
{
    parsed P;
    py_module *m = parse_str(&P, "a = 0x_FF\nb = 1.5e3\nc = 2j\nd = 'x\\n\\u00e9\\x41' \"y\"\n"
                                 "e = b'\\x00z'\nf = u'k'\ng = 99999999999999999999999\n"
                                 "h = '\\N{BULLET}'\n");
    CHECK_INT(P.d.n, 0);
    py_node **s = m->node->module.body.v;
    py_node *c = s[0]->assign.value;
    CHECK_INT(c->constant.value, PY_CONST_INT);
    CHECK(c->constant.ival_ok && c->constant.ival == 255);
    CHECK_STR(c->constant.s, "0x_FF");
    c = s[1]->assign.value;
    CHECK_INT(c->constant.value, PY_CONST_FLOAT);
    CHECK(c->constant.fval == 1500.0);
    CHECK_INT(s[2]->assign.value->constant.value, PY_CONST_COMPLEX);
    c = s[3]->assign.value;
    CHECK_INT(c->constant.value, PY_CONST_STR);
    CHECK_STR(c->constant.s, "x\n\xC3\xA9" "Ay");
    CHECK_INT(c->constant.len, 6);
    c = s[4]->assign.value;
    CHECK_INT(c->constant.value, PY_CONST_BYTES);
    CHECK_INT(c->constant.len, 2);
    CHECK(c->constant.s[0] == 0 && c->constant.s[1] == 'z');
    CHECK_STR(s[5]->assign.value->constant.kind, "u");
    CHECK(!s[6]->assign.value->constant.ival_ok);
    CHECK_STR(s[7]->assign.value->constant.s, "\xE2\x80\xA2");
    parse_done(&P);
}

static void test_dump(void)
{
    parsed P;
    py_module *m = parse_str(&P, "print(f'{x!r}', 'it\\'s', b'\\xff', '\\u200b')\n");
    CHECK_STR(dump_of(m->node),
              "Module(body=[Expr(value=Call(func=Name(id='print', ctx=Load()), args=["
              "JoinedStr(values=[FormattedValue(value=Name(id='x', ctx=Load()), conversion=114)]), "
              "Constant(value=\"it's\"), Constant(value=b'\\xff'), Constant(value='\\u200b')], "
              "keywords=[]))], type_ignores=[])");
    parse_done(&P);
}

static void test_recovery(void)
{
    parsed P;
    py_module *m = parse_str(&P, "def a():\n    x = (1 +\n    return 2\n\ndef b():\n    pass\n"
                                 "class C:\n    def m(self) pass\n    def n(self):\n        eval(s)\n");
    CHECK(m->nerrors >= 1);
    CHECK(P.d.n >= 1);
    CHECK_STR(P.d.v[0].path, "t.py");
    CHECK(P.d.v[0].line >= 2);
    /* every other definition survives */
    const char *s = dump_of(m->node);
    CHECK(strstr(s, "FunctionDef(name='b'") != NULL);
    CHECK(strstr(s, "FunctionDef(name='n'") != NULL);
    CHECK(strstr(s, "Name(id='eval'") != NULL);
    parse_done(&P);

    m = parse_str(&P, "");
    CHECK(m && m->node && m->node->module.body.n == 0 && P.d.n == 0);
    parse_done(&P);

    /* nesting beyond the cap is an error, not a crash */
    char deep[2000];
    strcpy(deep, "x = ");
    for (int i = 0; i < 300; i++)
        strcat(deep, "-");
    strcat(deep, "1\ny = 2\n");
    m = parse_str(&P, deep);
    CHECK(P.d.n == 1);
    CHECK(strstr(P.d.v[0].message, "too many nested") != NULL);
    CHECK_INT(m->node->module.body.n, 1); /* y = 2 */
    parse_done(&P);
}

static int is_child(py_node *c, void *ud)
{
    return c == ud;
}

/* Every node but the root has a parent that lists it among its children. */
static int parent_ok(py_node *n, void *ud)
{
    py_node *root = ud;
    if (n != root)
        CHECK_MSG(n->parent && ast_for_each_child(n->parent, is_child, n), "%s at %d:%d: bad parent",
                  ast_kind_name(n->kind), n->lineno, n->col_offset);
    return AST_CONTINUE;
}

static void test_parents_everywhere(void)
{
    parsed P;
    py_module *m = parse_str(&P, "if a:\n    pass\nelif b:\n    x = f(y)\nelif c: z = 1\nelse:\n    w = [i for i in q]\n"
                                 "try:\n    pass\nexcept E as e:\n    g(e)\n"
                                 "match v:\n    case [1, *r] if r: h(r)\n"
                                 "@d(1)\nclass K[T](B):\n    def m(self, a=1, *, k: int = 2): return lambda s: f'{s!r:>{k}}'\n"
                                 "with open(p) as fh, x: del fh\n");
    CHECK_INT(P.d.n, 0);
    ast_walk(m->node, parent_ok, m->node);
    /* the elif chain: x = f(y) sits under the second If */
    py_node *elif = m->node->module.body.v[0]->if_.orelse.v[0];
    py_node *call = elif->if_.body.v[0]->assign.value;
    CHECK(call->parent == elif->if_.body.v[0]);
    CHECK(call->call.args.v[0]->parent == call);
    CHECK(elif->parent == m->node->module.body.v[0]);
    parse_done(&P);
}

static void test_interner_model(void)
{
    /* a name interned globally at init is pointer-equal in any child */
    const char *g = intern_cstr(intern_global(), "vg_test_global_name");
    interner *c1 = intern_new(intern_global()), *c2 = intern_new(intern_global());
    CHECK(intern_cstr(c1, "vg_test_global_name") == g);
    CHECK(intern_cstr(c2, "vg_test_global_name") == g);
    const char *l1 = intern_cstr(c1, "local_only");
    CHECK(intern_cstr(c1, "local_only") == l1);
    CHECK(intern_lookup(c2, "local_only", 10) == NULL);
    CHECK(intern_lookup(intern_global(), "local_only", 10) == NULL);
    CHECK(intern_lookup(c1, "vg_test_global_name", 19) == g);
    /* many names: the table grows and pointers stay valid */
    const char *first = intern_cstr(c1, "n0");
    char nm[32];
    for (int i = 0; i < 20000; i++) {
        snprintf(nm, sizeof nm, "n%d", i);
        intern_cstr(c1, nm);
    }
    CHECK(intern_cstr(c1, "n0") == first);
    CHECK_STR(first, "n0");
    intern_free(c1);
    intern_free(c2);
}

int main(void)
{
    g_child = intern_new(intern_global());
    test_interner_model();
    test_positions();
    test_names_parents_walk();
    test_constants();
    test_dump();
    test_recovery();
    test_parents_everywhere();
    intern_free(g_child);
    return T_DONE("test_parse");
}
