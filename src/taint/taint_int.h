/* taint_int.h - the taint engine's private header: the types its modules
 * share and the calls they make into each other.  Nothing outside
 * src/taint/ includes it (the public face is taint.h).
 *
 * The engine in five pieces, each one file:
 *   value.c   the value lattice (tval), trails of steps, environments
 *             (name -> tval) and their keys;
 *   guard.c   tests that make a name safe in a branch, and branches that
 *             can never run;
 *   eval.c    expressions and calls: sources, sinks, sanitizers, summaries
 *             of the module's own functions applied at a call;
 *   exec.c    statements, function bodies and the parameters of handlers;
 *   module.c  one module from start to end: collect functions and classes,
 *             run the passes, export summaries and calls to summary.c;
 *   emit.c    the one path from a flow to a finding, and the refinement of
 *             the pattern rules' findings.
 *
 * Lifetimes: a `mod` lives for one taint_module call; everything reached
 * from it (tvals, steps, keys, messages) is in md->a or in the AST and
 * goes with it.  Identifiers from the AST are interned (intern.h) and are
 * compared by pointer with each other and with the ti_* names (tables.h);
 * qualified names from the resolver, dotted buffers and constants are plain
 * strings and are compared with streq.
 */
#ifndef VG_TAINT_INT_H
#define VG_TAINT_INT_H

#include <stdint.h>
#include <string.h>

#include "../core/arena.h"
#include "../python/ast.h"
#include "../python/parse.h"
#include "../python/resolve.h"
#include "summary.h"
#include "tables.h"
#include "taint.h"

#include "../core/limits.h"

/* the caps are core/limits.h's */
#define MAX_DEPTH TAINT_MAX_DEPTH
#define MAX_TRAIL TAINT_MAX_TRAIL
#define MAX_EVAL_DEPTH TAINT_MAX_EVAL_DEPTH
#define MAX_FUNCS TAINT_MAX_FUNCS

struct taint_state {
    const vg_opts *opts;
    summary_store *store;
};

/* ---- values (value.c) ------------------------------------------------ */

/* One step of the path a value took; steps are shared between values
 * (prev points back towards the source). */
typedef struct step {
    const struct step *prev;
    int line, col;      /* of this module; col 0-based bytes as the AST */
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
    uint32_t safe;       /* sink families this value is safe for */
    uint8_t kinds;       /* SK_* sources */
    uint8_t opaque;      /* origin unknown (not provably constant) */
    uint32_t unproven;   /* families its unknown parts are not proven safe for */
    uint8_t ck;          /* constant kind */
    int64_t ci;
    const char *cs;
    size_t cl;
    const step *trail;
    const char *cls;     /* instance of a class of this module */
    const char *alias;   /* key of the variable this was parsed/resolved from */
    uint8_t prefix;      /* a string that starts with a constant: PFX_* */
    uint8_t match;       /* the result of a regex check of `alias` (regex_check) */
    const char *via;     /* the taint came back from this function of another module */
    const char *rsrc;    /* may carry what this function of another module returns
                          * whatever its input (a source inside it): finish decides */
    int defline;         /* line of the assignment that produced it */
} tval;

#define TAINTED(v) ((v).kinds || (v).params)

tval tv_opaque(void);
tval tv_join(tval a, tval b);
tval tv_derived(tval v); /* same taint, no longer the same constant or object */
tval tv_const(const py_node *constant);
tval tv_bool(int b);     /* b < 0: unknown */
int tv_truth(tval v);    /* 1 true, 0 false, -1 unknown */
int tv_compare(py_cmpop op, tval a, tval b); /* constant folding: 1, 0 or -1 */

typedef struct env_ent {
    const char *key;
    uint64_t h;
    tval v;
    uint32_t seq;        /* the env's clock at the write */
    uint32_t stamp;      /* scratch of env_join and env_loop_join */
    uint8_t gone;        /* no value: created on a path a rollback undid */
} env_ent;

/* One write undone by a rollback: entry i was `old` before it. */
typedef struct env_undo {
    int i;
    env_ent old;
} env_undo;

/* Names ("x", "self.a", "d[k]") to values; open addressing over v.
 *
 * Branches and loops do not copy it: they mark it, run, and roll the
 * writes back (a journal of the writes since the outermost mark), so a
 * branch costs what it writes, not the number of names.  A join leaves the
 * names neither side wrote as they were, but for one thing the old joins
 * of whole copies did: every value came out as tv_join(v, v), which for a
 * tainted string with a constant start adds redirect safety.  That is kept
 * lazily: a value written before `normed` (the clock of the last join on
 * this path) reads as joined with itself (env_find settles it, a write). */
typedef struct env {
    env_ent *v;
    int n;
    size_t cap;
    int *idx;            /* open addressing, -1 empty */
    int icap;
    int dead;            /* control never reaches past here */
    uint32_t clock;      /* counts writes and joins; never goes back */
    uint32_t normed;     /* values written before this read as joined with themselves */
    uint32_t stamp;
    int marks;           /* open marks: writes go to the journal while any is */
    env_undo *j;
    int nj;
    size_t capj;
    struct env_rec {     /* writes of values a join would change, in clock order */
        int i;
        uint32_t seq;
    } *rec;
    int nrec;
    size_t caprec;
} env;

/* The state of an env to roll back to. */
typedef struct env_mark {
    int nj, nrec, dead;
    uint32_t clock, normed;
} env_mark;

/* What one side of a branch wrote since the mark: the entries' values at
 * its end (gone: none). */
typedef struct env_side {
    struct env_chg {
        int i;
        tval v;
        uint8_t gone;
    } *v;
    int n;
    uint32_t normed;
    int dead;
} env_side;

void env_free(env *e);
size_t env_work(void); /* entries visited by this thread so far (a count of work) */
env_ent *env_find(const env *e, const char *key, uint64_t h);
tval *env_get(const env *e, const char *key);
void env_set(env *e, const char *key, tval v); /* key must outlive the env */
void env_copy(env *dst, const env *src);
void env_merge(env *a, env *b); /* a := join(a, b); b is freed */

void env_mark_set(env *e, env_mark *m);
void env_rollback(env *e, const env_mark *m); /* back to the state at m */
void env_release(env *e, const env_mark *m);  /* m is no longer rolled back to */
/* The writes since m as a side (free with env_side_free); then, usually,
 * env_rollback to m. */
void env_side_take(env *e, const env_mark *m, env_side *s);
void env_side_free(env_side *s);
void env_side_replay(env *e, const env_side *s); /* write s's values again */
/* out := join(a, e's state), as a side from m, leaving e as it is. */
void env_side_join(env *e, const env_mark *m, const env_side *a, env_side *out);
/* e holds one side of a branch from m, a the other (taken before e's ran):
 * e := join(a, e), as env_merge(a, e) of two copies would. */
void env_join(env *e, const env_mark *m, env_side *a);
/* A loop body ran from m: e := join(e, state at m).  Returns whether the
 * round changed the sources, parameters or safety of a name that existed
 * at m (a flow the next round could carry further), when ask is set. */
int env_loop_join(env *e, const env_mark *m, int ask);

/* Sinks by place: (family, line, col) -> an index into the caller's array
 * (the module's pending flows, a function's summary sinks), so that a sink
 * met again is found in constant time, not by a scan of all of them. */
typedef struct site_slot {
    int fam, line, col, i; /* i < 0: empty */
} site_slot;
typedef struct site_idx {
    site_slot *s;
    size_t cap;
    int n;
} site_idx;
int site_idx_find(const site_idx *x, int fam, int line, int col); /* -1: none */
void site_idx_add(site_idx *x, int fam, int line, int col, int i);
void site_idx_clear(site_idx *x);
void site_idx_free(site_idx *x);

/* Environment keys.  key_buf builds the key of an lvalue-shaped expression
 * in buf (or returns an identifier); key_of and key_join keep theirs in the
 * module arena.  key_cat3 writes a + sep + b into buf (truncated). */
const char *key_cat3(char *buf, size_t cap, const char *a, const char *sep, const char *b);
const char *key_buf(const py_node *e, char *buf, size_t cap);
struct mod;
const char *key_of(struct mod *md, const py_node *e);
const char *key_join(struct mod *md, const char *a, const char *sep, const char *b);

/* ---- the module being analysed --------------------------------------- */

typedef struct fsink {       /* parameter -> sink, inside a summary */
    uint32_t params;
    taint_family fam;
    int line, col, end_line, end_col;
    const char *what;
    const step *trail;       /* from the parameter to the sink */
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
    int nested;               /* defined inside another function: may read its names */
    tval ret;
    fsink *sinks;
    int nsinks;
    size_t capsinks;
    site_idx sinkidx;         /* sinks by place */
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
    unsigned sema;           /* SEMA_CLASS_* bits of its bases (GraphQL types, consumers) */
} klass;

typedef struct pending {     /* a finding to report at the end of the module */
    taint_family fam;
    int line, col, end_line, end_col;
    uint8_t kinds;
    const step *trail;
    const char *what;
    const char *via;         /* decided in finish: does via() pass its input on?  With
                              * kinds 0: does via() return a source (rsrc)? */
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
    int llmmod;              /* it imports an LLM client or agent framework (llm.c) */
    int tools_seen;          /* llm.c looked for tools registered by a call */
    const char *toolfns[LLM_MAX_TOOLFNS]; /* their function names (interned) */
    int ntoolfns;
    int urlpatterns;         /* it declares urlpatterns: 0 not looked yet, 1 no, 2 yes */
    int saw_source;          /* a source was evaluated in this pass */
    buf *rec;                /* taint_module_rec: the store's records as bytes, or NULL */
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
    site_idx pendidx;        /* pend by place */
    verdict *verd;
    int nverd;
    size_t capverd;
    int depth;
    size_t work;             /* statements and expressions interpreted */
    int *fidx;               /* open-addressing index of funcs by (class, name) */
    size_t nfidx;
    struct partial {         /* name = functools.partial(f, ...) in this module */
        const char *name;    /* interned */
        py_node *call;
    } partials[16];
    int npartials;
    /* the last constructor call of this module's class, for the object's
     * own fields when it is assigned (exec_assign): x = Box(a) */
    const py_node *obj_call;
    func *obj_init;
    tval obj_slot[32];
    int obj_nslot;
    int (*dead)[2];          /* line ranges of branches that can never run */
    int ndead;
    size_t capdead;
} mod;

/* Where the interpreter is: one function (or the module body) of md. */
typedef struct fctx {
    mod *md;
    func *fn;                /* NULL: module body */
    klass *cls;
    struct loop_brk *brk;    /* the innermost loop's breaks (exec.c) */
    int handler;             /* a route handler */
    int flask_handler;       /* returns are HTML */
    const char *reqnames[8]; /* parameters annotated as requests */
    int nreq;
    int edepth;
    int loops;               /* loop nesting */
    const env *outer;        /* a closure's enclosing function's names, or NULL */
} fctx;

/* The evaluated arguments of one call. */
typedef struct call_args {
    tval v[24];
    py_node *node[24];
    int n;
    tval kw[16];
    const char *kwname[16];  /* interned; NULL for **kw */
    py_node *kwnode[16];
    int nkw;
    tval all;                /* join of every argument */
} call_args;

/* Strings and steps in the module arena (value.c).  A step made with
 * step_add_lazy formats its message only when step_msg asks for it (most
 * steps belong to values that never reach a sink). */
const char *md_str(mod *md, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
const step *step_add(mod *md, const step *prev, const py_node *n, const char *msg);
const step *step_add_lazy(mod *md, const step *prev, const py_node *n, const char *fmt,
                          const char *a1, const char *a2);
const char *step_msg(mod *md, const step *s);
const char *md_expr_text(mod *md, const py_node *e); /* "request.args" */

/* Plain strings (qualified names, buffers, constants): equal content. */
static inline int streq(const char *a, const char *b)
{
    return a && b && a[0] == b[0] && strcmp(a, b) == 0; /* first byte rejects most */
}

/* Two interned identifiers (or one and a ti_* name): the same name. */
static inline int ideq(const char *a, const char *b) { return a && a == b; }

static inline const char *last_comp(const char *d)
{
    const char *p = d ? strrchr(d, '.') : NULL;
    return p ? p + 1 : d;
}

static inline int is_self(const py_node *e)
{
    return e && e->kind == PY_Name && e->name.id == ti_self;
}

/* The resolved qualified name of a Name, Attribute or Call (plain string). */
static inline const char *qname_of(mod *md, const py_node *e)
{
    if (!md->r || !e) return NULL;
    return e->kind == PY_Call ? resolve_call(md->r, e) : resolve_name(md->r, e);
}

/* ---- guards and dead branches (guard.c) ------------------------------ */

/* After `test` is known to have truth `want`: the names it checks become
 * safe for the families the check covers. */
void guard_apply(fctx *c, env *e, py_node *test, int want);
/* A block that can never run: pattern findings in it are downgraded. */
void guard_mark_dead(mod *md, py_list body);
/* Does this call never return (abort(404), sys.exit())? */
int guard_no_return(fctx *c, py_node *x);

/* ---- expressions and calls (eval.c) ---------------------------------- */

tval eval_expr(fctx *c, env *e, py_node *x);
tval eval_name(fctx *c, env *e, const char *id); /* e, then the module's globals */
/* The prefix v gives a string it starts (PFX_*): its constant start, or
 * PFX_LOCAL for a URL of the application's own. */
uint8_t eval_url_prefix(tval v);
int eval_request_like(fctx *c, const py_node *e); /* a server-side request object */
int regex_check(mod *md, const py_node *call);   /* re.fullmatch(p, x), P.match(x) */
/* One value reaching one sink at `at`: a finding (when reporting), a
 * verdict for the refinement, and a summary entry when a parameter gets
 * there. */
void eval_hit_sink(fctx *c, taint_family fam, py_node *at, tval v, const char *what);

/* ---- LLM applications (llm.c; only where md->llmmod) ------------------ */

/* v, read at x (a Name, Attribute, Subscript or FormattedValue), plus
 * SK_SECRET / SK_PII when x names a secret or personal data. */
tval llm_mark(fctx *c, const py_node *x, tval v);
/* v, the result of call: plus a leak kind for a secret looked up by name,
 * a key file, the environment or a person's row; minus them when masked. */
tval llm_mark_call(fctx *c, const py_node *call, tval v);
/* The arguments of a model call (a C_PROMPT sink): prompt and system prompt.
 * by_name: the callee resolved to a model call (litellm.completion); else a
 * method whose receiver must look like a model client. */
void llm_prompt(fctx *c, py_node *call, int by_name, const call_args *a, const char *what);
/* The content node of a system message literal, or NULL; llm_system_hit
 * reports the value v there and returns what goes on from it. */
py_node *llm_system_content(const py_node *x);
tval llm_system_hit(fctx *c, py_node *content, tval v);
/* An agent tool's parameters are SK_TOOL (the model picks them). */
void llm_tool_params(fctx *c, env *e, func *fn);

/* ---- statements (exec.c) --------------------------------------------- */

void exec_block(fctx *c, env *e, py_list body);
void exec_assign(fctx *c, env *e, py_node *target, tval v, py_node *value);
/* Interpret fn's body once (its summary: ret, sinks, fields).  outer: the
 * names of the enclosing function at the call of a closure, or NULL. */
void exec_func(mod *md, func *fn);
void exec_closure(mod *md, func *fn, const env *outer);

/* ---- the module (module.c) ------------------------------------------- */

func *mod_find_func(mod *md, const char *cls, const char *name); /* cls NULL: a function */
klass *mod_find_class(mod *md, const char *name);
/* A call into another module with tainted arguments: kept for finish. */
void mod_record_call(fctx *c, py_node *call, const char *q, const call_args *a);

/* ---- findings (emit.c) ----------------------------------------------- */

/* Queue a flow (fam, at the span of `at`) for emit_module; a flow already
 * queued at the same place keeps the first trail unless this one settles a
 * `via` flow. */
void emit_queue(mod *md, taint_family fam, const py_node *at, uint8_t kinds, const step *trail,
                const char *what, const char *via);
/* What taint concluded at a line for a family (1 safe, 2 unknown, 3 tainted). */
void emit_verdict(mod *md, int line, taint_family fam, int v);
/* The module's queued flows as findings in `out` (those with a `via` go to
 * the store to wait for finish), then the refinement of the pattern
 * findings out->v[first..]. */
void emit_module(mod *md, vg_out *out, size_t first);

/* The one way a taint finding is made: at `site` (made for the family's
 * rule), "<source kind> reaches <family>: <what>" plus " (from PATH:LINE)"
 * when from_path is given, confidence by source kind (log injection at most
 * medium), prop source_kind.  The caller adds the steps.  NULL when the
 * family's rule is not registered. */
finding *emit_finding(vg_out *out, const finding_site *site, taint_family fam, uint8_t kinds,
                      const char *what, const char *from_path, int from_line);
void emit_trail(finding *fd, const ts_trail *t); /* the steps of t, in order */

const char *taint_kind_word(int kinds);     /* "request data" */
const char *taint_fam_what(taint_family f); /* "an SQL query" */

#endif
