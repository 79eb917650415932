/* cmd_deps.c - 'vibeguard deps': audit every dependency manifest under
 * the paths against the OSV database, offline, and print a pip-audit-like
 * table (or JSON), followed by the other dependency findings (typosquats,
 * unknown names, unpinned requirements, unsafe sources).
 *
 *   vibeguard deps [PATH...] [--format text|json] [--osv-db DIR|ZIP]
 *                  [--online [--osv-url URL]] [--update-db] [--config FILE] [--fail-on LEVEL]
 *                  [--select ID,...] [--ignore ID,...] [--baseline FILE]
 *                  [-r FILE] [--path DIR] [--python PATH] [--ignore-vuln ID]
 *                  [--fix [--dry-run]]
 *
 * Flags and config into vg_opts, the audit (deps_audit_run: one scan with
 * only the dependency rules, driven by scan_run), the filtering of 'scan'
 * (inline pragmas, --select/--ignore, per-file ignores, thresholds, the
 * baseline), report/deps.c's table or JSON, the exit code.
 *
 * Maintainers: --write-index FILE [--index-label TEXT] writes the index of
 * --osv-db to FILE (scripts/gen-osv-index.sh makes data/osv-pypi.vgidx).
 */
#include "cli.h"
#include "args.h"
#include "config.h"
#include "deps_post.h"

#include "../core/buf.h"
#include "../core/fsutil.h"
#include "../core/xalloc.h"
#include "../deps/deps.h"
#include "../report/report.h"
#include "../scan/families.h"
#include "../scan/run.h"

#include <glob.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: vibeguard deps [PATH...] [options]\n"
    "\n"
    "Audit dependency manifests (requirements*.txt, pyproject.toml, Pipfile[.lock],\n"
    "poetry/uv/pdm locks, pylock.toml, package.json, package-lock.json, yarn.lock,\n"
    "pnpm-lock.yaml) against the OSV database, offline (--online: also OSV's API).\n"
    "\n"
    "options:\n"
    "  --format text|json    output format (default text)\n"
    "  --osv-db DIR|ZIP      OSV records (JSON/YAML, recursively) or an OSV all.zip;\n"
    "                        also VIBEGUARD_OSV_DB; default: the cache directory's osv/,\n"
    "                        else the built-in PyPA advisory snapshot\n"
    "  --update-db           download the PyPI and npm databases from osv.dev first\n"
    "  --online              also ask OSV's API (api.osv.dev) for the exact versions\n"
    "                        found, and the registry whether unknown names exist\n"
    "  --osv-url URL         OSV's API for --online (implies it; also\n"
    "                        VIBEGUARD_OSV_API_URL); https, or http to a loopback host\n"
    "  --config FILE         configuration ([deps] allowlist, osv-db, online; select,\n"
    "                        ignore and per-file-ignores as for scan)\n"
    "  -r, --requirement FILE  audit FILE as a requirements file, whatever its name\n"
    "                        (repeatable; pip-audit's -r)\n"
    "  --path DIR            audit the installed packages of a site-packages folder\n"
    "                        (*.dist-info/METADATA, *.egg-info; repeatable)\n"
    "  --python PATH         audit the environment of the interpreter PATH (a virtualenv's\n"
    "                        bin/python: its lib/python3.*/site-packages; nothing is run)\n"
    "  --ignore-vuln ID      an advisory (by id or alias) that no longer counts (repeatable)\n"
    "  --fix                 rewrite pinned requirement lines to the version that clears\n"
    "                        every advisory (requirements files; lockfiles: their tool)\n"
    "  --dry-run             with --fix: say what would change, write nothing\n"
    "  --select ID,...       only these rules (dep, dep:unpinned, ...)\n"
    "  --ignore ID,...       never these rules\n"
    "  --baseline FILE       report only findings not in FILE (see scan --write-baseline)\n"
    "  --fail-on LEVEL       exit 1 for findings at or above LEVEL (default low)\n"
    "  --no-ignore           do not honour .gitignore files\n"
    "  -h, --help            this help\n";

enum {
    O_FORMAT = 1, O_OSV, O_UPDATE, O_ONLINE, O_CONFIG, O_FAIL, O_NOIGN, O_HELP, O_WRITE, O_LABEL,
    O_SELECT, O_IGNORE, O_BASELINE, O_REQ, O_PATH, O_PYTHON, O_IGNORE_VULN, O_FIX, O_DRY,
    O_OSV_URL
};

static const arg_opt opts_table[] = {
    {"format", 0, 1, O_FORMAT},   {"osv-db", 0, 1, O_OSV},      {"update-db", 0, 0, O_UPDATE},
    {"online", 0, 0, O_ONLINE},   {"config", 0, 1, O_CONFIG},   {"fail-on", 0, 1, O_FAIL},
    {"no-ignore", 0, 0, O_NOIGN}, {"help", 'h', 0, O_HELP},     {"write-index", 0, 1, O_WRITE},
    {"index-label", 0, 1, O_LABEL}, {"select", 0, 1, O_SELECT}, {"ignore", 0, 1, O_IGNORE},
    {"baseline", 0, 1, O_BASELINE}, {"requirement", 'r', 1, O_REQ}, {"path", 0, 1, O_PATH},
    {"python", 0, 1, O_PYTHON},     {"ignore-vuln", 0, 1, O_IGNORE_VULN}, {"fix", 0, 0, O_FIX},
    {"dry-run", 0, 0, O_DRY},       {"osv-url", 0, 1, O_OSV_URL}, {NULL, 0, 0, 0},
};

typedef struct deps_cmd {
    vg_opts o;
    vg_config cfg;
    config_cli_set set;
    const char *config_file, *write_index, *label;
    int update, fix, dry_run;
    str_list ignore_vulns;
} deps_cmd;

int deps_add_python_env(str_list *paths, const char *python, const char *cmd)
{
    /* PATH's directory's parent: ".venv/bin/python" -> ".venv" */
    char *dir = xstrdup(python);
    char *s = strrchr(dir, '/');
    if (s) *s = 0;
    else strcpy(dir, ".");
    s = strrchr(dir, '/');
    if (s && s != dir) *s = 0;
    else if (s) s[1] = 0;
    else {
        free(dir);
        dir = xstrdup(strcmp(python, "python") && strchr(python, '/') ? "." : "..");
    }
    char *pattern = xasprintf("%s/lib/python3*/site-packages", dir);
    glob_t g;
    int found = 0;
    if (!glob(pattern, 0, NULL, &g)) {
        for (size_t i = 0; i < g.gl_pathc; i++, found++) str_list_add(paths, g.gl_pathv[i]);
        globfree(&g);
    }
    free(pattern);
    int rc = found ? 0 : cli_error("%s: --python %s: no lib/python3.*/site-packages under %s",
                                   cmd, python, dir);
    free(dir);
    return rc;
}

/* Flags into c; -1 to go on, else the exit code. */
static int parse(deps_cmd *c, int argc, char **argv)
{
    vg_opts *o = &c->o;
    arg_parser p;
    args_init(&p, argc, argv);
    const char *v;
    int id;
    while ((id = args_next(&p, opts_table, &v)) != ARG_END) {
        switch (id) {
        case ARG_POSITIONAL: str_list_add(&o->paths, v); break;
        case ARG_ERROR: return cli_error("deps: %s", p.err);
        case O_FORMAT:
            if (strcmp(v, "text") && strcmp(v, "json"))
                return cli_error("deps: --format must be text or json, not '%s'", v);
            o->format = v;
            break;
        case O_OSV: o->osv_db = v; c->set.osv_db = 1; break;
        case O_UPDATE: c->update = 1; break;
        case O_ONLINE: o->online = 1; break;
        case O_OSV_URL:
            o->osv_url = v;
            o->online = 1;
            break;
        case O_CONFIG: c->config_file = v; break;
        case O_FAIL:
            o->fail_on = severity_parse(v);
            c->set.fail_on = 1;
            if (o->fail_on == SEV_NONE)
                return cli_error("deps: --fail-on must be low, medium, high or critical");
            break;
        case O_NOIGN: o->no_ignore = 1; break;
        case O_WRITE: c->write_index = v; break;
        case O_LABEL: c->label = v; break;
        case O_SELECT:
            if (!c->set.select) str_list_free(&o->select);
            c->set.select = 1;
            args_add_ids(&o->select, v);
            break;
        case O_IGNORE: args_add_ids(&o->ignore, v); break;
        case O_BASELINE: o->baseline = v; break;
        case O_REQ:
            str_list_add(&o->paths, v);
            str_list_add(&o->dep_requirements, v);
            break;
        case O_PATH: str_list_add(&o->paths, v); break;
        case O_PYTHON:
            if (deps_add_python_env(&o->paths, v, "deps")) return 2;
            break;
        case O_IGNORE_VULN: args_add_ids(&c->ignore_vulns, v); break;
        case O_FIX: c->fix = 1; break;
        case O_DRY: c->dry_run = 1; break;
        case O_HELP: fputs(usage, stdout); return 0;
        }
    }
    return -1;
}

/* --write-index: the index of --osv-db into a file. */
static int write_index(const deps_cmd *c)
{
    if (!c->o.osv_db) return cli_error("deps: --write-index needs --osv-db");
    diag_list d = {0};
    buf b;
    buf_init(&b, 0);
    buf_printf(&b, "#vibeguard-osv-index 1\tbuiltin\t%s\n", c->label ? c->label : c->o.osv_db);
    size_t lines = 0;
    vg_status r = osv_build_index(c->o.osv_db, &b, &lines, &d);
    cli_print_diags(stderr, &d, DIAG_WARNING);
    diag_free(&d);
    if (!r) r = fs_write_atomic(c->write_index, b.data, b.len, 0666, "cannot write output", &d);
    if (r) cli_print_diags(stderr, &d, DIAG_ERROR);
    buf_free(&b);
    diag_free(&d);
    return r ? 2 : 0;
}

/* --update-db: download into --osv-db (a directory, or a path to create)
 * or the default directory; 0 or the exit code. */
static int update_db(const vg_opts *o)
{
    char dir[4096];
    struct stat sdb;
    if (o->osv_db && !stat(o->osv_db, &sdb) && S_ISDIR(sdb.st_mode)) snprintf(dir, sizeof dir, "%s", o->osv_db);
    else if (o->osv_db && stat(o->osv_db, &sdb)) snprintf(dir, sizeof dir, "%s", o->osv_db);
    else if (osv_default_dir(dir, sizeof dir))
        return cli_error("deps: --update-db: no cache directory (set HOME or XDG_CACHE_HOME)");
    diag_list d = {0};
    size_t bytes = 0;
    vg_status r = osv_update(dir, &bytes, &d);
    if (r) cli_print_diags(stderr, &d, DIAG_ERROR);
    else fprintf(stderr, "vibeguard: downloaded %.1f MB of OSV records into %s\n", bytes / 1e6, dir);
    diag_free(&d);
    return r ? 2 : 0;
}

/* deps_driver_fn: the audit's scan is an ordinary scan. */
static vg_status drive(const vg_opts *o, vg_out *out, diag_list *d, void *ud)
{
    (void)ud;
    scan_stats st;
    return scan_run(o, out, &st, d, NULL, NULL);
}

static int run(deps_cmd *c, int argc, char **argv)
{
    vg_opts *o = &c->o;
    int rc = parse(c, argc, argv);
    if (rc >= 0) return rc;
    rc = 0;
    if (c->write_index) return write_index(c);

    if (!o->paths.n) str_list_add(&o->paths, ".");
    for (size_t i = 0; i < o->paths.n; i++) {
        struct stat st;
        if (stat(o->paths.v[i], &st))
            return cli_error("deps: no such file or directory: %s", o->paths.v[i]);
    }
    if (config_setup(&c->cfg, c->config_file, o, &c->set)) return 2;
    if (config_check_selection("deps", o)) return 2;
    /* an audit of the dependencies lists every problem, review items too
     * (an unchecked name, a range in a package); the gate counts issues */
    o->profile = PROFILE_AUDIT;
    if (c->update && (rc = update_db(o))) return rc;

    diag_list d = {0};
    baseline *bl = NULL;
    if (o->baseline && baseline_load(o->baseline, &bl, &d)) {
        cli_print_diags(stderr, &d, DIAG_ERROR);
        diag_free(&d);
        return 2;
    }
    /* only the dep: rules: registering every family compiles the secret
     * rules, which this command never uses */
    deps_rules_register();
    registry_sort();

    deps_audit a;
    if (deps_audit_run(o, drive, NULL, &a, &d)) {
        cli_print_diags(stderr, &d, DIAG_ERROR);
        rc = 2;
        goto done;
    }
    deps_ignore_vulns(&a, &c->ignore_vulns);
    if (c->dry_run && !c->fix) {
        rc = cli_error("deps: --dry-run goes with --fix");
        goto done;
    }
    if (c->fix && (rc = deps_apply_fixes(&a, c->dry_run, o->quiet))) goto done;
    filter_counts counts = {0};
    report_filter(&a.out, o, bl, NULL, NULL, &counts);

    report_ctx ctx = {.v = a.out.v, .n = a.out.n, .diags = &a.out.diags, .version = VG_VERSION,
                      .inventory = &a.inv};
    buf b;
    buf_init(&b, 0);
    if (!strcmp(o->format, "json")) {
        if (report_deps_json(&ctx, &b)) rc = cli_error("deps: cannot render the JSON report");
    } else {
        cli_print_diags(stderr, &a.out.diags, DIAG_WARNING);
        report_deps_text(&ctx, &b);
    }
    if (!rc) rc = cli_write_stdout("deps", b.data, b.len);
    buf_free(&b);
    if (!rc && report_gate(a.out.v, a.out.n, o->fail_on)) rc = 1;
done:
    deps_audit_free(&a);
    diag_free(&d);
    baseline_free(bl);
    return rc;
}

int cmd_deps(int argc, char **argv)
{
    deps_cmd c;
    memset(&c, 0, sizeof c);
    opts_init(&c.o);
    int rc = run(&c, argc, argv);
    opts_free(&c.o);
    config_free(&c.cfg);
    str_list_free(&c.ignore_vulns);
    return rc;
}
