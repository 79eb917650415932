/* inventory.h - what a dependency audit read, beside its findings: each
 * manifest, its packages, and the advisories that affect each package.
 *
 * Filled by the deps analyzer when the scan's opts->dep_inventory points
 * at one ('vibeguard deps': src/deps/audit.c) and read by the deps
 * renderers (src/report/deps.c); kept here, below both, as plain data, so
 * that the reporters need nothing from src/deps (as stats.h does for the
 * driver).  Every string belongs to the inventory (deps_inventory_free).
 */
#ifndef VG_INVENTORY_H
#define VG_INVENTORY_H

#include <stddef.h>

#include "../core/severity.h"

typedef struct inv_advisory {
    char *id;                 /* PYSEC-..., GHSA-..., MAL-... */
    char *aliases;            /* comma-separated, "" for none */
    char *fix;                /* the smallest fixed version above the package's;
                                 NULL when none is known (or no version to compare) */
    char *summary;
    char *cvss;               /* the CVSS vector, "" for none */
    severity sev;             /* SEV_NONE: the advisory gives none */
    int malicious;            /* a MAL- advisory */
    int source;               /* 1 the offline database, 2 the OSV API (--online), 3 both */
} inv_advisory;

typedef struct inv_package {
    char *name;
    const char *ecosystem;    /* static: "PyPI" or "npm" */
    char *version;            /* the exact version, NULL when not pinned */
    char *spec;               /* as written, never NULL */
    int line;
    int exact;                /* looked up at its version: adv lists every advisory
                                 affecting it.  0 (not pinned, a URL, a local path):
                                 at most those covering every version (malicious) */
    char *fix;                /* exact: the smallest version clearing every
                                 advisory; else NULL */
    inv_advisory *adv;
    size_t nadv;
} inv_package;

typedef struct inv_manifest {
    char *path;               /* display path */
    const char *kind;         /* static: "requirements", "package.json", ... */
    int included;             /* read through another file's -r/-c include (base.in),
                                 not met by the walk */
    inv_package *pkgs;
    size_t npkgs;
} inv_manifest;

typedef struct dep_inventory {
    inv_manifest *v;          /* sorted by path when the audit is done */
    size_t n, cap;
    char *osv_label;          /* the database the packages were looked up in */
    size_t osv_entries;       /* its advisory entries */
    char osv_date[11];        /* YYYY-MM-DD of its data, "" when unknown */
    long osv_age_days;        /* days from osv_date to now; -1 when unknown */
    size_t osv_pypi, osv_npm; /* its entries per ecosystem (0: no data for it) */
    char *online_url;         /* --online: the OSV API asked; NULL when not asked */
    char *online_error;       /* its first failure, NULL when none */
    size_t online_asked, online_records; /* packages asked about, records fetched */
} dep_inventory;

#endif
