/* threat.c - the elements and flows of the threat model (threat.h), read
 * from each Python file of the application: routes through python/sema
 * and the auth check VG201 looks for (rules_route_auth), data stores,
 * HTTP, queues and subprocesses by the calls of threat.def, LLM calls by
 * the LLM sources of taint, secrets by the environment reads and the
 * settings a module writes.  A call in a route handler (or in a function
 * of the same module the handler calls) is a flow from that route; any
 * other is a flow from the application.  The STRIDE part is threat_stride.c.
 */
#include "threat.h"
#include "threat_int.h"

#include "../core/arena.h"
#include "../core/buf.h"
#include "../core/fsutil.h"
#include "../core/intern.h"
#include "../core/limits.h"
#include "../core/xalloc.h"
#include "../deps/manifest.h"
#include "../git/git.h"
#include "../python/parse.h"
#include "../python/resolve.h"
#include "../python/sema.h"
#include "../rules/rules.h"
#include "../taint/tables.h"
#include "../walk/walk.h"
#include "fclass.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the model's records ----------------------------------------------------- */

void threat_init(tm_model *m)
{
    memset(m, 0, sizeof *m);
    m->pending = xcalloc(1, sizeof *m->pending);
}

void tm_element_clear(tm_element *e)
{
    free(e->id);
    free(e->name);
    str_list_free(&e->sites);
    str_list_free(&e->attrs);
    str_list_free(&e->models);
    str_list_free(&e->data);
    str_list_free(&e->calls);
    for (size_t i = 0; i < e->nparams; i++) {
        free(e->params[i].name);
        free(e->params[i].in);
        free(e->params[i].validation);
    }
    free(e->params);
    free(e->path);
    free(e->methods);
    free(e->handler);
    free(e->auth_how);
    free(e->file);
    memset(e, 0, sizeof *e);
}

void threat_free(tm_model *m)
{
    for (size_t i = 0; i < m->nel; i++) tm_element_clear(&m->el[i]);
    free(m->el);
    for (size_t i = 0; i < m->nfl; i++) {
        free(m->fl[i].from);
        free(m->fl[i].to);
        free(m->fl[i].label);
    }
    free(m->fl);
    for (size_t i = 0; i < m->nth; i++) {
        free(m->th[i].id);
        free(m->th[i].element);
        free(m->th[i].title);
        free(m->th[i].fix);
        str_list_free(&m->th[i].evidence);
    }
    free(m->th);
    if (m->pending) {
        tm_pending *p = m->pending;
        for (size_t i = 0; i < p->nviews; i++) {
            tm_element_clear(&p->views[i].el);
            free(p->views[i].module);
            free(p->views[i].name);
            str_list_free(&p->views[i].flows);
        }
        free(p->views);
        for (size_t i = 0; i < p->nurls; i++) {
            free(p->urls[i].path);
            free(p->urls[i].view);
            free(p->urls[i].site);
        }
        free(p->urls);
        str_list_free(&p->helpers);
        free(p);
    }
    memset(m, 0, sizeof *m);
}

/* Set attribute key once: the first file that says it wins (files come
 * in a sorted order, so the model does not depend on the walk). */
void tm_attr(tm_element *e, const char *key, const char *value)
{
    if (!value || threat_attr(e, key)) return;
    str_list_add(&e->attrs, key);
    str_list_add(&e->attrs, value);
}

static const char *boundary_of(tm_kind k, const char *type)
{
    switch (k) {
    case TM_ACTOR: return "internet";
    case TM_ENTRY: case TM_SECRET: return "application";
    case TM_PROCESS: return strcmp(type, "subprocess") ? "application" : "host";
    case TM_STORE: return "data";
    case TM_EXTERNAL: return "third-party";
    default: return "application";
    }
}

tm_element *tm_element_get(tm_model *m, const char *id, tm_kind kind, const char *type,
                           const char *name)
{
    for (size_t i = 0; i < m->nel; i++)
        if (!strcmp(m->el[i].id, id)) return &m->el[i];
    if (m->nel >= THREAT_MAX_ELEMENTS) return NULL;
    XGROW(m->el, m->capel, m->nel + 1);
    tm_element *e = &m->el[m->nel++];
    memset(e, 0, sizeof *e);
    e->id = xstrdup(id);
    e->kind = kind;
    e->type = type;
    e->name = xstrdup(name);
    e->boundary = boundary_of(kind, type);
    e->auth = -1;
    return e;
}

void tm_site(tm_element *e, const char *path, int line)
{
    char s[1200];
    snprintf(s, sizeof s, "%s:%d", path, line);
    if (!str_list_has(&e->sites, s)) str_list_add(&e->sites, s);
    if (!e->file) {
        e->file = xstrdup(path);
        e->line = e->end_line = line;
    }
}

void tm_flow_add(tm_model *m, const char *from, const char *to, const char *label)
{
    for (size_t i = 0; i < m->nfl; i++)
        if (!strcmp(m->fl[i].from, from) && !strcmp(m->fl[i].to, to) &&
            !strcmp(m->fl[i].label, label))
            return;
    if (m->nfl >= THREAT_MAX_FLOWS) return;
    XGROW(m->fl, m->capfl, m->nfl + 1);
    tm_flow *f = &m->fl[m->nfl++];
    f->from = xstrdup(from);
    f->to = xstrdup(to);
    f->label = xstrdup(label);
    f->crosses = 0;
}

static void param_add(tm_element *e, const char *name, const char *in, const char *validation)
{
    for (size_t i = 0; i < e->nparams; i++)
        if (!strcmp(e->params[i].name, name) && !strcmp(e->params[i].in, in)) {
            if (!*e->params[i].validation && *validation) {
                free(e->params[i].validation);
                e->params[i].validation = xstrdup(validation);
            }
            return;
        }
    if (e->nparams >= THREAT_MAX_PARAMS) return;
    XGROW(e->params, e->capparams, e->nparams + 1);
    tm_param *p = &e->params[e->nparams++];
    p->name = xstrdup(name);
    p->in = xstrdup(in);
    p->validation = xstrdup(validation);
}

/* ---- one file ---------------------------------------------------------------- */

/* The route element of handler fn, or NULL (a function that is not one). */
tm_element *tm_route_of(file_ctx *c, const py_node *fn)
{
    for (size_t i = 0; i < c->m->nel; i++) {
        tm_element *e = &c->m->el[i];
        if (e->kind == TM_ENTRY && e->file && !strcmp(e->file, c->path) && e->line == fn->lineno)
            return e;
    }
    return NULL;
}

/* Where the flows of a call inside fn come from: its route, else (a
 * helper) recorded for the handlers that call it, else the application. */
void tm_flow_from(file_ctx *c, const py_node *at, const char *to, const char *label)
{
    const py_node *fn = resolve_function_of(at);
    while (fn && fn->kind == PY_Lambda) fn = resolve_function_of(fn);
    tm_element *r = fn ? tm_route_of(c, fn) : NULL;
    if (r) {
        tm_flow_add(c->m, r->id, to, label);
        if (strncmp(to, "secret:", 7)) r->outbound |= !strncmp(to, "llm:", 4) || !strncmp(to, "http:", 5);
        return;
    }
    tm_pending_view *v = fn ? tm_pending_view_of(c->m, c->path, fn->lineno) : NULL;
    if (!v && fn && fn->parent && fn->parent->kind == PY_ClassDef)
        v = tm_pending_view_of(c->m, c->path, fn->parent->lineno);
    if (v) {
        char *s = xasprintf("%s\t%s", to, label);
        if (!str_list_has(&v->flows, s)) str_list_add(&v->flows, s);
        free(s);
        return;
    }
    if (fn && fn->kind != PY_Lambda) {
        char *s = xasprintf("%s\t%s\t%s", fn->functiondef.name, to, label);
        if (!str_list_has(&c->helper_flows, s)) str_list_add(&c->helper_flows, s);
        free(s);
        return;
    }
    tm_element *app = tm_element_get(c->m, "app", TM_PROCESS, "application", "application");
    if (app) tm_flow_add(c->m, "app", to, label);
}

/* ---- routes ---- */

static const char *param_in(const char *attr)
{
    static const char *const map[][2] = {
        {"args", "query"},       {"GET", "query"},     {"query_params", "query"},
        {"values", "query"},     {"form", "form"},     {"POST", "form"},
        {"json", "json"},        {"get_json", "json"}, {"data", "body"},
        {"get_data", "body"},
        {"body", "body"},        {"files", "files"},   {"FILES", "files"},
        {"headers", "headers"},  {"META", "headers"},  {"cookies", "cookies"},
        {"COOKIES", "cookies"},  {"view_args", "path"}, {"path_params", "path"},
    };
    for (size_t i = 0; i < sizeof map / sizeof *map; i++)
        if (!strcmp(map[i][0], attr)) return map[i][1];
    return NULL;
}

/* The conversion or schema check around a read of request data. */
static const char *validation_of(const py_node *read)
{
    const py_node *p = read->parent;
    if (!p || p->kind != PY_Call) return "";
    const char *t = ast_terminal_name(p->call.func);
    static const char *const conv[] = {"int", "float", "bool", "UUID", "Decimal", "fromisoformat",
                                       NULL};
    static const char *const schema[] = {"validate", "load", "parse_obj", "model_validate",
                                         "parse_raw", "model_validate_json", "is_valid", NULL};
    for (int i = 0; t && conv[i]; i++)
        if (!strcmp(t, conv[i])) return !strcmp(t, "int") ? "int()" : !strcmp(t, "float") ? "float()"
                                                                                        : "converted";
    /* yaml.load, json.loads, pickle.load read data; they check nothing */
    static const char *const readers[] = {"yaml", "json", "pickle", "marshal", "dill", "toml",
                                          "tomllib", "ujson", "orjson", "jsonpickle", NULL};
    const py_node *f = p->call.func;
    if (f->kind == PY_Attribute && f->attribute.value->kind == PY_Name)
        for (int i = 0; readers[i]; i++)
            if (!strcmp(f->attribute.value->name.id, readers[i])) return "";
    for (int i = 0; t && schema[i]; i++)
        if (!strcmp(t, schema[i])) return "schema";
    return "";
}

typedef struct read_ctx {
    file_ctx *c;
    tm_element *e;
} read_ctx;

/* request.<attr>["x"], request.<attr>.get("x"), request.json, request.get_json() */
static int visit_reads(py_node *n, void *ud)
{
    read_ctx *rc = ud;
    const py_node *obj = NULL, *key = NULL, *whole = NULL;
    const char *attr = NULL;
    if (n->kind == PY_Subscript && n->subscript.value->kind == PY_Attribute) {
        obj = n->subscript.value;
        key = n->subscript.slice;
    } else if (n->kind == PY_Call && n->call.func->kind == PY_Attribute) {
        const char *m = n->call.func->attribute.attr;
        const py_node *recv = n->call.func->attribute.value;
        if ((!strcmp(m, "get") || !strcmp(m, "getlist")) && recv->kind == PY_Attribute) {
            obj = recv;
            key = ast_call_arg(n, 0, NULL);
        } else if ((!strcmp(m, "get_json") || !strcmp(m, "get_data")) &&
                   sema_is_request_expr(recv, rc->c->fw | SEMA_FW_FLASK)) {
            whole = n;
            attr = m;
        }
    } else if (n->kind == PY_Attribute && param_in(n->attribute.attr) &&
               sema_is_request_expr(n->attribute.value, rc->c->fw | SEMA_FW_FLASK) && n->parent &&
               !(n->parent->kind == PY_Subscript && n->parent->subscript.value == n) &&
               n->parent->kind != PY_Attribute) {
        /* the whole of request.json, request.data, dict(request.args) */
        whole = n;
        attr = n->attribute.attr;
    }
    if (obj && sema_is_request_expr(obj->attribute.value, rc->c->fw | SEMA_FW_FLASK)) {
        const char *in = param_in(obj->attribute.attr);
        const char *name = ast_const_str(key);
        if (in) param_add(rc->e, name ? name : "*", in, validation_of(n));
    } else if (whole) {
        param_add(rc->e, "*", param_in(attr), validation_of(whole));
    }
    return AST_CONTINUE;
}

static int visit_names(py_node *n, void *ud)
{
    str_list *l = ud;
    const char *m = n->kind == PY_Call ? ast_call_method(n) : NULL;
    if (m && l->n < THREAT_MAX_PARAMS && !str_list_has(l, m)) str_list_add(l, m);
    return AST_CONTINUE;
}

static int visit_logs(py_node *n, void *ud)
{
    int *logs = ud;
    if (n->kind != PY_Call) return AST_CONTINUE;
    char d[256];
    if (!ast_dotted_name(n->call.func, d, sizeof d)) return AST_CONTINUE;
    if (!strncmp(d, "logging.", 8) || !strncmp(d, "logger.", 7) || !strncmp(d, "log.", 4) ||
        strstr(d, ".logger.") || strstr(d, "audit")) {
        *logs = 1;
        return AST_STOP;
    }
    return AST_CONTINUE;
}

/* Does the handler change state: .save(), .delete(), .create(), .update(),
 * .commit(), .bulk_create()? */
static int visit_writes(py_node *n, void *ud)
{
    int *w = ud;
    static const char *const any[] = {"save", "commit", "bulk_create", "insert_one", "delete_one",
                                      "update_one", NULL};
    static const char *const orm[] = {"delete", "create", "update", "get_or_create", NULL};
    const char *m = n->kind == PY_Call && n->call.func->kind == PY_Attribute ? ast_call_method(n) : NULL;
    for (int i = 0; m && any[i]; i++)
        if (!strcmp(m, any[i])) *w = 1;
    /* delete/create/update of a queryset: Model.objects.x() or Model.objects.filter().x() */
    const py_node *recv = m ? n->call.func->attribute.value : NULL;
    while (recv && recv->kind == PY_Call && recv->call.func->kind == PY_Attribute)
        recv = recv->call.func->attribute.value;
    int qs = recv && recv->kind == PY_Attribute && !strcmp(recv->attribute.attr, "objects");
    for (int i = 0; qs && orm[i]; i++)
        if (!strcmp(m, orm[i])) *w = 1;
    return *w ? AST_STOP : AST_CONTINUE;
}

static int limited(const py_node *fn)
{
    char d[256];
    for (int i = 0; i < fn->functiondef.decorator_list.n; i++) {
        const py_node *x = fn->functiondef.decorator_list.v[i];
        if (x->kind == PY_Call) x = x->call.func;
        if (ast_dotted_name(x, d, sizeof d) && (strstr(d, "limit") || strstr(d, "throttle")))
            return 1;
    }
    return 0;
}

static int is_primitive(const char *t)
{
    static const char *const p[] = {"int", "float", "bool", "str", "bytes", "UUID", "date",
                                    "datetime", "Decimal", "EmailStr", "HttpUrl", NULL};
    for (int i = 0; p[i]; i++)
        if (!strcmp(p[i], t)) return 1;
    return 0;
}

/* Path parameters: Flask <int:uid>, FastAPI {item_id}, Django <int:pk>. */
static void path_params(tm_element *e, const char *path, const py_node *fn)
{
    for (const char *p = path; p && *p; p++) {
        char close = *p == '<' ? '>' : *p == '{' ? '}' : 0;
        if (!close) continue;
        const char *q = strchr(p, close);
        if (!q || q - p > 100) break;
        char inner[128];
        memcpy(inner, p + 1, (size_t)(q - p - 1));
        inner[q - p - 1] = 0;
        char *colon = strchr(inner, ':');
        const char *name = colon ? colon + 1 : inner;
        char how[160] = "";
        if (colon) {
            *colon = 0;
            if (strcmp(inner, "string") && strcmp(inner, "str") && strcmp(inner, "path"))
                snprintf(how, sizeof how, "%s converter", inner);
        }
        /* FastAPI: the handler's annotation of the same name */
        const py_node *a = fn ? fn->functiondef.args : NULL;
        for (int i = 0; a && !*how && i < a->arguments.args.n; i++) {
            const py_node *arg = a->arguments.args.v[i];
            const char *t = ast_terminal_name(arg->arg.annotation);
            if (!strcmp(arg->arg.arg, name) && t && strcmp(t, "str"))
                snprintf(how, sizeof how, "typed %s", t);
        }
        param_add(e, name, "path", how);
        p = q;
    }
}

/* Handler parameters that are the client's (FastAPI style): not self, the
 * request, injected dependencies or the path's. */
static void handler_params(file_ctx *c, tm_element *e, const py_node *fn)
{
    if (!(c->fw & (SEMA_FW_FASTAPI | SEMA_FW_LITESTAR | SEMA_FW_SANIC))) return;
    const py_node *a = fn->functiondef.args;
    if (!a) return;
    int nargs = a->arguments.args.n, nd = a->arguments.defaults.n;
    for (int i = 0; i < nargs; i++) {
        const py_node *arg = a->arguments.args.v[i];
        const char *name = arg->arg.arg;
        const char *t = ast_terminal_name(arg->arg.annotation);
        const py_node *dflt = i >= nargs - nd ? a->arguments.defaults.v[i - (nargs - nd)] : NULL;
        if (!strcmp(name, "self") || sema_is_request_name(name) || (t && sema_is_request_type(t)))
            continue;
        if (dflt && dflt->kind == PY_Call && sema_is_dependency(ast_call_method(dflt))) continue;
        if (t && (!strcmp(t, "Session") || !strcmp(t, "AsyncSession") ||
                  !strcmp(t, "BackgroundTasks") || !strcmp(t, "Response")))
            continue;
        int in_path = 0;
        for (size_t k = 0; k < e->nparams; k++)
            if (!strcmp(e->params[k].name, name) && !strcmp(e->params[k].in, "path")) in_path = 1;
        if (in_path) continue;
        char how[160] = "";
        const char *in = "query";
        if (t && !is_primitive(t) && strcmp(t, "Optional") && strcmp(t, "list") && strcmp(t, "List")) {
            snprintf(how, sizeof how, "schema %s", t);
            in = "body";
        } else if (t && strcmp(t, "str")) {
            snprintf(how, sizeof how, "typed %s", t);
        }
        param_add(e, name, in, how);
    }
}

static void route_facts(file_ctx *c, tm_element *e, const py_node *fn)
{
    e->handler = xstrdup(fn->functiondef.name);
    e->line = fn->lineno;
    e->end_line = fn->end_lineno;
    free(e->file);
    e->file = xstrdup(c->path);
    e->auth = rules_route_auth(c->mod, fn);
    static const char *const how[] = {"none", "decorator", "auth dependency",
                                      "check in the handler", "app-wide hook in the module"};
    const char *h = e->auth >= 0 && e->auth <= ROUTE_AUTH_APP ? how[e->auth] : "none";
    if (e->auth == ROUTE_AUTH_DECORATOR) {
        char d[200] = "";
        for (int i = 0; i < fn->functiondef.decorator_list.n; i++) {
            const py_node *x = fn->functiondef.decorator_list.v[i];
            if (x->kind == PY_Call && sema_is_route_method(ast_call_method(x))) continue;
            if (ast_dotted_name(x->kind == PY_Call ? x->call.func : x, d, sizeof d)) break;
        }
        e->auth_how = xasprintf("decorator @%s", *d ? d : "?");
    } else {
        e->auth_how = xstrdup(h);
    }
    e->privileged = rules_route_privileged(e->path, fn->functiondef.name);
    e->writes = e->methods && (strstr(e->methods, "POST") || strstr(e->methods, "PUT") ||
                               strstr(e->methods, "PATCH") || strstr(e->methods, "DELETE"));
    ast_walk((py_node *)fn, visit_logs, &e->logs);
    for (int i = 0; i < fn->functiondef.body.n; i++) ast_walk(fn->functiondef.body.v[i], visit_names, &e->calls);
    /* Django views answer every method: what they do says whether they write */
    if (!e->writes && e->methods && !strcmp(e->methods, "ANY"))
        ast_walk((py_node *)fn, visit_writes, &e->writes);
    e->limited = limited(fn);
    path_params(e, e->path, fn);
    handler_params(c, e, fn);
    read_ctx rc = {c, e};
    for (int i = 0; i < fn->functiondef.body.n; i++) ast_walk(fn->functiondef.body.v[i], visit_reads, &rc);
}

/* The methods of a route decorator: "GET", "GET,POST", "WS". */
static char *route_methods(const py_node *d)
{
    const char *m = ast_call_method(d);
    if (!strcmp(m, "websocket")) return xstrdup("WS");
    if (strcmp(m, "route") && strcmp(m, "api_route")) {
        char up[32];
        size_t i = 0;
        for (; m[i] && i + 1 < sizeof up; i++) up[i] = (char)toupper((unsigned char)m[i]);
        up[i] = 0;
        return xstrdup(up);
    }
    const py_node *ms = ast_call_kw(d, "methods");
    if (!ms || (ms->kind != PY_List && ms->kind != PY_Tuple)) return xstrdup("GET");
    buf b;
    buf_init(&b, 0);
    for (int i = 0; i < ms->list.elts.n; i++) {
        const char *s = ast_const_str(ms->list.elts.v[i]);
        if (!s) continue;
        if (b.len) buf_putc(&b, ',');
        for (const char *p = s; *p && b.len < 64; p++) buf_putc(&b, (char)toupper((unsigned char)*p));
    }
    if (!b.len) buf_puts(&b, "GET");
    return buf_detach(&b);
}

/* A Django or DRF class-based view: its methods are the route's; its URL
 * comes from urls.py (as_view(), a router), joined in threat_finish. */
static void class_view(file_ctx *c, const py_node *cls)
{
    int view = 0;
    for (int i = 0; i < cls->classdef.bases.n; i++) {
        const char *t = ast_terminal_name(cls->classdef.bases.v[i]);
        if (t && (sema_class_base(t) & SEMA_CLASS_VIEW)) view = 1;
    }
    if (!view) return;
    tm_pending_view *v = tm_pending_view_add(c->m, c->path, cls->classdef.name);
    if (!v) return;
    tm_element *e = &v->el;
    static const char *const action[][2] = {{"list", "GET"}, {"retrieve", "GET"}, {"create", "POST"},
                                            {"update", "PUT"}, {"partial_update", "PATCH"},
                                            {"destroy", "DELETE"}};
    buf b;
    buf_init(&b, 0);
    read_ctx rc = {c, e};
    for (int i = 0; i < cls->classdef.body.n; i++) {
        const py_node *s = cls->classdef.body.v[i];
        if (s->kind != PY_FunctionDef && s->kind != PY_AsyncFunctionDef) continue;
        const char *name = s->functiondef.name, *verb = NULL;
        char up[16];
        if (sema_view_method(name) == SEMA_VIEW_HTTP) {
            size_t k = 0;
            for (; name[k] && k + 1 < sizeof up; k++) up[k] = (char)toupper((unsigned char)name[k]);
            up[k] = 0;
            verb = up;
        }
        for (size_t k = 0; !verb && k < sizeof action / sizeof *action; k++)
            if (!strcmp(name, action[k][0])) verb = action[k][1];
        if (!verb) continue;
        char mark[20];
        snprintf(mark, sizeof mark, ",%s,", verb);
        buf_putc(&b, 0);
        b.len--;
        char *have = xasprintf(",%s,", b.data ? b.data : "");
        if (!strstr(have, mark)) {
            if (b.len) buf_putc(&b, ',');
            buf_puts(&b, verb);
        }
        free(have);
        for (int j = 0; j < s->functiondef.body.n; j++) ast_walk(s->functiondef.body.v[j], visit_reads, &rc);
    }
    e->methods = b.len ? buf_detach(&b) : xstrdup("ANY");
    buf_free(&b);
    e->handler = xstrdup(cls->classdef.name);
    e->line = cls->lineno;
    e->end_line = cls->end_lineno;
    e->file = xstrdup(c->path);
    e->auth = rules_class_view_auth(cls) ? ROUTE_AUTH_DECORATOR : ROUTE_AUTH_NONE;
    e->auth_how = xstrdup(e->auth ? "view class (auth mixin, decorator or permission_classes)" : "none");
    e->privileged = rules_route_privileged(NULL, cls->classdef.name);
    e->writes = strstr(e->methods, "POST") || strstr(e->methods, "PUT") ||
                strstr(e->methods, "PATCH") || strstr(e->methods, "DELETE");
    ast_walk((py_node *)cls, visit_logs, &e->logs);
    ast_walk((py_node *)cls, visit_names, &e->calls);
    for (int i = 0; i < cls->classdef.body.n; i++) {
        const py_node *s = cls->classdef.body.v[i];
        if (s->kind == PY_Assign && s->assign.targets.n == 1 && s->assign.targets.v[0]->kind == PY_Name &&
            !strcmp(s->assign.targets.v[0]->name.id, "throttle_classes"))
            e->limited = 1;
    }
    tm_site(e, c->path, cls->lineno);
}

static tm_element *route_new(file_ctx *c, const py_node *fn, char *methods, const char *path)
{
    char *id = xasprintf("route:%s %s", methods, path);
    char *name = xasprintf("%s %s", methods, path);
    tm_element *e = tm_element_get(c->m, id, TM_ENTRY, "route", name);
    if (e && !e->handler) {
        e->methods = methods;
        methods = NULL;
        e->path = xstrdup(path);
        route_facts(c, e, fn);
        tm_site(e, c->path, fn->lineno);
        tm_flow_add(c->m, "client", id, "HTTP request");
    }
    free(methods);
    free(id);
    free(name);
    return e;
}

/* app.add_url_rule("/p", view_func=f, methods=[...]) (Flask) and
 * Route("/p", endpoint=f, methods=[...]) (Starlette): a route whose handler
 * is a function of this module. */
static void route_call(file_ctx *c, const py_node *call)
{
    const char *m = ast_call_method(call);
    const char *q = resolve_call(c->r, call);
    const py_node *fnname = NULL;
    const char *path = NULL;
    if (m && !strcmp(m, "add_url_rule") && (c->fw & SEMA_FW_FLASK)) {
        path = ast_const_str(ast_call_arg(call, 0, "rule"));
        fnname = ast_call_arg(call, 2, "view_func");
    } else if (q && (!strcmp(q, "starlette.routing.Route") || !strcmp(q, "starlette.routing.WebSocketRoute"))) {
        path = ast_const_str(ast_call_arg(call, 0, "path"));
        fnname = ast_call_arg(call, 1, "endpoint");
    }
    if (!path || !fnname || fnname->kind != PY_Name) return;
    const py_list *body = &c->mod->node->module.body;
    for (int i = 0; i < body->n && i < RULES_SCAN_STMTS; i++) {
        const py_node *s = body->v[i];
        if ((s->kind == PY_FunctionDef || s->kind == PY_AsyncFunctionDef) &&
            !strcmp(s->functiondef.name, fnname->name.id)) {
            if (tm_route_of(c, s)) return; /* a decorator said it already */
            const py_node *ms = ast_call_kw(call, "methods");
            buf b;
            buf_init(&b, 0);
            for (int k = 0; ms && (ms->kind == PY_List || ms->kind == PY_Tuple) && k < ms->list.elts.n; k++) {
                const char *x = ast_const_str(ms->list.elts.v[k]);
                if (!x) continue;
                if (b.len) buf_putc(&b, ',');
                for (const char *p = x; *p && b.len < 64; p++) buf_putc(&b, (char)toupper((unsigned char)*p));
            }
            if (!b.len) buf_puts(&b, "GET");
            route_new(c, s, buf_detach(&b), path);
            buf_free(&b);
            return;
        }
    }
}

static int visit_route_calls(py_node *n, void *ud)
{
    if (n->kind == PY_Call) route_call(ud, n);
    return AST_CONTINUE;
}

static int visit_routes(py_node *n, void *ud)
{
    file_ctx *c = ud;
    if (n->kind == PY_ClassDef && (c->fw & (SEMA_FW_DJANGO | SEMA_FW_DRF))) {
        class_view(c, n);
        return AST_SKIP; /* its methods are the view's, not function views */
    }
    if (n->kind != PY_FunctionDef && n->kind != PY_AsyncFunctionDef) return AST_CONTINUE;
    if (!sema_is_route_handler(n, c->fw)) return AST_CONTINUE;
    const py_node *d = sema_route_decorator(n);
    const char *path = sema_route_path(n);
    if (d && path) {
        route_new(c, n, route_methods(d), path);
    } else if (c->fw & (SEMA_FW_DJANGO | SEMA_FW_DRF)) {
        /* a Django view: its URL comes from a urls.py, joined in threat_finish */
        tm_pending_view *v = tm_pending_view_add(c->m, c->path, n->functiondef.name);
        if (v) {
            v->el.methods = xstrdup("ANY");
            route_facts(c, &v->el, n);
            tm_site(&v->el, c->path, n->lineno);
        }
    }
    return AST_CONTINUE;
}

/* urlpatterns = [path("admin/users/", views.delete_user), re_path(...)] */
static void django_urls(file_ctx *c)
{
    const py_list *body = &c->mod->node->module.body;
    for (int i = 0; i < body->n && i < RULES_SCAN_STMTS; i++) {
        const py_node *s = body->v[i];
        const py_node *v = NULL;
        if (s->kind == PY_Assign && s->assign.targets.n == 1 && s->assign.targets.v[0]->kind == PY_Name &&
            !strcmp(s->assign.targets.v[0]->name.id, "urlpatterns"))
            v = s->assign.value;
        else if (s->kind == PY_AugAssign && s->augassign.target->kind == PY_Name &&
                 !strcmp(s->augassign.target->name.id, "urlpatterns"))
            v = s->augassign.value;
        /* router.register("notes", NoteViewSet) */
        if (s->kind == PY_Expr && s->expr.value->kind == PY_Call && ast_call_method(s->expr.value) &&
            !strcmp(ast_call_method(s->expr.value), "register")) {
            const char *prefix = ast_const_str(ast_call_arg(s->expr.value, 0, "prefix"));
            const char *vn = ast_terminal_name(ast_call_arg(s->expr.value, 1, "viewset"));
            if (prefix && vn) {
                char *route = xasprintf("%s/", prefix);
                tm_pending_url_add(c->m, route, vn, c->path, s->lineno);
                free(route);
            }
            continue;
        }
        if (!v || (v->kind != PY_List && v->kind != PY_Tuple)) continue;
        for (int k = 0; k < v->list.elts.n; k++) {
            const py_node *call = v->list.elts.v[k];
            if (call->kind != PY_Call) continue;
            const char *m = ast_call_method(call);
            if (!m || (strcmp(m, "path") && strcmp(m, "re_path") && strcmp(m, "url"))) continue;
            const char *route = ast_const_str(ast_call_arg(call, 0, "route"));
            const py_node *view = ast_call_arg(call, 1, "view");
            if (!route || !view) continue;
            if (view->kind == PY_Call) { /* SomeView.as_view() */
                if (view->call.func->kind == PY_Attribute) view = view->call.func->attribute.value;
                else continue;
            }
            const char *vn = ast_terminal_name(view);
            if (vn) tm_pending_url_add(c->m, route, vn, c->path, call->lineno);
        }
    }
}

/* Calls in helpers (functions that are not handlers) become flows of the
 * handlers of the same module that call them; a helper no handler calls
 * is the application's. */
typedef struct helper_ctx {
    const char *fn;
    int hit;
} helper_ctx;

static int visit_calls_fn(py_node *n, void *ud)
{
    helper_ctx *h = ud;
    if (n->kind == PY_Call && ast_call_method(n) && !strcmp(ast_call_method(n), h->fn)) {
        h->hit = 1;
        return AST_STOP;
    }
    return AST_CONTINUE;
}

static void helper_flows(file_ctx *c)
{
    for (size_t i = 0; i < c->helper_flows.n; i++) {
        char *s = xstrdup(c->helper_flows.v[i]);
        char *t1 = strchr(s, '\t');
        char *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2) {
            free(s);
            continue;
        }
        *t1 = *t2 = 0;
        const char *fn = s, *to = t1 + 1, *label = t2 + 1;
        int any = 0;
        for (size_t k = 0; k < c->m->nel; k++) {
            tm_element *r = &c->m->el[k];
            if (r->kind != TM_ENTRY || !r->file || strcmp(r->file, c->path)) continue;
            /* find the handler's node again by its line */
            const py_list *body = &c->mod->node->module.body;
            for (int j = 0; j < body->n; j++) {
                py_node *st = body->v[j];
                if ((st->kind != PY_FunctionDef && st->kind != PY_AsyncFunctionDef) ||
                    st->lineno != r->line)
                    continue;
                helper_ctx h = {fn, 0};
                ast_walk(st, visit_calls_fn, &h);
                if (h.hit) {
                    tm_flow_add(c->m, r->id, to, label);
                    if (!strncmp(to, "llm:", 4)) tm_flow_add(c->m, to, r->id, "model output");
                    r->outbound |= !strncmp(to, "llm:", 4) || !strncmp(to, "http:", 5);
                    any = 1;
                }
            }
        }
        for (size_t k = 0; k < c->m->pending->nviews; k++) {
            tm_pending_view *v = &c->m->pending->views[k];
            if (strcmp(v->module, c->path)) continue;
            const py_list *body = &c->mod->node->module.body;
            for (int j = 0; j < body->n; j++) {
                py_node *st = body->v[j];
                if ((st->kind != PY_FunctionDef && st->kind != PY_AsyncFunctionDef) ||
                    st->lineno != v->el.line)
                    continue;
                helper_ctx h = {fn, 0};
                ast_walk(st, visit_calls_fn, &h);
                if (h.hit) {
                    char *fl = xasprintf("%s\t%s", to, label);
                    if (!str_list_has(&v->flows, fl)) str_list_add(&v->flows, fl);
                    free(fl);
                    if (!strncmp(to, "llm:", 4)) v->llm_output = 1;
                    any = 1;
                }
            }
        }
        if (!any) { /* perhaps a handler of another module calls it (threat_finish) */
            char *h = xasprintf("%s\t%s\t%s", fn, to, label);
            if (!str_list_has(&c->m->pending->helpers, h) && c->m->pending->helpers.n < THREAT_MAX_FLOWS)
                str_list_add(&c->m->pending->helpers, h);
            free(h);
        }
        free(s);
    }
}

static int is_py(const char *path)
{
    size_t n = strlen(path);
    return n > 3 && !strcmp(path + n - 3, ".py");
}

void threat_add_file(tm_model *m, const char *path, const char *data, size_t len)
{
    manifest_kind mk = manifest_kind_of(path);
    if ((mk != MK_REQUIREMENTS && mk != MK_PYPROJECT && mk != MK_PIPFILE && !is_py(path)) ||
        sema_is_test_path(path))
        return;
    /* the application's own code: not docs, examples, vendored copies or
     * maintainers' scripts (a manifest is read whatever its class) */
    if (is_py(path) && fclass_of(path, (const unsigned char *)data, len) != FC_CODE) return;
    if (!is_py(path)) {
        stack_of_manifest(mk, path, data, len, m->stack);
        return;
    }
    tables_init(); /* the LLM sources; before a child interner interns a name */
    interner *in = intern_new(intern_global());
    arena a;
    arena_init(&a, 0);
    diag_list errs = {0};
    py_module *mod = py_parse(&a, in, path, (const unsigned char *)data, len, &errs);
    diag_free(&errs);
    if (mod) {
        file_ctx c = {0};
        c.m = m;
        c.path = path;
        c.mod = mod;
        c.r = resolve_module(&a, in, mod, path);
        c.fw = sema_frameworks(c.r);
        stack_of_module(c.r, c.found);
        for (size_t i = 0; i < STACK_COUNT; i++) m->stack[i] |= c.found[i];
        ast_walk(mod->node, visit_routes, &c);
        ast_walk(mod->node, visit_route_calls, &c);
        django_urls(&c);
        tm_module_settings(&c);
        ast_walk(mod->node, tm_visit_calls, &c);
        helper_flows(&c);
        str_list_free(&c.helper_flows);
        str_list_free(&c.binds);
        m->files++;
    }
    arena_free(&a);
    intern_free(in);
}

/* ---- sources of files ------------------------------------------------------- */

typedef struct file_rec {
    char *path, *data;  /* data NULL: read from fs_path when its turn comes */
    char *fs_path;
    size_t len;
} file_rec;

typedef struct file_set {
    file_rec *v;
    size_t n, cap;
    const char *root; /* display root, stripped from walk paths */
} file_set;

static void set_add(file_set *s, const char *path, const char *fs_path, const char *data, size_t len)
{
    if (s->n >= THREAT_MAX_FILES) return;
    XGROW(s->v, s->cap, s->n + 1);
    file_rec *r = &s->v[s->n++];
    memset(r, 0, sizeof *r);
    r->path = xstrdup(path);
    if (fs_path) {
        r->fs_path = xstrdup(fs_path);
        return;
    }
    r->data = xmalloc(len + 1);
    memcpy(r->data, data, len);
    r->data[len] = 0;
    r->len = len;
}

static int rec_cmp(const void *a, const void *b)
{
    return strcmp(((const file_rec *)a)->path, ((const file_rec *)b)->path);
}

/* Files go in sorted by path, so that the first site of an element and
 * every first-wins attribute are the same whatever the walk order. */
static void set_feed(tm_model *m, file_set *s)
{
    if (s->n > 1) qsort(s->v, s->n, sizeof *s->v, rec_cmp);
    for (size_t i = 0; i < s->n; i++) {
        file_rec *r = &s->v[i];
        if (r->fs_path && fs_read_all(r->fs_path, VG_MAX_FILE_SIZE_DEFAULT, &r->data, &r->len))
            r->data = NULL;
        if (r->data) threat_add_file(m, r->path, r->data, r->len);
        free(r->path);
        free(r->data);
        free(r->fs_path);
    }
    free(s->v);
}

static void walk_file(void *ud, int thread, const char *path, const char *fs_path)
{
    (void)thread;
    file_set *s = ud;
    manifest_kind mk = manifest_kind_of(path);
    size_t pl = strlen(path);
    if (!(pl > 3 && !strcmp(path + pl - 3, ".py")) && mk != MK_REQUIREMENTS && mk != MK_PYPROJECT &&
        mk != MK_PIPFILE)
        return;
    size_t rl = strlen(s->root);
    const char *rel = strcmp(s->root, ".") && !strncmp(path, s->root, rl) && path[rl] == '/'
                          ? path + rl + 1 : path;
    if (!strcmp(s->root, ".") && !strncmp(rel, "./", 2)) rel += 2;
    set_add(s, rel, fs_path, NULL, 0);
}

int threat_add_tree(tm_model *m, const char *root, diag_list *d)
{
    file_set s = {0};
    char *disp = walk_display_root(root);
    s.root = disp;
    walk_opts wo = {NULL, 0, 1};
    walk_stats ws = {0};
    vg_status st = walk_root(root, &wo, walk_file, &s, &ws, d);
    set_feed(m, &s);
    free(disp);
    return st ? -1 : 0;
}

static void rev_file(void *ud, const char *path, const char *data, size_t len)
{
    file_set *s = ud;
    manifest_kind mk = manifest_kind_of(path);
    size_t pl = strlen(path);
    if (!(pl > 3 && !strcmp(path + pl - 3, ".py")) && mk != MK_REQUIREMENTS && mk != MK_PYPROJECT &&
        mk != MK_PIPFILE)
        return;
    set_add(s, path, NULL, data, len);
}

int threat_add_rev(tm_model *m, const char *root, const char *rev, diag_list *d)
{
    file_set s = {0};
    vg_status st = git_tree_files(root, rev, 0, rev_file, &s, d);
    set_feed(m, &s);
    return st ? -1 : 0;
}
