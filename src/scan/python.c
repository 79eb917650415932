/* python.c - the Python analyzer: parse each .py file once, resolve its
 * names, run the pattern rules (src/rules/) and then the taint engine on
 * the same AST.
 *
 * Each worker thread owns an arena (reset after every file) and a child
 * interner (kept for the whole scan, see intern.h), created on the
 * thread's first file, after init interned the engine's names into the
 * global interner (so an identifier in any file is pointer-equal to
 * them).  Syntax errors become warnings with file:line:col
 * in out->diags; the parser recovers, so rules still run on the rest of
 * the file.
 */
#include "ctxcache.h"
#include "families.h"
#include "../finding/analyzer.h"
#include "../core/buf.h"
#include "../core/arena.h"
#include "../core/intern.h"
#include "../core/xalloc.h"
#include "../finding/finding.h"
#include "../rules/rules.h"
#include "../taint/taint.h"
#include "../python/parse.h"
#include "../python/resolve.h"

#include <stdlib.h>

typedef struct py_thread {
    arena a;
    interner *in;      /* NULL until the thread's first file */
} py_thread;

typedef struct py_state {
    py_thread *threads;
    int nthreads;
    taint_state *taint; /* src/taint: init/module/finish/fini wired below */
    bandit_cfg bandit;  /* --profile bandit: Bandit's plugin settings ([bandit]) */
} py_state;

static vg_status py_init(vg_scan *s, void **state, diag_list *d)
{
    (void)d;
    py_state *st = xcalloc(1, sizeof *st);
    st->nthreads = s->nthreads > 0 ? s->nthreads : 1;
    st->threads = xcalloc((size_t)st->nthreads, sizeof *st->threads);
    bandit_cfg_load(&st->bandit, s->opts->config_root);
    intern_global(); /* created here, single-threaded; taint_init interns its names into it */
    *state = st;
    return taint_init(s->opts, &st->taint, d);
}

static py_thread *thread_of(py_state *st)
{
    int t = pool_thread_index();
    if (t < 0 || t >= st->nthreads) t = 0;
    py_thread *th = &st->threads[t];
    if (!th->in) {
        arena_init(&th->a, 0);
        th->in = intern_new(intern_global());
    }
    return th;
}

/* A file read as context only: its findings are dropped, so only what
 * cross-module taint needs from it is made, from the context cache when an
 * earlier run stored it (no parse), else from the parse, and stored. */
int python_context_replay(vg_scan *s, void *state, uint64_t key)
{
    size_t n = 0;
    const unsigned char *rec = ctxcache_get(s->cache, key, &n);
    return rec && taint_replay(((py_state *)state)->taint, rec, n) == 0;
}

static void py_context(vg_scan *s, py_state *st, const vg_file *f)
{
    if (python_context_replay(s, st, f->cache_key)) return;
    py_thread *th = thread_of(st);
    diag_list errors = {0};
    py_module *m = (f->decoded ? py_parse_decoded : py_parse)(&th->a, th->in, f->path, f->data,
                                                              f->len, &errors);
    diag_free(&errors);
    py_resolver *r = resolve_module(&th->a, th->in, m, f->path);
    vg_out tmp;
    out_init(&tmp, s->opts);
    buf b;
    buf_init(&b, 0);
    taint_module_rec(st->taint, f, m, r, &tmp, tmp.n, f->cache_key ? &b : NULL);
    if (f->cache_key) ctxcache_put(s->cache, f->cache_key, b.data, b.len);
    buf_free(&b);
    out_free(&tmp);
    arena_reset(&th->a);
}

static vg_status py_file(vg_scan *s, void *state, const vg_file *f, vg_out *out)
{
    if (f->kind != FK_PYTHON) return VG_OK;
    if (f->context) {
        py_context(s, state, f);
        return VG_OK;
    }
    py_thread *th = thread_of(state);

    diag_list errors = {0};
    py_module *m = (f->decoded ? py_parse_decoded : py_parse)(&th->a, th->in, f->path, f->data,
                                                              f->len, &errors);
    for (size_t i = 0; i < errors.n; i++)
        diag_add(&out->diags, DIAG_WARNING, errors.v[i].path ? errors.v[i].path : f->path,
                 errors.v[i].line, errors.v[i].col, "syntax error: %s", errors.v[i].message);
    if (m->nerrors || errors.n) out->parse_errors++;
    diag_free(&errors);

    if (f->encoding && f->encoding_hides) {
        size_t at = file_line_start(f, f->encoding_line), end = at;
        while (end < f->len && f->data[end] != '\n' && f->data[end] != '\r') end++;
        out_add_span(out, f, "VG801", at, end,
                     f->decoded ? "coding cookie '%s': the code CPython runs is not the code the "
                                  "bytes show (analysed decoded)"
                                : "coding cookie '%s': the code CPython runs is not the code the "
                                  "bytes show, and vibeguard cannot decode it",
                     f->encoding);
    }

    py_resolver *r = resolve_module(&th->a, th->in, m, f->path);
    rule_ctx c = {.f = f, .out = out, .mod = m, .res = r, .a = &th->a,
                 .bandit = s->opts->profile == PROFILE_BANDIT,
                 .bcfg = &((py_state *)state)->bandit, .work = &out->rules_work};
    size_t first = out->n; /* this file's pattern findings, refined by taint */
    rules_run(&c);

    /* after the rules: run taint on the module (same AST, same resolver);
     * under --profile bandit the pattern findings keep Bandit's severity
     * and confidence, so taint gets none of them to refine */
    taint_module(((py_state *)state)->taint, f, m, r, out, c.bandit ? out->n : first);

    arena_reset(&th->a);
    return VG_OK;
}

static vg_status py_finish(vg_scan *s, void *state, vg_out *out)
{
    (void)s;
    return taint_finish(((py_state *)state)->taint, out); /* cross-module flows */
}

static void py_fini(void *state)
{
    py_state *st = state;
    if (!st) return;
    taint_fini(st->taint);
    bandit_cfg_free(&st->bandit);
    for (int i = 0; i < st->nthreads; i++)
        if (st->threads[i].in) {
            arena_free(&st->threads[i].a);
            intern_free(st->threads[i].in);
        }
    free(st->threads);
    free(st);
}

const analyzer python_analyzer = {"python", py_init, py_file, py_finish, py_fini};
