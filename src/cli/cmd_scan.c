/* cmd_scan.c - 'vibeguard scan': flags and config into vg_opts, scan_run,
 * then the filtering pipeline (inline pragmas, select/ignore, per-file
 * ignores, thresholds, changed lines, baseline), the reporter and the
 * exit code. */
#include "cli.h"
#include "args.h"
#include "config.h"
#include "bandit.h"
#include "../core/buf.h"
#include "../core/suggest.h"
#include "../core/fsutil.h"
#include "../git/git.h"
#include "../report/report.h"
#include "../scan/run.h"
#include "../walk/walk.h"
#include "../scan/families.h"
#include "../rules/bandit_config.h"

#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

static const char scan_usage[] =
    "usage: vibeguard scan [options] [PATH...]\n"
    "\n"
    "Scan files and directories (default: .) with every analyzer: Python code,\n"
    "secrets, personal data, hidden Unicode and dependency manifests.\n"
    "\n"
    "output:\n"
    "  --format FMT          text (default), json, sarif, html, gitlab-sast,\n"
    "                        gitlab-secrets (GitLab security reports) or junit\n"
    "  -o, --output FILE     write the report to FILE (atomically) instead of stdout\n"
    "  --no-color            no ANSI colours (also: NO_COLOR set, or not a terminal)\n"
    "  -q, --quiet           findings only: no summary, no progress line\n"
    "  --group-by file|rule  text: findings under each file (default) or each rule; 10 or\n"
    "                        more findings open with a table of counts per rule\n"
    "  --show-secrets        do not mask secrets in snippets\n"
    "  --no-threat-model     html: leave out the threat model section (building it reads\n"
    "                        the project's Python code a second time)\n"
    "selection:\n"
    "  --select ID,...       only these rules (ids or prefixes: B6, VG1, secret, pii, dep, unicode,\n"
    "                        licence)\n"
    "  --ignore ID,...       never these rules\n"
    "  --severity LEVEL      report findings at or above LEVEL (low, medium, high, critical)\n"
    "  --confidence LEVEL    report findings at or above LEVEL (low, medium, high)\n"
    "  --profile NAME        default: issues only, review items counted in one line;\n"
    "                        audit: review items too; bandit: Bandit's checks as Bandit\n"
    "                        reports them (no file-class policy, no merging)\n"
    "  --fail-on LEVEL       exit 1 when an issue is at or above LEVEL (default low; never);\n"
    "                        a file not fully searched for secrets (a cap) also exits 1\n"
    "  --fail-on-empty       exit 1 when the scan read no file at all\n"
    "  --config FILE         config file (default: .vibeguard.toml, else [tool.vibeguard]\n"
    "                        in pyproject.toml, in . then in the first PATH); a Bandit\n"
    "                        config (bandit.yaml, .bandit, a TOML with [tool.bandit])\n"
    "                        is read as Bandit does; .bandit and [tool.bandit] are also\n"
    "                        found by themselves\n"
    "  --baseline FILE       report only findings not in FILE\n"
    "  --write-baseline FILE record the current findings in FILE (exit 0)\n"
    "  --diff REV            only findings on lines changed since git revision REV\n"
    "  --staged              only findings on lines changed in the git index\n"
    "walking:\n"
    "  -j, --jobs N          worker threads (default: number of cores)\n"
    "  --no-ignore           do not read .gitignore, .ignore, .git/info/exclude\n"
    "  --exclude GLOB        skip paths matching GLOB (repeatable)\n"
    "  --max-file-size SIZE  skip larger files (default 5M)\n"
    "  --shard K/N           report only part K of N (1 <= K <= N), split by path hash;\n"
    "                        N jobs cover the tree once (join them with vibeguard merge)\n"
    "  --history[=RANGE]     also scan every commit reachable from any ref for secrets;\n"
    "                        RANGE as gitleaks' --log-opts: REV, A..B (a pull request's\n"
    "                        commits), A...B; also '--history A..B'\n"
    "analyzers:\n"
    "  --secrets-config FILE extra secret rules in gitleaks TOML format\n"
    "  --osv-db DIR|ZIP      offline OSV database for dependency checks (or VIBEGUARD_OSV_DB)\n"
    "  --online              allow registry look-ups for dependency names and OSV's API\n"
    "                        for their exact versions (docs/deps.md)\n"
    "  --no-pii              skip personal data detection\n"
    "  --no-taint            skip data-flow (taint) analysis\n"
    "\n"
    "exit status: 0 no issue at or above --fail-on, 1 issues, 2 usage or runtime error\n";

enum {
    O_FORMAT = 1, O_OUTPUT, O_SELECT, O_IGNORE, O_SEVERITY, O_FAIL_ON, O_CONFIDENCE, O_CONFIG,
    O_BASELINE, O_WRITE_BASELINE, O_DIFF, O_STAGED, O_HISTORY, O_JOBS, O_SHARD, O_NO_IGNORE, O_EXCLUDE,
    O_MAX_FILE_SIZE, O_NO_COLOR, O_QUIET, O_SHOW_SECRETS, O_SECRETS_CONFIG, O_OSV_DB, O_ONLINE,
    O_NO_PII, O_NO_TAINT, O_PROFILE, O_FAIL_ON_EMPTY, O_HELP, O_GROUP_BY, O_NO_THREAT
};

static const arg_opt scan_opts[] = {
    {"format", 'f', 1, O_FORMAT},         {"output", 'o', 1, O_OUTPUT},
    {"select", 0, 1, O_SELECT},           {"ignore", 0, 1, O_IGNORE},
    {"severity", 0, 1, O_SEVERITY},       {"fail-on", 0, 1, O_FAIL_ON},
    {"profile", 0, 1, O_PROFILE},
    {"confidence", 0, 1, O_CONFIDENCE},   {"config", 'c', 1, O_CONFIG},
    {"baseline", 0, 1, O_BASELINE},       {"write-baseline", 0, 1, O_WRITE_BASELINE},
    {"diff", 0, 1, O_DIFF},               {"staged", 0, 0, O_STAGED},
    {"history", 0, ARG_OPTIONAL, O_HISTORY},         {"jobs", 'j', 1, O_JOBS},
    {"shard", 0, 1, O_SHARD},
    {"no-ignore", 0, 0, O_NO_IGNORE},     {"exclude", 0, 1, O_EXCLUDE},
    {"max-file-size", 0, 1, O_MAX_FILE_SIZE}, {"no-color", 0, 0, O_NO_COLOR},
    {"quiet", 'q', 0, O_QUIET},           {"show-secrets", 0, 0, O_SHOW_SECRETS},
    {"secrets-config", 0, 1, O_SECRETS_CONFIG}, {"osv-db", 0, 1, O_OSV_DB},
    {"online", 0, 0, O_ONLINE},           {"no-pii", 0, 0, O_NO_PII},
    {"no-taint", 0, 0, O_NO_TAINT},       {"help", 'h', 0, O_HELP},
    {"fail-on-empty", 0, 0, O_FAIL_ON_EMPTY},
    {"group-by", 0, 1, O_GROUP_BY},       {"no-threat-model", 0, 0, O_NO_THREAT},
    {0, 0, 0, 0},
};

/* --- progress line (stderr, TTY only) ------------------------------------ */

typedef struct progress {
    struct timespec t0;
    int drawn;
} progress;

static double since(const struct timespec *t0)
{
    struct timespec t;
    clock_gettime(CLOCK_MONOTONIC, &t);
    return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

static void progress_draw(const scan_stats *st, void *ud)
{
    progress *p = ud;
    double s = since(&p->t0);
    double mb = (double)st->bytes / (1 << 20);
    if (st->history_blobs)
        fprintf(stderr, "\r\033[K  scanned %zu files; git history: %zu blobs (%.0f s)", st->files,
                st->history_blobs, s);
    else
        fprintf(stderr, "\r\033[K  scanning: %zu files, %.1f MB, %.1f MB/s", st->files, mb,
                s > 0 ? mb / s : 0.0);
    fflush(stderr);
    p->drawn = 1;
}

/* --- the command ---------------------------------------------------------- */

typedef struct scan_cmd {
    vg_opts o;
    vg_config cfg;
    config_cli_set set;
    const char *config_file;
    int fail_never;
    int fail_on_empty;   /* --fail-on-empty: a scan that read no file exits 1 */
    int history_word;    /* the --history range was the next word, no path */
    int group_by;
    int no_threat;       /* --no-threat-model: no threat model section in html */
} scan_cmd;

/* --diff/--staged: git paths are relative to the scanned root, finding
 * paths carry the root as given ("proj/app.py"); strip it. */
typedef struct changed_ctx {
    const git_changes *changes;
    const char *root;   /* display form of the root, "." for the cwd */
} changed_ctx;

/* A finding's path as git has it: below the scanned root. */
static const char *changed_path(const changed_ctx *cc, const char *path)
{
    size_t n = strlen(cc->root);
    if (strcmp(cc->root, ".") && !strncmp(path, cc->root, n) && path[n] == '/') path += n + 1;
    return path;
}

static int keep_changed(const void *ud, const char *path, int line)
{
    const changed_ctx *cc = ud;
    return git_changes_has(cc->changes, changed_path(cc, path), line);
}

/* The files --diff/--staged can report: the others are context only. */
static int report_changed(const void *ud, const char *path)
{
    const changed_ctx *cc = ud;
    return git_changes_has_path(cc->changes, changed_path(cc, path));
}

static int parse(scan_cmd *c, int argc, char **argv)
{
    vg_opts *o = &c->o;
    arg_parser p;
    args_init(&p, argc, argv);
    const char *v;
    int id, n;
    size_t sz;
    while ((id = args_next(&p, scan_opts, &v)) != ARG_END) {
        switch (id) {
        case ARG_ERROR: return cli_error("scan: %s (see 'vibeguard scan --help')", p.err);
        case ARG_POSITIONAL: str_list_add(&o->paths, v); break;
        case O_HELP: fputs(scan_usage, stdout); return 0;
        case O_FORMAT:
            if (!report_format_known(v)) {
                const char *near = suggest_best_in(v, report_formats, sizeof *report_formats);
                if (near) return cli_error("scan: unknown format '%s' (did you mean '%s'?)", v, near);
                return cli_error("scan: unknown format '%s' (text, json, sarif, html, gitlab-sast, "
                                 "gitlab-secrets, junit)", v);
            }
            o->format = v;
            break;
        case O_OUTPUT: o->output = v; break;
        case O_FAIL_ON_EMPTY: c->fail_on_empty = 1; break;
        case O_NO_THREAT: c->no_threat = 1; break;
        case O_GROUP_BY:
            if (!strcmp(v, "file")) c->group_by = REPORT_GROUP_FILE;
            else if (!strcmp(v, "rule")) c->group_by = REPORT_GROUP_RULE;
            else return cli_error("scan: --group-by takes file or rule, not '%s'", v);
            break;
        case O_SELECT:
            if (!c->set.select) str_list_free(&o->select);
            c->set.select = 1;
            args_add_ids(&o->select, v);
            break;
        case O_IGNORE: args_add_ids(&o->ignore, v); break;
        case O_SEVERITY:
        case O_FAIL_ON:
            if (id == O_FAIL_ON && !strcmp(v, "never")) {
                c->fail_never = 1;
                c->set.fail_on = 1;
                break;
            }
            if (!severity_parse(v))
                return cli_error("scan: unknown severity '%s' (low, medium, high, critical%s)", v,
                                 id == O_FAIL_ON ? ", never" : "");
            if (id == O_SEVERITY) o->min_severity = severity_parse(v), c->set.severity = 1;
            else o->fail_on = severity_parse(v), c->set.fail_on = 1;
            break;
        case O_PROFILE:
            if ((o->profile = config_profile_parse(v)) < 0)
                return cli_error("scan: unknown profile '%s' (default, audit, bandit)", v);
            c->set.profile = 1;
            break;
        case O_CONFIDENCE:
            if (!confidence_parse(v))
                return cli_error("scan: unknown confidence '%s' (low, medium, high)", v);
            o->min_confidence = confidence_parse(v);
            c->set.confidence = 1;
            break;
        case O_CONFIG: c->config_file = v; break;
        case O_BASELINE: o->baseline = v; break;
        case O_WRITE_BASELINE: o->write_baseline = v; break;
        case O_DIFF: o->diff_rev = v; break;
        case O_STAGED: o->staged = 1; break;
        case O_HISTORY:
            o->history = 1;
            if (v && !*v) return cli_error("scan: --history= needs a revision range");
            /* '--history A..B': the next word, when it is a range or no path */
            if (!v && p.i < p.argc && p.argv[p.i][0] != '-' && !p.no_more_opts &&
                (strstr(p.argv[p.i], "..") || access(p.argv[p.i], F_OK))) {
                v = p.argv[p.i++];
                c->history_word = !strstr(v, "..");
            }
            o->history_range = v;
            break;
        case O_JOBS:
            if (args_parse_int(v, 0, 1024, &n))
                return cli_error("scan: --jobs needs a number from 0 to 1024, not '%s'", v);
            o->jobs = n;
            c->set.jobs = 1;
            break;
        case O_SHARD: {
            const char *slash = strchr(v, '/');
            char kb[16];
            int k = 0, nn = 0;
            if (slash && (size_t)(slash - v) < sizeof kb) {
                memcpy(kb, v, (size_t)(slash - v));
                kb[slash - v] = 0;
            }
            if (!slash || (size_t)(slash - v) >= sizeof kb || args_parse_int(kb, 1, 65536, &k) ||
                args_parse_int(slash + 1, 1, 65536, &nn) || k > nn)
                return cli_error("scan: --shard needs K/N with 1 <= K <= N <= 65536, not '%s'", v);
            o->shard_k = k;
            o->shard_n = nn;
            break;
        }
        case O_NO_IGNORE: o->no_ignore = 1; break;
        case O_EXCLUDE: str_list_add(&o->exclude, v); break;
        case O_MAX_FILE_SIZE:
            if (args_parse_size(v, &sz) || !sz)
                return cli_error("scan: --max-file-size needs a size like 1048576 or 5M, not '%s'", v);
            o->max_file_size = sz;
            c->set.max_file_size = 1;
            break;
        case O_NO_COLOR: o->no_color = 1; break;
        case O_QUIET: o->quiet = 1; break;
        case O_SHOW_SECRETS: o->show_secrets = 1; break;
        case O_SECRETS_CONFIG: o->secrets_config = v; c->set.secrets_config = 1; break;
        case O_OSV_DB: o->osv_db = v; c->set.osv_db = 1; break;
        case O_ONLINE: o->online = 1; break;
        case O_NO_PII: o->pii_enabled = 0; break;
        case O_NO_TAINT: o->taint_enabled = 0; break;
        }
    }
    if (o->diff_rev && o->staged) return cli_error("scan: --diff and --staged exclude each other");
    return -1; /* go on */
}

/* The repository the scan root lies in: the nearest directory at or above
 * it (made absolute) holding .git; 1 with its path in out, 0 when none. */
static int repo_root(const char *root, char *out, size_t n)
{
    char abs[PATH_MAX];
    if (!realpath(root, abs)) return 0;
    struct stat st;
    if (!stat(abs, &st) && !S_ISDIR(st.st_mode)) {
        char *s = strrchr(abs, '/');
        if (s && s != abs) *s = 0;
    }
    for (;;) {
        char probe[PATH_MAX + 8];
        snprintf(probe, sizeof probe, "%s/.git", abs);
        if (!stat(probe, &st)) {
            snprintf(out, n, "%s", abs);
            return 1;
        }
        char *s = strrchr(abs, '/');
        if (!s || s == abs) return 0;
        *s = 0;
    }
}

static int check_file_arg(const char *flag, const char *path)
{
    struct stat st;
    if (stat(path, &st) != 0) return cli_error("scan: %s: no such file: %s", flag, path);
    return 0;
}

static int run(scan_cmd *c, int argc, char **argv)
{
    vg_opts *o = &c->o;
    int rc = parse(c, argc, argv);
    if (rc >= 0) return rc;
    if (!o->paths.n) str_list_add(&o->paths, ".");
    for (size_t i = 0; i < o->paths.n; i++) {
        struct stat st;
        if (stat(o->paths.v[i], &st) != 0)
            return cli_error("scan: no such file or directory: %s", o->paths.v[i]);
    }
    if (o->secrets_config && check_file_arg("--secrets-config", o->secrets_config)) return 2;

    /* -c bandit.yaml is Bandit's spelling: a Bandit config, and the
     * vibeguard config is then found as without --config */
    int bandit_cfg = c->config_file && bandit_config_is(c->config_file);
    if (config_setup(&c->cfg, bandit_cfg ? NULL : c->config_file, o, &c->set)) return 2;
    /* --config FILE is the whole configuration: no nested configs then */
    if ((bandit_cfg || !c->config_file) && config_setup_nested(&c->cfg, o, &c->set)) return 2;
    if (bandit_setup(bandit_cfg ? c->config_file : NULL, o)) return 2;
    if (config_check_selection("scan", o)) return 2;

    /* inputs of the filters, checked before the (long) scan */
    diag_list d = {0};
    baseline *bl = NULL;
    git_changes *changes = NULL;
    if (o->baseline && baseline_load(o->baseline, &bl, &d)) {
        cli_print_diags(stderr, &d, DIAG_ERROR);
        diag_free(&d);
        return 2;
    }
    if (o->history_range &&
        git_history_check(o->paths.n ? o->paths.v[0] : ".", o->history_range, &d)) {
        cli_print_diags(stderr, &d, DIAG_ERROR);
        if (c->history_word)
            cli_error("scan: '%s' after --history is no file or directory either",
                      o->history_range);
        diag_free(&d);
        baseline_free(bl);
        return 2;
    }
    if ((o->diff_rev || o->staged) &&
        git_changed_lines(o->paths.v[0], o->diff_rev, o->staged, &changes, &d)) {
        cli_print_diags(stderr, &d, DIAG_ERROR);
        diag_free(&d);
        baseline_free(bl);
        return 2;
    }

    progress pg = {0};
    clock_gettime(CLOCK_MONOTONIC, &pg.t0);
    int tty_progress = !o->quiet && isatty(2);
    char *disp_root = walk_display_root(o->paths.v[0]);
    changed_ctx cc = {changes, disp_root};
    if (changes && o->paths.n == 1) {
        o->report_only = report_changed;
        o->report_only_ud = &cc;
    }
    families_register();
    vg_out out;
    out_init(&out, o);
    scan_stats stats = {0};
    vg_status st_run = scan_run(o, &out, &stats, &d, tty_progress ? progress_draw : NULL, &pg);
    if (pg.drawn) fputs("\r\033[K", stderr);
    if (st_run) {
        int errors = 0;
        for (size_t i = 0; i < d.n; i++) errors += d.v[i].level == DIAG_ERROR;
        if (!errors) cli_error("scan failed: %s", vg_status_str(st_run));
        cli_print_diags(stderr, &d, DIAG_ERROR);
        rc = 2;
        goto done;
    }
    diag_move(&out.diags, &d);
    /* the work taint and the pattern rules' look-ups did, for tests that
     * assert growth by counting work (tests/hostile/), never part of a report */
    const char *work = getenv("VIBEGUARD_WORK");
    if (work && strcmp(work, "1") == 0) {
        fprintf(stderr, "vibeguard: work: taint %zu\n", stats.taint_work);
        fprintf(stderr, "vibeguard: work: rules %zu\n", stats.rules_work);
        fprintf(stderr, "vibeguard: work: bandit-config %zu\n", bandit_config_work());
    }

    filter_counts counts = {0};
    report_filter(&out, o, NULL, changes ? keep_changed : NULL, &cc, &counts);
    stats.suppressed = counts.suppressed;

    if (o->write_baseline) {
        buf b;
        buf_init(&b, 0);
        baseline_render(out.v, out.n, &b);
        vg_status w = fs_write_atomic(o->write_baseline, b.data, b.len, 0666, "cannot write output", &d);
        buf_free(&b);
        if (w) {
            cli_print_diags(stderr, &d, DIAG_ERROR);
            rc = 2;
            goto done;
        }
        if (!o->quiet)
            fprintf(stderr, "vibeguard: wrote %zu finding%s to baseline %s\n", out.n,
                    out.n == 1 ? "" : "s", o->write_baseline);
    }
    if (bl) report_filter_baseline(&out, bl, &counts);

    /* finding paths are relative to the current directory (or absolute) */
    char cwd[PATH_MAX], repo[PATH_MAX];
    const char *cwd_abs = getcwd(cwd, sizeof cwd) ? cwd : NULL;
    const char *src_root = repo_root(o->paths.v[0], repo, sizeof repo) ? repo : cwd_abs;
    const char *nc = getenv("NO_COLOR");
    report_ctx ctx = {
        .v = out.v, .n = out.n, .diags = &out.diags, .stats = &stats, .counts = &counts,
        .version = VG_VERSION, .src_root = src_root, .cwd = cwd_abs, .quiet = o->quiet,
        .group_by = c->group_by,
        .color = !o->output && !o->no_color && !(nc && *nc) && isatty(1) &&
                 !strcmp(o->format, "text"),
    };
    /* only the HTML page has a threat model section: building one costs a
     * second parse of the project, so no other format pays for it */
    struct report_threat *tm = NULL;
    if (!strcmp(o->format, "html") && !c->no_threat) {
        tm = cli_threat_report(o->paths.n == 1 ? o->paths.v[0] : NULL, disp_root, out.v, out.n);
        ctx.threat = tm;
    }
    buf rep;
    buf_init(&rep, 0);
    vg_status rs = report_render(&ctx, o->format, &rep);
    cli_threat_report_free(tm);
    if (rs) {
        cli_error("scan: cannot render the %s report: %s", o->format, vg_status_str(rs));
        buf_free(&rep);
        rc = 2;
        goto done;
    }
    if (o->output) {
        if (fs_write_atomic(o->output, rep.data, rep.len, 0666, "cannot write output", &d)) {
            cli_print_diags(stderr, &d, DIAG_ERROR);
            buf_free(&rep);
            rc = 2;
            goto done;
        }
    } else if ((rc = cli_write_stdout("scan", rep.data, rep.len))) {
        buf_free(&rep);
        goto done;
    }
    buf_free(&rep);
    /* errors (not warnings) about the inputs also reach stderr when the
     * report itself is not text on the terminal */
    if (o->output || strcmp(o->format, "text"))
        cli_print_diags_masked(stderr, &out.diags, DIAG_ERROR, o->show_secrets ? NULL : out.secrets);

    rc = 0;
    /* the gate counts issues; review items are a place to look */
    if (!o->write_baseline && !c->fail_never) {
        rc = report_gate(out.v, out.n, o->fail_on);
        /* a cap must never turn into a silent pass */
        if (!rc && stats.incomplete) {
            cli_error("scan: %zu file%s not fully searched for secrets: failing the gate",
                      stats.incomplete, stats.incomplete == 1 ? "" : "s");
            rc = 1;
        }
        if (!rc && c->fail_on_empty && !stats.files && !stats.history_blobs) {
            cli_error("scan: nothing was scanned (--fail-on-empty)");
            rc = 1;
        }
    }
done:
    free(disp_root);
    out_free(&out);
    diag_free(&d);
    baseline_free(bl);
    if (changes) git_changes_free(changes);
    return rc;
}

int cmd_scan(int argc, char **argv)
{
    scan_cmd c;
    memset(&c, 0, sizeof c);
    opts_init(&c.o);
    int rc = run(&c, argc, argv);
    opts_free(&c.o);
    config_free(&c.cfg);
    return rc;
}
