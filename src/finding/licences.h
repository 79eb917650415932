/* licences.h - what a licence audit read, beside its findings: the
 * project's own licence and each package's, with where each was read.
 *
 * Filled by the licence analyzer (src/deps/licence_scan.c) when the scan's
 * opts->lic_inventory points at one ('vibeguard licences') and read by its
 * renderers (src/report/licences.c); kept here, below both, as plain data
 * (as inventory.h is for 'vibeguard deps').  Every string belongs to the
 * inventory (lic_inventory_free).
 */
#ifndef VG_LICENCES_H
#define VG_LICENCES_H

#include <stddef.h>

typedef struct lic_package {
    char *name;
    char *version;            /* "" when unknown */
    const char *ecosystem;    /* static: "PyPI" or "npm" */
    char *licence;            /* canonical SPDX expression, or the declaration as
                                 written (first line, cut) when it was not understood;
                                 "UNKNOWN" when nothing was declared */
    const char *category;     /* static: "permissive", "copyleft", ... */
    char *source;             /* where it was read: "path (field)" */
    const char *verdict;      /* static: "ok", "dev-only", "conflict", "review", "unknown" */
    int dev;                  /* a development-only dependency (package-lock "dev") */
} lic_package;

typedef struct lic_inventory {
    char *project;            /* the project's licence expression, or "UNKNOWN" */
    const char *project_category;
    char *project_source;     /* "LICENSE, pyproject.toml (project.license)" or "" */
    lic_package *pkgs;        /* sorted by ecosystem, name, version */
    size_t n, cap;
    size_t files_marked;      /* source files carrying a licence marker */
} lic_inventory;

void lic_inventory_free(lic_inventory *inv); /* src/deps/licence_scan.c */

#endif
