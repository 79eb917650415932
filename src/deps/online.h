/* online.h - OSV's web API, for 'deps --online': the advisories osv.dev
 * knows today for the exact versions an audit found, merged with the
 * offline database's (osv.h), as pip-audit and osv-scanner ask it.
 *
 * One POST /v1/querybatch per batch of packages not asked yet (the
 * answer holds advisory ids only), then GET /v1/vulns/ID for each id not
 * fetched yet.  The records fetched become an in-memory OSV index, so an
 * online advisory is read (summary, CVSS, fixed versions) by the same code
 * as an offline one.  The server's word decides which advisories affect a
 * version; our ranges decide only the smallest clean upgrade.
 *
 * The endpoint: the caller's URL, else $VIBEGUARD_OSV_API_URL, else
 * https://api.osv.dev.  TLS is verified (libcurl's default, never turned
 * off); plain http:// is refused but for a loopback host (a local mirror,
 * the tests' stand-in server).  The first failure (no network, an HTTP
 * error, a timeout, a malformed answer) is kept and every later call does
 * nothing, so one audit makes at most one failing request.
 *
 * Not thread-safe: the caller serialises (the deps analyzer's lock).
 */
#ifndef VG_ONLINE_H
#define VG_ONLINE_H

#include <stddef.h>

#include "../core/diag.h"
#include "../core/status.h"
#include "osv.h"

typedef struct osv_online osv_online;

typedef struct osv_pkg {
    const char *eco;       /* "PyPI" or "npm" */
    const char *name;
    const char *version;   /* exact */
} osv_pkg;

/* url NULL: $VIBEGUARD_OSV_API_URL, else the public API.  A URL that is
 * not http(s), or plain http to a host that is not loopback, is
 * VG_ERR_USAGE with an error diag.  The timeout of each request is
 * $VIBEGUARD_OSV_TIMEOUT seconds, else OSV_ONLINE_TIMEOUT. */
vg_status osv_online_open(const char *url, osv_online **out, diag_list *d);
void osv_online_close(osv_online *o);

/* Ask for the packages of p not asked yet, and fetch the records of the
 * advisories named.  VG_ERR_NET once anything failed (osv_online_error
 * says what); the answers had before it stay. */
vg_status osv_online_ask(osv_online *o, const osv_pkg *p, size_t n);

/* Merge what the server said of (eco, name, version) into r, the offline
 * look-up: r's advisories that the server named too (by id or alias) get
 * OSV_SRC_ONLINE, the others it named are added (OSV_SRC_ONLINE only,
 * aliases of one another folded into one), and r->fix is chosen again
 * over both.  Returns 1 when the package was asked, else 0 (r untouched). */
int osv_online_merge(const osv_online *o, const osv_db *offline, const char *eco,
                     const char *name, const char *version, osv_result *r);

const char *osv_online_url(const osv_online *o);   /* the base URL */
const char *osv_online_host(const osv_online *o);  /* its host, for messages */
const char *osv_online_error(const osv_online *o); /* the first failure, NULL when none */
size_t osv_online_asked(const osv_online *o);      /* packages asked about */
size_t osv_online_records(const osv_online *o);    /* advisory records fetched */

/* Parse a querybatch answer for nq queries: ids[i] (comma-separated, "" for
 * none) and pages[i] (the next_page_token, NULL when none) are allocated,
 * nq each (free with osv_online_batch_free).  VG_ERR_PARSE with err filled
 * when the text is not such an answer.  Exposed for the fuzz target. */
vg_status osv_online_parse_batch(const char *text, size_t len, size_t nq, char ***ids,
                                 char ***pages, char *err, size_t errn);
void osv_online_batch_free(char **ids, char **pages, size_t nq);

#endif
