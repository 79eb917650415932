/* record.c - the cross-module facts of one module as bytes, and back (see
 * summary.h: summary_rec_func, summary_rec_call, summary_replay).
 *
 * A record is a sequence of items, each a tag byte ('F' a function
 * summary, 'C' a call into another module) and its fields: integers as
 * 4 little-endian bytes, strings as a 4-byte length (0xffffffff for NULL),
 * the bytes and a NUL, so that a decoded item points into the record
 * instead of copying it.  Each name the join looks up by (a function's,
 * a call's callee and caller) is followed by its summary_tail2_hash, so
 * that a replay hashes nothing.  A sink's finding site is not written: a replayed module
 * is context only (another shard's file, or one --staged does not report),
 * so a finding at its own sink is never reported from this run, and
 * emit_finding drops a finding without a site.
 *
 * The reader trusts nothing (the bytes come from a cache file on disk):
 * every length is checked against what is left, every count against the
 * caps of core/limits.h, and a record that does not parse adds nothing.
 * One reader serves both uses: summary_rec_items checks a whole record and
 * lists its items without allocating (at replay, in the walker's threads);
 * summary_rec_func_at / summary_rec_call_at decode one listed item into an
 * arena when the join looks it up (summary.c), its strings pointing into
 * the record.
 */
#include "summary.h"

#include <stdlib.h>
#include <string.h>

#include "../core/arena.h"
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

static void put_u64(buf *b, uint64_t v)
{
    put_u32(b, (uint32_t)v);
    put_u32(b, (uint32_t)(v >> 32));
}

static void put_str(buf *b, const char *s)
{
    if (!s) {
        put_u32(b, NIL);
        return;
    }
    size_t n = strlen(s);
    put_u32(b, (uint32_t)n);
    buf_append(b, s, n + 1); /* with its NUL */
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
    put_u64(b, summary_tail2_hash(fn->qname));
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
    put_u64(b, summary_tail2_hash(c->callee));
    put_u64(b, summary_tail2_hash(c->caller));
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
    arena *a; /* NULL: check only, store nothing */
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

static uint64_t get_u64(rd *r)
{
    uint64_t lo = get_u32(r);
    return lo | (uint64_t)get_u32(r) << 32;
}

/* An int in [lo, hi], else the record is bad. */
static int get_int(rd *r, int lo, int hi)
{
    int v = (int)get_u32(r);
    if (v < lo || v > hi) r->bad = 1;
    return r->bad ? lo : v;
}

/* The string in place (its NUL is in the record), NULL for a NULL string
 * (allowed only where nil_ok).  A NUL inside only shortens the string. */
static char *get_str(rd *r, int nil_ok)
{
    uint32_t n = get_u32(r);
    if (r->bad) return NULL;
    if (n == NIL) {
        if (!nil_ok) r->bad = 1;
        return NULL;
    }
    if (n >= (size_t)(r->end - r->p) || r->p[n]) {
        r->bad = 1;
        return NULL;
    }
    char *s = (char *)r->p;
    r->p += (size_t)n + 1;
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

/* n elements of size from the arena, or NULL when only checking. */
static void *get_array(rd *r, int n, size_t size)
{
    return r->a && n ? arena_alloc_n(r->a, (size_t)n, size) : NULL;
}

static void get_trail(rd *r, ts_trail *t)
{
    int n = get_count(r);
    ts_step one;
    t->n = 0;
    t->v = get_array(r, n, sizeof *t->v);
    for (int i = 0; i < n && !r->bad; i++) {
        ts_step *s = t->v ? &t->v[i] : &one;
        s->path = get_str(r, 0);
        s->line = get_int(r, -1, 1 << 30);
        s->col = get_int(r, -1, 1 << 30);
        s->msg = get_str(r, 0);
        if (t->v) t->n = i + 1;
    }
}

/* An 'F' item's fields into fn (whose qname the caller has read). */
static void get_func(rd *r, ts_func *fn)
{
    int np = get_count(r);
    char *pname;
    fn->pnames = get_array(r, np, sizeof *fn->pnames);
    for (int i = 0; i < np && !r->bad; i++) {
        pname = get_str(r, 0);
        if (fn->pnames) fn->pnames[fn->nparams++] = pname;
    }
    int ns = get_count(r);
    ts_sink one;
    fn->sinks = get_array(r, ns, sizeof *fn->sinks);
    fn->capsinks = fn->sinks ? (size_t)ns : 0;
    for (int i = 0; i < ns && !r->bad; i++) {
        ts_sink *s = fn->sinks ? &fn->sinks[i] : &one;
        s->params = get_u32(r);
        s->fam = (taint_family)get_int(r, 0, TF_COUNT - 1);
        s->path = get_str(r, 0);
        s->line = get_int(r, -1, 1 << 30);
        s->col = get_int(r, -1, 1 << 30);
        s->end_line = get_int(r, -1, 1 << 30);
        s->end_col = get_int(r, -1, 1 << 30);
        s->what = get_str(r, 0);
        get_trail(r, &s->trail);
        if (fn->sinks) fn->nsinks = i + 1;
    }
    fn->has_ret = get_int(r, 0, 1);
    fn->ret_params = get_u32(r);
    fn->ret_kinds = (uint8_t)get_int(r, 0, 255);
    fn->ret_safe = get_u32(r);
    fn->ret_src = get_str(r, 1);
}

/* A 'C' item's arguments into c (whose other fields the caller has read). */
static void get_args(rd *r, ts_call *c)
{
    int na = get_count(r);
    ts_arg one;
    c->args = get_array(r, na, sizeof *c->args);
    for (int i = 0; i < na && !r->bad; i++) {
        ts_arg *a = c->args ? &c->args[i] : &one;
        a->kw = get_str(r, 1);
        a->pos = get_int(r, -1, 1 << 20);
        a->kinds = (uint8_t)get_int(r, 0, 255);
        a->params = get_u32(r);
        a->safe = get_u32(r);
        get_trail(r, &a->trail);
        if (c->args) c->nargs = i + 1;
    }
}

int summary_rec_items(const unsigned char *p, size_t n, rec_item **items, size_t *nitems)
{
    rd r = {p, p + n, NULL, 0};
    rec_item *v = NULL;
    size_t nv = 0, cap = 0;
    while (!r.bad && r.p < r.end) {
        rec_item it;
        memset(&it, 0, sizeof it);
        it.tag = *r.p++;
        if (it.tag == 'F') {
            ts_func fn;
            memset(&fn, 0, sizeof fn);
            it.name = get_str(&r, 0);
            it.h = get_u64(&r);
            it.body = r.p;
            get_func(&r, &fn);
        } else if (it.tag == 'C') {
            ts_call c;
            memset(&c, 0, sizeof c);
            it.name = get_str(&r, 0);
            it.caller = get_str(&r, 0);
            it.path = get_str(&r, 0);
            it.line = get_int(&r, -1, 1 << 30);
            it.col = get_int(&r, -1, 1 << 30);
            it.h = get_u64(&r);
            it.hc = get_u64(&r);
            it.body = r.p;
            get_args(&r, &c);
        } else {
            r.bad = 1;
        }
        it.end = r.p;
        if (r.bad) break;
        XGROW(v, cap, nv + 1);
        v[nv++] = it;
    }
    if (r.bad) {
        free(v);
        v = NULL;
        nv = 0;
    }
    *items = v;
    *nitems = nv;
    return r.bad ? -1 : 0;
}

void summary_rec_func_at(arena *a, const rec_item *it, ts_func *fn)
{
    rd r = {it->body, it->end, a, 0};
    memset(fn, 0, sizeof *fn);
    fn->qname = (char *)it->name;
    get_func(&r, fn);
    if (r.bad) { /* not after summary_rec_items accepted it: no facts */
        const char *q = fn->qname;
        memset(fn, 0, sizeof *fn);
        fn->qname = (char *)q;
    }
}

void summary_rec_call_at(arena *a, const rec_item *it, ts_call *c)
{
    rd r = {it->body, it->end, a, 0};
    memset(c, 0, sizeof *c);
    c->callee = (char *)it->name;
    c->caller = (char *)it->caller;
    c->path = (char *)it->path;
    c->line = it->line;
    c->col = it->col;
    get_args(&r, c);
    if (r.bad) {
        c->args = NULL;
        c->nargs = 0;
    }
}
