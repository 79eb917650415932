/* test_sema.c - the semantic module of the Python frontend
 * (src/python/sema.c, web.def): the test-file convention, framework
 * detection, route decorators and paths, route and error handlers, view
 * classes and methods, dependencies and request objects.
 *
 * Each tree case is a small program parsed and resolved here; functions
 * are found by name.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "t.h"

#include "core/arena.h"
#include "core/intern.h"
#include "python/parse.h"
#include "python/resolve.h"
#include "python/sema.h"

typedef struct tree {
    arena a;
    interner *in;
    py_module *m;
    py_resolver *r;
} tree;

static void tree_parse(tree *t, const char *src)
{
    arena_init(&t->a, 0);
    t->in = intern_new(NULL);
    diag_list errs = {0};
    t->m = py_parse(&t->a, t->in, "app.py", (const unsigned char *)src, strlen(src), &errs);
    CHECK_MSG(errs.n == 0, "%s", errs.n ? errs.v[0].message : "");
    diag_free(&errs);
    t->r = resolve_module(&t->a, t->in, t->m, "app.py");
}

static void tree_free(tree *t)
{
    arena_free(&t->a);
    intern_free(t->in);
}

/* The module-level def named `name`, or the method `name` of a top-level
 * class (NULL when there is none). */
static const py_node *def_named(const tree *t, const char *name)
{
    const py_list *b = &t->m->node->module.body;
    for (int i = 0; i < b->n; i++) {
        const py_node *s = b->v[i];
        if ((s->kind == PY_FunctionDef || s->kind == PY_AsyncFunctionDef) &&
            strcmp(s->functiondef.name, name) == 0)
            return s;
        if (s->kind == PY_ClassDef)
            for (int k = 0; k < s->classdef.body.n; k++) {
                const py_node *m = s->classdef.body.v[k];
                if (m->kind == PY_FunctionDef && strcmp(m->functiondef.name, name) == 0)
                    return m;
            }
    }
    return NULL;
}

static void test_test_paths(void)
{
    static const struct {
        const char *path;
        int test;
    } cases[] = {
        {"test_app.py", 1},           {"pkg/test_models.py", 1},
        {"app_test.py", 1},           {"pkg/conftest.py", 1},
        {"tests/helpers.py", 1},      {"src/test/util.py", 1},
        {"tests/data/cards.json", 1}, {"test_cards.json", 1},
        {"app.py", 0},                {"testimonials/views.py", 0},
        {"contest.py", 0},            {"_test.py", 0},
        {"pkg/tests.py", 1},          {"Tests/app.py", 0},
        {"testing/app.py", 1},        {"latest/app.py", 0},
        {"mytests/app.py", 0},        {"", 0},
    };
    for (size_t i = 0; i < sizeof cases / sizeof *cases; i++)
        CHECK_MSG(sema_is_test_path(cases[i].path) == cases[i].test, "%s", cases[i].path);
    CHECK(!sema_is_test_path(NULL));
}

static void test_frameworks(void)
{
    tree t;
    tree_parse(&t, "import os\nfrom flask import Flask\nimport rest_framework.views\n");
    unsigned fw = sema_frameworks(t.r);
    CHECK(fw & SEMA_FW_FLASK);
    CHECK(fw & SEMA_FW_DRF);
    CHECK(!(fw & SEMA_FW_DJANGO));
    CHECK(!(fw & SEMA_FW_FASTAPI));
    tree_free(&t);

    tree_parse(&t, "import requests\nimport os.path\n");
    CHECK_INT(sema_frameworks(t.r), 0);
    tree_free(&t);
    CHECK_INT(sema_frameworks(NULL), 0);
    CHECK_INT(SEMA_FW_COUNT, 14);
}

static const char routes_src[] =
    "from fastapi import FastAPI, Depends\n"
    "from flask import Flask\n"
    "app = Flask(__name__)\n"
    "@app.route('/admin/<int:id>')\n"
    "def admin(id): pass\n"
    "@cache.cached(60)\n"
    "@router.get(path='/items')\n"
    "async def items(): pass\n"
    "@bp.post(rule='/login')\n"
    "def login(): pass\n"
    "@app.get(*paths)\n"
    "def starred(): pass\n"
    "@app.route\n"
    "def bare(): pass\n"
    "@cache.cached('/nope')\n"
    "def cached(): pass\n"
    "@api_view(['GET'])\n"
    "def drf(request): pass\n"
    "@pyramid.view.view_config(route_name='x')\n"
    "def pyr(request): pass\n"
    "def plain(request): pass\n"
    "@app.errorhandler(500)\n"
    "def oops(e): pass\n"
    "@app.exception_handler(ValueError)\n"
    "async def bad(request, exc): pass\n";

static void test_routes(void)
{
    tree t;
    tree_parse(&t, routes_src);
    unsigned fw = sema_frameworks(t.r);
    CHECK(sema_is_route_method("route") && sema_is_route_method("websocket"));
    CHECK(!sema_is_route_method("cached") && !sema_is_route_method(NULL));

    CHECK_STR(sema_route_path(def_named(&t, "admin")), "/admin/<int:id>");
    CHECK_STR(sema_route_path(def_named(&t, "items")), "/items");
    CHECK_STR(sema_route_path(def_named(&t, "login")), "/login");
    /* the route decorator is the first @x.<route method>(...), not @cache */
    const py_node *items = def_named(&t, "items");
    CHECK(sema_route_decorator(items) == items->functiondef.decorator_list.v[1]);
    CHECK(sema_route_decorator(def_named(&t, "starred")) != NULL);
    CHECK(sema_route_path(def_named(&t, "starred")) == NULL); /* after *paths: unknown */
    CHECK(sema_route_decorator(def_named(&t, "bare")) == NULL); /* not a call */
    CHECK(sema_route_path(def_named(&t, "cached")) == NULL);
    CHECK(sema_route_decorator(NULL) == NULL);

    CHECK(sema_is_route_handler(def_named(&t, "admin"), fw));
    CHECK(!sema_is_route_handler(def_named(&t, "admin"), 0)); /* not web code */
    CHECK(sema_is_route_handler(def_named(&t, "drf"), fw));
    CHECK(sema_is_route_handler(def_named(&t, "pyr"), fw));
    /* def view(request): a Django view only where Django is imported */
    CHECK(!sema_is_route_handler(def_named(&t, "plain"), fw));
    CHECK(sema_is_route_handler(def_named(&t, "plain"), fw | SEMA_FW_DJANGO));
    CHECK(!sema_is_route_handler(def_named(&t, "cached"), fw));

    CHECK_STR(sema_error_handler_param(def_named(&t, "oops")), "e");
    CHECK_STR(sema_error_handler_param(def_named(&t, "bad")), "exc");
    CHECK(sema_error_handler_param(def_named(&t, "admin")) == NULL);
    tree_free(&t);
}

static void test_views_and_requests(void)
{
    CHECK_INT(sema_class_base("APIView"), SEMA_CLASS_VIEW);
    CHECK_INT(sema_class_base("viewsets.ModelViewSet"), SEMA_CLASS_VIEW);
    CHECK_INT(sema_class_base("tornado.web.RequestHandler"), SEMA_CLASS_TORNADO);
    CHECK_INT(sema_class_base("http.server.BaseHTTPRequestHandler"), SEMA_CLASS_HTTP_SERVER);
    CHECK_INT(sema_class_base("Preview"), 0); /* the suffix is case-sensitive */
    CHECK_INT(sema_class_base("object"), 0);
    CHECK_INT(sema_class_base(NULL), 0);

    CHECK_INT(sema_view_method("get"), SEMA_VIEW_HTTP);
    CHECK_INT(sema_view_method("delete"), SEMA_VIEW_HTTP);
    CHECK_INT(sema_view_method("retrieve"), SEMA_VIEW_ACTION);
    CHECK_INT(sema_view_method("head"), 0);
    CHECK_INT(sema_view_method(NULL), 0);

    CHECK(sema_is_dependency("Depends") && sema_is_dependency("Security"));
    CHECK(!sema_is_dependency("Query") && !sema_is_dependency(NULL));
    CHECK(sema_is_request_name("request") && sema_is_request_name("req"));
    CHECK(!sema_is_request_name("requests"));
    CHECK(sema_is_request_type("HttpRequest") && sema_is_request_type("WebSocket"));
    CHECK(!sema_is_request_type("Response"));

    tree t;
    tree_parse(&t, "from django.http import HttpResponse\n"
                   "request\nreq\nself.request\nother.request\nself.req\nrequests\n");
    unsigned fw = sema_frameworks(t.r);
    const py_list *b = &t.m->node->module.body;
    CHECK_INT(b->n, 7);
    if (b->n == 7) {
        int want[] = {1, 1, 1, 0, 0, 0};
        for (int i = 0; i < 6; i++) {
            const py_node *e = b->v[i + 1]->expr.value;
            CHECK_MSG(sema_is_request_expr(e, fw) == want[i], "line %d", i + 2);
            CHECK_MSG(!sema_is_request_expr(e, 0), "line %d outside web code", i + 2);
        }
    }
    tree_free(&t);
}

/* GraphQL resolvers and Channels consumers: the client's message comes in
 * as parameters (web.def MESSAGE_METHOD, RESOLVER_DECORATOR, CONTEXT_PARAM). */
static void test_message_handlers(void)
{
    CHECK_INT(sema_class_base("graphene.ObjectType"), SEMA_CLASS_GRAPHQL);
    CHECK_INT(sema_class_base("graphene.Mutation"), SEMA_CLASS_GRAPHQL);
    CHECK_INT(sema_class_base("AsyncJsonWebsocketConsumer"), SEMA_CLASS_CONSUMER);
    CHECK_INT(sema_class_base("channels.consumer.AsyncConsumer"), SEMA_CLASS_CONSUMER);
    CHECK(sema_message_method(SEMA_CLASS_GRAPHQL, "resolve_user"));
    CHECK(sema_message_method(SEMA_CLASS_GRAPHQL, "mutate"));
    CHECK(!sema_message_method(SEMA_CLASS_GRAPHQL, "resolve_")); /* the prefix alone */
    CHECK(!sema_message_method(SEMA_CLASS_GRAPHQL, "receive"));  /* a consumer's, not a type's */
    CHECK(sema_message_method(SEMA_CLASS_CONSUMER, "receive_json"));
    CHECK(!sema_message_method(SEMA_CLASS_CONSUMER, "chat_message")); /* a group event */
    CHECK(!sema_message_method(0, "resolve_user"));
    CHECK(!sema_message_method(SEMA_CLASS_GRAPHQL, NULL));
    CHECK(sema_is_context_param("info", NULL) && sema_is_context_param("x", "GraphQLResolveInfo"));
    CHECK(!sema_is_context_param("name", "str") && !sema_is_context_param(NULL, NULL));

    tree t;
    tree_parse(&t, "import strawberry\n"
                   "from ariadne import QueryType\n"
                   "from other import field\n"
                   "query = QueryType()\n"
                   "@strawberry.field\ndef a(self, x: str): pass\n"
                   "@strawberry.mutation(description='m')\ndef b(self, x: str): pass\n"
                   "@query.field('hello')\ndef c(_, info, name): pass\n"
                   "@field\ndef d(x): pass\n"
                   "def e(x): pass\n");
    CHECK(sema_is_resolver(def_named(&t, "a"), t.r));
    CHECK(sema_is_resolver(def_named(&t, "b"), t.r));
    CHECK(sema_is_resolver(def_named(&t, "c"), t.r));
    CHECK(!sema_is_resolver(def_named(&t, "d"), t.r));
    CHECK(!sema_is_resolver(def_named(&t, "e"), t.r));
    CHECK(!sema_is_resolver(def_named(&t, "a"), NULL));
    tree_free(&t);
}

int main(void)
{
    test_test_paths();
    test_frameworks();
    test_routes();
    test_views_and_requests();
    test_message_handlers();
    return T_DONE("test_sema");
}
