/* text.c - the human report: findings grouped by file, Bandit-like but
 * tighter, then errors and warnings, then a summary.
 *
 *   app.py
 *   >> B602 subprocess call with shell=True  severity: high  confidence: high  CWE-78 A03:2021
 *      app.py:3:1  subprocess call with shell=True on a command built from a request value
 *        2 | import subprocess
 *      > 3 | subprocess.call(cmd, shell=True)
 *        4 |
 *      fix: pass the command as a list and drop shell=True
 *
 * With TEXT_TABLE_MIN findings or more, a table of counts per rule comes
 * first (the shape of a long report at a glance); --group-by rule groups
 * the findings under each rule instead of each file.
 *
 * Everything echoed from a scanned file goes through report_visible.
 * Colour (ANSI) only when c->color is set; the CLI decides (TTY, NO_COLOR,
 * --no-color).
 */
#include "report.h"
#include "../core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#define TEXT_TABLE_MIN 10 /* findings from which the per-rule table is printed */

#define C_RESET "\033[0m"
#define C_BOLD "\033[1m"
#define C_DIM "\033[2m"

static const char *sev_color(severity s)
{
    switch (s) {
    case SEV_CRITICAL: return "\033[1;35m";
    case SEV_HIGH: return "\033[1;31m";
    case SEV_MEDIUM: return "\033[33m";
    case SEV_LOW: return "\033[36m";
    default: return "";
    }
}

static void col(buf *b, const report_ctx *c, const char *code)
{
    if (c->color) buf_puts(b, code);
}

static void vis(buf *b, const char *s)
{
    if (s) report_visible(b, s, strlen(s));
}

static int digits(int n)
{
    int d = 1;
    while (n >= 10) n /= 10, d++;
    return d;
}

static void context_lines(buf *b, const report_ctx *c, const finding *f)
{
    const char *ctx = f->context && *f->context ? f->context : f->snippet;
    int first = f->context && *f->context ? f->context_line : f->line;
    if (!ctx || !*ctx) return;
    int nl = 0;
    for (const char *p = ctx; *p; p++) nl += *p == '\n';
    int w = digits(first + nl);
    int ln = first;
    for (const char *p = ctx;; ln++) {
        const char *e = strchr(p, '\n');
        size_t len = e ? (size_t)(e - p) : strlen(p);
        int hit = ln >= f->line && ln <= (f->end_line > f->line ? f->end_line : f->line);
        if (!e && !len && !hit) break; /* the empty "line" after a final newline */
        buf_puts(b, "   ");
        if (!hit) col(b, c, C_DIM);
        buf_printf(b, "%c %*d | ", hit ? '>' : ' ', w, ln);
        report_visible(b, p, len);
        if (!hit) col(b, c, C_RESET);
        buf_putc(b, '\n');
        if (!e) break;
        p = e + 1;
    }
}

static void one_finding(buf *b, const report_ctx *c, const finding *f)
{
    const rule_meta *r = f->rule;
    buf_puts(b, ">> ");
    col(b, c, C_BOLD);
    vis(b, r->id);
    col(b, c, C_RESET);
    buf_putc(b, ' ');
    vis(b, r->title);
    buf_puts(b, "  severity: ");
    col(b, c, sev_color(f->severity));
    buf_puts(b, severity_str(f->severity));
    col(b, c, C_RESET);
    buf_printf(b, "  confidence: %s", confidence_str(f->confidence));
    if (f->tier == TIER_REVIEW) buf_puts(b, "  [review]");
    for (int i = 0; i < RULE_MAX_CWE && r->cwe[i]; i++) buf_printf(b, i ? " CWE-%d" : "  CWE-%d", r->cwe[i]);
    if (r->owasp) {
        buf_putc(b, ' ');
        vis(b, r->owasp);
    }
    buf_putc(b, '\n');
    buf_puts(b, "   ");
    vis(b, f->path);
    buf_printf(b, ":%d:%d", f->line, f->col);
    if (f->message && *f->message) {
        buf_puts(b, "  ");
        vis(b, f->message);
    }
    buf_putc(b, '\n');
    if (f->nalso) {
        buf_puts(b, "   also:");
        for (size_t i = 0; i < f->nalso; i++) {
            buf_putc(b, ' ');
            vis(b, f->also[i]->id);
        }
        buf_putc(b, '\n');
    }
    if (f->tier_why) {
        buf_puts(b, "   review item: ");
        vis(b, f->tier_why);
        buf_putc(b, '\n');
    }
    context_lines(b, c, f);
    const char *fix = f->fix ? f->fix : r->fix;
    if (fix && *fix) {
        buf_puts(b, "   fix: ");
        vis(b, fix);
        buf_putc(b, '\n');
    }
    if (f->nsteps) {
        buf_puts(b, "   data flow:\n");
        for (size_t i = 0; i < f->nsteps; i++) {
            const finding_step *st = &f->steps[i];
            buf_printf(b, "     %zu. ", i + 1);
            vis(b, st->path ? st->path : f->path);
            buf_printf(b, ":%d:%d  ", st->line, st->col);
            vis(b, st->message);
            buf_putc(b, '\n');
        }
    }
    if (f->commit) {
        buf_puts(b, "   commit ");
        vis(b, f->commit);
        if (f->author && *f->author) {
            buf_puts(b, "  author ");
            vis(b, f->author);
        }
        if (f->date && *f->date) {
            buf_puts(b, "  date ");
            vis(b, f->date);
        }
        buf_putc(b, '\n');
    }
}

static void human_bytes(buf *b, size_t n)
{
    if (n >= (size_t)1 << 30) buf_printf(b, "%.1f GB", (double)n / (1 << 30));
    else if (n >= (size_t)1 << 20) buf_printf(b, "%.1f MB", (double)n / (1 << 20));
    else if (n >= 1024) buf_printf(b, "%.1f KB", (double)n / 1024);
    else buf_printf(b, "%zu bytes", n);
}

static void summary(buf *b, const report_ctx *c)
{
    size_t by_sev[5] = {0};
    const char *an[16];
    size_t ac[16], nan = 0;
    for (size_t i = 0; i < c->n; i++) {
        const finding *f = c->v[i];
        by_sev[(unsigned)f->severity < 5 ? f->severity : 0]++;
        const char *a = f->rule->analyzer ? f->rule->analyzer : "other";
        size_t k = 0;
        while (k < nan && strcmp(an[k], a)) k++;
        if (k == nan) {
            if (nan == 16) continue;
            an[nan] = a;
            ac[nan++] = 0;
        }
        ac[k]++;
    }
    for (size_t i = 1; i < nan; i++) /* insertion sort by name: deterministic */
        for (size_t j = i; j > 0 && strcmp(an[j - 1], an[j]) > 0; j--) {
            const char *t = an[j]; an[j] = an[j - 1]; an[j - 1] = t;
            size_t u = ac[j]; ac[j] = ac[j - 1]; ac[j - 1] = u;
        }
    if (c->n) {
        buf_printf(b, "-- %zu finding%s:", c->n, c->n == 1 ? "" : "s");
        const char *sep = " ";
        for (int s = SEV_CRITICAL; s >= SEV_LOW; s--) {
            buf_printf(b, "%s", sep);
            if (by_sev[s]) col(b, c, sev_color((severity)s));
            buf_printf(b, "%zu %s", by_sev[s], severity_str((severity)s));
            if (by_sev[s]) col(b, c, C_RESET);
            sep = ", ";
        }
        buf_puts(b, "\n   by analyzer:");
        for (size_t i = 0; i < nan; i++) buf_printf(b, "%s %s %zu", i ? "," : "", an[i], ac[i]);
        buf_putc(b, '\n');
    } else {
        buf_puts(b, "-- no findings\n");
    }
    if (c->stats) {
        const scan_stats *s = c->stats;
        buf_printf(b, "   scanned %zu file%s (%zu Python), ", s->files, s->files == 1 ? "" : "s",
                   s->python_files);
        human_bytes(b, s->bytes);
        buf_printf(b, " in %.2f s", s->seconds);
        if (s->history_blobs) buf_printf(b, "; %zu blobs from git history", s->history_blobs);
        if (s->context_files)
            buf_printf(b, "; %zu more read as context (%zu from the cache)", s->context_files,
                       s->context_cached);
        buf_putc(b, '\n');
        if (s->incomplete)
            buf_printf(b, "   %zu file%s not fully searched (a cap was reached): the gate fails\n",
                       s->incomplete, s->incomplete == 1 ? "" : "s");
        if (s->skipped_binary || s->skipped_large || s->skipped_ignored || s->unreadable ||
            s->parse_errors)
            buf_printf(b,
                       "   skipped %zu binary, %zu over the size limit, %zu ignored; "
                       "%zu unreadable; %zu with syntax errors\n",
                       s->skipped_binary, s->skipped_large, s->skipped_ignored, s->unreadable,
                       s->parse_errors);
    }
    if (c->counts) {
        const filter_counts *k = c->counts;
        struct { size_t n; const char *what; } parts[] = {
            {k->suppressed, "suppressed inline"}, {k->deselected, "deselected"},
            {k->path_ignored, "per-file ignored"}, {k->below_threshold, "below threshold"},
            {k->baselined, "in baseline"}, {k->outside_diff, "outside the diff"},
        };
        int any = 0;
        for (size_t i = 0; i < sizeof parts / sizeof *parts; i++) {
            if (!parts[i].n) continue;
            buf_printf(b, "%s%zu %s", any ? ", " : "   not reported: ", parts[i].n, parts[i].what);
            any = 1;
        }
        if (any) buf_putc(b, '\n');
        if (k->review)
            buf_printf(b, "   %zu review item%s: --profile audit\n", k->review,
                       k->review == 1 ? "" : "s");
    }
}

static void diags(buf *b, const report_ctx *c)
{
    if (!c->diags || !c->diags->n) return;
    buf_puts(b, "errors and warnings:\n");
    const report_diag_opts o = {.indent = "   "};
    report_diags(c->diags, DIAG_NOTE, &o, b);
}

/* One rule's count, for the table and the rule grouping. */
typedef struct rule_count {
    const rule_meta *r;
    size_t n;
    severity worst;
} rule_count;

static int by_count(const void *a, const void *b)
{
    const rule_count *x = a, *y = b;
    if (x->n != y->n) return x->n < y->n ? 1 : -1;
    return strcmp(x->r->id, y->r->id);
}

static int by_id(const void *a, const void *b)
{
    return strcmp(((const rule_count *)a)->r->id, ((const rule_count *)b)->r->id);
}

/* The rules of c's findings with their counts, sorted by cmp; *n set. */
static rule_count *count_rules(const report_ctx *c, size_t *n, int (*cmp)(const void *, const void *))
{
    rule_count *v = xcalloc(c->n ? c->n : 1, sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < c->n; i++) {
        const finding *f = c->v[i];
        size_t j = 0;
        while (j < k && v[j].r != f->rule && strcmp(v[j].r->id, f->rule->id)) j++;
        if (j == k) v[k++] = (rule_count){f->rule, 0, SEV_NONE};
        v[j].n++;
        if (f->severity > v[j].worst) v[j].worst = f->severity;
    }
    qsort(v, k, sizeof *v, cmp);
    *n = k;
    return v;
}

static void rule_table(buf *b, const report_ctx *c)
{
    size_t n;
    rule_count *v = count_rules(c, &n, by_count);
    size_t w = 4;
    for (size_t i = 0; i < n; i++)
        if (strlen(v[i].r->id) > w) w = strlen(v[i].r->id);
    buf_printf(b, "%zu findings of %zu rules:\n  count  %-*s  worst     title\n", c->n, n, (int)w,
               "rule");
    for (size_t i = 0; i < n; i++) {
        buf_printf(b, "  %5zu  ", v[i].n);
        size_t before = b->len;
        vis(b, v[i].r->id);
        for (size_t pad = b->len - before; pad < w; pad++) buf_putc(b, ' ');
        buf_printf(b, "  %-8s  ", severity_str(v[i].worst));
        vis(b, v[i].r->title);
        buf_putc(b, '\n');
    }
    buf_putc(b, '\n');
    free(v);
}

static void heading(buf *b, const report_ctx *c, const char *text, size_t count)
{
    col(b, c, C_BOLD);
    vis(b, text);
    col(b, c, C_RESET);
    if (count) buf_printf(b, " (%zu)", count);
    buf_putc(b, '\n');
}

void report_text(const report_ctx *c, buf *out)
{
    if (!c->quiet && c->n >= TEXT_TABLE_MIN) rule_table(out, c);
    if (c->group_by == REPORT_GROUP_RULE) {
        size_t n;
        rule_count *v = count_rules(c, &n, by_id);
        for (size_t k = 0; k < n; k++) {
            if (k) buf_putc(out, '\n');
            char *h = xasprintf("%s %s", v[k].r->id, v[k].r->title ? v[k].r->title : "");
            heading(out, c, h, v[k].n);
            free(h);
            for (size_t i = 0; i < c->n; i++)
                if (!strcmp(c->v[i]->rule->id, v[k].r->id)) one_finding(out, c, c->v[i]);
        }
        free(v);
    } else {
        const char *last = NULL;
        for (size_t i = 0; i < c->n; i++) {
            const finding *f = c->v[i];
            if (!last || strcmp(last, f->path)) {
                if (last) buf_putc(out, '\n');
                heading(out, c, f->path, 0);
                last = f->path;
            }
            one_finding(out, c, f);
        }
    }
    if (c->quiet) return;
    if (c->n) buf_putc(out, '\n');
    diags(out, c);
    summary(out, c);
}
