/* threat.h - the STRIDE threat model of a Python project, drawn from its
 * code ('vibeguard threat-model', docs/threat-model.md).
 *
 * The model holds elements (entry points: every route with its method,
 * path, auth check and parameters; data stores: databases with their
 * engine and connection settings, files written, caches; external
 * services: HTTP targets, LLM APIs with the model and the data sent,
 * message queues; subprocesses; secrets and where they come from), the
 * data flows between them, the trust boundaries they sit in, and for each
 * element the STRIDE threats that apply, each with its evidence (a
 * finding of the scan, or a fact of the code: "no authentication on this
 * route"), a status (open, or mitigated with the evidence) and the fix.
 *
 * Building: threat_init, then the files (threat_add_file, or all of a
 * working tree with threat_add_tree, or of a revision's tree with
 * threat_add_rev, which reads blobs and never checks anything out), then
 * threat_finish with the scan's findings (or NULL), which joins Django's
 * URL configuration to its views, derives the threats and sorts
 * everything.  The model is deterministic: the same code gives the same
 * model byte for byte, whatever the walk order, so two models diff
 * (threat_diff).  Paths are relative to the root.  No value of a secret
 * is ever kept: a secret is its name and where it comes from, and a
 * connection URL keeps its scheme, host and database with the
 * credentials replaced by ****.  Library code: nothing is printed.
 */
#ifndef VG_SCAN_THREAT_H
#define VG_SCAN_THREAT_H

#include <stddef.h>

#include "../core/diag.h"
#include "../core/opts.h"
#include "../core/status.h"
#include "../finding/finding.h"
#include "stack.h"

typedef enum tm_kind {
    TM_ACTOR,     /* the client on the internet */
    TM_ENTRY,     /* a route */
    TM_PROCESS,   /* the application itself, a subprocess */
    TM_STORE,     /* a database, a file written, a cache */
    TM_EXTERNAL,  /* an HTTP target, an LLM API, a message queue */
    TM_SECRET,    /* a credential the code reads or holds */
    TM_KIND_COUNT
} tm_kind;

typedef struct tm_param {
    char *name;        /* "q", "uid"; "*" for a whole body (request.json) */
    char *in;          /* path, query, form, json, body, files, headers, cookies */
    char *validation;  /* "int converter", "typed int", "schema Item", "int()"; "" for none */
} tm_param;

typedef struct tm_element {
    char *id;          /* unique and stable: "route:GET /search", "llm:openai" */
    tm_kind kind;
    const char *type;  /* static: route, client, application, subprocess, database,
                          file, cache, http, llm, queue, secret */
    char *name;        /* what the diagram shows */
    const char *boundary; /* static: internet, application, data, third-party, host */
    str_list sites;    /* "path:line", sorted */
    str_list attrs;    /* key, value, key, value...: engine, settings, target, model... */
    str_list models;   /* llm: the models asked for */
    str_list data;     /* llm: what the prompts are made of; http: what is sent */
    tm_param *params;  /* route */
    size_t nparams, capparams;
    /* route facts */
    char *path, *methods, *handler, *auth_how;
    int auth;          /* ROUTE_AUTH_* of rules.h; -1 for elements that are not routes */
    int privileged, writes, logs, limited, outbound;
    str_list calls;    /* route: the names its handler calls (for helpers of
                          other modules); not output */
    /* where the handler is (route) or the call (others): for findings */
    char *file;
    int line, end_line;
    /* facts for the threats */
    int dynamic;       /* target, path or command built from data */
    int plain;         /* http:// or a URL with credentials in the code */
    int shell;         /* subprocess through a shell */
    int no_timeout;    /* http without timeout= */
    int no_limit;      /* llm without max_tokens */
    int user_data;     /* llm/http: request data in what is sent */
    int literal;       /* secret/settings written in the source */
} tm_element;

typedef struct tm_flow {
    char *from, *to;   /* element ids */
    char *label;       /* "HTTP request", "prompt", "model output", "SQL" ... */
    int crosses;       /* from and to sit in different trust boundaries */
} tm_flow;

typedef struct tm_threat {
    char *id;          /* "<letter>:<element id>" */
    char *element;
    char stride;       /* S T R I D E */
    char *title;
    str_list evidence; /* "VG201 app.py:12 privileged route without authentication",
                          "no authentication on this route" */
    int open;          /* 0: mitigated (the evidence says how) */
    char *fix;
} tm_threat;

typedef struct tm_model {
    unsigned char stack[STACK_COUNT];
    tm_element *el;
    size_t nel, capel;
    tm_flow *fl;
    size_t nfl, capfl;
    tm_threat *th;
    size_t nth, capth;
    size_t files;      /* Python files read */
    int scanned;       /* threat_finish was given findings */
    struct tm_pending *pending; /* Django url rows and views, joined in threat_finish */
} tm_model;

void threat_init(tm_model *m);
void threat_free(tm_model *m);

/* One file of the project: `path` relative to the root, '/'-separated.
 * Python application code (class FC_CODE, not a test) gives elements;
 * a direct manifest gives only stack rows; anything else is ignored. */
void threat_add_file(tm_model *m, const char *path, const char *data, size_t len);
/* Every file of the working tree at root (the walker: gitignore, no links
 * out).  -1 with an error diag when the walk fails. */
int threat_add_tree(tm_model *m, const char *root, diag_list *d);
/* Every file of revision rev's tree under root, read as blobs. */
int threat_add_rev(tm_model *m, const char *root, const char *rev, diag_list *d);

/* Derive the threats and sort.  findings: the scan of the same root
 * (paths as the scan shows them, below display root `shown_root`), or
 * NULL for a model of the code alone (--no-scan, --diff).  Only
 * unsuppressed issues count. */
void threat_finish(tm_model *m, finding *const *findings, size_t n, const char *shown_root);

const char *threat_stride_name(char letter); /* 'S' -> "Spoofing" */
const char *threat_boundary_name(const char *boundary); /* "internet" -> "Internet (untrusted)" */
/* The value of attribute key of e, or NULL. */
const char *threat_attr(const tm_element *e, const char *key);

/* What changed from model a (the revision) to b (the working tree):
 * elements and flows added or removed, elements whose facts changed
 * (auth, parameters, settings, models...: everything but their sites),
 * and threats that are new or newly open.  Pointers into a and b. */
typedef struct tm_diff {
    const tm_element **added, **removed, **changed;
    size_t nadded, nremoved, nchanged;
    const tm_flow **fadded, **fremoved;
    size_t nfadded, nfremoved;
    const tm_threat **tnew;
    size_t ntnew;
} tm_diff;
void threat_diff(const tm_model *a, const tm_model *b, tm_diff *out);
void threat_diff_free(tm_diff *d);

#endif
