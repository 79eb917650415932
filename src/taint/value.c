/* value.c - what the interpreter knows about a value, and where it keeps it.
 *
 * A tval says which sources reach a value (kinds), which parameters of the
 * current function reach it (params, for summaries), which sink families it
 * is safe for (sanitisers and guards), and its constant when known (for
 * folding branches that can never run).  Joining two values (after a
 * branch) keeps every taint and only what both agree on otherwise.
 *
 * An environment maps names ("x", "self.name", "d[key]") to tvals; branches
 * run from a mark and are joined afterwards by what each side wrote (a
 * journal, never a copy), and a dead side (a branch that returned or
 * raised) contributes nothing.  Steps record the path a value
 * took, back to its source; they and every string here live in the module
 * arena.
 */
#include "taint_int.h"

#include <ctype.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>

#include "../core/hash.h"
#include "../core/xalloc.h"

/* ---- values ---------------------------------------------------------- */

tval tv_opaque(void)
{
    tval v = {0};
    v.opaque = 1; v.unproven = TFM_ALL;
    return v;
}

tval tv_join(tval a, tval b)
{
    tval r = a;
    r.kinds = a.kinds | b.kinds;
    r.params = a.params | b.params;
    r.opaque = a.opaque | b.opaque;
    r.unproven = a.unproven | b.unproven;
    if (!TAINTED(a)) r.safe = b.safe;
    else if (!TAINTED(b)) r.safe = a.safe;
    else {
        /* a string whose start fixes the host is as safe for a redirect
         * as a validated one: `next = validated(x) or request.path` */
        uint32_t sa = a.safe | (a.prefix ? TFM_REDIRECT : 0), sb = b.safe | (b.prefix ? TFM_REDIRECT : 0);
        r.safe = sa & sb;
    }
    if (!(a.ck && b.ck)) r.ck = CK_NONE;
    else if (a.ck != b.ck || a.ci != b.ci || a.cs != b.cs) r.ck = CK_OTHER;
    r.trail = a.kinds ? a.trail : b.kinds ? b.trail : a.params ? a.trail : b.trail;
    if (a.cls != b.cls) r.cls = NULL;
    if (a.alias != b.alias) r.alias = NULL;
    r.prefix = a.prefix & b.prefix;
    r.match = a.match & b.match;
    r.via = (a.kinds && !a.via) || (b.kinds && !b.via) ? NULL : a.via ? a.via : b.via;
    r.defline = a.defline ? a.defline : b.defline;
    r.rsrc = a.rsrc ? a.rsrc : b.rsrc;
    return r;
}

tval tv_derived(tval v)
{
    if (v.ck) v.ck = CK_OTHER;
    v.cls = NULL;
    v.alias = NULL;
    v.match = 0;
    return v;
}

static uint8_t const_prefix(const char *p)
{
    if (!p) return 0;
    if (p[0] == '/' && p[1] != '/' && p[1] != '\\') return PFX_LOCAL;
    const char *sep = strstr(p, "://");
    if (!sep || sep == p) return 0;
    for (const char *q = p; q < sep; q++)
        if (!isalpha((unsigned char)*q)) return 0;
    const char *host = sep + 3, *slash = strchr(host, '/');
    if (!slash || slash == host) return 0;
    for (const char *q = host; q < slash; q++)
        if (*q == '@' || *q == '{' || *q == '%') return 0;
    return PFX_HOST;
}

tval tv_const(const py_node *k)
{
    tval v = {0};
    switch (k->constant.value) {
    case PY_CONST_TRUE: v.ck = CK_BOOL; v.ci = 1; break;
    case PY_CONST_FALSE: v.ck = CK_BOOL; v.ci = 0; break;
    case PY_CONST_NONE: v.ck = CK_NULL; break;
    case PY_CONST_INT:
        if (k->constant.ival_ok) {
            v.ck = CK_INT;
            v.ci = k->constant.ival;
        } else v.ck = CK_OTHER;
        break;
    case PY_CONST_STR:
        v.ck = CK_STR;
        v.cs = k->constant.s;
        v.cl = k->constant.len;
        v.prefix = const_prefix(k->constant.s);
        break;
    default: v.ck = CK_OTHER; break;
    }
    return v;
}

int tv_truth(tval v)
{
    if (TAINTED(v) || v.opaque) return -1;
    switch (v.ck) {
    case CK_BOOL: case CK_INT: return v.ci != 0;
    case CK_STR: return v.cl != 0;
    case CK_NULL: return 0;
    default: return -1;
    }
}

tval tv_bool(int b)
{
    tval v = {0};
    if (b < 0) {
        v.opaque = 1; v.unproven = TFM_ALL;
        return v;
    }
    v.ck = CK_BOOL;
    v.ci = b;
    return v;
}

int tv_compare(py_cmpop op, tval a, tval b)
{
    if (TAINTED(a) || TAINTED(b) || a.opaque || b.opaque) return -1;
    int num = (a.ck == CK_INT || a.ck == CK_BOOL) && (b.ck == CK_INT || b.ck == CK_BOOL);
    if (num) {
        switch (op) {
        case PY_Eq: return a.ci == b.ci;
        case PY_NotEq: return a.ci != b.ci;
        case PY_Lt: return a.ci < b.ci;
        case PY_LtE: return a.ci <= b.ci;
        case PY_Gt: return a.ci > b.ci;
        case PY_GtE: return a.ci >= b.ci;
        default: return -1;
        }
    }
    if (a.ck == CK_STR && b.ck == CK_STR) {
        int eq = a.cl == b.cl && memcmp(a.cs, b.cs, a.cl) == 0;
        if (op == PY_Eq) return eq;
        if (op == PY_NotEq) return !eq;
        if (op == PY_In || op == PY_NotIn) {
            int in = a.cl <= b.cl && memmem(b.cs, b.cl, a.cs, a.cl ? a.cl : 0) != NULL;
            if (!a.cl) in = 1;
            return op == PY_In ? in : !in;
        }
        return -1;
    }
    if (a.ck == CK_NULL && b.ck == CK_NULL && (op == PY_Is || op == PY_Eq)) return 1;
    if (a.ck == CK_NULL && b.ck == CK_NULL && (op == PY_IsNot || op == PY_NotEq)) return 0;
    if ((a.ck == CK_NULL) != (b.ck == CK_NULL) && a.ck && b.ck && b.ck != CK_OTHER &&
        a.ck != CK_OTHER) {
        if (op == PY_Is || op == PY_Eq) return 0;
        if (op == PY_IsNot || op == PY_NotEq) return 1;
    }
    return -1;
}

/* ---- environments -------------------------------------------------- */

/* hash_fnv1a64(k, strlen(k)), in one pass */
static uint64_t key_hash(const char *k)
{
    uint64_t h = HASH_FNV_INIT;
    for (const unsigned char *p = (const unsigned char *)k; *p; p++) h = (h ^ *p) * 0x100000001b3ULL;
    return h;
}

/* Entries this thread's environments visited (taint_module reports it as
 * work: one count per write, look-up, and entry copied, joined or
 * replayed). */
static _Thread_local size_t env_visits;

size_t env_work(void) { return env_visits; }

/* Would joining v with itself change it?  Only the redirect safety that a
 * tainted string with a constant start gains (tv_join). */
static int tv_settles(tval v) { return TAINTED(v) && v.prefix && !(v.safe & TFM_REDIRECT); }

static tval tv_settled(tval v)
{
    if (tv_settles(v)) v.safe |= TFM_REDIRECT;
    return v;
}

/* The value entry x holds on a path whose last join was at `normed`. */
static tval ent_value(const env_ent *x, uint32_t normed)
{
    return x->seq < normed ? tv_settled(x->v) : x->v;
}

void env_free(env *e)
{
    free(e->v);
    free(e->idx);
    free(e->j);
    free(e->rec);
    memset(e, 0, sizeof *e);
}

static void env_reindex(env *e)
{
    free(e->idx);
    e->icap = e->icap ? e->icap * 2 : 16;
    while (e->icap < e->n * 2 + 2) e->icap *= 2;
    e->idx = xrealloc_n(NULL, (size_t)e->icap, sizeof *e->idx);
    for (int j = 0; j < e->icap; j++) e->idx[j] = -1;
    unsigned mask = (unsigned)e->icap - 1;
    for (int i = 0; i < e->n; i++) {
        unsigned j = (unsigned)e->v[i].h & mask;
        while (e->idx[j] >= 0) j = (j + 1) & mask;
        e->idx[j] = i;
    }
}

/* The entry of key, gone or not. */
static env_ent *ent_find(const env *e, const char *key, uint64_t h)
{
    if (!e->icap) return NULL;
    env_visits++;
    unsigned mask = (unsigned)e->icap - 1;
    for (unsigned j = (unsigned)h & mask; e->idx[j] >= 0; j = (j + 1) & mask) {
        env_ent *x = &e->v[e->idx[j]];
        if (x->h == h && (x->key == key || strcmp(x->key, key) == 0)) return x;
    }
    return NULL;
}

/* Every change of an entry goes here: journaled while a mark is open. */
static void ent_write(env *e, env_ent *x, tval v, int gone)
{
    int i = (int)(x - e->v);
    env_visits++;
    if (e->marks) {
        XGROW(e->j, e->capj, (size_t)e->nj + 1);
        e->j[e->nj].i = i;
        e->j[e->nj++].old = *x;
    }
    x->v = v;
    x->gone = (uint8_t)gone;
    x->seq = ++e->clock;
    if (!gone && tv_settles(v)) {
        if (!e->marks && e->nrec && e->rec[e->nrec - 1].seq < e->normed) e->nrec = 0;
        XGROW(e->rec, e->caprec, (size_t)e->nrec + 1);
        e->rec[e->nrec].i = i;
        e->rec[e->nrec++].seq = x->seq;
    }
}

static env_ent *ent_add(env *e, const char *key, uint64_t h)
{
    XGROW(e->v, e->cap, (size_t)e->n + 1);
    env_ent *x = &e->v[e->n];
    memset(x, 0, sizeof *x);
    x->key = key;
    x->h = h;
    x->gone = 1;
    e->n++;
    if (e->n * 2 + 2 > e->icap) env_reindex(e);
    else {
        unsigned mask = (unsigned)e->icap - 1;
        unsigned j = (unsigned)h & mask;
        while (e->idx[j] >= 0) j = (j + 1) & mask;
        e->idx[j] = e->n - 1;
    }
    return x;
}

/* Keys are identifiers or built keys ("self.a"): equal pointers settle it,
 * else the text decides.  A value a join since its write has settled is
 * settled here, once (a journaled write: the env does not change meaning). */
env_ent *env_find(const env *ce, const char *key, uint64_t h)
{
    env *e = (env *)ce; /* settling changes the form, never the meaning */
    env_ent *x = ent_find(e, key, h);
    if (!x || x->gone) return NULL;
    if (x->seq < e->normed && tv_settles(x->v)) ent_write(e, x, tv_settled(x->v), 0);
    return x;
}

tval *env_get(const env *e, const char *key)
{
    env_ent *x = env_find(e, key, key_hash(key));
    return x ? &x->v : NULL;
}

void env_set(env *e, const char *key, tval v)
{
    uint64_t h = key_hash(key);
    env_ent *x = ent_find(e, key, h);
    ent_write(e, x ? x : ent_add(e, key, h), v, 0);
}

void env_copy(env *dst, const env *src)
{
    memset(dst, 0, sizeof *dst);
    dst->dead = src->dead;
    dst->clock = src->clock;
    dst->normed = src->normed;
    dst->stamp = src->stamp; /* the entries' stamps are older */
    env_visits += (size_t)src->n;
    if (!src->n) return;
    dst->cap = (size_t)src->n;
    dst->v = xrealloc_n(NULL, (size_t)dst->cap, sizeof *dst->v);
    memcpy(dst->v, src->v, (size_t)src->n * sizeof *src->v);
    dst->n = src->n;
    dst->icap = src->icap;
    dst->idx = xrealloc_n(NULL, (size_t)dst->icap, sizeof *dst->idx);
    memcpy(dst->idx, src->idx, (size_t)src->icap * sizeof *src->idx);
}

void env_merge(env *a, env *b)
{
    if (b->dead) {
        env_free(b);
        return;
    }
    if (a->dead) { /* a := b, written entry by entry (a may be journaled) */
        for (int i = 0; i < a->n; i++) {
            env_ent *x = &a->v[i];
            env_ent *y = ent_find(b, x->key, x->h);
            if (!x->gone && (!y || y->gone)) ent_write(a, x, (tval){0}, 1);
        }
        for (int i = 0; i < b->n; i++) {
            env_ent *y = &b->v[i];
            if (y->gone) continue;
            env_ent *x = ent_find(a, y->key, y->h);
            ent_write(a, x ? x : ent_add(a, y->key, y->h), ent_value(y, b->normed), 0);
        }
        a->dead = 0;
        env_free(b);
        return;
    }
    /* every value of a comes out joined, so nothing is left to settle; the
     * values it gets now are unsettled (later than normed) */
    uint32_t an = a->normed;
    a->normed = ++a->clock;
    int n = a->n;
    for (int i = 0; i < n; i++) {
        env_ent *x = &a->v[i];
        if (x->gone) continue;
        env_ent *y = ent_find(b, x->key, x->h);
        tval av = ent_value(x, an);
        ent_write(a, x, y && !y->gone ? tv_join(av, ent_value(y, b->normed)) : tv_derived(av), 0);
    }
    for (int i = 0; i < b->n; i++) {
        env_ent *y = &b->v[i];
        if (y->gone) continue;
        env_ent *x = ent_find(a, y->key, y->h);
        if (!x || x->gone) /* only in b */
            ent_write(a, x ? x : ent_add(a, y->key, y->h), tv_derived(ent_value(y, b->normed)), 0);
    }
    env_free(b);
}

/* ---- marks and joins without copies ------------------------------------ */

void env_mark_set(env *e, env_mark *m)
{
    e->marks++;
    *m = (env_mark){e->nj, e->nrec, e->dead, e->clock, e->normed};
}

void env_rollback(env *e, const env_mark *m)
{
    while (e->nj > m->nj) {
        env_undo *u = &e->j[--e->nj];
        e->v[u->i] = u->old;
    }
    if (e->nrec > m->nrec) e->nrec = m->nrec;
    e->normed = m->normed;
    e->dead = m->dead;
}

void env_release(env *e, const env_mark *m)
{
    (void)m;
    if (--e->marks == 0) e->nj = 0;
}

/* The entries written since m, each once, with its value at m (from the
 * journal: the first write after m saved it).  Entries in `seen` (stamped
 * with e->stamp) are left out.  *out is the caller's to free. */
typedef struct changed {
    env_ent *x;
    env_ent old;
} changed;

static int changes(env *e, const env_mark *m, changed **out)
{
    *out = NULL;
    if (e->nj == m->nj) return 0;
    env_visits += (size_t)(e->nj - m->nj);
    changed *c = xrealloc_n(NULL, (size_t)(e->nj - m->nj), sizeof *c);
    int n = 0;
    for (int k = m->nj; k < e->nj; k++) {
        env_ent *x = &e->v[e->j[k].i];
        if (x->stamp == e->stamp) continue;
        x->stamp = e->stamp;
        c[n].x = x;
        c[n++].old = e->j[k].old;
    }
    *out = c;
    return n;
}

void env_side_take(env *e, const env_mark *m, env_side *s)
{
    memset(s, 0, sizeof *s);
    s->normed = e->normed;
    s->dead = e->dead;
    if (e->nj == m->nj) return;
    changed *c;
    e->stamp++;
    int n = changes(e, m, &c);
    s->v = xrealloc_n(NULL, (size_t)n, sizeof *s->v);
    for (int k = 0; k < n; k++) {
        s->v[s->n].i = (int)(c[k].x - e->v);
        s->v[s->n].gone = c[k].x->gone;
        s->v[s->n++].v = ent_value(c[k].x, e->normed);
    }
    free(c);
}

void env_side_free(env_side *s)
{
    free(s->v);
    memset(s, 0, sizeof *s);
}

void env_side_replay(env *e, const env_side *s)
{
    for (int k = 0; k < s->n; k++) ent_write(e, &e->v[s->v[k].i], s->v[k].v, s->v[k].gone);
}

/* The join of one entry's two sides, as env_merge(a, b) makes it. */
static void join_one(env *e, env_ent *x, int ha, tval a, int hb, tval b)
{
    if (ha && hb) ent_write(e, x, tv_join(a, b), 0);
    else if (ha) ent_write(e, x, tv_derived(a), 0);
    else if (hb) ent_write(e, x, tv_derived(b), 0);
    else if (!x->gone) ent_write(e, x, (tval){0}, 1);
}

typedef struct joined {
    env_ent *x;
    int ha, hb;
    tval a, b;
} joined;

void env_join(env *e, const env_mark *m, env_side *a)
{
    if (e->dead) { /* a's side alone (when both are dead too, as env_merge) */
        env_rollback(e, m);
        env_side_replay(e, a);
        e->normed = a->normed;
        e->dead = a->dead;
        return;
    }
    if (a->dead) return; /* e's side alone */
    /* both sides go on: the entries either wrote are joined; the others,
     * the same on both, come out joined with themselves (normed) */
    e->stamp++;
    for (int k = 0; k < a->n; k++) e->v[a->v[k].i].stamp = e->stamp;
    changed *c;
    int nc = changes(e, m, &c); /* written by e's side only: a's value is the one at m */
    joined *w = xrealloc_n(NULL, (size_t)a->n + (size_t)nc + 1, sizeof *w);
    int n = 0;
    for (int k = 0; k < a->n; k++) {
        env_ent *x = &e->v[a->v[k].i];
        w[n++] = (joined){x, !a->v[k].gone, !x->gone, a->v[k].v, ent_value(x, e->normed)};
    }
    for (int k = 0; k < nc; k++)
        w[n++] = (joined){c[k].x, !c[k].old.gone, !c[k].x->gone, ent_value(&c[k].old, a->normed),
                          ent_value(c[k].x, e->normed)};
    free(c);
    e->normed = ++e->clock;
    for (int k = 0; k < n; k++) join_one(e, w[k].x, w[k].ha, w[k].a, w[k].hb, w[k].b);
    free(w);
}

void env_side_join(env *e, const env_mark *m, const env_side *a, env_side *out)
{
    if (a->dead || e->dead) {
        if (a->dead) env_side_take(e, m, out);
        else { /* as env_merge: a dead side drops out */
            *out = *a;
            out->v = a->n ? xrealloc_n(NULL, (size_t)a->n, sizeof *out->v) : NULL;
            if (a->n) memcpy(out->v, a->v, (size_t)a->n * sizeof *a->v);
        }
        return;
    }
    e->stamp++;
    for (int k = 0; k < a->n; k++) e->v[a->v[k].i].stamp = e->stamp;
    changed *c;
    int nc = changes(e, m, &c);
    memset(out, 0, sizeof *out);
    out->v = xrealloc_n(NULL, (size_t)a->n + (size_t)nc + 1, sizeof *out->v);
    env_visits += (size_t)a->n;
    for (int k = 0; k < a->n + nc; k++) {
        const env_ent *x = k < a->n ? &e->v[a->v[k].i] : c[k - a->n].x;
        int ha = k < a->n ? !a->v[k].gone : !c[k - a->n].old.gone, hb = !x->gone;
        tval av = k < a->n ? a->v[k].v : ent_value(&c[k - a->n].old, a->normed);
        tval bv = ent_value(x, e->normed), r = {0};
        if (ha && hb) r = tv_join(av, bv);
        else if (ha || hb) r = tv_derived(ha ? av : bv);
        out->v[out->n++] = (struct env_chg){(int)(x - e->v), r, (uint8_t)!(ha || hb)};
    }
    free(c);
    out->normed = ++e->clock; /* what neither wrote comes out joined with itself */
    out->dead = 0;
}

int env_loop_join(env *e, const env_mark *m, int ask)
{
    int carried = 0;
    changed *c;
    e->stamp++;
    int n = changes(e, m, &c);
    joined *w = xrealloc_n(NULL, (size_t)n + 1, sizeof *w);
    for (int k = 0; k < n; k++) {
        const env_ent *old = &c[k].old, *x = c[k].x;
        tval pre = ent_value(old, m->normed), post = ent_value(x, e->normed);
        if (!old->gone && !x->gone &&
            (post.kinds != pre.kinds || post.params != pre.params || post.safe != pre.safe))
            carried = 1;
        w[k] = (joined){c[k].x, !x->gone, !old->gone, post, pre};
    }
    free(c);
    /* a name the body never wrote changes only by settling: when a join in
     * the body settled a value written since the last join before the loop */
    if (ask && !carried && e->normed != m->normed)
        for (int k = m->nrec - 1; k >= 0 && e->rec[k].seq >= m->normed && !carried; k--) {
            const env_ent *x = &e->v[e->rec[k].i];
            env_visits++;
            carried = x->seq == e->rec[k].seq && !x->gone;
        }
    e->normed = ++e->clock;
    for (int k = 0; k < n; k++) join_one(e, w[k].x, w[k].ha, w[k].a, w[k].hb, w[k].b);
    free(w);
    return ask && carried;
}

/* ---- sinks by place --------------------------------------------------- */

static unsigned site_hash(int fam, int line, int col)
{
    uint64_t h = ((uint64_t)(unsigned)line * 0x9E3779B97F4A7C15ull) ^
                 ((uint64_t)(unsigned)col * 0xC2B2AE3D27D4EB4Full) ^ (uint64_t)(unsigned)fam;
    return (unsigned)(h ^ (h >> 29));
}

int site_idx_find(const site_idx *x, int fam, int line, int col)
{
    if (!x->cap) return -1;
    size_t mask = x->cap - 1;
    for (size_t j = site_hash(fam, line, col) & mask; x->s[j].i >= 0; j = (j + 1) & mask)
        if (x->s[j].fam == fam && x->s[j].line == line && x->s[j].col == col) return x->s[j].i;
    return -1;
}

static void site_idx_put(site_idx *x, site_slot v)
{
    size_t mask = x->cap - 1, j = site_hash(v.fam, v.line, v.col) & mask;
    while (x->s[j].i >= 0) j = (j + 1) & mask;
    x->s[j] = v;
}

void site_idx_add(site_idx *x, int fam, int line, int col, int i)
{
    if ((size_t)(x->n + 1) * 2 > x->cap) {
        size_t oc = x->cap, nc = oc ? oc * 2 : 16;
        site_slot *old = x->s;
        x->s = xrealloc_n(NULL, nc, sizeof *x->s);
        x->cap = nc;
        for (size_t j = 0; j < nc; j++) x->s[j].i = -1;
        for (size_t j = 0; j < oc; j++)
            if (old[j].i >= 0) site_idx_put(x, old[j]);
        free(old);
    }
    site_idx_put(x, (site_slot){fam, line, col, i});
    x->n++;
}

void site_idx_clear(site_idx *x)
{
    for (size_t j = 0; j < x->cap; j++) x->s[j].i = -1;
    x->n = 0;
}

void site_idx_free(site_idx *x)
{
    free(x->s);
    memset(x, 0, sizeof *x);
}

/* ---- keys ------------------------------------------------------------ */

const char *key_cat3(char *buf, size_t cap, const char *a, const char *sep, const char *b)
{
    size_t n = 0;
    const char *parts[3] = {a, sep, b};
    for (int i = 0; i < 3; i++)
        for (const char *p = parts[i]; p && *p && n + 1 < cap; p++) buf[n++] = *p;
    buf[n] = 0;
    return buf;
}

const char *key_buf(const py_node *e, char *buf, size_t cap)
{
    if (!e) return NULL;
    if (e->kind == PY_Name) return e->name.id;
    if (e->kind == PY_Attribute && e->attribute.value->kind == PY_Name)
        return key_cat3(buf, cap, e->attribute.value->name.id, ".", e->attribute.attr);
    if (e->kind == PY_Subscript && e->subscript.value->kind == PY_Name) {
        const py_node *s = e->subscript.slice;
        char tmp[80];
        if (s->kind == PY_Constant && s->constant.value == PY_CONST_STR && s->constant.len < 64) {
            key_cat3(tmp, sizeof tmp, s->constant.s, "]", NULL);
            return key_cat3(buf, cap, e->subscript.value->name.id, "[", tmp);
        }
        if (s->kind == PY_Constant && s->constant.value == PY_CONST_INT && s->constant.ival_ok) {
            snprintf(tmp, sizeof tmp, "%lld]", (long long)s->constant.ival);
            return key_cat3(buf, cap, e->subscript.value->name.id, "[", tmp);
        }
    }
    return NULL;
}

const char *key_join(mod *md, const char *a, const char *sep, const char *b)
{
    char buf[256];
    return arena_strdup(&md->a, key_cat3(buf, sizeof buf, a, sep, b));
}

const char *key_of(mod *md, const py_node *e)
{
    char buf[256];
    const char *k = key_buf(e, buf, sizeof buf);
    return k == buf ? arena_strdup(&md->a, buf) : k;
}

/* ---- strings and steps in the module arena --------------------------- */

const char *md_str(mod *md, const char *fmt, ...)
{
    char tmp[512];
    va_list ap;
    va_start(ap, fmt);
    int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
    va_end(ap);
    if (n < 0) n = 0;
    if ((size_t)n >= sizeof tmp) n = (int)sizeof tmp - 1;
    return arena_strndup(&md->a, tmp, (size_t)n);
}

const step *step_add(mod *md, const step *prev, const py_node *n, const char *msg)
{
    if (prev && prev->depth >= MAX_TRAIL) return prev;
    step *s = arena_alloc(&md->a, sizeof *s);
    s->prev = prev;
    s->line = n ? n->lineno : 0;
    s->col = n ? n->col_offset : 0;
    s->msg = msg;
    s->depth = prev ? prev->depth + 1 : 1;
    return s;
}

const step *step_add_lazy(mod *md, const step *prev, const py_node *n, const char *fmt,
                          const char *a1, const char *a2)
{
    if (prev && prev->depth >= MAX_TRAIL) return prev;
    step *s = (step *)step_add(md, prev, n, NULL);
    s->fmt = fmt;
    s->a1 = a1;
    s->a2 = a2;
    return s;
}

const char *step_msg(mod *md, const step *s)
{
    if (s->msg) return s->msg;
    step *w = (step *)s;
    w->msg = md_str(md, s->fmt, s->a1 ? s->a1 : "", s->a2 ? s->a2 : "");
    return w->msg;
}

const char *md_expr_text(mod *md, const py_node *e)
{
    char buf[160];
    if (!e) return "?";
    if (e->kind == PY_Call) {
        if (ast_dotted_name(e->call.func, buf, sizeof buf)) return md_str(md, "%s()", buf);
        return "call";
    }
    if (e->kind == PY_Subscript) return md_expr_text(md, e->subscript.value);
    if (ast_dotted_name(e, buf, sizeof buf)) return md_str(md, "%s", buf);
    return ast_kind_name((py_kind)e->kind);
}
