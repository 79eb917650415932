/* auth.c - authentication slips: privileged routes with no auth check
 * (VG201), JWTs that are not verified (VG202), never expire (VG203) or
 * are signed with a key in the source (VG204), and secrets compared with
 * == (VG205). */
#include "meta.h"
#include "rules.h"

#include <ctype.h>
#include <string.h>
#include <strings.h>

static const rule_meta auth_rules[] = {
    RULE("VG201", "privileged route without authentication", H, CM, CWE(306, 862, 0), "A01:2021",
         "A Flask, FastAPI, Starlette or Django route whose path or name is privileged (admin, "
         "internal, debug, manage, delete, users/<id>, ...) with no sign of an auth check: no "
         "login_required/permission_required/jwt_required/roles_required-style decorator, no "
         "Depends/Security on something auth-like, no DRF permission_classes, no current_user "
         "check at the top of the handler, no before_request hook or auth middleware in the file.",
         "Protect the route: @login_required / Depends(get_current_admin) / permission_classes = "
         "[IsAdminUser], and check the user's role inside.",
         CWE_URL(306) " " CWE_URL(862) " " OWASP_URL("A01_2021-Broken_Access_Control")),
    RULE("VG202", "JWT decoded without verification", H, CH, CWE(347, 0), "A02:2021",
         "jwt.decode with verify=False, options={\"verify_signature\": False} or the \"none\" "
         "algorithm accepts tokens anyone can forge.",
         "Verify the signature: jwt.decode(token, key, algorithms=[\"HS256\"]).",
         CWE_URL(347) " https://pyjwt.readthedocs.io/en/stable/api.html"),
    RULE("VG203", "JWT without expiry", M, CM, CWE(613, 0), "A07:2021",
         "A JWT encoded from a payload with no \"exp\" claim (or decoded with verify_exp off) is "
         "valid forever once stolen.",
         "Add \"exp\": datetime.now(timezone.utc) + timedelta(minutes=15) and keep expiry checks on.",
         CWE_URL(613)),
    RULE("VG204", "JWT signed with a hard-coded key", H, CM, CWE(798, 321, 0), "A07:2021",
         "The JWT signing key is a literal in the source: anyone with the code (or the repository "
         "history) can mint valid tokens.",
         "Load the key from the environment or a secret manager; rotate the leaked one.",
         CWE_URL(798) " " CWE_URL(321)),
    RULE("VG205", "timing-unsafe comparison of a secret", M, CM, CWE(208, 0), "A02:2021",
         "A token, signature, HMAC, API key or password compared with == / !=: the comparison "
         "stops at the first different byte, and the timing reveals the secret byte by byte.",
         "Use hmac.compare_digest(a, b) (or secrets.compare_digest).",
         CWE_URL(208) " https://docs.python.org/3/library/hmac.html#hmac.compare_digest"),
};

void rules_auth_register(void)
{
    rules_register_table(auth_rules, sizeof auth_rules / sizeof *auth_rules);
}

/* --- VG201 ----------------------------------------------------------------- */

static const char *const priv_words[] = {
    "admin", "admins", "administrator", "internal", "debug", "manage", "management", "manager",
    "delete", "remove", "destroy", "purge", "shutdown", "superuser", "staff", "sudo", "console",
    "impersonate", "promote", "grant", "revoke", "roles", "role", "permissions", "ban", "wipe",
    "reset", "backdoor", "exec", "shell", NULL,
};

static int privileged_path(const char *p)
{
    if (!p) return 0;
    char low[256];
    size_t i = 0;
    for (; p[i] && i < sizeof low - 1; i++) low[i] = (char)tolower((unsigned char)p[i]);
    low[i] = 0;
    if (strstr(low, "users/<") || strstr(low, "users/{") || strstr(low, "user/<") || strstr(low, "user/{"))
        return 1;
    return ident_has_word(low, priv_words);
}

static const char *const auth_decorator_words[] = {
    "login", "auth", "authenticated", "authorize", "authorized", "authorization", "permission",
    "permissions", "jwt", "role", "roles", "requires", "require", "required", "protected", "passes",
    "staff", "superuser", "token", "apikey", "verify", "verified", "session", "signed", "admin",
    "oauth", "scope", "scopes", "secured", "guard", NULL,
};
static const char *const auth_dep_words[] = {
    "user", "auth", "token", "admin", "verify", "login", "permission", "permissions", "role",
    "roles", "security", "oauth", "jwt", "key", "apikey", "session", "credential", "credentials",
    "principal", "identity", "scope", "scopes", "authenticated", "authorize", "current", "require",
    "guard", "bearer", "superuser", "staff", NULL,
};

static int depends_authlike(const py_node *n, int depth)
{
    if (!n || depth > 16) return 0;
    if (n->kind == PY_Call) {
        const char *m = ast_call_method(n);
        if (sema_is_dependency(m)) {
            const py_node *dep = ast_call_arg(n, 0, "dependency");
            if (dep && dep->kind == PY_Call) dep = dep->call.func;
            return dep && ident_has_word(ast_terminal_name(dep), auth_dep_words);
        }
        for (int i = 0; i < n->call.args.n; i++)
            if (depends_authlike(n->call.args.v[i], depth + 1)) return 1;
        return 0;
    }
    switch (n->kind) {
    case PY_Subscript: return depends_authlike(n->subscript.slice, depth + 1);
    case PY_Tuple: case PY_List:
        for (int i = 0; i < n->list.elts.n; i++)
            if (depends_authlike(n->list.elts.v[i], depth + 1)) return 1;
        return 0;
    default: return 0;
    }
}

static int params_authlike(const py_node *fn)
{
    const py_node *a = fn->functiondef.args;
    if (!a) return 0;
    const py_list *lists[3] = {&a->arguments.posonlyargs, &a->arguments.args, &a->arguments.kwonlyargs};
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < lists[l]->n; i++) {
            const py_node *arg = lists[l]->v[i];
            if (depends_authlike(arg->arg.annotation, 0)) return 1;
            /* a parameter named current_user / admin is injected by an auth dependency */
            static const char *const names[] = {"current_user", "current_admin", "admin_user", "user_token",
                                                "token_data", "principal", NULL};
            if (str_in(arg->arg.arg, names) && (arg->arg.annotation || a->arguments.defaults.n)) return 1;
        }
    for (int i = 0; i < a->arguments.defaults.n; i++)
        if (depends_authlike(a->arguments.defaults.v[i], 0)) return 1;
    for (int i = 0; i < a->arguments.kw_defaults.n; i++)
        if (depends_authlike(a->arguments.kw_defaults.v[i], 0)) return 1;
    return 0;
}

static int mentions_auth(const py_node *n, int depth)
{
    if (!n || depth > 24) return 0;
    static const char *const marks[] = {
        "current_user", "is_authenticated", "is_admin", "is_staff", "is_superuser", "has_perm",
        "has_permission", "has_role", "check_permission", "check_auth", "user", "session", "g",
        "require_admin", "verify_token", "authenticate", "authorize", "check_admin", NULL,
    };
    const char *t = ast_terminal_name(n);
    if (t && (n->kind == PY_Name || n->kind == PY_Attribute) &&
        (str_in(t, marks) || ident_has_word(t, auth_dep_words)))
        return 1;
    switch (n->kind) {
    case PY_Call:
        if (mentions_auth(n->call.func, depth + 1)) return 1;
        for (int i = 0; i < n->call.args.n; i++)
            if (mentions_auth(n->call.args.v[i], depth + 1)) return 1;
        return 0;
    case PY_Attribute: return mentions_auth(n->attribute.value, depth + 1);
    case PY_Subscript: return mentions_auth(n->subscript.value, depth + 1);
    case PY_UnaryOp: return mentions_auth(n->unaryop.operand, depth + 1);
    case PY_BoolOp:
        for (int i = 0; i < n->boolop.values.n; i++)
            if (mentions_auth(n->boolop.values.v[i], depth + 1)) return 1;
        return 0;
    case PY_Compare:
        if (mentions_auth(n->compare.left, depth + 1)) return 1;
        for (int i = 0; i < n->compare.comparators.n; i++)
            if (mentions_auth(n->compare.comparators.v[i], depth + 1)) return 1;
        return 0;
    case PY_Await: return mentions_auth(n->await.value, depth + 1);
    default: return 0;
    }
}

/* An auth check among the first statements of the handler. */
static int body_checks_auth(const py_list *body)
{
    for (int i = 0, seen = 0; i < body->n && seen < 3; i++) {
        const py_node *s = body->v[i];
        if (s->kind == PY_Expr && ast_const_str(s->expr.value)) continue; /* docstring */
        seen++;
        const py_node *e = NULL;
        if (s->kind == PY_If) e = s->if_.test;
        else if (s->kind == PY_Assert) e = s->assert.test;
        else if (s->kind == PY_Expr) e = s->expr.value;
        else if (s->kind == PY_Assign) e = s->assign.value;
        if (e && mentions_auth(e, 0)) return 1;
    }
    return 0;
}

static int decorated_auth(const py_list *decos)
{
    for (int i = 0; i < decos->n; i++) {
        const py_node *d = decos->v[i];
        const py_node *f = d->kind == PY_Call ? d->call.func : d;
        const char *t = ast_terminal_name(f);
        const char *m = d->kind == PY_Call ? ast_call_method(d) : NULL;
        if (sema_is_route_method(m)) {
            const py_node *deps = ast_call_kw(d, "dependencies");
            if (deps && depends_authlike(deps, 0)) return 1;
            continue;
        }
        if (t && ident_has_word(t, auth_decorator_words)) return 1;
        /* @method_decorator(login_required), @permission_classes([IsAdminUser]) */
        if (d->kind == PY_Call)
            for (int k = 0; k < d->call.args.n; k++) {
                const py_node *a = d->call.args.v[k];
                if (a->kind == PY_List || a->kind == PY_Tuple) {
                    for (int j = 0; j < a->list.elts.n; j++)
                        if (ast_terminal_name(a->list.elts.v[j]) && strcmp(ast_terminal_name(a->list.elts.v[j]), "AllowAny") != 0)
                            return 1;
                } else if (ident_has_word(ast_terminal_name(a), auth_decorator_words)) {
                    return 1;
                }
            }
    }
    return 0;
}

/* app-wide auth: a before_request hook, an auth middleware, or a router/app
 * created with dependencies=[Depends(auth)] that this route hangs off */
static int module_auth(const py_module *mod, const py_node *fn)
{
    const py_list *body = &mod->node->module.body;
    const py_node *route = NULL;
    for (int i = 0; i < fn->functiondef.decorator_list.n; i++) {
        const py_node *d = fn->functiondef.decorator_list.v[i];
        if (d->kind == PY_Call && d->call.func->kind == PY_Attribute) route = d;
    }
    const char *recv = route && route->call.func->attribute.value->kind == PY_Name
                           ? route->call.func->attribute.value->name.id : NULL;
    for (int i = 0; i < body->n && i < RULES_SCAN_STMTS; i++) {
        const py_node *s = body->v[i];
        if (s->kind == PY_FunctionDef || s->kind == PY_AsyncFunctionDef) {
            for (int k = 0; k < s->functiondef.decorator_list.n; k++) {
                const py_node *d = s->functiondef.decorator_list.v[k];
                const char *t = ast_terminal_name(d->kind == PY_Call ? d->call.func : d);
                if (t && (strcmp(t, "before_request") == 0 || strcmp(t, "before_app_request") == 0 ||
                          strcmp(t, "middleware") == 0))
                    return 1;
            }
        } else if (s->kind == PY_Expr && s->expr.value->kind == PY_Call) {
            const py_node *call = s->expr.value;
            const char *m = ast_call_method(call);
            if (m && strcmp(m, "add_middleware") == 0) {
                const char *t = ast_terminal_name(ast_call_arg(call, 0, NULL));
                if (t && ident_has_word(t, auth_decorator_words)) return 1;
            }
            if (m && strcmp(m, "before_request") == 0) return 1;
        } else if (s->kind == PY_Assign && recv && s->assign.targets.n == 1 &&
                   s->assign.targets.v[0]->kind == PY_Name && s->assign.targets.v[0]->name.id == recv &&
                   s->assign.value->kind == PY_Call) {
            if (depends_authlike(ast_call_kw(s->assign.value, "dependencies"), 0)) return 1;
        }
    }
    return 0;
}

int rules_route_auth(const py_module *mod, const py_node *fn)
{
    if (decorated_auth(&fn->functiondef.decorator_list)) return ROUTE_AUTH_DECORATOR;
    if (params_authlike(fn)) return ROUTE_AUTH_DEPENDENCY;
    if (body_checks_auth(&fn->functiondef.body)) return ROUTE_AUTH_BODY;
    if (module_auth(mod, fn)) return ROUTE_AUTH_APP;
    return ROUTE_AUTH_NONE;
}

int rules_route_privileged(const char *path, const char *name)
{
    return privileged_path(path) || ident_has_word(name, priv_words);
}

static void check_route(rule_ctx *c, const py_node *fn)
{
    if (!sema_is_route_handler(fn, c->frameworks)) return;
    const char *path = sema_route_path(fn);
    int priv = rules_route_privileged(path, fn->functiondef.name);
    if (!priv) return;
    if (rules_route_auth(c->mod, fn)) return;
    /* methods of a class view are judged with the class */
    if (fn->parent && fn->parent->kind == PY_ClassDef) return;
    finding *fd = rule_report(c, "VG201", fn, "privileged route %s%s%s has no authentication check",
                              path ? "\"" : "", path ? path : fn->functiondef.name, path ? "\"" : "");
    /* a view with no route in this file (Django's urls.py, a router): the
     * URL configuration may wrap it in the check */
    if (fd && !path) {
        fd->tier = TIER_REVIEW;
        fd->tier_why = "the view's route is declared elsewhere, where the check may be added";
    }
}

int rules_class_view_auth(const py_node *cls)
{
    for (int i = 0; i < cls->classdef.bases.n; i++) {
        const char *t = ast_terminal_name(cls->classdef.bases.v[i]);
        if (t && (ident_has_word(t, auth_decorator_words) || strstr(t, "UserPassesTest"))) return 1;
    }
    if (decorated_auth(&cls->classdef.decorator_list)) return 1;
    for (int i = 0; i < cls->classdef.body.n; i++) {
        const py_node *s = cls->classdef.body.v[i];
        if (s->kind != PY_Assign || s->assign.targets.n != 1 || s->assign.targets.v[0]->kind != PY_Name) continue;
        const char *id = s->assign.targets.v[0]->name.id;
        if (strcmp(id, "permission_classes") == 0 || strcmp(id, "permission_required") == 0) {
            const py_node *v = s->assign.value;
            int allow_any = 0;
            if (v->kind == PY_List || v->kind == PY_Tuple)
                for (int k = 0; k < v->list.elts.n; k++)
                    if (ast_terminal_name(v->list.elts.v[k]) && strcmp(ast_terminal_name(v->list.elts.v[k]), "AllowAny") == 0)
                        allow_any = 1;
            if (!allow_any) return 1;
        }
    }
    return 0;
}

static void check_class_view(rule_ctx *c, const py_node *cls)
{
    if (!(c->frameworks & (SEMA_FW_DJANGO | SEMA_FW_DRF))) return;
    int view = 0;
    for (int i = 0; i < cls->classdef.bases.n; i++) {
        const char *t = ast_terminal_name(cls->classdef.bases.v[i]);
        if (t && (sema_class_base(t) & SEMA_CLASS_VIEW)) view = 1;
    }
    if (!view || !ident_has_word(cls->classdef.name, priv_words)) return;
    if (rules_class_view_auth(cls)) return;
    finding *fd = rule_report(c, "VG201", cls, "privileged view %s has no authentication or permission check",
                              cls->classdef.name);
    if (fd) { /* urls.py or an inherited mixin may add it */
        fd->tier = TIER_REVIEW;
        fd->tier_why = "a class-based view: its URL configuration or a base class may add the check";
    }
}

static void check_starlette_route(rule_ctx *c, const py_node *call, const char *q)
{
    if (!q || strcmp(q, "starlette.routing.Route") != 0) return;
    const char *path = ast_const_str(ast_call_arg(call, 0, "path"));
    if (!privileged_path(path)) return;
    const py_node *ep = ast_call_arg(call, 1, "endpoint");
    if (!ep || ep->kind != PY_Name) return;
    const py_list *body = &c->mod->node->module.body;
    for (int i = 0; i < body->n && i < RULES_SCAN_STMTS; i++) {
        const py_node *s = body->v[i];
        if ((s->kind == PY_FunctionDef || s->kind == PY_AsyncFunctionDef) && s->functiondef.name == ep->name.id) {
            if (decorated_auth(&s->functiondef.decorator_list) || body_checks_auth(&s->functiondef.body)) return;
            rule_report(c, "VG201", call, "privileged route \"%s\" has no authentication check", path);
            return;
        }
    }
}

/* --- JWT ------------------------------------------------------------------- */

static int dict_get_false(const py_node *d, const char *key)
{
    if (!d || d->kind != PY_Dict) return 0;
    for (int i = 0; i < d->dict.keys.n; i++) {
        const char *k = ast_const_str(d->dict.keys.v[i]);
        if (k && strcmp(k, key) == 0 && is_false(d->dict.values.v[i])) return 1;
    }
    return 0;
}

static int has_none_alg(const py_node *v)
{
    const char *s = ast_const_str(v);
    if (s) return strcasecmp(s, "none") == 0;
    if (v && (v->kind == PY_List || v->kind == PY_Tuple))
        for (int i = 0; i < v->list.elts.n; i++)
            if (has_none_alg(v->list.elts.v[i])) return 1;
    return 0;
}

static const py_node *local_dict(rule_ctx *c, const py_node *e)
{
    if (!e || e->kind != PY_Name) return e;
    const py_node *fn = resolve_function_of(e);
    const py_list *body = !fn ? &c->mod->node->module.body : fn->kind != PY_Lambda ? &fn->functiondef.body : NULL;
    return body ? block_last_assign(c, body, e, NULL) : e;
}

static void check_jwt_key(rule_ctx *c, const py_node *call, const char *q)
{
    const py_node *key = ast_call_arg(call, 1, "key");
    const py_node *lit = NULL;
    if (ast_const_str(key) && key->constant.len) lit = key;
    else if (key && key->kind == PY_Name && module_const_str(c, key->name.id) && *module_const_str(c, key->name.id)) {
        for (size_t i = 0; i < c->nmc; i++)
            if (c->mc_names[i] == key->name.id) lit = c->mc_values[i];
    }
    if (!lit) return;
    finding *fd = rule_report(c, "VG204", call, "%s with a hard-coded key", q);
    if (lit == key) rule_mask_const(c, fd, lit);
}

static void check_jwt(rule_ctx *c, const py_node *call, const char *q)
{
    static const char *const decoders[] = {"jwt.decode", "jose.jwt.decode", "jwt.api_jwt.decode", "jwt.PyJWT.decode", NULL};
    static const char *const encoders[] = {"jwt.encode", "jose.jwt.encode", "jwt.api_jwt.encode", "jwt.PyJWT.encode", NULL};
    if (str_in(q, decoders)) {
        const py_node *opts = ast_call_kw(call, "options");
        if (is_false(ast_call_kw(call, "verify")) || dict_get_false(opts, "verify_signature") ||
            has_none_alg(ast_call_kw(call, "algorithms")) || has_none_alg(ast_call_kw(call, "algorithm")))
            rule_report(c, "VG202", call, "%s without signature verification", q);
        else if (dict_get_false(opts, "verify_exp"))
            rule_report(c, "VG203", call, "%s with expiry checks off", q);
        check_jwt_key(c, call, q);
    } else if (str_in(q, encoders)) {
        const py_node *payload = local_dict(c, ast_call_arg(call, 0, "payload"));
        if (payload && payload->kind == PY_Dict) {
            int exp = 0, splat = 0;
            for (int i = 0; i < payload->dict.keys.n; i++) {
                if (!payload->dict.keys.v[i]) splat = 1;
                const char *k = ast_const_str(payload->dict.keys.v[i]);
                if (k && strcmp(k, "exp") == 0) exp = 1;
            }
            if (!exp && !splat) rule_report(c, "VG203", call, "JWT encoded without an \"exp\" claim");
        }
        if (has_none_alg(ast_call_kw(call, "algorithm")))
            rule_report(c, "VG202", call, "JWT signed with the \"none\" algorithm");
        check_jwt_key(c, call, q);
    }
}

/* --- VG205 ----------------------------------------------------------------- */

static const char *const secret_cmp_words[] = {
    "secret", "signature", "hmac", "apikey", "password", "passwd", "pwd", "csrf", "otp",
    "passphrase", "secretkey", NULL,
};
static const char *const not_secret_words[] = {
    "type", "types", "count", "len", "length", "name", "names", "id", "ids", "url", "uri", "kind",
    "expiry", "expires", "expiration", "ttl", "index", "idx", "size", "version", "format", "algorithm",
    "alg", "method", "header", "prefix", "mode", "status", "state", "scheme", "field", "pos", "line",
    "col", "start", "end", "text", "value", "values", "str", "char", "class", "num", "number", "max",
    "min", "limit", "usage", "budget", "offset", "char", NULL,
};

static int secretish(rule_ctx *c, const py_node *e)
{
    if (!e || is_literal(c, e)) return 0;
    if (e->kind == PY_Call) {
        const char *m = ast_call_method(e);
        if (m && (strcmp(m, "hexdigest") == 0 || strcmp(m, "digest") == 0)) {
            /* an HMAC, not a checksum: hmac.new(...).hexdigest() */
            const char *q = resolve_name(c->res, e->call.func);
            return q && str_has_prefix(q, "hmac.");
        }
        if (!m || strcmp(m, "get") != 0) return 0; /* headers.get("X-Signature") */
    }
    const char *t = ast_terminal_name(e);
    if (!t || ident_has_word(t, not_secret_words)) return 0;
    return ident_has_word(t, secret_cmp_words) || token_is_credential(c, t);
}

static int all_caps_name(const char *t)
{
    int letters = 0;
    for (; t && *t; t++) {
        if (*t >= 'a' && *t <= 'z') return 0;
        if (*t >= 'A' && *t <= 'Z') letters++;
    }
    return letters >= 2;
}

static int comparable(rule_ctx *c, const py_node *e)
{
    if (!e || is_literal(c, e) || is_none(e)) return 0;
    /* signal.SIGTERM, tokenize.NAME: constants */
    if ((e->kind == PY_Attribute || e->kind == PY_Name) && all_caps_name(ast_terminal_name(e))) return 0;
    if (e->kind == PY_Call) {
        const char *m = ast_call_method(e);
        static const char *const nonsecret[] = {"len", "type", "isinstance", "bool", "int", "count", NULL};
        if (m && str_in(m, nonsecret)) return 0;
    }
    return 1;
}

static void check_compare(rule_ctx *c, const py_node *n)
{
    if (n->compare.comparators.n != 1) return;
    if (n->compare.ops[0] != PY_Eq && n->compare.ops[0] != PY_NotEq) return;
    const py_node *l = n->compare.left, *r = n->compare.comparators.v[0];
    if (!comparable(c, l) || !comparable(c, r)) return;
    if (!secretish(c, l) && !secretish(c, r)) return;
    if (c->f->test_file) return;
    /* self.password == other.password: object equality, not a check */
    const char *tl = ast_terminal_name(l), *tr = ast_terminal_name(r);
    if (tl && tr && strcmp(tl, tr) == 0 && l->kind == PY_Attribute && r->kind == PY_Attribute) return;
    /* data["password"] != data["confirm"]: two fields of one object */
    if ((l->kind == PY_Attribute || l->kind == PY_Subscript) && l->kind == r->kind) {
        const py_node *bl = l->kind == PY_Attribute ? l->attribute.value : l->subscript.value;
        const py_node *br = r->kind == PY_Attribute ? r->attribute.value : r->subscript.value;
        char a[128], b[128];
        if (ast_dotted_name(bl, a, sizeof a) && ast_dotted_name(br, b, sizeof b) && strcmp(a, b) == 0) return;
    }
    const py_node *fn = resolve_function_of(n);
    if (fn && fn->kind != PY_Lambda && (strcmp(fn->functiondef.name, "__eq__") == 0 || strcmp(fn->functiondef.name, "__ne__") == 0))
        return;
    rule_report(c, "VG205", n, "secret compared with %s; use hmac.compare_digest",
                n->compare.ops[0] == PY_Eq ? "==" : "!=");
}

void auth_visit(rule_ctx *c, py_node *n)
{
    switch (n->kind) {
    case PY_FunctionDef: case PY_AsyncFunctionDef:
        if (c->web) check_route(c, n);
        break;
    case PY_ClassDef:
        if (c->web) check_class_view(c, n);
        break;
    case PY_Call: {
        const char *q = call_qual(c, n);
        if (!q) break;
        check_jwt(c, n, q);
        if (c->web) check_starlette_route(c, n, q);
        break;
    }
    case PY_Compare:
        check_compare(c, n);
        break;
    default:
        break;
    }
}
