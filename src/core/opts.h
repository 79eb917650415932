/* opts.h - options of one scan, filled by the CLI from flags and config.
 *
 * Read-only once the scan starts; every worker sees the same struct.  Each
 * analyzer family owns its block of fields; add fields to your own block.
 * Strings are owned by whoever filled the struct (the CLI) and live for the
 * whole scan.
 */
#ifndef VG_OPTS_H
#define VG_OPTS_H

#include <stddef.h>

#include "severity.h"

typedef struct str_list {
    char **v;
    size_t n, cap;
} str_list;

void str_list_add(str_list *l, const char *s);   /* stores a copy */
void str_list_free(str_list *l);
int str_list_has(const str_list *l, const char *s);

/* --profile: which findings a report shows (DESIGN §3).  default: issues,
 * review items counted in one line; audit: review items too; bandit:
 * Bandit's checks with Bandit's semantics (no file-class policy, no merging,
 * every finding an issue). */
enum { PROFILE_DEFAULT = 0, PROFILE_AUDIT, PROFILE_BANDIT };

typedef struct path_ignore {   /* per-file-ignores: glob -> rule ids */
    char *glob;
    str_list ids;
} path_ignore;

/* A nested config's settings for its folder (src/cli/config.h: nested
 * configs).  Each applies on top of the configs above it; a field the file
 * does not set is inherited (has_select 0, min_severity SEV_NONE,
 * min_confidence CONF_NONE). */
typedef struct vg_subtree {
    char *dir;               /* the folder as a display path ("pkg/a"), no trailing
                                '/'; "" for the whole scan */
    char *config_path;       /* the file, for messages */
    int has_select;
    str_list select;         /* replaces the select of the configs above */
    str_list ignore;         /* adds to theirs */
    path_ignore *per_file_ignores; /* globs relative to dir; add to theirs */
    size_t n_per_file_ignores;
    severity min_severity;
    confidence min_confidence;
} vg_subtree;

typedef struct vg_opts {
    /* --- walking (src/walk) --- */
    str_list paths;          /* roots to scan; default "." */
    str_list exclude;        /* --exclude globs and config exclude */
    int jobs;                /* 0: number of cores */
    int no_ignore;           /* --no-ignore */
    size_t max_file_size;    /* default 5 MiB */
    int shard_k, shard_n;    /* --shard K/N: files whose path hash is K-1 mod N; 0: all */
    /* --staged, --diff: the files whose findings can be reported (the
     * others are read as context only, scan/ctxcache.h); NULL: all */
    int (*report_only)(const void *ud, const char *path);
    const void *report_only_ud;

    /* --- selection and reporting (src/report, src/cli) --- */
    str_list select, ignore;
    path_ignore *per_file_ignores;
    size_t n_per_file_ignores;
    vg_subtree *subtrees;    /* nested configs, outermost folder first */
    size_t n_subtrees;
    severity min_severity;   /* --severity: report at or above */
    severity fail_on;        /* --fail-on: exit 1 when an issue is at or above */
    int profile;             /* --profile: PROFILE_DEFAULT, _AUDIT or _BANDIT */
    confidence min_confidence;
    int show_secrets;        /* --show-secrets: do not mask */
    int quiet, no_color;
    const char *format;      /* text json sarif html */
    const char *output;      /* -o FILE or NULL for stdout */
    const char *baseline, *write_baseline;
    const void *config_root; /* the parsed config table (toml_value *: the file's root,
                                or [tool.vibeguard]); NULL without a config.  Analyzers
                                read their own tables from it ([secrets], [pii], ...) */

    /* --- git (src/text, history and diff) --- */
    int history;             /* --history */
    const char *history_range; /* --history=RANGE (REV, A..B, A...B); NULL: every ref */
    const char *diff_rev;    /* --diff REV */
    int staged;              /* --staged */

    /* --- secrets (src/text) --- */
    const char *secrets_config;   /* --secrets-config gitleaks TOML */
    const char *config_path;      /* the resolved .vibeguard.toml, if any */
    void *secrets_user_rules;     /* parsed [[secrets.rules]] (toml_value*), owned by CLI */
    str_list secrets_allowlist;   /* allowlisted secret values/regexes */

    /* --- PII (src/text/pii) --- */
    str_list pii_entities;   /* empty: the default set */
    double pii_threshold;    /* default 0.5 */
    int pii_enabled;         /* default 1 in scan */

    /* --- dependencies (src/deps) --- */
    const char *osv_db;      /* --osv-db or VIBEGUARD_OSV_DB */
    int online;              /* --online */
    const char *osv_url;     /* --osv-url: OSV's API for --online (NULL: env or osv.dev) */
    str_list dep_allowlist;  /* names that are ours / private index */
    str_list dep_requirements; /* 'deps -r FILE': read as requirements files, whatever
                                  their names */
    struct dep_inventory *dep_inventory; /* 'vibeguard deps': record every manifest and
                                            package here (src/finding/inventory.h); NULL */
    struct lic_inventory *lic_inventory; /* 'vibeguard licences': record the project's
                                            licence and every package's (finding/licences.h) */

    /* --- python + taint --- */
    int taint_enabled;       /* default 1 */
    /* a Bandit config's per-test options (src/cli/bandit.c): a non-empty
     * list replaces the built-in one, as in Bandit; its entry "" matches
     * nothing and marks a list configured empty */
    str_list bandit_tmp_dirs;    /* hardcoded_tmp_directory.tmp_dirs (B108) */
    str_list bandit_subprocess;  /* shell_injection.subprocess (B602, B603) */
    str_list bandit_shell;       /* shell_injection.shell (B605) */
    str_list bandit_no_shell;    /* shell_injection.no_shell (B606) */
} vg_opts;

void opts_init(vg_opts *o);    /* defaults */
void opts_free(vg_opts *o);

#endif
