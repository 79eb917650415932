/* cmd_rules.c - 'vibeguard rules [ID...]': every registered rule with its
 * metadata, as a table, a detailed page (one id) or JSON: flags, the rules
 * that match, report/rules.c's renderer, the exit code. */
#include "cli.h"
#include "args.h"
#include "../core/buf.h"
#include "../report/report.h"
#include "../finding/rule.h"
#include "../scan/families.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const char rules_usage[] =
    "usage: vibeguard rules [ID|PREFIX...] [--format text|json]\n"
    "\n"
    "List every rule vibeguard knows with its severity, confidence, CWE and\n"
    "OWASP category.  With one exact ID, show the rule's full description\n"
    "and fix.  IDs may be prefixes or families (B6, VG1, secret, pii, dep, unicode,\n"
    "licence).\n"
    "\n"
    "  --format FMT   text (default) or json\n"
    "  -h, --help     this help\n";

enum { R_FORMAT = 1, R_HELP };
static const arg_opt rules_opts[] = {
    {"format", 'f', 1, R_FORMAT}, {"help", 'h', 0, R_HELP}, {0, 0, 0, 0},
};

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
        for (size_t k = 0; k < nids && !keep; k++) keep = rule_matches(r, ids[k]);
        if (keep) sel[n++] = r;
    }
    if (nids && !n) {
        free(sel);
        const char *near = registry_suggest(ids[0]);
        if (near) return cli_error("rules: no rule matches '%s' (did you mean '%s'?)", ids[0], near);
        return cli_error("rules: no rule matches '%s' (try 'vibeguard rules')", ids[0]);
    }
    buf b;
    buf_init(&b, 0);
    int rc = 0;
    if (!strcmp(format, "json")) {
        if (report_rules_json(sel, n, VG_VERSION, &b)) rc = cli_error("rules: cannot render JSON");
    } else if (n == 1 && nids == 1 && !strcasecmp(sel[0]->id, ids[0])) {
        report_rule_detail(sel[0], &b);
    } else {
        report_rules_table(sel, n, &b);
    }
    if (!rc && b.len) fwrite(b.data, 1, b.len, stdout);
    buf_free(&b);
    free(sel);
    return rc;
}
