/* test_taint.c - the taint engine on its own: parse, resolve, taint, finish.
 *
 * 1. Small inline programs with the exact finding (rule, line, steps).
 * 2. LLM applications: which source kinds count for which family, and a
 *    secret sent to a model with its path (docs/llm.md).
 * 3. A cross-module flow is made from the bytes the file phase had: the sink
 *    file changed or gone on disk by finish, or a file with no path on
 *    disk (a git blob), gives the same finding.
 * The fixtures under tests/fixtures/python/taint/ are checked through the
 * CLI by the one fixture runner (tests/fixture_check.py, fixtures.sh).
 * With arguments (`test_taint FILE...`) it prints the findings of those
 * files instead, for debugging a fixture.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "t.h"

#include "core/arena.h"
#include "core/intern.h"
#include "core/opts.h"
#include "python/parse.h"
#include "python/resolve.h"
#include "finding/finding.h"
#include "finding/rule.h"
#include "taint/taint.h"
#include "scan/families.h"

static vg_opts opts;

typedef struct proj {
    taint_state *ts;
    vg_out out;
    interner *in;
} proj;

static void proj_open(proj *p)
{
    taint_init(&opts, &p->ts, NULL);
    out_init(&p->out, &opts);
    p->in = intern_new(intern_global());
}

static void proj_close(proj *p)
{
    taint_fini(p->ts);
    out_free(&p->out);
    intern_free(p->in);
}

static void proj_file(proj *p, const char *path, const char *fs_path, const unsigned char *src,
                      size_t len)
{
    arena a;
    arena_init(&a, 0);
    diag_list errs = {0};
    py_module *m = py_parse(&a, p->in, path, src, len, &errs);
    py_resolver *r = resolve_module(&a, p->in, m, path);
    vg_file f = {0};
    f.path = path;
    f.fs_path = fs_path;
    f.data = src;
    f.len = len;
    f.kind = FK_PYTHON;
    taint_module(p->ts, &f, m, r, &p->out, p->out.n);
    file_lines_free(&f);
    diag_free(&errs);
    arena_free(&a);
}

static const finding *find_at(const vg_out *o, const char *rule, int line)
{
    for (size_t i = 0; i < o->n; i++)
        if (strcmp(o->v[i]->rule->id, rule) == 0 && o->v[i]->line == line) return o->v[i];
    return NULL;
}

static size_t count_taint(const vg_out *o)
{
    size_t n = 0;
    for (size_t i = 0; i < o->n; i++) n += strncmp(o->v[i]->rule->id, "VG7", 3) == 0;
    return n;
}

static void inline_src(proj *p, const char *path, const char *src)
{
    proj_file(p, path, NULL, (const unsigned char *)src, strlen(src));
}

static void test_inline(void)
{
    proj p;
    proj_open(&p);
    inline_src(&p, "app.py",
               "from flask import Flask, request\n"
               "import sqlite3\n"
               "app = Flask(__name__)\n"
               "@app.route('/u')\n"
               "def user():\n"
               "    name = request.args.get('name')\n"
               "    q = f\"SELECT * FROM users WHERE name = '{name}'\"\n"
               "    cur = sqlite3.connect('x').cursor()\n"
               "    cur.execute(q)\n"
               "    cur.execute('SELECT * FROM users WHERE name = ?', (name,))\n"
               "    return 'ok'\n");
    const finding *fd = find_at(&p.out, "VG701", 9);
    CHECK(fd != NULL);
    if (fd) {
        CHECK(fd->nsteps >= 3);
        CHECK_INT(fd->steps[0].line, 6);
        CHECK(strstr(fd->steps[0].message, "request.args") != NULL);
        CHECK_INT(fd->steps[fd->nsteps - 1].line, 9);
        CHECK_INT(fd->confidence, CONF_HIGH);
        CHECK(fd->rule->cwe[0] == 89);
    }
    CHECK(find_at(&p.out, "VG701", 10) == NULL);
    proj_close(&p);

    /* constant branch and overwrite: silent */
    proj_open(&p);
    inline_src(&p, "b.py",
               "import os, sys\n"
               "DEBUG = False\n"
               "def f():\n"
               "    cmd = sys.argv[1]\n"
               "    if DEBUG:\n"
               "        os.system(cmd)\n"
               "    cmd = 'ls'\n"
               "    os.system(cmd)\n");
    CHECK_INT(count_taint(&p.out), 0);
    proj_close(&p);

    /* taint off */
    proj_open(&p);
    opts.taint_enabled = 0;
    inline_src(&p, "c.py", "import os\nos.system(input())\n");
    CHECK_INT(count_taint(&p.out), 0);
    opts.taint_enabled = 1;
    inline_src(&p, "c.py", "import os\nos.system(input())\n");
    CHECK_INT(count_taint(&p.out), 1);
    proj_close(&p);

    /* hostile: deep nesting and a huge expression do not crash */
    proj_open(&p);
    size_t n = 200000;
    char *big = malloc(n + 64);
    strcpy(big, "import os\nx = input()\ny = x");
    size_t k = strlen(big);
    while (k < n) {
        memcpy(big + k, " + x", 4);
        k += 4;
    }
    strcpy(big + k, "\nos.system(y)\n");
    inline_src(&p, "big.py", big);
    free(big);
    proj_close(&p);
}

/* ---- cross-module findings from the file phase's bytes ---------------------- */

static const char cm_views[] =
    "from flask import Flask, request\n"
    "from proj.db import find_user\n"
    "app = Flask(__name__)\n"
    "@app.route('/u')\n"
    "def user():\n"
    "    find_user(request.args.get('name'))\n"
    "    return 'ok'\n";
static const char cm_db[] =
    "import sqlite3\n"
    "def find_user(name):\n"
    "    cur = sqlite3.connect('x').cursor()\n"
    "    cur.execute(\"SELECT * FROM users WHERE name = '%s'\" % name)\n";
static const char cm_sink_line[] =
    "    cur.execute(\"SELECT * FROM users WHERE name = '%s'\" % name)";

/* Scan views.py and db.py (db.py's bytes in memory, `db_fs_path` on disk),
 * call `between` after the file phase, then finish; the cross-module
 * finding at the sink must be the one the bytes of the file phase give. */
static void check_cross_module(const char *what, const char *db_fs_path, void (*between)(void))
{
    proj p;
    proj_open(&p);
    inline_src(&p, "proj/views.py", cm_views);
    proj_file(&p, "proj/db.py", db_fs_path, (const unsigned char *)cm_db, strlen(cm_db));
    if (between) between();
    taint_finish(p.ts, &p.out);
    const finding *fd = find_at(&p.out, "VG701", 4);
    CHECK_MSG(fd != NULL, "%s: no cross-module finding at proj/db.py:4", what);
    if (fd) {
        CHECK_STR(fd->path, "proj/db.py");
        CHECK_STR(finding_prop(fd, "cross_module"), "true");
        CHECK(strstr(fd->message, "(from proj/views.py:6)") != NULL);
        CHECK_INT(fd->col, 5);
        CHECK_STR(fd->snippet, cm_sink_line);
        CHECK(fd->context && strstr(fd->context, "sqlite3.connect") != NULL);
        CHECK_INT(fd->suppressed, 0);
        CHECK(fd->nsteps >= 3 && strcmp(fd->steps[0].path, "proj/views.py") == 0);
    }
    proj_close(&p);
}

static char cm_tmp[64];

/* The sink file edited after the walk: another sink line, suppressed. */
static void cm_edit_on_disk(void)
{
    FILE *f = fopen(cm_tmp, "wb");
    if (!f) return;
    fputs("import sqlite3\n# rewritten after the walk\n\n    pass  # nosec\n", f);
    fclose(f);
}

static void cm_delete_on_disk(void) { unlink(cm_tmp); }

static void test_cross_module_sites(void)
{
    snprintf(cm_tmp, sizeof cm_tmp, "/tmp/vg-test-taint-XXXXXX");
    int fd = mkstemp(cm_tmp);
    CHECK(fd >= 0);
    if (fd < 0) return;
    if (write(fd, cm_db, strlen(cm_db)) != (ssize_t)strlen(cm_db)) CHECK(0);
    close(fd);
    check_cross_module("sink file edited on disk before finish", cm_tmp, cm_edit_on_disk);
    check_cross_module("sink file deleted before finish", cm_tmp, cm_delete_on_disk);
    check_cross_module("sink file with no path on disk (a git blob)", NULL, NULL);
    unlink(cm_tmp);
}

/* ---- debugging: the findings of given files ----------------------------- */

static unsigned char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    fseek(f, 0, SEEK_END);
    long n = ftell(f);
    fseek(f, 0, SEEK_SET);
    unsigned char *b = malloc((size_t)n + 1);
    *len = fread(b, 1, (size_t)n, f);
    b[*len] = 0;
    fclose(f);
    return b;
}

static void print_findings(int argc, char **argv)
{
    proj p;
    proj_open(&p);
    for (int i = 1; i < argc; i++) {
        size_t len;
        unsigned char *d = slurp(argv[i], &len);
        if (!d) continue;
        proj_file(&p, argv[i], argv[i], d, len);
        free(d);
    }
    taint_finish(p.ts, &p.out);
    for (size_t i = 0; i < p.out.n; i++) {
        const finding *f = p.out.v[i];
        printf("%s:%d:%d %s [%s] %s\n", f->path, f->line, f->col, f->rule->id,
               confidence_str(f->confidence), f->message);
        for (size_t k = 0; k < f->nsteps; k++)
            printf("    %zu. %s:%d %s\n", k + 1, f->steps[k].path, f->steps[k].line,
                   f->steps[k].message);
    }
    proj_close(&p);
}

static void test_llm(void)
{
    /* a user's question is what a model is for; a secret or a person's data is not */
    CHECK_INT(taint_kinds_for(TF_LLMDATA, SK_WEB | SK_LLM), 0);
    CHECK_INT(taint_kinds_for(TF_LLMDATA, SK_ENV | SK_SECRET), SK_SECRET);
    CHECK_INT(taint_kinds_for(TF_SYSSECRET, SK_PII), 0);
    CHECK_INT(taint_kinds_for(TF_PROMPT, SK_WEB | SK_SECRET), SK_WEB);
    CHECK_INT(taint_kinds_for(TF_DISPATCH, SK_WEB | SK_TOOL), SK_TOOL);
    /* a secret is no injection; the environment counts only for local families */
    CHECK_INT(taint_kinds_for(TF_SQL, SK_SECRET | SK_PII | SK_ENV), SK_ENV);
    CHECK_INT(taint_kinds_for(TF_SSRF, SK_ENV | SK_TOOL), SK_TOOL);

    proj p;
    proj_open(&p);
    inline_src(&p, "bot.py",
               "import os\n"
               "from openai import OpenAI\n"
               "client = OpenAI(api_key=os.environ['OPENAI_API_KEY'])\n"
               "def ask(question):\n"
               "    key = os.environ['AWS_SECRET_ACCESS_KEY']\n"
               "    text = 'Why is ' + key + ' refused? ' + question\n"
               "    return client.chat.completions.create(model='m', messages=[{'role': 'user', 'content': text}])\n"
               "def plain(question):\n"
               "    return client.chat.completions.create(model='m', messages=[{'role': 'user', 'content': question}])\n"
               "def sysmsg(secret_token):\n"
               "    return client.chat.completions.create(model='m', messages=[{'role': 'system', 'content': secret_token}])\n");
    const finding *fd = find_at(&p.out, "VG503", 7);
    CHECK(fd != NULL);
    if (fd) {
        CHECK_INT(fd->severity, SEV_HIGH);
        CHECK(fd->nsteps >= 3);
        CHECK_INT(fd->steps[0].line, 5);
        CHECK(strstr(fd->steps[0].message, "AWS_SECRET_ACCESS_KEY") != NULL);
        CHECK_INT(fd->steps[fd->nsteps - 1].line, 7);
        CHECK(fd->rule->cwe[0] == 359);
    }
    CHECK(find_at(&p.out, "VG503", 3) == NULL); /* the client's own key */
    CHECK(find_at(&p.out, "VG503", 9) == NULL);
    CHECK(find_at(&p.out, "VG505", 11) != NULL);
    CHECK(find_at(&p.out, "VG503", 11) == NULL); /* reported once, as the system prompt's */
    proj_close(&p);

    /* the same names outside LLM code are not sources */
    proj_open(&p);
    inline_src(&p, "plain.py",
               "import os, requests\n"
               "def send(client):\n"
               "    client.create(messages=[os.environ['AWS_SECRET_ACCESS_KEY']])\n");
    CHECK_INT(p.out.n, 0);
    proj_close(&p);
}

int main(int argc, char **argv)
{
    opts_init(&opts);
    opts.taint_enabled = 1;
    families_register();
    if (argc > 1) {
        if (getenv("VG_NO_TAINT")) opts.taint_enabled = 0; /* timing the parse alone */
        print_findings(argc, argv);
        registry_free();
        opts_free(&opts);
        return 0;
    }
    test_inline();
    test_llm();
    test_cross_module_sites();
    registry_free();
    opts_free(&opts);
    return T_DONE("test_taint");
}
