/* secrets.h - leaked-secret detection: rules as data, confirmed by PCRE2.
 *
 * The rule set is data/secrets.toml (embedded; gitleaks' rule shape plus
 * `severity`), then the rules of a gitleaks config given with
 * --secrets-config (which, as in gitleaks, replaces the built-in set unless
 * it says `[extend] useDefault = true`), then [[secrets.rules]] from
 * .vibeguard.toml (a rule with a known id replaces it).  Each rule's regex
 * joins the one Hyperscan database (scan.h); a hit is confirmed by the
 * rule's PCRE2 (JIT) regex over a window around it, the secret group is
 * extracted, and the filters apply in gitleaks' order: keywords, entropy
 * (Shannon, bits per byte, of the secret), the rule's allowlists and the
 * global one (regexes / stopwords / paths, against the secret, the match
 * or the line), and the placeholder filters (EXAMPLE keys, runs of x, * or 0,
 * ${VAR}, <your-key>, changeme, values read from the environment).
 *
 * Two ways in:
 *   - inside a scan: `secrets_family` (scan.h) adds the patterns at init
 *     and turns confirmed matches into `secret:<slug>` findings;
 *   - outside a scan (redact): secrets_open + secrets_find on any bytes.
 */
#ifndef VG_SECRETS_H
#define VG_SECRETS_H

#include <stddef.h>

#include "../core/diag.h"
#include "../core/opts.h"
#include "../core/status.h"
#include "../finding/rule.h"
#include "scan.h"

typedef struct secrets secrets;

typedef struct secret_match {
    const char *rule_id;   /* "secret:aws-access-token"; lives as long as the engine */
    const char *slug;      /* "aws-access-token" */
    const char *title;     /* the rule's description */
    severity severity;
    size_t start, end;                /* byte range of the whole regex match */
    size_t secret_start, secret_end;  /* the secret: the secret group, else the match */
    double entropy;                   /* Shannon entropy of the secret, bits per byte */
} secret_match;

/* Load and compile the rule set (see above).  `opts` may be NULL (built-in
 * rules only); otherwise its secrets_config, secrets_user_rules and
 * secrets_allowlist apply.  Bad user/gitleaks rules are error diags
 * (file:line) and fail with VG_ERR_PARSE / VG_ERR_USAGE; a rule whose
 * regex neither Hyperscan nor PCRE2 accepts is skipped with a warning. */
vg_status secrets_open(const vg_opts *opts, secrets **out, diag_list *d);
void secrets_close(secrets *s);
size_t secrets_rule_count(const secrets *s);

/* Every secret in data[0..len), sorted by start then end; one match per
 * (rule, secret range).  `path` (may be NULL) is only used for the rules'
 * path filters.  *out is malloc'd (free it); thread-safe.  Runs its own
 * Hyperscan pass (secrets patterns only). */
vg_status secrets_find(const secrets *s, const unsigned char *data, size_t len,
                       const char *path, secret_match **out, size_t *n);

/* One pass with other families (redact): add the rules' patterns to the
 * caller's database (family SCAN_FAM_SECRETS; the engine remembers it),
 * then, once it is compiled, secrets_confirm turns the secret hits of a
 * scan of data[0..len) into the matches secrets_find would return.  One
 * database per engine; thread-safe as secrets_find. */
vg_status secrets_add_patterns(const secrets *s, scan_db *db, diag_list *d);
vg_status secrets_confirm(const secrets *s, const unsigned char *data, size_t len,
                          const char *path, const scan_hit *h, size_t nh, secret_match **out,
                          size_t *n);

/* Recall first (redact): secrets_find also returns documentation and
 * placeholder-looking values (AKIA...EXAMPLE) that the global allowlist
 * and the placeholder filter would drop; rule allowlists and the user's
 * allowlist still apply.  Set before the first secrets_find. */
void secrets_set_recall(secrets *s, int on);

/* Shannon entropy in bits per byte (exposed for tests). */
double secrets_entropy(const unsigned char *p, size_t n);
/* Is this secret a placeholder (EXAMPLE, xxxx, ${VAR}, <your-key>, ...)? */
int secrets_is_placeholder(const unsigned char *p, size_t n);

#endif
