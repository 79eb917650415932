/* cmd_merge.c - 'vibeguard merge REPORT...': join the JSON reports or SARIF
 * logs of several scans (the N jobs of `scan --shard K/N`, or several
 * trees) into one report; report/combine.c does the work. */
#include "cli.h"
#include "args.h"
#include "../core/buf.h"
#include "../core/fsutil.h"
#include "../report/report.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char merge_usage[] =
    "usage: vibeguard merge REPORT... [-o FILE]\n"
    "\n"
    "Join JSON reports (scan --format json) or SARIF logs (--format sarif) into\n"
    "one report of the same format: identical findings (same fingerprint, rule\n"
    "and location) once, sorted as one scan sorts them; SARIF gets one run per\n"
    "tool.  The reports of `scan --shard K/N` for K = 1..N merge into the report\n"
    "of the unsharded scan.\n"
    "\n"
    "  -o, --output FILE  write the report to FILE (default: stdout)\n"
    "  -h, --help         this help\n";

enum { M_OUTPUT = 1, M_HELP };
static const arg_opt merge_opts[] = {
    {"output", 'o', 1, M_OUTPUT}, {"help", 'h', 0, M_HELP}, {0, 0, 0, 0},
};

int cmd_merge(int argc, char **argv)
{
    arg_parser p;
    args_init(&p, argc, argv);
    const char *v, *output = NULL;
    const char **paths = calloc((size_t)argc + 1, sizeof *paths);
    if (!paths) return cli_error("merge: out of memory");
    size_t n = 0;
    int id;
    while ((id = args_next(&p, merge_opts, &v)) != ARG_END) {
        if (id == ARG_ERROR) {
            free(paths);
            return cli_error("merge: %s (see 'vibeguard merge --help')", p.err);
        }
        if (id == M_HELP) {
            free(paths);
            fputs(merge_usage, stdout);
            return 0;
        }
        if (id == M_OUTPUT) output = v;
        if (id == ARG_POSITIONAL) paths[n++] = v;
    }
    if (!n) {
        free(paths);
        return cli_error("merge: no reports given (see 'vibeguard merge --help')");
    }
    diag_list d = {0};
    buf out;
    buf_init(&out, 0);
    const char *format = NULL;
    int rc = 0;
    if (report_merge(paths, n, &format, &out, &d)) {
        rc = 2;
    } else if (output) {
        if (fs_write_atomic(output, out.data, out.len, 0666, "cannot write output", &d)) rc = 2;
    } else if (fwrite(out.data, 1, out.len, stdout) != out.len || fflush(stdout)) {
        rc = cli_error("merge: cannot write the report");
    }
    cli_print_diags(stderr, &d, DIAG_NOTE);
    diag_free(&d);
    buf_free(&out);
    free(paths);
    return rc;
}
