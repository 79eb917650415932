/* html.c - one self-contained HTML page (inline CSS, no scripts, no
 * external resources), every string entity-encoded and control or
 * invisible characters shown as visible escapes. */
#include "report.h"

#include <string.h>

/* Visible text, then HTML-escaped. */
static void h(buf *b, const char *s)
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

static const char css[] =
    "body{font:14px/1.45 system-ui,sans-serif;margin:2em auto;max-width:70em;color:#222}"
    "h1{font-size:1.4em}.f{border:1px solid #ddd;border-radius:6px;margin:1em 0;padding:.6em 1em}"
    ".id{font-weight:bold;font-family:monospace}.sev{padding:0 .4em;border-radius:3px;color:#fff}"
    ".critical{background:#7b1fa2}.high{background:#c62828}.medium{background:#ef6c00}"
    ".low{background:#0277bd}pre{background:#f6f8fa;padding:.5em;overflow:auto}"
    ".loc{font-family:monospace;color:#555}.hit{background:#fff3c4}table{border-collapse:collapse}"
    "td,th{padding:.2em .8em;border-bottom:1px solid #eee;text-align:left}";

void report_html(const report_ctx *c, buf *out)
{
    buf_puts(out, "<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
                  "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; "
                  "style-src 'unsafe-inline'\">"
                  "<title>vibeguard report</title><style>");
    buf_puts(out, css);
    buf_puts(out, "</style></head><body>\n<h1>vibeguard report</h1>\n");
    size_t by_sev[5] = {0};
    for (size_t i = 0; i < c->n; i++) by_sev[(unsigned)c->v[i]->severity < 5 ? c->v[i]->severity : 0]++;
    buf_printf(out, "<p>%zu finding%s", c->n, c->n == 1 ? "" : "s");
    for (int s = SEV_CRITICAL; s >= SEV_LOW; s--)
        buf_printf(out, " &middot; %zu %s", by_sev[s], severity_str((severity)s));
    if (c->stats) buf_printf(out, " &middot; %zu files scanned", c->stats->files);
    buf_puts(out, "</p>\n");
    for (size_t i = 0; i < c->n; i++) {
        const finding *f = c->v[i];
        const rule_meta *r = f->rule;
        const char *sev = severity_str(f->severity);
        buf_printf(out, "<div class=\"f\"><div><span class=\"sev %s\">%s</span> <span class=\"id\">",
                   sev, sev);
        h(out, r->id);
        buf_puts(out, "</span> ");
        h(out, r->title);
        buf_printf(out, " &middot; confidence %s", confidence_str(f->confidence));
        for (int k = 0; k < RULE_MAX_CWE && r->cwe[k]; k++) buf_printf(out, " &middot; CWE-%d", r->cwe[k]);
        if (r->owasp) {
            buf_puts(out, " &middot; ");
            h(out, r->owasp);
        }
        buf_puts(out, "</div>\n<div class=\"loc\">");
        h(out, f->path);
        buf_printf(out, ":%d:%d</div>\n<p>", f->line, f->col);
        h(out, f->message);
        buf_puts(out, "</p>\n");
        const char *ctx = f->context && *f->context ? f->context : f->snippet;
        int ln = f->context && *f->context ? f->context_line : f->line;
        if (ctx && *ctx) {
            buf_puts(out, "<pre>");
            for (const char *p = ctx;; ln++) {
                const char *e = strchr(p, '\n');
                size_t len = e ? (size_t)(e - p) : strlen(p);
                int hit = ln >= f->line && ln <= (f->end_line > f->line ? f->end_line : f->line);
                char tmp[4096];
                if (len >= sizeof tmp) len = sizeof tmp - 1;
                memcpy(tmp, p, len);
                tmp[len] = 0;
                buf_printf(out, "%s%5d | ", hit ? "<span class=\"hit\">" : "", ln);
                h(out, tmp);
                buf_puts(out, hit ? "</span>\n" : "\n");
                if (!e) break;
                p = e + 1;
            }
            buf_puts(out, "</pre>\n");
        }
        const char *fix = f->fix ? f->fix : r->fix;
        if (fix) {
            buf_puts(out, "<p><b>Fix:</b> ");
            h(out, fix);
            buf_puts(out, "</p>\n");
        }
        if (f->nsteps) {
            buf_puts(out, "<ol>");
            for (size_t k = 0; k < f->nsteps; k++) {
                buf_puts(out, "<li><span class=\"loc\">");
                h(out, f->steps[k].path ? f->steps[k].path : f->path);
                buf_printf(out, ":%d:%d</span> ", f->steps[k].line, f->steps[k].col);
                h(out, f->steps[k].message);
                buf_puts(out, "</li>");
            }
            buf_puts(out, "</ol>\n");
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
    buf_printf(out, "<p class=\"loc\">vibeguard %s</p>\n</body></html>\n", c->version ? c->version : "");
}
