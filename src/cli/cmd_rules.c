/* cmd_rules.c - 'vibeguard rules [ID...]': every registered rule with its
 * metadata, as a table, a detailed page (one id) or JSON. */
#include "cli.h"
#include "args.h"
#include "../core/buf.h"
#include "../fmt/jsonw.h"
#include "../report/report.h"
#include "../finding/rule.h"
#include "../scan/families.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char rules_usage[] =
    "usage: vibeguard rules [ID|PREFIX...] [--format text|json]\n"
    "\n"
    "List every rule vibeguard knows with its severity, confidence, CWE and\n"
    "OWASP category.  With one exact ID, show the rule's full description\n"
    "and fix.  IDs may be prefixes or families (B6, VG1, secret, pii, dep, unicode).\n"
    "\n"
    "  --format FMT   text (default) or json\n"
    "  -h, --help     this help\n";

enum { R_FORMAT = 1, R_HELP };
static const arg_opt rules_opts[] = {
    {"format", 'f', 1, R_FORMAT}, {"help", 'h', 0, R_HELP}, {0, 0, 0, 0},
};

static void vis(buf *b, const char *s)
{
    if (s) report_visible(b, s, strlen(s));
}

static void rule_json(jsonw *w, const rule_meta *r)
{
    jsonw_obj(w);
    jsonw_kstr(w, "id", r->id);
    jsonw_kstr(w, "title", r->title);
    jsonw_kstr(w, "severity", severity_str(r->severity));
    jsonw_kstr(w, "confidence", confidence_str(r->confidence));
    jsonw_key(w, "cwe");
    jsonw_arr_inline(w);
    for (int i = 0; i < RULE_MAX_CWE && r->cwe[i]; i++) jsonw_int(w, r->cwe[i]);
    jsonw_end(w);
    jsonw_kstr(w, "owasp", r->owasp);
    jsonw_kstr(w, "analyzer", r->analyzer);
    jsonw_kstr(w, "description", r->description);
    jsonw_kstr(w, "fix", r->fix);
    jsonw_key(w, "references");
    jsonw_arr(w);
    for (const char *p = r->references ? r->references : ""; *p;) {
        p += strspn(p, " \t\n");
        size_t n = strcspn(p, " \t\n");
        if (n) jsonw_strn(w, p, n);
        p += n;
    }
    jsonw_end(w);
    jsonw_end(w);
}

static void rule_detail(buf *b, const rule_meta *r)
{
    vis(b, r->id);
    buf_puts(b, "  ");
    vis(b, r->title);
    buf_printf(b, "\n  severity:    %s\n  confidence:  %s\n  analyzer:    ", severity_str(r->severity),
               confidence_str(r->confidence));
    vis(b, r->analyzer ? r->analyzer : "-");
    buf_puts(b, "\n  CWE:        ");
    for (int i = 0; i < RULE_MAX_CWE && r->cwe[i]; i++) buf_printf(b, " CWE-%d", r->cwe[i]);
    if (!r->cwe[0]) buf_puts(b, " -");
    buf_puts(b, "\n  OWASP:       ");
    vis(b, r->owasp ? r->owasp : "-");
    buf_putc(b, '\n');
    if (r->description) {
        buf_puts(b, "  description: ");
        vis(b, r->description);
        buf_putc(b, '\n');
    }
    if (r->fix) {
        buf_puts(b, "  fix:         ");
        vis(b, r->fix);
        buf_putc(b, '\n');
    }
    if (r->references) {
        buf_puts(b, "  references:  ");
        vis(b, r->references);
        buf_putc(b, '\n');
    }
}

static void rule_row(buf *b, const rule_meta *r)
{
    char cwe[64] = "-";
    size_t k = 0;
    for (int i = 0; i < RULE_MAX_CWE && r->cwe[i] && k < sizeof cwe - 16; i++)
        k += (size_t)snprintf(cwe + k, sizeof cwe - k, "%sCWE-%d", i ? "," : "", r->cwe[i]);
    buf v;
    buf_init(&v, 0);
    vis(&v, r->id);
    buf_printf(b, "%-32s %-8s %-6s %-16s %-9s ", v.data ? v.data : "", severity_str(r->severity),
               confidence_str(r->confidence), cwe, r->owasp ? r->owasp : "-");
    buf_free(&v);
    vis(b, r->title);
    buf_putc(b, '\n');
}

int cmd_rules(int argc, char **argv)
{
    arg_parser p;
    args_init(&p, argc, argv);
    const char *v, *format = "text";
    const char *ids[64];
    size_t nids = 0;
    int id;
    while ((id = args_next(&p, rules_opts, &v)) != ARG_END) {
        if (id == ARG_ERROR) return cli_error("rules: %s (see 'vibeguard rules --help')", p.err);
        if (id == R_HELP) {
            fputs(rules_usage, stdout);
            return 0;
        }
        if (id == R_FORMAT) {
            if (strcmp(v, "text") && strcmp(v, "json"))
                return cli_error("rules: unknown format '%s' (text, json)", v);
            format = v;
        }
        if (id == ARG_POSITIONAL) {
            if (nids == sizeof ids / sizeof *ids) return cli_error("rules: too many ids");
            ids[nids++] = v;
        }
    }
    families_register();
    const rule_meta **sel = NULL;
    size_t n = 0, total = registry_count();
    sel = total ? calloc(total, sizeof *sel) : NULL;
    if (total && !sel) return cli_error("rules: out of memory");
    for (size_t i = 0; i < total; i++) {
        const rule_meta *r = registry_at(i);
        int keep = !nids;
        for (size_t k = 0; k < nids && !keep; k++) keep = rule_id_matches(r->id, ids[k]);
        if (keep) sel[n++] = r;
    }
    if (nids && !n) {
        free(sel);
        return cli_error("rules: no rule matches '%s' (try 'vibeguard rules')", ids[0]);
    }
    buf b;
    buf_init(&b, 0);
    int rc = 0;
    if (!strcmp(format, "json")) {
        jsonw w;
        jsonw_init(&w, &b, 1);
        jsonw_obj(&w);
        jsonw_kstr(&w, "version", VG_VERSION);
        jsonw_key(&w, "rules");
        jsonw_arr(&w);
        for (size_t i = 0; i < n; i++) rule_json(&w, sel[i]);
        jsonw_end(&w);
        jsonw_end(&w);
        if (jsonw_finish(&w)) rc = cli_error("rules: cannot render JSON");
    } else if (n == 1 && nids == 1 && !strcmp(sel[0]->id, ids[0])) {
        rule_detail(&b, sel[0]);
    } else {
        buf_printf(&b, "%-32s %-8s %-6s %-16s %-9s %s\n", "ID", "SEVERITY", "CONF", "CWE",
                   "OWASP", "TITLE");
        for (size_t i = 0; i < n; i++) rule_row(&b, sel[i]);
        buf_printf(&b, "%zu rule%s\n", n, n == 1 ? "" : "s");
    }
    if (!rc && b.len) fwrite(b.data, 1, b.len, stdout);
    buf_free(&b);
    free(sel);
    return rc;
}
