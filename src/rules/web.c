/* web.c - web applications: B201 Flask debug, B202 tar extraction, the
 * metadata of the template rows B701-B704 (calls.def), and our checks for
 * the slips AI-written web code makes: insecure cookies (VG401),
 * exception detail sent to the client (VG402), HTML built by
 * interpolation (VG403), templates built from data (VG404), CORS open to
 * any origin with credentials (VG405). */
#include "meta.h"
#include "rules.h"

#include <ctype.h>
#include <string.h>

static const rule_meta web_rules[] = {
    RULE("B201", "Flask debug mode", H, CM, CWE(489, 94, 0), "A05:2021",
         "app.run(debug=True) serves the Werkzeug debugger, which runs any Python code sent to it.",
         "Never enable debug in deployed code; read it from configuration (FLASK_DEBUG).",
         BANDIT_PLUGIN("b201_flask_debug_true") " " CWE_URL(489)),
    RULE("B202", "tarfile.extractall without a filter", H, CH, CWE(22, 0), "A01:2021",
         "TarFile.extractall writes wherever member names point (../../etc/cron.d/x, absolute "
         "paths, links). Silent when filter= is given (Python 3.12+: filter=\"data\").",
         "Pass filter=\"data\", or check every member's resolved path before extracting.",
         BANDIT_PLUGIN("b202_tarfile_unsafe_members") " " CWE_URL(22)),
    RULE("B701", "jinja2 autoescape off", H, CH, CWE(79, 94, 0), "A03:2021",
         "jinja2.Environment without autoescape (the default is off) or with autoescape=False "
         "renders variables as raw HTML.",
         "Environment(autoescape=select_autoescape()) or autoescape=True.",
         BANDIT_PLUGIN("b701_jinja2_autoescape_false") " " CWE_URL(79)),
    RULE("B702", "mako templates", M, CH, CWE(79, 80, 0), "A03:2021",
         "Mako templates do not escape by default.",
         "Use default_filters=['h'] or a template engine that escapes by default.",
         BANDIT_PLUGIN("b702_use_of_mako_templates") " " CWE_URL(79)),
    RULE("B703", "django mark_safe on a non-constant", M, CM, CWE(79, 80, 0), "A03:2021",
         "mark_safe on a value that is not a constant: if any part comes from a user it is XSS.",
         "Use format_html() or escape the parts (django.utils.html.escape).",
         BANDIT_PLUGIN("b703_django_mark_safe") " " CWE_URL(79)),
    RULE("B704", "Markup on a non-constant", M, CH, CWE(79, 0), "A03:2021",
         "markupsafe.Markup (also flask.Markup) on a non-constant marks it safe: no escaping.",
         "Use Markup.format / escape() for the variable parts.",
         BANDIT_PLUGIN("b704_markupsafe_markup_xss") " " CWE_URL(79)),
    RULE("VG401", "cookie without Secure", M, CM, CWE(614, 0), "A05:2021",
         "set_cookie without secure=True, or SESSION_COOKIE_SECURE / CSRF_COOKIE_SECURE / "
         "REMEMBER_COOKIE_SECURE = False: the browser sends the cookie over plain HTTP too.",
         "response.set_cookie(name, value, secure=True, httponly=True, samesite=\"Lax\").",
         CWE_URL(614) " " OWASP_URL("A05_2021-Security_Misconfiguration")),
    RULE("VG406", "cookie without HttpOnly", M, CM, CWE(1004, 0), "A05:2021",
         "set_cookie without httponly=True, or SESSION_COOKIE_HTTPONLY / CSRF_COOKIE_HTTPONLY = "
         "False: page scripts can read the cookie, so any XSS steals the session.",
         "response.set_cookie(name, value, secure=True, httponly=True, samesite=\"Lax\").",
         CWE_URL(1004)),
    RULE("VG407", "cookie without SameSite", L, CM, CWE(1275, 0), "A05:2021",
         "set_cookie without samesite (or samesite=None), or SESSION_COOKIE_SAMESITE = None: "
         "requests other sites make carry the cookie (cross-site request forgery).",
         "response.set_cookie(name, value, secure=True, httponly=True, samesite=\"Lax\").",
         CWE_URL(1275)),
    RULE("VG402", "exception detail sent to the client", M, CM, CWE(209, 497, 0), "A04:2021",
         "A route or an error handler (@app.errorhandler, @app.exception_handler) returns str(e), "
         "repr(e), e.args or traceback.format_exc() to the client, revealing internals (paths, "
         "queries, versions) to an attacker.",
         "Log the exception server-side (logger.exception) and return a generic message with an id.",
         CWE_URL(209)),
    RULE("VG403", "HTML built by string interpolation", M, CM, CWE(79, 0), "A03:2021",
         "HTML assembled with an f-string, % or + from non-constant parts and returned as a "
         "response (HTMLResponse, make_response, Response, HttpResponse, a Flask route's return "
         "value) is cross-site scripting unless every part is escaped.",
         "Render a template with autoescaping, or escape each value (markupsafe.escape, html.escape).",
         CWE_URL(79)),
    RULE("VG404", "template built from data (SSTI)", H, CM, CWE(1336, 94, 0), "A03:2021",
         "render_template_string / jinja2 Template / from_string with a template that is not a "
         "constant: whoever controls the template runs code on the server ({{ ''.__class__ ... }}).",
         "Keep templates constant (files); pass data as template variables.",
         CWE_URL(1336)),
    RULE("VG405", "CORS: any origin with credentials", H, CM, CWE(942, 346, 0), "A05:2021",
         "CORS allowing every origin (\"*\" or a match-all regex) together with credentials lets "
         "any web site make authenticated requests as the visitor and read the answers "
         "(Starlette and flask-cors reflect the caller's Origin in that case).",
         "List the allowed origins explicitly, or drop credentials.",
         CWE_URL(942) " https://developer.mozilla.org/en-US/docs/Web/HTTP/CORS"),
};

void rules_web_register(void)
{
    rules_register_table(web_rules, sizeof web_rules / sizeof *web_rules);
}

/* --- B201, B202 ------------------------------------------------------------ */

static void check_flask_debug(rule_ctx *c, const py_node *call, const char *q)
{
    const char *m = ast_call_method(call);
    if (!m || strcmp(m, "run") != 0 || call->call.func->kind != PY_Attribute) return;
    if (!is_true(ast_call_kw(call, "debug"))) return;
    if ((q && str_has_prefix(q, "flask.")) || (c->frameworks & SEMA_FW_FLASK))
        rule_report(c, "B201", call, "Flask app run with debug=True");
}

static void check_tar(rule_ctx *c, const py_node *call, const char *q)
{
    const char *m = ast_call_method(call);
    if (!m || strcmp(m, "extractall") != 0 || call->call.func->kind != PY_Attribute) return;
    if (q ? !str_has_prefix(q, "tarfile.") : !resolve_imports(c->res, "tarfile")) return;
    if (ast_call_kw(call, "filter")) return;
    const py_node *members = ast_call_arg(call, 1, "members");
    if (!members) {
        rule_report(c, "B202", call, "tarfile extractall without filter= or members=");
    } else if (members->kind == PY_Call) {
        finding *fd = rule_report(c, "B202", call, "tarfile extractall with members chosen by a function");
        fd->severity = SEV_LOW, fd->confidence = CONF_LOW;
    } else {
        finding *fd = rule_report(c, "B202", call, "tarfile extractall with unchecked members");
        fd->severity = SEV_MEDIUM, fd->confidence = CONF_MEDIUM;
    }
}

/* --- VG401 ----------------------------------------------------------------- */

static void check_cookie(rule_ctx *c, const py_node *call)
{
    const char *m = ast_call_method(call);
    if (!c->web || !m || strcmp(m, "set_cookie") != 0 || call->call.func->kind != PY_Attribute) return;
    for (int i = 0; i < call->call.keywords.n; i++)
        if (!call->call.keywords.v[i]->keyword.arg) return; /* **options */
    const py_node *secure = ast_call_kw(call, "secure"), *httponly = ast_call_kw(call, "httponly"),
                  *samesite = ast_call_kw(call, "samesite");
    /* each missing flag is its own weakness (CWE-614, 1004, 1275) */
    if (!secure || is_false(secure)) rule_report(c, "VG401", call, "cookie set without Secure");
    if (!httponly || is_false(httponly)) rule_report(c, "VG406", call, "cookie set without HttpOnly");
    if (!samesite || is_none(samesite)) rule_report(c, "VG407", call, "cookie set without SameSite");
}

static void check_cookie_setting(rule_ctx *c, const py_node *target, const py_node *value)
{
    static const char *const secure[] = {"SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE",
                                         "REMEMBER_COOKIE_SECURE", "LANGUAGE_COOKIE_SECURE", NULL};
    static const char *const httponly[] = {"SESSION_COOKIE_HTTPONLY", "CSRF_COOKIE_HTTPONLY",
                                           "REMEMBER_COOKIE_HTTPONLY", NULL};
    static const char *const samesite[] = {"SESSION_COOKIE_SAMESITE", "CSRF_COOKIE_SAMESITE",
                                           "REMEMBER_COOKIE_SAMESITE", NULL};
    const char *name = target->kind == PY_Name ? target->name.id
                       : target->kind == PY_Subscript ? ast_const_str(target->subscript.slice) : NULL;
    const char *sv = ast_const_str(value);
    if (str_in(name, secure) && is_false(value)) rule_report(c, "VG401", target, "%s = False", name);
    if (str_in(name, httponly) && is_false(value)) rule_report(c, "VG406", target, "%s = False", name);
    if (str_in(name, samesite) && (is_none(value) || (sv && strcmp(sv, "None") == 0)))
        rule_report(c, "VG407", target, "%s = None", name);
}

/* --- VG402 ----------------------------------------------------------------- */

static int exception_detail(rule_ctx *c, const py_node *n, const char *ename, int depth)
{
    if (!n || depth > 24) return 0;
    switch (n->kind) {
    case PY_Name:
        return ename && n->name.id == ename;
    case PY_Attribute:
        return ename && n->attribute.value->kind == PY_Name && n->attribute.value->name.id == ename &&
               (strcmp(n->attribute.attr, "args") == 0 || strcmp(n->attribute.attr, "message") == 0);
    case PY_Call: {
        const char *q = call_qual(c, n);
        if (q && (strcmp(q, "traceback.format_exc") == 0 || strcmp(q, "traceback.format_exception") == 0 ||
                  strcmp(q, "traceback.format_tb") == 0))
            return 1;
        if (q && (strcmp(q, "str") == 0 || strcmp(q, "repr") == 0))
            return exception_detail(c, ast_call_arg(n, 0, NULL), ename, depth + 1);
        for (int i = 0; i < n->call.args.n; i++)
            if (exception_detail(c, n->call.args.v[i], ename, depth + 1)) return 1;
        for (int i = 0; i < n->call.keywords.n; i++)
            if (exception_detail(c, n->call.keywords.v[i]->keyword.value, ename, depth + 1)) return 1;
        return 0;
    }
    case PY_JoinedStr:
        for (int i = 0; i < n->joinedstr.values.n; i++)
            if (exception_detail(c, n->joinedstr.values.v[i], ename, depth + 1)) return 1;
        return 0;
    case PY_FormattedValue: return exception_detail(c, n->formattedvalue.value, ename, depth + 1);
    case PY_BinOp:
        return exception_detail(c, n->binop.left, ename, depth + 1) || exception_detail(c, n->binop.right, ename, depth + 1);
    case PY_Dict:
        for (int i = 0; i < n->dict.values.n; i++)
            if (exception_detail(c, n->dict.values.v[i], ename, depth + 1)) return 1;
        return 0;
    case PY_List: case PY_Tuple:
        for (int i = 0; i < n->list.elts.n; i++)
            if (exception_detail(c, n->list.elts.v[i], ename, depth + 1)) return 1;
        return 0;
    default:
        return 0;
    }
}

static const char *handler_name(const py_node *n)
{
    for (const py_node *p = n->parent; p; p = p->parent) {
        if (p->kind == PY_ExceptHandler) return p->excepthandler.name;
        if (p->kind == PY_FunctionDef || p->kind == PY_AsyncFunctionDef) return sema_error_handler_param(p);
        if (p->kind == PY_Lambda) break;
    }
    return NULL;
}

static int broad_type(const py_node *t)
{
    if (!t) return 1;
    if (t->kind == PY_Constant) return t->constant.value == PY_CONST_INT; /* a status code: 500 */
    const char *name = ast_terminal_name(t);
    return !name || strcmp(name, "Exception") == 0 || strcmp(name, "BaseException") == 0;
}

/* Is fn a registered error handler (@app.errorhandler(E), ...) of
 * specific exception types only? */
static int specific_error_handler(const py_node *fn)
{
    if (!sema_error_handler_param(fn)) return 0;
    int seen = 0;
    for (int i = 0; i < fn->functiondef.decorator_list.n; i++) {
        const py_node *d = fn->functiondef.decorator_list.v[i];
        if (d->kind != PY_Call) continue;
        for (int k = 0; k < d->call.args.n; k++) {
            if (broad_type(d->call.args.v[k])) return 0;
            seen = 1;
        }
    }
    return seen;
}

/* Does a statement of fn's body before the one holding n re-raise (or
 * return) unless the application runs in debug mode: `if not
 * settings.DEBUG: raise`?  Then the detail reaches only a developer. */
static int debug_only(const py_node *fn, const py_node *n)
{
    const py_node *stmt = n;
    while (stmt && stmt->parent != fn) stmt = stmt->parent;
    if (!stmt) return 0;
    for (int i = 0; i < fn->functiondef.body.n && fn->functiondef.body.v[i] != stmt; i++) {
        const py_node *s = fn->functiondef.body.v[i];
        if (s->kind != PY_If || s->if_.test->kind != PY_UnaryOp || s->if_.test->unaryop.op != PY_Not ||
            s->if_.body.n < 1)
            continue;
        const char *flag = ast_terminal_name(s->if_.test->unaryop.operand);
        const py_node *last = s->if_.body.v[s->if_.body.n - 1];
        if (flag && (strcmp(flag, "DEBUG") == 0 || strcmp(flag, "debug") == 0) &&
            (last->kind == PY_Raise || last->kind == PY_Return))
            return 1;
    }
    return 0;
}

/* The except clause n is in catches everything (bare, Exception,
 * BaseException): its text can be any internal error.  A handler of a
 * specific exception usually sends a message written for the client;
 * so does a registered error handler of specific exceptions, and a
 * handler that re-raises outside debug mode shows it only there. */
static int broad_handler(const py_node *n)
{
    for (const py_node *p = n->parent; p; p = p->parent) {
        if (p->kind == PY_FunctionDef || p->kind == PY_AsyncFunctionDef)
            return !specific_error_handler(p) && !debug_only(p, n);
        if (p->kind == PY_Lambda) return 1;
        if (p->kind != PY_ExceptHandler) continue;
        const py_node *t = p->excepthandler.type;
        if (!t) return 1;
        const char *name = ast_terminal_name(t);
        return name && (strcmp(name, "Exception") == 0 || strcmp(name, "BaseException") == 0);
    }
    return 1;
}

static void report_detail(rule_ctx *c, const py_node *n, const char *fmt, const char *what)
{
    finding *fd = rule_report(c, "VG402", n, fmt, what);
    if (fd && !broad_handler(n)) {
        fd->tier = TIER_REVIEW;
        fd->tier_why = "the message of a specific exception, usually written for the client";
    }
}

static const char *const response_makers[] = {
    "jsonify", "make_response", "Response", "JSONResponse", "HTMLResponse", "PlainTextResponse",
    "HttpResponse", "JsonResponse", "HttpResponseServerError", "HttpResponseBadRequest",
    "HTTPException", "abort", "render_template", "json_response", NULL,
};

static void check_exception_detail(rule_ctx *c, const py_node *n)
{
    if (!c->web) return;
    const char *ename = handler_name(n);
    if (n->kind == PY_Return) {
        const py_node *fn = resolve_function_of(n);
        if (!n->return_.value || !(sema_is_route_handler(fn, c->frameworks) || sema_error_handler_param(fn))) return;
        /* response makers inside are reported at the call */
        const py_node *v = n->return_.value;
        if (v->kind == PY_Tuple && v->list.elts.n) v = v->list.elts.v[0];
        if (v->kind == PY_Call && str_in(ast_call_method(v), response_makers)) return;
        if (exception_detail(c, n->return_.value, ename, 0))
            report_detail(c, n, "exception detail returned to the client%s", "");
        return;
    }
    /* a call: Response-like constructors and HTTP errors */
    if (!str_in(ast_call_method(n), response_makers)) return;
    for (const py_node *p = n->parent; p && !PY_IS_STMT(p->kind); p = p->parent)
        if (p->kind == PY_Call && str_in(ast_call_method(p), response_makers)) return; /* the outer one reports */
    int hit = 0;
    for (int i = 0; i < n->call.args.n && !hit; i++) hit = exception_detail(c, n->call.args.v[i], ename, 0);
    for (int i = 0; i < n->call.keywords.n && !hit; i++) {
        const char *k = n->call.keywords.v[i]->keyword.arg;
        if (k && (strcmp(k, "status_code") == 0 || strcmp(k, "status") == 0)) continue;
        hit = exception_detail(c, n->call.keywords.v[i]->keyword.value, ename, 0);
    }
    if (hit) report_detail(c, n, "exception detail sent to the client (%s)", ast_call_method(n));
}

/* --- VG403, VG404 ------------------------------------------------------------ */

static int looks_html(const char *t)
{
    for (const char *p = t; *p; p++)
        if (p[0] == '<' && (isalpha((unsigned char)p[1]) || (p[1] == '/' && isalpha((unsigned char)p[2])))) return 1;
    return 0;
}

static int html_interpolation(rule_ctx *c, const py_node *e)
{
    e = local_value(c, e);
    if (!is_interpolation(e)) return 0;
    char text[2048];
    if (!interp_text(c, e, text, sizeof text)) return 0;
    return looks_html(text) && !interp_parts_safe(c, e);
}

static void check_html_response(rule_ctx *c, const py_node *call, const char *q)
{
    static const char *const makers[] = {
        "fastapi.responses.HTMLResponse", "starlette.responses.HTMLResponse", "flask.make_response",
        "flask.Response", "werkzeug.Response", "werkzeug.wrappers.Response", "django.http.HttpResponse",
        "django.http.response.HttpResponse", "fastapi.responses.Response", "starlette.responses.Response", NULL,
    };
    if (!str_in(q, makers)) return;
    const py_node *body = ast_call_arg(call, 0, "content");
    if (!body) body = ast_call_kw(call, "response");
    if (body && html_interpolation(c, body))
        rule_report(c, "VG403", call, "HTML built by interpolation passed to %s", q);
}

static void check_route_return(rule_ctx *c, const py_node *ret)
{
    if (!ret->return_.value || !(c->frameworks & SEMA_FW_FLASK)) return;
    const py_node *fn = resolve_function_of(ret);
    if (!fn || fn->kind == PY_Lambda || !sema_route_decorator(fn)) return;
    const py_node *v = ret->return_.value;
    if (v->kind == PY_Tuple && v->list.elts.n) v = v->list.elts.v[0];
    if (html_interpolation(c, v)) rule_report(c, "VG403", ret, "route returns HTML built by interpolation");
}

static void check_ssti(rule_ctx *c, const py_node *call, const char *q)
{
    static const char *const any_nonconst[] = {"flask.render_template_string", "flask.templating.render_template_string", NULL};
    static const char *const built_only[] = {"jinja2.Template", "jinja2.Environment.from_string", "jinja2.environment.Template", NULL};
    const py_node *t = ast_call_arg(call, 0, "source");
    if (!t) return;
    int interp = is_interpolation(local_value(c, t)) && !is_literal(c, t);
    if (str_in(q, any_nonconst)) {
        if (is_literal(c, t)) return;
        finding *fd = rule_report(c, "VG404", call, "%s with a template that is not a constant", q);
        fd->confidence = interp ? CONF_HIGH : CONF_MEDIUM;
    } else if (str_in(q, built_only) && interp) {
        rule_report(c, "VG404", call, "%s with a template built from data", q)->confidence = CONF_HIGH;
    }
}

/* --- VG405 ----------------------------------------------------------------- */

static int any_origin(const py_node *v, int depth)
{
    if (!v || depth > 8) return 0;
    const char *s = ast_const_str(v);
    if (s) return strcmp(s, "*") == 0 || strcmp(s, ".*") == 0 || strcmp(s, "^.*$") == 0 || strcmp(s, ".*$") == 0;
    if (v->kind == PY_List || v->kind == PY_Tuple) {
        for (int i = 0; i < v->list.elts.n; i++)
            if (any_origin(v->list.elts.v[i], depth + 1)) return 1;
    } else if (v->kind == PY_Set) {
        for (int i = 0; i < v->set.elts.n; i++)
            if (any_origin(v->set.elts.v[i], depth + 1)) return 1;
    }
    return 0;
}

/* flask-cors resources={r"/api/...": {"origins": "*"}}: does any entry
 * allow every origin (an entry without "origins" means "*")? */
static int resources_any(const py_node *r)
{
    if (!r || r->kind != PY_Dict) return 0;
    for (int i = 0; i < r->dict.values.n; i++) {
        const py_node *opt = r->dict.values.v[i];
        if (opt->kind != PY_Dict) continue;
        int has = 0;
        for (int k = 0; k < opt->dict.keys.n; k++) {
            const char *key = ast_const_str(opt->dict.keys.v[k]);
            if (key && strcmp(key, "origins") == 0) {
                has = 1;
                if (any_origin(opt->dict.values.v[k], 0)) return 1;
            }
        }
        if (!has) return 1;
    }
    return 0;
}

static void check_cors(rule_ctx *c, const py_node *call, const char *q)
{
    static const char *const flask_cors[] = {"flask_cors.CORS", "flask_cors.cross_origin", NULL};
    if (str_in(q, flask_cors)) {
        if (!is_true(ast_call_kw(call, "supports_credentials"))) return;
        const py_node *origins = ast_call_kw(call, "origins"), *res = ast_call_kw(call, "resources");
        int any = origins ? any_origin(origins, 0) : res ? resources_any(res) : 1;
        if (any) rule_report(c, "VG405", call, "CORS allows any origin with credentials");
        return;
    }
    const py_node *mw = NULL;
    const char *m = ast_call_method(call);
    if (m && strcmp(m, "add_middleware") == 0) mw = ast_call_arg(call, 0, "middleware_class");
    else if (q && (strcmp(q, "starlette.middleware.Middleware") == 0 || strcmp(q, "fastapi.middleware.Middleware") == 0))
        mw = ast_call_arg(call, 0, "cls");
    if (!mw || !ast_terminal_name(mw) || strcmp(ast_terminal_name(mw), "CORSMiddleware") != 0) return;
    if (!is_true(ast_call_kw(call, "allow_credentials"))) return;
    if (any_origin(ast_call_kw(call, "allow_origins"), 0) || any_origin(ast_call_kw(call, "allow_origin_regex"), 0))
        rule_report(c, "VG405", call, "CORSMiddleware allows any origin with credentials");
}

static void check_cors_settings(rule_ctx *c, const py_node *assign)
{
    if (assign->parent != c->mod->node || assign->assign.targets.n != 1) return;
    const py_node *t = assign->assign.targets.v[0];
    if (t->kind != PY_Name || strcmp(t->name.id, "CORS_ALLOW_CREDENTIALS") != 0 || !is_true(assign->assign.value))
        return;
    for (size_t i = 0; i < c->nmc; i++)
        if ((strcmp(c->mc_names[i], "CORS_ALLOW_ALL_ORIGINS") == 0 || strcmp(c->mc_names[i], "CORS_ORIGIN_ALLOW_ALL") == 0) &&
            is_true(c->mc_values[i])) {
            rule_report(c, "VG405", assign, "django-cors-headers allows all origins with credentials");
            return;
        }
}

void web_visit(rule_ctx *c, py_node *n)
{
    switch (n->kind) {
    case PY_Call: {
        const char *q = call_qual(c, n);
        check_flask_debug(c, n, q);
        if (c->bandit) bandit_web_visit(c, n); /* Bandit's B202, B506, B701 */
        else check_tar(c, n, q);
        check_cookie(c, n);
        check_exception_detail(c, n);
        check_html_response(c, n, q);
        check_ssti(c, n, q);
        check_cors(c, n, q);
        break;
    }
    case PY_Return:
        check_exception_detail(c, n);
        check_route_return(c, n);
        break;
    case PY_Assign:
        for (int i = 0; i < n->assign.targets.n; i++) check_cookie_setting(c, n->assign.targets.v[i], n->assign.value);
        check_cors_settings(c, n);
        break;
    default:
        break;
    }
}
