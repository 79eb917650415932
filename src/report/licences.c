/* licences.c - the reports of 'vibeguard licences': the project's licence,
 * a pip-licenses-like table of every package (Name, Version, License, and
 * where the licence was read), and the conflicts (the licence: findings),
 * as text, JSON, CSV or Markdown.  See report.h. */
#include "report.h"
#include "../core/buf.h"
#include "../fmt/jsonw.h"

#include <string.h>

/* A package name that looks like a secret is masked, as in 'deps'. */
static void put_name(buf *b, const char *name)
{
    if (mask_name_secretlike(name)) mask_put(b, (const unsigned char *)name, strlen(name));
    else buf_puts(b, name);
}

static size_t count_rule(const report_ctx *c, const char *rule, int review)
{
    size_t n = 0;
    for (size_t i = 0; i < c->n; i++) {
        const finding *f = c->v[i];
        if (f->suppressed || strcmp(f->rule->id, rule)) continue;
        if (review < 0 || (f->tier == TIER_REVIEW) == review) n++;
    }
    return n;
}

static void text_cell(buf *b, const char *s, size_t w, int last)
{
    size_t n = strlen(s);
    buf_puts(b, s);
    if (last) return;
    for (; n < w + 2; n++) buf_putc(b, ' ');
}

static void render_text(const report_ctx *c, const lic_inventory *inv, buf *b)
{
    buf_printf(b, "project licence: %s (%s)%s%s\n", inv->project, inv->project_category,
               inv->project_source[0] ? ", from " : ", no LICENSE file or licence field found",
               inv->project_source);
    if (!inv->n) {
        buf_puts(b, "no installed or locked package declares a licence here "
                    "(--path DIR or --python PATH reads an environment)\n");
    } else {
        static const char *const head[] = {"Name", "Version", "License", "Category", "Verdict",
                                           "Source"};
        size_t w[6];
        for (int k = 0; k < 6; k++) w[k] = strlen(head[k]);
        for (size_t i = 0; i < inv->n; i++) {
            const lic_package *p = &inv->pkgs[i];
            const char *cells[6] = {p->name, p->version, p->licence, p->category, p->verdict, p->source};
            for (int k = 0; k < 6; k++)
                if (strlen(cells[k]) > w[k]) w[k] = strlen(cells[k]);
        }
        buf_putc(b, '\n');
        for (int k = 0; k < 6; k++) text_cell(b, head[k], w[k], k == 5);
        buf_putc(b, '\n');
        for (size_t i = 0; i < inv->n; i++) {
            const lic_package *p = &inv->pkgs[i];
            buf nm;
            buf_init(&nm, 0);
            put_name(&nm, p->name);
            const char *cells[6] = {nm.data ? nm.data : "", p->version, p->licence, p->category,
                                    p->verdict, p->source};
            for (int k = 0; k < 6; k++) text_cell(b, cells[k], w[k], k == 5);
            buf_putc(b, '\n');
            buf_free(&nm);
        }
    }
    size_t shown = 0;
    for (size_t i = 0; i < c->n; i++) {
        const finding *f = c->v[i];
        if (f->suppressed) continue;
        if (!shown++) buf_puts(b, "\nconflicts and items to review:\n");
        buf_printf(b, "  %s:%d: %s [%s, %s] %s\n", f->path, f->line, f->rule->id,
                   severity_str(f->severity), f->tier == TIER_REVIEW ? "review" : "issue",
                   f->message);
    }
    size_t conflicts = 0, review = 0;
    for (size_t i = 0; i < c->n; i++)
        if (!c->v[i]->suppressed) *(c->v[i]->tier == TIER_REVIEW ? &review : &conflicts) += 1;
    buf_printf(b, "\n%zu package%s; %zu conflict%s, %zu to review; %zu source file%s with a copyleft "
                  "or proprietary marker\n",
               inv->n, inv->n == 1 ? "" : "s", conflicts, conflicts == 1 ? "" : "s", review,
               inv->files_marked, inv->files_marked == 1 ? "" : "s");
}

static vg_status render_json(const report_ctx *c, const lic_inventory *inv, buf *b)
{
    jsonw w;
    jsonw_init(&w, b, 1);
    jsonw_obj(&w);
    jsonw_kstr(&w, "version", c->version ? c->version : "");
    jsonw_key(&w, "project");
    jsonw_obj(&w);
    jsonw_kstr(&w, "licence", inv->project);
    jsonw_kstr(&w, "category", inv->project_category);
    jsonw_kstr(&w, "source", inv->project_source);
    jsonw_end(&w);
    jsonw_key(&w, "packages");
    jsonw_arr(&w);
    for (size_t i = 0; i < inv->n; i++) {
        const lic_package *p = &inv->pkgs[i];
        buf nm;
        buf_init(&nm, 0);
        put_name(&nm, p->name);
        jsonw_obj(&w);
        jsonw_kstr(&w, "name", nm.data ? nm.data : "");
        jsonw_kstr(&w, "version", p->version);
        jsonw_kstr(&w, "ecosystem", p->ecosystem);
        jsonw_kstr(&w, "licence", p->licence);
        jsonw_kstr(&w, "category", p->category);
        jsonw_kstr(&w, "verdict", p->verdict);
        jsonw_kbool(&w, "dev", p->dev);
        jsonw_kstr(&w, "source", p->source);
        jsonw_end(&w);
        buf_free(&nm);
    }
    jsonw_end(&w);
    jsonw_key(&w, "findings");
    jsonw_arr(&w);
    size_t conflicts = 0, review = 0;
    for (size_t i = 0; i < c->n; i++) {
        const finding *f = c->v[i];
        if (f->suppressed) continue;
        *(f->tier == TIER_REVIEW ? &review : &conflicts) += 1;
        jsonw_obj(&w);
        jsonw_kstr(&w, "rule_id", f->rule->id);
        jsonw_kstr(&w, "severity", severity_str(f->severity));
        jsonw_kstr(&w, "confidence", confidence_str(f->confidence));
        jsonw_kstr(&w, "tier", f->tier == TIER_REVIEW ? "review" : "issue");
        if (f->tier_why) jsonw_kstr(&w, "tier_reason", f->tier_why);
        jsonw_kstr(&w, "path", f->path);
        jsonw_kint(&w, "line", f->line);
        jsonw_kint(&w, "column", f->col);
        jsonw_kstr(&w, "message", f->message);
        for (size_t k = 0; k < f->nprops; k++) jsonw_kstr(&w, f->props[2 * k], f->props[2 * k + 1]);
        jsonw_end(&w);
    }
    jsonw_end(&w);
    jsonw_key(&w, "summary");
    jsonw_obj(&w);
    jsonw_key(&w, "packages");
    jsonw_uint(&w, inv->n);
    jsonw_key(&w, "conflicts");
    jsonw_uint(&w, conflicts);
    jsonw_key(&w, "review");
    jsonw_uint(&w, review);
    jsonw_key(&w, "unknown");
    jsonw_uint(&w, count_rule(c, "licence:unknown-dependency", -1));
    jsonw_key(&w, "files_marked");
    jsonw_uint(&w, inv->files_marked);
    jsonw_end(&w);
    jsonw_end(&w);
    vg_status r = jsonw_finish(&w);
    if (!r) buf_putc(b, '\n');
    return r;
}

/* RFC 4180: quoted when it holds a comma, quote or line break; a leading
 * = + - tab or CR, or an @ before a parenthesis, is prefixed with ' so a
 * spreadsheet never reads a formula (an npm scope, @types/node, stays). */
static void csv_cell(buf *b, const char *s, int first)
{
    if (!first) buf_putc(b, ',');
    int quote = strpbrk(s, ",\"\r\n") != NULL;
    if (quote) buf_putc(b, '"');
    if (s[0] && (strchr("=+-\t\r", s[0]) || (s[0] == '@' && strchr(s, '(')))) buf_putc(b, '\'');
    for (; *s; s++) {
        if (*s == '"') buf_putc(b, '"');
        buf_putc(b, *s);
    }
    if (quote) buf_putc(b, '"');
}

static void render_csv(const lic_inventory *inv, buf *b)
{
    buf_puts(b, "Name,Version,License,Category,Verdict,Ecosystem,Source\n");
    for (size_t i = 0; i < inv->n; i++) {
        const lic_package *p = &inv->pkgs[i];
        buf nm;
        buf_init(&nm, 0);
        put_name(&nm, p->name);
        csv_cell(b, nm.data ? nm.data : "", 1);
        csv_cell(b, p->version, 0);
        csv_cell(b, p->licence, 0);
        csv_cell(b, p->category, 0);
        csv_cell(b, p->verdict, 0);
        csv_cell(b, p->ecosystem, 0);
        csv_cell(b, p->source, 0);
        buf_putc(b, '\n');
        buf_free(&nm);
    }
}

/* A table cell: '|' escaped, line breaks as blanks. */
static void md_cell(buf *b, const char *s)
{
    buf_puts(b, " ");
    for (; *s; s++) {
        if (*s == '|') buf_puts(b, "\\|");
        else if (*s == '\n' || *s == '\r') buf_putc(b, ' ');
        else buf_putc(b, *s);
    }
    buf_puts(b, " |");
}

static void render_markdown(const report_ctx *c, const lic_inventory *inv, buf *b)
{
    buf_puts(b, "**Project licence:** ");
    md_cell(b, inv->project);
    b->len -= 2; /* the cell's closing " |" */
    b->data[b->len] = 0;
    buf_printf(b, " (%s)\n\n", inv->project_category);
    buf_puts(b, "| Name | Version | License | Category | Verdict | Source |\n"
                "|---|---|---|---|---|---|\n");
    for (size_t i = 0; i < inv->n; i++) {
        const lic_package *p = &inv->pkgs[i];
        buf nm;
        buf_init(&nm, 0);
        put_name(&nm, p->name);
        buf_putc(b, '|');
        md_cell(b, nm.data ? nm.data : "");
        md_cell(b, p->version);
        md_cell(b, p->licence);
        md_cell(b, p->category);
        md_cell(b, p->verdict);
        md_cell(b, p->source);
        buf_putc(b, '\n');
        buf_free(&nm);
    }
    size_t shown = 0;
    for (size_t i = 0; i < c->n; i++) {
        const finding *f = c->v[i];
        if (f->suppressed) continue;
        if (!shown++) buf_puts(b, "\n**Conflicts and items to review**\n\n");
        buf_printf(b, "- `%s:%d` %s (%s, %s): ", f->path, f->line, f->rule->id,
                   severity_str(f->severity), f->tier == TIER_REVIEW ? "review" : "issue");
        for (const char *s = f->message; *s; s++) {
            if (strchr("\\`*_[]<>|", *s)) buf_putc(b, '\\');
            buf_putc(b, *s == '\n' ? ' ' : *s);
        }
        buf_putc(b, '\n');
    }
}

vg_status report_licences(const report_ctx *c, const lic_inventory *inv, const char *format, buf *b)
{
    static const lic_inventory none = {.project = "UNKNOWN", .project_category = "unknown",
                                       .project_source = ""};
    if (!inv || !inv->project) inv = &none;
    if (!strcmp(format, "json")) return render_json(c, inv, b);
    if (!strcmp(format, "csv")) render_csv(inv, b);
    else if (!strcmp(format, "markdown")) render_markdown(c, inv, b);
    else if (!strcmp(format, "text")) render_text(c, inv, b);
    else return VG_ERR_USAGE;
    return VG_OK;
}
