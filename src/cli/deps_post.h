/* deps_post.h - what 'vibeguard deps' does after the audit, as pip-audit
 * users know it: --ignore-vuln ID (an advisory, by id or alias, no longer
 * counts) and --fix (pinned requirement lines rewritten to the version
 * that clears every advisory left). */
#ifndef VG_CLI_DEPS_POST_H
#define VG_CLI_DEPS_POST_H

#include "../core/opts.h"
#include "../deps/deps.h"

/* Drop the advisories named in ids (case-insensitive, id or alias) from
 * the inventory, and every dep:vulnerable / dep:malicious finding all of
 * whose advisories were dropped.  Returns the number of advisories dropped. */
size_t deps_ignore_vulns(deps_audit *a, const str_list *ids);

/* Rewrite "name==old" to "name==fix" on the requirement lines of packages
 * that still have advisories and a known fix (requirements files only;
 * lockfiles are their tools' to regenerate).  Each change is a line on
 * stderr; with dry_run nothing is written.  Returns 0, or 2 after an
 * error message (a file that cannot be rewritten). */
int deps_apply_fixes(const deps_audit *a, int dry_run, int quiet);

/* --python PATH ('deps', 'licences'): the site-packages of the environment
 * PATH belongs to (PATH/../../lib/python3.X/site-packages, a virtualenv's
 * or a prefix's layout), found without running the interpreter, added to
 * paths.  0, or 2 after a message naming cmd (cmd_deps.c). */
int deps_add_python_env(str_list *paths, const char *python, const char *cmd);

#endif
