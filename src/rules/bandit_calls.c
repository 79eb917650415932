/* bandit_calls.c - how Bandit names calls, and the checks that are only a
 * name: its blacklists (B3xx calls, B4xx imports) and B113, for
 * --profile bandit.
 *
 * Bandit does not resolve scopes: it keeps one table of import aliases
 * for the file, filled as its walk meets each import statement, and names
 * a call by its dotted func text with the aliases substituted (Name ->
 * alias, and each dotted prefix looked up again).  A call before the
 * import that names it, or through a variable, has no qualified name.
 * With --profile bandit call_qual() returns this name to every B-rule, so
 * the profile sees what Bandit sees; the default profile keeps the
 * resolver (resolve.h), which follows scopes and assignments.
 */
#include "meta.h"
#include "rules.h"

#include <ctype.h>
#include <stdio.h>
#include <string.h>

struct bandit_alias {
    const char *name, *target;
};

static void alias_put(rule_ctx *c, const char *name, const char *target)
{
    for (size_t i = 0; i < c->nba; i++)
        if (strcmp(c->ba[i].name, name) == 0) {
            c->ba[i].target = target;
            return;
        }
    if (c->nba == c->capba) {
        size_t cap = c->capba ? c->capba * 2 : 32;
        struct bandit_alias *v = arena_alloc_n(c->a, cap, sizeof *v);
        if (c->nba) memcpy(v, c->ba, c->nba * sizeof *v);
        c->ba = v, c->capba = cap;
    }
    c->ba[c->nba].name = name;
    c->ba[c->nba++].target = target;
}

static const char *alias_get(const rule_ctx *c, const char *name)
{
    for (size_t i = 0; i < c->nba; i++)
        if (strcmp(c->ba[i].name, name) == 0) return c->ba[i].target;
    return NULL;
}

static const char *join(rule_ctx *c, const char *a, const char *b)
{
    size_t la = strlen(a), lb = strlen(b);
    char *s = arena_alloc(c->a, la + lb + 2);
    memcpy(s, a, la);
    s[la] = '.';
    memcpy(s + la + 1, b, lb + 1);
    return s;
}

/* Bandit's visit_Import / visit_ImportFrom: `import a.b as c` maps c to
 * a.b; `from m import x [as y]` maps y (or x) to m.x; a relative import
 * keeps only its module text; `from . import x as y` maps y to x. */
static void import_add(rule_ctx *c, const char *m)
{
    if (c->nbim == c->capbim) {
        size_t cap = c->capbim ? c->capbim * 2 : 32;
        const char **v = arena_alloc_n(c->a, cap, sizeof *v);
        if (c->nbim) memcpy(v, c->bim, c->nbim * sizeof *v);
        c->bim = v, c->capbim = cap;
    }
    c->bim[c->nbim++] = m;
}

void bandit_note_import(rule_ctx *c, const py_node *n)
{
    if (n->kind == PY_Import || (n->kind == PY_ImportFrom && !n->importfrom.module)) {
        const py_list *names = n->kind == PY_Import ? &n->import.names : &n->importfrom.names;
        for (int i = 0; i < names->n; i++) {
            const py_node *a = names->v[i];
            if (a->alias.asname) alias_put(c, a->alias.asname, a->alias.name);
            import_add(c, a->alias.name);
        }
        return;
    }
    if (n->kind != PY_ImportFrom) return;
    for (int i = 0; i < n->importfrom.names.n; i++) {
        const py_node *a = n->importfrom.names.v[i];
        const char *full = join(c, n->importfrom.module, a->alias.name);
        alias_put(c, a->alias.asname ? a->alias.asname : a->alias.name, full);
        import_add(c, full);
    }
}

static const char *attr_name(rule_ctx *c, const py_node *n, int depth)
{
    if (depth > 64) return "";
    if (n->kind == PY_Name) {
        const char *t = alias_get(c, n->name.id);
        return t ? t : n->name.id;
    }
    if (n->kind == PY_Attribute) {
        const char *q = join(c, attr_name(c, n->attribute.value, depth + 1), n->attribute.attr);
        const char *t = alias_get(c, q);
        return t ? t : q;
    }
    return "";
}

/* Bandit's get_call_name: "" when func is neither a name nor an attribute
 * chain ending in a name (then its parts are empty: "().x" is ".x"). */
const char *bandit_call_name(rule_ctx *c, const py_node *call)
{
    const py_node *f = call->call.func;
    if (f->kind == PY_Name) {
        const char *t = alias_get(c, f->name.id);
        return t ? t : f->name.id;
    }
    if (f->kind == PY_Attribute) return attr_name(c, f, 0);
    return "";
}

/* --- the blacklists ------------------------------------------------------------ */

typedef struct bl_row {
    const char *id;
    severity sev;
    const char *name;
} bl_row;

static const bl_row bl_calls[] = {
#define BL_CALL(id, sev, name) {id, sev, name},
#define BL_IMPORT(id, sev, name)
#include "bandit_blacklist.def"
#undef BL_CALL
#undef BL_IMPORT
};
static const bl_row bl_imports[] = {
#define BL_CALL(id, sev, name)
#define BL_IMPORT(id, sev, name) {id, sev, name},
#include "bandit_blacklist.def"
#undef BL_CALL
#undef BL_IMPORT
};

/* Is a Bandit blacklist id (B3xx but B324, B4xx) implemented here under
 * --profile bandit, so that calls.def leaves it alone? */
int bandit_blacklist_id(const char *id)
{
    return (id[0] == 'B' && id[1] == '4') || (id[0] == 'B' && id[1] == '3' && strcmp(id, "B324") != 0) ||
           strcmp(id, "B113") == 0 || strcmp(id, "B506") == 0 || strcmp(id, "B701") == 0 || strcmp(id, "B324") == 0;
}

static void bl_report(rule_ctx *c, const bl_row *r, const py_node *at, const char *name)
{
    const rule_meta *m = registry_find(r->id);
    finding *fd = rule_report(c, r->id, at, "%s: %s", m ? m->title : r->id, name);
    if (fd) fd->severity = r->sev, fd->confidence = CONF_HIGH;
}

static void blacklist_call(rule_ctx *c, const py_node *call, const char *q)
{
    const py_node *f = call->call.func;
    const char *name = q;
    if (f->kind == PY_Name && strcmp(f->name.id, "__import__") == 0) {
        name = call->call.args.n ? ast_const_str(call->call.args.v[0]) : "";
        if (!name) name = "UNKNOWN";
    } else if (strcmp(q, "importlib.import_module") == 0 || strcmp(q, "importlib.__import__") == 0) {
        const py_node *a = call->call.args.n ? call->call.args.v[0] : ast_call_kw(call, "name");
        name = NULL;
        if (a && a->kind == PY_Attribute) name = a->attribute.attr;
        else if (a && a->kind == PY_Name) name = a->name.id;
        else if (a) name = ast_const_str(a);
        if (!name) return;
    }
    for (size_t i = 0; i < sizeof bl_calls / sizeof *bl_calls; i++)
        if (strcmp(name, bl_calls[i].name) == 0) {
            bl_report(c, &bl_calls[i], call, name);
            return;
        }
    /* Bandit also checks calls against its import blacklist, by equal
     * names (__import__("pickle"), pickle(...), CGIHandler()) */
    for (size_t i = 0; i < sizeof bl_imports / sizeof *bl_imports; i++)
        if (strcmp(name, bl_imports[i].name) == 0) {
            bl_report(c, &bl_imports[i], call, name);
            return;
        }
}

static void blacklist_import(rule_ctx *c, const py_node *n)
{
    const py_list *names = n->kind == PY_Import ? &n->import.names : &n->importfrom.names;
    const char *prefix = n->kind == PY_ImportFrom ? n->importfrom.module : NULL;
    char full[1024];
    /* Bandit: the first check (in its order) matching any name wins */
    for (size_t k = 0; k < sizeof bl_imports / sizeof *bl_imports;) {
        size_t e = k;
        while (e < sizeof bl_imports / sizeof *bl_imports && strcmp(bl_imports[e].id, bl_imports[k].id) == 0) e++;
        for (int i = 0; i < names->n; i++) {
            const char *nm = names->v[i]->alias.name;
            if (prefix) snprintf(full, sizeof full, "%s.%s", prefix, nm);
            else snprintf(full, sizeof full, "%s", nm);
            for (size_t r = k; r < e; r++)
                if (strncmp(full, bl_imports[r].name, strlen(bl_imports[r].name)) == 0) {
                    bl_report(c, &bl_imports[r], n, nm);
                    return;
                }
        }
        k = e;
    }
}

/* --- B113 ------------------------------------------------------------------- */

/* Bandit's call_keywords value of `kw`: present with a value it can read
 * (a constant, a name, an attribute, a container) -> 1 and *is_none;
 * absent, or present with a value it cannot read -> 0. */
static int kw_value(const py_node *call, const char *kw, int *is_none)
{
    const py_node *v = NULL;
    for (int i = 0; i < call->call.keywords.n; i++) {
        const py_node *k = call->call.keywords.v[i];
        if (k->keyword.arg && strcmp(k->keyword.arg, kw) == 0) v = k->keyword.value; /* the last wins */
    }
    *is_none = 0;
    if (!v) return 0;
    switch (v->kind) {
    case PY_Constant:
        *is_none = v->constant.value == PY_CONST_NONE;
        return 1;
    case PY_Attribute: case PY_Name: case PY_List: case PY_Tuple: case PY_Set: case PY_Dict:
        return 1;
    default:
        return 0;
    }
}

static void b113(rule_ctx *c, const py_node *call, const char *q)
{
    static const char *const verbs[] = {"get", "options", "head", "post", "put", "patch", "delete", NULL};
    static const char *const httpx[] = {"get", "options", "head", "post", "put", "patch", "delete",
                                        "request", "stream", "Client", "AsyncClient", NULL};
    const char *dot = strchr(q, '.');
    size_t hl = dot ? (size_t)(dot - q) : strlen(q);
    const char *last = strrchr(q, '.');
    last = last ? last + 1 : q;
    int req = hl == 8 && strncmp(q, "requests", 8) == 0 && str_in(last, verbs);
    int hx = hl == 5 && strncmp(q, "httpx", 5) == 0 && str_in(last, httpx);
    int none, has = kw_value(call, "timeout", &none);
    finding *fd = NULL;
    if (req && !has) fd = rule_report(c, "B113", call, "Call to requests without timeout");
    else if ((req || hx) && has && none) fd = rule_report(c, "B113", call, "Call to %s with timeout set to None", req ? "requests" : "httpx");
    if (fd) fd->severity = SEV_MEDIUM, fd->confidence = CONF_LOW;
}

static void b324(rule_ctx *c, const py_node *call, const char *q);
static const char *last_part(const char *q);
static int has_part(const char *q, const char *part);
static finding *rep(rule_ctx *c, const char *id, const py_node *at, severity s, confidence k, const char *msg);

void bandit_calls_visit(rule_ctx *c, py_node *n)
{
    if (n->kind == PY_Call) {
        const char *q = call_qual(c, n);
        if (!q) return;
        blacklist_call(c, n, q);
        b113(c, n, q);
        b324(c, n, q);
    } else if (n->kind == PY_Import || n->kind == PY_ImportFrom) {
        blacklist_import(c, n);
    }
}

/* --- B202, B506, B701 ------------------------------------------------------------ */

/* Bandit's is_module_imported_exact: `import m` (the dotted name) or
 * `from p import n` (p.n) met so far in the walk. */
static int imported_exact(const rule_ctx *c, const char *m)
{
    for (size_t i = 0; i < c->nbim; i++)
        if (strcmp(c->bim[i], m) == 0) return 1;
    return 0;
}

static int has_part(const char *q, const char *part) /* a dotted component */
{
    size_t n = strlen(part);
    for (const char *p = q; (p = strstr(p, part)); p++)
        if ((p == q || p[-1] == '.') && (p[n] == 0 || p[n] == '.')) return 1;
    return 0;
}

static const char *last_part(const char *q)
{
    const char *d = strrchr(q, '.');
    return d ? d + 1 : q;
}

static finding *rep(rule_ctx *c, const char *id, const py_node *at, severity s, confidence k, const char *msg)
{
    finding *fd = rule_report(c, id, at, "%s", msg);
    if (fd) fd->severity = s, fd->confidence = k;
    return fd;
}

static void b202(rule_ctx *c, const py_node *call, const char *q)
{
    if (!imported_exact(c, "tarfile") || !strstr(last_part(q), "extractall")) return;
    const py_node *f = ast_call_kw(call, "filter");
    if (f && f->kind == PY_Constant && f->constant.value == PY_CONST_STR && strcmp(f->constant.s, "data") == 0)
        return;
    const py_node *m = ast_call_kw(call, "members");
    if (!m) {
        rep(c, "B202", call, SEV_HIGH, CONF_HIGH,
            "tarfile.extractall used without any validation. Please check and discard dangerous members.");
    } else if (m->kind == PY_Call) {
        if (m->call.func->kind != PY_Name) return; /* Bandit's plugin fails on members=a.b(...) */
        rep(c, "B202", call, SEV_LOW, CONF_LOW,
            "Usage of tarfile.extractall(members=function(tarfile)). Make sure your function properly "
            "discards dangerous members.");
    } else {
        rep(c, "B202", call, SEV_MEDIUM, CONF_MEDIUM,
            "Found tarfile.extractall(members=?) but couldn't identify the type of members.");
    }
}

/* A keyword value as Bandit's call_keywords reads it, compared with a name. */
static int kw_is(const py_node *v, const char *name)
{
    if (!v) return 0;
    if (v->kind == PY_Attribute) return strcmp(v->attribute.attr, name) == 0;
    if (v->kind == PY_Name) return strcmp(v->name.id, name) == 0;
    return v->kind == PY_Constant && v->constant.value == PY_CONST_STR && strcmp(v->constant.s, name) == 0;
}

static void b506(rule_ctx *c, const py_node *call, const char *q)
{
    if (!imported_exact(c, "yaml") || !has_part(q, "yaml") || strcmp(last_part(q), "load") != 0) return;
    const py_node *l = ast_call_kw(call, "Loader");
    const py_node *p1 = call->call.args.n > 1 ? call->call.args.v[1] : NULL;
    if (kw_is(l, "SafeLoader") || kw_is(l, "CSafeLoader") || kw_is(p1, "SafeLoader") || kw_is(p1, "CSafeLoader"))
        return;
    rep(c, "B506", call, SEV_MEDIUM, CONF_HIGH,
        "Use of unsafe yaml load. Allows instantiation of arbitrary objects. Consider yaml.safe_load().");
}

static void b701(rule_ctx *c, const py_node *call, const char *q)
{
    if (!has_part(q, "jinja2") || strcmp(last_part(q), "Environment") != 0) return;
    const py_node *v = ast_call_kw(call, "autoescape");
    if (!v) {
        rep(c, "B701", call, SEV_HIGH, CONF_HIGH,
            "By default, jinja2 sets autoescape to False. Consider using autoescape=True or use the "
            "select_autoescape function to mitigate XSS vulnerabilities.");
    } else if (is_false(v) || (v->kind == PY_Name && strcmp(v->name.id, "False") == 0)) {
        rep(c, "B701", call, SEV_HIGH, CONF_HIGH,
            "Using jinja2 templates with autoescape=False is dangerous and can lead to XSS.");
    } else if (is_true(v) || (v->kind == PY_Name && strcmp(v->name.id, "True") == 0)) {
        return;
    } else if (v->kind == PY_Call &&
               ((v->call.func->kind == PY_Attribute && strcmp(v->call.func->attribute.attr, "select_autoescape") == 0) ||
                (v->call.func->kind == PY_Name && strcmp(v->call.func->name.id, "select_autoescape") == 0))) {
        return;
    } else {
        rep(c, "B701", call, SEV_HIGH, CONF_MEDIUM,
            "Using jinja2 templates with autoescape=False is dangerous and can lead to XSS. Ensure "
            "autoescape=True or use the select_autoescape function.");
    }
}

void bandit_web_visit(rule_ctx *c, py_node *call)
{
    const char *q = call_qual(c, call);
    if (!q) return;
    b202(c, call, q);
    b506(c, call, q);
    b701(c, call, q);
}

/* --- B324 ------------------------------------------------------------------------ */

/* A call argument as Bandit reads it (call_args / call_keywords), when that
 * is a str: an attribute's name, a str literal, "True"/"False"/"None", a
 * variable's name. */
static const char *read_str(const py_node *v)
{
    if (!v) return NULL;
    if (v->kind == PY_Attribute) return v->attribute.attr;
    if (v->kind == PY_Name) return v->name.id;
    if (v->kind != PY_Constant) return NULL;
    switch (v->constant.value) {
    case PY_CONST_STR: return v->constant.s;
    case PY_CONST_TRUE: return "True";
    case PY_CONST_FALSE: return "False";
    case PY_CONST_NONE: return "None";
    default: return NULL;
    }
}

static void b324(rule_ctx *c, const py_node *call, const char *q)
{
    static const char *const weak[] = {"md4", "md5", "sha", "sha1", NULL};
    static const char *const weak_crypt[] = {"METHOD_CRYPT", "METHOD_MD5", "METHOD_BLOWFISH", NULL};
    const char *f = last_part(q);
    char msg[128];
    if (has_part(q, "hashlib")) {
        const py_node *u = ast_call_kw(call, "usedforsecurity");
        const char *us = u ? read_str(u) : "True";
        if (!us || strcmp(us, "True") != 0) return;
        const char *name = f;
        if (strcmp(f, "new") == 0) {
            name = read_str(call->call.args.n ? call->call.args.v[0] : ast_call_kw(call, "name"));
            if (!name) return;
            char low[16];
            size_t i = 0;
            for (; name[i] && i < sizeof low - 1; i++) low[i] = (char)tolower((unsigned char)name[i]);
            low[i] = 0;
            if (name[i] || !str_in(low, weak)) return;
        } else if (!str_in(f, weak)) {
            return;
        }
        snprintf(msg, sizeof msg, "Use of weak %s hash for security. Consider usedforsecurity=False", name);
        rep(c, "B324", call, SEV_HIGH, CONF_HIGH, msg);
    } else if (has_part(q, "crypt") && (strcmp(f, "crypt") == 0 || strcmp(f, "mksalt") == 0)) {
        int crypt = strcmp(f, "crypt") == 0;
        const py_node *a = call->call.args.n > (crypt ? 1 : 0) ? call->call.args.v[crypt ? 1 : 0]
                                                                : ast_call_kw(call, crypt ? "salt" : "method");
        const char *name = read_str(a);
        if (!name || !str_in(name, weak_crypt)) return;
        snprintf(msg, sizeof msg, "Use of insecure crypt.%s hash function.", name);
        rep(c, "B324", call, SEV_MEDIUM, CONF_HIGH, msg);
    }
}
