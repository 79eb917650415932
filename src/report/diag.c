/* diag.c - the one form every command shows a diagnostic in:
 *
 *   app.py:3:7: error: '(' was never closed
 *       3 | def f(:
 *         |       ^
 *
 * The location shrinks to what is known (path:line:, path:, or the tool's
 * name for a diag about no file); the excerpt, the line and a caret under
 * the column, comes only when the caller hands over the line's text: the
 * library never reads a file to show it (the CLI re-reads it).  Everything
 * that came from an input goes through report_visible, and the caret's
 * padding repeats the excerpt's tabs so it lands under its column.  The
 * excerpt's line is masked with the scan's secrets (o->secrets) first.
 */
#include "report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* An excerpt shows at most this many bytes of a long line, placed so that
 * the caret stays in view. */
#define EXCERPT_MAX 160
#define EXCERPT_LEAD 60

static void put_line_prefix(buf *out, const report_diag_opts *o)
{
    if (o && o->indent) buf_puts(out, o->indent);
}

void report_diag_head(const diag *g, const char *tool, buf *out)
{
    if (g->path) {
        report_visible(out, g->path, strlen(g->path));
        if (g->line > 0) buf_printf(out, ":%d", g->line);
        if (g->line > 0 && g->col > 0) buf_printf(out, ":%d", g->col);
        buf_puts(out, ": ");
    } else if (tool) {
        buf_printf(out, "%s: ", tool);
    }
    buf_printf(out, "%s: ", diag_level_str(g->level));
    if (g->message) report_visible(out, g->message, strlen(g->message));
}

/* Step back from byte i of s to the start of a UTF-8 sequence. */
static size_t char_start(const char *s, size_t i)
{
    while (i > 0 && ((unsigned char)s[i] & 0xC0) == 0x80) i--;
    return i;
}

/* Blanks as wide as the rendered text t (n bytes): a tab for a tab, a
 * space for any other character. */
static void pad_like(buf *out, const char *t, size_t n)
{
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)t[i];
        if (c == '\t') buf_putc(out, '\t');
        else if ((c & 0xC0) != 0x80) buf_putc(out, ' ');
    }
}

static void excerpt(buf *out, const report_diag_opts *o, const diag *g, const char *text,
                    size_t len)
{
    size_t at = g->col > 0 ? (size_t)g->col - 1 : 0;
    if (at > len) at = len;
    size_t start = 0, end = len;
    if (at > EXCERPT_LEAD && len > EXCERPT_MAX) start = char_start(text, at - EXCERPT_LEAD);
    if (end - start > EXCERPT_MAX) end = char_start(text, start + EXCERPT_MAX);
    if (end < at) end = at;

    buf shown, before;
    buf_init(&shown, 0);
    buf_init(&before, 0);
    if (start) buf_puts(&shown, "...");
    report_visible(&shown, text + start, end - start);
    if (end < len) buf_puts(&shown, "...");
    if (start) buf_puts(&before, "...");
    report_visible(&before, text + start, at - start);

    char num[16];
    int w = snprintf(num, sizeof num, "%d", g->line);
    if (w < 4) w = 4;
    put_line_prefix(out, o);
    buf_printf(out, " %*d | %s\n", w, g->line, shown.data ? shown.data : "");
    if (g->col > 0) {
        put_line_prefix(out, o);
        buf_printf(out, " %*s | ", w, "");
        pad_like(out, before.data ? before.data : "", before.len);
        buf_puts(out, "^\n");
    }
    buf_free(&shown);
    buf_free(&before);
}

void report_diags(const diag_list *d, diag_level min, const report_diag_opts *o, buf *out)
{
    buf text;
    buf_init(&text, 0);
    for (size_t i = 0; d && i < d->n; i++) {
        const diag *g = &d->v[i];
        if (g->level < min) continue;
        put_line_prefix(out, o);
        report_diag_head(g, o ? o->tool : NULL, out);
        buf_putc(out, '\n');
        if (!o || !o->line || !g->path || g->line <= 0) continue;
        buf_clear(&text);
        if (o->line(o->ud, g->path, g->line, &text) != 0) continue;
        size_t n = 0;
        char *masked = mask_set_scrub(o->secrets, g->path, text.data ? text.data : "", text.len, &n);
        /* a masked secret before the column moves the caret by the
         * difference in length: it points near, never at, a hidden byte */
        excerpt(out, o, g, masked ? masked : text.data ? text.data : "", masked ? n : text.len);
        free(masked);
    }
    buf_free(&text);
}
