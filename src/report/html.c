/* html.c - one self-contained HTML page a reviewer opens: a summary with
 * counts by severity, analyzer and rule (bar charts), the findings grouped
 * by file in collapsible groups (regrouped by rule in the page), filters by
 * severity, analyzer, tier and text, each taint path drawn step by step,
 * and the documentation of every rule reported.
 *
 * Self-contained: the CSS and the small script (data/report.css,
 * data/report.js) are inlined, and a Content-Security-Policy forbids every
 * request; the script runs because its SHA-256 is in the policy, so no
 * other script could.  Every string from a scanned file or a rule goes
 * through h(): visible escapes (report_visible), then entity encoding,
 * in text and in attributes alike.  Findings arrive masked.  The script
 * only moves nodes, sets textContent and toggles `hidden`.  Without the
 * script the page still shows everything, grouped by file. */
#include "report.h"
#include "report_int.h"
#include "../core/embed.h"
#include "../core/xalloc.h"

#include <sodium.h>
#include <stdlib.h>
#include <string.h>

EMBED_DECL(report_css);
EMBED_DECL(report_js);

/* Visible text, then HTML-escaped (text and quoted attribute values). */
void report_html_text(buf *b, const char *s)
{
    if (!s) return;
    buf v;
    buf_init(&v, 0);
    report_visible(&v, s, strlen(s));
    for (size_t i = 0; i < v.len; i++) {
        char c = v.data[i];
        switch (c) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&#39;"); break;
        default: buf_putc(b, c); break;
        }
    }
    buf_free(&v);
}

static void h(buf *b, const char *s)
{
    report_html_text(b, s);
}

/* The in-page anchor of a rule's documentation: "rule-" and the id with
 * every byte outside [A-Za-z0-9_.:-] as _XX, so it is the same in id=""
 * and in href="#..." and needs no further escaping. */
void report_html_anchor(buf *b, const char *id)
{
    buf_puts(b, "rule-");
    for (const unsigned char *p = (const unsigned char *)id; *p; p++) {
        if ((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') || (*p >= '0' && *p <= '9') ||
            *p == '_' || *p == '.' || *p == ':' || *p == '-')
            buf_putc(b, (char)*p);
        else
            buf_printf(b, "_%02X", *p);
    }
}

static void anchor(buf *b, const char *id)
{
    report_html_anchor(b, id);
}

static const char *analyzer_of(const rule_meta *r)
{
    return r->analyzer && *r->analyzer ? r->analyzer : "other";
}

static const char *tier_str(finding_tier t)
{
    return t == TIER_REVIEW ? "review" : "issue";
}

static unsigned sev_index(severity s)
{
    return (unsigned)s <= SEV_CRITICAL ? (unsigned)s : 0;
}

/* --- counting ------------------------------------------------------------- */

typedef struct tally {
    const char *key;          /* analyzer name or rule id (not owned) */
    const rule_meta *rule;    /* for rules */
    size_t n;
} tally;

typedef struct tallies {
    tally *v;
    size_t n;
} tallies;

static void tally_add(tallies *t, const char *key, const rule_meta *r)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->v[i].key, key)) {
            t->v[i].n++;
            return;
        }
    t->v = xrealloc_n(t->v, t->n + 1, sizeof *t->v);
    t->v[t->n++] = (tally){key, r, 1};
}

/* A rule documented but not counted (one merged into another's finding). */
static void tally_note(tallies *t, const rule_meta *r)
{
    for (size_t i = 0; i < t->n; i++)
        if (!strcmp(t->v[i].key, r->id)) return;
    t->v = xrealloc_n(t->v, t->n + 1, sizeof *t->v);
    t->v[t->n++] = (tally){r->id, r, 0};
}

static int by_count(const void *a, const void *b)
{
    const tally *x = a, *y = b;
    if (x->n != y->n) return x->n < y->n ? 1 : -1;
    return strcmp(x->key, y->key);
}

static int by_key(const void *a, const void *b)
{
    return strcmp(((const tally *)a)->key, ((const tally *)b)->key);
}

#define HTML_CHART_ROWS 15 /* rules shown in the chart; the rest are summed */

/* One bar chart: a row per tally, the bar's width relative to the largest. */
static void chart(buf *out, const char *title, const tally *v, size_t n, int rules, int sev)
{
    size_t max = 1, rest = 0, rest_n = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].n > max) max = v[i].n;
    buf_puts(out, "<table class=\"chart\"><caption><b>");
    buf_puts(out, title);
    buf_puts(out, "</b></caption>\n");
    for (size_t i = 0; i < n; i++) {
        if (rules && i >= HTML_CHART_ROWS) {
            rest += v[i].n;
            rest_n++;
            continue;
        }
        buf_puts(out, "<tr><th>");
        if (rules) {
            buf_puts(out, "<a class=\"id\" href=\"#");
            anchor(out, v[i].key);
            buf_puts(out, "\">");
            h(out, v[i].key);
            buf_puts(out, "</a> ");
            h(out, v[i].rule->title);
        } else {
            h(out, v[i].key);
        }
        /* the bar takes the severity's colour: a severity's own, a rule's default */
        const char *cls = rules ? severity_str(v[i].rule->severity) : sev ? v[i].key : "";
        buf_printf(out, "</th><td><span class=\"bar %s\" style=\"width:%zupx\"></span>%zu</td></tr>\n",
                   cls, 1 + v[i].n * 160 / max, v[i].n);
    }
    if (rest_n)
        buf_printf(out, "<tr><th>%zu more rules</th><td>%zu</td></tr>\n", rest_n, rest);
    buf_puts(out, "</table>\n");
}

static void summary(const report_ctx *c, buf *out, tallies *an, tallies *rules)
{
    size_t by_sev[5] = {0}, review = 0;
    for (size_t i = 0; i < c->n; i++) {
        const finding *f = c->v[i];
        by_sev[sev_index(f->severity)]++;
        review += f->tier == TIER_REVIEW;
        tally_add(an, analyzer_of(f->rule), NULL);
        tally_add(rules, f->rule->id, f->rule);
    }
    buf_printf(out, "<p class=\"meta\">%zu finding%s", c->n, c->n == 1 ? "" : "s");
    if (review) buf_printf(out, " (%zu review item%s)", review, review == 1 ? "" : "s");
    if (c->stats) buf_printf(out, " &middot; %zu files scanned", c->stats->files);
    if (c->counts && c->counts->review)
        buf_printf(out, " &middot; %zu review items not shown (--profile audit shows them)",
                   c->counts->review);
    if (c->threat && !c->threat->note) {
        size_t open = 0;
        for (size_t i = 0; i < c->threat->nth; i++) open += c->threat->th[i].open;
        buf_printf(out, " &middot; <a href=\"#threat-model\">threat model</a>: %zu threats, %zu open",
                   c->threat->nth, open);
    }
    buf_puts(out, "</p>\n<section id=\"summary\"><div class=\"cards\">");
    for (int s = SEV_CRITICAL; s >= SEV_LOW; s--)
        buf_printf(out, "<div class=\"card\" data-sev=\"%s\"><b>%zu</b><span class=\"sev %s\">%s</span></div>",
                   severity_str((severity)s), by_sev[s], severity_str((severity)s),
                   severity_str((severity)s));
    buf_puts(out, "</div>\n<div class=\"charts\">\n");
    tally sev[4];
    for (int s = SEV_CRITICAL; s >= SEV_LOW; s--)
        sev[SEV_CRITICAL - s] = (tally){severity_str((severity)s), NULL, by_sev[s]};
    chart(out, "By severity", sev, 4, 0, 1);
    if (an->n) qsort(an->v, an->n, sizeof *an->v, by_count);
    chart(out, "By analyzer", an->v, an->n, 0, 0);
    if (rules->n) qsort(rules->v, rules->n, sizeof *rules->v, by_count);
    chart(out, "By rule", rules->v, rules->n, 1, 0);
    buf_puts(out, "</div></section>\n");
}

/* --- the filter bar ---------------------------------------------------------- */

static void filters(const report_ctx *c, buf *out, const tallies *an)
{
    size_t by_sev[5] = {0};
    for (size_t i = 0; i < c->n; i++) by_sev[sev_index(c->v[i]->severity)]++;
    /* hidden until the script shows it: without the script it would do nothing */
    buf_puts(out, "<form id=\"filters\" hidden><fieldset><legend>Severity</legend>");
    for (int s = SEV_CRITICAL; s >= SEV_LOW; s--)
        buf_printf(out, "<label><input type=\"checkbox\" name=\"sev\" value=\"%s\" checked> %s (%zu)</label> ",
                   severity_str((severity)s), severity_str((severity)s), by_sev[s]);
    buf_puts(out, "</fieldset>\n<label><b>Analyzer</b> <select name=\"an\"><option value=\"\">all</option>");
    for (size_t i = 0; i < an->n; i++) {
        buf_puts(out, "<option value=\"");
        h(out, an->v[i].key);
        buf_puts(out, "\">");
        h(out, an->v[i].key);
        buf_printf(out, " (%zu)</option>", an->v[i].n);
    }
    buf_puts(out, "</select></label>\n<label><b>Tier</b> <select name=\"tier\"><option value=\"\">all</option>"
                  "<option value=\"issue\">issues</option><option value=\"review\">review items</option>"
                  "</select></label>\n<label><b>Search</b> <input type=\"search\" name=\"q\" "
                  "placeholder=\"text, path, rule\"></label>\n<label><b>Group by</b> <select name=\"group\">"
                  "<option value=\"file\">file</option><option value=\"rule\">rule</option></select></label>\n"
                  "<button type=\"button\" id=\"expand\">expand all</button>"
                  "<button type=\"button\" id=\"collapse\">collapse all</button>"
                  "<output id=\"shown\"></output></form>\n");
}

/* --- one finding ------------------------------------------------------------- */

static void context(buf *out, const finding *f)
{
    const char *ctx = f->context && *f->context ? f->context : f->snippet;
    int ln = f->context && *f->context ? f->context_line : f->line;
    if (!ctx || !*ctx) return;
    buf_puts(out, "<pre>");
    buf line;
    buf_init(&line, 0);
    for (const char *p = ctx;; ln++) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int hit = ln >= f->line && ln <= (f->end_line > f->line ? f->end_line : f->line);
        buf_clear(&line);
        buf_append(&line, p, len);
        buf_printf(out, "%s%5d | ", hit ? "<span class=\"hit\">" : "", ln);
        h(out, line.data);
        buf_puts(out, hit ? "</span>\n" : "\n");
        if (!e) break;
        p = e + 1;
    }
    buf_free(&line);
    buf_puts(out, "</pre>\n");
}

/* The taint path, source first: numbered steps joined by a line. */
static void taint_path(buf *out, const finding *f)
{
    if (!f->nsteps) return;
    buf_printf(out, "<ol class=\"path\" aria-label=\"taint path, %zu steps\">", f->nsteps);
    for (size_t k = 0; k < f->nsteps; k++) {
        const char *role = k == 0 ? "source" : k + 1 == f->nsteps ? "sink" : "";
        buf_printf(out, "<li><span class=\"n\">%zu</span><span class=\"role\">%s</span><span class=\"loc\">",
                   k + 1, role);
        h(out, f->steps[k].path ? f->steps[k].path : f->path);
        buf_printf(out, ":%d:%d</span> ", f->steps[k].line, f->steps[k].col);
        h(out, f->steps[k].message);
        buf_puts(out, "</li>");
    }
    buf_puts(out, "</ol>\n");
}

static void one_finding(buf *out, const finding *f)
{
    const rule_meta *r = f->rule;
    const char *sev = severity_str(f->severity);
    buf_printf(out, "<div class=\"f\" data-sev=\"%s\" data-tier=\"%s\" data-an=\"", sev, tier_str(f->tier));
    h(out, analyzer_of(r));
    buf_puts(out, "\" data-rule=\"");
    h(out, r->id);
    buf_puts(out, "\" data-title=\"");
    h(out, r->title);
    buf_puts(out, "\" data-file=\"");
    h(out, f->path);
    buf_printf(out, "\"><div><span class=\"sev %s\">%s</span> <a class=\"id\" href=\"#", sev, sev);
    anchor(out, r->id);
    buf_puts(out, "\">");
    h(out, r->id);
    buf_puts(out, "</a> ");
    h(out, r->title);
    if (f->tier == TIER_REVIEW) buf_puts(out, " <span class=\"tier\">review</span>");
    buf_printf(out, " &middot; confidence %s", confidence_str(f->confidence));
    for (size_t k = 0; k < f->nalso; k++) {
        buf_puts(out, " &middot; also <a class=\"id\" href=\"#");
        anchor(out, f->also[k]->id);
        buf_puts(out, "\">");
        h(out, f->also[k]->id);
        buf_puts(out, "</a>");
    }
    buf_puts(out, "</div>\n<div class=\"loc\">");
    h(out, f->path);
    buf_printf(out, ":%d:%d</div>\n<p>", f->line, f->col);
    h(out, f->message);
    if (f->tier == TIER_REVIEW && f->tier_why) {
        buf_puts(out, " <i>(review: ");
        h(out, f->tier_why);
        buf_puts(out, ")</i>");
    }
    buf_puts(out, "</p>\n");
    context(out, f);
    taint_path(out, f);
    const char *fix = f->fix ? f->fix : r->fix;
    if (fix) {
        buf_puts(out, "<p><b>Fix:</b> ");
        h(out, fix);
        buf_puts(out, "</p>\n");
    }
    if (f->commit) {
        buf_puts(out, "<p class=\"loc\">commit ");
        h(out, f->commit);
        buf_puts(out, " &middot; ");
        h(out, f->author);
        buf_puts(out, " &middot; ");
        h(out, f->date);
        buf_puts(out, "</p>\n");
    }
    buf_puts(out, "</div>\n");
}

/* Findings by path, stable: the report's order within a file. */
typedef struct placed {
    const finding *f;
    size_t at;
} placed;

static int by_path(const void *a, const void *b)
{
    const placed *x = a, *y = b;
    int d = strcmp(x->f->path, y->f->path);
    return d ? d : (x->at > y->at) - (x->at < y->at);
}

static void findings(const report_ctx *c, buf *out)
{
    buf_puts(out, "<main id=\"findings\">\n");
    if (!c->n) buf_puts(out, "<p>No findings.</p>\n");
    placed *ix = xmalloc_n(c->n ? c->n : 1, sizeof *ix);
    for (size_t i = 0; i < c->n; i++) ix[i] = (placed){c->v[i], i};
    qsort(ix, c->n, sizeof *ix, by_path);
    for (size_t i = 0; i < c->n;) {
        const char *path = ix[i].f->path;
        size_t j = i;
        while (j < c->n && !strcmp(ix[j].f->path, path)) j++;
        buf_puts(out, "<details class=\"g\" open data-key=\"");
        h(out, path);
        buf_puts(out, "\"><summary><span class=\"gname\">");
        h(out, path);
        buf_printf(out, "</span><span class=\"gcount\">%zu</span></summary>\n", j - i);
        for (; i < j; i++) one_finding(out, ix[i].f);
        buf_puts(out, "</details>\n");
    }
    free(ix);
    buf_puts(out, "</main>\n");
}

/* --- rule documentation -------------------------------------------------------- */

/* One link, unless `seen` ("\n" and the URLs listed so far, each followed
 * by "\n") has it already. */
static void link(buf *out, buf *seen, const char *url, size_t n)
{
    buf u;
    buf_init(&u, 0);
    buf_putc(&u, '\n');
    buf_append(&u, url, n);
    buf_putc(&u, '\n');
    if (!strstr(seen->data, u.data)) {
        buf_append(seen, u.data + 1, u.len - 1);
        u.data[u.len - 1] = 0;
        buf_puts(out, "<li><a rel=\"noopener noreferrer\" href=\"");
        h(out, u.data + 1);
        buf_puts(out, "\">");
        h(out, u.data + 1);
        buf_puts(out, "</a></li>");
    }
    buf_free(&u);
}

static void rule_doc(buf *out, const rule_meta *r)
{
    /* closed until wanted: following a link to it opens it */
    buf_puts(out, "<details class=\"rule\" id=\"");
    anchor(out, r->id);
    buf_printf(out, "\"><summary><span class=\"sev %s\">%s</span> <span class=\"id\">", severity_str(r->severity),
               severity_str(r->severity));
    h(out, r->id);
    buf_puts(out, "</span> ");
    h(out, r->title);
    buf_puts(out, "</summary>\n<p class=\"meta\">analyzer ");
    h(out, analyzer_of(r));
    if (r->owasp) {
        buf_puts(out, " &middot; OWASP ");
        h(out, r->owasp);
    }
    buf_puts(out, " &middot; <code>vibeguard rules ");
    h(out, r->id);
    buf_puts(out, "</code></p>\n");
    if (r->description) {
        buf_puts(out, "<p>");
        h(out, r->description);
        buf_puts(out, "</p>\n");
    }
    if (r->fix) {
        buf_puts(out, "<p><b>Fix:</b> ");
        h(out, r->fix);
        buf_puts(out, "</p>\n");
    }
    buf seen;
    buf_init(&seen, 0);
    buf_puts(&seen, "\n");
    buf_puts(out, "<ul>");
    for (int k = 0; k < RULE_MAX_CWE && r->cwe[k]; k++) {
        char u[96];
        int n = snprintf(u, sizeof u, "https://cwe.mitre.org/data/definitions/%d.html", r->cwe[k]);
        link(out, &seen, u, (size_t)n);
    }
    /* references: space-separated; only http(s) URLs become links */
    for (const char *p = r->references; p && *p;) {
        while (*p == ' ') p++;
        size_t n = strcspn(p, " ");
        if (n && (!strncmp(p, "https://", 8) || !strncmp(p, "http://", 7))) link(out, &seen, p, n);
        p += n;
    }
    buf_free(&seen);
    buf_puts(out, "</ul></details>\n");
}

static void rules_section(const report_ctx *c, buf *out, tallies *rules)
{
    for (size_t i = 0; i < c->n; i++)
        for (size_t k = 0; k < c->v[i]->nalso; k++) tally_note(rules, c->v[i]->also[k]);
    if (!rules->n) return;
    qsort(rules->v, rules->n, sizeof *rules->v, by_key);
    buf_printf(out, "<section id=\"rules\"><h2>Rules</h2>\n<p>The %zu rules reported; open one to read "
                    "what it looks for and how to fix it.</p>\n", rules->n);
    for (size_t i = 0; i < rules->n; i++) rule_doc(out, rules->v[i].rule);
    buf_puts(out, "</section>\n");
}

/* --- the page ---------------------------------------------------------------- */

/* The page up to <body>'s heading: the policy (the script's hash), the CSS. */
static void page_head(buf *out, const char *title)
{
    unsigned char sum[crypto_hash_sha256_BYTES];
    char b64[sodium_base64_ENCODED_LEN(crypto_hash_sha256_BYTES, sodium_base64_VARIANT_ORIGINAL)];
    crypto_hash_sha256(sum, (const unsigned char *)EMBED_DATA(report_js), EMBED_SIZE(report_js));
    sodium_bin2base64(b64, sizeof b64, sum, sizeof sum, sodium_base64_VARIANT_ORIGINAL);
    buf_printf(out,
               "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
               "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
               "style-src 'unsafe-inline'; script-src 'sha256-%s'; form-action 'none'; "
               "base-uri 'none'\">"
               "<meta name=\"viewport\" content=\"width=device-width\">"
               "<title>",
               b64);
    h(out, title);
    buf_puts(out, "</title><style>");
    buf_append(out, EMBED_DATA(report_css), EMBED_SIZE(report_css));
    buf_puts(out, "</style></head><body>\n<h1>");
    h(out, title);
    buf_puts(out, "</h1>\n");
}

void report_threat_page(const report_threat *t, const char *version, buf *out)
{
    page_head(out, "vibeguard threat model");
    report_html_threat(t, NULL, 0, out);
    buf_printf(out, "<p class=\"meta\">vibeguard %s</p>\n</body></html>\n", version ? version : "");
}

void report_html(const report_ctx *c, buf *out)
{
    page_head(out, "vibeguard report");
    tallies an = {0}, rules = {0};
    summary(c, out, &an, &rules);
    buf_puts(out, "<h2>Findings</h2>\n");
    if (c->n) filters(c, out, &an);
    findings(c, out);
    if (c->threat) report_html_threat(c->threat, c->v, c->n, out);
    rules_section(c, out, &rules);
    if (c->diags && c->diags->n) {
        buf_puts(out, "<h2>Errors and warnings</h2>\n<table><tr><th>level</th><th>where</th>"
                      "<th>message</th></tr>\n");
        for (size_t i = 0; i < c->diags->n; i++) {
            const diag *d = &c->diags->v[i];
            buf_printf(out, "<tr><td>%s</td><td class=\"loc\">", diag_level_str(d->level));
            h(out, d->path);
            if (d->line > 0) buf_printf(out, ":%d", d->line);
            buf_puts(out, "</td><td>");
            h(out, d->message);
            buf_puts(out, "</td></tr>\n");
        }
        buf_puts(out, "</table>\n");
    }
    buf_printf(out, "<p class=\"meta\">vibeguard %s</p>\n", c->version ? c->version : "");
    if (c->n) {
        buf_puts(out, "<script>");
        buf_append(out, EMBED_DATA(report_js), EMBED_SIZE(report_js));
        buf_puts(out, "</script>\n");
    }
    buf_puts(out, "</body></html>\n");
    free(an.v);
    free(rules.v);
}
