/* guard.c - tests that make a value safe, and code that can never run.
 *
 * A guard is a test of a name whose truth proves something about it in the
 * branch where it holds: `x in ALLOWED` (a constant collection or an
 * UPPER_CASE name), `x == "lit"`, `x.isdigit()` and friends,
 * `re.fullmatch(p, x)`, validators by name (`is_safe*`, `validate*`, ...),
 * `realpath(x).startswith(BASE)`, `commonpath([BASE, x]) == BASE`,
 * `".." not in x`, and host checks on parsed URLs.  guard_apply marks the
 * subject (and the variable it was parsed from) safe for the families the
 * check covers.  Guards are recognised by shape; docs/taint.md lists them.
 *
 * Dead code: a branch whose test folds to a constant never runs
 * (guard_mark_dead records its lines for the refinement of pattern
 * findings), and a call that never returns ends its block.
 */
#include "taint_int.h"

#include <ctype.h>

#include "../core/xalloc.h"

typedef struct guard {
    py_node *subj;
    unsigned fams;
} guard;

/* The variable a test is really about: through .netloc/.hostname/...,
 * .resolve()/.lower()/..., and realpath()/urlparse()/Path()/str() calls. */
static py_node *guard_subject(fctx *c, py_node *x)
{
    for (int i = 0; i < 8 && x; i++) {
        if (x->kind == PY_Name) return x;
        if (x->kind == PY_Attribute) {
            const char *a = x->attribute.attr;
            if (is_self(x->attribute.value)) return x;
            if (a == ti_netloc || a == ti_hostname || a == ti_host || a == ti_scheme ||
                a == ti_port || a == ti_parent) {
                x = x->attribute.value;
                continue;
            }
            return NULL;
        }
        if (x->kind == PY_Call) {
            py_node *fn = x->call.func;
            const char *a = fn->kind == PY_Attribute ? fn->attribute.attr : NULL;
            if (a && x->call.args.n == 0 &&
                (a == ti_resolve || a == ti_lower || a == ti_strip || a == ti_absolute)) {
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

/* A value that cannot be attacker-chosen: literals, UPPER_CASE names,
 * constants in the environment, set(...)/frozenset(...) of those. */
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
        tval v = eval_name(c, e, id);
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

/* The guards test t establishes when its truth is `want`, appended to g. */
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
        /* re.fullmatch(p, x) is None, m is not None: the check's truth */
        if ((op == PY_Is || op == PY_IsNot) && r->kind == PY_Constant &&
            r->constant.value == PY_CONST_NONE)
            return guards_of(c, e, l, op == PY_IsNot ? want : !want, g, ng, cap);
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
    if (t->kind == PY_Name && want) { /* m = P.fullmatch(x); if m: ... */
        tval v = eval_name(c, e, t->name.id);
        if (v.match && v.alias) {
            g[ng++] = (guard){t, TFM_ALL};
            if (ng < cap) {
                py_node *an = arena_alloc(&c->md->a, ast_node_size(PY_Name));
                an->kind = PY_Name;
                an->name.id = v.alias;
                g[ng++] = (guard){an, TFM_ALL};
            }
        }
        return ng;
    }
    if (t->kind == PY_Call && want) {
        int rx = regex_check(c->md, t);
        if (rx) {
            int from = rx - 1;
            py_node *s = t->call.args.n > from ? guard_subject(c, t->call.args.v[from]) : NULL;
            if (s) g[ng++] = (guard){s, TFM_ALL};
            return ng;
        }
        py_node *fn = t->call.func;
        if (fn->kind == PY_Attribute) {
            const char *a = fn->attribute.attr;
            unsigned fams = 0;
            if (a == ti_isdigit || a == ti_isnumeric || a == ti_isdecimal || a == ti_isalnum ||
                a == ti_isalpha || a == ti_isidentifier)
                fams = TFM_ALL;
            else if (a == ti_startswith)
                fams = TFM_PATH | TFM_SSRF | TFM_REDIRECT;
            else if (a == ti_is_relative_to)
                fams = TFM_PATH;
            if (fams) {
                py_node *s = guard_subject(c, fn->attribute.value);
                if (s) g[ng++] = (guard){s, fams};
                if (!s && a == ti_startswith) {
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
            py_node *arg = t->call.args.n > from ? t->call.args.v[from] : NULL;
            /* url_has_allowed_host_and_scheme(url=x, allowed_hosts=...) */
            for (int i = 0; !arg && i < t->call.keywords.n; i++) {
                const char *k = t->call.keywords.v[i]->keyword.arg;
                if (k && (!strcmp(k, "url") || !strcmp(k, "value") || !strcmp(k, "path")))
                    arg = t->call.keywords.v[i]->keyword.value;
            }
            py_node *s = arg ? guard_subject(c, arg) : NULL;
            if (s) g[ng++] = (guard){s, TFM_ALL};
        }
    }
    return ng;
}

void guard_apply(fctx *c, env *e, py_node *test, int want)
{
    guard g[8];
    int n = guards_of(c, e, test, want, g, 0, 8);
    for (int i = 0; i < n; i++) {
        const char *key = key_of(c->md, g[i].subj);
        if (!key) continue;
        tval v = g[i].subj->kind == PY_Name ? eval_name(c, e, key) : eval_expr(c, e, g[i].subj);
        v.safe |= (uint32_t)g[i].fams;
        v.unproven &= (uint32_t)~g[i].fams;
        const char *alias = v.alias;
        env_set(e, key, v);
        if (alias) {
            tval w = eval_name(c, e, alias);
            w.safe |= (uint32_t)g[i].fams;
            w.unproven &= (uint32_t)~g[i].fams;
            env_set(e, alias, w);
        }
    }
}

/* ---- dead code ---------------------------------------------------------- */

void guard_mark_dead(mod *md, py_list body)
{
    if (!md->report || !body.n) return;
    XGROW(md->dead, md->capdead, (size_t)md->ndead + 1);
    md->dead[md->ndead][0] = body.v[0]->lineno;
    md->dead[md->ndead][1] = body.v[body.n - 1]->end_lineno;
    md->ndead++;
}

int guard_no_return(fctx *c, py_node *x)
{
    if (x->kind != PY_Call) return 0;
    const char *q = qname_of(c->md, x);
    const char *l = last_comp(q);
    return streq(l, "abort") || streq(q, "sys.exit") || streq(q, "exit") || streq(l, "_exit");
}
