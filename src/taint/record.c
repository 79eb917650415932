/* record.c - the cross-module facts of one module as bytes, and back (see
 * summary.h: summary_rec_func, summary_rec_call, summary_replay).
 *
 * A record is a sequence of items, each a tag byte ('F' a function
 * summary, 'C' a call into another module) and its fields: integers as
 * 4 little-endian bytes, strings as a 4-byte length (0xffffffff for NULL)
 * and the bytes.  A sink's finding site is not written: a replayed module
 * is context only (another shard's file, or one --staged does not report),
 * so a finding at its own sink is never reported from this run, and
 * emit_finding drops a finding without a site.
 *
 * The reader trusts nothing (the bytes come from a cache file on disk):
 * every length is checked against what is left, every count against the
 * caps of core/limits.h, and a record that does not parse adds nothing.
 */
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "../core/limits.h"
#include "../core/xalloc.h"

#define NIL 0xffffffffu

static void put_u32(buf *b, uint32_t v)
{
    unsigned char c[4] = {(unsigned char)v, (unsigned char)(v >> 8), (unsigned char)(v >> 16),
                          (unsigned char)(v >> 24)};
    buf_append(b, c, 4);
}

static void put_int(buf *b, int v) { put_u32(b, (uint32_t)v); }

static void put_str(buf *b, const char *s)
{
    if (!s) {
        put_u32(b, NIL);
        return;
    }
    size_t n = strlen(s);
    put_u32(b, (uint32_t)n);
    buf_append(b, s, n);
}

static void put_trail(buf *b, const ts_trail *t)
{
    put_int(b, t->n);
    for (int i = 0; i < t->n; i++) {
        put_str(b, t->v[i].path);
        put_int(b, t->v[i].line);
        put_int(b, t->v[i].col);
        put_str(b, t->v[i].msg);
    }
}

void summary_rec_func(buf *b, const ts_func *fn)
{
    buf_putc(b, 'F');
    put_str(b, fn->qname);
    put_int(b, fn->nparams);
    for (int i = 0; i < fn->nparams; i++) put_str(b, fn->pnames[i]);
    put_int(b, fn->nsinks);
    for (int i = 0; i < fn->nsinks; i++) {
        const ts_sink *s = &fn->sinks[i];
        put_u32(b, s->params);
        put_int(b, (int)s->fam);
        put_str(b, s->path);
        put_int(b, s->line);
        put_int(b, s->col);
        put_int(b, s->end_line);
        put_int(b, s->end_col);
        put_str(b, s->what);
        put_trail(b, &s->trail);
    }
    put_int(b, fn->has_ret);
    put_u32(b, fn->ret_params);
    put_u32(b, fn->ret_kinds);
    put_u32(b, fn->ret_safe);
    put_str(b, fn->ret_src);
}

void summary_rec_call(buf *b, const ts_call *c)
{
    buf_putc(b, 'C');
    put_str(b, c->callee);
    put_str(b, c->caller);
    put_str(b, c->path);
    put_int(b, c->line);
    put_int(b, c->col);
    put_int(b, c->nargs);
    for (int i = 0; i < c->nargs; i++) {
        const ts_arg *a = &c->args[i];
        put_str(b, a->kw);
        put_int(b, a->pos);
        put_u32(b, a->kinds);
        put_u32(b, a->params);
        put_u32(b, a->safe);
        put_trail(b, &a->trail);
    }
}

/* ---- reading --------------------------------------------------------------- */

typedef struct rd {
    const unsigned char *p, *end;
    int bad;
} rd;

static uint32_t get_u32(rd *r)
{
    if (r->bad || r->end - r->p < 4) {
        r->bad = 1;
        return 0;
    }
    uint32_t v = (uint32_t)r->p[0] | (uint32_t)r->p[1] << 8 | (uint32_t)r->p[2] << 16 |
                 (uint32_t)r->p[3] << 24;
    r->p += 4;
    return v;
}

/* An int in [lo, hi], else the record is bad. */
static int get_int(rd *r, int lo, int hi)
{
    int v = (int)get_u32(r);
    if (v < lo || v > hi) r->bad = 1;
    return r->bad ? lo : v;
}

/* A heap copy, NULL for a NULL string (allowed only where nil_ok). */
static char *get_str(rd *r, int nil_ok)
{
    uint32_t n = get_u32(r);
    if (r->bad) return NULL;
    if (n == NIL) {
        if (!nil_ok) r->bad = 1;
        return NULL;
    }
    if (n > (size_t)(r->end - r->p) || memchr(r->p, 0, n)) {
        r->bad = 1;
        return NULL;
    }
    char *s = xmalloc((size_t)n + 1);
    memcpy(s, r->p, n);
    s[n] = 0;
    r->p += n;
    return s;
}

/* Counts are bounded by what is left (each element takes at least 4
 * bytes), so a forged count cannot make a huge allocation. */
static int get_count(rd *r)
{
    int n = get_int(r, 0, TAINT_MAX_RECORDS);
    if ((size_t)n > (size_t)(r->end - r->p) / 4) r->bad = 1;
    return r->bad ? 0 : n;
}

static void get_trail(rd *r, ts_trail *t)
{
    t->n = 0;
    t->v = NULL;
    int n = get_count(r);
    if (!n) return;
    t->v = xcalloc((size_t)n, sizeof *t->v);
    for (; t->n < n && !r->bad; t->n++) {
        ts_step *s = &t->v[t->n];
        s->path = get_str(r, 0);
        s->line = get_int(r, -1, 1 << 30);
        s->col = get_int(r, -1, 1 << 30);
        s->msg = get_str(r, 0);
    }
}

static ts_func *get_func(rd *r)
{
    ts_func *fn = xcalloc(1, sizeof *fn);
    fn->qname = get_str(r, 0);
    int np = get_count(r);
    if (np) fn->pnames = xcalloc((size_t)np, sizeof *fn->pnames);
    for (; fn->nparams < np && !r->bad; fn->nparams++) fn->pnames[fn->nparams] = get_str(r, 0);
    int ns = get_count(r);
    if (ns) {
        fn->sinks = xcalloc((size_t)ns, sizeof *fn->sinks);
        fn->capsinks = (size_t)ns;
    }
    for (; fn->nsinks < ns && !r->bad; fn->nsinks++) {
        ts_sink *s = &fn->sinks[fn->nsinks];
        s->params = get_u32(r);
        s->fam = (taint_family)get_int(r, 0, TF_COUNT - 1);
        s->path = get_str(r, 0);
        s->line = get_int(r, -1, 1 << 30);
        s->col = get_int(r, -1, 1 << 30);
        s->end_line = get_int(r, -1, 1 << 30);
        s->end_col = get_int(r, -1, 1 << 30);
        s->what = get_str(r, 0);
        get_trail(r, &s->trail);
    }
    fn->has_ret = get_int(r, 0, 1);
    fn->ret_params = get_u32(r);
    fn->ret_kinds = (uint8_t)get_int(r, 0, 255);
    fn->ret_safe = get_u32(r);
    fn->ret_src = get_str(r, 1);
    return fn;
}

static ts_call *get_call(rd *r)
{
    ts_call *c = xcalloc(1, sizeof *c);
    c->callee = get_str(r, 0);
    c->caller = get_str(r, 0);
    c->path = get_str(r, 0);
    c->line = get_int(r, -1, 1 << 30);
    c->col = get_int(r, -1, 1 << 30);
    int na = get_count(r);
    if (na) c->args = xcalloc((size_t)na, sizeof *c->args);
    for (; c->nargs < na && !r->bad; c->nargs++) {
        ts_arg *a = &c->args[c->nargs];
        a->kw = get_str(r, 1);
        a->pos = get_int(r, -1, 1 << 20);
        a->kinds = (uint8_t)get_int(r, 0, 255);
        a->params = get_u32(r);
        a->safe = get_u32(r);
        get_trail(r, &a->trail);
    }
    return c;
}

int summary_replay(summary_store *st, const unsigned char *p, size_t n)
{
    /* parse everything first: a bad record adds nothing */
    rd r = {p, p + n, 0};
    ts_func **fv = NULL;
    ts_call **cv = NULL;
    size_t nf = 0, capf = 0, nc = 0, capc = 0;
    while (!r.bad && r.p < r.end) {
        unsigned char tag = *r.p++;
        if (tag == 'F') {
            ts_func *fn = get_func(&r);
            XGROW(fv, capf, nf + 1);
            fv[nf++] = fn;
        } else if (tag == 'C') {
            ts_call *c = get_call(&r);
            XGROW(cv, capc, nc + 1);
            cv[nc++] = c;
        } else {
            r.bad = 1;
        }
    }
    for (size_t i = 0; i < nf; i++)
        if (r.bad) ts_func_free(fv[i]);
        else summary_add_func(st, fv[i], NULL);
    for (size_t i = 0; i < nc; i++)
        if (r.bad) ts_call_free(cv[i]);
        else summary_add_call(st, cv[i], NULL);
    free(fv);
    free(cv);
    return r.bad ? -1 : 0;
}
