/* sema.h - what Python code means to the analyzers: which web frameworks
 * a file uses, how those frameworks hand requests to functions (route
 * decorators, views, error handlers, handler classes), which names and
 * types are the request object, and whether a path is a test file.
 *
 * The rules (src/rules/) and the taint engine (src/taint/) ask here, so
 * that a framework or a route shape added once is seen by both.  The
 * facts are rows of web.def; this module adds the tree shapes around
 * them.  Everything is read-only and thread-safe; names are compared as
 * strings, so identifiers from any interner work.
 */
#ifndef VG_PY_SEMA_H
#define VG_PY_SEMA_H

#include "ast.h"
#include "resolve.h"

/* ---- files ---- */

/* Is `path` ('/'-separated, as in vg_file.path) a test file by the Python
 * convention: a file named test_*, *_test.py or conftest.py, or anything
 * under a directory named tests or test?  The one definition: the rules
 * (B101, VG205 stay quiet in tests) and the PII scan (test card numbers)
 * both use it. */
int sema_is_test_path(const char *path);

/* ---- frameworks ---- */

enum {
#define FRAMEWORK(id, module) SEMA_FWI_##id,
#include "web.def"
    SEMA_FW_COUNT
};
/* SEMA_FW_FLASK, SEMA_FW_DJANGO, ...: a bit per FRAMEWORK row of web.def */
enum {
#define FRAMEWORK(id, module) SEMA_FW_##id = 1u << SEMA_FWI_##id,
#include "web.def"
};

/* The frameworks file r imports (or a submodule of), as SEMA_FW_* bits;
 * 0 when it is not web code. */
unsigned sema_frameworks(const py_resolver *r);

/* Does file r import an LLM client or agent framework (openai, anthropic,
 * litellm, langchain, llama_index, google.genai, ollama, mcp, ...)? */
int sema_imports_llm(const py_resolver *r);

/* ---- request handlers ---- */

/* Is `attr` a route decorator's method: @app.<attr>(path)? */
int sema_is_route_method(const char *attr);
/* fn's first decorator of the form @<x>.<route method>(...), or NULL
 * (fn a FunctionDef or AsyncFunctionDef). */
const py_node *sema_route_decorator(const py_node *fn);
/* The path string of fn's route decorator (first positional argument,
 * else path= or rule=), or NULL. */
const char *sema_route_path(const py_node *fn);
/* Is fn a request handler by its own definition, in a file using
 * `frameworks`: a route decorator, a view decorator (@api_view,
 * @view_config), or, where Django is imported, a first parameter named
 * `request` (a function view)?  Methods of class-based views are the
 * caller's to judge, with sema_class_base and sema_view_method. */
int sema_is_route_handler(const py_node *fn, unsigned frameworks);
/* For an exception handler (@app.errorhandler(...), @app.exception_handler
 * (...)): the name of the parameter that holds the exception, its last
 * one; NULL when fn is not one. */
const char *sema_error_handler_param(const py_node *fn);

/* What a class base's name (dotted or last component) makes the class:
 * SEMA_CLASS_* bits, 0 for none. */
enum {
    SEMA_CLASS_VIEW = 1,        /* a class-based view (name ends in View, ViewSet) */
    SEMA_CLASS_HTTP_SERVER = 2, /* http.server's BaseHTTPRequestHandler */
    SEMA_CLASS_TORNADO = 4,     /* tornado.web.RequestHandler */
    SEMA_CLASS_GRAPHQL = 8,     /* graphene.ObjectType, graphene.Mutation */
    SEMA_CLASS_CONSUMER = 16,   /* a Django Channels consumer */
};
unsigned sema_class_base(const char *name);
/* Is `name` a method of a class-based view that handles a request:
 * SEMA_VIEW_HTTP (get, post, ...), SEMA_VIEW_ACTION (DRF's retrieve,
 * list, ...), or 0. */
enum { SEMA_VIEW_HTTP = 1, SEMA_VIEW_ACTION = 2 };
int sema_view_method(const char *name);
/* Is method `name` of a class with SEMA_CLASS_* bits `bits` a handler of
 * client messages (MESSAGE_METHOD rows: graphene's resolve_*, a consumer's
 * receive)?  Its parameters after self are the client's. */
int sema_message_method(unsigned bits, const char *name);
/* Is fn (a FunctionDef) decorated as a GraphQL resolver (RESOLVER_DECORATOR
 * rows, through r's qualified names)? */
int sema_is_resolver(const py_node *fn, const py_resolver *r);
/* Is a parameter named `name`, or annotated with `ann` (its last
 * component; NULL for none), the framework's context in a resolver? */
int sema_is_context_param(const char *name, const char *ann);
/* Is `name` a dependency marker (FastAPI Depends, Security): a parameter
 * default that injects a value rather than reading the request? */
int sema_is_dependency(const char *name);

/* ---- request objects ---- */

/* Is `id` a conventional name of the request object (request, req)? */
int sema_is_request_name(const char *id);
/* Is `name` (the last component of an annotation) a request type
 * (Request, HttpRequest, WebSocket, BaseRequest)? */
int sema_is_request_type(const char *name);
/* Is e the request object of web code (frameworks != 0): a Name with a
 * request name, or self.request?  Parameters annotated with a request
 * type are the caller's to track. */
int sema_is_request_expr(const py_node *e, unsigned frameworks);

#endif
