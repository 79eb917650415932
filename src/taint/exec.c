/* exec.c - statements, in order, over one environment.
 *
 * Branches run from a mark of the environment and are joined afterwards (a
 * branch that returns or raises drops out); a test that folds to a
 * constant runs only the live branch.  Loops run their body once, and a
 * second time when the first round changed a name it could read again;
 * `break` environments join after the loop; `try` handlers start from the
 * join of the body.  Assignments bind names, attributes (and the class
 * attribute table for self.x), constant subscripts and the elements of
 * literals one by one.
 *
 * exec_func interprets one function: its parameters are summary values
 * (params bit i), and for a route handler its request parameters are
 * sources.  Cost is linear in the size of the function: a branch, a loop
 * round, a handler or a case costs what it runs and writes (a loop with
 * many breaks: each break also what the round wrote before it).
 */
#include "taint_int.h"
#include "../python/sema.h"

#include "../core/xalloc.h"

/* session[k] = v (trust boundary), response.headers[k] = v. */
static int store_sink(fctx *c, py_node *t, tval v)
{
    mod *md = c->md;
    if (t->kind != PY_Subscript) return 0;
    py_node *b = t->subscript.value;
    const char *q = qname_of(md, b);
    int session = streq(q, "flask.session") || streq(q, "quart.session") ||
                  (b->kind == PY_Attribute && b->attribute.attr == ti_session &&
                   eval_request_like(c, b->attribute.value));
    if (session) {
        eval_hit_sink(c, TF_TRUST, t, v, md_str(md, "%s[...] =", md_expr_text(md, b)));
        return 1;
    }
    int header = b->kind == PY_Attribute && b->attribute.attr == ti_headers &&
                 !eval_request_like(c, b->attribute.value) && !is_self(b->attribute.value);
    if (header) {
        eval_hit_sink(c, TF_HEADER, t, v, md_str(md, "%s[...] =", md_expr_text(md, b)));
        return 1;
    }
    return 0;
}

void exec_assign(fctx *c, env *e, py_node *t, tval v, py_node *value)
{
    mod *md = c->md;
    if (!t) return;
    switch (t->kind) {
    case PY_Name: {
        tval w = v;
        if (TAINTED(w))
            w.trail = step_add_lazy(md, w.trail, t, "assigned to `%s`%s", t->name.id, NULL);
        w.defline = t->lineno;
        env_set(e, t->name.id, w);
        /* x = Box(a): the fields __init__ stores from its parameters are this
         * object's own, x.field, whatever other Box objects hold */
        if (value && value == md->obj_call && md->obj_init) {
            func *init = md->obj_init;
            for (int k = 0; k < init->nfields; k++) {
                tval fv = {0};
                for (int i = 0; i < md->obj_nslot && i < 32; i++)
                    if (init->fields[k].params & (1u << i)) fv = tv_join(fv, md->obj_slot[i]);
                if (TAINTED(fv))
                    fv.trail = step_add_lazy(md, fv.trail, t, "stored in `%s.%s`", t->name.id,
                                             init->fields[k].field);
                env_set(e, key_join(md, t->name.id, ".", init->fields[k].field), fv);
            }
        }
        /* element and key entries of a literal: d = {"a": x}, args = ["ls", x] */
        if (value && (value->kind == PY_List || value->kind == PY_Tuple)) {
            for (int i = 0; i < value->list.elts.n && i < 8; i++)
                if (value->list.elts.v[i]->kind != PY_Starred) {
                    static const char *const idx[8] = {"0]", "1]", "2]", "3]",
                                                       "4]", "5]", "6]", "7]"};
                    env_set(e, key_join(md, t->name.id, "[", idx[i]),
                            eval_expr(c, e, value->list.elts.v[i]));
                }
        } else if (value && value->kind == PY_Dict) {
            for (int i = 0; i < value->dict.keys.n && i < 32; i++) {
                py_node *k = value->dict.keys.v[i];
                if (k && k->kind == PY_Constant && k->constant.value == PY_CONST_STR &&
                    k->constant.len < 64) {
                    char kb[80];
                    env_set(e,
                            key_join(md, t->name.id, "[",
                                     key_cat3(kb, sizeof kb, k->constant.s, "]", NULL)),
                            eval_expr(c, e, value->dict.values.v[i]));
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
                exec_assign(c, e, el, eval_expr(c, e, value->list.elts.v[i]),
                            value->list.elts.v[i]);
            else exec_assign(c, e, el, tv_derived(v), NULL);
        }
        break;
    }
    case PY_Starred: exec_assign(c, e, t->starred.value, tv_derived(v), NULL); break;
    case PY_Attribute: {
        eval_expr(c, e, t->attribute.value);
        const char *key = key_of(md, t);
        tval w = v;
        if (TAINTED(w))
            w.trail = step_add(md, w.trail, t, md_str(md, "stored in `%s`", md_expr_text(md, t)));
        if (key) env_set(e, key, w);
        if (is_self(t->attribute.value) && c->cls) {
            const char *fk = md_str(md, "%s.%s", c->cls->name, t->attribute.attr);
            if (w.kinds) {
                tval *old = env_get(&md->fields, fk);
                tval cw = w;
                cw.params = 0;
                cw.ck = CK_NONE;
                env_set(&md->fields, fk, old ? tv_join(*old, cw) : cw);
            }
            if (w.params && c->fn) {
                func *fn = c->fn;
                int k = 0;
                for (; k < fn->nfields; k++)
                    if (ideq(fn->fields[k].field, t->attribute.attr)) break;
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
        eval_expr(c, e, t->subscript.slice);
        if (store_sink(c, t, v)) break;
        const char *key = key_of(md, t);
        if (key) env_set(e, key, v);
        py_node *b = t->subscript.value;
        if (b->kind == PY_Name && TAINTED(v)) { /* weak update of the container */
            tval old = eval_name(c, e, b->name.id);
            tval w = tv_join(old, tv_derived(v));
            w.trail = step_add_lazy(md, v.trail, t, "stored in `%s`%s", b->name.id, NULL);
            env_set(e, b->name.id, w);
        } else if (b->kind == PY_Attribute && TAINTED(v)) {
            py_node *k = t->subscript.slice;
            const char *bk = key_of(md, b);
            if (k->kind == PY_Constant && bk && is_self(b->attribute.value)) {
                /* self.settings["password"] = v: this function sees the
                 * container changed; other methods read other keys of it,
                 * kept one by one above, not the whole object */
                env_set(e, bk, tv_join(eval_expr(c, e, b), tv_derived(v)));
            } else {
                exec_assign(c, e, b, tv_join(eval_expr(c, e, b), tv_derived(v)), NULL);
            }
        }
        break;
    }
    default: break;
    }
}

/* A loop body runs once, and a second time when the first round changed a
 * name it could read again (outermost two loop levels only, so nesting
 * never multiplies the work).  Each round runs from a mark and is joined
 * with the state before it (env_loop_join). */
struct loop_brk {
    env_mark m;   /* before the loop */
    env_side s;   /* the join of the states at its breaks, from m (none: dead) */
};

static void exec_loop(fctx *c, env *e, py_node *target, tval item, py_list body, py_list orelse)
{
    struct loop_brk *saved = c->brk, brk = {0};
    brk.s.dead = 1;
    env_mark_set(e, &brk.m);
    c->brk = &brk;
    c->loops++;
    for (int round = 0; round < 2 && !e->dead; round++) {
        env_mark m;
        env_mark_set(e, &m);
        if (target) exec_assign(c, e, target, item, NULL);
        exec_block(c, e, body);
        e->dead = 0; /* continue / end of body loops back */
        int again = env_loop_join(e, &m, round == 0 && c->loops <= 2);
        env_release(e, &m);
        if (!again) break;
    }
    c->loops--;
    c->brk = saved;
    exec_block(c, e, orelse);
    if (!brk.s.dead) { /* join(after the loop, its breaks) */
        env_side after;
        env_side_take(e, &brk.m, &after);
        env_rollback(e, &brk.m);
        env_side_replay(e, &brk.s);
        e->normed = brk.s.normed;
        e->dead = 0;
        env_join(e, &brk.m, &after);
        env_side_free(&after);
    }
    env_release(e, &brk.m);
    env_side_free(&brk.s);
}

/* A string built and returned from a Flask route is HTML. */
static void return_sink(fctx *c, env *e, py_node *s)
{
    py_node *rv = s->return_.value;
    if (rv->kind == PY_Tuple && rv->list.elts.n) rv = rv->list.elts.v[0];
    int stringy = rv->kind == PY_JoinedStr ||
                  (rv->kind == PY_BinOp && (rv->binop.op == PY_Add || rv->binop.op == PY_Mod)) ||
                  (rv->kind == PY_Call && rv->call.func->kind == PY_Attribute &&
                   rv->call.func->attribute.attr == ti_format);
    if (stringy) eval_hit_sink(c, TF_XSS, s, eval_expr(c, e, rv), "return from a route");
}

/* Bind every capture name of a match pattern to the subject. */
static void bind_captures(env *ce, py_node *pattern, tval subj)
{
    py_node *stack[64];
    int sp = 0;
    stack[sp++] = pattern;
    while (sp) {
        py_node *p = stack[--sp];
        if (!p) continue;
        if ((p->kind == PY_MatchAs || p->kind == PY_MatchStar) && p->matchas.name)
            env_set(ce, p->matchas.name, tv_derived(subj));
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
}

static void exec_stmt(fctx *c, env *e, py_node *s)
{
    mod *md = c->md;
    md->work++;
    switch (s->kind) {
    case PY_Expr:
        eval_expr(c, e, s->expr.value);
        if (guard_no_return(c, s->expr.value)) e->dead = 1;
        break;
    case PY_Assign: {
        py_node *pv = s->assign.value;
        if (pv->kind == PY_Call && pv->call.args.n >= 1 && s->assign.targets.n == 1 &&
            s->assign.targets.v[0]->kind == PY_Name && md->npartials < 16 &&
            streq(qname_of(md, pv), "functools.partial")) {
            const char *nm = s->assign.targets.v[0]->name.id;
            int k = 0;
            while (k < md->npartials && md->partials[k].name != nm) k++;
            md->partials[k].name = nm;
            md->partials[k].call = pv;
            if (k == md->npartials) md->npartials++;
        }
        tval v = eval_expr(c, e, s->assign.value);
        for (int i = 0; i < s->assign.targets.n; i++)
            exec_assign(c, e, s->assign.targets.v[i], v, s->assign.value);
        break;
    }
    case PY_AnnAssign:
        if (s->annassign.value)
            exec_assign(c, e, s->annassign.target, eval_expr(c, e, s->annassign.value),
                        s->annassign.value);
        break;
    case PY_AugAssign: {
        tval old = eval_expr(c, e, s->augassign.target);
        tval v = tv_derived(tv_join(old, eval_expr(c, e, s->augassign.value)));
        /* url += "?" + query keeps the start the url had */
        if (s->augassign.op == PY_Add || s->augassign.op == PY_Mod) v.prefix = eval_url_prefix(old);
        exec_assign(c, e, s->augassign.target, v, NULL);
        break;
    }
    case PY_Return: {
        tval v = eval_expr(c, e, s->return_.value);
        if (c->fn) c->fn->ret = tv_join(c->fn->ret, v);
        if (c->flask_handler && s->return_.value) return_sink(c, e, s);
        e->dead = 1;
        break;
    }
    case PY_Raise:
        eval_expr(c, e, s->raise.exc);
        e->dead = 1;
        break;
    case PY_Continue: e->dead = 1; break;
    case PY_Break:
        if (c->brk) { /* the loop's breaks := join(its breaks, here) */
            env_side j;
            env_side_join(e, &c->brk->m, &c->brk->s, &j);
            env_side_free(&c->brk->s);
            c->brk->s = j;
        }
        e->dead = 1;
        break;
    case PY_Assert:
        eval_expr(c, e, s->assert.test);
        guard_apply(c, e, s->assert.test, 1);
        break;
    case PY_If: {
        tval tv = eval_expr(c, e, s->if_.test);
        int t = tv_truth(tv);
        if (t == 1) {
            guard_apply(c, e, s->if_.test, 1);
            exec_block(c, e, s->if_.body);
            guard_mark_dead(md, s->if_.orelse);
        } else if (t == 0) {
            guard_mark_dead(md, s->if_.body);
            exec_block(c, e, s->if_.orelse);
        } else {
            /* both branches from one mark, each costing what it writes: the
             * else-guard is taken first, from the state both start in */
            env_mark m;
            env_side no, yes;
            env_mark_set(e, &m);
            guard_apply(c, e, s->if_.test, 0);
            env_side_take(e, &m, &no);
            env_rollback(e, &m);
            guard_apply(c, e, s->if_.test, 1);
            exec_block(c, e, s->if_.body);
            env_side_take(e, &m, &yes);
            env_rollback(e, &m);
            env_side_replay(e, &no);
            exec_block(c, e, s->if_.orelse);
            env_join(e, &m, &yes);
            env_release(e, &m);
            env_side_free(&no);
            env_side_free(&yes);
        }
        break;
    }
    case PY_While: {
        int t = tv_truth(eval_expr(c, e, s->while_.test));
        if (t == 0) {
            guard_mark_dead(md, s->while_.body);
            exec_block(c, e, s->while_.orelse);
            break;
        }
        exec_loop(c, e, NULL, (tval){0}, s->while_.body, s->while_.orelse);
        break;
    }
    case PY_For: case PY_AsyncFor: {
        tval it = tv_derived(eval_expr(c, e, s->for_.iter));
        exec_loop(c, e, s->for_.target, it, s->for_.body, s->for_.orelse);
        break;
    }
    case PY_With: case PY_AsyncWith:
        for (int i = 0; i < s->with.items.n; i++) {
            py_node *it = s->with.items.v[i];
            tval v = eval_expr(c, e, it->withitem.context_expr);
            if (it->withitem.optional_vars) exec_assign(c, e, it->withitem.optional_vars, v, NULL);
        }
        exec_block(c, e, s->with.body);
        break;
    case PY_Try: case PY_TryStar: {
        /* from one mark: the body; `mid`, the join of the body with the
         * state before it (an exception may come from anywhere in the
         * body), where each handler starts; the body again for the else
         * branch; each handler joined into what came before it */
        env_mark m;
        env_side body, mid, sofar;
        env_mark_set(e, &m);
        exec_block(c, e, s->try_.body);
        env_side_take(e, &m, &body);
        if (e->dead) env_rollback(e, &m); /* mid is the state before */
        else env_loop_join(e, &m, 0);     /* join(body, before) */
        e->dead = 0;
        env_side_take(e, &m, &mid);
        env_rollback(e, &m);
        env_side_replay(e, &body);
        e->normed = body.normed;
        e->dead = body.dead;
        exec_block(c, e, s->try_.orelse);
        for (int i = 0; i < s->try_.handlers.n; i++) {
            py_node *h = s->try_.handlers.v[i];
            env_side_take(e, &m, &sofar);
            env_rollback(e, &m);
            env_side_replay(e, &mid);
            e->normed = mid.normed;
            e->dead = 0;
            if (h->excepthandler.name) env_set(e, h->excepthandler.name, tv_opaque());
            exec_block(c, e, h->excepthandler.body);
            env_join(e, &m, &sofar); /* join(what came before, this handler) */
            env_side_free(&sofar);
        }
        env_release(e, &m);
        env_side_free(&body);
        env_side_free(&mid);
        if (s->try_.finalbody.n) {
            int dead = e->dead;
            e->dead = 0;
            exec_block(c, e, s->try_.finalbody);
            e->dead |= dead;
        }
        break;
    }
    case PY_Match: {
        /* each case from one mark, joined into the cases before it (none:
         * a dead side); then the state before joined with them */
        tval subj = eval_expr(c, e, s->match.subject);
        env_mark m;
        env_side out = {0}, pre = {0};
        out.dead = 1;
        env_mark_set(e, &m);
        pre.normed = e->normed;
        for (int i = 0; i < s->match.cases.n; i++) {
            py_node *mc = s->match.cases.v[i];
            env_rollback(e, &m);
            bind_captures(e, mc->match_case.pattern, subj);
            if (mc->match_case.guard) eval_expr(c, e, mc->match_case.guard);
            exec_block(c, e, mc->match_case.body);
            env_join(e, &m, &out); /* join(the cases before, this one) */
            env_side_free(&out);
            env_side_take(e, &m, &out);
        }
        if (out.dead) env_rollback(e, &m); /* no case goes on: the state before */
        else env_join(e, &m, &pre);         /* join(before, the cases) */
        env_release(e, &m);
        env_side_free(&out);
        break;
    }
    case PY_FunctionDef: case PY_AsyncFunctionDef: case PY_ClassDef:
        /* analysed on their own */
        if (c->fn && s->kind != PY_ClassDef)
            env_set(e, s->functiondef.name, tv_opaque());
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

void exec_block(fctx *c, env *e, py_list body)
{
    for (int i = 0; i < body.n; i++) {
        if (e->dead) return;
        exec_stmt(c, e, body.v[i]);
    }
}

/* ---- functions ---------------------------------------------------------- */

/* The last identifier of a dotted expression (`x: fastapi.Request` ->
 * Request, through a subscript: `Annotated[...]`), interned; NULL when the
 * expression is not a dotted name. */
static const char *dotted_last(py_node *x)
{
    char buf[128];
    if (!x) return NULL;
    if (!ast_dotted_name(x, buf, sizeof buf)) return NULL;
    return x->kind == PY_Name ? x->name.id : x->attribute.attr;
}

static const char *anno_last(py_node *ann)
{
    if (ann && ann->kind == PY_Subscript) ann = ann->subscript.value;
    return dotted_last(ann);
}

/* Route decorators, HTTP verbs and DRF actions are the frontend's
 * knowledge (python/web.def, asked through sema). */
static int is_route_method(const char *a) { return a && sema_is_route_method(a); }
static int is_verb(const char *n) { return n && sema_view_method(n) == SEMA_VIEW_HTTP; }
static int is_view_action(const char *n) { return n && sema_view_method(n) != 0; }

/* A parameter type the framework has already converted (FastAPI
 * validates `id: int`). */
static int is_typed(const char *ann)
{
    return ann && (ann == ti_int || ann == ti_float || ann == ti_bool || ann == ti_UUID ||
                   ann == ti_date || ann == ti_datetime || ann == ti_Decimal ||
                   strncmp(ann, "Positive", 8) == 0 || ann == ti_conint);
}

/* Where a function whose first parameter is `request` is a Django view:
 * in a views module (views.py, *_views.py, a views/ package), in a module
 * that declares urlpatterns, or under a decorator (login_required,
 * require_POST, csrf_exempt...) that is not an error handler's.  Elsewhere
 * such a function is a helper the view calls (a sendfile backend, a
 * problem-response builder) and its other parameters are the view's
 * values, already judged where the view passed them. */
static int django_view_site(mod *md, const py_node *def)
{
    if (sema_error_handler_param(def)) return 0;
    if (def->functiondef.decorator_list.n) return 1;
    const char *path = md->f->path ? md->f->path : "", *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    size_t n = strlen(base);
    if (n >= 8 && strcmp(base + n - 8, "views.py") == 0) return 1;
    if (strstr(path, "/views/") || strncmp(path, "views/", 6) == 0) return 1;
    if (!md->urlpatterns) { /* once a module, not once a function */
        md->urlpatterns = 1;
        const py_node *m = md->m ? md->m->node : NULL;
        for (int i = 0; m && i < m->module.body.n && md->urlpatterns == 1; i++) {
            const py_node *st = m->module.body.v[i];
            const py_node *t = st->kind == PY_Assign && st->assign.targets.n ? st->assign.targets.v[0]
                             : st->kind == PY_AnnAssign ? st->annassign.target : NULL;
            if (t && t->kind == PY_Name && strcmp(t->name.id, "urlpatterns") == 0) md->urlpatterns = 2;
        }
    }
    return md->urlpatterns == 2;
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
        if (is_route_method(a)) {
            route = 1;
            if (md->flask && (a == ti_route || !resolve_imports(md->r, "fastapi")))
                flask_route = 1;
        }
    }
    int n = args->arguments.posonlyargs.n + args->arguments.args.n;
    int django = 0;
    klass *kc = fn->cls ? mod_find_class(md, fn->cls) : NULL;
    if (!route && kc && kc->tornado && md->webmod && is_verb(fn->name))
        django = 1; /* tornado: the URL's captured groups are the parameters */
    if (!route && !django && n >= 1) {
        if (!fn->cls && fn->pnames[0] == ti_request && django_view_site(md, def)) django = 1;
        if (fn->cls && n >= 2 && fn->nparams >= 2 && fn->pnames[1] == ti_request &&
            is_view_action(fn->name))
            django = 1;
    }
    /* GraphQL resolvers and Channels consumers: the client's message comes
     * in as parameters, after the root object / self and the resolve info */
    int message = !route && !django && !md->f->test_file &&
                  ((kc && sema_message_method(kc->sema, fn->name)) || sema_is_resolver(def, md->r));
    c->handler = route || django || message;
    c->flask_handler = flask_route;
    if (message && args->arguments.kwarg) { /* def resolve_x(root, info, **kwargs) */
        py_node *kn = args->arguments.kwarg;
        md->saw_source = 1;
        tval v = tv_opaque();
        v.kinds = SK_WEB;
        v.trail = step_add(md, NULL, kn,
                           md_str(md, "source: GraphQL arguments `**%s` (request data)", kn->arg.arg));
        v.defline = kn->lineno;
        env_set(e, kn->arg.arg, v);
    }
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
        const char *ann = anno_last(argn->arg.annotation);
        if (ann && (ann == ti_Request || ann == ti_HttpRequest || ann == ti_WebSocket ||
                    ann == ti_BaseRequest)) {
            if (c->nreq < 8) c->reqnames[c->nreq++] = pn;
            continue;
        }
        int web = 0;
        if (dflt && dflt->kind == PY_Call) {
            const char *dq = dotted_last(dflt->call.func);
            if (dq && tab_source_find(M_DEFAULT, dq)) web = 1;
            if (dq && (dq == ti_Depends || dq == ti_Security)) continue;
        }
        /* typed by the framework: FastAPI validates `id: int`, Flask converts <int:id> */
        if (is_typed(ann)) continue;
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
        if (message && (i == 0 || sema_is_context_param(pn, ann))) continue;
        if (!web && c->handler) {
            if (pn == ti_self || pn == ti_cls || pn == ti_request || pn == ti_req || pn == ti_db ||
                pn == ti_session)
                continue;
            if (ann && (ann == ti_Session || ann == ti_AsyncSession || ann == ti_BackgroundTasks ||
                        ann == ti_Response))
                continue;
            web = 1;
        }
        if (web && !md->f->test_file) {
            md->saw_source = 1;
            tval v = *env_get(e, pn);
            v.kinds |= SK_WEB;
            v.trail = step_add(md, NULL, argn,
                               md_str(md, message ? "source: parameter `%s` of a GraphQL "
                                                    "resolver or consumer (request data)"
                                                  : "source: route parameter `%s` (request data)",
                                      pn));
            v.defline = argn->lineno;
            env_set(e, pn, v);
        }
    }
}

void exec_func(mod *md, func *fn) { exec_closure(md, fn, NULL); }

void exec_closure(mod *md, func *fn, const env *outer)
{
    fn->busy = 1;
    md->depth++;
    fn->ret = (tval){0};
    fn->nsinks = 0;
    site_idx_clear(&fn->sinkidx);
    fn->nfields = 0;
    fctx c = {0};
    c.md = md;
    c.fn = fn;
    c.cls = fn->cls ? mod_find_class(md, fn->cls) : NULL;
    c.outer = outer;
    env e = {0};
    for (int i = 0; i < fn->nparams && i < 32; i++) {
        tval v = {0};
        v.params = 1u << i;
        v.opaque = 1; v.unproven = TFM_ALL;
        v.trail = step_add_lazy(md, NULL, fn->pnodes[i], "parameter `%s` of %s()", fn->pnames[i],
                                fn->name);
        env_set(&e, fn->pnames[i], v);
    }
    handler_params(&c, &e, fn);
    if (md->llmmod) llm_tool_params(&c, &e, fn);
    exec_block(&c, &e, fn->def->functiondef.body);
    env_free(&e);
    md->depth--;
    fn->busy = 0;
    fn->done = 1;
}
