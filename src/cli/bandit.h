/* bandit.h - Bandit's configuration, obeyed by 'vibeguard scan'.
 *
 * Read, as Bandit users have them in their repositories:
 *   .bandit              INI, section [bandit]: skips, tests, exclude (comma
 *                        separated), configfile (a YAML/TOML config as below)
 *   pyproject.toml       [tool.bandit] (Bandit reads it with -c pyproject.toml;
 *                        vibeguard finds it by itself)
 *   -c bandit.yaml       YAML (Bandit's -c); .yml too
 *   -c bandit.toml       TOML with [tool.bandit]
 * found in the current directory, then in the first scanned directory
 * (.bandit first, then pyproject.toml).
 *
 * What each key does (Bandit's meaning, for Bandit's checks, the B ids):
 *   skips: [B101, ...]          never these checks (--ignore)
 *   tests: [B602, ...]          only these of Bandit's checks; other
 *                               analyzers (secrets, taint, ...) still run
 *   exclude_dirs / exclude      Bandit's checks skip these paths (globs or
 *                               path parts, as Bandit matches them)
 *   assert_used.skips           B101 skips these file globs
 *   hardcoded_tmp_directory.tmp_dirs   the directories B108 reports
 *   shell_injection.subprocess/shell/no_shell   the functions of B602-B607
 * An id that vibeguard does not implement is a warning; a key of another
 * Bandit option (profiles, any_other_function_with_shell_equals_true, ...)
 * is ignored.  A malformed file is an error naming file:line.
 */
#ifndef VG_CLI_BANDIT_H
#define VG_CLI_BANDIT_H

#include "../core/opts.h"

/* Is path a Bandit config rather than a vibeguard one (so that --config
 * hands it here): *.yaml, *.yml, .bandit, *.ini, or a TOML file with
 * [tool.bandit] and no [tool.vibeguard]? */
int bandit_config_is(const char *path);

/* Load explicit_path (a Bandit config, see bandit_config_is) or the first
 * one discovered, and apply it to o (per-file ignores and lists; o keeps
 * the strings it copies).  Diags on stderr (warnings unless o->quiet);
 * returns 0, or 2 on an error. */
int bandit_setup(const char *explicit_path, vg_opts *o);

#endif
