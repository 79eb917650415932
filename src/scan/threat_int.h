/* threat_int.h - what the threat model's files share (threat.c: records,
 * routes, the sources of files; threat_calls.c: the calls; threat_stride.c:
 * Django's URL join, findings, threats, sorting and the diff). */
#ifndef VG_SCAN_THREAT_INT_H
#define VG_SCAN_THREAT_INT_H

#include "../deps/manifest.h"
#include "../python/ast.h"
#include "../python/parse.h"
#include "../python/resolve.h"
#include "threat.h"

/* A Django view (a handler with no route decorator) waiting for its URL,
 * and a urlpatterns row waiting for its view. */
typedef struct tm_pending_view {
    tm_element el;    /* the route's facts; id and name set at the join */
    char *module;     /* its file */
    char *name;       /* the function's name (el.handler) */
    str_list flows;   /* "to\tlabel" */
    int llm_output;   /* an LLM answers this view */
} tm_pending_view;

typedef struct tm_pending_url {
    char *path, *view, *site;
    int line;
} tm_pending_url;

typedef struct tm_pending {
    tm_pending_view *views;
    size_t nviews, capviews;
    tm_pending_url *urls;
    size_t nurls, capurls;
    /* flows of helpers no handler of their module calls:
     * "fn\tto\tlabel", for the handlers of other modules that call fn */
    str_list helpers;
} tm_pending;

/* One Python file being read. */
typedef struct file_ctx {
    tm_model *m;
    const char *path;
    const py_module *mod;
    const py_resolver *r;
    unsigned fw;
    unsigned char found[STACK_COUNT];
    /* calls in functions that are not handlers: "fn\tto\tlabel", for the
     * handlers of this module that call fn */
    str_list helper_flows;
    /* module-level clients: name, element id, flow label (threat_calls.c) */
    str_list binds;
} file_ctx;

/* The target of a flow through Django's ORM, resolved in threat_finish. */
#define TM_ORM_DJANGO "orm:django"

/* records (threat.c) */
tm_element *tm_element_get(tm_model *m, const char *id, tm_kind kind, const char *type,
                           const char *name); /* NULL past THREAT_MAX_ELEMENTS */
void tm_element_clear(tm_element *e);
void tm_site(tm_element *e, const char *path, int line);
void tm_attr(tm_element *e, const char *key, const char *value);
void tm_flow_add(tm_model *m, const char *from, const char *to, const char *label);
tm_element *tm_route_of(file_ctx *c, const py_node *fn);
void tm_flow_from(file_ctx *c, const py_node *at, const char *to, const char *label);

/* calls (threat_calls.c) */
int tm_visit_calls(py_node *n, void *ud);
void tm_module_settings(file_ctx *c);
char *tm_mask_url(const char *u);
/* Add to e->data what expression e is made of (names, request reads) and
 * set e->user_data when request data or a parameter of the enclosing
 * handler is among them. */
void tm_collect_data(file_ctx *c, tm_element *e, const py_node *arg);

/* Django and the stack (threat_stride.c) */
tm_pending_view *tm_pending_view_add(tm_model *m, const char *module, const char *name);
tm_pending_view *tm_pending_view_of(tm_model *m, const char *module, int line);
void tm_pending_url_add(tm_model *m, const char *path, const char *view, const char *module,
                        int line);

#endif
