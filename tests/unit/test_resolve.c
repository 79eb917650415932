/* test_resolve.c - qualified names through imports, aliases and scopes
 * (src/python/resolve.c), and the Python analyzer end to end on a file
 * with a syntax error (rules still run on the rest, the error is a
 * warning with file:line:col).
 *
 * Each case is a small program whose calls are marked with the expected
 * qualified name in a comment: `sp.Popen(x)  # => subprocess.Popen`,
 * `# => -` for "not known" (NULL).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"

#include "finding/analyzer.h"
#include "core/arena.h"
#include "core/intern.h"
#include "core/opts.h"
#include "python/parse.h"
#include "python/resolve.h"
#include "finding/finding.h"
#include "finding/rule.h"
#include "scan/families.h"

typedef struct want_ctx {
    const py_resolver *r;
    const char *src;
    const char *path;
} want_ctx;

/* The expectation written on line `lineno` of src ("# => name"), or NULL. */
static int expected_on(const char *src, int lineno, char *out, size_t cap)
{
    const char *p = src;
    for (int l = 1; l < lineno && p; l++) {
        p = strchr(p, '\n');
        if (p) p++;
    }
    if (!p) return 0;
    const char *e = strchr(p, '\n');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    const char *m = memmem(p, n, "# => ", 5);
    if (!m) return 0;
    m += 5;
    size_t k = (size_t)(p + n - m);
    if (k >= cap) k = cap - 1;
    memcpy(out, m, k);
    out[k] = 0;
    while (k && (out[k - 1] == ' ' || out[k - 1] == '\r')) out[--k] = 0;
    return 1;
}

static int check_call(py_node *n, void *ud)
{
    want_ctx *w = ud;
    if (n->kind != PY_Call) return AST_CONTINUE;
    char want[128];
    if (!expected_on(w->src, n->lineno, want, sizeof want)) return AST_CONTINUE;
    /* only the outermost call of the line carries the expectation */
    for (const py_node *p = n->parent; p && !PY_IS_STMT(p->kind); p = p->parent)
        if (p->kind == PY_Call && p->lineno == n->lineno) return AST_CONTINUE;
    const char *got = resolve_call(w->r, n);
    if (strcmp(want, "-") == 0) {
        CHECK_MSG(got == NULL, "%s:%d: want unknown, got %s", w->path, n->lineno, got);
    } else {
        CHECK_MSG(got && strcmp(got, want) == 0, "%s:%d: want %s, got %s", w->path, n->lineno, want,
                  got ? got : "(null)");
    }
    return AST_CONTINUE;
}

static void run_case(const char *path, const char *src)
{
    arena a;
    arena_init(&a, 0);
    interner *in = intern_new(intern_global());
    diag_list errs = {0};
    py_module *m = py_parse(&a, in, path, (const unsigned char *)src, strlen(src), &errs);
    CHECK_MSG(errs.n == 0, "%s: unexpected syntax error: %s", path, errs.n ? errs.v[0].message : "");
    py_resolver *r = resolve_module(&a, in, m, path);
    want_ctx w = {r, src, path};
    ast_walk(m->node, check_call, &w);
    diag_free(&errs);
    arena_free(&a);
    intern_free(in);
}

static const char imports_src[] =
    "import subprocess as sp\n"
    "from os import system as s\n"
    "import os.path\n"
    "import xml.etree.ElementTree as ET\n"
    "from hashlib import *\n"
    "sp.Popen(x)  # => subprocess.Popen\n"
    "s(cmd)  # => os.system\n"
    "os.path.join(a, b)  # => os.path.join\n"
    "ET.parse(f)  # => xml.etree.ElementTree.parse\n"
    "md5(b)  # => hashlib.md5\n"
    "eval(x)  # => eval\n"
    "len(x)  # => len\n"
    "unknown.thing()  # => hashlib.unknown.thing\n" /* after a star import */
    "f(x)(y)  # => -\n";

static const char aliases_src[] =
    "import subprocess\n"
    "import flask\n"
    "from flask import Flask\n"
    "run = subprocess.run\n"
    "sh = run\n"
    "app = Flask(__name__)\n"
    "app2 = flask.Flask(__name__)\n"
    "run(c)  # => subprocess.run\n"
    "sh(c)  # => subprocess.run\n"
    "app.run(debug=True)  # => flask.Flask.run\n"
    "app2.route('/')  # => flask.Flask.route\n"
    "p = subprocess.Popen(c)\n"
    "p.communicate()  # => subprocess.Popen.communicate\n"
    "p()  # => -\n"
    "with subprocess.Popen(c) as q:\n"
    "    q.wait()  # => subprocess.Popen.wait\n"
    "import importlib\n"
    "tn = importlib.import_module('telnetlib')\n"
    "tn.Telnet(h)  # => telnetlib.Telnet\n"
    "pk = __import__('pickle')\n"
    "pk.loads(b)  # => pickle.loads\n";

static const char scopes_src[] =
    "import subprocess\n"
    "import pickle\n"
    "def f(subprocess, data):\n"
    "    subprocess.call(x)  # => -\n"
    "    pickle.loads(data)  # => pickle.loads\n"
    "def g():\n"
    "    import marshal as pickle\n"
    "    pickle.loads(d)  # => marshal.loads\n"
    "    subprocess.call(x)  # => subprocess.call\n"
    "    def inner():\n"
    "        return pickle.loads(d)  # => marshal.loads\n"
    "class C:\n"
    "    subprocess = None\n"
    "    def m(self):\n"
    "        subprocess.call(x)  # => subprocess.call\n"
    "    subprocess.call(x)  # => -\n"
    "def h():\n"
    "    global run\n"
    "    run = subprocess.run\n"
    "run(c)  # => subprocess.run\n"
    "lam = lambda eval: eval(x)  # => -\n"
    "[eval(v) for eval in fns]  # => -\n"
    "[pickle.loads(v) for v in xs]  # => pickle.loads\n"
    "def k(x=pickle.loads(b)):  # => pickle.loads\n"
    "    pass\n";

static const char relative_src[] =
    "from . import util\n"
    "from .helpers import run_it as r\n"
    "from ..core import db\n"
    "from ... import top\n"
    "util.go()  # => pkg.sub.util.go\n"
    "r(c)  # => pkg.sub.helpers.run_it\n"
    "db.connect()  # => pkg.core.db.connect\n"
    "top.x()  # => top.x\n";

static void test_imports_and_parse_error(void)
{
    arena a;
    arena_init(&a, 0);
    interner *in = intern_new(intern_global());
    const char *src = "import paramiko\nfrom xml.dom import minidom\nimport os\n";
    diag_list errs = {0};
    py_module *m = py_parse(&a, in, "x.py", (const unsigned char *)src, strlen(src), &errs);
    py_resolver *r = resolve_module(&a, in, m, "x.py");
    CHECK(resolve_imports(r, "paramiko"));
    CHECK(resolve_imports(r, "xml.dom"));
    CHECK(resolve_imports(r, "xml.dom.minidom"));
    CHECK(resolve_imports(r, "xml"));
    CHECK(!resolve_imports(r, "xml.sax"));
    CHECK(!resolve_imports(r, "para"));
    diag_free(&errs);
    arena_free(&a);
    intern_free(in);
}

/* The analyzer: a syntax error in one function does not hide the rest. */
static void test_analyzer_recovers(void)
{
    vg_opts opts;
    opts_init(&opts);
    vg_scan scan = {0};
    scan.opts = &opts;
    scan.nthreads = 1;
    void *state = NULL;
    CHECK(python_analyzer.init(&scan, &state, NULL) == VG_OK);
    const char *src =
        "import os\n"
        "def broken(:\n"
        "    pass\n"
        "def fine(cmd):\n"
        "    os.system(cmd)\n";
    vg_file f = {0};
    f.path = "app.py";
    f.data = (const unsigned char *)src;
    f.len = strlen(src);
    f.kind = FK_PYTHON;
    vg_out out;
    out_init(&out, &opts);
    CHECK(python_analyzer.file(&scan, state, &f, &out) == VG_OK);
    int b605 = 0;
    for (size_t i = 0; i < out.n; i++)
        if (strcmp(out.v[i]->rule->id, "B605") == 0 && out.v[i]->line == 5) b605 = 1;
    CHECK_MSG(b605, "B605 on line 5 after the syntax error on line 2");
    CHECK(out.diags.n >= 1);
    if (out.diags.n) {
        CHECK(out.diags.v[0].level == DIAG_WARNING);
        CHECK_INT(out.diags.v[0].line, 2);
        CHECK(out.diags.v[0].col > 0);
        CHECK_STR(out.diags.v[0].path, "app.py");
    }
    CHECK(python_analyzer.finish(&scan, state, &out) == VG_OK);
    out_free(&out);
    file_lines_free(&f);
    python_analyzer.fini(state);
    opts_free(&opts);
}

int main(void)
{
    families_register();
    run_case("imports.py", imports_src);
    run_case("aliases.py", aliases_src);
    run_case("scopes.py", scopes_src);
    run_case("pkg/sub/mod.py", relative_src);
    test_imports_and_parse_error();
    test_analyzer_recovers();
    registry_free();
    return T_DONE("test_resolve");
}
