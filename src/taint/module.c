/* module.c - one module through the engine, and the engine's entry points.
 *
 * taint_module collects the module's functions (methods and nested
 * functions included) and classes, then runs the module in passes: the
 * module body and class bodies first (globals, class attributes), then
 * every function not yet summarised.  Calls to functions of the same
 * module use their summaries, computed on demand (exec_func) with a depth
 * bound.  Pass 1 fills the class attribute table as it goes; only when an
 * attribute got tainted can a second pass, which sees the table from the
 * start, report more.
 *
 * What the module tells the others goes to the summary store (summary.c)
 * under its lock: the summaries of its functions, each sink with its site
 * (finding.h) rendered now from the module's bytes so the finish phase
 * never opens a file, and its calls into functions it does not define.
 */
#include "taint_int.h"
#include "../python/sema.h"

#include <stdlib.h>

#include "../core/hash.h"
#include "../core/xalloc.h"

/* ---- functions and classes of the module ------------------------------- */

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

func *mod_find_func(mod *md, const char *cls, const char *name)
{
    if (!name || !md->nfidx) return NULL;
    for (size_t j = func_hash(cls, name) & (md->nfidx - 1); md->fidx[j] >= 0;
         j = (j + 1) & (md->nfidx - 1)) {
        func *fn = &md->funcs[md->fidx[j]];
        if (fn->name == name && fn->cls == cls) return fn;
    }
    return NULL;
}

klass *mod_find_class(mod *md, const char *name)
{
    for (int i = 0; i < md->nclasses; i++)
        if (ideq(md->classes[i].name, name)) return &md->classes[i];
    return NULL;
}

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
        fn->qname = key_join(md, md->modname, ".", key_cat3(b, sizeof b, cls, ".", fn->name));
    } else fn->qname = key_join(md, md->modname, ".", fn->name);
    py_node *a = def->functiondef.args;
    py_list lists[3] = {a->arguments.posonlyargs, a->arguments.args, a->arguments.kwonlyargs};
    for (int k = 0; k < 3; k++)
        for (int i = 0; i < lists[k].n && fn->nparams < 32; i++) {
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
        if (nc->md->nfuncs && nc->md->funcs[nc->md->nfuncs - 1].def == n)
            nc->md->funcs[nc->md->nfuncs - 1].nested = 1;
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
                k->sema |= sema_class_base(buf);
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

/* "pkg/sub/mod.py" -> "pkg.sub.mod"; "pkg/__init__.py" -> "pkg". */
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
        if (!md->funcs[i].done) exec_func(md, &md->funcs[i]);
}

/* ---- export to the cross-module store ---------------------------------- */

static ts_trail trail_copy(mod *md, const step *t)
{
    int n = 0;
    for (const step *p = t; p; p = p->prev) n++;
    if (!n) return (ts_trail){0};
    ts_step *v = xmalloc((size_t)n * sizeof *v);
    int i = n;
    for (const step *p = t; p; p = p->prev) /* step_msg's text lives in md */
        v[--i] = (ts_step){(char *)md->f->path, p->line, p->col, (char *)step_msg(md, p)};
    ts_trail r = ts_trail_pack(v, n);
    free(v);
    return r;
}

void mod_record_call(fctx *c, py_node *call, const char *q, const call_args *a)
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
            const step *t = step_add(md, v->trail, call,
                                     md_str(md, "passed to %s", md_expr_text(md, call)));
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
        ts_func *tf = xcalloc(1, sizeof *tf);
        tf->has_ret = 1;
        tf->ret_params = fn->ret.params;
        tf->ret_kinds = fn->ret.kinds;
        tf->ret_safe = fn->ret.safe;
        tf->ret_src = fn->ret.rsrc && !fn->ret.kinds ? xstrdup(fn->ret.rsrc) : NULL;
        tf->qname = xstrdup(fn->qname);
        tf->nparams = fn->nparams;
        tf->pnames = ts_pnames_dup(fn->pnames, fn->nparams);
        tf->sinks = fn->nsinks ? xcalloc((size_t)fn->nsinks, sizeof *tf->sinks) : NULL;
        tf->capsinks = (size_t)fn->nsinks;
        for (int k = 0; k < fn->nsinks; k++) {
            fsink *s = &fn->sinks[k];
            ts_sink *d = &tf->sinks[tf->nsinks++];
            d->params = s->params;
            d->fam = s->fam;
            d->path = xstrdup(md->f->path);
            /* the finding a caller in another module may make here, while
             * this module's bytes are at hand */
            d->site = finding_site_new(md->f, taint_rule_id(s->fam), s->line, s->col + 1,
                                       s->end_line, s->end_col + 1);
            d->line = s->line;
            d->col = s->col;
            d->end_line = s->end_line;
            d->end_col = s->end_col;
            d->what = xstrdup(s->what ? s->what : "a sink");
            d->trail = trail_copy(md, s->trail);
        }
        summary_add_func(md->ts->store, tf, md->rec);
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
    taint_module_rec(ts, f, m, r, out, first, NULL);
}

int taint_replay(taint_state *ts, const unsigned char *rec, size_t n)
{
    if (!ts || (ts->opts && !ts->opts->taint_enabled)) return 0;
    return summary_replay(ts->store, rec, n);
}

void taint_module_rec(taint_state *ts, const vg_file *f, const py_module *m,
                      const py_resolver *r, vg_out *out, size_t first, buf *rec)
{
    if (!ts || !f || !m || !m->node) return;
    if (ts->opts && !ts->opts->taint_enabled) return;
    mod md;
    memset(&md, 0, sizeof md);
    md.ts = ts;
    md.f = f;
    md.m = m;
    md.r = r;
    md.rec = rec;
    arena_init(&md.a, 0);
    size_t work0 = env_work();
    md.modname = module_name(&md, f->path ? f->path : "module.py");
    unsigned fw = r ? sema_frameworks(r) : 0; /* the frameworks: python/web.def */
    md.flask = (fw & SEMA_FW_FLASK) != 0;
    md.webmod = fw != 0;
    md.llmmod = r && sema_imports_llm(r);
    collect(&md);
    index_funcs(&md);
    run_pass(&md, 1);
    if (md.saw_source && md.fields.n) {
        for (int i = 0; i < md.ncalls; i++) ts_call_free(md.calls[i]);
        md.ncalls = md.npend = md.nverd = md.ndead = 0;
        site_idx_clear(&md.pendidx);
        run_pass(&md, 1);
    }
    for (int i = 0; i < md.ncalls; i++) summary_add_call(ts->store, md.calls[i], rec);
    free(md.calls);
    emit_module(&md, out, first);
    export_funcs(&md);
    out->taint_work += md.work + (env_work() - work0);
    for (int i = 0; i < md.nfuncs; i++) {
        free(md.funcs[i].sinks);
        site_idx_free(&md.funcs[i].sinkidx);
        free(md.funcs[i].fields);
    }
    free(md.funcs);
    free(md.classes);
    free(md.pend);
    site_idx_free(&md.pendidx);
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
