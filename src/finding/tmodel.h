/* tmodel.h - the records of a STRIDE threat model as plain data: the
 * elements (entry points, processes, stores, external services, secrets),
 * the flows between them and the threats that apply, with their evidence,
 * status and fix.
 *
 * Built by the threat model of scan/threat.h ('vibeguard threat-model',
 * docs/threat-model.md) and read by its renderers: the Markdown and JSON
 * of cli/cmd_threat.c and the "Threat model" section of the HTML report
 * (report/html_threat.c, through report_threat); kept here, below both,
 * as inventory.h and licences.h are for their commands.  No value of a
 * secret is ever held: a secret is its name and where it comes from, a
 * connection URL has its credentials replaced by ****.
 */
#ifndef VG_FINDING_TMODEL_H
#define VG_FINDING_TMODEL_H

#include <stddef.h>

#include "../core/opts.h"

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

/* The trust boundaries in the order diagrams draw them, left to right. */
#define TM_BOUNDARY_COUNT 5
extern const char *const tm_boundaries[TM_BOUNDARY_COUNT];

const char *threat_stride_name(char letter); /* 'S' -> "Spoofing" */
const char *threat_boundary_name(const char *boundary); /* "internet" -> "Internet (untrusted)" */
/* The value of attribute key of e, or NULL. */
const char *threat_attr(const tm_element *e, const char *key);

#endif
