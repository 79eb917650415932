/* resolve.c - qualified names through imports, aliases and scopes; see
 * resolve.h for the contract.
 *
 * One walk over the module records every binding as (scope node, name) ->
 * what it was bound to: an import ("subprocess"), an alias (the value
 * expression, resolved lazily so order does not matter), an instance (the
 * Call whose result was bound), a `global` marker, or "local, unknown".
 * Lookups climb the parent links from the Name to its scope and outwards,
 * skipping class scopes as Python does.
 */
#include "resolve.h"
#include "../core/limits.h"

#include <stdint.h>
#include <string.h>

enum bind_kind { B_LOCAL = 1, B_IMPORT, B_ALIAS, B_INSTANCE, B_GLOBAL };

typedef struct binding {
    const py_node *scope;
    const char *name;        /* interned */
    int kind;
    const char *qual;        /* B_IMPORT */
    const py_node *value;    /* B_ALIAS: expression; B_INSTANCE: the Call */
} binding;

struct py_resolver {
    arena *a;
    const py_node *module;
    binding *tab;
    size_t cap, n;           /* open addressing, cap a power of two */
    const char **imports;    /* every module name imported (dotted) */
    size_t nimports, capimports;
    const char *star;        /* the last `from X import *`, or NULL */
    const char *package;     /* the file's package ("pkg.sub"), or "" */
    interner *in;            /* the file's (thread's) interner */
    /* resolve_call's answers by Call node, filled as they are asked (the
     * rules and taint ask for the same calls, taint many times): open
     * addressing, cap a power of two; memo_val NULL is "not known" */
    const py_node **memo_key;
    const char **memo_val;
    size_t memo_cap, memo_n;
};

/* --- strings ---------------------------------------------------------------- */

static const char *join3(arena *a, const char *x, const char *sep, const char *y)
{
    size_t nx = strlen(x), ns = strlen(sep), ny = strlen(y);
    char *s = arena_alloc(a, nx + ns + ny + 1);
    memcpy(s, x, nx);
    memcpy(s + nx, sep, ns);
    memcpy(s + nx + ns, y, ny);
    s[nx + ns + ny] = 0;
    return s;
}

/* "pkg/sub/mod.py" -> package "pkg.sub"; "pkg/__init__.py" -> "pkg". */
static const char *package_of(arena *a, const char *path)
{
    if (!path) return "";
    const char *p = path;
    while (p[0] == '.' && p[1] == '/') p += 2;
    size_t n = strlen(p);
    char *s = arena_strndup(a, p, n);
    char *dot = strrchr(s, '.');
    char *slash = strrchr(s, '/');
    if (dot && (!slash || dot > slash)) *dot = 0;
    /* the module is everything; the package drops the last component
     * unless it is __init__ (then __init__ itself is dropped) */
    char *last = strrchr(s, '/');
    if (last) *last = 0;
    else s[0] = 0;
    for (char *c = s; *c; c++)
        if (*c == '/' || *c == '\\') *c = '.';
    return s;
}

/* --- the binding table -------------------------------------------------------- */

static size_t slot_of(const py_resolver *r, const py_node *scope, const char *name)
{
    uint64_t h = (uint64_t)(uintptr_t)scope * 0x9E3779B97F4A7C15ULL;
    h ^= (uint64_t)(uintptr_t)name * 0xC2B2AE3D27D4EB4FULL;
    h ^= h >> 29;
    return (size_t)h & (r->cap - 1);
}

static binding *find(const py_resolver *r, const py_node *scope, const char *name)
{
    if (!r->cap) return NULL;
    for (size_t i = slot_of(r, scope, name);; i = (i + 1) & (r->cap - 1)) {
        binding *b = &r->tab[i];
        if (!b->kind) return NULL;
        if (b->scope == scope && b->name == name) return b;
    }
}

static void grow(py_resolver *r)
{
    binding *old = r->tab;
    size_t oldcap = r->cap;
    r->cap = oldcap ? oldcap * 2 : 64;
    r->tab = arena_alloc_n(r->a, r->cap, sizeof *r->tab);
    r->n = 0;
    for (size_t i = 0; i < oldcap; i++)
        if (old[i].kind) {
            size_t j = slot_of(r, old[i].scope, old[i].name);
            while (r->tab[j].kind) j = (j + 1) & (r->cap - 1);
            r->tab[j] = old[i];
            r->n++;
        }
}

static void bind(py_resolver *r, const py_node *scope, const char *name, int kind,
                 const char *qual, const py_node *value)
{
    if (!name || !scope) return;
    binding *b = find(r, scope, name);
    if (b && b->kind == B_GLOBAL && kind != B_GLOBAL && scope != r->module) {
        bind(r, r->module, name, kind, qual, value);
        return;
    }
    if (b) {
        /* an unknown rebinding never erases a known one (see resolve.h) */
        if (kind == B_LOCAL && b->kind != B_LOCAL) return;
        b->kind = kind;
        b->qual = qual;
        b->value = value;
        return;
    }
    if ((r->n + 1) * 2 > r->cap) grow(r);
    size_t i = slot_of(r, scope, name);
    while (r->tab[i].kind) i = (i + 1) & (r->cap - 1);
    r->tab[i] = (binding){scope, name, kind, qual, value};
    r->n++;
}

static void add_import(py_resolver *r, const char *mod)
{
    if (r->nimports == r->capimports) {
        size_t nc = r->capimports ? r->capimports * 2 : 16;
        const char **v = arena_alloc_n(r->a, nc, sizeof *v);
        if (r->nimports) memcpy(v, r->imports, r->nimports * sizeof *v);
        r->imports = v;
        r->capimports = nc;
    }
    r->imports[r->nimports++] = mod;
}

/* --- scopes ----------------------------------------------------------------- */

static int is_comp(int k)
{
    return k == PY_ListComp || k == PY_SetComp || k == PY_GeneratorExp || k == PY_DictComp;
}

const py_node *resolve_scope_of(const py_node *n)
{
    if (!n) return NULL;
    if (n->kind == PY_arg && n->parent && n->parent->parent) return n->parent->parent;
    const py_node *child = n, *p = n->parent;
    int outer_iter = 0; /* came up through the first generator's iterable */
    for (; p; child = p, p = p->parent) {
        switch (p->kind) {
        case PY_Module:
            return p;
        case PY_FunctionDef: case PY_AsyncFunctionDef: case PY_ClassDef:
            if (PY_IS_STMT(child->kind)) return p;
            break;
        case PY_Lambda:
            if (child == p->lambda.body) return p;
            break;
        case PY_comprehension:
            outer_iter = child == p->comprehension.iter && p->parent &&
                         ((p->parent->kind == PY_DictComp && p->parent->dictcomp.generators.n &&
                           p->parent->dictcomp.generators.v[0] == p) ||
                          (p->parent->kind != PY_DictComp && p->parent->listcomp.generators.n &&
                           p->parent->listcomp.generators.v[0] == p));
            break;
        default:
            if (is_comp(p->kind)) {
                if (!outer_iter) return p;
                outer_iter = 0;
            }
            break;
        }
    }
    return NULL;
}

const py_node *resolve_function_of(const py_node *n)
{
    const py_node *s = resolve_scope_of(n);
    while (s && (s->kind == PY_ClassDef || is_comp(s->kind))) s = resolve_scope_of(s);
    return s && s->kind != PY_Module ? s : NULL;
}

/* --- collecting bindings ------------------------------------------------------ */

static int value_kind(const py_node *v)
{
    if (!v) return B_LOCAL;
    if (v->kind == PY_Await) v = v->await.value;
    if (!v) return B_LOCAL;
    if (v->kind == PY_Name || v->kind == PY_Attribute) return B_ALIAS;
    if (v->kind == PY_Call) return B_INSTANCE;
    return B_LOCAL;
}

static const py_node *unawait(const py_node *v)
{
    return v && v->kind == PY_Await ? v->await.value : v;
}

/* importlib.import_module("pickle"), __import__("os"),
 * test.support's import_helper.import_module("telnetlib"): the module
 * named by the constant, or NULL. */
static const char *dynamic_import(const py_node *v)
{
    if (!v || v->kind != PY_Call || v->call.args.n < 1) return NULL;
    const py_node *f = v->call.func;
    const char *fn = f->kind == PY_Name ? f->name.id : f->kind == PY_Attribute ? f->attribute.attr : NULL;
    if (!fn || (strcmp(fn, "import_module") != 0 && strcmp(fn, "__import__") != 0 &&
                strcmp(fn, "import_deprecated") != 0 && strcmp(fn, "import_fresh_module") != 0))
        return NULL;
    const py_node *a = v->call.args.v[0];
    if (a->kind != PY_Constant || a->constant.value != PY_CONST_STR || !a->constant.len) return NULL;
    if (a->constant.s[0] == '.' || memchr(a->constant.s, 0, a->constant.len)) return NULL;
    return a->constant.s;
}

static void bind_target(py_resolver *r, const py_node *t, const py_node *value)
{
    if (!t) return;
    const char *mod = t->kind == PY_Name ? dynamic_import(value) : NULL;
    if (mod) {
        add_import(r, mod);
        bind(r, resolve_scope_of(t), t->name.id, B_IMPORT, mod, NULL);
        return;
    }
    if (t->kind == PY_Name) {
        int k = value_kind(value);
        bind(r, resolve_scope_of(t), t->name.id, k, NULL, k == B_LOCAL ? NULL : unawait(value));
    }
    /* tuples, starred, attributes: their Name stores are bound as unknown
     * locals when the walk reaches them */
}

static const char *import_base(py_resolver *r, const py_node *n)
{
    int level = n->importfrom.level;
    const char *mod = n->importfrom.module;
    if (level <= 0) return mod ? mod : "";
    /* relative: the file's package, up level-1 components */
    const char *pkg = r->package;
    size_t len = strlen(pkg);
    for (int i = 1; i < level && len; i++) {
        while (len && pkg[len - 1] != '.') len--;
        if (len) len--;
    }
    const char *base = arena_strndup(r->a, pkg, len);
    if (!mod) return base;
    return *base ? join3(r->a, base, ".", mod) : mod;
}

static int collect(py_node *n, void *ud)
{
    py_resolver *r = ud;
    switch (n->kind) {
    case PY_Import:
        for (int i = 0; i < n->import.names.n; i++) {
            const py_node *al = n->import.names.v[i];
            const char *name = al->alias.name;
            if (!name) continue;
            add_import(r, name);
            const py_node *scope = resolve_scope_of(n);
            if (al->alias.asname) {
                bind(r, scope, al->alias.asname, B_IMPORT, name, NULL);
            } else {
                /* `import os.path` binds `os` to the top package */
                const char *dot = strchr(name, '.');
                if (!dot) {
                    bind(r, scope, name, B_IMPORT, name, NULL);
                } else {
                    const char *top = intern(r->in, name, (size_t)(dot - name));
                    bind(r, scope, top, B_IMPORT, top, NULL);
                }
            }
        }
        break;
    case PY_ImportFrom: {
        const char *base = import_base(r, n);
        if (*base) add_import(r, base);
        const py_node *scope = resolve_scope_of(n);
        for (int i = 0; i < n->importfrom.names.n; i++) {
            const py_node *al = n->importfrom.names.v[i];
            const char *name = al->alias.name;
            if (!name) continue;
            if (name[0] == '*') {
                r->star = base;
                continue;
            }
            const char *q = *base ? join3(r->a, base, ".", name) : name;
            add_import(r, q);
            bind(r, scope, al->alias.asname ? al->alias.asname : name, B_IMPORT, q, NULL);
        }
        break;
    }
    case PY_Global:
        for (int i = 0; i < n->global.names.n; i++) {
            const py_node *scope = resolve_scope_of(n);
            if (scope && scope->kind != PY_Module)
                bind(r, scope, n->global.names.v[i], B_GLOBAL, NULL, NULL);
        }
        break;
    case PY_Assign:
        for (int i = 0; i < n->assign.targets.n; i++) bind_target(r, n->assign.targets.v[i], n->assign.value);
        break;
    case PY_AnnAssign:
        if (n->annassign.value) bind_target(r, n->annassign.target, n->annassign.value);
        break;
    case PY_withitem:
        if (n->withitem.optional_vars) bind_target(r, n->withitem.optional_vars, n->withitem.context_expr);
        break;
    case PY_NamedExpr:
        bind_target(r, n->namedexpr.target, n->namedexpr.value);
        break;
    case PY_Name:
        if (n->name.ctx != PY_Load) bind(r, resolve_scope_of(n), n->name.id, B_LOCAL, NULL, NULL);
        break;
    case PY_FunctionDef: case PY_AsyncFunctionDef:
        bind(r, resolve_scope_of(n), n->functiondef.name, B_LOCAL, NULL, NULL);
        break;
    case PY_ClassDef:
        bind(r, resolve_scope_of(n), n->classdef.name, B_LOCAL, NULL, NULL);
        break;
    case PY_arg:
        bind(r, resolve_scope_of(n), n->arg.arg, B_LOCAL, NULL, NULL);
        break;
    case PY_ExceptHandler:
        if (n->excepthandler.name) bind(r, resolve_scope_of(n), n->excepthandler.name, B_LOCAL, NULL, NULL);
        break;
    case PY_MatchAs: case PY_MatchStar:
        if (n->matchas.name) bind(r, resolve_scope_of(n), n->matchas.name, B_LOCAL, NULL, NULL);
        break;
    default:
        break;
    }
    return AST_CONTINUE;
}

py_resolver *resolve_module(arena *a, interner *in, const py_module *m, const char *path)
{
    py_resolver *r = arena_alloc(a, sizeof *r);
    r->a = a;
    r->in = in;
    r->module = m ? m->node : NULL;
    r->package = package_of(a, path);
    if (r->module) ast_walk((py_node *)r->module, collect, r);
    return r;
}

/* --- lookups -------------------------------------------------------------- */

static const char *name_qual(const py_resolver *r, const py_node *e, int depth, int *instance);

static const char *from_binding(const py_resolver *r, const binding *b, int depth, int *instance)
{
    switch (b->kind) {
    case B_IMPORT:
        return b->qual;
    case B_ALIAS:
        return name_qual(r, b->value, depth + 1, NULL);
    case B_INSTANCE: {
        if (instance) *instance = 1;
        const py_node *f = b->value->call.func;
        return name_qual(r, f, depth + 1, NULL);
    }
    default:
        return NULL;
    }
}

static int is_builtin(const char *id)
{
    static const char *const names[] = {
        "__import__", "abs", "all", "any", "bool", "bytes", "callable", "compile", "dict",
        "dir", "enumerate", "eval", "exec", "filter", "float", "format", "getattr", "globals",
        "hasattr", "hash", "input", "int", "isinstance", "iter", "len", "list", "locals", "map",
        "max", "min", "next", "object", "open", "print", "range", "repr", "set", "setattr",
        "sorted", "str", "sum", "super", "tuple", "type", "vars", "zip",
    };
    for (size_t i = 0; i < sizeof names / sizeof *names; i++)
        if (strcmp(names[i], id) == 0) return 1;
    return 0;
}

static const char *lookup_name(const py_resolver *r, const py_node *e, int depth, int *instance)
{
    const char *id = e->name.id;
    if (!id) return NULL;
    const py_node *scope = resolve_scope_of(e);
    int first = 1;
    while (scope) {
        if (first || scope->kind != PY_ClassDef) {
            const binding *b = find(r, scope, id);
            if (b && b->kind == B_GLOBAL) {
                b = find(r, r->module, id);
                return b ? from_binding(r, b, depth, instance) : id;
            }
            if (b) return from_binding(r, b, depth, instance);
        }
        first = 0;
        if (scope->kind == PY_Module) break;
        scope = resolve_scope_of(scope);
    }
    if (r->star && !is_builtin(id)) return join3(r->a, r->star, ".", id);
    return id;
}

static const char *name_qual(const py_resolver *r, const py_node *e, int depth, int *instance)
{
    if (!e || depth > RESOLVE_MAX_DEPTH) return NULL;
    switch (e->kind) {
    case PY_Name:
        return lookup_name(r, e, depth, instance);
    case PY_Attribute: {
        const char *base = name_qual(r, e->attribute.value, depth + 1, NULL);
        if (!base || !e->attribute.attr) return NULL;
        return join3(r->a, base, ".", e->attribute.attr);
    }
    case PY_Call:
        return name_qual(r, e->call.func, depth + 1, NULL);
    case PY_Await:
        return name_qual(r, e->await.value, depth + 1, NULL);
    default:
        return NULL;
    }
}

const char *resolve_name(const py_resolver *r, const py_node *e)
{
    return r ? name_qual(r, e, 0, NULL) : NULL;
}

static size_t memo_slot(const py_node *call, size_t cap)
{
    return (size_t)(((uint64_t)(uintptr_t)call * 0x9E3779B97F4A7C15ULL) >> 20) & (cap - 1);
}

static void memo_grow(py_resolver *r)
{
    size_t nc = r->memo_cap ? r->memo_cap * 2 : 256;
    const py_node **k = arena_alloc_n(r->a, nc, sizeof *k);
    const char **v = arena_alloc_n(r->a, nc, sizeof *v);
    for (size_t i = 0; i < r->memo_cap; i++) {
        if (!r->memo_key[i]) continue;
        size_t j = memo_slot(r->memo_key[i], nc);
        while (k[j]) j = (j + 1) & (nc - 1);
        k[j] = r->memo_key[i];
        v[j] = r->memo_val[i];
    }
    r->memo_key = k, r->memo_val = v, r->memo_cap = nc;
}

const char *resolve_call(const py_resolver *cr, const py_node *call)
{
    if (!cr || !call || call->kind != PY_Call) return NULL;
    if (call->call.func->kind == PY_Call) return NULL; /* f(x)(y): what f returns */
    /* the memo changes the resolver's form, never its answers; a resolver
     * is one file's, used by the thread that made it */
    py_resolver *r = (py_resolver *)cr;
    if (r->memo_n * 2 >= r->memo_cap) memo_grow(r);
    size_t j = memo_slot(call, r->memo_cap);
    for (; r->memo_key[j]; j = (j + 1) & (r->memo_cap - 1))
        if (r->memo_key[j] == call) return r->memo_val[j];
    int instance = 0;
    const char *q = name_qual(r, call->call.func, 0, &instance);
    r->memo_key[j] = call;
    r->memo_val[j] = instance ? NULL : q;
    r->memo_n++;
    return r->memo_val[j];
}

int resolve_imports(const py_resolver *r, const char *mod)
{
    if (!r) return 0;
    size_t n = strlen(mod);
    for (size_t i = 0; i < r->nimports; i++) {
        const char *s = r->imports[i];
        if (strncmp(s, mod, n) == 0 && (s[n] == 0 || s[n] == '.')) return 1;
    }
    return 0;
}
