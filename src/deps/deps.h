/* deps.h - the dependency checks: the scan analyzer (analyze.c) and the
 * audit behind 'vibeguard deps' (audit.c).
 *
 * Findings (rule ids dep:vulnerable, dep:malicious, dep:typosquat,
 * dep:unknown-package, dep:unpinned, dep:unsafe-source) carry props:
 * ecosystem, package, version, spec, and per kind advisories, aliases,
 * fixed_version, cvss, score, osv_db, imitates, how.
 *
 * The audit is a scan: the scan driver walks the roots and hands every
 * manifest to the deps analyzer, which reports its findings as in any
 * scan and, because the options point at an inventory, also records each
 * manifest, package and advisory it looked at (src/finding/inventory.h).
 * deps/ sits below the driver, so the caller passes it in (deps_driver_fn;
 * the CLI passes scan_run).
 */
#ifndef VG_DEPS_H
#define VG_DEPS_H

#include "../finding/analyzer.h"
#include "../finding/finding.h"
#include "../finding/inventory.h"
#include "manifest.h"
#include "osv.h"

/* ---- the audit ('vibeguard deps') -------------------------------------------------- */

/* Run one scan with options o and put its findings and diags in out (set
 * up with out_init(out, o)); the scan driver, scan_run. */
typedef vg_status (*deps_driver_fn)(const vg_opts *o, vg_out *out, diag_list *d, void *ud);

typedef struct deps_audit {
    vg_opts opts;             /* what the scan ran with: the caller's options with
                                 only the dep: rules selected and nothing ignored */
    vg_out out;               /* the findings, sorted (inline-suppressed ones still
                                 there, marked), and the diags about inputs */
    dep_inventory inv;        /* every manifest read, sorted by path */
} deps_audit;

/* Audit the roots of o (o->paths; "." when empty): every manifest is read,
 * its packages are looked up in the OSV database of o->osv_db (else the
 * environment, the cache directory, the built-in index) and checked like
 * in a scan.  Nothing is filtered: --select, ignores, thresholds and the
 * baseline are the caller's to apply to a->out (report_filter), which
 * leaves the inventory whole.  Fails when the database that was asked for
 * cannot be read or a root does not exist (error diag in d); a->out and
 * a->inv are then empty but must still be freed.  a must not move until
 * deps_audit_free (a->out points at a->opts); o must outlive it. */
vg_status deps_audit_run(const vg_opts *o, deps_driver_fn drive, void *ud, deps_audit *a,
                         diag_list *d);
void deps_audit_free(deps_audit *a);
void deps_inventory_free(dep_inventory *inv);

/* Registry look-up: 1 exists, 0 does not, -1 could not ask (msg says why). */
int deps_registry_exists(dep_eco eco, const char *name, char *msg, size_t msgsz);

/* ---- between analyze.c and audit.c ------------------------------------------------- */

/* A new inventory entry for manifest m read from display path `path`, one
 * package per m->deps[i] (in order), no advisories yet. */
inv_manifest *audit_manifest_new(const char *path, const manifest *m, int included);
/* Record the look-up r of package p (of ecosystem eco); exact when it was
 * made at p's own version. */
void audit_package_advisories(inv_package *p, const char *eco, const osv_result *r, int exact);
/* Move im (from audit_manifest_new) into inv; the caller serialises. */
void audit_manifest_add(dep_inventory *inv, inv_manifest *im);
/* The database's label and size, once it is open. */
void audit_set_db(dep_inventory *inv, const osv_db *db);
/* What --online did, once the look-ups are done. */
struct osv_online;
void audit_set_online(dep_inventory *inv, const struct osv_online *o);

#endif
