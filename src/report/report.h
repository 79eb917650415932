/* report.h - turning the final list of findings into text, JSON, SARIF or
 * HTML, and the steps between the scan and the reporter: filtering
 * (select/ignore, per-file ignores, thresholds, baseline, changed lines)
 * and the baseline file.
 *
 * Reporters write into a buf the caller owns; the CLI prints it or hands
 * it to fs_write_atomic (core/fsutil.h).  Output is deterministic: the same findings
 * give the same bytes (no timestamps, no timings in JSON or SARIF).  Every
 * string that came from a scanned file (paths, snippets, messages) is made
 * safe for its medium: JSON/SARIF escape it, HTML entity-encodes it, text
 * shows control characters, bidi controls and invalid bytes as visible
 * escapes (report_visible).
 */
#ifndef VG_REPORT_H
#define VG_REPORT_H

#include <stddef.h>

#include "../core/buf.h"
#include "../core/diag.h"
#include "../core/opts.h"
#include "../finding/stats.h"
#include "../finding/finding.h"
#include "../finding/inventory.h"
#include "../finding/licences.h"
#include "../finding/tmodel.h"

/* Why findings were dropped between the scan and the report. */
typedef struct filter_counts {
    size_t suppressed;        /* inline pragmas (# nosec, ...) */
    size_t deselected;        /* --select / --ignore */
    size_t path_ignored;      /* per-file-ignores */
    size_t below_threshold;   /* --severity / --confidence */
    size_t baselined;         /* in the --baseline file */
    size_t outside_diff;      /* not on a line changed by --diff / --staged */
    size_t review;            /* review items the default profile does not show */
} filter_counts;

enum { REPORT_GROUP_FILE = 0, REPORT_GROUP_RULE };

/* A threat model for the HTML report (its "Threat model" section, or a page
 * of its own): the records of the model scan/threat.h builds, handed over
 * as data by the CLI.  Nothing here is owned. */
typedef struct report_threat {
    const char *project;      /* the directory modelled, as shown; sites are below it */
    const char *stack;        /* "Flask (framework), ..."; "" or NULL: none known */
    const char *note;         /* set instead of a model: why there is none */
    const tm_element *el;
    size_t nel;
    const tm_flow *fl;
    size_t nfl;
    const tm_threat *th;
    size_t nth;
    size_t files;             /* Python files read */
    int scanned;              /* the evidence includes the scan's findings */
} report_threat;

typedef struct report_ctx {
    finding *const *v;        /* the findings to report, sorted */
    size_t n;
    const diag_list *diags;   /* warnings and errors about inputs; may be NULL */
    const scan_stats *stats;  /* may be NULL */
    const filter_counts *counts; /* may be NULL */
    const char *version;      /* vibeguard's version */
    const char *src_root;     /* absolute directory SARIF's %SRCROOT% names: the
                                 repository root, else the current directory;
                                 may be NULL */
    const char *cwd;          /* absolute current directory, which relative finding
                                 paths start from; NULL: src_root */
    int color;                /* text: ANSI colours */
    int quiet;                /* text: findings only, no summary or notes */
    int group_by;             /* text: REPORT_GROUP_FILE (default) or _RULE */
    const dep_inventory *inventory; /* deps reports: the audit's manifests and
                                       packages; may be NULL */
    const report_threat *threat; /* html: the threat model section; NULL: none */
} report_ctx;

/* "text", "json", "sarif", "html", "gitlab-sast", "gitlab-secrets" or
 * "junit"; VG_ERR_USAGE for anything else. */
vg_status report_render(const report_ctx *c, const char *format, buf *out);
int report_format_known(const char *format);
/* The formats report_render knows, NULL-terminated (help, "did you mean"). */
extern const char *const report_formats[];

void report_text(const report_ctx *c, buf *out);
vg_status report_json(const report_ctx *c, buf *out);
vg_status report_sarif(const report_ctx *c, buf *out);
/* gitlab.c: GitLab's SAST and secret-detection reports, JUnit XML */
vg_status report_gitlab_sast(const report_ctx *c, buf *out);
vg_status report_gitlab_secrets(const report_ctx *c, buf *out);
vg_status report_junit(const report_ctx *c, buf *out);
void report_html(const report_ctx *c, buf *out);
/* 'vibeguard threat-model --format html': the threat model section as a
 * page of its own (self-contained, no script). */
void report_threat_page(const report_threat *t, const char *version, buf *out);

/* --- diagnostics (diag.c), the one printer every command uses ------------ */

/* The text of line `line` (1-based) of the file at display path `path`,
 * into text without its line break; 0 when found.  Supplied by the caller
 * that may read files (the CLI). */
typedef int (*report_line_fn)(void *ud, const char *path, int line, buf *text);

typedef struct report_diag_opts {
    const char *indent;       /* before every line; NULL: none */
    const char *tool;         /* shown in place of the path of a diag about no
                                 file ("vibeguard: error: ..."); NULL: nothing */
    report_line_fn line;      /* the excerpt's source line; NULL: no excerpts */
    void *ud;
    const mask_set *secrets;  /* masked in excerpts (the line is read after the
                                 scan, outside out_scrub); NULL: none */
} report_diag_opts;

/* "path:line:col: level: message" (line and column left out when 0, the
 * location when there is no path), no newline. */
void report_diag_head(const diag *g, const char *tool, buf *out);
/* Every diag of d at or above min, one head line each, followed when
 * o->line gives the diag's line by an excerpt: the line (a long one cut
 * around the column) and a caret under the column.  o may be NULL. */
void report_diags(const diag_list *d, diag_level min, const report_diag_opts *o, buf *out);

/* --- rule metadata (rules.c), the one renderer behind `vibeguard rules` and
 * SARIF's tool.driver.rules ------------------------------------------------- */

/* {"version": version, "rules": [{id, title, severity, confidence, cwe,
 * owasp, analyzer, description, fix, references}, ...]} */
vg_status report_rules_json(const rule_meta *const *v, size_t n, const char *version, buf *out);
/* One line a rule under a header, then "N rules". */
void report_rules_table(const rule_meta *const *v, size_t n, buf *out);
/* One rule with its description, fix and references. */
void report_rule_detail(const rule_meta *r, buf *out);

/* 'vibeguard deps' (deps.c): the pip-audit-like table of c->v's vulnerable
 * and malicious packages, the other dep: findings, and the audit's totals;
 * or the deps JSON (the inventory, then c->v and c->diags as in the JSON
 * report).  Uses c->inventory, c->v, c->n, c->diags and c->version. */
void report_deps_text(const report_ctx *c, buf *out);
vg_status report_deps_json(const report_ctx *c, buf *out);

/* Append s (n bytes) to b with every byte a terminal could act on made
 * visible: C0 controls and DEL as \xNN (tab kept), C1 controls and
 * invisible format characters (bidi, zero-width, tags) as <U+XXXX>, bytes
 * that are not UTF-8 as \xNN. */
void report_visible(buf *b, const char *s, size_t n);

/* Count of findings per severity, and the highest one (SEV_NONE if none). */
severity report_max_severity(finding *const *v, size_t n);

/* security-severity score used by SARIF consumers (critical 9.5, high 8.0,
 * medium 5.5, low 3.0). */
const char *report_security_severity(severity s);

/* `vibeguard merge` (combine.c): the JSON reports or the SARIF logs at
 * `paths` (one format) as one report in `out`; *format is set to "json"
 * or "sarif".  Identical findings (fingerprint, rule, location) are kept
 * once; SARIF gets one run per tool.  A file that is not a report is
 * VG_ERR_PARSE, mixed formats VG_ERR_USAGE, with an error diag. */
vg_status report_merge(const char *const *paths, size_t n, const char **format, buf *out,
                       diag_list *d);

/* --- filtering ----------------------------------------------------------- */

typedef struct baseline baseline;

/* Read a baseline written by baseline_write.  A missing or malformed file
 * is VG_ERR_IO / VG_ERR_PARSE with an error diag naming file (and line). */
vg_status baseline_load(const char *path, baseline **out, diag_list *d);
/* Serialise the fingerprints of v (with rule and path for humans); one
 * entry per finding, so duplicates are counted. */
void baseline_render(finding *const *v, size_t n, buf *out);
/* Does the baseline hold one more occurrence of this finding?  Consumes it. */
int baseline_take(baseline *b, const finding *f);
size_t baseline_size(const baseline *b);
void baseline_free(baseline *b);

/* Keep-line predicate for --diff/--staged (git_changes_has fits). */
typedef int (*report_line_pred)(const void *ud, const char *path, int line);

/* Drop, in order: inline-suppressed findings, those not selected or
 * ignored (opts->select/ignore, and below a nested config's folder that
 * config's too: opts->subtrees), per-file ignores, below --severity or
 * --confidence, not on a changed line (when keep_line is set), in the
 * baseline (when bl is set).  Freed findings leave out->v; the order is kept.  Counts go to c. */
void report_filter(vg_out *out, const vg_opts *o, baseline *bl, report_line_pred keep_line,
                   const void *ud, filter_counts *c);

/* Only the baseline step of report_filter (for --write-baseline together
 * with --baseline: the new baseline records every finding, old or new). */
void report_filter_baseline(vg_out *out, baseline *bl, filter_counts *c);

/* The gate: is any of v[0..n) an issue at or above fail_on?  Review items
 * never fail it; SEV_NONE never fails. */
int report_gate(finding *const *v, size_t n, severity fail_on);

/* 'vibeguard licences': the project's licence, the packages of inv and the
 * licence: findings of c, as "text", "json", "csv" (the packages only) or
 * "markdown" (report/licences.c); VG_ERR_USAGE for another format. */
vg_status report_licences(const report_ctx *c, const lic_inventory *inv, const char *format,
                          buf *out);

#endif
