/* html_threat.c - the "Threat model" section of the HTML report (and of
 * 'vibeguard threat-model --format html'): the data-flow diagram drawn as
 * inline SVG (one column per trust boundary, left to right in the order of
 * tm_boundaries; no script, no library, nothing loaded), the flows as a
 * table, the elements (entry points with method, path, authentication and
 * parameters; data stores; external services with the LLM models and the
 * data sent; processes; secrets) and the STRIDE threats with their
 * evidence, status and fix.
 *
 * Every string goes through report_html_text, in text and attributes
 * alike; coordinates are integers this file computes.  The records hold no
 * secret value (finding/tmodel.h).  An evidence item that opens with the
 * id of a rule reported on the page links to its documentation there. */
#include "report_int.h"
#include "../core/limits.h"
#include "../core/xalloc.h"

#include <stdlib.h>
#include <string.h>

static void h(buf *b, const char *s)
{
    report_html_text(b, s);
}

/* --- the diagram ------------------------------------------------------------- */

#define DFD_W 190      /* a node's width */
#define DFD_H 34       /* and height */
#define DFD_GAP 12     /* between nodes of a column */
#define DFD_COL 120    /* between columns, where the flows run */
#define DFD_PAD 16
#define DFD_TOP 34     /* room for the boundary's caption */
#define DFD_CHARS 26   /* a name longer than this is cut in the node (whole in its title) */
#define DFD_LABELS 256 /* flow labels placed at most; the rest are in the table */

typedef struct rect {
    int x, y, w, h;
} rect;

static int overlaps(const rect *a, const rect *b)
{
    return a->x < b->x + b->w && b->x < a->x + a->w && a->y < b->y + b->h && b->y < a->y + a->h;
}

/* s cut to DFD_CHARS bytes at a UTF-8 boundary, with an ellipsis. */
static void cut(buf *b, const char *s)
{
    size_t n = strlen(s);
    if (n <= DFD_CHARS) {
        buf_puts(b, s);
        return;
    }
    n = DFD_CHARS;
    while (n && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
    buf_append(b, s, n);
    buf_puts(b, "\xE2\x80\xA6");
}

static int column_of(const char *boundary)
{
    for (int k = 0; k < TM_BOUNDARY_COUNT; k++)
        if (!strcmp(boundary, tm_boundaries[k])) return k;
    return TM_BOUNDARY_COUNT - 1;
}

static size_t index_of(const report_threat *t, const char *id)
{
    for (size_t i = 0; i < t->nel; i++)
        if (!strcmp(t->el[i].id, id)) return i;
    return t->nel;
}

static size_t open_threats(const report_threat *t, const char *element)
{
    size_t n = 0;
    for (size_t i = 0; i < t->nth; i++) n += t->th[i].open && !strcmp(t->th[i].element, element);
    return n;
}

static const char *const kind_class[TM_KIND_COUNT] = {"actor", "entry", "process", "store",
                                                      "external", "secret"};

/* One node: its shape by kind, the name, a title with the whole name. */
static void dfd_node(buf *out, const report_threat *t, const tm_element *e, const rect *r)
{
    int x = r->x, y = r->y, w = r->w, hh = r->h;
    size_t open = open_threats(t, e->id);
    buf_printf(out, "<g class=\"tm-n tm-%s%s\" data-id=\"", kind_class[e->kind],
               e->kind == TM_ENTRY && e->auth <= 0 ? " tm-noauth" : "");
    h(out, e->id);
    buf_puts(out, "\"><title>");
    h(out, e->name);
    buf_puts(out, " (");
    h(out, e->type);
    buf_printf(out, "): %zu open threat%s</title>", open, open == 1 ? "" : "s");
    switch (e->kind) {
    case TM_ACTOR:
        buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"17\"/>", x, y, w, hh);
        break;
    case TM_STORE: /* a cylinder */
        buf_printf(out, "<path d=\"M%d,%d a%d,5 0 0,0 %d,0 a%d,5 0 0,0 %d,0 v%d a%d,5 0 0,0 %d,0 v%d\"/>",
                   x, y + 5, w / 2, w, w / 2, -w, hh - 10, w / 2, w, -(hh - 10));
        break;
    case TM_EXTERNAL: /* a hexagon */
        buf_printf(out, "<polygon points=\"%d,%d %d,%d %d,%d %d,%d %d,%d %d,%d\"/>", x + 10, y, x + w - 10,
                   y, x + w, y + hh / 2, x + w - 10, y + hh, x + 10, y + hh, x, y + hh / 2);
        break;
    case TM_SECRET: /* a flag */
        buf_printf(out, "<polygon points=\"%d,%d %d,%d %d,%d %d,%d %d,%d\"/>", x, y, x + w, y, x + w,
                   y + hh, x, y + hh, x + 10, y + hh / 2);
        break;
    case TM_PROCESS:
        buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"%d\"/>", x, y, w, hh,
                   strcmp(e->type, "subprocess") ? 12 : 0);
        if (!strcmp(e->type, "subprocess"))
            buf_printf(out, "<path d=\"M%d,%d v%d M%d,%d v%d\"/>", x + 8, y, hh, x + w - 8, y, hh);
        break;
    default:
        buf_printf(out, "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" rx=\"3\"/>", x, y, w, hh);
        break;
    }
    buf_printf(out, "<text x=\"%d\" y=\"%d\">", x + w / 2, y + hh / 2 + 4);
    buf name;
    buf_init(&name, 0);
    cut(&name, e->name);
    h(out, name.data);
    buf_free(&name);
    buf_puts(out, "</text>");
    if (open) buf_printf(out, "<text class=\"tm-open\" x=\"%d\" y=\"%d\">%zu</text>", x + w - 4, y + 11, open);
    buf_puts(out, "</g>\n");
}

/* One flow: a cubic curve between the facing sides of the two nodes (the
 * right side of both within a column), an arrowhead, and its label at the
 * middle unless that spot is taken or the label repeats one of a flow
 * that leaves or reaches the same node (a fan of "HTTP request"). */
static void dfd_flow(buf *out, const tm_flow *f, int repeated, int shift, const rect *a, const rect *b,
                     int ca, int cb, rect *placed, size_t *nplaced, const rect *nodes, size_t nnodes)
{
    int ax, ay = a->y + a->h / 2 + shift, bx, by = b->y + b->h / 2 + shift, c1, c2, dir;
    if (ca < cb) {
        ax = a->x + a->w, bx = b->x, c1 = ax + (bx - ax) / 2, c2 = bx - (bx - ax) / 2, dir = 1;
    } else if (ca > cb) {
        ax = a->x, bx = b->x + b->w, c1 = ax - (ax - bx) / 2, c2 = bx + (ax - bx) / 2, dir = -1;
    } else {
        int bend = 30 + abs(ay - by) / 8;
        if (bend > DFD_COL - 20) bend = DFD_COL - 20;
        ax = a->x + a->w, bx = b->x + b->w, c1 = ax + bend, c2 = bx + bend, dir = -1;
    }
    buf_printf(out, "<g class=\"tm-f%s\"><title>", f->crosses ? " tm-x" : "");
    h(out, f->from);
    buf_puts(out, " \xE2\x86\x92 ");
    h(out, f->to);
    buf_puts(out, ": ");
    h(out, f->label);
    buf_printf(out, "</title><path d=\"M%d,%d C%d,%d %d,%d %d,%d\"/>", ax, ay, c1, ay, c2, by, bx, by);
    buf_printf(out, "<polygon points=\"%d,%d %d,%d %d,%d\"/>", bx - 8 * dir, by - 4, bx, by, bx - 8 * dir,
               by + 4);
    /* the curve's middle: (A + 3 C1 + 3 C2 + B) / 8 */
    int mx = (ax + 3 * c1 + 3 * c2 + bx) / 8, my = (ay + 3 * ay + 3 * by + by) / 8;
    int lw = 6 * (int)strlen(f->label) + 6;
    rect lr = {mx - lw / 2, my - 7, lw, 14};
    int free_spot = *nplaced < DFD_LABELS && !repeated;
    for (size_t i = 0; free_spot && i < *nplaced; i++) free_spot = !overlaps(&lr, &placed[i]);
    for (size_t i = 0; free_spot && i < nnodes; i++) free_spot = !overlaps(&lr, &nodes[i]);
    if (free_spot) {
        placed[(*nplaced)++] = lr;
        buf_printf(out, "<text x=\"%d\" y=\"%d\">", mx, my + 4);
        h(out, f->label);
        buf_puts(out, "</text>");
    }
    buf_puts(out, "</g>\n");
}

static void diagram(buf *out, const report_threat *t)
{
    if (t->nel > THREAT_HTML_MAX_NODES || t->nfl > THREAT_HTML_MAX_FLOWS) {
        buf_printf(out, "<p>Too large to draw (%zu elements, %zu flows; at most %d and %d): the "
                        "flows are in the table below.</p>\n",
                   t->nel, t->nfl, THREAT_HTML_MAX_NODES, THREAT_HTML_MAX_FLOWS);
        return;
    }
    /* columns: the boundaries that have an element, in order */
    int col_x[TM_BOUNDARY_COUNT], used[TM_BOUNDARY_COUNT] = {0}, ncols = 0;
    size_t rows[TM_BOUNDARY_COUNT] = {0}, maxrows = 0;
    for (size_t i = 0; i < t->nel; i++) used[column_of(t->el[i].boundary)] = 1;
    for (int k = 0; k < TM_BOUNDARY_COUNT; k++)
        col_x[k] = used[k] ? DFD_PAD + (ncols++) * (DFD_W + DFD_COL) : 0;
    rect *nodes = xmalloc_n(t->nel ? t->nel : 1, sizeof *nodes);
    int *col = xmalloc_n(t->nel ? t->nel : 1, sizeof *col);
    for (size_t i = 0; i < t->nel; i++) {
        int k = column_of(t->el[i].boundary);
        col[i] = k;
        nodes[i] = (rect){col_x[k], DFD_TOP + (int)rows[k] * (DFD_H + DFD_GAP), DFD_W, DFD_H};
        if (++rows[k] > maxrows) maxrows = rows[k];
    }
    int width = DFD_PAD * 2 + ncols * DFD_W + (ncols > 0 ? ncols - 1 : 0) * DFD_COL + DFD_COL / 2;
    int height = DFD_TOP + (int)maxrows * (DFD_H + DFD_GAP) + DFD_PAD;
    buf_printf(out, "<div class=\"tm-dfd\"><svg xmlns=\"http://www.w3.org/2000/svg\" role=\"img\" "
                    "width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" aria-label=\"data-flow diagram: "
                    "%zu elements, %zu flows\">\n",
               width, height, width, height, t->nel, t->nfl);
    for (int k = 0; k < TM_BOUNDARY_COUNT; k++) {
        if (!used[k]) continue;
        buf_printf(out, "<g class=\"tm-b\" data-boundary=\"%s\"><rect x=\"%d\" y=\"%d\" width=\"%d\" "
                        "height=\"%d\" rx=\"6\"/><text x=\"%d\" y=\"%d\">",
                   tm_boundaries[k], col_x[k] - 8, 6, DFD_W + 16, height - 12, col_x[k], 22);
        h(out, threat_boundary_name(tm_boundaries[k]));
        buf_puts(out, "</text></g>\n");
    }
    rect *placed = xmalloc_n(DFD_LABELS, sizeof *placed);
    size_t nplaced = 0;
    for (size_t i = 0; i < t->nfl; i++) {
        size_t a = index_of(t, t->fl[i].from), b = index_of(t, t->fl[i].to);
        if (a == t->nel || b == t->nel) continue;
        int repeated = 0;
        for (size_t j = 0; j < i && !repeated; j++)
            repeated = !strcmp(t->fl[j].label, t->fl[i].label) &&
                       (!strcmp(t->fl[j].from, t->fl[i].from) || !strcmp(t->fl[j].to, t->fl[i].to));
        /* a flow and its reverse (prompt, model output) side by side */
        int shift = 0;
        for (size_t j = 0; j < t->nfl && !shift; j++)
            if (!strcmp(t->fl[j].from, t->fl[i].to) && !strcmp(t->fl[j].to, t->fl[i].from))
                shift = strcmp(t->fl[i].from, t->fl[i].to) < 0 ? -6 : 6;
        dfd_flow(out, &t->fl[i], repeated, shift, &nodes[a], &nodes[b], col[a], col[b], placed, &nplaced, nodes,
                 t->nel);
    }
    for (size_t i = 0; i < t->nel; i++) dfd_node(out, t, &t->el[i], &nodes[i]);
    buf_puts(out, "</svg></div>\n");
    free(placed);
    free(nodes);
    free(col);
}

/* --- the tables ------------------------------------------------------------ */

static void sites(buf *out, const tm_element *e)
{
    buf_puts(out, "<td class=\"loc\">");
    for (size_t i = 0; i < e->sites.n && i < 3; i++) {
        buf_puts(out, i ? ", " : "");
        h(out, e->sites.v[i]);
    }
    if (e->sites.n > 3) buf_printf(out, " (+%zu)", e->sites.n - 3);
    buf_puts(out, "</td>");
}

static void joined(buf *out, const str_list *l)
{
    for (size_t i = 0; i < l->n; i++) {
        buf_puts(out, i ? ", " : "");
        h(out, l->v[i]);
    }
}

static void attr(buf *out, const tm_element *e, const char *key)
{
    const char *v = threat_attr(e, key);
    h(out, v ? v : "");
}

static size_t count_kind(const report_threat *t, tm_kind k)
{
    size_t n = 0;
    for (size_t i = 0; i < t->nel; i++) n += t->el[i].kind == k;
    return n;
}

/* <tr class="tm-el" data-id="..."> */
static void row_open(buf *out, const tm_element *e)
{
    buf_puts(out, "<tr class=\"tm-el\" data-id=\"");
    h(out, e->id);
    buf_puts(out, "\">");
}

static void entry_points(buf *out, const report_threat *t)
{
    buf_printf(out, "<h3>Entry points (%zu)</h3>\n<table class=\"tm-entry\"><tr><th>method</th><th>path</th>"
                    "<th>handler</th><th>authentication</th><th>parameters</th><th>where</th></tr>\n",
               count_kind(t, TM_ENTRY));
    for (size_t i = 0; i < t->nel; i++) {
        const tm_element *e = &t->el[i];
        if (e->kind != TM_ENTRY) continue;
        row_open(out, e);
        buf_puts(out, "<td class=\"id\">");
        h(out, e->methods);
        buf_puts(out, "</td><td class=\"id\">");
        h(out, e->path ? e->path : e->name);
        buf_puts(out, "</td><td>");
        h(out, e->handler);
        if (e->auth > 0) {
            buf_puts(out, "</td><td class=\"tm-auth\">");
            h(out, e->auth_how);
        } else {
            buf_puts(out, "</td><td class=\"tm-auth tm-none\">none");
        }
        buf_puts(out, "</td><td>");
        for (size_t k = 0; k < e->nparams; k++) {
            const tm_param *p = &e->params[k];
            buf_puts(out, k ? ", " : "");
            buf_puts(out, "<code>");
            h(out, p->name);
            buf_puts(out, "</code> (");
            h(out, p->in);
            if (*p->validation) {
                buf_puts(out, ", ");
                h(out, p->validation);
            } else {
                buf_puts(out, ", <b>unvalidated</b>");
            }
            buf_puts(out, ")");
        }
        buf_puts(out, "</td>");
        sites(out, e);
        buf_puts(out, "</tr>\n");
    }
    buf_puts(out, "</table>\n");
}

static void others(buf *out, const report_threat *t)
{
    if (count_kind(t, TM_STORE)) {
        buf_printf(out, "<h3>Data stores (%zu)</h3>\n<table class=\"tm-store\"><tr><th>store</th><th>type</th>"
                        "<th>engine</th><th>connection settings</th><th>where</th></tr>\n",
                   count_kind(t, TM_STORE));
        for (size_t i = 0; i < t->nel; i++) {
            const tm_element *e = &t->el[i];
            if (e->kind != TM_STORE) continue;
            row_open(out, e);
            buf_puts(out, "<td>");
            h(out, e->name);
            buf_puts(out, "</td><td>");
            h(out, e->type);
            buf_puts(out, "</td><td>");
            attr(out, e, "engine");
            buf_puts(out, "</td><td class=\"loc\">");
            attr(out, e, "settings");
            buf_puts(out, "</td>");
            sites(out, e);
            buf_puts(out, "</tr>\n");
        }
        buf_puts(out, "</table>\n");
    }
    if (count_kind(t, TM_EXTERNAL)) {
        buf_printf(out, "<h3>External services (%zu)</h3>\n<table class=\"tm-external\"><tr><th>service</th>"
                        "<th>type</th><th>details</th><th>data sent</th><th>where</th></tr>\n",
                   count_kind(t, TM_EXTERNAL));
        for (size_t i = 0; i < t->nel; i++) {
            const tm_element *e = &t->el[i];
            if (e->kind != TM_EXTERNAL) continue;
            row_open(out, e);
            buf_puts(out, "<td>");
            h(out, e->name);
            buf_puts(out, "</td><td>");
            h(out, e->type);
            buf_puts(out, "</td><td>");
            if (!strcmp(e->type, "llm")) {
                buf_puts(out, "model: ");
                if (e->models.n) joined(out, &e->models);
                else buf_puts(out, "(not set in the call)");
            } else if (!strcmp(e->type, "http")) {
                attr(out, e, "client");
                const char *s = threat_attr(e, "scheme");
                if (s) {
                    buf_puts(out, ", ");
                    h(out, s);
                }
            } else {
                attr(out, e, "settings");
            }
            buf_puts(out, "</td><td>");
            joined(out, &e->data);
            if (e->user_data) buf_puts(out, " <b>(request data)</b>");
            buf_puts(out, "</td>");
            sites(out, e);
            buf_puts(out, "</tr>\n");
        }
        buf_puts(out, "</table>\n");
    }
    if (count_kind(t, TM_PROCESS)) {
        buf_printf(out, "<h3>Processes (%zu)</h3>\n<table class=\"tm-process\"><tr><th>process</th><th>how</th>"
                        "<th>where</th></tr>\n",
                   count_kind(t, TM_PROCESS));
        for (size_t i = 0; i < t->nel; i++) {
            const tm_element *e = &t->el[i];
            if (e->kind != TM_PROCESS) continue;
            row_open(out, e);
            buf_puts(out, "<td>");
            h(out, e->name);
            buf_puts(out, "</td><td>");
            if (!strcmp(e->type, "subprocess")) {
                attr(out, e, "call");
                if (e->shell) buf_puts(out, ", <b>through a shell</b>");
                if (e->dynamic) buf_puts(out, ", <b>arguments from data</b>");
            } else {
                buf_puts(out, "the application's own code outside route handlers");
            }
            buf_puts(out, "</td>");
            sites(out, e);
            buf_puts(out, "</tr>\n");
        }
        buf_puts(out, "</table>\n");
    }
    if (count_kind(t, TM_SECRET)) {
        buf_printf(out, "<h3>Secrets (%zu)</h3>\n<table class=\"tm-secret\"><tr><th>secret</th><th>comes from</th>"
                        "<th>where</th></tr>\n",
                   count_kind(t, TM_SECRET));
        for (size_t i = 0; i < t->nel; i++) {
            const tm_element *e = &t->el[i];
            if (e->kind != TM_SECRET) continue;
            row_open(out, e);
            buf_puts(out, "<td class=\"id\">");
            h(out, e->name);
            buf_puts(out, "</td><td>");
            attr(out, e, "source");
            buf_puts(out, "</td>");
            sites(out, e);
            buf_puts(out, "</tr>\n");
        }
        buf_puts(out, "</table>\n");
    }
}

static void flows(buf *out, const report_threat *t)
{
    buf_printf(out, "<details class=\"tm-flows\"><summary>The %zu flows as a table</summary>\n"
                    "<table><tr><th>from</th><th>to</th><th>data</th><th>trust boundary</th></tr>\n",
               t->nfl);
    for (size_t i = 0; i < t->nfl; i++) {
        const tm_flow *f = &t->fl[i];
        buf_puts(out, "<tr class=\"tm-flow\"><td class=\"loc\">");
        h(out, f->from);
        buf_puts(out, "</td><td class=\"loc\">");
        h(out, f->to);
        buf_puts(out, "</td><td>");
        h(out, f->label);
        buf_puts(out, f->crosses ? "</td><td>crossed</td></tr>\n" : "</td><td></td></tr>\n");
    }
    buf_puts(out, "</table></details>\n");
}

/* The rule ids of the findings on the page (their own and those merged
 * into them), sorted and unique, for evidence links. */
typedef struct page_rules {
    const char **v;
    size_t n;
} page_rules;

static int by_str(const void *a, const void *b)
{
    return strcmp(*(const char *const *)a, *(const char *const *)b);
}

static void page_rules_of(page_rules *p, finding *const *v, size_t n)
{
    size_t cap = 0;
    p->v = NULL;
    p->n = 0;
    for (size_t i = 0; i < n; i++) {
        XGROW(p->v, cap, p->n + 1 + v[i]->nalso);
        p->v[p->n++] = v[i]->rule->id;
        for (size_t k = 0; k < v[i]->nalso; k++) p->v[p->n++] = v[i]->also[k]->id;
    }
    if (!p->n) return;
    qsort(p->v, p->n, sizeof *p->v, by_str);
    size_t u = 1;
    for (size_t i = 1; i < p->n; i++)
        if (strcmp(p->v[i], p->v[u - 1])) p->v[u++] = p->v[i];
    p->n = u;
}

static void evidence(buf *out, const char *ev, const page_rules *p)
{
    size_t len = strcspn(ev, " ");
    char *id = xmalloc(len + 1);
    memcpy(id, ev, len);
    id[len] = 0;
    if (len && ev[len] && p->n && bsearch(&id, p->v, p->n, sizeof *p->v, by_str)) {
        buf_puts(out, "<a class=\"id\" href=\"#");
        report_html_anchor(out, id);
        buf_puts(out, "\">");
        h(out, id);
        buf_puts(out, "</a>");
        h(out, ev + len);
    } else {
        h(out, ev);
    }
    free(id);
}

static void threats(buf *out, const report_threat *t, finding *const *v, size_t n)
{
    size_t open = 0;
    for (size_t i = 0; i < t->nth; i++) open += t->th[i].open;
    buf_printf(out, "<h3>Threats (%zu: %zu open, %zu mitigated)</h3>\n", t->nth, open, t->nth - open);
    if (!t->nth) return;
    page_rules pr;
    page_rules_of(&pr, v, n);
    buf_puts(out, "<table class=\"tm-threats\"><tr><th>STRIDE</th><th>element</th><th>threat</th>"
                  "<th>evidence</th><th>status</th><th>fix</th></tr>\n");
    for (size_t i = 0; i < t->nth; i++) {
        const tm_threat *th = &t->th[i];
        buf_printf(out, "<tr class=\"tm-threat\" data-stride=\"%c\" data-status=\"%s\" data-element=\"",
                   th->stride, th->open ? "open" : "mitigated");
        h(out, th->element);
        buf_printf(out, "\"><td title=\"%s\"><b>%c</b></td><td class=\"loc\">", threat_stride_name(th->stride),
                   th->stride);
        h(out, th->element);
        buf_puts(out, "</td><td>");
        h(out, th->title);
        buf_puts(out, "</td><td><ul class=\"tm-ev\">");
        for (size_t k = 0; k < th->evidence.n; k++) {
            buf_puts(out, "<li>");
            evidence(out, th->evidence.v[k], &pr);
            buf_puts(out, "</li>");
        }
        buf_printf(out, "</ul></td><td class=\"tm-%s\">%s</td><td>", th->open ? "is-open" : "is-mitigated",
                   th->open ? "open" : "mitigated");
        if (th->open) h(out, th->fix);
        buf_puts(out, "</td></tr>\n");
    }
    buf_puts(out, "</table>\n");
    free(pr.v);
}

void report_html_threat(const report_threat *t, finding *const *v, size_t n, buf *out)
{
    buf_puts(out, "<section id=\"threat-model\"><h2>Threat model</h2>\n");
    if (t->note) {
        buf_puts(out, "<p>");
        h(out, t->note);
        buf_puts(out, "</p></section>\n");
        return;
    }
    buf_puts(out, "<p class=\"meta\">");
    h(out, t->project);
    buf_printf(out, " &middot; drawn from %zu Python file%s%s &middot; paths below the project</p>\n", t->files,
               t->files == 1 ? "" : "s", t->scanned ? " and the scan's findings" : " (no scan)");
    buf_puts(out, "<p>STRIDE: Spoofing, Tampering, Repudiation, Information disclosure, Denial of service, "
                  "Elevation of privilege. Stack: ");
    h(out, t->stack && *t->stack ? t->stack : "no known framework or library");
    buf_puts(out, ".</p>\n");
    size_t noauth = 0, open = 0;
    for (size_t i = 0; i < t->nel; i++) noauth += t->el[i].kind == TM_ENTRY && t->el[i].auth <= 0;
    for (size_t i = 0; i < t->nth; i++) open += t->th[i].open;
    buf_printf(out, "<div class=\"cards\"><div class=\"card\"><b>%zu</b>entry points (%zu without "
                    "authentication)</div><div class=\"card\"><b>%zu</b>data stores</div><div class=\"card\">"
                    "<b>%zu</b>external services</div><div class=\"card\"><b>%zu</b>secrets</div>"
                    "<div class=\"card\"><b>%zu</b>open threats of %zu</div></div>\n",
               count_kind(t, TM_ENTRY), noauth, count_kind(t, TM_STORE), count_kind(t, TM_EXTERNAL),
               count_kind(t, TM_SECRET), open, t->nth);
    buf_puts(out, "<h3>Data flow</h3>\n<p class=\"meta\">One column per trust boundary; a solid "
                  "flow crosses one, a dashed one stays inside; a red-edged route has no "
                  "authentication; a node's number counts its open threats.</p>\n");
    diagram(out, t);
    flows(out, t);
    buf_puts(out, "<h3>Elements</h3>\n");
    if (count_kind(t, TM_ENTRY)) entry_points(out, t);
    others(out, t);
    threats(out, t, v, n);
    buf_puts(out, "</section>\n");
}
