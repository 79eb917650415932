/* config.h - .vibeguard.toml, or [tool.vibeguard] in pyproject.toml.
 *
 *   select = ["B", "secret"]          ignore = ["B101"]
 *   exclude = ["tests/fixtures/"]    severity = "low"   fail-on = "medium"
 *   confidence = "low"                 max-file-size = "5M"   jobs = 4
 *   [per-file-ignores]  "tests/" = ["B101", "B105"]
 *   [secrets]  allowlist = ["..."]  config = "gitleaks.toml"  [[secrets.rules]] ...
 *   [pii]      entities = ["EMAIL_ADDRESS"]  threshold = 0.6  enabled = true
 *   [deps]     allowlist = ["our-internal-pkg"]  osv-db = "osv/"
 *
 * Dashes and underscores in key names are interchangeable.  Values set on
 * the command line win over the file; lists (ignore, exclude, per-file
 * ignores, allowlists) from both are combined, except --select, which
 * replaces the file's select.  A wrong type or value is an error naming
 * file:line:col, and so is a select/ignore/per-file-ignores id that names
 * no rule (with "did you mean"); an unknown key is a warning.
 */
#ifndef VG_CLI_CONFIG_H
#define VG_CLI_CONFIG_H

#include "../core/diag.h"
#include "../core/opts.h"
#include "../fmt/toml.h"

typedef struct vg_config {
    char *path;               /* the file read; NULL when none was found */
    toml_value *doc;          /* the whole document (owned) */
    const toml_value *root;   /* the vibeguard table inside doc */
    str_list owned;           /* strings that opts points at (resolved paths) */
    struct vg_config *nested; /* the nested configs read (config_setup_nested) */
    size_t n_nested;
} vg_config;

/* What the command line already set (so the file does not override it). */
typedef struct config_cli_set {
    int select, severity, fail_on, confidence, max_file_size, jobs, secrets_config, osv_db, profile;
} config_cli_set;

/* "default", "audit", "bandit" -> PROFILE_*; -1 for anything else. */
int config_profile_parse(const char *s);

/* Load `explicit_path` if given (it must exist), else the first of
 * <dir>/.vibeguard.toml, <dir>/pyproject.toml with [tool.vibeguard], for
 * each dir in order.  Returns 0 on success (c->path NULL when none), or
 * -1 with an error diag. */
int config_load(vg_config *c, const char *explicit_path, const char *const *dirs, size_t ndirs,
                diag_list *d);
/* Apply c to o; -1 with an error diag on a bad value, warnings for unknown
 * keys.  o keeps pointers into c: free c after o. */
int config_apply(vg_config *c, vg_opts *o, const config_cli_set *set, diag_list *d);
void config_free(vg_config *c);

/* Every --select/--ignore entry of o names a rule, a rule prefix or an
 * analyzer (the config file's own entries are checked, with their
 * file:line:col, by config_apply).  0, or 2 after "cmd: --select: unknown
 * rule or analyzer 'x' (did you mean 'y'?)" on stderr. */
int config_check_selection(const char *cmd, const vg_opts *o);

/* What scan and deps do: load (--config FILE, else ./, then each parent
 * directory up to the repository root (the first holding .git), then the
 * first root of o->paths when it is a directory) and apply; errors on stderr and 2,
 * warnings on stderr unless o->quiet; then $VIBEGUARD_OSV_DB when no
 * database is set.  0 on success. */
int config_setup(vg_config *c, const char *explicit_path, vg_opts *o, const config_cli_set *set);

/* Nested configs (a monorepo's packages): every .vibeguard.toml (or
 * pyproject.toml with [tool.vibeguard]) in a folder below the scanned
 * directories, other than the config c already holds, applies to the files
 * under its folder, on top of the configs above it (root first):
 *   select = [...]            replaces the select above (unless --select)
 *   ignore = [...]            adds to the ignores above
 *   [per-file-ignores]        adds; globs relative to the config's folder
 *   exclude = [...]           adds; globs relative to the config's folder
 *   severity, confidence      replace the thresholds above (unless given
 *                             on the command line)
 * Every other key (fail-on, profile, jobs, max-file-size, [secrets],
 * [pii], [deps], [bandit]) belongs to the whole run: in a nested config it
 * is a warning and ignored.  Folders the walk leaves out (ignore files,
 * exclude) are not searched; the folders above a scanned path, up to the
 * current directory (or the path's repository root), are.  Run after config_setup; fills o->subtrees
 * (outermost first) and o->exclude.  0, or 2 after the errors on stderr. */
int config_setup_nested(vg_config *c, vg_opts *o, const config_cli_set *set);

#endif
