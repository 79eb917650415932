/* cmd_deps.c - 'vibeguard deps': audit every dependency manifest under
 * the paths against the OSV database, offline, and print a pip-audit-like
 * table (or JSON), followed by the other dependency findings (typosquats,
 * unknown names, unpinned requirements, unsafe sources).
 *
 *   vibeguard deps [PATH...] [--format text|json] [--osv-db DIR|ZIP]
 *                  [--online] [--update-db] [--config FILE] [--fail-on LEVEL]
 *
 * Maintainers: --write-index FILE [--index-label TEXT] writes the index of
 * --osv-db to FILE (scripts/gen-osv-index.sh makes data/osv-pypi.vgidx).
 */
#include "../core/fsutil.h"
#include "cli.h"
#include "args.h"
#include "config.h"

#include "../core/buf.h"
#include "../core/xalloc.h"
#include "../deps/deps.h"
#include "../deps/pep440.h"
#include "../report/report.h"
#include "../walk/walk.h"
#include "../scan/families.h"

#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char usage[] =
    "usage: vibeguard deps [PATH...] [options]\n"
    "\n"
    "Audit dependency manifests (requirements*.txt, pyproject.toml, Pipfile[.lock],\n"
    "poetry/uv/pdm locks, pylock.toml, package.json, package-lock.json, yarn.lock,\n"
    "pnpm-lock.yaml) against the OSV database, offline.\n"
    "\n"
    "options:\n"
    "  --format text|json    output format (default text)\n"
    "  --osv-db DIR|ZIP      OSV records (JSON/YAML, recursively) or an OSV all.zip;\n"
    "                        also VIBEGUARD_OSV_DB; default: the cache directory's osv/,\n"
    "                        else the built-in PyPA advisory snapshot\n"
    "  --update-db           download the PyPI and npm databases from osv.dev first\n"
    "  --online              ask the registry whether unknown names exist\n"
    "  --config FILE         configuration ([deps] allowlist, osv-db, online)\n"
    "  --fail-on LEVEL       exit 1 for findings at or above LEVEL (default low)\n"
    "  --no-ignore           do not honour .gitignore files\n"
    "  -h, --help            this help\n";

enum { O_FORMAT = 1, O_OSV, O_UPDATE, O_ONLINE, O_CONFIG, O_FAIL, O_NOIGN, O_HELP, O_WRITE, O_LABEL };

static const arg_opt opts_table[] = {
    {"format", 0, 1, O_FORMAT},   {"osv-db", 0, 1, O_OSV},      {"update-db", 0, 0, O_UPDATE},
    {"online", 0, 0, O_ONLINE},   {"config", 0, 1, O_CONFIG},   {"fail-on", 0, 1, O_FAIL},
    {"no-ignore", 0, 0, O_NOIGN}, {"help", 'h', 0, O_HELP},     {"write-index", 0, 1, O_WRITE},
    {"index-label", 0, 1, O_LABEL}, {NULL, 0, 0, 0},
};

/* ---- collecting manifests ------------------------------------------------------------ */

typedef struct found {
    pthread_mutex_t lock;
    char **path, **fs;
    size_t n, cap;
} found;

static void on_file(void *ud, int thread, const char *path, const char *fs_path)
{
    (void)thread;
    found *f = ud;
    if (manifest_kind_of(path) == MK_NONE) return;
    pthread_mutex_lock(&f->lock);
    if (f->n == f->cap) {
        f->cap = f->cap ? f->cap * 2 : 16;
        f->path = xrealloc_n(f->path, f->cap, sizeof *f->path);
        f->fs = xrealloc_n(f->fs, f->cap, sizeof *f->fs);
    }
    f->path[f->n] = xstrdup(path);
    f->fs[f->n++] = xstrdup(fs_path);
    pthread_mutex_unlock(&f->lock);
}

static char *read_all(const char *fs, size_t max, size_t *len)
{
    char *data;
    return fs_read_all(fs, max, &data, len) ? NULL : data;
}

/* ---- output ------------------------------------------------------------------------------ */

typedef struct row {
    char *name, *version, *id, *fix, *sev, *where;
} row;

static void vis(buf *b, const char *s) { report_visible(b, s, strlen(s)); }

static int is_vuln_rule(const finding *fd)
{
    return !strcmp(fd->rule->id, "dep:vulnerable") || !strcmp(fd->rule->id, "dep:malicious");
}

/* The smallest fixed version of an advisory above v, or "-". */
static const char *adv_fix(const char *eco, const char *fixed, const char *v, char *out, size_t n)
{
    snprintf(out, n, "-");
    char *copy = xstrdup(fixed), *save = NULL;
    const char *best = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (osv_version_cmp(eco, t, v) > 0 && (!best || osv_version_cmp(eco, t, best) < 0)) best = t;
    if (best) snprintf(out, n, "%s", best);
    free(copy);
    return out;
}

int cmd_deps(int argc, char **argv)
{
    vg_opts o;
    opts_init(&o);
    arg_parser p;
    args_init(&p, argc, argv);
    const char *v, *config_file = NULL, *write_index = NULL, *label = NULL;
    int update = 0, id, rc = 0;
    config_cli_set set = {0};
    while ((id = args_next(&p, opts_table, &v)) != ARG_END) {
        switch (id) {
        case ARG_POSITIONAL: str_list_add(&o.paths, v); break;
        case ARG_ERROR: opts_free(&o); return cli_error("deps: %s", p.err);
        case O_FORMAT:
            if (strcmp(v, "text") && strcmp(v, "json")) {
                opts_free(&o);
                return cli_error("deps: --format must be text or json, not '%s'", v);
            }
            o.format = v;
            break;
        case O_OSV: o.osv_db = v; set.osv_db = 1; break;
        case O_UPDATE: update = 1; break;
        case O_ONLINE: o.online = 1; break;
        case O_CONFIG: config_file = v; break;
        case O_FAIL:
            o.fail_on = severity_parse(v);
            set.fail_on = 1;
            if (o.fail_on == SEV_NONE) {
                opts_free(&o);
                return cli_error("deps: --fail-on must be low, medium, high or critical");
            }
            break;
        case O_NOIGN: o.no_ignore = 1; break;
        case O_WRITE: write_index = v; break;
        case O_LABEL: label = v; break;
        case O_HELP: fputs(usage, stdout); opts_free(&o); return 0;
        }
    }
    /* only the dep: rules: registering every family compiles the secret
     * rules, which this command never uses */
    deps_rules_register();
    registry_sort();

    /* maintainers: write an index file */
    if (write_index) {
        if (!o.osv_db) {
            opts_free(&o);
            return cli_error("deps: --write-index needs --osv-db");
        }
        diag_list d = {0};
        buf b;
        buf_init(&b, 0);
        buf_printf(&b, "#vibeguard-osv-index 1\tbuiltin\t%s\n", label ? label : o.osv_db);
        size_t lines = 0;
        vg_status r = osv_build_index(o.osv_db, &b, &lines, &d);
        cli_print_diags(stderr, &d, DIAG_WARNING);
        if (!r) r = report_write_atomic(write_index, b.data, b.len, &d);
        if (r) cli_print_diags(stderr, &d, DIAG_ERROR);
        buf_free(&b);
        diag_free(&d);
        opts_free(&o);
        return r ? 2 : 0;
    }

    if (!o.paths.n) str_list_add(&o.paths, ".");
    for (size_t i = 0; i < o.paths.n; i++) {
        struct stat st;
        if (stat(o.paths.v[i], &st)) {
            rc = cli_error("deps: no such file or directory: %s", o.paths.v[i]);
            opts_free(&o);
            return rc;
        }
    }
    /* configuration ([deps] allowlist, osv-db, online) */
    vg_config cfg = {0};
    diag_list cd = {0};
    const char *dirs[2] = {".", NULL};
    size_t ndirs = 1;
    struct stat st;
    if (strcmp(o.paths.v[0], ".") && !stat(o.paths.v[0], &st) && S_ISDIR(st.st_mode))
        dirs[ndirs++] = o.paths.v[0];
    if (config_load(&cfg, config_file, dirs, ndirs, &cd) || config_apply(&cfg, &o, &set, &cd)) {
        cli_print_diags(stderr, &cd, DIAG_ERROR);
        diag_free(&cd);
        config_free(&cfg);
        opts_free(&o);
        return 2;
    }
    cli_print_diags(stderr, &cd, DIAG_WARNING);
    diag_free(&cd);
    if (!o.osv_db && getenv("VIBEGUARD_OSV_DB") && *getenv("VIBEGUARD_OSV_DB"))
        o.osv_db = getenv("VIBEGUARD_OSV_DB");

    if (update) {
        char dir[4096];
        struct stat sdb;
        if (o.osv_db && !stat(o.osv_db, &sdb) && S_ISDIR(sdb.st_mode)) snprintf(dir, sizeof dir, "%s", o.osv_db);
        else if (o.osv_db && stat(o.osv_db, &sdb)) snprintf(dir, sizeof dir, "%s", o.osv_db);
        else if (osv_default_dir(dir, sizeof dir)) {
            config_free(&cfg);
            opts_free(&o);
            return cli_error("deps: --update-db: no cache directory (set HOME or XDG_CACHE_HOME)");
        }
        diag_list d = {0};
        size_t bytes = 0;
        vg_status r = osv_update(dir, &bytes, &d);
        if (r) {
            cli_print_diags(stderr, &d, DIAG_ERROR);
            diag_free(&d);
            config_free(&cfg);
            opts_free(&o);
            return 2;
        }
        fprintf(stderr, "vibeguard: downloaded %.1f MB of OSV records into %s\n", bytes / 1e6, dir);
        diag_free(&d);
        if (!o.osv_db) o.osv_db = NULL; /* the default directory is picked up below */
    }

    diag_list d = {0};
    deps_ctx *ctx = NULL;
    if (deps_ctx_open(&o, &ctx, &d)) {
        cli_print_diags(stderr, &d, DIAG_ERROR);
        diag_free(&d);
        config_free(&cfg);
        opts_free(&o);
        return 2;
    }

    /* find the manifests */
    found fm = {0};
    pthread_mutex_init(&fm.lock, NULL);
    walk_opts wo = {&o.exclude, o.no_ignore, 2};
    for (size_t i = 0; i < o.paths.n; i++) {
        walk_stats ws = {0};
        walk_root(o.paths.v[i], &wo, on_file, &fm, &ws, &d);
    }
    pthread_mutex_destroy(&fm.lock);
    /* deterministic order */
    for (size_t i = 1; i < fm.n; i++)
        for (size_t j = i; j > 0 && strcmp(fm.path[j - 1], fm.path[j]) > 0; j--) {
            char *t = fm.path[j]; fm.path[j] = fm.path[j - 1]; fm.path[j - 1] = t;
            t = fm.fs[j]; fm.fs[j] = fm.fs[j - 1]; fm.fs[j - 1] = t;
        }

    vg_out out;
    out_init(&out, &o);
    manifest *mans = xcalloc(fm.n ? fm.n : 1, sizeof *mans);
    size_t npackages = 0;
    for (size_t i = 0; i < fm.n; i++) {
        size_t len = 0;
        char *data = read_all(fm.fs[i], MANIFEST_MAX_BYTES, &len);
        if (!data) {
            diag_add(&out.diags, DIAG_WARNING, fm.path[i], 0, 0, "cannot read (or larger than %u MiB)",
                     MANIFEST_MAX_BYTES >> 20);
            continue;
        }
        vg_file f = {0};
        f.path = fm.path[i];
        f.fs_path = fm.fs[i];
        f.data = (const unsigned char *)data;
        f.len = len;
        f.kind = FK_TEXT;
        deps_check_file(ctx, &f, manifest_kind_of(fm.path[i]), &out, &mans[i]);
        npackages += mans[i].n;
        file_lines_free(&f);
        free(data);
    }
    deps_ctx_take_diags(ctx, &out.diags);
    diag_move(&out.diags, &d);
    findings_sort(out.v, out.n);

    /* keep what is reported: not suppressed inline, at or above the threshold */
    finding **keep = xcalloc(out.n ? out.n : 1, sizeof *keep);
    size_t nkeep = 0, nvuln_pkgs = 0, nvulns = 0;
    for (size_t i = 0; i < out.n; i++) {
        finding *fd = out.v[i];
        if (fd->suppressed || fd->severity < o.min_severity) continue;
        if (o.ignore.n) {
            int ign = 0;
            for (size_t k = 0; k < o.ignore.n; k++) ign |= rule_id_matches(fd->rule->id, o.ignore.v[k]);
            if (ign) continue;
        }
        keep[nkeep++] = fd;
        if (is_vuln_rule(fd)) {
            nvuln_pkgs++;
            const char *ids = finding_prop(fd, "advisories");
            for (const char *q = ids; q && *q; q++) nvulns += *q == ',';
            if (ids) nvulns++;
        }
    }
    const osv_db *db = deps_ctx_db(ctx);
    buf b;
    buf_init(&b, 0);
    if (!strcmp(o.format, "json")) {
        json_t *root = json_object();
        json_object_set_new(root, "version", json_string(VG_VERSION));
        json_object_set_new(root, "osv_db", json_string(osv_label(db)));
        json_t *deps = json_array(), *mlist = json_array();
        for (size_t i = 0; i < fm.n; i++) {
            json_t *mj = json_object();
            json_object_set_new(mj, "path", json_string(fm.path[i]));
            json_object_set_new(mj, "kind", json_string(manifest_kind_name(mans[i].kind)));
            json_object_set_new(mj, "packages", json_integer((json_int_t)mans[i].n));
            json_array_append_new(mlist, mj);
            for (size_t k = 0; k < mans[i].n; k++) {
                const dep *dp = &mans[i].deps[k];
                json_t *dj = json_object();
                const char *eco = dp->eco == ECO_NPM ? "npm" : "PyPI";
                json_object_set_new(dj, "name", json_string(dp->name));
                json_object_set_new(dj, "ecosystem", json_string(eco));
                json_object_set_new(dj, "version", dp->version ? json_string(dp->version) : json_null());
                json_object_set_new(dj, "spec", json_string(dp->spec));
                json_object_set_new(dj, "file", json_string(fm.path[i]));
                json_object_set_new(dj, "line", json_integer(dp->line));
                json_t *vulns = json_array();
                if (dp->version && !(dp->flags & DEP_URL)) {
                    osv_result r;
                    osv_query(db, eco, dp->name, dp->version, &r);
                    for (size_t a = 0; a < r.n; a++) {
                        json_t *vj = json_object();
                        char fx[128];
                        json_object_set_new(vj, "id", json_string(r.v[a].id));
                        json_t *al = json_array();
                        char *copy = xstrdup(r.v[a].aliases), *save = NULL;
                        for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
                            json_array_append_new(al, json_string(t));
                        free(copy);
                        json_object_set_new(vj, "aliases", al);
                        adv_fix(eco, r.v[a].fixed, dp->version, fx, sizeof fx);
                        json_t *fvs = json_array();
                        if (strcmp(fx, "-")) json_array_append_new(fvs, json_string(fx));
                        json_object_set_new(vj, "fix_versions", fvs);
                        json_object_set_new(vj, "summary", json_string(r.v[a].summary));
                        json_object_set_new(vj, "severity", r.v[a].sev ? json_string(severity_str(r.v[a].sev)) : json_null());
                        if (r.v[a].cvss[0]) json_object_set_new(vj, "cvss", json_string(r.v[a].cvss));
                        json_object_set_new(vj, "malicious", json_boolean(r.v[a].malicious));
                        json_array_append_new(vulns, vj);
                    }
                    if (r.fix) json_object_set_new(dj, "fix", json_string(r.fix));
                    osv_result_free(&r);
                }
                json_object_set_new(dj, "vulns", vulns);
                json_array_append_new(deps, dj);
            }
        }
        json_object_set_new(root, "manifests", mlist);
        json_object_set_new(root, "dependencies", deps);
        /* the findings, in the reporter's JSON form */
        report_ctx rc_ = {keep, nkeep, &out.diags, NULL, NULL, VG_VERSION, NULL, 0, 1};
        buf fj;
        buf_init(&fj, 0);
        report_json(&rc_, &fj);
        json_t *rep = json_loadb(fj.data ? fj.data : "{}", fj.len, 0, NULL);
        buf_free(&fj);
        json_object_set(root, "findings", rep ? json_object_get(rep, "findings") : json_array());
        json_object_set(root, "errors", rep && json_object_get(rep, "errors") ? json_object_get(rep, "errors") : json_array());
        json_decref(rep);
        char *s = json_dumps(root, JSON_INDENT(2) | JSON_ENSURE_ASCII);
        buf_puts(&b, s);
        buf_putc(&b, '\n');
        free(s);
        json_decref(root);
    } else {
        cli_print_diags(stderr, &out.diags, DIAG_WARNING);
        /* the vulnerability table */
        row *rows = NULL;
        size_t nrows = 0, rcap = 0;
        for (size_t i = 0; i < nkeep; i++) {
            finding *fd = keep[i];
            if (!is_vuln_rule(fd)) continue;
            const char *eco = finding_prop(fd, "ecosystem"), *name = finding_prop(fd, "package");
            const char *ver = finding_prop(fd, "version");
            osv_result r;
            osv_query(db, eco, name, ver ? ver : "999999999", &r);
            for (size_t a = 0; a < r.n; a++) {
                int mal_rule = !strcmp(fd->rule->id, "dep:malicious");
                if (mal_rule != (r.v[a].malicious != 0)) continue;
                XGROW(rows, rcap, nrows + 1);
                row *w = &rows[nrows++];
                char fx[128];
                w->name = xstrdup(name);
                w->version = xstrdup(ver ? ver : "*");
                w->id = xstrdup(r.v[a].id);
                w->fix = xstrdup(r.v[a].malicious ? "remove" : adv_fix(eco, r.v[a].fixed, ver, fx, sizeof fx));
                w->sev = xstrdup(r.v[a].malicious ? "critical" : r.v[a].sev ? severity_str(r.v[a].sev) : "-");
                w->where = xasprintf("%s:%d", fd->path, fd->line);
            }
            osv_result_free(&r);
        }
        if (nrows) {
            buf_printf(&b, "Found %zu known %s in %zu %s\n", nvulns, nvulns == 1 ? "vulnerability" : "vulnerabilities",
                       nvuln_pkgs, nvuln_pkgs == 1 ? "package" : "packages");
            const char *hdr[6] = {"Name", "Version", "ID", "Fix Versions", "Severity", "Where"};
            size_t wdt[6];
            for (int c = 0; c < 6; c++) wdt[c] = strlen(hdr[c]);
            for (size_t i = 0; i < nrows; i++) {
                const char *cells[6] = {rows[i].name, rows[i].version, rows[i].id, rows[i].fix, rows[i].sev, rows[i].where};
                for (int c = 0; c < 6; c++) {
                    size_t l = strlen(cells[c]);
                    if (l > 48 && c < 5) l = 48; /* the place is never cut */
                    if (l > wdt[c]) wdt[c] = l;
                }
            }
            for (int c = 0; c < 6; c++)
                if (c < 5) buf_printf(&b, "%-*s ", (int)wdt[c], hdr[c]);
                else buf_printf(&b, "%s\n", hdr[c]);
            for (int c = 0; c < 6; c++) {
                for (size_t k = 0; k < wdt[c]; k++) buf_putc(&b, '-');
                buf_puts(&b, c < 5 ? " " : "\n");
            }
            for (size_t i = 0; i < nrows; i++) {
                const char *cells[6] = {rows[i].name, rows[i].version, rows[i].id, rows[i].fix, rows[i].sev, rows[i].where};
                for (int c = 0; c < 6; c++) {
                    buf cell;
                    buf_init(&cell, 0);
                    size_t cl = strlen(cells[c]);
                    report_visible(&cell, cells[c], cl > 48 && c < 5 ? 48 : cl);
                    if (c < 5) buf_printf(&b, "%-*s ", (int)wdt[c], cell.data ? cell.data : "");
                    else buf_printf(&b, "%s\n", cell.data ? cell.data : "");
                    buf_free(&cell);
                }
            }
            for (size_t i = 0; i < nkeep; i++) {
                const char *fx = finding_prop(keep[i], "fixed_version");
                if (!fx || strcmp(keep[i]->rule->id, "dep:vulnerable")) continue;
                buf_puts(&b, "upgrade: ");
                vis(&b, finding_prop(keep[i], "package"));
                buf_puts(&b, " ");
                vis(&b, finding_prop(keep[i], "version"));
                buf_puts(&b, " -> ");
                vis(&b, fx);
                buf_puts(&b, " (clears every advisory)\n");
            }
        } else {
            buf_puts(&b, "No known vulnerabilities found\n");
        }
        for (size_t i = 0; i < nrows; i++) {
            free(rows[i].name); free(rows[i].version); free(rows[i].id);
            free(rows[i].fix); free(rows[i].sev); free(rows[i].where);
        }
        free(rows);
        /* other findings */
        size_t nother = 0;
        for (size_t i = 0; i < nkeep; i++) nother += !is_vuln_rule(keep[i]);
        if (nother) {
            buf_printf(&b, "\n%zu other dependency %s:\n", nother, nother == 1 ? "finding" : "findings");
            for (size_t i = 0; i < nkeep; i++) {
                finding *fd = keep[i];
                if (is_vuln_rule(fd)) continue;
                vis(&b, fd->path);
                buf_printf(&b, ":%d:%d: %s [%s] ", fd->line, fd->col, fd->rule->id, severity_str(fd->severity));
                vis(&b, fd->message);
                buf_putc(&b, '\n');
            }
        }
        buf_printf(&b, "\nAudited %zu %s in %zu %s; OSV database: ", npackages,
                   npackages == 1 ? "package" : "packages", fm.n, fm.n == 1 ? "manifest" : "manifests");
        vis(&b, osv_label(db));
        buf_printf(&b, " (%zu advisory entries)\n", osv_count(db));
    }
    fwrite(b.data ? b.data : "", 1, b.len, stdout);
    buf_free(&b);
    for (size_t i = 0; i < nkeep; i++)
        if (keep[i]->severity >= o.fail_on) rc = 1;
    free(keep);
    for (size_t i = 0; i < fm.n; i++) {
        manifest_free(&mans[i]);
        free(fm.path[i]);
        free(fm.fs[i]);
    }
    free(mans);
    free(fm.path);
    free(fm.fs);
    out_free(&out);
    diag_free(&d);
    deps_ctx_close(ctx);
    config_free(&cfg);
    opts_free(&o);
    return rc;
}
