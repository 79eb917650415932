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
 * Everything echoed from a scanned file goes through report_visible.
 * Colour (ANSI) only when c->color is set; the CLI decides (TTY, NO_COLOR,
 * --no-color).
 */
#include "report.h"

#include <string.h>

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

void report_text(const report_ctx *c, buf *out)
{
    const char *last = NULL;
    for (size_t i = 0; i < c->n; i++) {
        const finding *f = c->v[i];
        if (!last || strcmp(last, f->path)) {
            if (last) buf_putc(out, '\n');
            col(out, c, C_BOLD);
            vis(out, f->path);
            col(out, c, C_RESET);
            buf_putc(out, '\n');
            last = f->path;
        }
        one_finding(out, c, f);
    }
    if (c->quiet) return;
    if (c->n) buf_putc(out, '\n');
    diags(out, c);
    summary(out, c);
}
