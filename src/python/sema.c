/* sema.c - the semantic questions of sema.h: web.def's rows as lookup
 * lists, and the tree shapes around them (route decorators, error
 * handlers, request expressions), plus the test-file convention. */
#include "sema.h"

#include <string.h>

/* ---- the tables of web.def ---- */

static const char *const framework_modules[SEMA_FW_COUNT] = {
#define FRAMEWORK(id, module) [SEMA_FWI_##id] = module,
#include "web.def"
};

static const char *const route_methods[] = {
#define ROUTE(method) method,
#include "web.def"
    NULL,
};

static const char *const route_path_keywords[] = {
#define ROUTE_PATH(keyword) keyword,
#include "web.def"
    NULL,
};

static const char *const view_decorators[] = {
#define VIEW_DECORATOR(name) name,
#include "web.def"
    NULL,
};

static const char *const error_handlers[] = {
#define ERROR_HANDLER(name) name,
#include "web.def"
    NULL,
};

static const char *const view_class_suffixes[] = {
#define VIEW_CLASS(suffix) suffix,
#include "web.def"
    NULL,
};

static const struct {
    const char *part;
    unsigned bit;
} handler_classes[] = {
#define HANDLER_CLASS(bit, part) {part, SEMA_CLASS_##bit},
#include "web.def"
    {NULL, 0},
};

static const struct {
    const char *name;
    int kind;
} view_methods[] = {
#define VIEW_METHOD(name, kind) {name, SEMA_VIEW_##kind},
#include "web.def"
    {NULL, 0},
};

static const struct {
    unsigned bit;
    const char *name;
} message_methods[] = {
#define MESSAGE_METHOD(bit, name) {SEMA_CLASS_##bit, name},
#include "web.def"
    {0, NULL},
};

static const struct {
    const char *module, *name;
} resolver_decorators[] = {
#define RESOLVER_DECORATOR(module, name) {module, name},
#include "web.def"
    {NULL, NULL},
};

static const char *const context_params[] = {
#define CONTEXT_PARAM(name) name,
#include "web.def"
    NULL,
};

static const char *const dependencies[] = {
#define DEPENDENCY(name) name,
#include "web.def"
    NULL,
};

static const char *const request_names[] = {
#define REQUEST_NAME(name) name,
#include "web.def"
    NULL,
};

static const char *const request_types[] = {
#define REQUEST_TYPE(name) name,
#include "web.def"
    NULL,
};

static int in_list(const char *s, const char *const *list)
{
    if (!s)
        return 0;
    for (; *list; list++)
        if (**list == *s && strcmp(s, *list) == 0)
            return 1;
    return 0;
}

static int ends_with(const char *s, const char *suffix)
{
    size_t n = strlen(s), m = strlen(suffix);
    return n >= m && strcmp(s + n - m, suffix) == 0;
}

static int is_def(const py_node *fn)
{
    return fn && (fn->kind == PY_FunctionDef || fn->kind == PY_AsyncFunctionDef);
}

/* ---- files ---- */

int sema_is_test_path(const char *path)
{
    if (!path)
        return 0;
    const char *base = strrchr(path, '/');
    base = base ? base + 1 : path;
    static const char *const dirs[] = {"test", "tests", "testing", "testdata", "test_data", "t"};
    if (strncmp(base, "test_", 5) == 0 || strcmp(base, "conftest.py") == 0 ||
        strcmp(base, "tests.py") == 0)
        return 1;
    if ((strlen(base) > 8 && ends_with(base, "_test.py")) ||
        (strlen(base) > 9 && ends_with(base, "_tests.py")))
        return 1;
    for (const char *p = path; *p;) {
        const char *slash = strchr(p, '/');
        if (!slash)
            break;
        size_t len = (size_t)(slash - p);
        for (size_t i = 0; i < sizeof dirs / sizeof *dirs; i++)
            if (len == strlen(dirs[i]) && strncmp(p, dirs[i], len) == 0)
                return 1;
        p = slash + 1;
    }
    return 0;
}

/* ---- frameworks ---- */

unsigned sema_frameworks(const py_resolver *r)
{
    unsigned fw = 0;
    for (int i = 0; r && i < SEMA_FW_COUNT; i++)
        if (resolve_imports(r, framework_modules[i]))
            fw |= 1u << i;
    return fw;
}

static const char *const llm_modules[] = {
    "openai", "anthropic", "litellm", "langchain", "langchain_openai", "langchain_core",
    "langchain_community", "langchain_anthropic", "langchain_google_genai", "langchain_ollama",
    "langgraph", "llama_index", "google.generativeai", "google.genai", "vertexai", "ollama",
    "cohere", "mistralai", "groq", "mcp", "fastmcp", "pydantic_ai", "agents", "crewai",
    "smolagents", "autogen", "semantic_kernel", NULL,
};

int sema_imports_llm(const py_resolver *r)
{
    for (const char *const *m = llm_modules; r && *m; m++)
        if (resolve_imports(r, *m)) return 1;
    return 0;
}

/* ---- request handlers ---- */

int sema_is_route_method(const char *attr)
{
    return in_list(attr, route_methods);
}

const py_node *sema_route_decorator(const py_node *fn)
{
    if (!is_def(fn))
        return NULL;
    const py_list *d = &fn->functiondef.decorator_list;
    for (int i = 0; i < d->n; i++) {
        const py_node *e = d->v[i];
        if (e->kind == PY_Call && e->call.func->kind == PY_Attribute &&
            sema_is_route_method(e->call.func->attribute.attr))
            return e;
    }
    return NULL;
}

const char *sema_route_path(const py_node *fn)
{
    const py_node *d = sema_route_decorator(fn);
    for (int i = 0; d && route_path_keywords[i]; i++) {
        const char *p = ast_const_str(ast_call_arg(d, 0, route_path_keywords[i]));
        if (p)
            return p;
    }
    return NULL;
}

/* The decorator's name: @name, @x.name, @name(...). */
static const char *decorator_name(const py_node *d)
{
    return ast_terminal_name(d->kind == PY_Call ? d->call.func : d);
}

int sema_is_route_handler(const py_node *fn, unsigned frameworks)
{
    if (!frameworks || !is_def(fn))
        return 0;
    if (sema_route_decorator(fn))
        return 1;
    const py_list *d = &fn->functiondef.decorator_list;
    for (int i = 0; i < d->n; i++)
        if (in_list(decorator_name(d->v[i]), view_decorators))
            return 1;
    /* Django function views: def view(request, ...) */
    const py_node *a = fn->functiondef.args;
    return (frameworks & SEMA_FW_DJANGO) && a && a->arguments.args.n &&
           strcmp(a->arguments.args.v[0]->arg.arg, "request") == 0;
}

const char *sema_error_handler_param(const py_node *fn)
{
    if (!is_def(fn))
        return NULL;
    int handler = 0;
    const py_list *d = &fn->functiondef.decorator_list;
    for (int i = 0; i < d->n; i++)
        if (in_list(decorator_name(d->v[i]), error_handlers))
            handler = 1;
    const py_node *a = fn->functiondef.args;
    if (!handler || !a || !a->arguments.args.n)
        return NULL;
    return a->arguments.args.v[a->arguments.args.n - 1]->arg.arg; /* (e) or (request, exc) */
}

unsigned sema_class_base(const char *name)
{
    if (!name)
        return 0;
    unsigned bits = 0;
    for (int i = 0; view_class_suffixes[i] && !bits; i++)
        if (ends_with(name, view_class_suffixes[i]))
            bits = SEMA_CLASS_VIEW;
    for (int i = 0; handler_classes[i].part; i++)
        if (strstr(name, handler_classes[i].part))
            return bits | handler_classes[i].bit;
    return bits;
}

int sema_view_method(const char *name)
{
    for (int i = 0; name && view_methods[i].name; i++)
        if (strcmp(name, view_methods[i].name) == 0)
            return view_methods[i].kind;
    return 0;
}

int sema_message_method(unsigned bits, const char *name)
{
    for (int i = 0; name && message_methods[i].name; i++) {
        const char *m = message_methods[i].name;
        size_t n = strlen(m);
        if (!(bits & message_methods[i].bit))
            continue;
        if (m[n - 1] == '_' ? strncmp(name, m, n) == 0 && name[n] : strcmp(name, m) == 0)
            return 1;
    }
    return 0;
}

int sema_is_resolver(const py_node *fn, const py_resolver *r)
{
    if (!is_def(fn) || !r)
        return 0;
    const py_list *d = &fn->functiondef.decorator_list;
    for (int i = 0; i < d->n; i++) {
        const py_node *e = d->v[i];
        const char *q = e->kind == PY_Call ? resolve_call(r, e) : resolve_name(r, e);
        if (!q)
            continue;
        const char *last = strrchr(q, '.');
        if (!last)
            continue;
        for (int k = 0; resolver_decorators[k].module; k++) {
            size_t ml = strlen(resolver_decorators[k].module);
            if (strncmp(q, resolver_decorators[k].module, ml) == 0 && q[ml] == '.' &&
                strcmp(last + 1, resolver_decorators[k].name) == 0)
                return 1;
        }
    }
    return 0;
}

int sema_is_context_param(const char *name, const char *ann)
{
    return in_list(name, context_params) || in_list(ann, context_params);
}

int sema_is_dependency(const char *name)
{
    return in_list(name, dependencies);
}

/* ---- request objects ---- */

int sema_is_request_name(const char *id)
{
    return in_list(id, request_names);
}

int sema_is_request_type(const char *name)
{
    return in_list(name, request_types);
}

int sema_is_request_expr(const py_node *e, unsigned frameworks)
{
    if (!e || !frameworks)
        return 0;
    if (e->kind == PY_Name)
        return sema_is_request_name(e->name.id);
    /* class-based views and tornado handlers keep it in self.request */
    return e->kind == PY_Attribute && strcmp(e->attribute.attr, "request") == 0 &&
           e->attribute.value->kind == PY_Name && strcmp(e->attribute.value->name.id, "self") == 0;
}
