/* finding.h - the one record every analyzer produces (DESIGN §3).
 *
 * A finding owns all its strings.  Analyzers create findings with out_add
 * (position given as line and 1-based *byte* column, as the Python AST has
 * them) or out_add_span (a byte range of the file, as text scanners have
 * them); both turn byte columns into 1-based code-point columns, copy the
 * source line(s) into `snippet` and up to three lines around into
 * `context`, apply the inline pragmas (# nosec, # vibeguard: ignore[...],
 * ruff's # noqa: S602 for Bandit's B602, gitleaks:allow, pragma: allowlist
 * secret, and pragma: allowlist nextline secret on the line above) and
 * compute the fingerprint.
 *
 * Secrets: call finding_mask with the secret's byte range right after
 * creating the finding; unless --show-secrets, the snippet and context
 * show what mask.h's policy allows of it (a short prefix, never more than
 * a quarter, nothing of a short secret) and `****` for the rest.  Every
 * masked range of a file is remembered as a secret value of its path, and
 * out_scrub masks those values in every other field (message, fix,
 * properties, steps, the fingerprint key, diagnostics) at the end of a
 * scan: the one masking step.  Still, never put a raw secret in `message`.
 *
 * Fingerprints are a hash of rule, path and a key: by default the
 * finding's source lines with their white space removed and their secrets
 * masked (the same window of a long line the snippet shows), or the text
 * given to finding_set_key, masked the same way.  No fingerprint is
 * computed over a secret, so none lets a wordlist recover one.
 */
#ifndef VG_FINDING_H
#define VG_FINDING_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "analyzer.h"
#include "../core/diag.h"
#include "mask.h"
#include "rule.h"

/* The two tiers of finding (DESIGN §3).  An issue is evidence of a
 * vulnerability, or a configuration dangerous wherever it is; a review
 * item is a place worth a look, reported with --profile audit and counted
 * in one summary line otherwise.  The gate (--fail-on) counts issues. */
typedef enum finding_tier { TIER_ISSUE = 0, TIER_REVIEW } finding_tier;

typedef struct finding_step {   /* one step of a taint path */
    char *path;
    int line, col;
    char *message;
} finding_step;

typedef struct finding {
    const rule_meta *rule;     /* never NULL */
    severity severity;
    confidence confidence;
    char *message;             /* what was found here (no raw secrets) */
    char *fix;                 /* NULL: the rule's fix */
    char *path;
    int line, col, end_line, end_col;  /* 1-based; columns in code points */
    char *snippet;             /* the finding's source line(s), masked */
    char *context;             /* up to 3 lines around the finding, masked */
    int context_line;          /* line number of the first context line */
    uint64_t fingerprint;      /* rule, path and key (final after out_scrub) */
    char *key;                 /* fingerprint content, secrets masked */
    int key_set;               /* key came from finding_set_key */
    size_t at;                 /* byte offset of the start in the file */
    int file_masked;           /* rendered by findings_mask_file with its file's
                                  secrets (out_scrub leaves snippet and key alone) */
    uint64_t secret_id;        /* hash of the masked bytes: tells secrets apart in
                                  memory (history's repeats); never output */
    uint64_t secret_own;       /* hash of the first masked range, the finding's own
                                  secret (a gitleaks baseline's Secret); never output */
    finding_step *steps;       /* taint path, source first */
    size_t nsteps;
    char *commit, *author, *date;  /* --history */
    char **props;              /* extra key/value pairs: props[2i] key, props[2i+1] value */
    size_t nprops;
    int suppressed;            /* an inline pragma covers it */
    finding_tier tier;         /* TIER_ISSUE unless an analyzer or the policy says review */
    const char *tier_why;      /* static text: why it is a review item, or NULL */
    file_class cls;            /* class of the file it is in (copied from the vg_file) */
    int in_doc;                /* in a comment or docstring: the policy reads it as docs */
    int agent;                 /* that file steers AI agents */
    const rule_meta **also;    /* other rules that found the same problem here (merge.c) */
    size_t nalso;
    int show_secrets;          /* copied from the options at creation */
    int mask_count;            /* secret ranges masked */
    size_t mask_start[4], mask_end[4]; /* byte ranges in the file (for re-rendering) */
} finding;

struct vg_out {
    const vg_opts *opts;
    finding **v;
    size_t n, cap;
    diag_list diags;           /* warnings about inputs (parse errors, ...) */
    size_t parse_errors;       /* Python files with syntax errors */
    size_t incomplete;         /* files a detector stopped on at a cap: not fully searched */
    size_t taint_work;         /* statements, expressions and names the taint engine visited */
    size_t rules_work;         /* statements the pattern rules' look-ups indexed and entries they read */
    mask_set *secrets;         /* values masked in each file (NULL: none yet) */
};

void out_init(vg_out *o, const vg_opts *opts);
void out_free(vg_out *o);
void out_move(vg_out *dst, vg_out *src);  /* append src's findings, diags and secrets */
/* The one masking step, after every finding is in: seal o->secrets and mask
 * its values in every text of every finding and diag of the same path
 * (unless --show-secrets, which still masks the fingerprint keys), then
 * compute each fingerprint from its masked key.  Diag excerpts, which the
 * CLI reads later, are masked with o->secrets by the printer. */
void out_scrub(vg_out *o);

finding *out_add(vg_out *o, const vg_file *f, const char *rule_id, int line, int byte_col,
                 int end_line, int end_byte_col, const char *fmt, ...)
    __attribute__((format(printf, 8, 9)));
finding *out_add_span(vg_out *o, const vg_file *f, const char *rule_id, size_t byte_start,
                      size_t byte_end, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

void finding_mask(finding *fd, const vg_file *f, size_t byte_start, size_t byte_end);
void finding_set_key(finding *fd, const void *key, size_t len); /* fingerprint content */
void finding_add_step(finding *fd, const char *path, int line, int col, const char *fmt, ...)
    __attribute__((format(printf, 5, 6)));
void finding_set_prop(finding *fd, const char *key, const char *value);
const char *finding_prop(const finding *fd, const char *key);
void finding_free(finding *fd);

/* A finding's site: where it is (path, span), what it shows (snippet and
 * context), whether an inline pragma suppresses it, its fingerprint and the
 * commit of the bytes - everything out_add takes from the file, for one
 * rule.  Make it while the file's bytes are at hand; a finding made from
 * it later (the finish phase, after the bytes are gone) is the finding
 * out_add would have made then, and no file is read twice.  The site owns
 * copies of everything; it has no secret masks. */
typedef struct finding_site finding_site;

finding_site *finding_site_new(const vg_file *f, const char *rule_id, int line, int byte_col,
                               int end_line, int end_byte_col);
finding_site *finding_site_copy(const finding_site *s);
void finding_site_free(finding_site *s);
finding *out_add_site(vg_out *o, const finding_site *s, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Secrets of one finding may stand in the context lines of another: after
 * every analyzer has run on file f, re-render the snippet, context and key
 * of its findings v[0..n) with the union of all their masked ranges, and
 * add the masked values to `secrets` (may be NULL).  Linear in the
 * findings and in the bytes they show. */
void findings_mask_file(finding **v, size_t n, const vg_file *f, mask_set *secrets);

/* Deterministic order: path, line, column, rule id, message. */
void findings_sort(finding **v, size_t n);
/* Does the line (or lines) at [line, end_line] of f carry a pragma that
 * suppresses rule_id?  Exposed for tests. */
int pragma_suppresses(const vg_file *f, int line, int end_line, const char *rule_id);

#endif
