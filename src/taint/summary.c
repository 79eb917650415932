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

struct summary_store {
    pthread_mutex_t mu;
    ts_func **funcs;
    size_t nf, capf;
    ts_call **calls;
    size_t nc, capc;
    struct deferred {
        finding *fd;
        char *via;
        taint_family fam;
        int need_src;
    } *def;
    size_t nd, capd;
};

summary_store *summary_new(void)
{
    summary_store *st = xcalloc(1, sizeof *st);
    pthread_mutex_init(&st->mu, NULL);
    return st;
}

void ts_trail_free(ts_trail *t)
{
    for (int i = 0; i < t->n; i++) {
        free(t->v[i].path);
        free(t->v[i].msg);
    }
    free(t->v);
    t->v = NULL;
    t->n = 0;
}

void ts_func_free(ts_func *fn)
{
    if (!fn) return;
    free(fn->qname);
    free(fn->ret_src);
    for (int i = 0; i < fn->nparams; i++) free(fn->pnames[i]);
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
    for (size_t i = 0; i < st->nf; i++) ts_func_free(st->funcs[i]);
    for (size_t i = 0; i < st->nc; i++) ts_call_free(st->calls[i]);
    for (size_t i = 0; i < st->nd; i++) {
        finding_free(st->def[i].fd);
        free(st->def[i].via);
    }
    free(st->def);
    free(st->funcs);
    free(st->calls);
    pthread_mutex_destroy(&st->mu);
    free(st);
}

void summary_add_func(summary_store *st, ts_func *fn, buf *rec)
{
    if (rec) summary_rec_func(rec, fn);
    pthread_mutex_lock(&st->mu);
    if (st->nf < MAX_RECORDS) {
        XGROW(st->funcs, st->capf, st->nf + 1);
        st->funcs[st->nf++] = fn;
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
    pthread_mutex_lock(&st->mu);
    if (st->nc < MAX_RECORDS) {
        XGROW(st->calls, st->capc, st->nc + 1);
        st->calls[st->nc++] = c;
        c = NULL;
    }
    pthread_mutex_unlock(&st->mu);
    ts_call_free(c);
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

static int cmp_func(const void *a, const void *b)
{
    const ts_func *x = *(ts_func *const *)a, *y = *(ts_func *const *)b;
    return strcmp(x->qname, y->qname);
}

static int cmp_call(const void *a, const void *b)
{
    const ts_call *x = *(ts_call *const *)a, *y = *(ts_call *const *)b;
    int r = strcmp(x->path, y->path);
    if (r) return r;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    return strcmp(x->callee, y->callee);
}

/* Index of the functions by the last two components of their qualified
 * name ("db.find_user"), and by the whole name. */
typedef struct fidx {
    int *head, *next2, *headq, *nextq;
    size_t nb, nbuilt;
} fidx;

static uint64_t tail2_hash(const char *q)
{
    const char *end = q + strlen(q), *p = end;
    int dots = 0;
    while (p > q) {
        if (p[-1] == '.' && ++dots == 2) break;
        p--;
    }
    return hash_fnv1a64(p, (size_t)(end - p));
}

static void fidx_build(fidx *x, summary_store *st)
{
    free(x->head);
    free(x->next2);
    free(x->headq);
    free(x->nextq);
    x->nb = 64;
    while (x->nb < st->nf * 2) x->nb *= 2;
    x->head = xrealloc_n(NULL, x->nb, sizeof *x->head);
    x->headq = xrealloc_n(NULL, x->nb, sizeof *x->headq);
    x->next2 = xrealloc_n(NULL, st->nf + 1, sizeof *x->next2);
    x->nextq = xrealloc_n(NULL, st->nf + 1, sizeof *x->nextq);
    for (size_t b = 0; b < x->nb; b++) x->head[b] = x->headq[b] = -1;
    x->nbuilt = st->nf;
    for (size_t i = st->nf; i-- > 0;) {
        size_t b = tail2_hash(st->funcs[i]->qname) & (x->nb - 1);
        x->next2[i] = x->head[b];
        x->head[b] = (int)i;
        b = hash_fnv1a64(st->funcs[i]->qname, strlen(st->funcs[i]->qname)) & (x->nb - 1);
        x->nextq[i] = x->headq[b];
        x->headq[b] = (int)i;
    }
}

static void fidx_free(fidx *x)
{
    free(x->head);
    free(x->next2);
    free(x->headq);
    free(x->nextq);
}

static ts_func *lookup(fidx *x, summary_store *st, const char *q)
{
    ts_func *best = NULL;
    for (int i = x->head[tail2_hash(q) & (x->nb - 1)]; i >= 0; i = x->next2[i]) {
        ts_func *fn = st->funcs[i];
        if (strcmp(fn->qname, q) == 0) return fn;
        if (!best && qname_match(fn->qname, q)) best = fn;
    }
    return best;
}

static ts_func *get_or_add(fidx *x, summary_store *st, const char *q)
{
    for (int i = x->headq[hash_fnv1a64(q, strlen(q)) & (x->nb - 1)]; i >= 0; i = x->nextq[i])
        if (strcmp(st->funcs[i]->qname, q) == 0) return st->funcs[i];
    for (size_t i = x->nbuilt; i < st->nf; i++) /* added in this round */
        if (strcmp(st->funcs[i]->qname, q) == 0) return st->funcs[i];
    ts_func *fn = xcalloc(1, sizeof *fn);
    fn->qname = xstrdup(q);
    XGROW(st->funcs, st->capf, st->nf + 1);
    st->funcs[st->nf++] = fn;
    return fn;
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
    ts_trail r = {0};
    r.n = a->n + b->n;
    if (!r.n) return r;
    r.v = xcalloc((size_t)r.n, sizeof *r.v);
    for (int i = 0; i < r.n; i++) {
        const ts_step *s = i < a->n ? &a->v[i] : &b->v[i - a->n];
        r.v[i].path = xstrdup(s->path);
        r.v[i].line = s->line;
        r.v[i].col = s->col;
        r.v[i].msg = xstrdup(s->msg);
    }
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
static uint8_t chain_kinds(fidx *x, summary_store *st, const char *q, uint32_t *safe)
{
    uint8_t k = 0;
    *safe = 0;
    for (int depth = 0; q && depth < MAX_ROUNDS; depth++) {
        ts_func *fn = st->nf ? lookup(x, st, q) : NULL;
        if (!fn || !fn->has_ret) break;
        k |= fn->ret_kinds;
        *safe |= fn->ret_safe;
        q = fn->ret_src;
    }
    return k;
}

static void settle_deferred(summary_store *st, fidx *x, const vg_opts *opts, vg_out *out)
{
    vg_out keep;
    out_init(&keep, opts);
    for (size_t i = 0; i < st->nd; i++) {
        struct deferred *d = &st->def[i];
        char *spec = strchr(d->via, '#');
        if (spec) *spec++ = 0;
        ts_func *fn = st->nf ? lookup(x, st, d->via) : NULL;
        /* the callee returns nothing of what carried the source: the
         * arguments that were tainted do not reach its return value */
        int drop = fn && fn->has_ret &&
                   ((!(fn->ret_params & spec_params(fn, spec)) && !fn->ret_kinds) ||
                    ((fn->ret_safe >> d->fam) & 1));
        if (d->need_src) {
            uint32_t safe;
            drop = !(chain_kinds(x, st, d->via, &safe) & SK_WEB) || ((safe >> d->fam) & 1);
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

vg_status summary_finish(summary_store *st, const vg_opts *opts, vg_out *out)
{
    if (!st) return VG_OK;
    if (st->nf) qsort(st->funcs, st->nf, sizeof *st->funcs, cmp_func);
    if (st->nd) {
        fidx x0 = {0};
        if (st->nf) fidx_build(&x0, st);
        settle_deferred(st, &x0, opts, out);
        fidx_free(&x0);
    }
    if (!st->nc || !st->nf) return VG_OK;
    qsort(st->calls, st->nc, sizeof *st->calls, cmp_call);
    seen *sv = NULL;
    size_t ns = 0, caps = 0;
    fidx x = {0};
    size_t indexed = (size_t)-1;
    for (int round = 0; round < MAX_ROUNDS; round++) {
        int changed = 0;
        size_t nf0 = st->nf;
        if (indexed != st->nf) { /* callers added last round join the index */
            fidx_build(&x, st);
            indexed = st->nf;
        }
        for (size_t ci = 0; ci < st->nc; ci++) {
            ts_call *c = st->calls[ci];
            ts_func *fn = lookup(&x, st, c->callee);
            if (!fn || strcmp(fn->qname, c->caller) == 0) continue;
            int nsinks = fn->nsinks;
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
                        ts_func *caller = get_or_add(&x, st, c->caller);
                        if (caller == fn) break;
                        ts_sink *s = &fn->sinks[k]; /* re-read: get_or_add may not move sinks */
                        int found = 0;
                        for (int q = 0; q < caller->nsinks; q++) {
                            ts_sink *d = &caller->sinks[q];
                            if (d->line == s->line && d->col == s->col && d->fam == s->fam &&
                                strcmp(d->path, s->path) == 0) {
                                found = 1;
                                if ((d->params | a->params) != d->params) {
                                    d->params |= a->params;
                                    changed = 1;
                                }
                            }
                        }
                        if (!found) {
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
    fidx_free(&x);
    free(sv);
    return VG_OK;
}
