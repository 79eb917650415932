/* update.c - 'vibeguard deps --update-db': fetch OSV's per-ecosystem
 * all.zip files (PyPI, npm) into a database directory with libcurl.
 *
 * Each file is downloaded to a temporary name and renamed into place only
 * when complete, so a failed or partial download never replaces a good
 * database.  When the network is unreachable the call fails fast (short
 * connect timeout) with an error diag that says so and that the existing
 * database - or the built-in index - is still used.
 */
#include "../core/fsutil.h"
#include "../core/limits.h"
#include "osv.h"
#include "../core/xalloc.h"

#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

typedef struct sink {
    fs_atomic file;
    unsigned long long n;
} sink;

static size_t write_cb(void *p, size_t s, size_t n, void *ud)
{
    sink *k = ud;
    size_t b = s * n;
    if (k->n + b > UPDATE_MAX_BYTES) return 0;
    k->n += b;
    return fs_atomic_write(&k->file, p, b) ? 0 : b;
}

vg_status osv_update(const char *dir, size_t *bytes, diag_list *d)
{
    static const char *const ecos[] = {"PyPI", "npm"};
    const char *base = getenv("VIBEGUARD_OSV_URL");
    if (!base || !*base) base = "https://osv-vulnerabilities.storage.googleapis.com";
    *bytes = 0;
    if (fs_mkdirs(dir, 0755)) {
        diag_add(d, DIAG_ERROR, dir, 0, 0, "cannot create the database directory: %s",
                 strerror(errno));
        return VG_ERR_IO;
    }
    curl_global_init(CURL_GLOBAL_DEFAULT);
    vg_status rc = VG_OK;
    for (size_t i = 0; i < 2 && !rc; i++) {
        char *url = xasprintf("%s/%s/all.zip", base, ecos[i]);
        char *dst = xasprintf("%s/%s-all.zip", dir, ecos[i]);
        sink k = {.n = 0};
        if (fs_atomic_open(&k.file, dst, 0666, "cannot write", d)) {
            rc = VG_ERR_IO;
        } else {
            CURL *h = curl_easy_init();
            char err[CURL_ERROR_SIZE] = "";
            curl_easy_setopt(h, CURLOPT_URL, url);
            curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 1L);
            curl_easy_setopt(h, CURLOPT_MAXREDIRS, 3L);
            curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, 10L);
            curl_easy_setopt(h, CURLOPT_LOW_SPEED_LIMIT, 1024L);
            curl_easy_setopt(h, CURLOPT_LOW_SPEED_TIME, 30L);
            curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
            curl_easy_setopt(h, CURLOPT_FAILONERROR, 1L);
            curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, write_cb);
            curl_easy_setopt(h, CURLOPT_WRITEDATA, &k);
            curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
            curl_easy_setopt(h, CURLOPT_USERAGENT, "vibeguard (osv update)");
            CURLcode cr = curl_easy_perform(h);
            curl_easy_cleanup(h);
            if (cr != CURLE_OK && !k.file.err) {
                diag_add(d, DIAG_ERROR, NULL, 0, 0,
                         "cannot download %s: %s. The network looks unavailable; the database "
                         "already in place (or the built-in advisory index) is still used",
                         url, err[0] ? err : curl_easy_strerror(cr));
                fs_atomic_abort(&k.file);
                rc = VG_ERR_NET;
            } else if (fs_atomic_commit(&k.file, d)) { /* a local write failed */
                rc = VG_ERR_IO;
            } else {
                *bytes += k.n;
            }
        }
        free(url);
        free(dst);
    }
    curl_global_cleanup();
    return rc;
}
