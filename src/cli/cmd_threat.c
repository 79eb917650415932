/* cmd_threat.c - 'vibeguard threat-model': the STRIDE threat model of a
 * project, drawn from its code (scan/threat.h builds it) and its scan
 * (cli_scan_project, as 'vibeguard scan' would run), printed as Markdown
 * with a Mermaid data-flow diagram or as JSON; with --diff REV, what the
 * working tree adds to REV's model (REV's tree is read as blobs, never
 * checked out).  docs/threat-model.md.
 */
#include "cli.h"
#include "args.h"
#include "../core/buf.h"
#include "../core/fsutil.h"
#include "../core/xalloc.h"
#include "../fmt/jsonw.h"
#include "../report/report.h"
#include "../scan/threat.h"
#include "../walk/walk.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* ---- Markdown --------------------------------------------------------------- */

/* Text in a table cell: | and line breaks would end it, and <int:id>
 * would be read as an HTML tag. */
static void cell(buf *b, const char *s)
{
    for (; s && *s; s++) {
        if (*s == '|') buf_puts(b, "\\|");
        else if (*s == '\n' || *s == '\r') buf_putc(b, ' ');
        else if (*s == '<') buf_puts(b, "&lt;");
        else if (*s == '>') buf_puts(b, "&gt;");
        else buf_putc(b, *s);
    }
}

/* A code span in a table cell (no entities there: only | is escaped). */
static void code(buf *b, const char *s)
{
    buf_putc(b, '`');
    for (; s && *s; s++) {
        if (*s == '|') buf_puts(b, "\\|");
        else if (*s == '\n' || *s == '\r' || *s == '`') buf_putc(b, ' ');
        else buf_putc(b, *s);
    }
    buf_putc(b, '`');
}

/* A Mermaid label inside "...": entity codes for what the parser reads. */
static void mlabel(buf *b, const char *s)
{
    for (; s && *s; s++) {
        switch (*s) {
        case '"': buf_puts(b, "#quot;"); break;
        case '<': buf_puts(b, "#lt;"); break;
        case '>': buf_puts(b, "#gt;"); break;
        case '\n': buf_putc(b, ' '); break;
        default: buf_putc(b, *s);
        }
    }
}


static void node(buf *b, size_t i, const tm_element *e)
{
    const char *open = "[\"", *close = "\"]";
    switch (e->kind) {
    case TM_ACTOR: open = "([\""; close = "\"])"; break;
    case TM_STORE: open = "[(\""; close = "\")]"; break;
    case TM_EXTERNAL: open = "{{\""; close = "\"}}"; break;
    case TM_PROCESS: open = strcmp(e->type, "subprocess") ? "(\"" : "[[\"";
        close = strcmp(e->type, "subprocess") ? "\")" : "\"]]"; break;
    case TM_SECRET: open = ">\""; close = "\"]"; break;
    default: break;
    }
    buf_printf(b, "    e%zu%s", i, open);
    mlabel(b, e->name);
    buf_printf(b, "%s\n", close);
}

static size_t index_of(const tm_model *m, const char *id)
{
    for (size_t i = 0; i < m->nel; i++)
        if (!strcmp(m->el[i].id, id)) return i;
    return m->nel;
}

static void mermaid(buf *b, const tm_model *m)
{
    buf_puts(b, "```mermaid\nflowchart LR\n");
    for (size_t k = 0; k < TM_BOUNDARY_COUNT; k++) {
        int any = 0;
        for (size_t i = 0; i < m->nel; i++) {
            if (strcmp(m->el[i].boundary, tm_boundaries[k])) continue;
            if (!any) {
                /* a Mermaid id: letters, digits and '_' */
                buf_puts(b, "  subgraph ");
                for (const char *p = tm_boundaries[k]; *p; p++) buf_putc(b, *p == '-' ? '_' : *p);
                buf_puts(b, "[\"");
                mlabel(b, threat_boundary_name(tm_boundaries[k]));
                buf_puts(b, "\"]\n");
            }
            any = 1;
            node(b, i, &m->el[i]);
        }
        if (any) buf_puts(b, "  end\n");
    }
    for (size_t i = 0; i < m->nfl; i++) {
        const tm_flow *f = &m->fl[i];
        size_t a = index_of(m, f->from), c = index_of(m, f->to);
        if (a == m->nel || c == m->nel) continue;
        buf_printf(b, "  e%zu %s|\"", a, f->crosses ? "==>" : "-->");
        mlabel(b, f->label);
        buf_printf(b, "\"| e%zu\n", c);
    }
    buf_puts(b, "```\n");
}

static void sites(buf *b, const tm_element *e)
{
    for (size_t i = 0; i < e->sites.n && i < 3; i++) {
        buf_puts(b, i ? ", " : "");
        code(b, e->sites.v[i]);
    }
    if (e->sites.n > 3) buf_printf(b, " (+%zu)", e->sites.n - 3);
}

static void list_join(buf *b, const str_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        buf_puts(b, i ? ", " : "");
        cell(b, l->v[i]);
    }
}

static int any_of(const tm_model *m, tm_kind k)
{
    for (size_t i = 0; i < m->nel; i++)
        if (m->el[i].kind == k) return 1;
    return 0;
}

static void attr_cell(buf *b, const tm_element *e, const char *key)
{
    const char *v = threat_attr(e, key);
    cell(b, v ? v : "");
}

static void md_elements(buf *b, const tm_model *m)
{
    if (any_of(m, TM_ENTRY)) {
        buf_puts(b, "\n### Entry points\n\n| route | handler | authentication | parameters | where |\n"
                    "|---|---|---|---|---|\n");
        for (size_t i = 0; i < m->nel; i++) {
            const tm_element *e = &m->el[i];
            if (e->kind != TM_ENTRY) continue;
            buf_puts(b, "| ");
            code(b, e->name);
            buf_puts(b, " | ");
            cell(b, e->handler);
            buf_puts(b, " | ");
            cell(b, e->auth > 0 ? e->auth_how : "**none**");
            buf_puts(b, " | ");
            for (size_t k = 0; k < e->nparams; k++) {
                const tm_param *p = &e->params[k];
                buf_printf(b, "%s", k ? ", " : "");
                cell(b, p->name);
                buf_puts(b, " (");
                cell(b, p->in);
                buf_puts(b, *p->validation ? ", " : ", **unvalidated**");
                cell(b, p->validation);
                buf_puts(b, ")");
            }
            buf_puts(b, " | ");
            sites(b, e);
            buf_puts(b, " |\n");
        }
    }
    if (any_of(m, TM_STORE)) {
        buf_puts(b, "\n### Data stores\n\n| store | type | engine | connection settings | where |\n"
                    "|---|---|---|---|---|\n");
        for (size_t i = 0; i < m->nel; i++) {
            const tm_element *e = &m->el[i];
            if (e->kind != TM_STORE) continue;
            buf_puts(b, "| ");
            cell(b, e->name);
            buf_printf(b, " | %s | ", e->type);
            attr_cell(b, e, "engine");
            buf_puts(b, " | ");
            attr_cell(b, e, "settings");
            buf_puts(b, " | ");
            sites(b, e);
            buf_puts(b, " |\n");
        }
    }
    if (any_of(m, TM_EXTERNAL)) {
        buf_puts(b, "\n### External services\n\n| service | type | details | data sent | where |\n"
                    "|---|---|---|---|---|\n");
        for (size_t i = 0; i < m->nel; i++) {
            const tm_element *e = &m->el[i];
            if (e->kind != TM_EXTERNAL) continue;
            buf_puts(b, "| ");
            cell(b, e->name);
            buf_printf(b, " | %s | ", e->type);
            if (!strcmp(e->type, "llm")) {
                buf_puts(b, "model: ");
                if (e->models.n) list_join(b, &e->models);
                else buf_puts(b, "(not set in the call)");
            } else if (!strcmp(e->type, "http")) {
                attr_cell(b, e, "client");
                const char *s = threat_attr(e, "scheme");
                if (s) buf_printf(b, ", %s", s);
            } else {
                attr_cell(b, e, "settings");
            }
            buf_puts(b, " | ");
            list_join(b, &e->data);
            buf_puts(b, " | ");
            sites(b, e);
            buf_puts(b, " |\n");
        }
    }
    if (any_of(m, TM_PROCESS)) {
        buf_puts(b, "\n### Processes\n\n| process | how | where |\n|---|---|---|\n");
        for (size_t i = 0; i < m->nel; i++) {
            const tm_element *e = &m->el[i];
            if (e->kind != TM_PROCESS) continue;
            buf_puts(b, "| ");
            cell(b, e->name);
            buf_puts(b, " | ");
            if (!strcmp(e->type, "subprocess")) {
                attr_cell(b, e, "call");
                if (e->shell) buf_puts(b, ", through a shell");
                if (e->dynamic) buf_puts(b, ", arguments from data");
            } else {
                buf_puts(b, "the application's own code outside route handlers");
            }
            buf_puts(b, " | ");
            sites(b, e);
            buf_puts(b, " |\n");
        }
    }
    if (any_of(m, TM_SECRET)) {
        buf_puts(b, "\n### Secrets\n\n| secret | comes from | where |\n|---|---|---|\n");
        for (size_t i = 0; i < m->nel; i++) {
            const tm_element *e = &m->el[i];
            if (e->kind != TM_SECRET) continue;
            buf_puts(b, "| ");
            code(b, e->name);
            buf_puts(b, " | ");
            attr_cell(b, e, "source");
            buf_puts(b, " | ");
            sites(b, e);
            buf_puts(b, " |\n");
        }
    }
    buf_puts(b, "\n### Trust boundaries\n\n| boundary | elements | flows crossing into it |\n|---|---|---|\n");
    for (size_t k = 0; k < TM_BOUNDARY_COUNT; k++) {
        size_t n = 0, in = 0;
        for (size_t i = 0; i < m->nel; i++) n += !strcmp(m->el[i].boundary, tm_boundaries[k]);
        if (!n) continue;
        for (size_t i = 0; i < m->nfl; i++) {
            size_t t = index_of(m, m->fl[i].to);
            in += m->fl[i].crosses && t < m->nel && !strcmp(m->el[t].boundary, tm_boundaries[k]);
        }
        buf_printf(b, "| %s | %zu | %zu |\n", threat_boundary_name(tm_boundaries[k]), n, in);
    }
}

static void md_threat(buf *b, const tm_threat *t)
{
    buf_printf(b, "| %c | ", t->stride);
    code(b, t->element);
    buf_puts(b, " | ");
    cell(b, t->title);
    buf_puts(b, " | ");
    for (size_t i = 0; i < t->evidence.n; i++) {
        buf_puts(b, i ? "; " : "");
        cell(b, t->evidence.v[i]);
    }
    buf_printf(b, " | %s | ", t->open ? "**open**" : "mitigated");
    cell(b, t->open ? t->fix : "");
    buf_puts(b, " |\n");
}

/* The stack as one line: "Flask (framework), OpenAI (LLM client)"; empty for none. */
static void stack_line(buf *b, const tm_model *m)
{
    for (size_t i = 0; i < STACK_COUNT; i++)
        if (m->stack[i])
            buf_printf(b, "%s%s (%s)", b->len ? ", " : "", stack_rows[i].name,
                       stack_kind_name(stack_rows[i].kind));
}

static void render_markdown(buf *b, const tm_model *m, const char *root)
{
    /* the project's directory name ("." and "dir/" too) */
    char *real = realpath(root, NULL);
    const char *name = real ? real : root;
    const char *base = strrchr(name, '/');
    buf_printf(b, "# Threat model: %s\n\n", base && base[1] ? base + 1 : name);
    free(real);
    buf_printf(b, "Drawn by `vibeguard threat-model` from %zu Python file%s%s. STRIDE: Spoofing, "
                  "Tampering, Repudiation, Information disclosure, Denial of service, Elevation "
                  "of privilege.\n\n",
               m->files, m->files == 1 ? "" : "s",
               m->scanned ? " and the findings of `vibeguard scan`" : " (no scan: --no-scan)");
    buf st;
    buf_init(&st, 0);
    stack_line(&st, m);
    buf_printf(b, "Stack: %s.\n", st.len ? st.data : "no known framework or library");
    buf_free(&st);
    buf_puts(b, "\n## Data flow\n\n");
    mermaid(b, m);
    buf_puts(b, "\n## Elements\n");
    md_elements(b, m);
    size_t open = 0;
    for (size_t i = 0; i < m->nth; i++) open += m->th[i].open;
    buf_printf(b, "\n## Threats\n\n%zu threats, %zu open, %zu mitigated.\n\n", m->nth, open,
               m->nth - open);
    if (m->nth) {
        buf_puts(b, "| STRIDE | element | threat | evidence | status | fix |\n"
                    "|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < m->nth; i++) md_threat(b, &m->th[i]);
    }
}

/* ---- JSON --------------------------------------------------------------------- */

static void json_strs(jsonw *w, const char *key, const str_list *l)
{
    jsonw_key(w, key);
    jsonw_arr_inline(w);
    for (size_t i = 0; i < l->n; i++) jsonw_str(w, l->v[i]);
    jsonw_end(w);
}

static void json_element(jsonw *w, const tm_element *e)
{
    static const char *const kinds[TM_KIND_COUNT] = {"actor", "entry", "process", "store",
                                                     "external", "secret"};
    jsonw_obj(w);
    jsonw_kstr(w, "id", e->id);
    jsonw_kstr(w, "kind", kinds[e->kind]);
    jsonw_kstr(w, "type", e->type);
    jsonw_kstr(w, "name", e->name);
    jsonw_kstr(w, "boundary", e->boundary);
    if (e->kind == TM_ENTRY) {
        jsonw_kstr(w, "methods", e->methods);
        jsonw_kstr(w, "path", e->path);
        jsonw_kstr(w, "handler", e->handler);
        jsonw_key(w, "auth");
        if (e->auth > 0) jsonw_str(w, e->auth_how);
        else jsonw_null(w);
        jsonw_kbool(w, "privileged", e->privileged);
        jsonw_kbool(w, "writes", e->writes);
        jsonw_kbool(w, "logs", e->logs);
        jsonw_kbool(w, "rate_limited", e->limited);
        jsonw_key(w, "params");
        jsonw_arr(w);
        for (size_t i = 0; i < e->nparams; i++) {
            jsonw_obj(w);
            jsonw_kstr(w, "name", e->params[i].name);
            jsonw_kstr(w, "in", e->params[i].in);
            jsonw_key(w, "validation");
            if (*e->params[i].validation) jsonw_str(w, e->params[i].validation);
            else jsonw_null(w);
            jsonw_end(w);
        }
        jsonw_end(w);
    }
    for (size_t i = 0; i + 1 < e->attrs.n; i += 2) jsonw_kstr(w, e->attrs.v[i], e->attrs.v[i + 1]);
    if (!strcmp(e->type, "llm")) json_strs(w, "models", &e->models);
    if (!strcmp(e->type, "llm") || !strcmp(e->type, "http")) {
        json_strs(w, "data", &e->data);
        jsonw_kbool(w, "user_data", e->user_data);
    }
    if (!strcmp(e->type, "subprocess")) {
        jsonw_kbool(w, "shell", e->shell);
        jsonw_kbool(w, "dynamic", e->dynamic);
    }
    json_strs(w, "sites", &e->sites);
    jsonw_end(w);
}

static void json_flow(jsonw *w, const tm_flow *f)
{
    jsonw_obj(w);
    jsonw_kstr(w, "from", f->from);
    jsonw_kstr(w, "to", f->to);
    jsonw_kstr(w, "label", f->label);
    jsonw_kbool(w, "crosses_boundary", f->crosses);
    jsonw_end(w);
}

static void json_threat(jsonw *w, const tm_threat *t)
{
    char l[2] = {t->stride, 0};
    jsonw_obj(w);
    jsonw_kstr(w, "id", t->id);
    jsonw_kstr(w, "element", t->element);
    jsonw_kstr(w, "stride", l);
    jsonw_kstr(w, "category", threat_stride_name(t->stride));
    jsonw_kstr(w, "threat", t->title);
    json_strs(w, "evidence", &t->evidence);
    jsonw_kstr(w, "status", t->open ? "open" : "mitigated");
    jsonw_kstr(w, "fix", t->fix);
    jsonw_end(w);
}

static void render_json(buf *b, const tm_model *m)
{
    jsonw w;
    jsonw_init(&w, b, 1);
    jsonw_obj(&w);
    jsonw_kint(&w, "version", 1);
    jsonw_kbool(&w, "scanned", m->scanned);
    jsonw_key(&w, "stack");
    jsonw_arr(&w);
    for (size_t i = 0; i < STACK_COUNT; i++)
        if (m->stack[i]) {
            jsonw_obj(&w);
            jsonw_kstr(&w, "id", stack_rows[i].id);
            jsonw_kstr(&w, "name", stack_rows[i].name);
            jsonw_kstr(&w, "kind", stack_kind_name(stack_rows[i].kind));
            jsonw_end(&w);
        }
    jsonw_end(&w);
    jsonw_key(&w, "boundaries");
    jsonw_arr(&w);
    for (size_t k = 0; k < TM_BOUNDARY_COUNT; k++) {
        int any = 0;
        for (size_t i = 0; i < m->nel; i++) any |= !strcmp(m->el[i].boundary, tm_boundaries[k]);
        if (!any) continue;
        jsonw_obj(&w);
        jsonw_kstr(&w, "id", tm_boundaries[k]);
        jsonw_kstr(&w, "name", threat_boundary_name(tm_boundaries[k]));
        jsonw_key(&w, "elements");
        jsonw_arr_inline(&w);
        for (size_t i = 0; i < m->nel; i++)
            if (!strcmp(m->el[i].boundary, tm_boundaries[k])) jsonw_str(&w, m->el[i].id);
        jsonw_end(&w);
        jsonw_end(&w);
    }
    jsonw_end(&w);
    jsonw_key(&w, "elements");
    jsonw_arr(&w);
    for (size_t i = 0; i < m->nel; i++) json_element(&w, &m->el[i]);
    jsonw_end(&w);
    jsonw_key(&w, "flows");
    jsonw_arr(&w);
    for (size_t i = 0; i < m->nfl; i++) json_flow(&w, &m->fl[i]);
    jsonw_end(&w);
    jsonw_key(&w, "threats");
    jsonw_arr(&w);
    for (size_t i = 0; i < m->nth; i++) json_threat(&w, &m->th[i]);
    jsonw_end(&w);
    size_t open = 0;
    for (size_t i = 0; i < m->nth; i++) open += m->th[i].open;
    jsonw_key(&w, "summary");
    jsonw_obj(&w);
    jsonw_kint(&w, "elements", (int64_t)m->nel);
    jsonw_kint(&w, "flows", (int64_t)m->nfl);
    jsonw_kint(&w, "threats", (int64_t)m->nth);
    jsonw_kint(&w, "open", (int64_t)open);
    jsonw_kint(&w, "mitigated", (int64_t)(m->nth - open));
    jsonw_end(&w);
    jsonw_end(&w);
    jsonw_finish(&w);
}

/* ---- the diff ------------------------------------------------------------------ */

static void render_diff_json(buf *b, const tm_diff *d, const char *rev)
{
    jsonw w;
    jsonw_init(&w, b, 1);
    jsonw_obj(&w);
    jsonw_kint(&w, "version", 1);
    jsonw_kstr(&w, "base", rev);
    const struct { const char *key; const tm_element *const *v; size_t n; } els[] = {
        {"added", d->added, d->nadded}, {"removed", d->removed, d->nremoved},
        {"changed", d->changed, d->nchanged}};
    for (size_t k = 0; k < 3; k++) {
        jsonw_key(&w, els[k].key);
        jsonw_arr(&w);
        for (size_t i = 0; i < els[k].n; i++) json_element(&w, els[k].v[i]);
        jsonw_end(&w);
    }
    jsonw_key(&w, "flows_added");
    jsonw_arr(&w);
    for (size_t i = 0; i < d->nfadded; i++) json_flow(&w, d->fadded[i]);
    jsonw_end(&w);
    jsonw_key(&w, "flows_removed");
    jsonw_arr(&w);
    for (size_t i = 0; i < d->nfremoved; i++) json_flow(&w, d->fremoved[i]);
    jsonw_end(&w);
    jsonw_key(&w, "threats_opened");
    jsonw_arr(&w);
    for (size_t i = 0; i < d->ntnew; i++) json_threat(&w, d->tnew[i]);
    jsonw_end(&w);
    jsonw_end(&w);
    jsonw_finish(&w);
}

static void md_diff_elements(buf *b, const char *what, const tm_element *const *v, size_t n)
{
    if (!n) return;
    buf_printf(b, "\n### %s\n\n", what);
    for (size_t i = 0; i < n; i++) {
        buf_printf(b, "- %s ", v[i]->type);
        code(b, v[i]->name);
        if (v[i]->kind == TM_ENTRY) buf_printf(b, " (auth: %s)", v[i]->auth > 0 ? v[i]->auth_how : "none");
        if (v[i]->sites.n) {
            buf_puts(b, " at ");
            code(b, v[i]->sites.v[0]);
        }
        buf_putc(b, '\n');
    }
}

static void render_diff_markdown(buf *b, const tm_diff *d, const char *rev)
{
    buf_printf(b, "# Threat model: changes since %s\n\n", rev);
    if (!d->nadded && !d->nremoved && !d->nchanged && !d->nfadded && !d->nfremoved && !d->ntnew) {
        buf_puts(b, "No element, flow or threat changed.\n");
        return;
    }
    md_diff_elements(b, "Added elements", d->added, d->nadded);
    md_diff_elements(b, "Removed elements", d->removed, d->nremoved);
    md_diff_elements(b, "Changed elements", d->changed, d->nchanged);
    if (d->nfadded) {
        buf_puts(b, "\n### Added flows\n\n");
        for (size_t i = 0; i < d->nfadded; i++) {
            buf_puts(b, "- ");
            code(b, d->fadded[i]->from);
            buf_puts(b, " -> ");
            code(b, d->fadded[i]->to);
            buf_printf(b, " (%s)\n", d->fadded[i]->label);
        }
    }
    if (d->nfremoved) {
        buf_puts(b, "\n### Removed flows\n\n");
        for (size_t i = 0; i < d->nfremoved; i++) {
            buf_puts(b, "- ");
            code(b, d->fremoved[i]->from);
            buf_puts(b, " -> ");
            code(b, d->fremoved[i]->to);
            buf_printf(b, " (%s)\n", d->fremoved[i]->label);
        }
    }
    if (d->ntnew) {
        buf_puts(b, "\n### Newly open threats\n\n| STRIDE | element | threat | evidence | status | fix |\n"
                    "|---|---|---|---|---|---|\n");
        for (size_t i = 0; i < d->ntnew; i++) md_threat(b, d->tnew[i]);
    }
}

/* ---- HTML: the records handed to report/ as data ------------------------------ */

/* What cli_threat_report returns: the view first, then what it points into. */
typedef struct threat_report {
    report_threat view;
    tm_model m;
    buf stack, note;
    char *project;
} threat_report;

static void view_of(threat_report *r, const char *project)
{
    tm_model *m = &r->m;
    buf_init(&r->stack, 0);
    stack_line(&r->stack, m);
    r->project = xstrdup(project);
    r->view = (report_threat){.project = r->project, .stack = r->stack.len ? r->stack.data : "",
                              .el = m->el, .nel = m->nel, .fl = m->fl, .nfl = m->nfl, .th = m->th,
                              .nth = m->nth, .files = m->files, .scanned = m->scanned};
}

report_threat *cli_threat_report(const char *root, const char *shown, finding *const *v, size_t n)
{
    threat_report *r = xcalloc(1, sizeof *r);
    threat_init(&r->m);
    buf_init(&r->note, 0);
    struct stat st;
    if (!root || stat(root, &st) || !S_ISDIR(st.st_mode)) {
        buf_puts(&r->note, "The threat model is drawn for one project directory: scan a single directory "
                           "to see it here, or run vibeguard threat-model DIR --format html.");
        r->view.note = r->note.data;
        return &r->view;
    }
    diag_list d = {0};
    if (threat_add_tree(&r->m, root, &d)) {
        buf_puts(&r->note, "The threat model could not be drawn:");
        for (size_t i = 0; i < d.n; i++) buf_printf(&r->note, " %s", d.v[i].message);
        r->view.note = r->note.data;
        diag_free(&d);
        return &r->view;
    }
    diag_free(&d);
    threat_finish(&r->m, v, n, shown);
    view_of(r, shown && *shown ? shown : root);
    return &r->view;
}

void cli_threat_report_free(report_threat *t)
{
    if (!t) return;
    threat_report *r = (threat_report *)t; /* the view is its first member */
    threat_free(&r->m);
    buf_free(&r->stack);
    buf_free(&r->note);
    free(r->project);
    free(r);
}

/* ---- the command ----------------------------------------------------------------- */

static const char usage[] =
    "usage: vibeguard threat-model [PATH] [--format markdown|json|html] [--no-scan]\n"
    "                              [--diff REV] [-o FILE]\n"
    "\n"
    "A STRIDE threat model of the Python project at PATH (default .), drawn from\n"
    "its code: entry points (every route, its method, path, auth check and\n"
    "parameters), data stores (databases and their connection settings, files\n"
    "written, caches), external services (HTTP targets, LLM APIs with the model\n"
    "and the data sent, queues), subprocesses, secrets and where they come from,\n"
    "the flows between them and the trust boundaries they cross; for each element\n"
    "the threats that apply, with their evidence (a finding of the scan, or a fact\n"
    "of the code), a status (open, or mitigated) and the fix.\n"
    "\n"
    "  --format FMT   markdown (default: tables and a Mermaid data-flow diagram),\n"
    "                 json, or html (a self-contained page: the diagram as SVG)\n"
    "  --no-scan      the model of the code alone: no scan findings as evidence\n"
    "  --diff REV     what the working tree adds to the model of revision REV:\n"
    "                 elements and flows added, removed or changed, threats newly\n"
    "                 open (REV's tree is read from git, never checked out; both\n"
    "                 sides without the scan)\n"
    "  -o, --output FILE  write there instead of stdout\n"
    "  -h, --help     this help\n"
    "\n"
    "The model is deterministic: the same code gives the same bytes, so it can be\n"
    "committed and diffed in review.  No secret value is ever shown.\n"
    "Exit code: 0 done, 2 error.\n";

enum { T_FORMAT = 1, T_NO_SCAN, T_DIFF, T_OUTPUT, T_HELP };
static const arg_opt opts[] = {
    {"format", 'f', 1, T_FORMAT}, {"no-scan", 0, 0, T_NO_SCAN}, {"diff", 0, 1, T_DIFF},
    {"output", 'o', 1, T_OUTPUT}, {"help", 'h', 0, T_HELP},     {0, 0, 0, 0},
};

/* The model of root's working tree (scanned unless no_scan). 2 on error. */
static int build(tm_model *m, const char *root, int no_scan)
{
    threat_init(m);
    diag_list d = {0};
    if (threat_add_tree(m, root, &d)) {
        cli_print_diags(stderr, &d, DIAG_ERROR);
        diag_free(&d);
        return 2;
    }
    diag_free(&d);
    if (no_scan) {
        threat_finish(m, NULL, 0, root);
        return 0;
    }
    vg_opts o;
    vg_out out;
    int rc = cli_scan_project(root, &o, &out);
    if (!rc) {
        char *shown = walk_display_root(root);
        threat_finish(m, out.v, out.n, shown);
        free(shown);
    }
    out_free(&out);
    opts_free(&o);
    return rc;
}

int cmd_threat_model(int argc, char **argv)
{
    arg_parser ap;
    args_init(&ap, argc, argv);
    const char *val, *root = NULL, *rev = NULL, *output = NULL;
    int json = 0, html = 0, no_scan = 0, id;
    while ((id = args_next(&ap, opts, &val)) != ARG_END) {
        switch (id) {
        case ARG_ERROR: return cli_error("threat-model: %s", ap.err);
        case ARG_POSITIONAL:
            if (root) return cli_error("threat-model: one project at a time (got '%s' and '%s')", root, val);
            root = val;
            break;
        case T_FORMAT:
            json = !strcmp(val, "json");
            html = !strcmp(val, "html");
            if (!json && !html && strcmp(val, "markdown") && strcmp(val, "md"))
                return cli_error("threat-model: --format must be markdown, json or html, not '%s'", val);
            break;
        case T_NO_SCAN: no_scan = 1; break;
        case T_DIFF: rev = val; break;
        case T_OUTPUT: output = val; break;
        case T_HELP: fputs(usage, stdout); return 0;
        }
    }
    if (!root) root = ".";
    if (html && rev) return cli_error("threat-model: --diff is Markdown or JSON, not html");
    struct stat st;
    if (stat(root, &st) || !S_ISDIR(st.st_mode))
        return cli_error("threat-model: not a directory: %s", root);
    tm_model m;
    int rc = build(&m, root, no_scan || rev);
    if (rc) {
        threat_free(&m);
        return rc;
    }
    buf b;
    buf_init(&b, 0);
    if (rev) {
        tm_model base;
        threat_init(&base);
        diag_list d = {0};
        if (threat_add_rev(&base, root, rev, &d)) {
            cli_print_diags(stderr, &d, DIAG_ERROR);
            rc = 2;
        } else {
            cli_print_diags(stderr, &d, DIAG_WARNING);
            threat_finish(&base, NULL, 0, root);
            tm_diff df;
            threat_diff(&base, &m, &df);
            if (json) render_diff_json(&b, &df, rev);
            else render_diff_markdown(&b, &df, rev);
            threat_diff_free(&df);
        }
        diag_free(&d);
        threat_free(&base);
    } else if (json) {
        render_json(&b, &m);
    } else if (html) {
        threat_report r = {.m = m};
        char *shown = walk_display_root(root);
        view_of(&r, shown);
        report_threat_page(&r.view, VG_VERSION, &b);
        buf_free(&r.stack);
        free(r.project);
        free(shown);
    } else {
        render_markdown(&b, &m, root);
    }
    if (!rc && output) {
        diag_list d = {0};
        if (fs_write_atomic(output, b.data, b.len, 0666, "cannot write the threat model", &d)) {
            cli_print_diags(stderr, &d, DIAG_ERROR);
            rc = 2;
        }
        diag_free(&d);
    } else if (!rc) {
        rc = cli_write_stdout("threat-model", b.data, b.len);
    }
    buf_free(&b);
    threat_free(&m);
    return rc;
}
