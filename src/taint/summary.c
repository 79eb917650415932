/* summary.c - cross-module taint: join the calls each module makes into
 * functions it does not define with the summaries of those functions.
 *
 * Matching is by qualified name, tolerant of where the scan root sits: a
 * call to "db.find_user" matches a function "app.db.find_user" (and the
 * other way round) at a dotted boundary.  A call whose argument carries a
 * source into a parameter that reaches a sink is a finding at the sink; an
 * argument that carries a parameter of the caller makes the caller's own
 * summary reach that sink, and the next round follows it (MAX_ROUNDS bounds
 * the depth of helper chains across modules).  Work per round is linear in
 * the number of recorded calls.
 */
#include "summary.h"
#include "../core/limits.h"

#include <ctype.h>
#include <pthread.h>
#include <stdlib.h>
#include <string.h>

#include "../core/hash.h"
#include "../core/xalloc.h"
#include "taint_int.h"

#define MAX_ROUNDS TAINT_MAX_ROUNDS   /* core/limits.h */
#define MAX_RECORDS TAINT_MAX_RECORDS

/* A function of the store: a live one (its module was analysed in this
 * run), or one replayed from the context cache, decoded from its record
 * item the first time the join needs more than its name, and copied to the
 * heap the first time the join changes it (a caller gaining a sink). */
typedef struct fent {
    const char *qname;
    uint64_t ht;                    /* summary_tail2_hash(qname) */
    ts_func *fn;                    /* NULL: not decoded yet */
    const unsigned char *body, *end; /* a replayed one's record item */
    uint32_t next;                  /* the next in its index chain, or NONE */
    unsigned char owned;            /* fn is a heap object (else in the arena) */
} fent;

/* A call, live or replayed (decoded when its callee has a sink). */
typedef struct cent {
    const char *callee, *caller, *path;
    int line, col;
    uint64_t ht, htc;               /* summary_tail2_hash of callee and caller */
    ts_call *c;                     /* NULL: not decoded yet */
    const unsigned char *body, *end;
    uint32_t fn;                    /* the callee, resolved at a round's start */
    unsigned char owned;
} cent;

#define NONE UINT32_MAX

struct summary_store {
    pthread_mutex_t mu;
    fent *fe;
    size_t nf, capf;
    cent *ce;
    size_t nc, capc;
    struct deferred {
        finding *fd;
        char *via;
        taint_family fam;
        int need_src;
    } *def;
    size_t nd, capd;
    arena a;                        /* what the join decodes: freed in one go */
    uint32_t *head;                 /* index of fe by ht: chain heads */
    size_t nb;                      /* a power of two; 0 before the join */
    size_t n0;                      /* functions that were there when the join began */
};

summary_store *summary_new(void)
{
    summary_store *st = xcalloc(1, sizeof *st);
    pthread_mutex_init(&st->mu, NULL);
    arena_init(&st->a, 0);
    return st;
}

/* s copied to *at, which moves past its NUL; NULL for NULL.  For the
 * one-block copies below, which size the block first. */
static char *put(char **at, const char *s)
{
    if (!s) return NULL;
    size_t len = strlen(s) + 1;
    char *r = memcpy(*at, s, len);
    *at += len;
    return r;
}

char **ts_pnames_dup(const char *const *src, int n)
{
    size_t bytes = ((size_t)n + 1) * sizeof(char *);
    for (int i = 0; i < n; i++)
        if (src[i]) bytes += strlen(src[i]) + 1;
    char **v = xmalloc(bytes);
    char *at = (char *)(v + n + 1);
    for (int i = 0; i < n; i++) v[i] = put(&at, src[i]);
    v[n] = NULL;
    return v;
}

static int same_path(const ts_step *v, int i)
{
    return i > 0 && v[i].path && v[i - 1].path && !strcmp(v[i].path, v[i - 1].path);
}

ts_trail ts_trail_pack(const ts_step *v, int n)
{
    ts_trail r = {0};
    if (n <= 0) return r;
    size_t bytes = (size_t)n * sizeof *v;
    for (int i = 0; i < n; i++) {
        if (v[i].path && !same_path(v, i)) bytes += strlen(v[i].path) + 1;
        if (v[i].msg) bytes += strlen(v[i].msg) + 1;
    }
    r.v = xmalloc(bytes);
    r.n = n;
    char *at = (char *)(r.v + n);
    for (int i = 0; i < n; i++) {
        r.v[i].path = same_path(v, i) ? r.v[i - 1].path : put(&at, v[i].path);
        r.v[i].line = v[i].line;
        r.v[i].col = v[i].col;
        r.v[i].msg = put(&at, v[i].msg);
    }
    return r;
}

void ts_trail_free(ts_trail *t)
{
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

void ts_func_free(ts_func *fn)
{
    if (!fn) return;
    free(fn->qname);
    free(fn->ret_src);
    free(fn->pnames);
    for (int i = 0; i < fn->nsinks; i++) {
        free(fn->sinks[i].path);
        finding_site_free(fn->sinks[i].site);
        free(fn->sinks[i].what);
        ts_trail_free(&fn->sinks[i].trail);
    }
    free(fn->sinks);
    free(fn);
}

void ts_call_free(ts_call *c)
{
    if (!c) return;
    free(c->callee);
    free(c->caller);
    free(c->path);
    for (int i = 0; i < c->nargs; i++) {
        free(c->args[i].kw);
        ts_trail_free(&c->args[i].trail);
    }
    free(c->args);
    free(c);
}

void summary_free(summary_store *st)
{
    if (!st) return;
    for (size_t i = 0; i < st->nf; i++)
        if (st->fe[i].owned) ts_func_free(st->fe[i].fn);
    for (size_t i = 0; i < st->nc; i++)
        if (st->ce[i].owned) ts_call_free(st->ce[i].c);
    for (size_t i = 0; i < st->nd; i++) {
        finding_free(st->def[i].fd);
        free(st->def[i].via);
    }
    free(st->def);
    free(st->fe);
    free(st->ce);
    free(st->head);
    arena_free(&st->a);
    pthread_mutex_destroy(&st->mu);
    free(st);
}

uint64_t summary_tail2_hash(const char *q)
{
    const char *end = q + strlen(q), *p = end;
    int dots = 0;
    while (p > q) {
        if (p[-1] == '.' && ++dots == 2) break;
        p--;
    }
    return hash_fnv1a64(p, (size_t)(end - p));
}

void summary_add_func(summary_store *st, ts_func *fn, buf *rec)
{
    if (rec) summary_rec_func(rec, fn);
    uint64_t h = summary_tail2_hash(fn->qname);
    pthread_mutex_lock(&st->mu);
    if (st->nf < MAX_RECORDS) {
        XGROW(st->fe, st->capf, st->nf + 1);
        st->fe[st->nf++] = (fent){.qname = fn->qname, .ht = h, .fn = fn, .owned = 1};
        fn = NULL;
    }
    pthread_mutex_unlock(&st->mu);
    ts_func_free(fn);
}

/* Does any argument of c carry a source or a parameter of its caller?  A
 * call that carries neither can make no finding and extend no summary in
 * summary_finish, so it is not kept. */
static int call_carries(const ts_call *c)
{
    for (int i = 0; i < c->nargs; i++)
        if (c->args[i].kinds || c->args[i].params) return 1;
    return 0;
}

void summary_add_call(summary_store *st, ts_call *c, buf *rec)
{
    if (!call_carries(c)) {
        ts_call_free(c);
        return;
    }
    if (rec) summary_rec_call(rec, c);
    uint64_t h = summary_tail2_hash(c->callee), hc = summary_tail2_hash(c->caller);
    pthread_mutex_lock(&st->mu);
    if (st->nc < MAX_RECORDS) {
        XGROW(st->ce, st->capc, st->nc + 1);
        st->ce[st->nc++] = (cent){.callee = c->callee, .caller = c->caller, .path = c->path,
                                  .line = c->line, .col = c->col, .ht = h, .htc = hc, .c = c,
                                  .owned = 1};
        c = NULL;
    }
    pthread_mutex_unlock(&st->mu);
    ts_call_free(c);
}

/* The record's items join the store as they are: their names and bytes
 * stay in the record until the join decodes what it looks up.  (A replayed
 * call is kept whatever it carries: it was checked when it was recorded,
 * and one that carries nothing changes nothing in the join.) */
int summary_replay(summary_store *st, const unsigned char *p, size_t n)
{
    rec_item *v;
    size_t nv;
    if (summary_rec_items(p, n, &v, &nv) < 0) return -1;
    pthread_mutex_lock(&st->mu);
    for (size_t i = 0; i < nv; i++) {
        const rec_item *it = &v[i];
        if (it->tag == 'F' && st->nf < MAX_RECORDS) {
            XGROW(st->fe, st->capf, st->nf + 1);
            st->fe[st->nf++] = (fent){.qname = it->name, .ht = it->h, .body = it->body,
                                      .end = it->end};
        } else if (it->tag == 'C' && st->nc < MAX_RECORDS) {
            XGROW(st->ce, st->capc, st->nc + 1);
            st->ce[st->nc++] = (cent){.callee = it->name, .caller = it->caller,
                                      .path = it->path, .line = it->line, .col = it->col,
                                      .ht = it->h, .htc = it->hc, .body = it->body,
                                      .end = it->end};
        }
    }
    pthread_mutex_unlock(&st->mu);
    free(v);
    return 0;
}

void summary_add_deferred(summary_store *st, finding *fd, const char *via, taint_family fam,
                          int need_src)
{
    pthread_mutex_lock(&st->mu);
    if (st->nd < MAX_RECORDS) {
        XGROW(st->def, st->capd, st->nd + 1);
        st->def[st->nd++] = (struct deferred){fd, xstrdup(via), fam, need_src};
        fd = NULL;
    }
    pthread_mutex_unlock(&st->mu);
    finding_free(fd);
}

/* ---- decoding (single-threaded, in the join) ----------------------------- */

static ts_func *func_of(summary_store *st, uint32_t i)
{
    fent *f = &st->fe[i];
    if (!f->fn) {
        rec_item it = {.tag = 'F', .name = f->qname, .body = f->body, .end = f->end};
        f->fn = arena_alloc(&st->a, sizeof *f->fn);
        summary_rec_func_at(&st->a, &it, f->fn);
    }
    return f->fn;
}

static ts_call *call_of(summary_store *st, cent *e)
{
    if (!e->c) {
        rec_item it = {.tag = 'C', .name = e->callee, .caller = e->caller, .path = e->path,
                       .line = e->line, .col = e->col, .body = e->body, .end = e->end};
        e->c = arena_alloc(&st->a, sizeof *e->c);
        summary_rec_call_at(&st->a, &it, e->c);
    }
    return e->c;
}

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

/* Function i, to be changed: a heap copy of a decoded one first. */
static ts_func *func_mut(summary_store *st, uint32_t i)
{
    const ts_func *src = func_of(st, i);
    fent *f = &st->fe[i];
    if (f->owned) return f->fn;
    ts_func *fn = xcalloc(1, sizeof *fn);
    *fn = *src;
    fn->qname = xstrdup(src->qname);
    fn->ret_src = dup_or_null(src->ret_src);
    fn->pnames = src->nparams ? ts_pnames_dup((const char *const *)src->pnames, src->nparams) : NULL;
    fn->sinks = src->nsinks ? xcalloc((size_t)src->nsinks, sizeof *fn->sinks) : NULL;
    fn->capsinks = (size_t)src->nsinks;
    for (int k = 0; k < src->nsinks; k++) {
        const ts_sink *s = &src->sinks[k];
        ts_sink *d = &fn->sinks[k];
        *d = *s;
        d->path = dup_or_null(s->path);
        d->site = s->site ? finding_site_copy(s->site) : NULL;
        d->what = dup_or_null(s->what);
        d->trail = ts_trail_pack(s->trail.v, s->trail.n);
    }
    f->fn = fn;
    f->owned = 1;
    return fn;
}

/* ---- matching ----------------------------------------------------------- */

static int ends_with_dotted(const char *s, const char *suf)
{
    size_t n = strlen(s), k = strlen(suf);
    if (k > n) return 0;
    if (strcmp(s + n - k, suf) != 0) return 0;
    return k == n || s[n - k - 1] == '.';
}

static int qname_match(const char *a, const char *b)
{
    /* at least "module.function" must agree */
    if (!strchr(a, '.') || !strchr(b, '.')) return 0;
    return ends_with_dotted(a, b) || ends_with_dotted(b, a);
}

/* The order of the join's choices: the functions that were there when it
 * began by name (then in the order they came), those it added after them,
 * in the order it added them. */
static int before(const summary_store *st, uint32_t a, uint32_t b)
{
    if (a < st->n0 && b < st->n0) {
        int c = strcmp(st->fe[a].qname, st->fe[b].qname);
        if (c) return c < 0;
    }
    return a < b;
}

static void index_add(summary_store *st, uint32_t i)
{
    size_t b = st->fe[i].ht & (st->nb - 1);
    st->fe[i].next = st->head[b];
    st->head[b] = i;
}

static void index_build(summary_store *st)
{
    st->nb = 64;
    while (st->nb < st->nf) st->nb *= 2;
    st->head = xrealloc_n(NULL, st->nb, sizeof *st->head);
    memset(st->head, 0xff, st->nb * sizeof *st->head); /* NONE */
    for (size_t i = 0; i < st->nf; i++) index_add(st, (uint32_t)i);
}

/* The function q names (h: summary_tail2_hash(q)) among the first `limit`: the
 * first of the same name, else the first that matches at a dotted
 * boundary; NONE. */
static uint32_t lookup(const summary_store *st, const char *q, uint64_t h, size_t limit)
{
    uint32_t exact = NONE, best = NONE;
    if (!st->nb) return NONE;
    for (uint32_t i = st->head[h & (st->nb - 1)]; i != NONE; i = st->fe[i].next) {
        const fent *f = &st->fe[i];
        if (i >= limit || f->ht != h) continue;
        if (strcmp(f->qname, q) == 0) {
            if (exact == NONE || i < exact) exact = i;
        } else if (exact == NONE && qname_match(f->qname, q) && (best == NONE || before(st, i, best))) {
            best = i;
        }
    }
    return exact != NONE ? exact : best;
}

/* The function named exactly q (h: its summary_tail2_hash), added when there is
 * none. */
static uint32_t get_or_add(summary_store *st, const char *q, uint64_t h)
{
    uint32_t found = NONE;
    for (uint32_t i = st->head[h & (st->nb - 1)]; i != NONE; i = st->fe[i].next)
        if (st->fe[i].ht == h && strcmp(st->fe[i].qname, q) == 0 && (found == NONE || i < found))
            found = i;
    if (found != NONE) return found;
    ts_func *fn = xcalloc(1, sizeof *fn);
    fn->qname = xstrdup(q);
    XGROW(st->fe, st->capf, st->nf + 1);
    st->fe[st->nf] = (fent){.qname = fn->qname, .ht = h, .fn = fn, .owned = 1};
    index_add(st, (uint32_t)st->nf);
    return (uint32_t)st->nf++;
}

static int param_index(const ts_func *fn, const ts_arg *a)
{
    if (!a->kw) return a->pos;
    for (int i = 0; i < fn->nparams; i++)
        if (strcmp(fn->pnames[i], a->kw) == 0) return i;
    return -1;
}

static ts_trail trail_cat(const ts_trail *a, const ts_trail *b)
{
    int n = a->n + b->n;
    if (!n) return (ts_trail){0};
    ts_step *v = xmalloc((size_t)n * sizeof *v);
    if (a->n) memcpy(v, a->v, (size_t)a->n * sizeof *v);
    if (b->n) memcpy(v + a->n, b->v, (size_t)b->n * sizeof *v);
    ts_trail r = ts_trail_pack(v, n);
    free(v);
    return r;
}

/* ---- reporting ----------------------------------------------------------- */

typedef struct seen {
    char *path;
    int line, col;
    taint_family fam;
} seen;

/* A source reaching sink s through call c: the finding at the sink, made
 * from the site its module rendered (no file is read here). */
static void report(vg_out *out, const ts_sink *s, const ts_arg *a, const ts_call *c)
{
    finding *fd = emit_finding(out, s->site, s->fam, a->kinds, s->what, c->path, c->line);
    if (!fd) return;
    emit_trail(fd, &a->trail);
    emit_trail(fd, &s->trail);
    finding_set_prop(fd, "cross_module", "true");
}

/* The parameters of fn that the arguments named in spec ("1,use_path",
 * from via_spec in eval.c) bind to; all bits when spec is "*" or names a
 * keyword fn does not have. */
static uint32_t spec_params(const ts_func *fn, const char *spec)
{
    uint32_t m = 0;
    if (!spec || !*spec || strcmp(spec, "*") == 0) return ~0u;
    for (const char *p = spec; *p;) {
        const char *e = strchr(p, ',');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        if (isdigit((unsigned char)*p)) {
            int pos = atoi(p);
            if (pos >= 32) return ~0u;
            m |= 1u << pos;
        } else {
            int k = 0;
            while (k < fn->nparams && !(strlen(fn->pnames[k]) == len && !strncmp(fn->pnames[k], p, len))) k++;
            if (k >= fn->nparams || k >= 32) return ~0u;
            m |= 1u << k;
        }
        p += len + (e ? 1 : 0);
    }
    return m;
}

/* The sources q returns whatever its input, through the functions of the
 * tree whose results it returns (a bounded chain); *safe gets the families
 * the last link's value is safe for. */
static uint8_t chain_kinds(summary_store *st, const char *q, uint32_t *safe)
{
    uint8_t k = 0;
    *safe = 0;
    for (int depth = 0; q && depth < MAX_ROUNDS; depth++) {
        uint32_t i = lookup(st, q, summary_tail2_hash(q), st->nf);
        ts_func *fn = i != NONE ? func_of(st, i) : NULL;
        if (!fn || !fn->has_ret) break;
        k |= fn->ret_kinds;
        *safe |= fn->ret_safe;
        q = fn->ret_src;
    }
    return k;
}

static void settle_deferred(summary_store *st, const vg_opts *opts, vg_out *out)
{
    vg_out keep;
    out_init(&keep, opts);
    for (size_t i = 0; i < st->nd; i++) {
        struct deferred *d = &st->def[i];
        char *spec = strchr(d->via, '#');
        if (spec) *spec++ = 0;
        uint32_t fi = lookup(st, d->via, summary_tail2_hash(d->via), st->nf);
        ts_func *fn = fi != NONE ? func_of(st, fi) : NULL;
        /* the callee returns nothing of what carried the source: the
         * arguments that were tainted do not reach its return value */
        int drop = fn && fn->has_ret &&
                   ((!(fn->ret_params & spec_params(fn, spec)) && !fn->ret_kinds) ||
                    ((fn->ret_safe >> d->fam) & 1));
        if (d->need_src) {
            uint32_t safe;
            drop = !(chain_kinds(st, d->via, &safe) & SK_WEB) || ((safe >> d->fam) & 1);
        }
        if (drop) finding_free(d->fd);
        else {
            XGROW(keep.v, keep.cap, keep.n + 1);
            keep.v[keep.n++] = d->fd;
        }
        d->fd = NULL;
        free(d->via);
        d->via = NULL;
    }
    st->nd = 0;
    out_move(out, &keep);
    out_free(&keep);
}

/* The order calls are joined in: by place, then callee, then as they came. */
static int cmp_call(const void *a, const void *b)
{
    const cent *x = *(const cent *const *)a, *y = *(const cent *const *)b;
    int r = strcmp(x->path, y->path);
    if (r) return r;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    r = strcmp(x->callee, y->callee);
    if (r) return r;
    return x < y ? -1 : x > y;
}

/* The calls whose callee is a function of the tree (resolved among the
 * functions there are now), in cmp_call's order: a call into no function,
 * or into its own caller, can do nothing in a round. */
static size_t resolve_calls(summary_store *st, cent **act)
{
    size_t n = 0;
    for (size_t i = 0; i < st->nc; i++) {
        cent *e = &st->ce[i];
        e->fn = lookup(st, e->callee, e->ht, st->nf);
        if (e->fn != NONE && strcmp(st->fe[e->fn].qname, e->caller) != 0) act[n++] = e;
    }
    if (n > 1) qsort(act, n, sizeof *act, cmp_call);
    return n;
}

vg_status summary_finish(summary_store *st, const vg_opts *opts, vg_out *out)
{
    if (!st) return VG_OK;
    st->n0 = st->nf;
    if (st->nf && !st->nb) index_build(st);
    if (st->nd) settle_deferred(st, opts, out);
    if (!st->nc || !st->nf) return VG_OK;
    seen *sv = NULL;
    size_t ns = 0, caps = 0;
    cent **act = xrealloc_n(NULL, st->nc, sizeof *act);
    size_t nact = 0, indexed = (size_t)-1;
    for (int round = 0; round < MAX_ROUNDS; round++) {
        int changed = 0;
        size_t nf0 = st->nf;
        if (indexed != st->nf) { /* callers added last round can be callees now */
            nact = resolve_calls(st, act);
            indexed = st->nf;
        }
        for (size_t ci = 0; ci < nact; ci++) {
            cent *e = act[ci];
            ts_func *fn = func_of(st, e->fn);
            int nsinks = fn->nsinks;
            if (!nsinks) continue;
            const ts_call *c = call_of(st, e);
            for (int k = 0; k < nsinks; k++) {
                for (int j = 0; j < c->nargs; j++) {
                    const ts_arg *a = &c->args[j];
                    int p = param_index(fn, a);
                    if (p < 0 || p >= 32 || !(fn->sinks[k].params & (1u << p))) continue;
                    if ((a->safe >> fn->sinks[k].fam) & 1) continue;
                    uint8_t kinds = (uint8_t)taint_kinds_for(fn->sinks[k].fam, a->kinds);
                    if (kinds) {
                        const ts_sink *s = &fn->sinks[k];
                        int dup = 0;
                        for (size_t q = 0; q < ns && !dup; q++)
                            dup = sv[q].line == s->line && sv[q].col == s->col &&
                                  sv[q].fam == s->fam && strcmp(sv[q].path, s->path) == 0;
                        if (!dup) {
                            XGROW(sv, caps, ns + 1);
                            sv[ns++] = (seen){s->path, s->line, s->col, s->fam};
                            report(out, s, a, c);
                        }
                    }
                    if (a->params) {
                        uint32_t ci2 = get_or_add(st, c->caller, e->htc);
                        if (ci2 == e->fn) break;
                        ts_func *caller = func_of(st, ci2);
                        const ts_sink *s = &fn->sinks[k];
                        int found = 0;
                        for (int q = 0; q < caller->nsinks; q++) {
                            const ts_sink *d = &caller->sinks[q];
                            if (d->line == s->line && d->col == s->col && d->fam == s->fam &&
                                strcmp(d->path, s->path) == 0) {
                                found = 1;
                                if ((d->params | a->params) != d->params) {
                                    caller = func_mut(st, ci2);
                                    caller->sinks[q].params |= a->params;
                                    changed = 1;
                                }
                            }
                        }
                        if (!found) {
                            caller = func_mut(st, ci2);
                            ts_sink d = {0};
                            d.params = a->params;
                            d.fam = s->fam;
                            d.path = xstrdup(s->path);
                            d.site = s->site ? finding_site_copy(s->site) : NULL;
                            d.line = s->line;
                            d.col = s->col;
                            d.end_line = s->end_line;
                            d.end_col = s->end_col;
                            d.what = xstrdup(s->what);
                            d.trail = trail_cat(&a->trail, &s->trail);
                            XGROW(caller->sinks, caller->capsinks, (size_t)caller->nsinks + 1);
                            caller->sinks[caller->nsinks++] = d;
                            changed = 1;
                        }
                        /* caller's parameter names are not known here: positional
                         * calls into it are matched by position */
                    }
                }
            }
        }
        if (!changed && st->nf == nf0) break;
    }
    free(act);
    free(sv);
    return VG_OK;
}
