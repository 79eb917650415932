/* osv.h - the OSV vulnerability database, offline.
 *
 * A database is a directory of OSV records (JSON or YAML, recursively,
 * and any all.zip inside it), an OSV all.zip, or a single record.  It is
 * turned once into a compact *index*: a sorted text file, one line per
 * (advisory, affected package), holding only what matching and reporting
 * need.  The index is written beside the database (PATH.vgidx) or, when
 * that is not writable, in the user's cache directory, and is rebuilt
 * only when the database's files change (their sizes and mtimes are its
 * signature).  An audit loads the index (one read) and binary-searches it;
 * it never parses the database again.
 *
 * A built-in index of the PyPA advisory-database snapshot is compiled into
 * the binary (data/osv-pypi.vgidx, made by scripts/gen-osv-index.sh) and
 * is used when no other database is configured.
 *
 * Matching follows the OSV schema: a version is affected when it is listed
 * in `versions` or lies in an ECOSYSTEM/SEMVER range (events introduced,
 * fixed, last_affected, limit; introduced "0" is before everything).  GIT
 * ranges are ignored for versions without stopping the other ranges.
 * Withdrawn advisories are left out.  Ecosystems: PyPI and npm.
 */
#ifndef VG_OSV_H
#define VG_OSV_H

#include <jansson.h>
#include <stddef.h>

#include "../core/buf.h"
#include "../core/diag.h"
#include "../core/status.h"
#include "../finding/rule.h"

typedef struct osv_db osv_db;

typedef struct osv_adv {       /* one advisory that affects a queried version */
    char *id;
    char *aliases;             /* comma-separated; "" when none */
    char *summary;
    char *cvss;                /* CVSS vector, "" when none */
    double score;              /* CVSS v3 base score; < 0 when unknown */
    severity sev;              /* from the score or the database; SEV_NONE unknown */
    int malicious;             /* MAL- advisory: a malicious package */
    char *fixed;               /* fixed versions named by its ranges, comma-separated */
    int source;                /* OSV_SRC_*: where it was found (both: the same advisory,
                                  or one of its aliases, in each) */
} osv_adv;

enum { OSV_SRC_OFFLINE = 1, OSV_SRC_ONLINE = 2 };

typedef struct osv_result {
    osv_adv *v;
    size_t n;
    char *fix;  /* smallest version above the queried one that no advisory of the
                   package affects (chosen among their fixed versions); NULL if none */
} osv_result;

/* Open the database at `path`; NULL means $VIBEGUARD_OSV_DB, else the
 * default directory (osv_default_dir) when it holds records, else the
 * built-in index.  Builds or refreshes the index when needed.  Problems
 * with single records are warnings in `d`; an unreadable path is an error. */
vg_status osv_open(const char *path, osv_db **out, diag_list *d);
osv_db *osv_open_builtin(void);
/* Wrap an index held in memory (copied). */
vg_status osv_open_index(const char *data, size_t len, const char *label, osv_db **out,
                         diag_list *d);
void osv_close(osv_db *db);
const char *osv_label(const osv_db *db);    /* path of the database, or "built-in ..." */
int osv_is_builtin(const osv_db *db);
size_t osv_count(const osv_db *db);         /* index lines */
size_t osv_count_eco(const osv_db *db, const char *eco); /* index lines of "PyPI" or "npm" */
/* The date of the data as YYYY-MM-DD in out (n >= 11): the built-in
 * snapshot's own date, else the database file's or directory's
 * modification time (when it was downloaded).  0, or -1 when unknown. */
int osv_data_date(const osv_db *db, char *out, size_t n);

/* Advisories for (ecosystem "PyPI"|"npm", name, exact version).  The name
 * is normalised here.  r is filled even when nothing matches (n == 0). */
vg_status osv_query(const osv_db *db, const char *eco, const char *name, const char *version,
                    osv_result *r);
/* The advisories of (eco, name) in db whose ids are in the comma-separated
 * `ids`, whatever their ranges say (the caller was told they affect
 * version); fix as for osv_query. */
vg_status osv_query_ids(const osv_db *db, const char *eco, const char *name, const char *version,
                        const char *ids, osv_result *r);
/* Is id in the comma-separated list? (case-insensitive, as ids and aliases are) */
int osv_id_listed(const char *list, const char *id);
void osv_result_free(osv_result *r);
/* Is anything known about the package at all? (any advisory line) */
int osv_has_package(const osv_db *db, const char *eco, const char *name);

/* Build the index text of a database path into `out` (appended). */
vg_status osv_build_index(const char *path, buf *out, size_t *lines, diag_list *d);
/* The index lines of one record (appended to out), for tests and tools. */
vg_status osv_record_lines(json_t *rec, buf *out, diag_list *d);
/* Call fn for every record of a database path (a JSON tree; borrowed).
 * fn returns non-zero to stop. */
vg_status osv_each_record(const char *path, int (*fn)(json_t *rec, const char *file, void *ud),
                          void *ud, diag_list *d);

/* Download the PyPI and npm all.zip files of osv.dev into dir (update.c).
 * VG_ERR_NET with an error diag when the network is unreachable. */
vg_status osv_update(const char *dir, size_t *bytes, diag_list *d);

/* Cache directory ($XDG_CACHE_HOME/vibeguard or ~/.cache/vibeguard) and the
 * default database directory inside it (…/osv).  0 on success. */
int osv_cache_dir(char *dst, size_t n);
int osv_default_dir(char *dst, size_t n);

/* Helpers, exposed for tests. */
void osv_normalize_name(const char *eco, const char *name, char *dst, size_t n);
int osv_version_cmp(const char *eco, const char *a, const char *b);
/* ranges/versions in index encoding (see osv.c); 1 affected, 0 not. */
int osv_affected(const char *eco, const char *ranges, const char *versions, const char *version);
/* CVSS v3.x base score of a vector; 0 on success. */
int osv_cvss3_score(const char *vector, double *score);
severity osv_score_severity(double score);

#endif
