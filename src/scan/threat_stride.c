/* threat_stride.c - the second half of the threat model: Django's URL
 * configuration joined to its views, the scan's findings attached to the
 * elements they are about, the STRIDE threats of every element with their
 * evidence, status and fix, the deterministic order, and the diff of two
 * models (threat.h).
 *
 * A finding is attached where it is: to the element whose call it sits on
 * (a store, a service, a subprocess, a secret), else to the route whose
 * handler holds it, else to the element its weakness is about (SQL
 * injection: the database; command injection: the subprocesses; an LLM
 * rule: the LLM API; a secret: the secrets), else to the application.
 * Its STRIDE category is read from its first CWE (stride_cwe below).
 */
#include "threat.h"
#include "threat_int.h"

#include "../core/buf.h"
#include "../core/xalloc.h"
#include "../rules/rules.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- names -------------------------------------------------------------------- */

static const char stride_order[] = "STRIDE";

/* The STRIDE category of a weakness, by CWE: a table a reviewer can check. */
static const struct { int cwe; char letter; } stride_cwe[] = {
    {306, 'S'}, {287, 'S'}, {290, 'S'}, {347, 'S'}, {613, 'S'}, {352, 'S'}, {601, 'S'},
    {330, 'S'}, {338, 'S'}, {295, 'S'}, {1275, 'S'}, {346, 'S'},
    {89, 'T'}, {78, 'T'}, {88, 'T'}, {94, 'T'}, {95, 'T'}, {79, 'T'}, {80, 'T'}, {22, 'T'},
    {73, 'T'}, {91, 'T'}, {90, 'T'}, {643, 'T'}, {1336, 'T'}, {113, 'T'}, {134, 'T'},
    {494, 'T'}, {829, 'T'}, {345, 'T'}, {1427, 'T'}, {77, 'T'},
    {117, 'R'}, {778, 'R'}, {223, 'R'},
    {798, 'I'}, {259, 'I'}, {321, 'I'}, {200, 'I'}, {209, 'I'}, {497, 'I'}, {532, 'I'},
    {312, 'I'}, {319, 'I'}, {327, 'I'}, {328, 'I'}, {326, 'I'}, {208, 'I'}, {489, 'I'},
    {614, 'I'}, {1004, 'I'}, {942, 'I'}, {918, 'I'}, {611, 'I'}, {359, 'I'}, {215, 'I'},
    {400, 'D'}, {770, 'D'}, {1333, 'D'}, {730, 'D'}, {776, 'D'}, {409, 'D'},
    {862, 'E'}, {863, 'E'}, {269, 'E'}, {250, 'E'}, {502, 'E'}, {732, 'E'}, {276, 'E'},
};

static char stride_of(const rule_meta *r)
{
    for (int k = 0; k < RULE_MAX_CWE && r->cwe[k]; k++)
        for (size_t i = 0; i < sizeof stride_cwe / sizeof *stride_cwe; i++)
            if (stride_cwe[i].cwe == r->cwe[k]) return stride_cwe[i].letter;
    if (!strncmp(r->id, "secret:", 7) || !strncmp(r->id, "pii:", 4)) return 'I';
    if (!strncmp(r->id, "dep:", 4)) return 'T';
    return 'T';
}

static int has_cwe(const rule_meta *r, int cwe)
{
    for (int k = 0; k < RULE_MAX_CWE && r->cwe[k]; k++)
        if (r->cwe[k] == cwe) return 1;
    return 0;
}

/* ---- Django: views waiting for their URLs ------------------------------------ */

tm_pending_view *tm_pending_view_add(tm_model *m, const char *module, const char *name)
{
    tm_pending *p = m->pending;
    if (p->nviews >= THREAT_MAX_ELEMENTS) return NULL;
    XGROW(p->views, p->capviews, p->nviews + 1);
    tm_pending_view *v = &p->views[p->nviews++];
    memset(v, 0, sizeof *v);
    v->el.auth = -1;
    v->module = xstrdup(module);
    v->name = xstrdup(name);
    return v;
}

tm_pending_view *tm_pending_view_of(tm_model *m, const char *module, int line)
{
    tm_pending *p = m->pending;
    for (size_t i = 0; i < p->nviews; i++)
        if (p->views[i].el.line == line && !strcmp(p->views[i].module, module)) return &p->views[i];
    return NULL;
}

void tm_pending_url_add(tm_model *m, const char *path, const char *view, const char *module,
                        int line)
{
    tm_pending *p = m->pending;
    if (p->nurls >= THREAT_MAX_ELEMENTS) return;
    XGROW(p->urls, p->capurls, p->nurls + 1);
    tm_pending_url *u = &p->urls[p->nurls++];
    u->path = xasprintf("%s%s", path[0] == '/' || path[0] == '^' ? "" : "/", path);
    u->view = xstrdup(view);
    u->site = xstrdup(module);
    u->line = line;
}

static void copy_param(tm_element *to, const tm_param *p)
{
    if (to->nparams >= THREAT_MAX_PARAMS) return;
    XGROW(to->params, to->capparams, to->nparams + 1);
    tm_param *q = &to->params[to->nparams++];
    q->name = xstrdup(p->name);
    q->in = xstrdup(p->in);
    q->validation = xstrdup(p->validation);
}

/* A route element for view v at URL path (NULL: none found). */
static void view_route(tm_model *m, tm_pending_view *v, const tm_pending_url *u)
{
    const char *ms = v->el.methods ? v->el.methods : "ANY";
    char *id = u ? xasprintf("route:%s %s", ms, u->path) : xasprintf("route:%s (view %s)", ms, v->name);
    char *name = u ? xasprintf("%s %s", ms, u->path) : xasprintf("view %s", v->name);
    tm_element *e = tm_element_get(m, id, TM_ENTRY, "route", name);
    if (e && !e->handler) {
        const tm_element *s = &v->el;
        e->methods = xstrdup(ms);
        e->path = u ? xstrdup(u->path) : NULL;
        e->handler = xstrdup(s->handler);
        e->auth = s->auth;
        e->auth_how = xstrdup(s->auth_how ? s->auth_how : "none");
        e->privileged = s->privileged || (u && rules_route_privileged(u->path, s->handler));
        e->writes = s->writes;
        e->logs = s->logs;
        e->limited = s->limited;
        e->file = xstrdup(s->file);
        e->line = s->line;
        e->end_line = s->end_line;
        /* <int:pk> of the URL */
        if (u)
            for (const char *p = strchr(u->path, '<'); p; p = strchr(p + 1, '<')) {
                const char *q = strchr(p, '>');
                if (!q || q - p > 100) break;
                char in[128];
                memcpy(in, p + 1, (size_t)(q - p - 1));
                in[q - p - 1] = 0;
                char *colon = strchr(in, ':');
                char how[140] = "";
                if (colon) {
                    *colon = 0;
                    if (strcmp(in, "str") && strcmp(in, "path")) snprintf(how, sizeof how, "%s converter", in);
                }
                tm_param pp = {colon ? colon + 1 : in, "path", how};
                copy_param(e, &pp);
            }
        for (size_t i = 0; i < s->nparams; i++) copy_param(e, &s->params[i]);
        for (size_t i = 0; i < s->calls.n; i++) str_list_add(&e->calls, s->calls.v[i]);
        for (size_t i = 0; i < s->sites.n; i++) str_list_add(&e->sites, s->sites.v[i]);
        if (u) {
            char site[1200];
            snprintf(site, sizeof site, "%s:%d", u->site, u->line);
            if (!str_list_has(&e->sites, site)) str_list_add(&e->sites, site);
        }
        tm_flow_add(m, "client", id, "HTTP request");
        for (size_t i = 0; i < v->flows.n; i++) {
            char *f = xstrdup(v->flows.v[i]);
            char *tab = strchr(f, '\t');
            if (tab) {
                *tab = 0;
                tm_flow_add(m, id, f, tab + 1);
                if (!strncmp(f, "llm:", 4) || !strncmp(f, "http:", 5)) e->outbound = 1;
                if (!strncmp(f, "llm:", 4)) tm_flow_add(m, f, id, "model output");
            }
            free(f);
        }
    }
    free(id);
    free(name);
}

static void django_join(tm_model *m)
{
    tm_pending *p = m->pending;
    unsigned char *used = xcalloc(p->nviews + 1, 1);
    for (size_t u = 0; u < p->nurls; u++)
        for (size_t i = 0; i < p->nviews; i++)
            if (!strcmp(p->views[i].name, p->urls[u].view)) {
                view_route(m, &p->views[i], &p->urls[u]);
                used[i] = 1;
            }
    for (size_t i = 0; i < p->nviews; i++)
        if (!used[i]) view_route(m, &p->views[i], NULL);
    free(used);
}

/* Queries through Django's ORM (Model.objects...) go to the database of
 * the settings' DATABASES, or to one named after the ORM. */
static void orm_flows(tm_model *m)
{
    const char *target = NULL;
    for (size_t i = 0; i < m->nel && !target; i++) {
        const char *lib = threat_attr(&m->el[i], "library");
        if (m->el[i].kind == TM_STORE && lib && !strcmp(lib, "django")) target = m->el[i].id;
    }
    int any = 0;
    for (size_t i = 0; i < m->nfl; i++) any |= !strcmp(m->fl[i].to, TM_ORM_DJANGO);
    if (!any) return;
    if (!target) {
        tm_element *e = tm_element_get(m, "store:database:django", TM_STORE, "database", "Django ORM (database)");
        if (e) tm_attr(e, "library", "django");
        target = "store:database:django";
    }
    char *t = xstrdup(target);
    size_t n = m->nfl;
    for (size_t i = 0; i < n; i++)
        if (!strcmp(m->fl[i].to, TM_ORM_DJANGO)) tm_flow_add(m, m->fl[i].from, t, m->fl[i].label);
    size_t k = 0;
    for (size_t i = 0; i < m->nfl; i++) {
        if (!strcmp(m->fl[i].to, TM_ORM_DJANGO)) {
            free(m->fl[i].from);
            free(m->fl[i].to);
            free(m->fl[i].label);
            continue;
        }
        m->fl[k++] = m->fl[i];
    }
    m->nfl = k;
    free(t);
}

/* Helpers whose module has no handler calling them: the routes of other
 * modules whose handlers call them by name take their flows; a helper no
 * route calls is the application's. */
static void helper_join(tm_model *m)
{
    str_list *h = &m->pending->helpers;
    for (size_t i = 0; i < h->n; i++) {
        char *s = xstrdup(h->v[i]);
        char *t1 = strchr(s, '\t'), *t2 = t1 ? strchr(t1 + 1, '\t') : NULL;
        if (!t2) {
            free(s);
            continue;
        }
        *t1 = *t2 = 0;
        const char *fn = s, *to = t1 + 1, *label = t2 + 1;
        int any = 0;
        size_t n = m->nel;
        for (size_t k = 0; k < n; k++) {
            tm_element *r = &m->el[k];
            if (r->kind != TM_ENTRY || !str_list_has(&r->calls, fn)) continue;
            char *rid = xstrdup(r->id);
            tm_flow_add(m, rid, to, label);
            if (!strncmp(to, "llm:", 4)) tm_flow_add(m, to, rid, "model output");
            if (!strncmp(to, "llm:", 4) || !strncmp(to, "http:", 5)) m->el[k].outbound = 1;
            free(rid);
            any = 1;
        }
        if (!any && tm_element_get(m, "app", TM_PROCESS, "application", "application"))
            tm_flow_add(m, "app", to, label);
        free(s);
    }
}

/* ---- threats -------------------------------------------------------------------- */

static tm_threat *threat_get(tm_model *m, const tm_element *e, char letter, const char *topic,
                             const char *title, const char *fix)
{
    char *id = xasprintf("%c:%s:%s", letter, topic, e->id);
    for (size_t i = 0; i < m->nth; i++)
        if (!strcmp(m->th[i].id, id)) {
            free(id);
            return &m->th[i];
        }
    XGROW(m->th, m->capth, m->nth + 1);
    tm_threat *t = &m->th[m->nth++];
    memset(t, 0, sizeof *t);
    t->id = id;
    t->element = xstrdup(e->id);
    t->stride = letter;
    t->title = xstrdup(title);
    t->fix = xstrdup(fix ? fix : "");
    return t;
}

static void evidence(tm_threat *t, int open, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void evidence(tm_threat *t, int open, const char *fmt, ...)
{
    char s[1400];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(s, sizeof s, fmt, ap);
    va_end(ap);
    if (!str_list_has(&t->evidence, s)) str_list_add(&t->evidence, s);
    if (open) t->open = 1;
}

static int has_flow_to(const tm_model *m, const char *from, const char *prefix)
{
    for (size_t i = 0; i < m->nfl; i++)
        if (!strcmp(m->fl[i].from, from) && !strncmp(m->fl[i].to, prefix, strlen(prefix))) return 1;
    return 0;
}

static void route_threats(tm_model *m, const tm_element *e)
{
    const char *priv = e->privileged ? "privileged route" : "route";
    if (e->auth > 0) {
        tm_threat *t = threat_get(m, e, 'S', "auth", "a caller pretends to be a user",
                                  "keep the check on every handler of the route");
        evidence(t, 0, "authentication: %s", e->auth_how);
    } else {
        tm_threat *t = threat_get(m, e, 'S', "auth", "anyone can call this route",
                                  "require authentication (login_required, Depends(current_user), "
                                  "permission_classes), or record that the route is public");
        evidence(t, 1, "no authentication on this %s", priv);
        if (e->privileged) {
            t = threat_get(m, e, 'E', "auth", "an anonymous caller reaches a privileged action",
                           "protect the route and check the caller's role inside");
            evidence(t, 1, "privileged route (%s) without an auth check", e->path ? e->path : e->handler);
        }
    }
    size_t unvalidated = 0;
    for (size_t i = 0; i < e->nparams; i++) unvalidated += !*e->params[i].validation;
    if (e->nparams) {
        tm_threat *t = threat_get(m, e, 'T', "input", "request parameters are tampered with",
                                  "validate every parameter: a converter (<int:id>), a type "
                                  "annotation or a schema (pydantic, marshmallow, a Django form)");
        for (size_t i = 0; i < e->nparams; i++) {
            const tm_param *p = &e->params[i];
            if (*p->validation) evidence(t, 0, "parameter %s (%s): %s", p->name, p->in, p->validation);
            else evidence(t, 1, "parameter %s (%s) is used without validation", p->name, p->in);
        }
    }
    if (e->writes) {
        tm_threat *t = threat_get(m, e, 'R', "audit", "a change cannot be traced to its author",
                                  "log who changed what (user id, action, object) in the handler");
        if (e->logs) evidence(t, 0, "the handler logs");
        else evidence(t, 1, "state-changing route (%s) with no log call in the handler", e->methods);
    }
    if (e->outbound) {
        tm_threat *t = threat_get(m, e, 'D', "rate",
                                  "each request triggers a paid or slow outbound call",
                                  "rate-limit the route (flask-limiter, slowapi, django-ratelimit) "
                                  "and bound the work per request");
        if (e->limited) evidence(t, 0, "a rate-limit decorator on the handler");
        else {
            int llm = has_flow_to(m, e->id, "llm:");
            evidence(t, 1, "calls %s on every request with no rate limit",
                     llm ? "an LLM API" : "an external service");
        }
    }
    (void)unvalidated;
}

/* A taint finding whose source is a language model's answer. */
static int from_model(const finding *f)
{
    if (f->message && strstr(f->message, "language model")) return 1;
    return f->nsteps && f->steps[0].message &&
           (strstr(f->steps[0].message, "language model") || strstr(f->steps[0].message, "LLM"));
}

static int any_finding(finding *const *f, size_t n, int cwe, const char *prefix)
{
    for (size_t i = 0; i < n; i++)
        if ((cwe && has_cwe(f[i]->rule, cwe)) || (prefix && !strncmp(f[i]->rule->id, prefix, strlen(prefix))))
            return 1;
    return 0;
}

static void element_threats(tm_model *m, const tm_element *e, int scanned, finding *const *f,
                            size_t n)
{
    if (e->kind == TM_ENTRY) {
        route_threats(m, e);
        return;
    }
    const char *type = e->type;
    if (!strcmp(type, "database") || !strcmp(type, "cache")) {
        const char *settings = threat_attr(e, "settings");
        tm_threat *t = threat_get(m, e, 'I', "settings", "the store's credentials leak",
                                  "read the connection settings from the environment or a secret "
                                  "manager; rotate credentials that were in the code");
        if (e->literal) evidence(t, 1, "credentials in a connection URL written in the code");
        else if (settings && !strncmp(settings, "environment", 11)) evidence(t, 0, "connection settings from the %s", settings);
        else if (settings) evidence(t, 0, "connection settings: %s (no credentials in the code)", settings);
        else evidence(t, 0, "no credentials in the code");
        if (!strcmp(type, "database") && scanned) {
            t = threat_get(m, e, 'T', "sqli", "a query is rewritten by its input (SQL injection)",
                           "bind every value as a query parameter; never format SQL");
            if (any_finding(f, n, 89, NULL)) {
                for (size_t i = 0; i < n; i++)
                    if (has_cwe(f[i]->rule, 89))
                        evidence(t, 1, "%s %s:%d %s", f[i]->rule->id, f[i]->path, f[i]->line, f[i]->rule->title);
            } else {
                evidence(t, 0, "the scan found no SQL built from data (B608, VG701)");
            }
        }
    } else if (!strcmp(type, "file")) {
        tm_threat *t = threat_get(m, e, 'T', "path", "a write lands outside its directory",
                                  "build paths from a fixed directory and a checked name "
                                  "(werkzeug secure_filename, Path.resolve().is_relative_to)");
        if (e->dynamic) evidence(t, 1, "the path is built from data");
        else evidence(t, 0, "a fixed path");
    } else if (!strcmp(type, "http")) {
        tm_threat *t = threat_get(m, e, 'I', "tls", "traffic to the service is read or changed",
                                  "use https:// and keep certificate checks on");
        const char *scheme = threat_attr(e, "scheme");
        if (e->plain) evidence(t, 1, "plain http:// to %s", e->name);
        else if (scheme && !strcmp(scheme, "https")) evidence(t, 0, "https://");
        else evidence(t, 1, "the scheme is not fixed in the code");
        t = threat_get(m, e, 'T', "ssrf", "the target is chosen by the caller (SSRF)",
                       "call fixed hosts; check a URL from data against an allow-list of hosts");
        if (e->dynamic) evidence(t, 1, "the URL is built from data");
        else evidence(t, 0, "a fixed target");
        t = threat_get(m, e, 'D', "timeout", "a slow service stalls the workers",
                       "pass timeout= to every call");
        if (e->no_timeout) evidence(t, 1, "a call without timeout=");
        else evidence(t, 0, "every call has a timeout");
        if (e->user_data) {
            t = threat_get(m, e, 'I', "data", "request data is sent to a third party",
                           "send only the fields the service needs");
            buf b;
            buf_init(&b, 0);
            for (size_t i = 0; i < e->data.n; i++) buf_printf(&b, "%s%s", i ? ", " : "", e->data.v[i]);
            evidence(t, 1, "sent: %s", b.len ? b.data : "request data");
            buf_free(&b);
        }
    } else if (!strcmp(type, "llm")) {
        buf b;
        buf_init(&b, 0);
        for (size_t i = 0; i < e->data.n; i++) buf_printf(&b, "%s%s", i ? ", " : "", e->data.v[i]);
        char *sent = buf_detach(&b);
        tm_threat *t = threat_get(m, e, 'I', "data", "data sent to the model provider leaks",
                                  "send the model only what the task needs; redact secrets and "
                                  "personal data first (vibeguard redact); check the provider's "
                                  "retention terms");
        if (e->user_data) evidence(t, 1, "request data in the prompt: %s", sent);
        else evidence(t, 0, "no request data in the prompt (%s)", *sent ? sent : "constant");
        if (e->user_data) {
            t = threat_get(m, e, 'T', "injection", "the prompt is steered by its input (prompt injection)",
                           "keep instructions in the system message, user text in the user "
                           "message; give the model no authority the caller lacks");
            evidence(t, 1, "user input reaches the prompt");
        }
        if (scanned) {
            t = threat_get(m, e, 'E', "output", "the model's output runs as code, a command or a query",
                           "treat model output as untrusted input: never eval, execute or format "
                           "it into a shell or SQL; parse it against a schema");
            int hit = 0;
            for (size_t i = 0; i < n; i++)
                if (!strcmp(f[i]->rule->id, "VG501") || from_model(f[i])) {
                    evidence(t, 1, "LLM output reaches a sink: %s %s:%d %s", f[i]->rule->id, f[i]->path,
                             f[i]->line, f[i]->rule->title);
                    hit = 1;
                }
            if (!hit) evidence(t, 0, "the scan found no sink reached by model output (VG501, VG70x)");
        }
        t = threat_get(m, e, 'D', "tokens", "a request runs up the model bill",
                       "set max_tokens on every call and a budget per user");
        if (e->no_limit) evidence(t, 1, "a call without max_tokens");
        else evidence(t, 0, "every call sets max_tokens");
        free(sent);
    } else if (!strcmp(type, "subprocess")) {
        tm_threat *t = threat_get(m, e, 'E', "shell", "a command is rewritten by its input",
                                  "pass a list of arguments without a shell; check every argument "
                                  "from data against an allow-list");
        if (e->shell) evidence(t, 1, "the command runs through a shell");
        if (e->dynamic) evidence(t, 1, "the command or its arguments are built from data");
        if (!e->shell && !e->dynamic) evidence(t, 0, "a fixed argument list, no shell");
    } else if (!strcmp(type, "queue")) {
        tm_threat *t = threat_get(m, e, 'I', "settings", "the broker's credentials leak",
                                  "read the broker URL from the environment");
        if (e->literal) evidence(t, 1, "credentials in a broker URL written in the code");
        else evidence(t, 0, "no credentials in the code");
        t = threat_get(m, e, 'T', "messages", "a forged message runs a task",
                       "authenticate the broker connection and validate task arguments");
        evidence(t, 1, "workers trust what the queue delivers");
    } else if (!strcmp(type, "secret")) {
        tm_threat *t = threat_get(m, e, 'I', "leak", "the secret leaks",
                                  "read it from the environment or a secret manager; rotate it "
                                  "if it was ever committed");
        if (e->literal) evidence(t, 1, "%s", threat_attr(e, "source") ? threat_attr(e, "source") : "in the code");
        else evidence(t, 0, "read from the %s", threat_attr(e, "source") ? threat_attr(e, "source") : "environment");
    }
}

/* ---- findings ------------------------------------------------------------------- */

static int site_at(const tm_element *e, const char *path, int line)
{
    char s[1200];
    snprintf(s, sizeof s, "%s:%d", path, line);
    return str_list_has(&e->sites, s);
}

static const char *affinity(const rule_meta *r)
{
    if (has_cwe(r, 89)) return "database";
    if (has_cwe(r, 78) || has_cwe(r, 88)) return "subprocess";
    if (has_cwe(r, 918)) return "http";
    if (has_cwe(r, 22)) return "file";
    if (!strncmp(r->id, "VG5", 3) || has_cwe(r, 1427)) return "llm";
    if (!strncmp(r->id, "secret:", 7) || has_cwe(r, 798)) return "secret";
    return NULL;
}

static tm_element *attach_to(tm_model *m, const finding *f)
{
    for (size_t i = 0; i < m->nel; i++)
        if (m->el[i].kind != TM_ENTRY && site_at(&m->el[i], f->path, f->line)) return &m->el[i];
    for (size_t i = 0; i < m->nel; i++) {
        tm_element *e = &m->el[i];
        if (e->kind == TM_ENTRY && e->file && !strcmp(e->file, f->path) && f->line >= e->line &&
            f->line <= e->end_line)
            return e;
    }
    const char *want = affinity(f->rule);
    tm_element *any = NULL;
    for (size_t i = 0; want && i < m->nel; i++)
        if (!strcmp(m->el[i].type, want)) {
            if (m->el[i].file && !strcmp(m->el[i].file, f->path)) return &m->el[i];
            if (!any) any = &m->el[i];
        }
    if (any) return any;
    return tm_element_get(m, "app", TM_PROCESS, "application", "application");
}

/* finding paths as the scan shows them, relative to the root as the model's */
static const char *rel_path(const char *p, const char *shown_root)
{
    size_t rl = shown_root ? strlen(shown_root) : 0;
    if (rl && strcmp(shown_root, ".") && !strncmp(p, shown_root, rl) && p[rl] == '/') return p + rl + 1;
    if (!strncmp(p, "./", 2)) return p + 2;
    return p;
}

/* ---- order ---------------------------------------------------------------------- */

static int kind_rank(tm_kind k)
{
    static const int rank[TM_KIND_COUNT] = {0, 1, 2, 3, 4, 5};
    return rank[k];
}

static int el_cmp(const void *a, const void *b)
{
    const tm_element *x = a, *y = b;
    if (x->kind != y->kind) return kind_rank(x->kind) - kind_rank(y->kind);
    return strcmp(x->id, y->id);
}

static int fl_cmp(const void *a, const void *b)
{
    const tm_flow *x = a, *y = b;
    int c = strcmp(x->from, y->from);
    if (!c) c = strcmp(x->to, y->to);
    return c ? c : strcmp(x->label, y->label);
}

static const tm_model *sort_model; /* for th_cmp: element order (single-threaded) */

static size_t el_index(const tm_model *m, const char *id)
{
    for (size_t i = 0; i < m->nel; i++)
        if (!strcmp(m->el[i].id, id)) return i;
    return m->nel;
}

static int th_cmp(const void *a, const void *b)
{
    const tm_threat *x = a, *y = b;
    size_t ix = el_index(sort_model, x->element), iy = el_index(sort_model, y->element);
    if (ix != iy) return ix < iy ? -1 : 1;
    int sx = (int)(strchr(stride_order, x->stride) - stride_order);
    int sy = (int)(strchr(stride_order, y->stride) - stride_order);
    if (sx != sy) return sx - sy;
    return strcmp(x->id, y->id);
}

static int str_cmp(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* "app.py:9" before "app.py:12" */
static int site_cmp(const void *a, const void *b)
{
    const char *x = *(char *const *)a, *y = *(char *const *)b;
    const char *cx = strrchr(x, ':'), *cy = strrchr(y, ':');
    size_t lx = cx ? (size_t)(cx - x) : strlen(x), ly = cy ? (size_t)(cy - y) : strlen(y);
    int c = strncmp(x, y, lx < ly ? lx : ly);
    if (c || lx != ly) return c ? c : (lx < ly ? -1 : 1);
    long nx = cx ? strtol(cx + 1, NULL, 10) : 0, ny = cy ? strtol(cy + 1, NULL, 10) : 0;
    return (nx > ny) - (nx < ny);
}

static int param_cmp(const void *a, const void *b)
{
    const tm_param *x = a, *y = b;
    int c = strcmp(x->in, y->in);
    return c ? c : strcmp(x->name, y->name);
}

static void sort_list(str_list *l, int (*cmp)(const void *, const void *))
{
    if (l->n > 1) qsort(l->v, l->n, sizeof *l->v, cmp);
}

void threat_finish(tm_model *m, finding *const *findings, size_t n, const char *shown_root)
{
    django_join(m);
    helper_join(m);
    orm_flows(m);
    int routes = 0;
    for (size_t i = 0; i < m->nel; i++) routes |= m->el[i].kind == TM_ENTRY;
    if (routes) tm_element_get(m, "client", TM_ACTOR, "client", "client");
    /* the issues of the scan, with paths relative to the root */
    finding **f = xcalloc(n + 1, sizeof *f);
    size_t nf = 0;
    for (size_t i = 0; i < n; i++) {
        const finding *x = findings[i];
        if (x->suppressed || x->tier != TIER_ISSUE) continue;
        f[nf++] = (finding *)x;
    }
    m->scanned = findings != NULL;
    for (size_t i = 0; i < m->nel; i++) {
        tm_element *e = &m->el[i];
        sort_list(&e->sites, site_cmp);
        sort_list(&e->models, str_cmp);
        sort_list(&e->data, str_cmp);
        if (e->nparams > 1) qsort(e->params, e->nparams, sizeof *e->params, param_cmp);
    }
    size_t nel = m->nel;
    for (size_t i = 0; i < nel; i++) element_threats(m, &m->el[i], m->scanned, f, nf);
    for (size_t i = 0; i < nf; i++) {
        finding tmp = *f[i];
        tmp.path = (char *)rel_path(f[i]->path, shown_root);
        tm_element *e = attach_to(m, &tmp);
        if (!e) continue;
        char letter = stride_of(tmp.rule);
        /* the threat the code already shows for this element and category
         * takes the finding as evidence; else the rule is its own threat */
        tm_threat *t = NULL;
        for (size_t k = 0; k < m->nth && !t; k++)
            if (m->th[k].stride == letter && !strcmp(m->th[k].element, e->id)) t = &m->th[k];
        if (!t) {
            char topic[200];
            snprintf(topic, sizeof topic, "rule %s", tmp.rule->id);
            t = threat_get(m, e, letter, topic, tmp.rule->title, tmp.rule->fix);
        }
        evidence(t, 1, "%s %s:%d %s", tmp.rule->id, tmp.path, tmp.line, tmp.message ? tmp.message : "");
    }
    free(f);
    /* evidence paths of the CWE checks above are the scan's: make them relative */
    for (size_t i = 0; i < m->nth; i++)
        for (size_t k = 0; k < m->th[i].evidence.n; k++) {
            char *s = m->th[i].evidence.v[k];
            size_t rl = shown_root ? strlen(shown_root) : 0;
            char *at = rl && strcmp(shown_root, ".") ? strstr(s, shown_root) : NULL;
            if (at && at[rl] == '/') memmove(at, at + rl + 1, strlen(at + rl + 1) + 1);
        }
    if (m->nel > 1) qsort(m->el, m->nel, sizeof *m->el, el_cmp);
    for (size_t i = 0; i < m->nfl; i++) {
        size_t a = el_index(m, m->fl[i].from), b = el_index(m, m->fl[i].to);
        m->fl[i].crosses = a < m->nel && b < m->nel && strcmp(m->el[a].boundary, m->el[b].boundary);
    }
    if (m->nfl > 1) qsort(m->fl, m->nfl, sizeof *m->fl, fl_cmp);
    for (size_t i = 0; i < m->nth; i++) sort_list(&m->th[i].evidence, str_cmp);
    sort_model = m;
    if (m->nth > 1) qsort(m->th, m->nth, sizeof *m->th, th_cmp);
    sort_model = NULL;
}

/* ---- diff ---------------------------------------------------------------------- */

/* Everything an element says but where it is: the facts a review cares about. */
static char *signature(const tm_element *e)
{
    buf b;
    buf_init(&b, 0);
    buf_printf(&b, "%s|%d|%s|%d%d%d%d", e->auth_how ? e->auth_how : "", e->auth,
               e->methods ? e->methods : "", e->dynamic, e->plain, e->shell, e->literal);
    for (size_t i = 0; i + 1 < e->attrs.n; i += 2) buf_printf(&b, "|%s=%s", e->attrs.v[i], e->attrs.v[i + 1]);
    for (size_t i = 0; i < e->models.n; i++) buf_printf(&b, "|m=%s", e->models.v[i]);
    for (size_t i = 0; i < e->data.n; i++) buf_printf(&b, "|d=%s", e->data.v[i]);
    for (size_t i = 0; i < e->nparams; i++)
        buf_printf(&b, "|p=%s/%s/%s", e->params[i].name, e->params[i].in, e->params[i].validation);
    return buf_detach(&b);
}

static const tm_element *find_el(const tm_model *m, const char *id)
{
    size_t i = el_index(m, id);
    return i < m->nel ? &m->el[i] : NULL;
}

static int has_flow(const tm_model *m, const tm_flow *f)
{
    for (size_t i = 0; i < m->nfl; i++)
        if (!strcmp(m->fl[i].from, f->from) && !strcmp(m->fl[i].to, f->to) && !strcmp(m->fl[i].label, f->label))
            return 1;
    return 0;
}

void threat_diff(const tm_model *a, const tm_model *b, tm_diff *d)
{
    memset(d, 0, sizeof *d);
    size_t cap = 0;
    d->added = xcalloc(b->nel + 1, sizeof *d->added);
    d->changed = xcalloc(b->nel + 1, sizeof *d->changed);
    d->removed = xcalloc(a->nel + 1, sizeof *d->removed);
    for (size_t i = 0; i < b->nel; i++) {
        const tm_element *old = find_el(a, b->el[i].id);
        if (!old) {
            d->added[d->nadded++] = &b->el[i];
            continue;
        }
        char *x = signature(old), *y = signature(&b->el[i]);
        if (strcmp(x, y)) d->changed[d->nchanged++] = &b->el[i];
        free(x);
        free(y);
    }
    for (size_t i = 0; i < a->nel; i++)
        if (!find_el(b, a->el[i].id)) d->removed[d->nremoved++] = &a->el[i];
    d->fadded = xcalloc(b->nfl + 1, sizeof *d->fadded);
    d->fremoved = xcalloc(a->nfl + 1, sizeof *d->fremoved);
    for (size_t i = 0; i < b->nfl; i++)
        if (!has_flow(a, &b->fl[i])) d->fadded[d->nfadded++] = &b->fl[i];
    for (size_t i = 0; i < a->nfl; i++)
        if (!has_flow(b, &a->fl[i])) d->fremoved[d->nfremoved++] = &a->fl[i];
    d->tnew = xcalloc(b->nth + 1, sizeof *d->tnew);
    for (size_t i = 0; i < b->nth; i++) {
        const tm_threat *t = &b->th[i];
        if (!t->open) continue;
        int was_open = 0;
        for (size_t k = 0; k < a->nth; k++)
            if (!strcmp(a->th[k].id, t->id)) was_open = a->th[k].open;
        if (!was_open) d->tnew[d->ntnew++] = t;
    }
    (void)cap;
}

void threat_diff_free(tm_diff *d)
{
    free(d->added);
    free(d->removed);
    free(d->changed);
    free(d->fadded);
    free(d->fremoved);
    free(d->tnew);
    memset(d, 0, sizeof *d);
}
