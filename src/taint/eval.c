/* eval.c - the value of an expression, and what a call does with its
 * arguments.
 *
 * eval_expr folds constants, joins the taint of the parts of strings,
 * containers and operators, and looks names up in the environment.  A call
 * is, in order: a source (sources.def, request objects, http.server and
 * Tornado handlers), a function or class of this module (its summary,
 * computed on demand, is applied: parameter -> return value, parameter ->
 * sink, parameter -> self.field), a sanitizer (sanitizers.def), a sink
 * (sinks.def, with the conditions of the table), or anything else: the
 * result carries what went in, and a call into another module is recorded
 * for the finish phase.
 */
#include "taint_int.h"
#include "../python/sema.h"

#include <ctype.h>
#include <stdio.h>
#include <strings.h>

#include "../core/xalloc.h"

static tval eval_call(fctx *c, env *e, py_node *call);

tval eval_name(fctx *c, env *e, const char *id)
{
    tval *v = env_get(e, id);
    if (v) return *v;
    if (c->outer && (v = env_get(c->outer, id))) return *v; /* a closure's free name */
    if (c->fn) {
        v = env_get(&c->md->globals, id);
        if (v) return *v;
    }
    return tv_opaque();
}

/* Is id a parameter of the current function annotated with some type
 * that is not a request (`req: ClientRequest`, `request: PreparedRequest`)? */
static int annotated_other(fctx *c, const char *id)
{
    if (!c->fn || !c->fn->def) return 0;
    const py_node *a = c->fn->def->functiondef.args;
    const py_list *lists[] = {&a->arguments.posonlyargs, &a->arguments.args,
                                   &a->arguments.kwonlyargs};
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < lists[l]->n; i++) {
            const py_node *arg = lists[l]->v[i];
            if (!ideq(arg->arg.arg, id)) continue;
            const py_node *ann = arg->arg.annotation;
            if (ann && ann->kind == PY_Subscript) ann = ann->subscript.value;
            const char *t = ann ? ast_terminal_name(ann) : NULL;
            return t && !sema_is_request_type(t);
        }
    return 0;
}

/* `request`/`req` count in modules that import a web framework (an HTTP
 * client's `request` is not input) unless annotated with another type, as
 * do parameters annotated as requests. */
int eval_request_like(fctx *c, const py_node *e)
{
    if (!e) return 0;
    if (e->kind == PY_Name) {
        const char *id = e->name.id;
        for (int i = 0; i < c->nreq; i++)
            if (ideq(id, c->reqnames[i])) return 1;
        if (id != ti_request && id != ti_req) return 0;
        return c->md->webmod && !annotated_other(c, id);
    }
    if (e->kind == PY_Attribute && e->attribute.attr == ti_request && is_self(e->attribute.value))
        return c->md->webmod;
    return 0;
}

static tval source_val(fctx *c, const tab_source *s, py_node *at, const char *text)
{
    tval v = {0};
    if (c->md->f->test_file) { /* a test drives the code; it is not an attacker */
        v.opaque = 1;
        return v;
    }
    c->md->saw_source = 1;
    v.kinds = (uint8_t)s->kind;
    v.opaque = 1; v.unproven = TFM_ALL;
    v.trail = step_add(c->md, NULL, at,
                       md_str(c->md, "source: %s (%s)", text, taint_kind_word(s->kind)));
    v.defline = at->lineno;
    return v;
}

/* The name of a function imported from elsewhere and which of its
 * arguments carried a source, for finish to match against what reaches
 * its return value: "pkg.utils.get_page#1,use_path" (positions and
 * keyword names of the arguments holding a source; a caller's own
 * parameters are the summary's to follow).  A tainted *args or **kwargs makes it "#*": any. */
static const char *via_spec(mod *md, const char *q, const call_args *a)
{
    char spec[256];
    size_t n = 0;
    int any = 0;
    for (int i = 0; i < a->n && !any; i++) {
        if (!a->v[i].kinds) continue;
        if (a->node[i]->kind == PY_Starred) any = 1;
        else n += (size_t)snprintf(spec + n, sizeof spec - n, "%s%d", n ? "," : "", i);
        if (n >= sizeof spec) any = 1;
    }
    for (int i = 0; i < a->nkw && !any; i++) {
        if (!a->kw[i].kinds) continue;
        if (!a->kwname[i]) any = 1;
        else n += (size_t)snprintf(spec + n, sizeof spec - n, "%s%s", n ? "," : "", a->kwname[i]);
        if (n >= sizeof spec) any = 1;
    }
    return any || !n ? md_str(md, "%s#*", q) : md_str(md, "%s#%s", q, spec);
}

/* Is func (a call's callee) a method of a database query: the chain
 * below it passes through a Django manager (Model.objects, a custom
 * *_manager) or an SQLAlchemy Model.query?  Its result is rows the
 * database holds, looked up by the arguments, not the arguments. */
static int orm_lookup(const py_node *func)
{
    if (!func || func->kind != PY_Attribute) return 0;
    /* Django's content-type look-ups: ContentType.get_object_for_this_type */
    static const char *const lookups[] = {"get_object_for_this_type", "get_for_id",
                                          "get_by_natural_key", NULL};
    for (const char *const *l = lookups; *l; l++)
        if (strcmp(func->attribute.attr, *l) == 0) return 1;
    const py_node *x = func->attribute.value;
    for (int depth = 0; x && depth < 16; depth++) {
        if (x->kind == PY_Call) {
            x = x->call.func;
            if (x->kind != PY_Attribute) return 0;
            x = x->attribute.value;
            continue;
        }
        if (x->kind != PY_Attribute) return 0;
        const char *a = x->attribute.attr;
        size_t n = strlen(a);
        if (strcmp(a, "objects") == 0 || (n >= 7 && strcmp(a + n - 7, "manager") == 0)) return 1;
        if (strcmp(a, "query") == 0 && x->attribute.value->kind == PY_Name &&
            isupper((unsigned char)x->attribute.value->name.id[0]))
            return 1;
        x = x->attribute.value;
    }
    return 0;
}

/* Does a call of `name` return what a template engine rendered, and so
 * escaped: render_to_string, render_template, a component's render_html()
 * or render_*(), and in Django code any .render() (Django's templates
 * autoescape; Jinja2's default environment does not, which B701 reports). */
static int rendered_by_template(mod *md, const char *name)
{
    if (!name) return 0;
    const char *last = strrchr(name, '.');
    last = last ? last + 1 : name;
    if (strcmp(last, "render") == 0) return resolve_imports(md->r, "django") != 0;
    return strcmp(last, "render_to_string") == 0 || strcmp(last, "render_template") == 0 ||
           strncmp(last, "render_", 7) == 0;
}

/* The request's own path (request.path, path_info, Flask's full_path,
 * Django's get_full_path()): request data, yet it starts with the path
 * the router matched to this view, so a redirect to it (or to it plus a
 * query) stays on this site: PFX_LOCAL, as for url_for().  A path of
 * "//host" cannot have reached a view whose route starts with a word. */
static tval own_path(tval v, const char *name)
{
    static const char *const names[] = {"path", "path_info", "full_path", "get_full_path",
                                        "get_full_path_info", NULL};
    for (const char *const *n = names; *n; n++)
        if (strcmp(name, *n) == 0) v.prefix |= PFX_LOCAL;
    return v;
}

static tval eval_attribute(fctx *c, env *e, py_node *x)
{
    mod *md = c->md;
    const char *attr = x->attribute.attr;
    py_node *base = x->attribute.value;
    const tab_source *s;
    if (eval_request_like(c, base) && (s = tab_source_find(M_REQ_ATTR, attr)))
        return own_path(source_val(c, s, x, md_expr_text(md, x)), attr);
    if (is_self(base) && c->cls && c->cls->http_handler &&
        (s = tab_source_find(M_SELF_ATTR, attr)))
        return source_val(c, s, x, md_expr_text(md, x));
    if (is_self(base) && c->cls && (c->cls->sema & SEMA_CLASS_CONSUMER) && attr == ti_scope) {
        static const tab_source scope = {SK_WEB, M_SELF_ATTR, "scope"};
        return source_val(c, &scope, x, md_expr_text(md, x)); /* url_route, query_string, headers */
    }
    if (is_self(base) && c->cls && c->cls->view && md->webmod &&
        (attr == ti_kwargs || attr == ti_args)) {
        static const tab_source url_args = {SK_WEB, M_SELF_ATTR, "kwargs"};
        return source_val(c, &url_args, x, md_expr_text(md, x));
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
        tval *v = md->fields.n
                      ? env_get(&md->fields, key_cat3(kb, sizeof kb, c->cls->name, ".", attr))
                      : NULL;
        return v ? *v : tv_opaque(); /* fields of our own objects are tracked one by one */
    }
    tval b = eval_expr(c, e, base);
    if (b.cls) {
        tval *v = md->fields.n ? env_get(&md->fields, key_cat3(kb, sizeof kb, b.cls, ".", attr))
                               : NULL;
        return v ? *v : tv_opaque();
    }
    return tv_derived(b);
}

static tval eval_subscript(fctx *c, env *e, py_node *x)
{
    char kb[256];
    const char *key = key_buf(x, kb, sizeof kb);
    if (key) {
        tval *v = env_get(e, key);
        if (v) return *v;
    }
    tval b = eval_expr(c, e, x->subscript.value);
    tval k = eval_expr(c, e, x->subscript.slice); /* calls inside; a key does not taint the value */
    const char *q = c->md->llmmod && x->subscript.value->kind == PY_Call
                        ? qname_of(c->md, x->subscript.value) : NULL;
    if (streq(q, "globals") || streq(q, "locals") || streq(q, "vars"))
        eval_hit_sink(c, TF_DISPATCH, x, k, md_str(c->md, "%s()[...]", q)); /* globals()[name] */
    return tv_derived(b);
}

/* ---- calls ------------------------------------------------------------- */

static void eval_args(fctx *c, env *e, py_node *call, call_args *a)
{
    a->n = a->nkw = 0;
    a->all = (tval){0};
    for (int i = 0; i < call->call.args.n; i++) {
        py_node *x = call->call.args.v[i];
        tval v = eval_expr(c, e, x->kind == PY_Starred ? x->starred.value : x);
        a->all = i || a->nkw ? tv_join(a->all, v) : v;
        if (a->n < 24) {
            a->node[a->n] = x;
            a->v[a->n++] = v;
        }
    }
    for (int i = 0; i < call->call.keywords.n; i++) {
        py_node *k = call->call.keywords.v[i];
        tval v = eval_expr(c, e, k->keyword.value);
        a->all = (a->n || i) ? tv_join(a->all, v) : v;
        if (a->nkw < 16) {
            a->kwname[a->nkw] = k->keyword.arg;
            a->kwnode[a->nkw] = k->keyword.value;
            a->kw[a->nkw++] = v;
        }
    }
    if (!a->n && !a->nkw) a->all = (tval){0};
}

/* The keyword argument `name` (an interned identifier). */
static const tval *kwarg(const call_args *a, const char *name, py_node **node)
{
    for (int i = 0; i < a->nkw; i++)
        if (ideq(a->kwname[i], name)) {
            if (node) *node = a->kwnode[i];
            return &a->kw[i];
        }
    return NULL;
}

/* The prefix a value gives a string it starts: its own constant prefix, or
 * PFX_LOCAL for a URL the application built for its own endpoints (url_for,
 * reverse: safe for a redirect), so url_for(...) + "?next=" + x stays local. */
uint8_t eval_url_prefix(tval v)
{
    return (uint8_t)(v.prefix | ((((v.safe >> TF_REDIRECT) & 1) && !v.kinds) ? PFX_LOCAL : 0));
}

void eval_hit_sink(fctx *c, taint_family fam, py_node *at, tval v, const char *what)
{
    mod *md = c->md;
    if (fam == TF_PROMPT) eval_hit_sink(c, TF_SYSSECRET, at, v, what); /* a key in it leaks too */
    v.kinds = (uint8_t)taint_kinds_for(fam, v.kinds);
    int safe = (v.safe >> fam) & 1;
    if ((fam == TF_SSRF && (v.prefix & PFX_HOST)) || (fam == TF_REDIRECT && v.prefix))
        safe = 1; /* the constant start fixes the host */
    if (v.kinds && !safe) {
        const step *t =
            step_add(md, v.trail, at, md_str(md, "sink: %s (%s)", what, taint_fam_what(fam)));
        emit_queue(md, fam, at, v.kinds, t, what, v.via);
        emit_verdict(md, at->lineno, fam, 3);
        if (v.defline && v.defline != at->lineno) emit_verdict(md, v.defline, fam, 3);
    } else if (v.rsrc && !safe && !v.params && md->report && taint_kinds_for(fam, SK_WEB)) {
        /* what a function of another module returns: a flow if it returns
         * request data of its own (summary.c decides) */
        const step *t = step_add(md, v.trail, at,
                                 md_str(md, "sink: %s (%s), with what %s() returns", what,
                                        taint_fam_what(fam), v.rsrc));
        emit_queue(md, fam, at, 0, t, what, v.rsrc);
    } else if (v.params && !safe) {
        emit_verdict(md, at->lineno, fam, 2);
    } else {
        int proven = !((v.unproven >> fam) & 1) && (!TAINTED(v) || safe);
        emit_verdict(md, at->lineno, fam, proven ? 1 : 2);
        if (v.defline && v.defline != at->lineno) emit_verdict(md, v.defline, fam, proven ? 1 : 2);
    }
    if (v.params && !safe && c->fn) {
        func *fn = c->fn;
        int i = site_idx_find(&fn->sinkidx, (int)fam, at->lineno, at->col_offset);
        if (i >= 0) {
            fn->sinks[i].params |= v.params;
            return;
        }
        site_idx_add(&fn->sinkidx, (int)fam, at->lineno, at->col_offset, fn->nsinks);
        XGROW(fn->sinks, fn->capsinks, (size_t)fn->nsinks + 1);
        const step *t =
            step_add(md, v.trail, at, md_str(md, "sink: %s (%s)", what, taint_fam_what(fam)));
        fn->sinks[fn->nsinks++] = (fsink){v.params, fam, at->lineno, at->col_offset,
                                          at->end_lineno, at->end_col_offset, what, t};
    }
}

/* Does the receiver of a logging method look like a logger? */
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

/* Is the call `self.wfile.write(...)` in a BaseHTTPRequestHandler whose
 * function does not declare a Content-Type other than HTML (a JSON or plain
 * text response is not a page)? */
typedef struct ctype_scan {
    int other;
} ctype_scan;

static int ctype_visit(py_node *n, void *ud)
{
    ctype_scan *cs = ud;
    if (n->kind != PY_Call || n->call.func->kind != PY_Attribute ||
        strcmp(n->call.func->attribute.attr, "send_header") != 0 || n->call.args.n < 2)
        return AST_CONTINUE;
    py_node *k = n->call.args.v[0], *v = n->call.args.v[1];
    if (k->kind == PY_Constant && k->constant.value == PY_CONST_STR &&
        strcasecmp(k->constant.s, "content-type") == 0 && v->kind == PY_Constant &&
        v->constant.value == PY_CONST_STR && !strstr(v->constant.s, "html"))
        cs->other = 1;
    return AST_CONTINUE;
}

static int wfile_html(fctx *c, py_node *call)
{
    py_node *recv = call->call.func->attribute.value;
    if (!c->cls || !c->cls->http_handler || recv->kind != PY_Attribute ||
        recv->attribute.attr != ti_wfile || !is_self(recv->attribute.value))
        return 0;
    ctype_scan cs = {0};
    if (c->fn) ast_walk(c->fn->def, ctype_visit, &cs);
    return !cs.other;
}

/* A call that matched sink entry s: check its condition, then hand the
 * dangerous argument(s) to eval_hit_sink. */
static void check_sink(fctx *c, env *e, py_node *call, const tab_sink *s, tval recv,
                       call_args *a, const char *what)
{
    if (s->cond == C_LOGGER && !logger_like(c->md, call->call.func->attribute.value)) return;
    if (s->cond == C_YAML) {
        py_node *ln = NULL;
        if (!kwarg(a, ti_Loader, &ln) && a->n >= 2) ln = a->node[1];
        char buf[128];
        if (ln && ast_dotted_name(ln, buf, sizeof buf) &&
            (strstr(buf, "SafeLoader") || strstr(buf, "BaseLoader")))
            return;
    }
    if (s->cond == C_XMLPARSER && (kwarg(a, ti_parser, NULL) || a->n >= 2)) return;
    if (s->cond == C_WFILE && !wfile_html(c, call)) return;
    if (s->cond == C_UPLOAD && !(recv.kinds & SK_WEB)) return;
    if (s->cond == C_PROMPT) {
        llm_prompt(c, call, s->match == M_CALL, a, what);
        return;
    }
    if (s->cond == C_HTMLTYPE) {
        py_node *cn = NULL;
        if (!kwarg(a, ti_content_type, &cn) || !cn || cn->kind != PY_Constant ||
            cn->constant.value != PY_CONST_STR || !strstr(cn->constant.s, "html"))
            return; /* aiohttp's Response(text=...) is text/plain unless declared HTML */
    }
    tab_sink loc;
    if (s->cond == C_LOCATION) { /* send_header("Location", v): a redirect; any other: a header */
        py_node *hn = a->n >= 1 ? a->node[0] : NULL;
        int location = hn && hn->kind == PY_Constant && hn->constant.value == PY_CONST_STR &&
                       strcasecmp(hn->constant.s, "location") == 0;
        if (!location) {
            loc = *s;
            loc.fam = TF_HEADER;
            s = &loc;
        }
    }
    if (s->fam == TF_XSS) { /* a response declared as something other than HTML */
        const char *const ct[] = {ti_content_type, ti_mimetype, ti_media_type};
        for (int i = 0; i < 3; i++) {
            py_node *cn = NULL;
            if (kwarg(a, ct[i], &cn) && cn && cn->kind == PY_Constant &&
                cn->constant.value == PY_CONST_STR && !strstr(cn->constant.s, "html"))
                return;
        }
    }
    if (s->arg == A_RECV) {
        eval_hit_sink(c, s->fam, call, recv, what);
        return;
    }
    if (s->arg == A_ANY) {
        for (int i = 0; i < a->n; i++) eval_hit_sink(c, s->fam, call, a->v[i], what);
        const tval *k = s->kw ? kwarg(a, s->kw, NULL) : NULL;
        if (k) eval_hit_sink(c, s->fam, call, *k, what);
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
        const tval *sh = kwarg(a, ti_shell, NULL);
        int shell = sh && tv_truth(*sh) != 0;
        if (!shell) { /* only the program is dangerous */
            if (vn && (vn->kind == PY_List || vn->kind == PY_Tuple)) {
                if (!vn->list.elts.n) return;
                v = eval_expr(c, e, vn->list.elts.v[0]);
            } else if (vn && vn->kind == PY_Name) {
                char kb[256];
                tval *z = env_get(e, key_cat3(kb, sizeof kb, vn->name.id, "[0]", NULL));
                if (z) v = *z;
            }
        }
    }
    eval_hit_sink(c, s->fam, call, v, what);
}

/* Substitute a summary value (over the callee's parameters) with the actual
 * arguments.  slot[i] is the actual value of parameter i. */
static tval subst(mod *md, tval sv, const tval *slot, int nslot, py_node *call, const char *name)
{
    tval r = {0};
    r.kinds = sv.kinds;
    r.rsrc = sv.rsrc;
    r.trail = sv.trail;
    r.opaque = sv.opaque;
    r.unproven = sv.unproven;
    r.ck = sv.ck == CK_NONE ? CK_NONE : CK_OTHER;
    uint32_t safe = 0xffffffffu;
    int any = sv.kinds != 0;
    for (int i = 0; i < nslot && i < 32; i++) {
        if (!(sv.params & (1u << i))) continue;
        tval a = slot[i];
        r.kinds |= a.kinds;
        r.params |= a.params;
        r.opaque |= a.opaque;
        r.unproven |= a.unproven;
        if (!r.rsrc) r.rsrc = a.rsrc;
        if (TAINTED(a)) {
            safe &= a.safe;
            any = 1;
            if (!r.trail || !r.kinds || (a.kinds && !sv.kinds)) r.trail = a.trail;
            if (a.kinds) r.via = a.via;
        }
        if (a.ck == CK_NONE) r.ck = CK_NONE;
    }
    r.safe = any ? (uint32_t)(sv.safe | (safe == 0xffffffffu ? 0 : safe)) : sv.safe;
    if (TAINTED(r))
        r.trail = step_add_lazy(md, r.trail, call, "returned from %s()%s", name, NULL);
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
            a.kinds = (uint8_t)taint_kinds_for(s->fam, a.kinds);
            const char *pn = i < fn->nparams ? fn->pnames[i] : "?";
            if (a.kinds && md->report) {
                /* the path: source ... call, then the callee's own steps */
                const step *t = step_add(md, a.trail, call,
                                         md_str(md, "passed to %s() as `%s`", fn->name, pn));
                const step *chain[MAX_TRAIL + 2];
                int nc = 0;
                for (const step *p = s->trail; p && nc < MAX_TRAIL; p = p->prev) chain[nc++] = p;
                while (nc > 0) {
                    const step *p = chain[--nc];
                    if (!p->prev && i < fn->nparams) continue; /* "parameter x" is implied */
                    t = step_add(md, t, NULL, step_msg(md, p));
                    ((step *)t)->line = p->line;
                    ((step *)t)->col = p->col;
                }
                py_node at = {0};
                at.lineno = s->line;
                at.col_offset = s->col;
                at.end_lineno = s->end_line;
                at.end_col_offset = s->end_col;
                emit_queue(md, s->fam, &at, a.kinds, t, s->what, a.via);
                emit_verdict(md, s->line, s->fam, 3);
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
                    const step *t = step_add(md, a.trail, call,
                                             md_str(md, "passed to %s() as `%s`", fn->name, pn));
                    t = step_add(md, t, NULL, md_str(md, "reaches %s in %s() at line %d", s->what,
                                                     fn->name, s->line));
                    ((step *)t)->line = s->line;
                    ((step *)t)->col = s->col;
                    me->sinks[me->nsinks++] = (fsink){a.params, s->fam, s->line, s->col,
                                                      s->end_line, s->end_col, s->what, t};
                }
            }
        }
    }
    /* parameter -> self.field (constructors, setters) */
    if (fn->cls)
        for (int k = 0; k < fn->nfields; k++)
            for (int i = 0; i < nslot && i < 32; i++)
                if ((fn->fields[k].params & (1u << i)) && slot[i].kinds) {
                    const char *key = md_str(md, "%s.%s", fn->cls, fn->fields[k].field);
                    tval *old = env_get(&md->fields, key);
                    tval nv = slot[i];
                    nv.params = 0;
                    nv.trail = step_add(md, nv.trail, call,
                                        md_str(md, "stored in %s.%s", fn->cls,
                                               fn->fields[k].field));
                    env_set(&md->fields, key, old ? tv_join(*old, nv) : nv);
                }
}

/* The function of this module a call reaches: f(), Class() (its __init__,
 * *ctor set), self.m(), obj.m() on an instance of a class of the module. */
static func *callee_of(fctx *c, py_node *call, tval recv, int *self_slot, klass **ctor)
{
    mod *md = c->md;
    py_node *f = call->call.func;
    *self_slot = 0;
    *ctor = NULL;
    if (f->kind == PY_Name) {
        func *fn = mod_find_func(md, NULL, f->name.id);
        if (fn) return fn;
        klass *k = mod_find_class(md, f->name.id);
        if (k) {
            *ctor = k;
            *self_slot = 1;
            return mod_find_func(md, k->name, ti___init__);
        }
        return NULL;
    }
    if (f->kind == PY_Attribute) {
        const char *cls = NULL;
        if (is_self(f->attribute.value) && c->cls) cls = c->cls->name;
        else if (recv.cls) cls = recv.cls;
        if (cls) {
            func *fn = mod_find_func(md, cls, f->attribute.attr);
            if (fn) *self_slot = 1;
            return fn;
        }
    }
    return NULL;
}

/* Methods that put their argument into the receiver. */
static int is_mutator(const char *attr)
{
    return attr == ti_append || attr == ti_extend || attr == ti_insert || attr == ti_add ||
           attr == ti_update || attr == ti_appendleft || attr == ti_setdefault || attr == ti_put ||
           attr == ti_write || attr == ti_writelines;
}

/* Methods whose result is (a part of) the receiver. */
static int is_accessor(const char *attr)
{
    return attr == ti_get || attr == ti_pop || attr == ti_setdefault || attr == ti_values ||
           attr == ti_items || attr == ti_keys || attr == ti_copy || attr == ti_getlist;
}

/* Calls whose result is the URL that went in, for an open redirect: string
 * methods, accessors, str(), and URL joining and unquoting. */
static int url_transparent(const char *attr, const char *q)
{
    /* attr is an AST identifier: interned, compared by pointer */
    const char *const methods[] = {
        ti_strip, ti_lstrip, ti_rstrip, ti_lower, ti_upper, ti_casefold, ti_replace, ti_format,
        ti_join, ti_encode, ti_decode, ti_removeprefix, ti_removesuffix, ti_split, ti_rsplit,
        ti_partition, ti_rpartition, ti_get, ti_pop, ti_setdefault, ti_getlist, ti_copy, ti_values,
        ti_items, ti_keys, ti_title, ti_zfill, ti_format_map, ti___getitem__, NULL};
    static const char *const calls[] = {
        "str", "urllib.parse.urljoin", "urllib.parse.unquote", "urllib.parse.unquote_plus",
        "urllib.parse.urlunparse", "urllib.parse.urlunsplit", "os.path.join", "posixpath.join",
        "format", "getattr", NULL};
    if (attr)
        for (const char *const *m = methods; *m; m++)
            if (attr == *m) return 1;
    if (q)
        for (const char *const *m = calls; *m; m++)
            if (!strcmp(q, *m)) return 1;
    return !attr && !q; /* a call of something unnamed: keep what went in */
}

/* run(x) where run = functools.partial(g, a, k=v): the call g(a, x, k=v),
 * at run(x)'s place; NULL when f is not such a name. */
static py_node *partial_call(mod *md, py_node *call)
{
    py_node *f = call->call.func;
    if (f->kind != PY_Name) return NULL;
    for (int k = 0; k < md->npartials; k++) {
        py_node *p = md->partials[k].call;
        py_node *g = p->call.args.v[0];
        if (md->partials[k].name != f->name.id || p == call ||
            (g->kind == PY_Name && g->name.id == f->name.id))
            continue;
        py_node *n = ast_node_copy(arena_alloc(&md->a, ast_node_size(call->kind)), call);
        n->call.func = p->call.args.v[0];
        int na = p->call.args.n - 1 + call->call.args.n;
        int nk = p->call.keywords.n + call->call.keywords.n;
        n->call.args.v = arena_alloc_n(&md->a, (size_t)na + 1, sizeof(py_node *));
        n->call.args.n = 0;
        for (int i = 1; i < p->call.args.n; i++) n->call.args.v[n->call.args.n++] = p->call.args.v[i];
        for (int i = 0; i < call->call.args.n; i++)
            n->call.args.v[n->call.args.n++] = call->call.args.v[i];
        n->call.keywords.v = arena_alloc_n(&md->a, (size_t)nk + 1, sizeof(py_node *));
        n->call.keywords.n = 0;
        for (int i = 0; i < p->call.keywords.n; i++)
            n->call.keywords.v[n->call.keywords.n++] = p->call.keywords.v[i];
        for (int i = 0; i < call->call.keywords.n; i++)
            n->call.keywords.v[n->call.keywords.n++] = call->call.keywords.v[i];
        return n;
    }
    return NULL;
}

/* re.match / re.fullmatch (pattern, subject), or PATTERN.match /
 * PATTERN.fullmatch (subject) on a compiled pattern: a validation whose
 * truth says the subject has the pattern's shape (anchored at the start).
 * Returns the subject's position + 1 (2 for the module functions), else 0. */
int regex_check(mod *md, const py_node *call)
{
    const py_node *f = call->call.func;
    const char *q = qname_of(md, call);
    if (streq(q, "re.match") || streq(q, "re.fullmatch") || streq(q, "regex.match") ||
        streq(q, "regex.fullmatch"))
        return 2; /* the subject is the second argument */
    if (f->kind != PY_Attribute || (strcmp(f->attribute.attr, "fullmatch") != 0 &&
                                    strcmp(f->attribute.attr, "match") != 0))
        return 0;
    /* not a module (re.match is above) nor a request: a pattern object */
    const py_node *recv = f->attribute.value;
    return (recv->kind == PY_Name || recv->kind == PY_Attribute) && !streq(q, "re.search");
}

static tval eval_call(fctx *c, env *e, py_node *call)
{
    mod *md = c->md;
    py_node *pc = md->npartials ? partial_call(md, call) : NULL;
    if (pc) return eval_call(c, e, pc);
    py_node *f = call->call.func;
    if (md->llmmod && f->kind == PY_Subscript) eval_expr(c, e, f); /* globals()[name](...) */
    char dotted[160];
    if (!ast_dotted_name(f, dotted, sizeof dotted)) dotted[0] = 0;
    const char *q = qname_of(md, call);
    if (!q && dotted[0] && f->kind == PY_Name) q = dotted;
    const char *attr = f->kind == PY_Attribute ? f->attribute.attr : NULL;
    py_node *recvn = attr ? f->attribute.value : NULL;
    tval recv = recvn ? eval_expr(c, e, recvn) : (tval){0};
    call_args a;
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

    /* a model call: what goes into its prompt (llm.c), before its answer
     * is a source; it is no sink otherwise */
    const tab_sink *ps = qsink && qsink->cond == C_PROMPT ? qsink
                         : !qsink && msink && msink->cond == C_PROMPT ? msink : NULL;
    if (ps) {
        if (md->llmmod && (ps == qsink || !is_module_name(md, recvn)) && TAINTED(a.all))
            check_sink(c, e, call, ps, recv, &a, md_str(md, "%s()", dotted[0] ? dotted : (q ? q : attr)));
        if (ps == qsink) qsink = NULL;
        else msink = NULL;
    }

    /* sources */
    if ((s = qsrc)) return source_val(c, s, call, md_expr_text(md, call));
    if (attr && eval_request_like(c, recvn) && (s = tab_source_find(M_REQ_CALL, attr)))
        return own_path(source_val(c, s, call, md_expr_text(md, call)), attr);
    if (attr && is_self(recvn) && (s = tab_source_find(M_SELF_CALL, attr)))
        return source_val(c, s, call, md_expr_text(md, call));
    if ((q && (s = tab_source_suffix(q))) ||
        (dotted[0] && (!q || strcmp(q, dotted) != 0) && (s = tab_source_suffix(dotted))))
        if (!(s->kind == SK_CLI && !attr))
            return source_val(c, s, call, md_expr_text(md, call));

    /* functions and classes of this module */
    int self_slot;
    klass *ctor;
    func *fn = callee_of(c, call, recv, &self_slot, &ctor);
    if (fn && md->depth < MAX_DEPTH && !fn->busy) {
        if (fn->nested && c->fn && f->kind == PY_Name)
            exec_closure(md, fn, e); /* what it reads of ours is what we hold now */
        else if (!fn->done) exec_func(md, fn);
        tval slot[32];
        int ns = 0;
        if (self_slot && ns < 32) slot[ns++] = ctor ? (tval){0} : recv;
        for (int i = 0; i < a.n && ns < 32; i++) slot[ns++] = a.v[i];
        for (; ns < fn->nparams && ns < 32; ns++) slot[ns] = (tval){0};
        for (int k = 0; k < a.nkw; k++)
            for (int i = 0; i < fn->nparams && i < 32; i++)
                if (ideq(fn->pnames[i], a.kwname[k])) slot[i] = a.kw[k];
        if (ns < fn->nparams) ns = fn->nparams < 32 ? fn->nparams : 32;
        apply_summary(c, fn, call, slot, ns);
        tval r = subst(md, fn->ret, slot, ns, call, fn->name);
        if (ctor) {
            md->obj_call = call;
            md->obj_init = fn;
            md->obj_nslot = ns;
            memcpy(md->obj_slot, slot, sizeof(tval) * (size_t)ns);
            r = tv_join(r, tv_derived(a.all));
            r.cls = ctor->name;
            r.ck = CK_NONE;
        }
        return r;
    }
    if (ctor) {
        tval r = tv_derived(a.all);
        r.cls = ctor->name;
        r.ck = CK_NONE;
        r.opaque = 1; r.unproven = TFM_ALL;
        return r;
    }

    /* sanitizers */
    unsigned fams = qsan ? qsan : msan;
    if (!fams && attr == ti_replace && a.n >= 1 && a.node[0]->kind == PY_Constant &&
        a.node[0]->constant.value == PY_CONST_STR &&
        (strchr(a.node[0]->constant.s, '\n') || strchr(a.node[0]->constant.s, '\r')))
        fams = TFM_LOG | TFM_HEADER;
    if (!fams && !qsink && !msink && rendered_by_template(md, attr ? attr : q)) fams = TFM_XSS;
    if (fams) {
        tval r = tv_derived(tv_join(recv, a.all));
        if (fams == TFM_ALL) {
            r = (tval){0};
            r.ck = CK_OTHER;
            return r;
        }
        r.safe |= (uint32_t)fams;
        r.unproven &= (uint32_t)~fams;
        /* a URL builder (url_for, reverse): a path of this site, whatever
         * its arguments, so what is appended to it stays here too */
        if (fams == TFM_REDIRECT) r.prefix |= PFX_LOCAL;
        return r;
    }

    /* sinks */
    const tab_sink *sk = qsink;
    if (!sk && msink && !is_module_name(md, recvn)) sk = msink;
    if (sk && sk->fam >= TF_LLMDATA && !md->llmmod) sk = NULL; /* LLM sinks: LLM code only */
    if (sk) {
        const char *what = !TAINTED(a.all) && !TAINTED(recv) && !a.all.rsrc && !recv.rsrc
                               ? "sink" /* never shown */
                           : md_str(md, "%s()", dotted[0] ? dotted : (q ? q : attr));
        check_sink(c, e, call, sk, recv, &a, what);
        /* open(p), p.read_text(): the file's content is not the name the
         * client chose, nor is a process's output its command line
         * (choosing them is the flaw, reported above) */
        if (sk->fam == TF_PATH || sk->fam == TF_CMD) return tv_opaque();
    }

    /* container mutators: the receiver now holds what went in */
    if (attr && recvn && (a.n || a.nkw) && is_mutator(attr)) {
        const char *key = key_of(md, recvn);
        if (key && (recvn->kind == PY_Name || recvn->kind == PY_Attribute)) {
            tval in = attr == ti_insert && a.n >= 2 ? a.v[1] : a.all;
            if (attr == ti_setdefault && a.n >= 2) in = a.v[1];
            if (TAINTED(in) || in.unproven) {
                tval w = tv_join(recv, tv_derived(in));
                w.ck = CK_NONE;
                if (TAINTED(in))
                    w.trail = step_add_lazy(md, in.trail, call, "added to `%s`%s", key, NULL);
                env_set(e, key, w);
            }
        }
    }

    /* anything else: the result carries what went in */
    if (!sk && !fn) mod_record_call(c, call, q, &a);
    tval r;
    if (!sk && !fn && orm_lookup(f)) {
        r = (tval){0}; /* Page.objects.get(slug=x): a stored row, not the request */
        r.opaque = 1;
        r.ck = CK_OTHER;
        return r;
    }
    if (attr && !strcmp(attr, "communicate") && !TAINTED(recv))
        return tv_opaque(); /* p.communicate(data): what the program printed, not its input */
    if (f->kind == PY_Name && !fn) {
        /* a name bound to a lambda or a partial: what it captured comes out */
        tval *fv = env_get(e, f->name.id);
        if (fv && TAINTED(*fv)) a.all = a.n || a.nkw ? tv_join(a.all, *fv) : *fv;
    }
    py_node *tn = NULL;
    if (attr == ti_get && kwarg(&a, ti_type, &tn) && tn && tn->kind == PY_Name &&
        (tn->name.id == ti_int || tn->name.id == ti_float || tn->name.id == ti_bool)) {
        r = (tval){0}; /* request.args.get("n", type=int): converted */
        r.ck = CK_OTHER;
        return r;
    }
    if (attr && is_accessor(attr)) {
        r = recv;
        for (int i = 1; i < a.n; i++) r = tv_join(r, a.v[i]); /* defaults */
    } else {
        r = tv_join(recv, a.all);
    }
    r = tv_derived(r);
    r.opaque = 1; r.unproven = TFM_ALL;
    r.prefix = attr && attr == ti_format ? recv.prefix : 0;
    if (r.kinds && q && strchr(q, '.') && !sk && md->r &&
        (f->kind == PY_Name || (attr && !TAINTED(recv) && dotted[0] && strcmp(q, dotted) != 0)))
        r.via = via_spec(md, q, &a); /* imported from elsewhere: finish knows what it returns */
    if (!r.kinds && !fn && q && strchr(q, '.') && !sk && md->r && !r.rsrc &&
        (f->kind == PY_Name || (attr && !TAINTED(recv) && dotted[0] && strcmp(q, dotted) != 0)))
        r.rsrc = q; /* a function of another module may return a source of its own: finish knows */
    if (!fn && !r.via && !url_transparent(attr, q)) {
        /* a URL made by a call the engine cannot see into (a URL builder, a
         * look-up by slug) is the application's: only direct flows, string
         * operations and URL joining carry an open redirect */
        r.safe |= TFM_REDIRECT;
        r.unproven &= (uint32_t)~TFM_REDIRECT;
    }
    if (q && (streq(q, "urllib.parse.urlparse") || streq(q, "urllib.parse.urlsplit") ||
              streq(q, "os.path.realpath") || streq(q, "os.path.abspath") ||
              streq(q, "os.path.normpath") || streq(q, "pathlib.Path")) &&
        a.n >= 1 && a.node[a.n - 1]->kind == PY_Name)
        r.alias = a.node[a.n - 1]->name.id;
    int rx = regex_check(md, call);
    if (rx && a.n >= rx && a.node[rx - 1]->kind == PY_Name) {
        r.alias = a.node[rx - 1]->name.id; /* m = P.fullmatch(x): `if m` checks x */
        r.match = 1;
    }
    return r;
}

static tval eval_comp(fctx *c, env *e, py_node *elt, py_node *val, py_list gens)
{
    env_mark m; /* the comprehension's names are its own: rolled back after */
    env_mark_set(e, &m);
    for (int i = 0; i < gens.n; i++) {
        py_node *g = gens.v[i];
        tval it = eval_expr(c, e, g->comprehension.iter);
        exec_assign(c, e, g->comprehension.target, tv_derived(it), NULL);
        for (int k = 0; k < g->comprehension.ifs.n; k++) {
            eval_expr(c, e, g->comprehension.ifs.v[k]);
            guard_apply(c, e, g->comprehension.ifs.v[k], 1);
        }
    }
    tval r = eval_expr(c, e, elt);
    if (val) r = tv_join(eval_expr(c, e, val), r.kinds ? r : (tval){0});
    env_rollback(e, &m);
    env_release(e, &m);
    r = tv_derived(r);
    r.opaque = 1; r.unproven = TFM_ALL;
    return r;
}

tval eval_expr(fctx *c, env *e, py_node *x)
{
    if (!x) return (tval){0};
    if (c->edepth > MAX_EVAL_DEPTH) return tv_opaque();
    c->edepth++;
    c->md->work++;
    tval r = {0};
    switch (x->kind) {
    case PY_Constant: r = tv_const(x); break;
    case PY_Name: {
        r = eval_name(c, e, x->name.id);
        const tab_source *s;
        if (!env_get(e, x->name.id) && c->md->r) {
            const char *q = resolve_name(c->md->r, x);
            if (q && (s = tab_source_find(M_QNAME, q))) r = source_val(c, s, x, q);
        }
        if (c->md->llmmod) r = llm_mark(c, x, r);
        break;
    }
    case PY_Attribute:
        r = eval_attribute(c, e, x);
        if (c->md->llmmod) r = llm_mark(c, x, r);
        break;
    case PY_Subscript:
        r = eval_subscript(c, e, x);
        if (c->md->llmmod) r = llm_mark(c, x, r);
        break;
    case PY_Call:
        r = eval_call(c, e, x);
        if (c->md->llmmod) r = llm_mark_call(c, x, r);
        break;
    case PY_BinOp: {
        tval l = eval_expr(c, e, x->binop.left), rr = eval_expr(c, e, x->binop.right);
        r = tv_join(l, rr);
        if (l.ck == CK_INT && rr.ck == CK_INT && !r.opaque) {
            r.ck = CK_INT;
            switch (x->binop.op) {
            case PY_Add: if (__builtin_add_overflow(l.ci, rr.ci, &r.ci)) r.ck = CK_OTHER; break;
            case PY_Sub: if (__builtin_sub_overflow(l.ci, rr.ci, &r.ci)) r.ck = CK_OTHER; break;
            case PY_Mult: if (__builtin_mul_overflow(l.ci, rr.ci, &r.ci)) r.ck = CK_OTHER; break;
            default: r.ck = CK_OTHER; break;
            }
        } else r = tv_derived(r);
        if (x->binop.op == PY_Add || x->binop.op == PY_Mod) r.prefix = eval_url_prefix(l);
        break;
    }
    case PY_BoolOp: {
        int known = 1;
        for (int i = 0; i < x->boolop.values.n; i++) {
            tval v = eval_expr(c, e, x->boolop.values.v[i]);
            r = i ? tv_join(r, v) : v;
            if (tv_truth(v) < 0) known = 0;
        }
        if (!known) r = tv_derived(r);
        break;
    }
    case PY_UnaryOp: {
        tval v = eval_expr(c, e, x->unaryop.operand);
        if (x->unaryop.op == PY_Not) r = tv_bool(tv_truth(v) < 0 ? -1 : !tv_truth(v));
        else if (x->unaryop.op == PY_USub && v.ck == CK_INT && v.ci != INT64_MIN) {
            r = v;
            r.ci = -v.ci;
        } else r = tv_derived(v);
        break;
    }
    case PY_Compare: {
        tval l = eval_expr(c, e, x->compare.left);
        int res = 1;
        for (int i = 0; i < x->compare.comparators.n; i++) {
            tval rr = eval_expr(c, e, x->compare.comparators.v[i]);
            int k = tv_compare(x->compare.ops[i], l, rr);
            if (k < 0) res = -1;
            else if (res == 1) res = k;
            l = rr;
        }
        r = tv_bool(res);
        break;
    }
    case PY_IfExp: {
        int t = tv_truth(eval_expr(c, e, x->ifexp.test));
        if (t == 1) r = eval_expr(c, e, x->ifexp.body);
        else if (t == 0) r = eval_expr(c, e, x->ifexp.orelse);
        else r = tv_join(eval_expr(c, e, x->ifexp.body), eval_expr(c, e, x->ifexp.orelse));
        break;
    }
    case PY_JoinedStr: {
        r.ck = CK_OTHER;
        uint8_t pfx = 0;
        for (int i = 0; i < x->joinedstr.values.n; i++) {
            tval v = eval_expr(c, e, x->joinedstr.values.v[i]);
            if (i == 0) pfx = eval_url_prefix(v);
            r = i ? tv_join(r, v) : tv_join(v, (tval){.ck = CK_OTHER});
        }
        r = tv_derived(r);
        r.prefix = pfx;
        break;
    }
    case PY_FormattedValue:
        r = tv_derived(eval_expr(c, e, x->formattedvalue.value));
        if (c->md->llmmod) r = llm_mark(c, x, r);
        if (x->formattedvalue.format_spec) eval_expr(c, e, x->formattedvalue.format_spec);
        break;
    case PY_List: case PY_Tuple: case PY_Set: {
        py_node *sys = c->md->llmmod && x->kind != PY_Set ? llm_system_content(x) : NULL;
        r.ck = CK_OTHER;
        for (int i = 0; i < x->list.elts.n; i++) {
            py_node *el = x->list.elts.v[i];
            tval v = eval_expr(c, e, el->kind == PY_Starred ? el->starred.value : el);
            r = tv_join(r, el == sys ? llm_system_hit(c, el, v) : v);
        }
        r = tv_derived(r);
        break;
    }
    case PY_Dict: {
        py_node *sys = c->md->llmmod ? llm_system_content(x) : NULL;
        r.ck = CK_OTHER;
        for (int i = 0; i < x->dict.values.n; i++) {
            if (x->dict.keys.v[i]) eval_expr(c, e, x->dict.keys.v[i]); /* keys do not taint */
            py_node *val = x->dict.values.v[i];
            tval v = eval_expr(c, e, val);
            r = tv_join(r, val == sys ? llm_system_hit(c, val, v) : v);
        }
        r = tv_derived(r);
        break;
    }
    case PY_ListComp: case PY_SetComp: case PY_GeneratorExp:
        r = eval_comp(c, e, x->listcomp.elt, NULL, x->listcomp.generators);
        break;
    case PY_DictComp:
        r = eval_comp(c, e, x->dictcomp.key, x->dictcomp.value, x->dictcomp.generators);
        break;
    case PY_NamedExpr:
        r = eval_expr(c, e, x->namedexpr.value);
        exec_assign(c, e, x->namedexpr.target, r, x->namedexpr.value);
        break;
    case PY_Await: case PY_YieldFrom: r = eval_expr(c, e, x->await.value); break;
    case PY_Yield:
        r = eval_expr(c, e, x->await.value);
        if (c->fn) c->fn->ret = tv_join(c->fn->ret, r);
        r = tv_opaque();
        break;
    case PY_Starred: r = eval_expr(c, e, x->starred.value); break;
    case PY_Slice:
        eval_expr(c, e, x->slice.lower);
        eval_expr(c, e, x->slice.upper);
        eval_expr(c, e, x->slice.step);
        break;
    case PY_Lambda: {
        /* a lambda's value is what its body captures from here; its own
         * parameters carry nothing (a call passes its arguments through) */
        env_mark m;
        env_mark_set(e, &m);
        py_node *la = x->lambda.args;
        py_list pl[3] = {la->arguments.posonlyargs, la->arguments.args, la->arguments.kwonlyargs};
        for (int k = 0; k < 3; k++)
            for (int i = 0; i < pl[k].n; i++) env_set(e, pl[k].v[i]->arg.arg, (tval){0});
        r = tv_derived(eval_expr(c, e, x->lambda.body));
        env_rollback(e, &m);
        env_release(e, &m);
        r.opaque = 1; r.unproven = TFM_ALL;
        break;
    }
    default: r = tv_opaque(); break;
    }
    c->edepth--;
    return r;
}
