/* deps.h - the dependency audit, shared by the scan analyzer (analyze.c)
 * and 'vibeguard deps' (src/cli/cmd_deps.c).
 *
 * A deps_ctx holds what every look-up reads: the OSV index, the popular
 * name tables and, with --online, a cache of registry answers.  It is
 * opened once before the walk; deps_check_file may then run from any
 * worker thread (the registry cache has its own lock).
 *
 * Findings (rule ids dep:vulnerable, dep:malicious, dep:typosquat,
 * dep:unknown-package, dep:unpinned, dep:unsafe-source) carry props:
 * ecosystem, package, version, spec, and per kind advisories, aliases,
 * fixed_version, cvss, score, osv_db, imitates, how.
 */
#ifndef VG_DEPS_H
#define VG_DEPS_H

#include "../finding/analyzer.h"
#include "../finding/finding.h"
#include "manifest.h"
#include "osv.h"

typedef struct deps_ctx deps_ctx;

/* Open the OSV database named by opts->osv_db (else the environment,
 * the default cache directory, the built-in index).  Fails only when a
 * database that was asked for cannot be read (error diag in d). */
vg_status deps_ctx_open(const vg_opts *opts, deps_ctx **out, diag_list *d);
void deps_ctx_close(deps_ctx *c);
const osv_db *deps_ctx_db(const deps_ctx *c);

/* Parse the manifest f (of kind k) and report its findings into out
 * (warnings about the manifest into out->diags).  When `keep` is not NULL
 * the parsed manifest is handed over (free it with manifest_free). */
void deps_check_file(deps_ctx *c, const vg_file *f, manifest_kind k, vg_out *out, manifest *keep);

/* Network diagnostics gathered by --online look-ups (the first failure is
 * remembered and later look-ups are skipped): moved into d. */
void deps_ctx_take_diags(deps_ctx *c, diag_list *d);

/* Registry look-up: 1 exists, 0 does not, -1 could not ask (msg says why). */
int deps_registry_exists(dep_eco eco, const char *name, char *msg, size_t msgsz);

#endif
