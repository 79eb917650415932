/* cmd_licences.c - 'vibeguard licences': the project's licence, every
 * installed or locked package's licence in a pip-licenses-like table, and
 * the conflicts between them (the licence: rules), offline.
 *
 *   vibeguard licences [PATH...] [--format text|json|csv|markdown]
 *                      [--path DIR] [--python PATH] [--config FILE]
 *                      [--select ID,...] [--ignore ID,...] [--fail-on LEVEL|never]
 *
 * Flags and config into vg_opts, one scan with only the licence rules
 * (scan_run, the licence analyzer recording into a lic_inventory), the
 * filtering of 'scan', report/licences.c's renderers, the exit code.
 * A .venv/ or venv/ environment and a node_modules/ folder at the top of a
 * PATH are read too (they are usually git-ignored), as pip-licenses reads
 * the environment it runs in.
 */
#include "cli.h"
#include "args.h"
#include "config.h"
#include "deps_post.h"

#include "../core/buf.h"
#include "../core/xalloc.h"
#include "../report/report.h"
#include "../scan/families.h"
#include "../scan/run.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: vibeguard licences [PATH...] [options]\n"
    "\n"
    "The project's licence (LICENSE/COPYING, pyproject.toml, PKG-INFO, setup.cfg,\n"
    "package.json), the licence of every installed or locked package (*.dist-info/METADATA,\n"
    "*.egg-info, node_modules/*/package.json, package-lock.json) and the conflicts:\n"
    "copyleft code in the project's files (SPDX lines, GPL/AGPL/LGPL notices, licence\n"
    "texts) and dependencies whose licence the project's cannot take in. Offline.\n"
    "\n"
    "options:\n"
    "  --format F            text (default), json, csv or markdown\n"
    "  --path DIR            also read the installed packages of a site-packages or\n"
    "                        node_modules folder (repeatable)\n"
    "  --python PATH         also read the environment of the interpreter PATH (a\n"
    "                        virtualenv's bin/python: its lib/python3.*/site-packages)\n"
    "  --no-env              do not read PATH/.venv, PATH/venv and PATH/node_modules\n"
    "  --config FILE         configuration (select, ignore, per-file-ignores as for scan)\n"
    "  --select ID,...       only these rules (licence:copyleft-code, ...)\n"
    "  --ignore ID,...       never these rules\n"
    "  --fail-on LEVEL       exit 1 for conflicts at or above LEVEL (default low)\n"
    "  --no-ignore           do not honour .gitignore files\n"
    "  -h, --help            this help\n";

enum { O_FORMAT = 1, O_PATH, O_PYTHON, O_NOENV, O_CONFIG, O_SELECT, O_IGNORE, O_FAIL, O_NOIGN, O_HELP };

static const arg_opt opts_table[] = {
    {"format", 0, 1, O_FORMAT}, {"path", 0, 1, O_PATH},       {"python", 0, 1, O_PYTHON},
    {"no-env", 0, 0, O_NOENV},  {"config", 0, 1, O_CONFIG},   {"select", 0, 1, O_SELECT},
    {"ignore", 0, 1, O_IGNORE}, {"fail-on", 0, 1, O_FAIL},    {"no-ignore", 0, 0, O_NOIGN},
    {"help", 'h', 0, O_HELP},   {NULL, 0, 0, 0},
};

typedef struct lic_cmd {
    vg_opts o;
    vg_config cfg;
    config_cli_set set;
    const char *config_file;
    int no_env, never;
    str_list extra;           /* --path / --python roots */
} lic_cmd;

static int parse(lic_cmd *c, int argc, char **argv)
{
    vg_opts *o = &c->o;
    arg_parser p;
    args_init(&p, argc, argv);
    const char *v;
    int id;
    while ((id = args_next(&p, opts_table, &v)) != ARG_END) {
        switch (id) {
        case ARG_POSITIONAL: str_list_add(&o->paths, v); break;
        case ARG_ERROR: return cli_error("licences: %s", p.err);
        case O_FORMAT:
            if (strcmp(v, "text") && strcmp(v, "json") && strcmp(v, "csv") && strcmp(v, "markdown"))
                return cli_error("licences: --format must be text, json, csv or markdown, not '%s'", v);
            o->format = v;
            break;
        case O_PATH: str_list_add(&c->extra, v); break;
        case O_PYTHON:
            if (deps_add_python_env(&c->extra, v, "licences")) return 2;
            break;
        case O_NOENV: c->no_env = 1; break;
        case O_CONFIG: c->config_file = v; break;
        case O_SELECT:
            if (!c->set.select) str_list_free(&o->select);
            c->set.select = 1;
            args_add_ids(&o->select, v);
            break;
        case O_IGNORE: args_add_ids(&o->ignore, v); break;
        case O_FAIL:
            c->set.fail_on = 1;
            if (!strcmp(v, "never")) {
                c->never = 1;
                break;
            }
            o->fail_on = severity_parse(v);
            if (o->fail_on == SEV_NONE)
                return cli_error("licences: --fail-on must be low, medium, high, critical or never");
            break;
        case O_NOIGN: o->no_ignore = 1; break;
        case O_HELP: fputs(usage, stdout); return 0;
        }
    }
    return -1;
}

/* ROOT/.venv, ROOT/venv (their site-packages) and ROOT/node_modules, when
 * they are there: the environment the project runs in. */
static void add_envs(lic_cmd *c, const char *root)
{
    static const char *const venvs[] = {".venv", "venv", NULL};
    for (int i = 0; venvs[i]; i++) {
        char *pattern = xasprintf("%s/%s/lib/python3*/site-packages", root, venvs[i]);
        glob_t g;
        if (!glob(pattern, 0, NULL, &g)) {
            for (size_t k = 0; k < g.gl_pathc; k++) str_list_add(&c->extra, g.gl_pathv[k]);
            globfree(&g);
        }
        free(pattern);
    }
    char *nm = xasprintf("%s/node_modules", root);
    struct stat st;
    if (!stat(nm, &st) && S_ISDIR(st.st_mode)) str_list_add(&c->extra, nm);
    free(nm);
}

static vg_status drive(const vg_opts *o, vg_out *out, diag_list *d)
{
    scan_stats st;
    return scan_run(o, out, &st, d, NULL, NULL);
}

static int run(lic_cmd *c, int argc, char **argv)
{
    vg_opts *o = &c->o;
    int rc = parse(c, argc, argv);
    if (rc >= 0) return rc;
    rc = 0;
    if (!o->paths.n) str_list_add(&o->paths, ".");
    size_t nroots = o->paths.n;
    for (size_t i = 0; i < nroots; i++) {
        struct stat st;
        if (stat(o->paths.v[i], &st))
            return cli_error("licences: no such file or directory: %s", o->paths.v[i]);
        if (!c->no_env && S_ISDIR(st.st_mode)) add_envs(c, o->paths.v[i]);
    }
    for (size_t i = 0; i < c->extra.n; i++) {
        struct stat st;
        if (stat(c->extra.v[i], &st))
            return cli_error("licences: no such file or directory: %s", c->extra.v[i]);
        str_list_add(&o->paths, c->extra.v[i]);
    }
    if (config_setup(&c->cfg, c->config_file, o, &c->set)) return 2;
    licence_rules_register();
    registry_sort();
    if (config_check_selection("licences", o)) return 2;
    /* a licence audit lists review items too; the gate counts issues */
    o->profile = PROFILE_AUDIT;

    /* the scan: every licence rule, whatever is reported, so the table is whole */
    lic_inventory inv;
    memset(&inv, 0, sizeof inv);
    vg_opts so = *o;
    memset(&so.select, 0, sizeof so.select);
    memset(&so.ignore, 0, sizeof so.ignore);
    str_list_add(&so.select, "licence");
    so.lic_inventory = &inv;
    so.history = 0;
    so.diff_rev = NULL;
    so.staged = 0;
    vg_out out;
    out_init(&out, &so);
    diag_list d = {0};
    if (drive(&so, &out, &d)) {
        cli_print_diags(stderr, &d, DIAG_ERROR);
        rc = 2;
        goto done;
    }
    out.opts = o;
    filter_counts counts = {0};
    report_filter(&out, o, NULL, NULL, NULL, &counts);
    cli_print_diags(stderr, &out.diags, DIAG_WARNING);
    cli_print_diags(stderr, &d, DIAG_WARNING);
    report_ctx ctx = {.v = out.v, .n = out.n, .diags = &out.diags, .version = VG_VERSION};
    buf b;
    buf_init(&b, 0);
    if (report_licences(&ctx, &inv, o->format, &b)) rc = cli_error("licences: cannot render the report");
    if (!rc) rc = cli_write_stdout("licences", b.data, b.len);
    buf_free(&b);
    if (!rc && !c->never && report_gate(out.v, out.n, o->fail_on)) rc = 1;
done:
    out_free(&out);
    diag_free(&d);
    str_list_free(&so.select);
    lic_inventory_free(&inv);
    return rc;
}

int cmd_licences(int argc, char **argv)
{
    lic_cmd c;
    memset(&c, 0, sizeof c);
    opts_init(&c.o);
    int rc = run(&c, argc, argv);
    opts_free(&c.o);
    config_free(&c.cfg);
    str_list_free(&c.extra);
    return rc;
}
