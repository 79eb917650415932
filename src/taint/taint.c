/* taint.c - the intra-module taint engine.
 *
 * Each function is interpreted once per pass over its statements, in order,
 * with an environment mapping names ("x", "self.name", "d[key]") to a taint
 * value: which sources reach it (kinds), which parameters of the function
 * reach it (params, for summaries), which sink families it is safe for
 * (sanitisers and guards), and its constant value when known (for folding
 * branches that can never run).  Branches run on copies of the environment
 * that are joined afterwards (a branch that returns or raises drops out);
 * loops run their body twice.  Cost is linear in the size of the function
 * times the (small) number of live names.
 *
 * Calls to functions of the same module use their summaries (parameter ->
 * return value, parameter -> sink, parameter -> self.field), computed on
 * demand with a depth bound; calls into other modules are recorded for
 * summary_finish.  A module is analysed in two passes: the first fills the
 * class attribute table and the summaries, the second reports.
 */
#include "taint.h"

#include <ctype.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/arena.h"
#include "../core/hash.h"
#include "../core/xalloc.h"
#include "../python/ast.h"
#include "../python/parse.h"
#include "../python/resolve.h"
#include "summary.h"
#include "tables.h"

#define MAX_DEPTH 6        /* nested summary computations */
#define MAX_TRAIL 14       /* steps kept on one path */
#define MAX_EVAL_DEPTH 150 /* expression recursion (parser caps nesting at 200) */
#define MAX_FUNCS 4096

struct taint_state {
    const vg_opts *opts;
    summary_store *store;
};

/* ---- values ---------------------------------------------------------- */

typedef struct step {
    const struct step *prev;
    const char *path;   /* NULL: this module */
    int line, col;
    const char *msg;    /* NULL until step_msg formats fmt with a1, a2 */
    const char *fmt, *a1, *a2;
    int depth;
} step;

enum { CK_NONE = 0, CK_BOOL, CK_INT, CK_STR, CK_NULL, CK_OTHER };

/* Constant prefixes that fix where a URL goes: "https://host/..." fixes the
 * host (no SSRF, no open redirect); "/path" is a local redirect. */
enum { PFX_HOST = 1, PFX_LOCAL = 2 };

typedef struct tval {
    uint32_t params;     /* parameters of the current function */
    uint16_t safe;       /* sink families this value is safe for */
    uint8_t kinds;       /* SK_* sources */
    uint8_t opaque;      /* origin unknown (not provably constant) */
    uint16_t unproven;   /* families its unknown parts are not proven safe for */
    uint8_t ck;          /* constant kind */
    int64_t ci;
    const char *cs;
    size_t cl;
    const step *trail;
    const char *cls;     /* instance of a class of this module */
    const char *alias;   /* key of the variable this was parsed/resolved from */
    uint8_t prefix;      /* a string that starts with a constant: PFX_* */
    const char *via;     /* the taint came back from this function of another module */
    int defline;         /* line of the assignment that produced it */
} tval;

#define TAINTED(v) ((v).kinds || (v).params)

static tval v_opaque(void)
{
    tval v = {0};
    v.opaque = 1; v.unproven = TFM_ALL;
    return v;
}

static tval v_join(tval a, tval b)
{
    tval r = a;
    r.kinds = a.kinds | b.kinds;
    r.params = a.params | b.params;
    r.opaque = a.opaque | b.opaque;
    r.unproven = a.unproven | b.unproven;
    if (!TAINTED(a)) r.safe = b.safe;
    else if (!TAINTED(b)) r.safe = a.safe;
    else r.safe = a.safe & b.safe;
    if (!(a.ck && b.ck)) r.ck = CK_NONE;
    else if (a.ck != b.ck || a.ci != b.ci || a.cs != b.cs) r.ck = CK_OTHER;
    r.trail = a.kinds ? a.trail : b.kinds ? b.trail : a.params ? a.trail : b.trail;
    if (a.cls != b.cls) r.cls = NULL;
    if (a.alias != b.alias) r.alias = NULL;
    r.prefix = a.prefix & b.prefix;
    r.via = (a.kinds && !a.via) || (b.kinds && !b.via) ? NULL : a.via ? a.via : b.via;
    r.defline = a.defline ? a.defline : b.defline;
    return r;
}

/* A derived value: same taint, no longer the same constant or object. */
static tval v_derived(tval v)
{
    if (v.ck) v.ck = CK_OTHER;
    v.cls = NULL;
    v.alias = NULL;
    return v;
}

/* ---- environments -------------------------------------------------- */

typedef struct env_ent {
    const char *key;
    uint64_t h;
    tval v;
} env_ent;

typedef struct env {
    env_ent *v;
    int n;
    size_t cap;
    int *idx;            /* open addressing, -1 empty */
    int icap;
    int dead;            /* control never reaches past here */
} env;

static uint64_t key_hash(const char *k) { return hash_fnv1a64(k, strlen(k)); }

static void env_free(env *e)
{
    free(e->v);
    free(e->idx);
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

static env_ent *env_find(const env *e, const char *key, uint64_t h)
{
    if (!e->icap) return NULL;
    unsigned mask = (unsigned)e->icap - 1;
    for (unsigned j = (unsigned)h & mask; e->idx[j] >= 0; j = (j + 1) & mask) {
        env_ent *x = &e->v[e->idx[j]];
        if (x->h == h && (x->key == key || strcmp(x->key, key) == 0)) return x;
    }
    return NULL;
}

static tval *env_get(const env *e, const char *key)
{
    env_ent *x = env_find(e, key, key_hash(key));
    return x ? &x->v : NULL;
}

/* key must outlive the env (interned or in the module arena). */
static void env_set(env *e, const char *key, tval v)
{
    uint64_t h = key_hash(key);
    env_ent *x = env_find(e, key, h);
    if (x) {
        x->v = v;
        return;
    }
    XGROW(e->v, e->cap, (size_t)e->n + 1);
    e->v[e->n] = (env_ent){key, h, v};
    e->n++;
    if (e->n * 2 + 2 > e->icap) env_reindex(e);
    else {
        unsigned mask = (unsigned)e->icap - 1;
        unsigned j = (unsigned)h & mask;
        while (e->idx[j] >= 0) j = (j + 1) & mask;
        e->idx[j] = e->n - 1;
    }
}

static void env_copy(env *dst, const env *src)
{
    memset(dst, 0, sizeof *dst);
    dst->dead = src->dead;
    if (!src->n) return;
    dst->cap = (size_t)src->n;
    dst->v = xrealloc_n(NULL, (size_t)dst->cap, sizeof *dst->v);
    memcpy(dst->v, src->v, (size_t)src->n * sizeof *src->v);
    dst->n = src->n;
    dst->icap = src->icap;
    dst->idx = xrealloc_n(NULL, (size_t)dst->icap, sizeof *dst->idx);
    memcpy(dst->idx, src->idx, (size_t)src->icap * sizeof *src->idx);
}

/* a := join(a, b); b is freed.  A dead side contributes nothing. */
static void env_merge(env *a, env *b)
{
    if (b->dead) {
        env_free(b);
        return;
    }
    if (a->dead) {
        env_free(a);
        *a = *b;
        return;
    }
    for (int i = 0; i < a->n; i++) {
        tval *bv = env_get(b, a->v[i].key);
        if (bv) a->v[i].v = v_join(a->v[i].v, *bv);
        else a->v[i].v = v_derived(a->v[i].v);
    }
    for (int i = 0; i < b->n; i++)
        if (!env_find(a, b->v[i].key, b->v[i].h)) env_set(a, b->v[i].key, v_derived(b->v[i].v));
    env_free(b);
}

/* ---- per-module context -------------------------------------------- */

typedef struct fsink {       /* parameter -> sink, inside a summary */
    uint32_t params;
    taint_family fam;
    int line, col, end_line, end_col;
    const char *what;
    const step *trail;       /* from the parameter to the sink */
    const char *path;        /* NULL: this module */
} fsink;

typedef struct ffield {      /* parameter -> self.field */
    const char *field;
    uint32_t params;
} ffield;

typedef struct func {
    py_node *def;
    const char *name;
    const char *cls;          /* class name for methods */
    const char *qname;        /* module.name or module.Class.name */
    int done, busy;
    tval ret;
    fsink *sinks;
    int nsinks;
    size_t capsinks;
    ffield *fields;
    int nfields;
    size_t capfields;
    int nparams;
    const char *pnames[32];
    py_node *pnodes[32];
} func;

typedef struct klass {
    const char *name;
    py_node *def;
    int http_handler;        /* BaseHTTPRequestHandler subclass */
    int view;                /* Django/DRF class-based view: self.kwargs, self.args */
    int tornado;             /* tornado RequestHandler: path captures are parameters */
} klass;

typedef struct pending {     /* a finding to report at the end of the module */
    taint_family fam;
    int line, col, end_line, end_col;
    uint8_t kinds;
    const step *trail;
    const char *what;
    const char *via;         /* decided in finish: does via() pass its input on? */
} pending;

typedef struct verdict {
    int line;
    taint_family fam;
    int v;                   /* 1 safe, 2 unknown, 3 tainted */
} verdict;

typedef struct mod {
    taint_state *ts;
    const vg_file *f;
    const py_module *m;
    const py_resolver *r;
    arena a;
    const char *modname;
    int report;              /* second pass: report */
    int flask;               /* the module imports flask */
    int webmod;              /* the module imports a web framework */
    int saw_source;          /* a source was evaluated in this pass */
    ts_call **calls;         /* calls into other modules, kept until the end */
    int ncalls;
    size_t capcalls;
    func *funcs;
    int nfuncs;
    size_t capfuncs;
    klass *classes;
    int nclasses;
    size_t capclasses;
    env fields;              /* "Class.attr" -> concrete taint */
    env globals;             /* module-level names after the module body */
    pending *pend;
    int npend;
    size_t cappend;
    verdict *verd;
    int nverd;
    size_t capverd;
    int depth;
    int *fidx;               /* open-addressing index of funcs by (class, name) */
    size_t nfidx;
    int (*dead)[2];          /* line ranges of branches that can never run */
    int ndead;
    size_t capdead;
} mod;

typedef struct fctx {
    mod *md;
    func *fn;                /* NULL: module body */
    klass *cls;
    env *brk;                /* break environments of the innermost loop */
    int handler;             /* a route handler */
    int flask_handler;       /* returns are HTML */
    const char *reqnames[8]; /* parameters annotated as requests */
    int nreq;
    int edepth;
    int loops;               /* loop nesting */
} fctx;

static const char *astr(mod *md, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static const char *astr(mod *md, const char *fmt, ...)
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

static const step *add_step(mod *md, const step *prev, const py_node *n, const char *msg)
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

/* A step whose message is formatted only if a finding shows it (most
 * steps belong to values that never reach a sink). */
static const step *add_step_lazy(mod *md, const step *prev, const py_node *n, const char *fmt,
                                 const char *a1, const char *a2)
{
    if (prev && prev->depth >= MAX_TRAIL) return prev;
    step *s = (step *)add_step(md, prev, n, NULL);
    s->fmt = fmt;
    s->a1 = a1;
    s->a2 = a2;
    return s;
}

static const char *step_msg(mod *md, const step *s)
{
    if (s->msg) return s->msg;
    step *w = (step *)s;
    w->msg = astr(md, s->fmt, s->a1 ? s->a1 : "", s->a2 ? s->a2 : "");
    return w->msg;
}

/* The dotted text of an expression for messages ("request.args"). */
static const char *expr_text(mod *md, const py_node *e)
{
    char buf[160];
    if (!e) return "?";
    if (e->kind == PY_Call) {
        if (ast_dotted_name(e->call.func, buf, sizeof buf)) return astr(md, "%s()", buf);
        return "call";
    }
    if (e->kind == PY_Subscript) return expr_text(md, e->subscript.value);
    if (ast_dotted_name(e, buf, sizeof buf)) return astr(md, "%s", buf);
    return ast_kind_name((py_kind)e->kind);
}

const char *taint_kind_word(int kinds)
{
    if (kinds & SK_WEB) return "request data";
    if (kinds & SK_LLM) return "language model output";
    if (kinds & SK_CLI) return "command-line input";
    if (kinds & SK_ENV) return "environment variable";
    return "untrusted data";
}

confidence taint_kind_conf(int kinds)
{
    if (kinds & (SK_WEB | SK_LLM)) return CONF_HIGH;
    if (kinds & SK_CLI) return CONF_MEDIUM;
    return CONF_LOW;
}

static void add_verdict(mod *md, int line, taint_family fam, int v)
{
    if (!md->report || line <= 0) return;
    for (int i = md->nverd - 1; i >= 0 && i >= md->nverd - 8; i--)
        if (md->verd[i].line == line && md->verd[i].fam == fam) {
            if (v > md->verd[i].v) md->verd[i].v = v;
            return;
        }
    XGROW(md->verd, md->capverd, (size_t)md->nverd + 1);
    md->verd[md->nverd++] = (verdict){line, fam, v};
}

static void report(mod *md, taint_family fam, const py_node *at, uint8_t kinds, const step *trail,
                   const char *what, const char *via)
{
    if (!md->report) return;
    for (int i = 0; i < md->npend; i++)
        if (md->pend[i].fam == fam && md->pend[i].line == at->lineno &&
            md->pend[i].col == at->col_offset) {
            if (md->pend[i].via && !via) { /* a direct flow settles it */
                md->pend[i].via = NULL;
                md->pend[i].kinds = kinds;
                md->pend[i].trail = trail;
            }
            return;
        }
    XGROW(md->pend, md->cappend, (size_t)md->npend + 1);
    md->pend[md->npend++] = (pending){fam, at->lineno, at->col_offset, at->end_lineno,
                                      at->end_col_offset, kinds, trail, what, via};
}

/* ---- names and classification -------------------------------------- */

static inline int streq(const char *a, const char *b)
{
    return a && b && a[0] == b[0] && strcmp(a, b) == 0; /* first byte rejects most */
}

static const char *qname_of(mod *md, const py_node *e)
{
    if (!md->r || !e) return NULL;
    return e->kind == PY_Call ? resolve_call(md->r, e) : resolve_name(md->r, e);
}

static const char *last_comp(const char *d)
{
    const char *p = d ? strrchr(d, '.') : NULL;
    return p ? p + 1 : d;
}

/* Is e a request object? */
static const char *const web_frameworks[] = {
    "flask", "django", "rest_framework", "starlette", "fastapi", "aiohttp", "tornado",
    "quart", "bottle", "sanic", "falcon", "pyramid", "werkzeug", "litestar", NULL};

/* Is e a server-side request object?  `request`/`req` count in modules
 * that import a web framework (an HTTP client's `request` is not input). */
static int request_like(fctx *c, const py_node *e)
{
    if (!e) return 0;
    if (e->kind == PY_Name) {
        const char *id = e->name.id;
        for (int i = 0; i < c->nreq; i++)
            if (streq(id, c->reqnames[i])) return 1;
        if (!streq(id, "request") && !streq(id, "req")) return 0;
        return c->md->webmod;
    }
    if (e->kind == PY_Attribute && streq(e->attribute.attr, "request") &&
        e->attribute.value->kind == PY_Name && streq(e->attribute.value->name.id, "self"))
        return c->md->webmod;
    return 0;
}

static int is_self(const py_node *e)
{
    return e && e->kind == PY_Name && streq(e->name.id, "self");
}

/* a + sep + b into buf (truncated); returns buf. */
static const char *cat3(char *buf, size_t cap, const char *a, const char *sep, const char *b)
{
    size_t n = 0;
    const char *parts[3] = {a, sep, b};
    for (int i = 0; i < 3; i++)
        for (const char *p = parts[i]; p && *p && n + 1 < cap; p++) buf[n++] = *p;
    buf[n] = 0;
    return buf;
}

/* Environment key of an lvalue-shaped expression: "x", "self.a", "d[k]",
 * built in buf (no allocation; see key_of for a key that is kept). */
static const char *key_buf(const py_node *e, char *buf, size_t cap)
{
    if (!e) return NULL;
    if (e->kind == PY_Name) return e->name.id;
    if (e->kind == PY_Attribute && e->attribute.value->kind == PY_Name)
        return cat3(buf, cap, e->attribute.value->name.id, ".", e->attribute.attr);
    if (e->kind == PY_Subscript && e->subscript.value->kind == PY_Name) {
        const py_node *s = e->subscript.slice;
        char tmp[80];
        if (s->kind == PY_Constant && s->constant.value == PY_CONST_STR && s->constant.len < 64) {
            cat3(tmp, sizeof tmp, s->constant.s, "]", NULL);
            return cat3(buf, cap, e->subscript.value->name.id, "[", tmp);
        }
        if (s->kind == PY_Constant && s->constant.value == PY_CONST_INT && s->constant.ival_ok) {
            snprintf(tmp, sizeof tmp, "%lld]", (long long)s->constant.ival);
            return cat3(buf, cap, e->subscript.value->name.id, "[", tmp);
        }
    }
    return NULL;
}

static const char *akey(mod *md, const char *a, const char *sep, const char *b)
{
    char buf[256];
    return arena_strdup(&md->a, cat3(buf, sizeof buf, a, sep, b));
}

static const char *key_of(mod *md, const py_node *e)
{
    char buf[256];
    const char *k = key_buf(e, buf, sizeof buf);
    return k == buf ? arena_strdup(&md->a, buf) : k;
}

static uint64_t func_hash(const char *cls, const char *name)
{
    uint64_t h = hash_fnv1a64(name, strlen(name));
    return cls ? hash_fnv1a64_more(h, cls, strlen(cls)) : h;
}

static void index_funcs(mod *md)
{
    md->nfidx = 16;
    while (md->nfidx < (size_t)md->nfuncs * 2) md->nfidx *= 2;
    md->fidx = xrealloc_n(NULL, md->nfidx, sizeof *md->fidx);
    for (size_t i = 0; i < md->nfidx; i++) md->fidx[i] = -1;
    for (int i = 0; i < md->nfuncs; i++) {
        size_t j = func_hash(md->funcs[i].cls, md->funcs[i].name) & (md->nfidx - 1);
        while (md->fidx[j] >= 0) j = (j + 1) & (md->nfidx - 1);
        md->fidx[j] = i;
    }
}

/* The module's function `name` (a method when cls is not NULL). */
static func *find_func(mod *md, const char *cls, const char *name)
{
    if (!name || !md->nfidx) return NULL;
    for (size_t j = func_hash(cls, name) & (md->nfidx - 1); md->fidx[j] >= 0;
         j = (j + 1) & (md->nfidx - 1)) {
        func *fn = &md->funcs[md->fidx[j]];
        if (streq(fn->name, name) && (fn->cls == cls || streq(fn->cls, cls))) return fn;
    }
    return NULL;
}

static klass *find_class(mod *md, const char *name)
{
    for (int i = 0; i < md->nclasses; i++)
        if (streq(md->classes[i].name, name)) return &md->classes[i];
    return NULL;
}

/* ---- expressions ------------------------------------------------------ */

static tval eval(fctx *c, env *e, py_node *x);
static void exec_block(fctx *c, env *e, py_list body);

/* A block that can never run: pattern findings in it are downgraded. */
static void mark_dead(mod *md, py_list body)
{
    if (!md->report || !body.n) return;
    XGROW(md->dead, md->capdead, (size_t)md->ndead + 1);
    md->dead[md->ndead][0] = body.v[0]->lineno;
    md->dead[md->ndead][1] = body.v[body.n - 1]->end_lineno;
    md->ndead++;
}
static void analyse_func(mod *md, func *fn);
static void assign(fctx *c, env *e, py_node *target, tval v, py_node *value);

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

static tval v_const(const py_node *k)
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

/* 1 true, 0 false, -1 unknown. */
static int truth(tval v)
{
    if (TAINTED(v) || v.opaque) return -1;
    switch (v.ck) {
    case CK_BOOL: case CK_INT: return v.ci != 0;
    case CK_STR: return v.cl != 0;
    case CK_NULL: return 0;
    default: return -1;
    }
}

static tval v_bool(int b)
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

static int const_cmp(py_cmpop op, tval a, tval b)
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

static tval lookup_name(fctx *c, env *e, const char *id)
{
    tval *v = env_get(e, id);
    if (v) return *v;
    if (c->fn) {
        v = env_get(&c->md->globals, id);
        if (v) return *v;
    }
    return v_opaque();
}

static tval source_val(fctx *c, const tab_source *s, py_node *at, const char *text)
{
    tval v = {0};
    c->md->saw_source = 1;
    v.kinds = (uint8_t)s->kind;
    v.opaque = 1; v.unproven = TFM_ALL;
    v.trail = add_step(c->md, NULL, at, astr(c->md, "source: %s (%s)", text, taint_kind_word(s->kind)));
    v.defline = at->lineno;
    return v;
}

static tval eval_attribute(fctx *c, env *e, py_node *x)
{
    mod *md = c->md;
    const char *attr = x->attribute.attr;
    py_node *base = x->attribute.value;
    const tab_source *s;
    if (request_like(c, base) && (s = tab_source_find(M_REQ_ATTR, attr)))
        return source_val(c, s, x, expr_text(md, x));
    if (is_self(base) && c->cls && c->cls->http_handler &&
        (s = tab_source_find(M_SELF_ATTR, attr)))
        return source_val(c, s, x, expr_text(md, x));
    if (is_self(base) && c->cls && c->cls->view && md->webmod &&
        (streq(attr, "kwargs") || streq(attr, "args"))) {
        static const tab_source url_args = {SK_WEB, M_SELF_ATTR, "kwargs"};
        return source_val(c, &url_args, x, expr_text(md, x));
    }
    if (base->kind == PY_Name || base->kind == PY_Attribute) {
        const char *q = qname_of(md, x);
        if (q && (s = tab_source_find(M_QNAME, q))) return source_val(c, s, x, q);
    }
    char kb[256];
    const char *key = key_buf(x, kb, sizeof kb);
    if (key) {
        tval *v = env_get(e, key);
        if (v) return *v;
        if (c->fn && (v = env_get(&md->globals, key))) return *v;
    }
    if (is_self(base) && c->cls) {
        tval *v = md->fields.n ? env_get(&md->fields, cat3(kb, sizeof kb, c->cls->name, ".", attr))
                               : NULL;
        return v ? *v : v_opaque(); /* fields of our own objects are tracked one by one */
    }
    tval b = eval(c, e, base);
    if (b.cls) {
        tval *v = md->fields.n ? env_get(&md->fields, cat3(kb, sizeof kb, b.cls, ".", attr)) : NULL;
        return v ? *v : v_opaque();
    }
    return v_derived(b);
}

static tval eval_subscript(fctx *c, env *e, py_node *x)
{
    char kb[256];
    const char *key = key_buf(x, kb, sizeof kb);
    if (key) {
        tval *v = env_get(e, key);
        if (v) return *v;
    }
    tval b = eval(c, e, x->subscript.value);
    eval(c, e, x->subscript.slice); /* calls inside; a key does not taint the value */
    return v_derived(b);
}

/* Guards: which variables does a test make safe, when it has `want` truth? */
typedef struct guard {
    py_node *subj;
    unsigned fams;
} guard;

static py_node *guard_subject(fctx *c, py_node *x)
{
    for (int i = 0; i < 8 && x; i++) {
        if (x->kind == PY_Name) return x;
        if (x->kind == PY_Attribute) {
            const char *a = x->attribute.attr;
            if (is_self(x->attribute.value)) return x;
            if (streq(a, "netloc") || streq(a, "hostname") || streq(a, "host") ||
                streq(a, "scheme") || streq(a, "port") || streq(a, "parent")) {
                x = x->attribute.value;
                continue;
            }
            return NULL;
        }
        if (x->kind == PY_Call) {
            py_node *fn = x->call.func;
            if (fn->kind == PY_Attribute && x->call.args.n == 0 &&
                (streq(fn->attribute.attr, "resolve") || streq(fn->attribute.attr, "lower") ||
                 streq(fn->attribute.attr, "strip") || streq(fn->attribute.attr, "absolute"))) {
                x = fn->attribute.value;
                continue;
            }
            const char *q = qname_of(c->md, x);
            const char *l = last_comp(q);
            if (x->call.args.n >= 1 &&
                (streq(l, "realpath") || streq(l, "abspath") || streq(l, "normpath") ||
                 streq(l, "urlparse") || streq(l, "urlsplit") || streq(l, "Path") ||
                 streq(l, "PurePath") || streq(l, "str"))) {
                x = x->call.args.v[x->call.args.n - 1];
                continue;
            }
            return NULL;
        }
        return NULL;
    }
    return NULL;
}

static int constish(fctx *c, env *e, py_node *x)
{
    if (!x) return 0;
    switch (x->kind) {
    case PY_Constant: return 1;
    case PY_List: case PY_Tuple: case PY_Set:
        for (int i = 0; i < x->list.elts.n; i++)
            if (!constish(c, e, x->list.elts.v[i])) return 0;
        return 1;
    case PY_Dict: return 1;
    case PY_Name: {
        const char *id = x->name.id;
        int upper = 1, alpha = 0;
        for (const char *p = id; *p; p++) {
            if (islower((unsigned char)*p)) upper = 0;
            if (isalpha((unsigned char)*p)) alpha = 1;
        }
        if (upper && alpha) return 1;
        tval v = lookup_name(c, e, id);
        return !TAINTED(v) && !v.opaque && v.ck;
    }
    case PY_Attribute: { /* settings.ALLOWED_HOSTS */
        const char *a = x->attribute.attr;
        for (const char *p = a; *p; p++)
            if (islower((unsigned char)*p)) return 0;
        return 1;
    }
    case PY_Call: { /* set(ALLOWED), frozenset([...]) */
        const char *q = qname_of(c->md, x);
        if ((streq(q, "set") || streq(q, "frozenset") || streq(q, "tuple") || streq(q, "list")) &&
            x->call.args.n == 1)
            return constish(c, e, x->call.args.v[0]);
        return 0;
    }
    default: return 0;
    }
}

static int guards_of(fctx *c, env *e, py_node *t, int want, guard *g, int ng, int cap)
{
    if (!t || ng >= cap) return ng;
    if (t->kind == PY_UnaryOp && t->unaryop.op == PY_Not)
        return guards_of(c, e, t->unaryop.operand, !want, g, ng, cap);
    if (t->kind == PY_BoolOp) {
        /* and: all hold when true; or: all fail when false */
        if ((t->boolop.op == PY_And) == (want != 0))
            for (int i = 0; i < t->boolop.values.n; i++)
                ng = guards_of(c, e, t->boolop.values.v[i], want, g, ng, cap);
        return ng;
    }
    if (t->kind == PY_Compare && t->compare.comparators.n == 1) {
        py_cmpop op = t->compare.ops[0];
        py_node *l = t->compare.left, *r = t->compare.comparators.v[0];
        int pos = op == PY_In || op == PY_Eq || op == PY_Is;
        int neg = op == PY_NotIn || op == PY_NotEq || op == PY_IsNot;
        if (!pos && !neg) return ng;
        int holds = pos ? want : !want;
        /* ".." in x: safe for paths when it does not hold */
        if ((op == PY_In || op == PY_NotIn) && l->kind == PY_Constant &&
            l->constant.value == PY_CONST_STR && strstr(l->constant.s, "..")) {
            py_node *s = guard_subject(c, r);
            if (s && !holds) g[ng++] = (guard){s, TFM_PATH};
            return ng;
        }
        if (!holds) return ng;
        /* commonpath([base, x]) == base */
        if (l->kind == PY_Call && streq(last_comp(qname_of(c->md, l)), "commonpath") &&
            l->call.args.n == 1 && (l->call.args.v[0]->kind == PY_List ||
                                    l->call.args.v[0]->kind == PY_Tuple)) {
            py_list el = l->call.args.v[0]->list.elts;
            for (int i = 0; i < el.n && ng < cap; i++) {
                py_node *s = guard_subject(c, el.v[i]);
                if (s) g[ng++] = (guard){s, TFM_PATH};
            }
            return ng;
        }
        if (op == PY_Is || op == PY_IsNot) return ng;
        if (constish(c, e, r)) {
            py_node *s = guard_subject(c, l);
            if (s) g[ng++] = (guard){s, TFM_ALL};
        } else if (constish(c, e, l) && op != PY_In) {
            py_node *s = guard_subject(c, r);
            if (s) g[ng++] = (guard){s, TFM_ALL};
        }
        return ng;
    }
    if (t->kind == PY_Call && want) {
        py_node *fn = t->call.func;
        if (fn->kind == PY_Attribute) {
            const char *a = fn->attribute.attr;
            unsigned fams = 0;
            if (streq(a, "isdigit") || streq(a, "isnumeric") || streq(a, "isdecimal") ||
                streq(a, "isalnum") || streq(a, "isalpha") || streq(a, "isidentifier"))
                fams = TFM_ALL;
            else if (streq(a, "startswith"))
                fams = TFM_PATH | TFM_SSRF | TFM_REDIRECT;
            else if (streq(a, "is_relative_to"))
                fams = TFM_PATH;
            if (fams) {
                py_node *s = guard_subject(c, fn->attribute.value);
                if (s) g[ng++] = (guard){s, fams};
                if (!s && streq(a, "startswith")) {
                    /* os.path.realpath(x).startswith(...) with a joined path */
                    py_node *v = fn->attribute.value;
                    if (v->kind == PY_Call && v->call.args.n >= 1)
                        for (int i = 0; i < v->call.args.n && ng < cap; i++) {
                            py_node *s2 = guard_subject(c, v->call.args.v[i]);
                            if (s2) g[ng++] = (guard){s2, fams};
                        }
                }
                return ng;
            }
        }
        const char *q = qname_of(c->md, t);
        const char *l = last_comp(q);
        if (!l) return ng;
        int validator = streq(q, "re.match") || streq(q, "re.fullmatch") ||
                        streq(q, "isinstance") || strncmp(l, "is_safe", 7) == 0 ||
                        strncmp(l, "is_valid", 8) == 0 || strncmp(l, "is_allowed", 10) == 0 ||
                        strncmp(l, "url_has_allowed", 15) == 0 || strncmp(l, "validate", 8) == 0 ||
                        strncmp(l, "allowed", 7) == 0;
        if (validator) {
            int from = (streq(q, "re.match") || streq(q, "re.fullmatch")) ? 1 : 0;
            if (t->call.args.n > from) {
                py_node *s = guard_subject(c, t->call.args.v[from]);
                if (s) g[ng++] = (guard){s, TFM_ALL};
            }
        }
    }
    return ng;
}

static void apply_guards(fctx *c, env *e, py_node *test, int want)
{
    guard g[8];
    int n = guards_of(c, e, test, want, g, 0, 8);
    for (int i = 0; i < n; i++) {
        const char *key = key_of(c->md, g[i].subj);
        if (!key) continue;
        tval v = g[i].subj->kind == PY_Name ? lookup_name(c, e, key) : eval(c, e, g[i].subj);
        v.safe |= (uint16_t)g[i].fams;
        v.unproven &= (uint16_t)~g[i].fams;
        const char *alias = v.alias;
        env_set(e, key, v);
        if (alias) {
            tval w = lookup_name(c, e, alias);
            w.safe |= (uint16_t)g[i].fams;
            w.unproven &= (uint16_t)~g[i].fams;
            env_set(e, alias, w);
        }
    }
}

/* ---- calls ------------------------------------------------------------- */

typedef struct argv_ {
    tval v[24];
    py_node *node[24];
    int n;
    tval kw[16];
    const char *kwname[16];
    py_node *kwnode[16];
    int nkw;
    tval all;                /* join of every argument */
} argv_;

static void eval_args(fctx *c, env *e, py_node *call, argv_ *a)
{
    a->n = a->nkw = 0;
    a->all = (tval){0};
    for (int i = 0; i < call->call.args.n; i++) {
        py_node *x = call->call.args.v[i];
        tval v = eval(c, e, x->kind == PY_Starred ? x->starred.value : x);
        a->all = i || a->nkw ? v_join(a->all, v) : v;
        if (a->n < 24) {
            a->node[a->n] = x;
            a->v[a->n++] = v;
        }
    }
    for (int i = 0; i < call->call.keywords.n; i++) {
        py_node *k = call->call.keywords.v[i];
        tval v = eval(c, e, k->keyword.value);
        a->all = (a->n || i) ? v_join(a->all, v) : v;
        if (a->nkw < 16) {
            a->kwname[a->nkw] = k->keyword.arg;
            a->kwnode[a->nkw] = k->keyword.value;
            a->kw[a->nkw++] = v;
        }
    }
    if (!a->n && !a->nkw) a->all = (tval){0};
}

static const tval *kwarg(const argv_ *a, const char *name, py_node **node)
{
    for (int i = 0; i < a->nkw; i++)
        if (streq(a->kwname[i], name)) {
            if (node) *node = a->kwnode[i];
            return &a->kw[i];
        }
    return NULL;
}

const char *taint_fam_what(taint_family fam)
{
    static const char *const w[TF_COUNT] = {
        [TF_SQL] = "an SQL query", [TF_CMD] = "a shell command", [TF_CODE] = "evaluated code",
        [TF_PATH] = "a file path", [TF_SSRF] = "an outgoing request URL",
        [TF_REDIRECT] = "a redirect target", [TF_XSS] = "an HTML response",
        [TF_SSTI] = "a template", [TF_XPATH] = "an XPath expression",
        [TF_LDAP] = "an LDAP filter", [TF_XXE] = "an XML parser",
        [TF_DESER] = "a deserializer", [TF_TRUST] = "the session",
        [TF_HEADER] = "a response header", [TF_LOG] = "a log entry"};
    return w[fam];
}

/* One value reaching one sink. */
#define LOCAL_FAMS TAINT_LOCAL_FAMS

static void hit_sink(fctx *c, taint_family fam, py_node *at, tval v, const char *what)
{
    mod *md = c->md;
    if (!((LOCAL_FAMS >> fam) & 1)) v.kinds &= (uint8_t)~(SK_CLI | SK_ENV);
    int safe = (v.safe >> fam) & 1;
    if ((fam == TF_SSRF && (v.prefix & PFX_HOST)) || (fam == TF_REDIRECT && v.prefix))
        safe = 1; /* the constant start fixes the host */
    if (v.kinds && !safe) {
        const step *t = add_step(md, v.trail, at, astr(md, "sink: %s (%s)", what, taint_fam_what(fam)));
        report(md, fam, at, v.kinds, t, what, v.via);
        add_verdict(md, at->lineno, fam, 3);
        if (v.defline && v.defline != at->lineno) add_verdict(md, v.defline, fam, 3);
    } else if (v.params && !safe) {
        add_verdict(md, at->lineno, fam, 2);
    } else {
        int proven = !((v.unproven >> fam) & 1) && (!TAINTED(v) || safe);
        add_verdict(md, at->lineno, fam, proven ? 1 : 2);
        if (v.defline && v.defline != at->lineno) add_verdict(md, v.defline, fam, proven ? 1 : 2);
    }
    if (v.params && !safe && c->fn) {
        func *fn = c->fn;
        for (int i = 0; i < fn->nsinks; i++)
            if (fn->sinks[i].fam == fam && fn->sinks[i].line == at->lineno &&
                fn->sinks[i].col == at->col_offset && !fn->sinks[i].path) {
                fn->sinks[i].params |= v.params;
                return;
            }
        XGROW(fn->sinks, fn->capsinks, (size_t)fn->nsinks + 1);
        const step *t = add_step(md, v.trail, at, astr(md, "sink: %s (%s)", what, taint_fam_what(fam)));
        fn->sinks[fn->nsinks++] = (fsink){v.params, fam, at->lineno, at->col_offset,
                                          at->end_lineno, at->end_col_offset, what, t, NULL};
    }
}

static int logger_like(mod *md, py_node *recv)
{
    char buf[128];
    if (!recv) return 0;
    if (recv->kind == PY_Call) {
        const char *q = qname_of(md, recv);
        return q && (strstr(q, "getLogger") || strstr(q, "get_logger"));
    }
    if (!ast_dotted_name(recv, buf, sizeof buf)) return 0;
    const char *l = last_comp(buf);
    char low[64];
    size_t i = 0;
    for (; l[i] && i < sizeof low - 1; i++) low[i] = (char)tolower((unsigned char)l[i]);
    low[i] = 0;
    size_t n = strlen(low);
    return strcmp(low, "log") == 0 || strcmp(low, "logging") == 0 ||
           (n >= 6 && strcmp(low + n - 6, "logger") == 0) ||
           (n >= 4 && strcmp(low + n - 4, "_log") == 0) || strncmp(low, "log_", 4) == 0;
}

static int is_module_name(mod *md, py_node *recv)
{
    /* a receiver bound by `import x` / `import x as y`: re.search, ldap.search
     * (a name bound to an instance resolves to a dotted "module.Class") */
    if (!recv || recv->kind != PY_Name || !md->r) return 0;
    const char *q = resolve_name(md->r, recv);
    return q && !strchr(q, '.') && resolve_imports(md->r, q);
}

static void check_sink(fctx *c, env *e, py_node *call, const tab_sink *s, tval recv, argv_ *a,
                       const char *what)
{
    (void)e;
    if (s->cond == C_LOGGER && !logger_like(c->md, call->call.func->attribute.value)) return;
    if (s->cond == C_YAML) {
        py_node *ln = NULL;
        if (!kwarg(a, "Loader", &ln) && a->n >= 2) ln = a->node[1];
        char buf[128];
        if (ln && ast_dotted_name(ln, buf, sizeof buf) &&
            (strstr(buf, "SafeLoader") || strstr(buf, "BaseLoader")))
            return;
    }
    if (s->cond == C_XMLPARSER && (kwarg(a, "parser", NULL) || a->n >= 2)) return;
    if (s->fam == TF_XSS) { /* a response declared as something other than HTML */
        static const char *const ct[] = {"content_type", "mimetype", "media_type"};
        for (int i = 0; i < 3; i++) {
            py_node *cn = NULL;
            if (kwarg(a, ct[i], &cn) && cn && cn->kind == PY_Constant &&
                cn->constant.value == PY_CONST_STR && !strstr(cn->constant.s, "html"))
                return;
        }
    }
    if (s->arg == A_RECV) {
        hit_sink(c, s->fam, call, recv, what);
        return;
    }
    if (s->arg == A_ANY) {
        for (int i = 0; i < a->n; i++) hit_sink(c, s->fam, call, a->v[i], what);
        const tval *k = s->kw ? kwarg(a, s->kw, NULL) : NULL;
        if (k) hit_sink(c, s->fam, call, *k, what);
        return;
    }
    tval v;
    py_node *vn = NULL;
    if (s->arg < a->n) {
        v = a->v[s->arg];
        vn = a->node[s->arg];
    } else {
        const tval *k = s->kw ? kwarg(a, s->kw, &vn) : NULL;
        if (!k) return;
        v = *k;
    }
    if (s->cond == C_SHELL) {
        const tval *sh = kwarg(a, "shell", NULL);
        int shell = sh && truth(*sh) != 0;
        if (!shell) { /* only the program is dangerous */
            if (vn && (vn->kind == PY_List || vn->kind == PY_Tuple)) {
                if (!vn->list.elts.n) return;
                v = eval(c, e, vn->list.elts.v[0]);
            } else if (vn && vn->kind == PY_Name) {
                char kb[256];
                tval *z = env_get(e, cat3(kb, sizeof kb, vn->name.id, "[0]", NULL));
                if (z) v = *z;
            }
        }
    }
    hit_sink(c, s->fam, call, v, what);
}

/* Substitute a summary value (over the callee's parameters) with the actual
 * arguments.  slot[i] is the actual value of parameter i. */
static tval subst(mod *md, tval sv, const tval *slot, int nslot, py_node *call, const char *name)
{
    tval r = {0};
    r.kinds = sv.kinds;
    r.trail = sv.trail;
    r.opaque = sv.opaque;
    r.unproven = sv.unproven;
    r.ck = sv.ck == CK_NONE ? CK_NONE : CK_OTHER;
    uint16_t safe = 0xffff;
    int any = sv.kinds != 0;
    for (int i = 0; i < nslot && i < 32; i++) {
        if (!(sv.params & (1u << i))) continue;
        tval a = slot[i];
        r.kinds |= a.kinds;
        r.params |= a.params;
        r.opaque |= a.opaque;
        r.unproven |= a.unproven;
        if (TAINTED(a)) {
            safe &= a.safe;
            any = 1;
            if (!r.trail || !r.kinds || (a.kinds && !sv.kinds)) r.trail = a.trail;
            if (a.kinds) r.via = a.via;
        }
        if (a.ck == CK_NONE) r.ck = CK_NONE;
    }
    r.safe = any ? (uint16_t)(sv.safe | (safe == 0xffff ? 0 : safe)) : sv.safe;
    if (TAINTED(r))
        r.trail = add_step_lazy(md, r.trail, call, "returned from %s()%s", name, NULL);
    return r;
}

/* Apply a callee's summary at a call: sinks reached through parameters. */
static void apply_summary(fctx *c, func *fn, py_node *call, const tval *slot, int nslot)
{
    mod *md = c->md;
    for (int k = 0; k < fn->nsinks; k++) {
        fsink *s = &fn->sinks[k];
        for (int i = 0; i < nslot && i < 32; i++) {
            if (!(s->params & (1u << i))) continue;
            tval a = slot[i];
            if ((a.safe >> s->fam) & 1) continue;
            if (!((LOCAL_FAMS >> s->fam) & 1)) a.kinds &= (uint8_t)~(SK_CLI | SK_ENV);
            const char *pn = i < fn->nparams ? fn->pnames[i] : "?";
            if (a.kinds && md->report) {
                /* the path: source ... call, then the callee's own steps */
                const step *t = add_step(md, a.trail, call,
                                         astr(md, "passed to %s() as `%s`", fn->name, pn));
                const step *chain[MAX_TRAIL + 2];
                int nc = 0;
                for (const step *p = s->trail; p && nc < MAX_TRAIL; p = p->prev) chain[nc++] = p;
                while (nc > 0) {
                    const step *p = chain[--nc];
                    if (!p->prev && i < fn->nparams) continue; /* "parameter x" is implied */
                    t = add_step(md, t, NULL, step_msg(md, p));
                    ((step *)t)->line = p->line;
                    ((step *)t)->col = p->col;
                }
                py_node at = {0};
                at.lineno = s->line;
                at.col_offset = s->col;
                at.end_lineno = s->end_line;
                at.end_col_offset = s->end_col;
                report(md, s->fam, &at, a.kinds, t, s->what, a.via);
                add_verdict(md, s->line, s->fam, 3);
            }
            if (a.params && c->fn) {
                func *me = c->fn;
                int found = 0;
                for (int j = 0; j < me->nsinks; j++)
                    if (me->sinks[j].line == s->line && me->sinks[j].col == s->col &&
                        me->sinks[j].fam == s->fam) {
                        me->sinks[j].params |= a.params;
                        found = 1;
                    }
                if (!found) {
                    XGROW(me->sinks, me->capsinks, (size_t)me->nsinks + 1);
                    const step *t = add_step(md, a.trail, call,
                                             astr(md, "passed to %s() as `%s`", fn->name, pn));
                    for (const step *p = s->trail; p; p = p->prev)
                        if (!p->prev) break;
                    t = add_step(md, t, NULL, astr(md, "reaches %s in %s() at line %d", s->what,
                                                   fn->name, s->line));
                    ((step *)t)->line = s->line;
                    ((step *)t)->col = s->col;
                    me->sinks[me->nsinks++] = (fsink){a.params, s->fam, s->line, s->col,
                                                      s->end_line, s->end_col, s->what, t, NULL};
                }
            }
        }
    }
    /* parameter -> self.field (constructors, setters) */
    if (fn->cls)
        for (int k = 0; k < fn->nfields; k++)
            for (int i = 0; i < nslot && i < 32; i++)
                if ((fn->fields[k].params & (1u << i)) && slot[i].kinds) {
                    const char *key = astr(md, "%s.%s", fn->cls, fn->fields[k].field);
                    tval *old = env_get(&md->fields, key);
                    tval nv = slot[i];
                    nv.params = 0;
                    nv.trail = add_step(md, nv.trail, call,
                                        astr(md, "stored in %s.%s", fn->cls,
                                             fn->fields[k].field));
                    env_set(&md->fields, key, old ? v_join(*old, nv) : nv);
                }
}

static void record_call(fctx *c, py_node *call, const char *q, argv_ *a);

static func *callee_of(fctx *c, py_node *call, tval recv, int *self_slot, klass **ctor)
{
    mod *md = c->md;
    py_node *f = call->call.func;
    *self_slot = 0;
    *ctor = NULL;
    if (f->kind == PY_Name) {
        if (env_get(&md->globals, f->name.id) && c->fn) {
            /* shadowed by a module-level assignment: not our def */
        }
        func *fn = find_func(md, NULL, f->name.id);
        if (fn) return fn;
        klass *k = find_class(md, f->name.id);
        if (k) {
            *ctor = k;
            *self_slot = 1;
            return find_func(md, k->name, "__init__");
        }
        return NULL;
    }
    if (f->kind == PY_Attribute) {
        const char *cls = NULL;
        if (is_self(f->attribute.value) && c->cls) cls = c->cls->name;
        else if (recv.cls) cls = recv.cls;
        if (cls) {
            func *fn = find_func(md, cls, f->attribute.attr);
            if (fn) *self_slot = 1;
            return fn;
        }
    }
    return NULL;
}

static tval eval_call(fctx *c, env *e, py_node *call)
{
    mod *md = c->md;
    py_node *f = call->call.func;
    char dotted[160];
    if (!ast_dotted_name(f, dotted, sizeof dotted)) dotted[0] = 0;
    const char *q = qname_of(md, call);
    if (!q && dotted[0] && f->kind == PY_Name) q = dotted;
    const char *attr = f->kind == PY_Attribute ? f->attribute.attr : NULL;
    py_node *recvn = attr ? f->attribute.value : NULL;
    tval recv = recvn ? eval(c, e, recvn) : (tval){0};
    argv_ a;
    eval_args(c, e, call, &a);
    const tab_source *s;

    /* one look-up per name in the source, sink and sanitizer tables */
    const tab_source *qsrc = NULL;
    const tab_sink *qsink = NULL, *msink = NULL;
    unsigned qsan = 0, msan = 0;
    if (q) tab_lookup(M_CALL, q, &qsrc, &qsink, &qsan);
    if (attr) {
        const tab_source *unused;
        tab_lookup(M_METHOD, attr, &unused, &msink, &msan);
    }

    /* sources */
    if ((s = qsrc)) return source_val(c, s, call, expr_text(md, call));
    if (attr && request_like(c, recvn) && (s = tab_source_find(M_REQ_CALL, attr)))
        return source_val(c, s, call, expr_text(md, call));
    if (attr && is_self(recvn) && (s = tab_source_find(M_SELF_CALL, attr)))
        return source_val(c, s, call, expr_text(md, call));
    if ((q && (s = tab_source_suffix(q))) ||
        (dotted[0] && (!q || strcmp(q, dotted) != 0) && (s = tab_source_suffix(dotted))))
        if (!(s->kind == SK_CLI && !attr))
            return source_val(c, s, call, expr_text(md, call));

    /* functions and classes of this module */
    int self_slot;
    klass *ctor;
    func *fn = callee_of(c, call, recv, &self_slot, &ctor);
    if (fn && md->depth < MAX_DEPTH && !fn->busy) {
        if (!fn->done) analyse_func(md, fn);
        tval slot[32];
        int ns = 0;
        if (self_slot && ns < 32) slot[ns++] = ctor ? (tval){0} : recv;
        for (int i = 0; i < a.n && ns < 32; i++) slot[ns++] = a.v[i];
        for (; ns < fn->nparams && ns < 32; ns++) slot[ns] = (tval){0};
        for (int k = 0; k < a.nkw; k++)
            for (int i = 0; i < fn->nparams && i < 32; i++)
                if (streq(fn->pnames[i], a.kwname[k])) slot[i] = a.kw[k];
        if (ns < fn->nparams) ns = fn->nparams < 32 ? fn->nparams : 32;
        apply_summary(c, fn, call, slot, ns);
        tval r = subst(md, fn->ret, slot, ns, call, fn->name);
        if (ctor) {
            r = v_join(r, v_derived(a.all));
            r.cls = ctor->name;
            r.ck = CK_NONE;
        }
        return r;
    }
    if (ctor) {
        tval r = v_derived(a.all);
        r.cls = ctor->name;
        r.ck = CK_NONE;
        r.opaque = 1; r.unproven = TFM_ALL;
        return r;
    }

    /* sanitizers */
    unsigned fams = qsan ? qsan : msan;
    if (!fams && attr && streq(attr, "replace") && a.n >= 1 && a.node[0]->kind == PY_Constant &&
        a.node[0]->constant.value == PY_CONST_STR &&
        (strchr(a.node[0]->constant.s, '\n') || strchr(a.node[0]->constant.s, '\r')))
        fams = TFM_LOG | TFM_HEADER;
    if (fams) {
        tval r = v_derived(v_join(recv, a.all));
        if (fams == TFM_ALL) {
            r = (tval){0};
            r.ck = CK_OTHER;
            return r;
        }
        r.safe |= (uint16_t)fams;
        r.unproven &= (uint16_t)~fams;
        return r;
    }

    /* sinks */
    const tab_sink *sk = qsink;
    if (!sk && msink && !is_module_name(md, recvn)) sk = msink;
    if (sk) {
        const char *what = !TAINTED(a.all) && !TAINTED(recv) ? "sink" /* never shown */
                           : astr(md, "%s()", dotted[0] ? dotted : (q ? q : attr));
        check_sink(c, e, call, sk, recv, &a, what);
    }

    /* container mutators: the receiver now holds what went in */
    if (attr && recvn && (a.n || a.nkw) &&
        (streq(attr, "append") || streq(attr, "extend") || streq(attr, "insert") ||
         streq(attr, "add") || streq(attr, "update") || streq(attr, "appendleft") ||
         streq(attr, "setdefault") || streq(attr, "put"))) {
        const char *key = key_of(md, recvn);
        if (key && (recvn->kind == PY_Name || recvn->kind == PY_Attribute)) {
            tval in = streq(attr, "insert") && a.n >= 2 ? a.v[1] : a.all;
            if (streq(attr, "setdefault") && a.n >= 2) in = a.v[1];
            if (TAINTED(in) || in.unproven) {
                tval w = v_join(recv, v_derived(in));
                w.ck = CK_NONE;
                if (TAINTED(in))
                    w.trail = add_step_lazy(md, in.trail, call, "added to `%s`%s", key, NULL);
                env_set(e, key, w);
            }
        }
    }

    /* anything else: the result carries what went in */
    if (!sk && !fn) record_call(c, call, q, &a);
    tval r;
    py_node *tn = NULL;
    if (attr && streq(attr, "get") && kwarg(&a, "type", &tn) && tn && tn->kind == PY_Name &&
        (streq(tn->name.id, "int") || streq(tn->name.id, "float") || streq(tn->name.id, "bool"))) {
        r = (tval){0}; /* request.args.get("n", type=int): converted */
        r.ck = CK_OTHER;
        return r;
    }
    if (attr && (streq(attr, "get") || streq(attr, "pop") || streq(attr, "setdefault") ||
                 streq(attr, "values") || streq(attr, "items") || streq(attr, "keys") ||
                 streq(attr, "copy") || streq(attr, "getlist"))) {
        r = recv;
        for (int i = 1; i < a.n; i++) r = v_join(r, a.v[i]); /* defaults */
    } else {
        r = v_join(recv, a.all);
    }
    r = v_derived(r);
    r.opaque = 1; r.unproven = TFM_ALL;
    r.prefix = attr && streq(attr, "format") ? recv.prefix : 0;
    if (r.kinds && q && strchr(q, '.') && !sk && md->r &&
        (f->kind == PY_Name || (attr && !TAINTED(recv) && dotted[0] && strcmp(q, dotted) != 0)))
        r.via = q; /* a function imported from elsewhere: finish knows what it returns */
    if (q && (streq(q, "urllib.parse.urlparse") || streq(q, "urllib.parse.urlsplit") ||
              streq(q, "os.path.realpath") || streq(q, "os.path.abspath") ||
              streq(q, "os.path.normpath") || streq(q, "pathlib.Path")) &&
        a.n >= 1 && a.node[a.n - 1]->kind == PY_Name)
        r.alias = a.node[a.n - 1]->name.id;
    return r;
}

static tval eval_comp(fctx *c, env *e, py_node *x, py_node *elt, py_node *val, py_list gens)
{
    env inner;
    env_copy(&inner, e);
    for (int i = 0; i < gens.n; i++) {
        py_node *g = gens.v[i];
        tval it = eval(c, &inner, g->comprehension.iter);
        assign(c, &inner, g->comprehension.target, v_derived(it), NULL);
        for (int k = 0; k < g->comprehension.ifs.n; k++) {
            eval(c, &inner, g->comprehension.ifs.v[k]);
            apply_guards(c, &inner, g->comprehension.ifs.v[k], 1);
        }
    }
    tval r = eval(c, &inner, elt);
    if (val) r = v_join(eval(c, &inner, val), r.kinds ? r : (tval){0});
    (void)x;
    env_free(&inner);
    r = v_derived(r);
    r.opaque = 1; r.unproven = TFM_ALL;
    return r;
}

static tval eval(fctx *c, env *e, py_node *x)
{
    if (!x) return (tval){0};
    if (c->edepth > MAX_EVAL_DEPTH) return v_opaque();
    c->edepth++;
    tval r = {0};
    switch (x->kind) {
    case PY_Constant: r = v_const(x); break;
    case PY_Name: {
        r = lookup_name(c, e, x->name.id);
        const tab_source *s;
        if (!env_get(e, x->name.id) && c->md->r) {
            const char *q = resolve_name(c->md->r, x);
            if (q && (s = tab_source_find(M_QNAME, q))) r = source_val(c, s, x, q);
        }
        break;
    }
    case PY_Attribute: r = eval_attribute(c, e, x); break;
    case PY_Subscript: r = eval_subscript(c, e, x); break;
    case PY_Call: r = eval_call(c, e, x); break;
    case PY_BinOp: {
        tval l = eval(c, e, x->binop.left), rr = eval(c, e, x->binop.right);
        r = v_join(l, rr);
        if (l.ck == CK_INT && rr.ck == CK_INT && !r.opaque) {
            r.ck = CK_INT;
            switch (x->binop.op) {
            case PY_Add: if (__builtin_add_overflow(l.ci, rr.ci, &r.ci)) r.ck = CK_OTHER; break;
            case PY_Sub: if (__builtin_sub_overflow(l.ci, rr.ci, &r.ci)) r.ck = CK_OTHER; break;
            case PY_Mult: if (__builtin_mul_overflow(l.ci, rr.ci, &r.ci)) r.ck = CK_OTHER; break;
            default: r.ck = CK_OTHER; break;
            }
        } else r = v_derived(r);
        if (x->binop.op == PY_Add || x->binop.op == PY_Mod) r.prefix = l.prefix;
        break;
    }
    case PY_BoolOp: {
        int known = 1;
        for (int i = 0; i < x->boolop.values.n; i++) {
            tval v = eval(c, e, x->boolop.values.v[i]);
            r = i ? v_join(r, v) : v;
            if (truth(v) < 0) known = 0;
        }
        if (!known) r = v_derived(r);
        break;
    }
    case PY_UnaryOp: {
        tval v = eval(c, e, x->unaryop.operand);
        if (x->unaryop.op == PY_Not) r = v_bool(truth(v) < 0 ? -1 : !truth(v));
        else if (x->unaryop.op == PY_USub && v.ck == CK_INT && v.ci != INT64_MIN) {
            r = v;
            r.ci = -v.ci;
        } else r = v_derived(v);
        break;
    }
    case PY_Compare: {
        tval l = eval(c, e, x->compare.left);
        int res = 1;
        for (int i = 0; i < x->compare.comparators.n; i++) {
            tval rr = eval(c, e, x->compare.comparators.v[i]);
            int k = const_cmp(x->compare.ops[i], l, rr);
            if (k < 0) res = -1;
            else if (res == 1) res = k;
            l = rr;
        }
        r = v_bool(res);
        break;
    }
    case PY_IfExp: {
        int t = truth(eval(c, e, x->ifexp.test));
        if (t == 1) r = eval(c, e, x->ifexp.body);
        else if (t == 0) r = eval(c, e, x->ifexp.orelse);
        else r = v_join(eval(c, e, x->ifexp.body), eval(c, e, x->ifexp.orelse));
        break;
    }
    case PY_JoinedStr: {
        r.ck = CK_OTHER;
        uint8_t pfx = 0;
        for (int i = 0; i < x->joinedstr.values.n; i++) {
            tval v = eval(c, e, x->joinedstr.values.v[i]);
            if (i == 0) pfx = v.prefix;
            r = i ? v_join(r, v) : v_join(v, (tval){.ck = CK_OTHER});
        }
        r = v_derived(r);
        r.prefix = pfx;
        break;
    }
    case PY_FormattedValue:
        r = v_derived(eval(c, e, x->formattedvalue.value));
        if (x->formattedvalue.format_spec) eval(c, e, x->formattedvalue.format_spec);
        break;
    case PY_List: case PY_Tuple: case PY_Set:
        r.ck = CK_OTHER;
        for (int i = 0; i < x->list.elts.n; i++) {
            py_node *el = x->list.elts.v[i];
            r = v_join(r, eval(c, e, el->kind == PY_Starred ? el->starred.value : el));
        }
        r = v_derived(r);
        break;
    case PY_Dict:
        r.ck = CK_OTHER;
        for (int i = 0; i < x->dict.values.n; i++) {
            if (x->dict.keys.v[i]) eval(c, e, x->dict.keys.v[i]); /* keys do not taint */
            r = v_join(r, eval(c, e, x->dict.values.v[i]));
        }
        r = v_derived(r);
        break;
    case PY_ListComp: case PY_SetComp: case PY_GeneratorExp:
        r = eval_comp(c, e, x, x->listcomp.elt, NULL, x->listcomp.generators);
        break;
    case PY_DictComp:
        r = eval_comp(c, e, x, x->dictcomp.key, x->dictcomp.value, x->dictcomp.generators);
        break;
    case PY_NamedExpr:
        r = eval(c, e, x->namedexpr.value);
        assign(c, e, x->namedexpr.target, r, x->namedexpr.value);
        break;
    case PY_Await: case PY_YieldFrom: r = eval(c, e, x->await.value); break;
    case PY_Yield:
        r = eval(c, e, x->await.value);
        if (c->fn) c->fn->ret = v_join(c->fn->ret, r);
        r = v_opaque();
        break;
    case PY_Starred: r = eval(c, e, x->starred.value); break;
    case PY_Slice:
        eval(c, e, x->slice.lower);
        eval(c, e, x->slice.upper);
        eval(c, e, x->slice.step);
        break;
    case PY_Lambda: r = v_opaque(); break;
    default: r = v_opaque(); break;
    }
    c->edepth--;
    return r;
}

/* ---- statements -------------------------------------------------------- */

static int store_sink(fctx *c, env *e, py_node *t, tval v)
{
    /* session[k] = v (trust boundary), response.headers[k] = v, response[k] = v */
    mod *md = c->md;
    if (t->kind != PY_Subscript) return 0;
    py_node *b = t->subscript.value;
    (void)e;
    const char *q = qname_of(md, b);
    int session = streq(q, "flask.session") || streq(q, "quart.session") ||
                  (b->kind == PY_Attribute && streq(b->attribute.attr, "session") &&
                   request_like(c, b->attribute.value));
    if (session) {
        hit_sink(c, TF_TRUST, t, v, astr(md, "%s[...] =", expr_text(md, b)));
        return 1;
    }
    int header = b->kind == PY_Attribute && streq(b->attribute.attr, "headers") &&
                 !request_like(c, b->attribute.value) && !is_self(b->attribute.value);
    if (header) {
        hit_sink(c, TF_HEADER, t, v, astr(md, "%s[...] =", expr_text(md, b)));
        return 1;
    }
    return 0;
}

static void assign(fctx *c, env *e, py_node *t, tval v, py_node *value)
{
    mod *md = c->md;
    if (!t) return;
    switch (t->kind) {
    case PY_Name: {
        tval w = v;
        if (TAINTED(w))
            w.trail = add_step_lazy(md, w.trail, t, "assigned to `%s`%s", t->name.id, NULL);
        w.defline = t->lineno;
        env_set(e, t->name.id, w);
        /* element and key entries of a literal: d = {"a": x}, args = ["ls", x] */
        if (value && (value->kind == PY_List || value->kind == PY_Tuple)) {
            for (int i = 0; i < value->list.elts.n && i < 8; i++)
                if (value->list.elts.v[i]->kind != PY_Starred)
                {
                    static const char *const idx[8] = {"0]", "1]", "2]", "3]",
                                                       "4]", "5]", "6]", "7]"};
                    env_set(e, akey(md, t->name.id, "[", idx[i]), eval(c, e, value->list.elts.v[i]));
                }
        } else if (value && value->kind == PY_Dict) {
            for (int i = 0; i < value->dict.keys.n && i < 32; i++) {
                py_node *k = value->dict.keys.v[i];
                if (k && k->kind == PY_Constant && k->constant.value == PY_CONST_STR &&
                    k->constant.len < 64)
                {
                    char kb[80];
                    env_set(e, akey(md, t->name.id, "[", cat3(kb, sizeof kb, k->constant.s, "]", NULL)),
                            eval(c, e, value->dict.values.v[i]));
                }
            }
        }
        break;
    }
    case PY_Tuple: case PY_List: {
        int n = t->list.elts.n;
        int pair = value && (value->kind == PY_Tuple || value->kind == PY_List) &&
                   value->list.elts.n == n;
        for (int i = 0; i < n; i++) {
            py_node *el = t->list.elts.v[i];
            if (el->kind == PY_Starred) el = el->starred.value;
            if (pair && value->list.elts.v[i]->kind != PY_Starred)
                assign(c, e, el, eval(c, e, value->list.elts.v[i]), value->list.elts.v[i]);
            else assign(c, e, el, v_derived(v), NULL);
        }
        break;
    }
    case PY_Starred: assign(c, e, t->starred.value, v_derived(v), NULL); break;
    case PY_Attribute: {
        eval(c, e, t->attribute.value);
        const char *key = key_of(md, t);
        tval w = v;
        if (TAINTED(w))
            w.trail = add_step(md, w.trail, t, astr(md, "stored in `%s`", expr_text(md, t)));
        if (key) env_set(e, key, w);
        if (is_self(t->attribute.value) && c->cls) {
            const char *fk = astr(md, "%s.%s", c->cls->name, t->attribute.attr);
            if (w.kinds) {
                tval *old = env_get(&md->fields, fk);
                tval cw = w;
                cw.params = 0;
                cw.ck = CK_NONE;
                env_set(&md->fields, fk, old ? v_join(*old, cw) : cw);
            }
            if (w.params && c->fn) {
                func *fn = c->fn;
                int k = 0;
                for (; k < fn->nfields; k++)
                    if (streq(fn->fields[k].field, t->attribute.attr)) break;
                if (k == fn->nfields) {
                    XGROW(fn->fields, fn->capfields, (size_t)fn->nfields + 1);
                    fn->fields[fn->nfields++] = (ffield){t->attribute.attr, 0};
                }
                fn->fields[k].params |= w.params & ~1u; /* not self itself */
            }
        }
        break;
    }
    case PY_Subscript: {
        eval(c, e, t->subscript.slice);
        if (store_sink(c, e, t, v)) break;
        const char *key = key_of(md, t);
        if (key) env_set(e, key, v);
        py_node *b = t->subscript.value;
        if (b->kind == PY_Name && TAINTED(v)) { /* weak update of the container */
            tval old = lookup_name(c, e, b->name.id);
            tval w = v_join(old, v_derived(v));
            w.trail = add_step_lazy(md, v.trail, t, "stored in `%s`%s", b->name.id, NULL);
            env_set(e, b->name.id, w);
        } else if (b->kind == PY_Attribute && TAINTED(v)) {
            assign(c, e, b, v_join(eval(c, e, b), v_derived(v)), NULL);
        }
        break;
    }
    default: break;
    }
}

/* Does this call never return (abort(404), sys.exit())? */
static int no_return(fctx *c, py_node *x)
{
    if (x->kind != PY_Call) return 0;
    const char *q = qname_of(c->md, x);
    const char *l = last_comp(q);
    return streq(l, "abort") || streq(q, "sys.exit") || streq(q, "exit") || streq(l, "_exit");
}

/* Did a round of a loop body change the taint of a name that existed
 * before it (a flow the next iteration could carry further)? */
static int loop_carried(const env *pre, const env *post)
{
    for (int i = 0; i < pre->n; i++) {
        tval *v = env_get(post, pre->v[i].key);
        if (v && (v->kinds != pre->v[i].v.kinds || v->params != pre->v[i].v.params ||
                  v->safe != pre->v[i].v.safe))
            return 1;
    }
    return 0;
}

/* A loop body runs once, and a second time when the first round changed a
 * name it could read again (outermost two loop levels only, so nesting
 * never multiplies the work). */
static void exec_loop(fctx *c, env *e, py_node *target, tval item, py_list body, py_list orelse)
{
    env *saved = c->brk;
    env brk = {0};
    brk.dead = 1;
    c->brk = &brk;
    c->loops++;
    for (int round = 0; round < 2 && !e->dead; round++) {
        env pre;
        env_copy(&pre, e);
        if (target) assign(c, e, target, item, NULL);
        exec_block(c, e, body);
        e->dead = 0; /* continue / end of body loops back */
        int again = round == 0 && c->loops <= 2 && loop_carried(&pre, e);
        env_merge(e, &pre);
        if (!again) break;
    }
    c->loops--;
    c->brk = saved;
    exec_block(c, e, orelse);
    env_merge(e, &brk);
}

static void exec_stmt(fctx *c, env *e, py_node *s)
{
    mod *md = c->md;
    switch (s->kind) {
    case PY_Expr:
        eval(c, e, s->expr.value);
        if (no_return(c, s->expr.value)) e->dead = 1;
        break;
    case PY_Assign: {
        tval v = eval(c, e, s->assign.value);
        for (int i = 0; i < s->assign.targets.n; i++)
            assign(c, e, s->assign.targets.v[i], v, s->assign.value);
        break;
    }
    case PY_AnnAssign:
        if (s->annassign.value)
            assign(c, e, s->annassign.target, eval(c, e, s->annassign.value), s->annassign.value);
        break;
    case PY_AugAssign: {
        tval old = eval(c, e, s->augassign.target);
        tval v = v_derived(v_join(old, eval(c, e, s->augassign.value)));
        if (old.ck == CK_INT && v.ck == CK_OTHER && !TAINTED(v)) v.ck = CK_OTHER;
        assign(c, e, s->augassign.target, v, NULL);
        break;
    }
    case PY_Return: {
        tval v = eval(c, e, s->return_.value);
        if (c->fn) c->fn->ret = v_join(c->fn->ret, v);
        if (c->flask_handler && s->return_.value) {
            py_node *rv = s->return_.value;
            if (rv->kind == PY_Tuple && rv->list.elts.n) rv = rv->list.elts.v[0];
            int stringy = rv->kind == PY_JoinedStr ||
                          (rv->kind == PY_BinOp &&
                           (rv->binop.op == PY_Add || rv->binop.op == PY_Mod)) ||
                          (rv->kind == PY_Call && rv->call.func->kind == PY_Attribute &&
                           streq(rv->call.func->attribute.attr, "format"));
            if (stringy) hit_sink(c, TF_XSS, s, eval(c, e, rv), "return from a route");
        }
        e->dead = 1;
        break;
    }
    case PY_Raise:
        eval(c, e, s->raise.exc);
        e->dead = 1;
        break;
    case PY_Continue: e->dead = 1; break;
    case PY_Break:
        if (c->brk) {
            env cp;
            env_copy(&cp, e);
            env_merge(c->brk, &cp);
        }
        e->dead = 1;
        break;
    case PY_Assert:
        eval(c, e, s->assert.test);
        apply_guards(c, e, s->assert.test, 1);
        break;
    case PY_If: {
        tval tv = eval(c, e, s->if_.test);
        int t = truth(tv);
        if (t == 1) {
            apply_guards(c, e, s->if_.test, 1);
            exec_block(c, e, s->if_.body);
            mark_dead(md, s->if_.orelse);
        } else if (t == 0) {
            mark_dead(md, s->if_.body);
            exec_block(c, e, s->if_.orelse);
        } else {
            env other;
            env_copy(&other, e);
            apply_guards(c, e, s->if_.test, 1);
            apply_guards(c, &other, s->if_.test, 0);
            exec_block(c, e, s->if_.body);
            exec_block(c, &other, s->if_.orelse);
            env_merge(e, &other);
        }
        break;
    }
    case PY_While: {
        int t = truth(eval(c, e, s->while_.test));
        if (t == 0) {
            mark_dead(md, s->while_.body);
            exec_block(c, e, s->while_.orelse);
            break;
        }
        exec_loop(c, e, NULL, (tval){0}, s->while_.body, s->while_.orelse);
        break;
    }
    case PY_For: case PY_AsyncFor: {
        tval it = v_derived(eval(c, e, s->for_.iter));
        exec_loop(c, e, s->for_.target, it, s->for_.body, s->for_.orelse);
        break;
    }
    case PY_With: case PY_AsyncWith:
        for (int i = 0; i < s->with.items.n; i++) {
            py_node *it = s->with.items.v[i];
            tval v = eval(c, e, it->withitem.context_expr);
            if (it->withitem.optional_vars) assign(c, e, it->withitem.optional_vars, v, NULL);
        }
        exec_block(c, e, s->with.body);
        break;
    case PY_Try: case PY_TryStar: {
        env pre;
        env_copy(&pre, e);
        exec_block(c, e, s->try_.body);
        env mid;
        env_copy(&mid, e);
        env_merge(&mid, &pre); /* an exception may come from anywhere in the body */
        mid.dead = 0;
        exec_block(c, e, s->try_.orelse);
        for (int i = 0; i < s->try_.handlers.n; i++) {
            py_node *h = s->try_.handlers.v[i];
            env he;
            env_copy(&he, &mid);
            if (h->excepthandler.name) env_set(&he, h->excepthandler.name, v_opaque());
            exec_block(c, &he, h->excepthandler.body);
            env_merge(e, &he);
        }
        env_free(&mid);
        if (s->try_.finalbody.n) {
            int dead = e->dead;
            e->dead = 0;
            exec_block(c, e, s->try_.finalbody);
            e->dead |= dead;
        }
        break;
    }
    case PY_Match: {
        tval subj = eval(c, e, s->match.subject);
        env out = {0};
        out.dead = 1;
        for (int i = 0; i < s->match.cases.n; i++) {
            py_node *mc = s->match.cases.v[i];
            env ce;
            env_copy(&ce, e);
            /* bind every capture name in the pattern to the subject */
            py_node *stack[64];
            int sp = 0;
            stack[sp++] = mc->match_case.pattern;
            while (sp) {
                py_node *p = stack[--sp];
                if (!p) continue;
                if ((p->kind == PY_MatchAs || p->kind == PY_MatchStar) && p->matchas.name)
                    env_set(&ce, p->matchas.name, v_derived(subj));
                if (p->kind == PY_MatchAs && sp < 64) stack[sp++] = p->matchas.pattern;
                if (p->kind == PY_MatchSequence || p->kind == PY_MatchOr)
                    for (int k = 0; k < p->matchsequence.patterns.n && sp < 64; k++)
                        stack[sp++] = p->matchsequence.patterns.v[k];
                if (p->kind == PY_MatchClass)
                    for (int k = 0; k < p->matchclass.patterns.n && sp < 64; k++)
                        stack[sp++] = p->matchclass.patterns.v[k];
                if (p->kind == PY_MatchMapping)
                    for (int k = 0; k < p->matchmapping.patterns.n && sp < 64; k++)
                        stack[sp++] = p->matchmapping.patterns.v[k];
            }
            if (mc->match_case.guard) eval(c, &ce, mc->match_case.guard);
            exec_block(c, &ce, mc->match_case.body);
            env_merge(&out, &ce);
        }
        env_merge(e, &out);
        break;
    }
    case PY_FunctionDef: case PY_AsyncFunctionDef: case PY_ClassDef:
        /* analysed on their own */
        if (c->fn && s->kind != PY_ClassDef)
            env_set(e, s->functiondef.name, v_opaque());
        break;
    case PY_Delete:
        for (int i = 0; i < s->delete.targets.n; i++) {
            const char *key = key_of(md, s->delete.targets.v[i]);
            if (key) env_set(e, key, (tval){0});
        }
        break;
    default: break;
    }
}

static void exec_block(fctx *c, env *e, py_list body)
{
    for (int i = 0; i < body.n; i++) {
        if (e->dead) return;
        exec_stmt(c, e, body.v[i]);
    }
}

/* ---- functions ---------------------------------------------------------- */

static const char *anno_last(mod *md, py_node *ann, char *buf, size_t cap)
{
    (void)md;
    if (!ann) return NULL;
    if (ann->kind == PY_Subscript) ann = ann->subscript.value;
    if (!ast_dotted_name(ann, buf, cap)) return NULL;
    return last_comp(buf);
}

/* Is the function a web handler, and are its parameters request data? */
static void handler_params(fctx *c, env *e, func *fn)
{
    mod *md = c->md;
    py_node *def = fn->def;
    py_node *args = def->functiondef.args;
    int route = 0, flask_route = 0;
    const char *path = NULL; /* the route's path, for typed converters: <int:id> */
    for (int i = 0; i < def->functiondef.decorator_list.n; i++) {
        py_node *d = def->functiondef.decorator_list.v[i];
        if (d->kind != PY_Call || d->call.func->kind != PY_Attribute) continue;
        const char *a = d->call.func->attribute.attr;
        if (d->call.args.n && d->call.args.v[0]->kind == PY_Constant &&
            d->call.args.v[0]->constant.value == PY_CONST_STR)
            path = d->call.args.v[0]->constant.s;
        if (streq(a, "route") || streq(a, "get") || streq(a, "post") || streq(a, "put") ||
            streq(a, "delete") || streq(a, "patch") || streq(a, "api_route") ||
            streq(a, "websocket") || streq(a, "head") || streq(a, "options")) {
            route = 1;
            if (md->flask && (streq(a, "route") || !resolve_imports(md->r, "fastapi")))
                flask_route = 1;
        }
    }
    int n = args->arguments.posonlyargs.n + args->arguments.args.n;
    int django = 0;
    klass *kc = fn->cls ? find_class(md, fn->cls) : NULL;
    if (!route && kc && kc->tornado && md->webmod &&
        (streq(fn->name, "get") || streq(fn->name, "post") || streq(fn->name, "put") ||
         streq(fn->name, "patch") || streq(fn->name, "delete")))
        django = 1; /* tornado: the URL's captured groups are the parameters */
    if (!route && !django && n >= 1) {
        if (!fn->cls && streq(fn->pnames[0], "request")) django = 1;
        if (fn->cls && n >= 2 && fn->nparams >= 2 && streq(fn->pnames[1], "request") &&
            (streq(fn->name, "get") || streq(fn->name, "post") || streq(fn->name, "put") ||
             streq(fn->name, "patch") || streq(fn->name, "delete") ||
             streq(fn->name, "retrieve") || streq(fn->name, "list") ||
             streq(fn->name, "create") || streq(fn->name, "update") ||
             streq(fn->name, "destroy")))
            django = 1;
    }
    c->handler = route || django;
    c->flask_handler = flask_route;
    /* defaults of positional parameters line up with the last ones */
    int nd = args->arguments.defaults.n;
    for (int i = 0; i < fn->nparams && i < 32; i++) {
        const char *pn = fn->pnames[i];
        py_node *argn = NULL, *dflt = NULL;
        if (i < n) {
            argn = i < args->arguments.posonlyargs.n
                       ? args->arguments.posonlyargs.v[i]
                       : args->arguments.args.v[i - args->arguments.posonlyargs.n];
            if (i >= n - nd) dflt = args->arguments.defaults.v[i - (n - nd)];
        } else if (i - n < args->arguments.kwonlyargs.n) {
            argn = args->arguments.kwonlyargs.v[i - n];
            dflt = args->arguments.kw_defaults.v[i - n];
        }
        if (!argn) continue;
        char buf[128];
        const char *ann = anno_last(md, argn->arg.annotation, buf, sizeof buf);
        if (ann && (streq(ann, "Request") || streq(ann, "HttpRequest") ||
                    streq(ann, "WebSocket") || streq(ann, "BaseRequest"))) {
            if (c->nreq < 8) c->reqnames[c->nreq++] = pn;
            continue;
        }
        int web = 0;
        const char *dq = NULL;
        if (dflt && dflt->kind == PY_Call) {
            char db[128];
            if (ast_dotted_name(dflt->call.func, db, sizeof db)) dq = last_comp(db);
            if (dq && tab_source_find(M_DEFAULT, dq)) web = 1;
            if (streq(dq, "Depends") || streq(dq, "Security")) continue;
        }
        /* typed by the framework: FastAPI validates `id: int`, Flask converts <int:id> */
        if (ann && (streq(ann, "int") || streq(ann, "float") || streq(ann, "bool") ||
                    streq(ann, "UUID") || streq(ann, "date") || streq(ann, "datetime") ||
                    streq(ann, "Decimal") || strncmp(ann, "Positive", 8) == 0 ||
                    streq(ann, "conint")))
            continue;
        if (path && c->handler) {
            static const char *const conv[] = {"<int:", "<float:", "<uuid:"};
            int typed = 0;
            for (int k = 0; k < 3 && !typed; k++)
                for (const char *p = strstr(path, conv[k]); p && !typed; p = strstr(p + 1, conv[k])) {
                    const char *nm = p + strlen(conv[k]);
                    size_t ln = strlen(pn);
                    typed = strncmp(nm, pn, ln) == 0 && nm[ln] == '>';
                }
            if (typed) continue;
        }
        if (!web && c->handler) {
            if (streq(pn, "self") || streq(pn, "cls") || streq(pn, "request") ||
                streq(pn, "req") || streq(pn, "db") || streq(pn, "session"))
                continue;
            if (ann && (streq(ann, "Session") || streq(ann, "AsyncSession") ||
                        streq(ann, "BackgroundTasks") || streq(ann, "Response")))
                continue;
            web = 1;
        }
        if (web) {
            md->saw_source = 1;
            tval v = *env_get(e, pn);
            v.kinds |= SK_WEB;
            v.trail = add_step(md, NULL, argn,
                               astr(md, "source: route parameter `%s` (request data)", pn));
            v.defline = argn->lineno;
            env_set(e, pn, v);
        }
    }
}

static void analyse_func(mod *md, func *fn)
{
    fn->busy = 1;
    md->depth++;
    fn->ret = (tval){0};
    fn->nsinks = 0;
    fn->nfields = 0;
    fctx c = {0};
    c.md = md;
    c.fn = fn;
    c.cls = fn->cls ? find_class(md, fn->cls) : NULL;
    env e = {0};
    for (int i = 0; i < fn->nparams && i < 32; i++) {
        tval v = {0};
        v.params = 1u << i;
        v.opaque = 1; v.unproven = TFM_ALL;
        v.trail = add_step_lazy(md, NULL, fn->pnodes[i], "parameter `%s` of %s()", fn->pnames[i],
                                fn->name);
        env_set(&e, fn->pnames[i], v);
    }
    handler_params(&c, &e, fn);
    exec_block(&c, &e, fn->def->functiondef.body);
    env_free(&e);
    md->depth--;
    fn->busy = 0;
    fn->done = 1;
}

/* ---- module ------------------------------------------------------------- */

static void add_func(mod *md, py_node *def, const char *cls)
{
    if (md->nfuncs >= MAX_FUNCS) return;
    XGROW(md->funcs, md->capfuncs, (size_t)md->nfuncs + 1);
    func *fn = &md->funcs[md->nfuncs++];
    memset(fn, 0, sizeof *fn);
    fn->def = def;
    fn->name = def->functiondef.name;
    fn->cls = cls;
    if (cls) {
        char b[256];
        fn->qname = akey(md, md->modname, ".", cat3(b, sizeof b, cls, ".", fn->name));
    } else fn->qname = akey(md, md->modname, ".", fn->name);
    py_node *a = def->functiondef.args;
    py_list lists[3] = {a->arguments.posonlyargs, a->arguments.args, a->arguments.kwonlyargs};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < lists[k].n && fn->nparams < 32; i++)
        {
            fn->pnodes[fn->nparams] = lists[k].v[i];
            fn->pnames[fn->nparams++] = lists[k].v[i]->arg.arg;
        }
}

typedef struct nested_ctx {
    mod *md;
    py_node *self;
    const char *cls;
} nested_ctx;

static int collect_nested(py_node *n, void *ud)
{
    nested_ctx *nc = ud;
    if (n == nc->self) return AST_CONTINUE;
    if (n->kind == PY_FunctionDef || n->kind == PY_AsyncFunctionDef) {
        add_func(nc->md, n, nc->cls);
        return AST_SKIP; /* its own nested functions: when it is visited */
    }
    if (n->kind == PY_ClassDef || n->kind == PY_Lambda || PY_IS_EXPR(n->kind)) return AST_SKIP;
    return AST_CONTINUE;
}

static void collect(mod *md)
{
    py_list body = md->m->node->module.body;
    for (int i = 0; i < body.n; i++) {
        py_node *s = body.v[i];
        if (s->kind == PY_FunctionDef || s->kind == PY_AsyncFunctionDef) add_func(md, s, NULL);
        if (s->kind == PY_ClassDef) {
            XGROW(md->classes, md->capclasses, (size_t)md->nclasses + 1);
            klass *k = &md->classes[md->nclasses++];
            memset(k, 0, sizeof *k);
            k->name = s->classdef.name;
            k->def = s;
            for (int b = 0; b < s->classdef.bases.n; b++) {
                char buf[128];
                if (!ast_dotted_name(s->classdef.bases.v[b], buf, sizeof buf)) continue;
                if (strstr(buf, "HTTPRequestHandler")) k->http_handler = 1;
                else if (strstr(buf, "RequestHandler")) k->tornado = 1;
                size_t bl = strlen(buf);
                if ((bl >= 4 && strcmp(buf + bl - 4, "View") == 0) ||
                    (bl >= 7 && strcmp(buf + bl - 7, "ViewSet") == 0))
                    k->view = 1;
            }
            for (int j = 0; j < s->classdef.body.n; j++) {
                py_node *m = s->classdef.body.v[j];
                if (m->kind == PY_FunctionDef || m->kind == PY_AsyncFunctionDef)
                    add_func(md, m, s->classdef.name);
            }
        }
    }
    /* functions defined inside functions (app factories, blueprints built
     * in a function, closures) are analysed on their own too */
    for (int i = 0; i < md->nfuncs; i++) {
        nested_ctx nc = {md, md->funcs[i].def, NULL};
        ast_walk(md->funcs[i].def, collect_nested, &nc);
    }
}

static const char *module_name(mod *md, const char *path)
{
    char buf[512];
    size_t n = 0;
    if (strncmp(path, "./", 2) == 0) path += 2;
    for (const char *p = path; *p && n < sizeof buf - 1; p++) buf[n++] = *p == '/' ? '.' : *p;
    buf[n] = 0;
    char *dot = strrchr(buf, '.');
    if (dot && (strcmp(dot, ".py") == 0 || strcmp(dot, ".pyw") == 0 || strcmp(dot, ".pyi") == 0))
        *dot = 0;
    n = strlen(buf);
    if (n > 9 && strcmp(buf + n - 9, ".__init__") == 0) buf[n - 9] = 0;
    return arena_strdup(&md->a, buf);
}

static void run_pass(mod *md, int reporting)
{
    md->report = reporting;
    for (int i = 0; i < md->nfuncs; i++) md->funcs[i].done = 0;
    /* module body first: globals and module-level flows */
    fctx c = {0};
    c.md = md;
    env e = {0};
    exec_block(&c, &e, md->m->node->module.body);
    /* class bodies: class attributes */
    for (int i = 0; i < md->nclasses; i++) {
        fctx cc = {0};
        cc.md = md;
        cc.cls = &md->classes[i];
        exec_block(&cc, &e, md->classes[i].def->classdef.body);
    }
    env_free(&md->globals);
    md->globals = e;
    md->globals.dead = 0;
    for (int i = 0; i < md->nfuncs; i++)
        if (!md->funcs[i].done) analyse_func(md, &md->funcs[i]);
}

/* ---- export to the cross-module store ---------------------------------- */

static ts_trail trail_copy(mod *md, const step *t)
{
    ts_trail r = {0};
    int n = 0;
    for (const step *p = t; p; p = p->prev) n++;
    if (!n) return r;
    r.v = xcalloc((size_t)n, sizeof *r.v);
    r.n = n;
    int i = n;
    for (const step *p = t; p; p = p->prev) {
        ts_step *s = &r.v[--i];
        s->path = xstrdup(p->path ? p->path : md->f->path);
        s->line = p->line;
        s->col = p->col;
        s->msg = xstrdup(step_msg(md, p));
    }
    return r;
}

static void record_call(fctx *c, py_node *call, const char *q, argv_ *a)
{
    mod *md = c->md;
    if (!md->report || !md->ts->store || !q || !strchr(q, '.')) return;
    int any = 0;
    for (int i = 0; i < a->n; i++) any |= TAINTED(a->v[i]);
    for (int i = 0; i < a->nkw; i++) any |= TAINTED(a->kw[i]);
    if (!any) return;
    ts_call *tc = xcalloc(1, sizeof *tc);
    tc->callee = xstrdup(q);
    tc->caller = xstrdup(c->fn ? c->fn->qname : md->modname);
    tc->path = xstrdup(md->f->path);
    tc->line = call->lineno;
    tc->col = call->col_offset;
    tc->args = xcalloc((size_t)(a->n + a->nkw), sizeof *tc->args);
    for (int i = 0; i < a->n + a->nkw; i++) {
        const tval *v = i < a->n ? &a->v[i] : &a->kw[i - a->n];
        ts_arg *x = &tc->args[tc->nargs++];
        x->pos = i < a->n ? i : -1;
        x->kw = i < a->n ? NULL : (a->kwname[i - a->n] ? xstrdup(a->kwname[i - a->n]) : NULL);
        x->kinds = v->kinds;
        x->params = v->params;
        x->safe = v->safe;
        if (TAINTED(*v)) {
            const step *t = add_step(md, v->trail, call,
                                     astr(md, "passed to %s", expr_text(md, call)));
            x->trail = trail_copy(md, t);
        }
    }
    XGROW(md->calls, md->capcalls, (size_t)md->ncalls + 1);
    md->calls[md->ncalls++] = tc;
}

static void export_funcs(mod *md)
{
    for (int i = 0; i < md->nfuncs; i++) {
        func *fn = &md->funcs[i];
        int local = 0;
        for (int k = 0; k < fn->nsinks; k++) local += !fn->sinks[k].path;
        ts_func *tf = xcalloc(1, sizeof *tf);
        tf->has_ret = 1;
        tf->ret_params = fn->ret.params;
        tf->ret_kinds = fn->ret.kinds;
        tf->ret_safe = fn->ret.safe;
        tf->qname = xstrdup(fn->qname);
        tf->nparams = fn->nparams;
        tf->pnames = xcalloc((size_t)fn->nparams + 1, sizeof *tf->pnames);
        for (int k = 0; k < fn->nparams; k++) tf->pnames[k] = xstrdup(fn->pnames[k]);
        tf->sinks = local ? xcalloc((size_t)local, sizeof *tf->sinks) : NULL;
        tf->capsinks = (size_t)local;
        for (int k = 0; k < fn->nsinks; k++) {
            fsink *s = &fn->sinks[k];
            if (s->path) continue;
            ts_sink *d = &tf->sinks[tf->nsinks++];
            d->params = s->params;
            d->fam = s->fam;
            d->path = xstrdup(md->f->path);
            d->fs_path = md->f->fs_path ? xstrdup(md->f->fs_path) : NULL;
            d->line = s->line;
            d->col = s->col;
            d->end_line = s->end_line;
            d->end_col = s->end_col;
            d->what = xstrdup(s->what ? s->what : "a sink");
            d->trail = trail_copy(md, s->trail);
        }
        summary_add_func(md->ts->store, tf);
    }
}

/* ---- findings ------------------------------------------------------------ */

static int cmp_pending(const void *a, const void *b)
{
    const pending *x = a, *y = b;
    if (x->line != y->line) return x->line < y->line ? -1 : 1;
    if (x->col != y->col) return x->col < y->col ? -1 : 1;
    return (int)x->fam - (int)y->fam;
}

static void emit(mod *md, vg_out *out)
{
    if (md->npend > 1) qsort(md->pend, (size_t)md->npend, sizeof *md->pend, cmp_pending);
    vg_out hold; /* findings that wait for finish (taint came back from another module) */
    out_init(&hold, out->opts);
    for (int i = 0; i < md->npend; i++) {
        pending *p = &md->pend[i];
        const rule_meta *rm = registry_find(taint_rule_id(p->fam));
        if (!rm) continue;
        finding *fd = out_add(p->via && md->ts->store ? &hold : out, md->f, rm->id, p->line, p->col + 1, p->end_line,
                              p->end_col + 1, "%s reaches %s: %s", taint_kind_word(p->kinds),
                              taint_fam_what(p->fam), p->what ? p->what : "sink");
        if (!fd) continue;
        fd->confidence = taint_kind_conf(p->kinds);
        if (p->fam == TF_LOG && fd->confidence > CONF_MEDIUM) fd->confidence = CONF_MEDIUM;
        const step *chain[MAX_TRAIL + 4];
        int n = 0;
        for (const step *s = p->trail; s && n < MAX_TRAIL + 4; s = s->prev) chain[n++] = s;
        while (n > 0) {
            const step *s = chain[--n];
            finding_add_step(fd, s->path ? s->path : md->f->path, s->line, s->col + 1, "%s",
                             step_msg(md, s));
        }
        finding_set_prop(fd, "source_kind",
                         p->kinds & SK_WEB   ? "web"
                         : p->kinds & SK_LLM ? "llm"
                         : p->kinds & SK_CLI ? "cli"
                                             : "env");
        if (p->via && md->ts->store && hold.n && hold.v[hold.n - 1] == fd) {
            summary_add_deferred(md->ts->store, fd, p->via, p->fam);
            hold.n--;
        }
    }
    diag_move(&out->diags, &hold.diags);
    out_free(&hold);
}

/* Pattern rules that taint can confirm or clear, by sink family. */
static int pattern_family(const char *id)
{
    static const struct {
        const char *id;
        taint_family fam;
    } map[] = {
        {"B608", TF_SQL},  {"B610", TF_SQL},  {"B611", TF_SQL},   {"B602", TF_CMD},
        {"B604", TF_CMD},  {"B605", TF_CMD},  {"B609", TF_CMD},   {"B307", TF_CODE},
        {"B102", TF_CODE}, {"B301", TF_DESER}, {"B506", TF_DESER}, {"B310", TF_SSRF},
        {"B308", TF_XSS},  {"B703", TF_XSS},  {"B704", TF_XSS},   {"B313", TF_XXE},
        {"B314", TF_XXE},  {"B318", TF_XXE},  {"B319", TF_XXE},   {"B320", TF_XXE},
    };
    for (size_t i = 0; i < sizeof map / sizeof map[0]; i++)
        if (strcmp(map[i].id, id) == 0) return (int)map[i].fam;
    return -1;
}

static void refine(mod *md, vg_out *out, size_t first)
{
    for (size_t i = first; i < out->n; i++) {
        finding *fd = out->v[i];
        if (!fd || !fd->rule || !fd->path || strcmp(fd->path, md->f->path) != 0) continue;
        int fam = pattern_family(fd->rule->id);
        if (fam < 0) continue;
        int best = 0;
        for (int k = 0; k < md->nverd; k++)
            if (md->verd[k].fam == (taint_family)fam && md->verd[k].line >= fd->line &&
                md->verd[k].line <= (fd->end_line > fd->line ? fd->end_line : fd->line) &&
                md->verd[k].v > best)
                best = md->verd[k].v;
        for (int k = 0; k < md->ndead; k++)
            if (fd->line >= md->dead[k][0] && fd->line <= md->dead[k][1]) best = best ? best : 1;
        if (best == 3) {
            fd->confidence = CONF_HIGH;
            finding_set_prop(fd, "taint", "tainted");
        } else if (best == 1) {
            fd->confidence = CONF_LOW;
            finding_set_prop(fd, "taint", "constant or sanitised");
        }
    }
}

/* ---- entry points --------------------------------------------------------- */

vg_status taint_init(const vg_opts *opts, taint_state **out, diag_list *d)
{
    (void)d;
    tables_init();
    taint_state *ts = xcalloc(1, sizeof *ts);
    ts->opts = opts;
    ts->store = summary_new();
    *out = ts;
    return VG_OK;
}

void taint_module(taint_state *ts, const vg_file *f, const py_module *m, const py_resolver *r,
                  vg_out *out, size_t first)
{
    if (!ts || !f || !m || !m->node) return;
    if (ts->opts && !ts->opts->taint_enabled) return;
    mod md;
    memset(&md, 0, sizeof md);
    md.ts = ts;
    md.f = f;
    md.m = m;
    md.r = r;
    arena_init(&md.a, 0);
    md.modname = module_name(&md, f->path ? f->path : "module.py");
    md.flask = r && resolve_imports(r, "flask");
    for (int i = 0; r && web_frameworks[i] && !md.webmod; i++)
        md.webmod = resolve_imports(r, web_frameworks[i]);
    collect(&md);
    index_funcs(&md);
    /* Pass 1 fills the class attribute table as it goes.  Only when some
     * attribute got tainted can a second pass (which sees the table from the
     * start, in every method) report more; otherwise pass 1 is final. */
    run_pass(&md, 1);
    if (md.saw_source && md.fields.n) {
        for (int i = 0; i < md.ncalls; i++) ts_call_free(md.calls[i]);
        md.ncalls = md.npend = md.nverd = md.ndead = 0;
        run_pass(&md, 1);
    }
    for (int i = 0; i < md.ncalls; i++) summary_add_call(ts->store, md.calls[i]);
    free(md.calls);
    emit(&md, out);
    refine(&md, out, first);
    export_funcs(&md);
    for (int i = 0; i < md.nfuncs; i++) {
        free(md.funcs[i].sinks);
        free(md.funcs[i].fields);
    }
    free(md.funcs);
    free(md.classes);
    free(md.pend);
    free(md.verd);
    free(md.dead);
    free(md.fidx);
    env_free(&md.fields);
    env_free(&md.globals);
    arena_free(&md.a);
}

vg_status taint_finish(taint_state *ts, vg_out *out)
{
    if (!ts || (ts->opts && !ts->opts->taint_enabled)) return VG_OK;
    return summary_finish(ts->store, ts->opts, out);
}

void taint_fini(taint_state *ts)
{
    if (!ts) return;
    summary_free(ts->store);
    free(ts);
}
