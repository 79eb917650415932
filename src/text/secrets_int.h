/* secrets_int.h - the secret engine's private records, shared by its two
 * halves: secrets_load.c (rules and configs in, gitleaks' semantics) and
 * secrets.c (the Hyperscan patterns, confirmation, the scan family).
 * Nothing outside src/text/secrets*.c includes this.
 */
#ifndef VG_SECRETS_INT_H
#define VG_SECRETS_INT_H

#ifndef PCRE2_CODE_UNIT_WIDTH
#define PCRE2_CODE_UNIT_WIDTH 8
#endif
#include <pcre2.h>
#include <pthread.h>

#include "../core/diag.h"
#include "../finding/rule.h"
#include "secrets.h"

typedef enum target { T_SECRET = 0, T_MATCH, T_LINE } target;

typedef struct allowlist {
    pcre2_code **regexes;
    size_t nregexes;
    target regex_target;
    char **stopwords;          /* lower-case */
    size_t nstopwords;
    pcre2_code **paths;
    size_t npaths;
    char **commits;            /* commit SHAs (--history); a prefix of 7+ matches */
    size_t ncommits;
    int and_condition;         /* condition = "AND": every present check must hold */
} allowlist;

typedef struct rule {
    char *slug;
    char *src;                 /* the regex source (for Hyperscan) */
    rule_meta *meta;           /* in the long-lived store */
    pcre2_code *re;            /* NULL: a path-only rule (the file itself is reported) */
    uint32_t ngroups;
    int secret_group;
    double entropy;
    char **keywords;           /* lower-case */
    size_t nkeywords;
    pcre2_code *path;
    allowlist *allow;
    size_t nallow;
    int fallback;              /* generic: dropped where a specific rule matched */
    size_t span;               /* longest match: PCRE2 looks back this far from a hit */
    int no_placeholder;        /* skip the placeholder filter */
    int jitted;                /* re JIT-compiled (atomic, under jit_lock; rule_ready) */
    int check;                 /* SECRETS_CHECK_*: checksum or encoding the secret must pass */
} rule;

struct secrets {
    rule *rules;
    size_t n, cap;
    allowlist *globals;        /* [allowlist] / [[allowlists]] without targetRules */
    size_t nglobals;
    int borrowed;              /* rules and globals are the process's built-in set
                                  (secrets__builtin): read-only here, never freed */
    size_t *always;            /* rules Hyperscan took in no mode (PCRE2 runs them over
                                  every text file), against this engine's db */
    size_t nalways;
    size_t *pathonly;          /* path-only rules (no regex: the file is the finding) */
    size_t npathonly;
    uint32_t maxg;             /* 1 + the most capture groups of a rule (match data) */
    char **ignore;             /* .gitleaksignore: file:rule:line, commit:file:rule:line */
    size_t nignore;
    char *ignore_root;         /* the scan root the .gitleaksignore came from */
    char *skip_path;           /* the gitleaks config itself (never scanned, as in gitleaks) */
    pcre2_code **user_allow;   /* opts->secrets_allowlist as regexes */
    size_t nuser_allow;
    scan_db *own_db;           /* for secrets_find, built on first use */
    scan_scratch **spare;      /* secrets_find's idle scratches (allocating one per
                                  call cost more than the scan of a source file) */
    size_t nspare, capspare;
    pthread_mutex_t own_lock;
    const scan_db *scan_ref;   /* the shared database of a scan (compiled after init) */
    int modes_done;            /* mark_dropped ran on scan_ref (atomic) */
    pcre2_match_context *mctx;
    int recall;                /* secrets_set_recall: no placeholder filter, no global allowlist */
};


/* Load the built-in rules (data/secrets.toml) into s, replacing same ids. */
vg_status secrets__load_builtin(secrets *s, diag_list *d);
/* The built-in rules, parsed and compiled once per process and shared
 * read-only by every engine that has no config or rules of its own (the
 * registry, the scan, redact); NULL if they did not load. */
const secrets *secrets__builtin(void);

#endif
