/* threat_calls.c - the calls that make elements of the threat model:
 * data stores, outbound HTTP, subprocesses and queues by the rows of
 * threat.def, LLM calls by the LLM sources of taint, secrets by the
 * environment reads and the settings a module writes (threat.c walks
 * the file and calls tm_visit_calls and tm_module_settings). */
#include "threat.h"
#include "threat_int.h"

#include "../core/limits.h"
#include "../core/xalloc.h"
#include "../python/sema.h"
#include "../taint/tables.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- the tables ------------------------------------------------------------ */

typedef enum call_kind { CK_STORE, CK_HTTP, CK_PROC, CK_QUEUE, CK_ENV } call_kind;
static const struct call_row {
    call_kind kind;
    const char *q, *type, *what, *kw;
    int pos, shell;
} call_rows[] = {
#define STORE(q, type, engine, pos, kw) {CK_STORE, q, #type, engine, kw, pos, 0},
#define HTTP(q, client, pos, kw) {CK_HTTP, q, "http", client, kw, pos, 0},
#define PROC(q, shell) {CK_PROC, q, "subprocess", NULL, NULL, 0, shell},
#define QUEUE(q, name, pos, kw) {CK_QUEUE, q, "queue", name, kw, pos, 0},
#define ENV(q) {CK_ENV, q, "secret", NULL, NULL, 0, 0},
#include "threat.def"
};

static const struct call_row *call_row_of(const char *q)
{
    if (!q) return NULL;
    for (size_t i = 0; i < sizeof call_rows / sizeof *call_rows; i++)
        if (!strcmp(call_rows[i].q, q)) return &call_rows[i];
    return NULL;
}

/* ---- text helpers ---------------------------------------------------------- */

static int secretish(const char *name)
{
    static const char *const words[] = {"KEY", "SECRET", "TOKEN", "PASSWORD", "PASSWD", "PWD",
                                        "CREDENTIAL", "DSN", "DATABASE_URL", "AUTH", NULL};
    char up[128];
    size_t i = 0;
    for (; name[i] && i + 1 < sizeof up; i++) up[i] = (char)toupper((unsigned char)name[i]);
    up[i] = 0;
    for (int k = 0; words[k]; k++)
        if (strstr(up, words[k])) return 1;
    return 0;
}

/* A URL or DSN without its credentials (the user and password become
 * four stars: postgresql, then the stars, then @db:5432/app),
 * the query string dropped. */
char *tm_mask_url(const char *u)
{
    buf b;
    buf_init(&b, 0);
    const char *sep = strstr(u, "://");
    const char *rest = sep ? sep + 3 : u;
    if (sep) buf_append(&b, u, (size_t)(rest - u));
    const char *at = strchr(rest, '@');
    const char *slash = strchr(rest, '/');
    if (at && (!slash || at < slash)) {
        buf_puts(&b, "****");
        rest = at;
    }
    size_t n = strcspn(rest, "?# ");
    if (n > 200) n = 200;
    buf_append(&b, rest, n);
    /* key=value DSNs ("dbname=app password=x"): keep only the names */
    char *s = buf_detach(&b);
    if (!sep && strchr(s, '=')) {
        free(s);
        return xstrdup("(key=value DSN)");
    }
    return s;
}

/* The scheme of a URL ("postgresql+psycopg2://" -> "postgresql"). */
static void url_engine(const char *u, char *out, size_t cap)
{
    size_t n = strcspn(u, ":+");
    if (!strstr(u, "://") || n == 0 || n >= cap) {
        snprintf(out, cap, "%s", "unknown");
        return;
    }
    memcpy(out, u, n);
    out[n] = 0;
    if (!strcmp(out, "postgres")) snprintf(out, cap, "postgresql");
}

/* The host of a URL ("https://api.example.com/v1" -> "api.example.com"). */
static void url_host(const char *u, char *out, size_t cap)
{
    const char *p = strstr(u, "://");
    p = p ? p + 3 : u;
    const char *at = strchr(p, '@');
    const char *slash = strchr(p, '/');
    if (at && (!slash || at < slash)) p = at + 1;
    size_t n = strcspn(p, "/?#:");
    if (n >= cap) n = cap - 1;
    memcpy(out, p, n);
    out[n] = 0;
}

/* The module-level `NAME = "..."` string, or NULL. */
static const char *module_str(const file_ctx *c, const char *id)
{
    const py_list *body = &c->mod->node->module.body;
    for (int i = 0; i < body->n && i < RULES_SCAN_STMTS; i++) {
        const py_node *s = body->v[i];
        if (s->kind == PY_Assign && s->assign.targets.n == 1 &&
            s->assign.targets.v[0]->kind == PY_Name && !strcmp(s->assign.targets.v[0]->name.id, id))
            return ast_const_str(s->assign.value);
    }
    return NULL;
}

/* The name of the variable an environment read takes (os.environ["X"],
 * os.getenv("X"), os.environ.get("X", default)), or NULL. */
static const char *env_read(const file_ctx *c, const py_node *e, const py_node **deflt)
{
    if (deflt) *deflt = NULL;
    if (!e) return NULL;
    if (e->kind == PY_Subscript) {
        const struct call_row *row = call_row_of(resolve_name(c->r, e->subscript.value));
        return row && row->kind == CK_ENV ? ast_const_str(e->subscript.slice) : NULL;
    }
    if (e->kind == PY_Call) {
        const struct call_row *row = call_row_of(resolve_call(c->r, e));
        if (!row || row->kind != CK_ENV) return NULL;
        if (deflt) *deflt = ast_call_arg(e, 1, "default");
        return ast_const_str(ast_call_arg(e, 0, "key"));
    }
    return NULL;
}

/* What an expression of settings says, masked: a literal URL without its
 * credentials, "env NAME" (with its default), a module constant, or
 * "(dynamic)".  *literal: the settings are written in the source. */
static char *settings_text(const file_ctx *c, const py_node *e, int *literal)
{
    *literal = 0;
    if (!e) return NULL;
    const py_node *dflt = NULL;
    const char *env = env_read(c, e, &dflt);
    if (env) {
        const char *d = ast_const_str(dflt);
        if (d) {
            char *md = tm_mask_url(d);
            char *s = xasprintf("environment %s (default %s)", env, md);
            free(md);
            return s;
        }
        return xasprintf("environment %s", env);
    }
    const char *s = ast_const_str(e);
    if (!s && e->kind == PY_Name) s = module_str(c, e->name.id);
    if (s) {
        *literal = 1;
        return tm_mask_url(s);
    }
    if (e->kind == PY_JoinedStr) return xstrdup("(built in the code)");
    return xstrdup("(dynamic)");
}

/* The app.config["KEY"] = value / KEY = value setting of the module. */
static const py_node *module_setting(const file_ctx *c, const char *key)
{
    const py_list *body = &c->mod->node->module.body;
    for (int i = 0; i < body->n && i < RULES_SCAN_STMTS; i++) {
        const py_node *s = body->v[i];
        if (s->kind != PY_Assign || s->assign.targets.n != 1) continue;
        const py_node *t = s->assign.targets.v[0];
        if (t->kind == PY_Name && !strcmp(t->name.id, key)) return s->assign.value;
        if (t->kind == PY_Subscript && ast_const_str(t->subscript.slice) &&
            !strcmp(ast_const_str(t->subscript.slice), key))
            return s->assign.value;
    }
    return NULL;
}

/* ---- calls ---- */

static void llm_call(file_ctx *c, const py_node *call)
{
    const char *provider = NULL;
    for (size_t i = 0; i < STACK_COUNT && !provider; i++)
        if (c->found[i] && stack_rows[i].kind == STK_LLM) provider = stack_rows[i].id;
    char low[64];
    snprintf(low, sizeof low, "%s", provider ? provider : "LLM");
    for (char *p = low; *p; p++) *p = (char)tolower((unsigned char)*p);
    char id[96], name[128];
    snprintf(id, sizeof id, "llm:%s", low);
    const char *pname = "LLM API";
    for (size_t i = 0; i < STACK_COUNT; i++)
        if (provider && !strcmp(stack_rows[i].id, provider)) pname = stack_rows[i].name;
    snprintf(name, sizeof name, "%s API", pname);
    tm_element *e = tm_element_get(c->m, id, TM_EXTERNAL, "llm", name);
    if (!e) return;
    tm_site(e, c->path, call->lineno);
    tm_attr(e, "provider", pname);
    const py_node *model = ast_call_kw(call, "model");
    if (model) {
        const char *s = ast_const_str(model);
        if (!s && model->kind == PY_Name) s = module_str(c, model->name.id);
        const py_node *dflt = NULL;
        const char *env = s ? NULL : env_read(c, model, &dflt);
        char *t = s ? xstrdup(s) : env ? xasprintf("environment %s", env) : xstrdup("(dynamic)");
        if (!str_list_has(&e->models, t)) str_list_add(&e->models, t);
        free(t);
    }
    if (!ast_call_kw(call, "max_tokens") && !ast_call_kw(call, "max_output_tokens") &&
        !ast_call_kw(call, "max_completion_tokens"))
        e->no_limit = 1;
    /* what the prompt is made of: the names in messages/prompt/input */
    static const char *const kws[] = {"messages", "prompt", "input", "contents", "system", NULL};
    for (int k = 0; kws[k]; k++) {
        const py_node *arg = ast_call_kw(call, kws[k]);
        if (!arg && k == 0) arg = ast_call_arg(call, 0, NULL);
        if (arg) tm_collect_data(c, e, arg);
    }
    tm_flow_from(c, call, id, "prompt");
    /* the answer comes back to whoever asked */
    const py_node *fn = resolve_function_of(call);
    tm_element *r = fn ? tm_route_of(c, fn) : NULL;
    if (r) tm_flow_add(c->m, id, r->id, "model output");
    else {
        tm_pending_view *v = fn ? tm_pending_view_of(c->m, c->path, fn->lineno) : NULL;
        if (v) v->llm_output = 1;
    }
}

static void http_call(file_ctx *c, const py_node *call, const struct call_row *row)
{
    const py_node *u = ast_call_arg(call, row->pos, row->kw);
    const char *s = ast_const_str(u);
    if (!s && u && u->kind == PY_Name) s = module_str(c, u->name.id);
    char host[256] = "(dynamic)";
    int dynamic = !s;
    char prefix[512] = "";
    if (!s && u && u->kind == PY_JoinedStr) {
        /* the fixed start of an f-string: its text and module constants */
        size_t pl = 0;
        for (int i = 0; i < u->joinedstr.values.n && pl + 1 < sizeof prefix; i++) {
            const py_node *part = u->joinedstr.values.v[i];
            const char *t = ast_const_str(part);
            if (!t && part->kind == PY_FormattedValue && part->formattedvalue.value->kind == PY_Name)
                t = module_str(c, part->formattedvalue.value->name.id);
            if (!t) break;
            pl += (size_t)snprintf(prefix + pl, sizeof prefix - pl, "%s", t);
        }
        if (pl >= sizeof prefix) pl = sizeof prefix - 1;
        const char *sep = strstr(prefix, "://");
        /* a host that ends before the first data: only the path is chosen */
        if (sep && strchr(sep + 3, '/')) dynamic = 0;
        if (*prefix) s = prefix;
    }
    if (s && strstr(s, "://")) url_host(s, host, sizeof host);
    else if (s) dynamic = 1;
    if (!*host) snprintf(host, sizeof host, "(dynamic)");
    char id[300];
    snprintf(id, sizeof id, "http:%s", host);
    tm_element *e = tm_element_get(c->m, id, TM_EXTERNAL, "http", host);
    if (!e) return;
    tm_site(e, c->path, call->lineno);
    tm_attr(e, "client", row->what);
    if (s && strstr(s, "://")) {
        char scheme[16];
        url_engine(s, scheme, sizeof scheme);
        tm_attr(e, "scheme", scheme);
        if (!strcmp(scheme, "http") && strcmp(host, "localhost") && strcmp(host, "127.0.0.1"))
            e->plain = 1;
    }
    e->dynamic |= dynamic;
    if (!ast_call_kw(call, "timeout")) e->no_timeout = 1;
    static const char *const kws[] = {"json", "data", "params", "files", NULL};
    for (int k = 0; kws[k]; k++) {
        const py_node *arg = ast_call_kw(call, kws[k]);
        if (arg) tm_collect_data(c, e, arg);
    }
    tm_flow_from(c, call, id, "HTTPS request");
    if (e->plain) {
        for (size_t i = 0; i < c->m->nfl; i++) {
            tm_flow *f = &c->m->fl[i];
            if (!strcmp(f->to, id) && !strcmp(f->label, "HTTPS request")) {
                free(f->label);
                f->label = xstrdup("HTTP request");
            }
        }
    }
}

/* A client made at module level (engine = create_engine(...), cache =
 * redis.Redis(...)) is a name the handlers use: remember it, and the flows
 * come from the calls on it (tm_bound_use).  Made anywhere else, the call
 * itself is the use. */
static void use_or_bind(file_ctx *c, const py_node *call, const char *id, const char *label)
{
    const py_node *p = call->parent;
    if (p && p->kind == PY_Assign && p->parent && p->parent->kind == PY_Module &&
        p->assign.targets.n == 1 && p->assign.targets.v[0]->kind == PY_Name) {
        str_list_add(&c->binds, p->assign.targets.v[0]->name.id);
        str_list_add(&c->binds, id);
        str_list_add(&c->binds, label);
        return;
    }
    tm_flow_from(c, call, id, label);
}

/* A call on a bound client inside a function: cache.set(...), engine.connect(). */
static int bound_use(file_ctx *c, const py_node *call)
{
    const py_node *base = call->call.func;
    while (base->kind == PY_Attribute || base->kind == PY_Call)
        base = base->kind == PY_Attribute ? base->attribute.value : base->call.func;
    if (base->kind != PY_Name || base == call->call.func || !resolve_function_of(call)) return 0;
    for (size_t i = 0; i + 2 < c->binds.n; i += 3)
        if (!strcmp(c->binds.v[i], base->name.id)) {
            tm_flow_from(c, call, c->binds.v[i + 1], c->binds.v[i + 2]);
            return 1;
        }
    return 0;
}

static void store_call(file_ctx *c, const py_node *call, const struct call_row *row)
{
    const py_node *arg = row->kw || row->pos >= 0 ? ast_call_arg(call, row->pos, row->kw) : NULL;
    if (!arg && !strcmp(row->what, "config")) arg = module_setting(c, "SQLALCHEMY_DATABASE_URI");
    int literal = 0;
    char *settings = settings_text(c, arg, &literal);
    char engine[64];
    const char *url = ast_const_str(arg);
    const py_node *dflt = NULL;
    if (!url && arg && env_read(c, arg, &dflt)) url = ast_const_str(dflt);
    if (!url && arg && arg->kind == PY_Name) url = module_str(c, arg->name.id);
    if (!strcmp(row->what, "url") || !strcmp(row->what, "config"))
        url_engine(url ? url : "", engine, sizeof engine);
    else
        snprintf(engine, sizeof engine, "%s", row->what);
    char id[160], name[160];
    snprintf(id, sizeof id, "store:%s:%s", row->type, engine);
    snprintf(name, sizeof name, "%s (%s)", engine, row->type);
    tm_element *e = tm_element_get(c->m, id, TM_STORE, !strcmp(row->type, "cache") ? "cache"
                                                       : !strcmp(row->type, "file") ? "file"
                                                                                    : "database",
                                   name);
    if (e) {
        tm_site(e, c->path, call->lineno);
        tm_attr(e, "engine", engine);
        const char *lib = row->q;
        char top[64];
        snprintf(top, sizeof top, "%.*s", (int)strcspn(lib, "."), lib);
        tm_attr(e, "library", top);
        tm_attr(e, "settings", settings);
        /* credentials in a URL written in the code */
        if (literal && url && strchr(url, '@') && strstr(url, "://")) e->literal = 1;
        use_or_bind(c, call, id, !strcmp(row->type, "cache") ? "cache" : "SQL");
    }
    free(settings);
}

/* open(path, "w"), the files the application writes */
static void file_write(file_ctx *c, const py_node *call)
{
    const py_node *mode = ast_call_arg(call, 1, "mode");
    const char *ms = ast_const_str(mode);
    if (!ms || !strpbrk(ms, "wax+")) return;
    const py_node *p = ast_call_arg(call, 0, "file");
    const char *s = ast_const_str(p);
    if (!s && p && p->kind == PY_Name) s = module_str(c, p->name.id);
    char id[600], name[600];
    if (s) {
        snprintf(id, sizeof id, "store:file:%.500s", s);
        snprintf(name, sizeof name, "file %.500s", s);
    } else {
        snprintf(id, sizeof id, "store:file:(path from data, %.500s)", c->path);
        snprintf(name, sizeof name, "files written by %.500s", c->path);
    }
    tm_element *e = tm_element_get(c->m, id, TM_STORE, "file", name);
    if (!e) return;
    tm_site(e, c->path, call->lineno);
    tm_attr(e, "engine", "filesystem");
    e->dynamic |= !s;
    tm_flow_from(c, call, id, "write");
}

static void proc_call(file_ctx *c, const py_node *call, const struct call_row *row)
{
    const py_node *a = ast_call_arg(call, 0, "args");
    char prog[128] = "";
    int dynamic = 0;
    const char *s = ast_const_str(a);
    if (s) snprintf(prog, sizeof prog, "%.*s", (int)strcspn(s, " \t"), s);
    else if (a && (a->kind == PY_List || a->kind == PY_Tuple) && a->list.elts.n &&
             ast_const_str(a->list.elts.v[0])) {
        snprintf(prog, sizeof prog, "%s", ast_const_str(a->list.elts.v[0]));
        for (int i = 1; i < a->list.elts.n; i++)
            if (!ast_const_str(a->list.elts.v[i])) dynamic = 1;
    } else {
        dynamic = 1;
        if (a && a->kind == PY_JoinedStr && a->joinedstr.values.n && ast_const_str(a->joinedstr.values.v[0]))
            snprintf(prog, sizeof prog, "%.*s", (int)strcspn(ast_const_str(a->joinedstr.values.v[0]), " \t"),
                     ast_const_str(a->joinedstr.values.v[0]));
    }
    if (s && (strchr(s, ' ') || strchr(s, '|'))) dynamic |= 0;
    if (!*prog) snprintf(prog, sizeof prog, "(dynamic)");
    char id[160];
    snprintf(id, sizeof id, "proc:%s", prog);
    tm_element *e = tm_element_get(c->m, id, TM_PROCESS, "subprocess", prog);
    if (!e) return;
    tm_site(e, c->path, call->lineno);
    const py_node *sh = ast_call_kw(call, "shell");
    int shell = row->shell || (sh && sh->kind == PY_Constant && sh->constant.value == PY_CONST_TRUE);
    e->shell |= shell;
    e->dynamic |= dynamic;
    tm_attr(e, "call", row->q);
    tm_flow_from(c, call, id, "exec");
}

static void queue_call(file_ctx *c, const py_node *call, const struct call_row *row)
{
    const py_node *arg = ast_call_arg(call, row->pos, row->kw);
    char id[160], name[160];
    if (!strcmp(row->what, "aws")) {
        const char *svc = ast_const_str(ast_call_arg(call, 0, "service_name"));
        snprintf(id, sizeof id, "queue:aws:%s", svc ? svc : "(dynamic)");
        snprintf(name, sizeof name, "AWS %s", svc ? svc : "(dynamic)");
        arg = NULL;
    } else {
        snprintf(id, sizeof id, "queue:%s", row->what);
        snprintf(name, sizeof name, "%s broker", row->what);
    }
    tm_element *e = tm_element_get(c->m, id, TM_EXTERNAL, "queue", name);
    if (!e) return;
    tm_site(e, c->path, call->lineno);
    int literal = 0;
    char *settings = settings_text(c, arg, &literal);
    tm_attr(e, "settings", settings);
    const char *u = ast_const_str(arg);
    if (literal && u && strchr(u, '@')) e->literal = 1;
    free(settings);
    use_or_bind(c, call, id, "message");
}

static void secret_element(file_ctx *c, const char *name, const char *source, int line,
                           int literal, const py_node *at)
{
    char id[200];
    snprintf(id, sizeof id, "secret:%.180s", name);
    tm_element *e = tm_element_get(c->m, id, TM_SECRET, "secret", name);
    if (!e) return;
    tm_site(e, c->path, line);
    tm_attr(e, "source", source);
    e->literal |= literal;
    if (at) tm_flow_from(c, at, id, "read");
}

int tm_visit_calls(py_node *n, void *ud)
{
    file_ctx *c = ud;
    if (n->kind == PY_Subscript) {
        const char *env = env_read(c, n, NULL);
        if (env && secretish(env)) secret_element(c, env, "environment", n->lineno, 0, n);
        return AST_CONTINUE;
    }
    if (n->kind != PY_Call) return AST_CONTINUE;
    const char *q = resolve_call(c->r, n);
    const struct call_row *row = call_row_of(q);
    if (row) {
        switch (row->kind) {
        case CK_STORE: store_call(c, n, row); break;
        case CK_HTTP: http_call(c, n, row); break;
        case CK_PROC: proc_call(c, n, row); break;
        case CK_QUEUE: queue_call(c, n, row); break;
        case CK_ENV: {
            const char *env = env_read(c, n, NULL);
            if (env && secretish(env)) secret_element(c, env, "environment", n->lineno, 0, n);
            break;
        }
        }
        return AST_CONTINUE;
    }
    if (q && (!strcmp(q, "open") || !strcmp(q, "io.open"))) {
        file_write(c, n);
        return AST_CONTINUE;
    }
    if (c->binds.n && bound_use(c, n)) return AST_CONTINUE;
    /* Model.objects.filter(...), get_object_or_404(Model, ...) */
    const py_node *fx = n->call.func;
    if ((fx->kind == PY_Attribute && fx->attribute.value->kind == PY_Attribute &&
         !strcmp(fx->attribute.value->attribute.attr, "objects")) ||
        (q && (!strcmp(q, "django.shortcuts.get_object_or_404") ||
               !strcmp(q, "django.shortcuts.get_list_or_404")))) {
        if (resolve_imports(c->r, "django")) tm_flow_from(c, n, TM_ORM_DJANGO, "SQL");
        return AST_CONTINUE;
    }
    char d[256];
    const tab_source *src = q ? tab_source_find(M_CALL, q) : NULL;
    if (!src && ast_dotted_name(n->call.func, d, sizeof d)) src = tab_source_suffix(d);
    if (src && src->kind == SK_LLM) llm_call(c, n);
    return AST_CONTINUE;
}

/* Module-level settings: SECRET_KEY = "...", app.config["SECRET_KEY"] = ...,
 * Django's DATABASES. */
void tm_module_settings(file_ctx *c)
{
    const py_list *body = &c->mod->node->module.body;
    for (int i = 0; i < body->n && i < RULES_SCAN_STMTS; i++) {
        const py_node *s = body->v[i];
        if (s->kind != PY_Assign || s->assign.targets.n != 1) continue;
        const py_node *t = s->assign.targets.v[0];
        const char *key = t->kind == PY_Name ? t->name.id
                          : t->kind == PY_Subscript ? ast_const_str(t->subscript.slice) : NULL;
        if (!key) continue;
        const py_node *v = s->assign.value;
        if (secretish(key) && strcmp(key, "SQLALCHEMY_DATABASE_URI")) {
            const char *env = env_read(c, v, NULL);
            if (env) continue; /* the read itself is the element (its own name) */
            if (ast_const_str(v)) secret_element(c, key, "literal in the source", s->lineno, 1, NULL);
        }
        if (!strcmp(key, "DATABASES") && v->kind == PY_Dict) {
            for (int k = 0; k < v->dict.keys.n; k++) {
                const py_node *db = v->dict.values.v[k];
                if (db->kind != PY_Dict) continue;
                char engine[64] = "unknown";
                char *settings = NULL;
                int literal = 0;
                for (int j = 0; j < db->dict.keys.n; j++) {
                    const char *dk = ast_const_str(db->dict.keys.v[j]);
                    const py_node *dv = db->dict.values.v[j];
                    if (!dk) continue;
                    if (!strcmp(dk, "ENGINE") && ast_const_str(dv)) {
                        const char *en = strrchr(ast_const_str(dv), '.');
                        snprintf(engine, sizeof engine, "%s", en ? en + 1 : ast_const_str(dv));
                        if (!strncmp(engine, "postgresql", 10)) snprintf(engine, sizeof engine, "postgresql");
                        if (!strcmp(engine, "sqlite3")) snprintf(engine, sizeof engine, "sqlite");
                    } else if (!strcmp(dk, "PASSWORD")) {
                        const char *env = env_read(c, dv, NULL);
                        if (env) secret_element(c, env, "environment", dv->lineno, 0, NULL);
                        else if (ast_const_str(dv) && *ast_const_str(dv))
                            secret_element(c, "DATABASES.PASSWORD", "literal in the source", dv->lineno, 1, NULL);
                    } else if (!strcmp(dk, "HOST") || (!strcmp(dk, "NAME") && !settings)) {
                        int lit = 0;
                        free(settings);
                        settings = settings_text(c, dv, &lit);
                        literal |= lit;
                    }
                }
                char id[120], name[120];
                snprintf(id, sizeof id, "store:database:%s", engine);
                snprintf(name, sizeof name, "%s (database)", engine);
                tm_element *e = tm_element_get(c->m, id, TM_STORE, "database", name);
                if (e) {
                    tm_site(e, c->path, db->lineno);
                    tm_attr(e, "engine", engine);
                    tm_attr(e, "library", "django");
                    tm_attr(e, "settings", settings);
                }
                free(settings);
                (void)literal;
            }
        }
    }
}


/* ---- what is sent ---- */

typedef struct data_ctx {
    file_ctx *c;
    tm_element *e;
    const py_node *fn;  /* the enclosing function, or NULL */
    int depth;
} data_ctx;

static int is_param(const py_node *fn, const char *id)
{
    const py_node *a = fn ? fn->functiondef.args : NULL;
    if (!a || fn->kind == PY_Lambda) return 0;
    const py_list *lists[3] = {&a->arguments.posonlyargs, &a->arguments.args, &a->arguments.kwonlyargs};
    for (int l = 0; l < 3; l++)
        for (int i = 0; i < lists[l]->n; i++)
            if (!strcmp(lists[l]->v[i]->arg.arg, id) && strcmp(id, "self")) return 1;
    return 0;
}

static int visit_data(py_node *n, void *ud);

/* The value of the first plain assignment to `id` among fn's top-level
 * statements before line, or NULL. */
static const py_node *local_def(const py_node *fn, const char *id, int line)
{
    if (!fn || fn->kind == PY_Lambda) return NULL;
    const py_list *b = &fn->functiondef.body;
    for (int i = 0; i < b->n && i < RULES_SCAN_STMTS; i++) {
        const py_node *s = b->v[i];
        if (s->lineno >= line) break;
        if (s->kind == PY_Assign && s->assign.targets.n == 1 && s->assign.targets.v[0]->kind == PY_Name &&
            !strcmp(s->assign.targets.v[0]->name.id, id))
            return s->assign.value;
    }
    return NULL;
}

static void data_add(tm_element *e, const char *what)
{
    if (e->data.n < THREAT_MAX_DATA && !str_list_has(&e->data, what)) str_list_add(&e->data, what);
}

static int visit_data(py_node *n, void *ud)
{
    data_ctx *d = ud;
    if (sema_is_request_expr(n, d->c->fw | SEMA_FW_FLASK)) {
        d->e->user_data = 1;
        data_add(d->e, "request data");
        return AST_SKIP;
    }
    if (n->kind == PY_Attribute || n->kind == PY_Subscript) {
        char dn[200];
        const py_node *base = n;
        while (base->kind == PY_Attribute || base->kind == PY_Subscript)
            base = base->kind == PY_Attribute ? base->attribute.value : base->subscript.value;
        if (base->kind == PY_Name && sema_is_request_expr(base, d->c->fw | SEMA_FW_FLASK)) {
            d->e->user_data = 1;
            data_add(d->e, "request data");
            return AST_SKIP;
        }
        if (n->kind == PY_Attribute && ast_dotted_name(n, dn, sizeof dn) && base->kind == PY_Name) {
            data_add(d->e, dn);
            if (is_param(d->fn, base->name.id)) d->e->user_data = 1;
            return AST_SKIP;
        }
        return AST_CONTINUE;
    }
    if (n->kind == PY_Call) {
        /* the callee is not data; its arguments are */
        for (int i = 0; i < n->call.args.n; i++) ast_walk(n->call.args.v[i], visit_data, d);
        for (int i = 0; i < n->call.keywords.n; i++) ast_walk(n->call.keywords.v[i], visit_data, d);
        if (n->call.func->kind == PY_Attribute) ast_walk(n->call.func->attribute.value, visit_data, d);
        return AST_SKIP;
    }
    if (n->kind == PY_Name && n->name.ctx == PY_Load) {
        const char *id = n->name.id;
        if (resolve_name(d->c->r, n) && strcmp(resolve_name(d->c->r, n), id)) return AST_SKIP; /* a module */
        data_add(d->e, id);
        if (is_param(d->fn, id)) d->e->user_data = 1;
        const py_node *v = local_def(d->fn, id, n->lineno);
        if (v && d->depth < 4) {
            d->depth++;
            ast_walk((py_node *)v, visit_data, d);
            d->depth--;
        }
    }
    return AST_CONTINUE;
}

void tm_collect_data(file_ctx *c, tm_element *e, const py_node *arg)
{
    const py_node *fn = resolve_function_of(arg);
    data_ctx d = {c, e, fn, 0};
    ast_walk((py_node *)arg, visit_data, &d);
}
