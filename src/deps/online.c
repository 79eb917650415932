/* online.c - OSV's web API for 'deps --online' (online.h): querybatch for
 * the exact versions, the records of the ids it names, merged into the
 * offline look-up.
 */
#include "online.h"
#include "../core/buf.h"
#include "../core/limits.h"
#include "../core/opts.h"
#include "../core/xalloc.h"

#include <curl/curl.h>
#include <jansson.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define OSV_API_DEFAULT "https://api.osv.dev"

typedef struct answer {
    char *key;   /* "eco\tnormalised name\tversion" */
    char *ids;   /* what the server named, comma-separated */
} answer;

struct osv_online {
    char *base, *host;
    long timeout;
    CURL *h;                  /* one handle: its connection is reused */
    char *error;              /* the first failure */
    answer *ans;
    size_t nans, capans;
    str_list fetched;         /* ids whose record was asked for */
    char **lines;             /* index lines of the records fetched */
    size_t nlines, caplines;
    osv_db *db;               /* those lines as an index */
    size_t nrecords;
};

static pthread_once_t curl_once = PTHREAD_ONCE_INIT;
static void curl_init(void) { curl_global_init(CURL_GLOBAL_DEFAULT); }

static int loopback(const char *host)
{
    return !strcmp(host, "localhost") || !strncmp(host, "127.", 4) || !strcmp(host, "::1") ||
           !strcmp(host, "[::1]");
}

vg_status osv_online_open(const char *url, osv_online **out, diag_list *d)
{
    *out = NULL;
    if (!url || !*url) url = getenv("VIBEGUARD_OSV_API_URL");
    if (!url || !*url) url = OSV_API_DEFAULT;
    pthread_once(&curl_once, curl_init);
    CURLU *u = curl_url();
    char *scheme = NULL, *host = NULL;
    int ok = u && !curl_url_set(u, CURLUPART_URL, url, 0) &&
             !curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) &&
             !curl_url_get(u, CURLUPART_HOST, &host, 0);
    vg_status rc = VG_OK;
    if (!ok || (strcmp(scheme, "https") && strcmp(scheme, "http"))) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0, "--osv-url %s: not an http(s) URL", url);
        rc = VG_ERR_USAGE;
    } else if (!strcmp(scheme, "http") && !loopback(host)) {
        diag_add(d, DIAG_ERROR, NULL, 0, 0,
                 "--osv-url %s: plain http is only for a loopback host; use https", url);
        rc = VG_ERR_USAGE;
    }
    if (!rc) {
        osv_online *o = xcalloc(1, sizeof *o);
        size_t n = strlen(url);
        while (n && url[n - 1] == '/') n--;
        o->base = xstrndup(url, n);
        o->host = xstrdup(host);
        const char *t = getenv("VIBEGUARD_OSV_TIMEOUT");
        o->timeout = t && atol(t) > 0 ? atol(t) : OSV_ONLINE_TIMEOUT;
        *out = o;
    }
    curl_free(scheme);
    curl_free(host);
    curl_url_cleanup(u);
    return rc;
}

void osv_online_close(osv_online *o)
{
    if (!o) return;
    if (o->h) curl_easy_cleanup(o->h);
    for (size_t i = 0; i < o->nans; i++) {
        free(o->ans[i].key);
        free(o->ans[i].ids);
    }
    free(o->ans);
    for (size_t i = 0; i < o->nlines; i++) free(o->lines[i]);
    free(o->lines);
    str_list_free(&o->fetched);
    if (o->db) osv_close(o->db);
    free(o->base);
    free(o->host);
    free(o->error);
    free(o);
}

const char *osv_online_url(const osv_online *o) { return o->base; }
const char *osv_online_host(const osv_online *o) { return o->host; }
const char *osv_online_error(const osv_online *o) { return o->error; }
size_t osv_online_asked(const osv_online *o) { return o->nans; }
size_t osv_online_records(const osv_online *o) { return o->nrecords; }

static void fail(osv_online *o, const char *fmt, const char *arg)
{
    if (o->error) return;
    o->error = xasprintf(fmt, arg);
}

/* ---- HTTP ------------------------------------------------------------------------------ */

static size_t sink(void *p, size_t s, size_t n, void *ud)
{
    buf *b = ud;
    return buf_append(b, p, s * n) ? 0 : s * n; /* past the cap: the transfer stops */
}

/* GET url (body NULL) or POST body as JSON; the answer's bytes into resp.
 * 0: HTTP 200; 404: not found; -1: a failure, recorded in o->error. */
static int http(osv_online *o, const char *url, const char *body, buf *resp)
{
    if (!o->h && !(o->h = curl_easy_init())) {
        fail(o, "%s", "cannot start libcurl");
        return -1;
    }
    CURL *h = o->h;
    curl_easy_reset(h);
    char err[CURL_ERROR_SIZE] = "";
    struct curl_slist *hdr = NULL;
    curl_easy_setopt(h, CURLOPT_URL, url);
    curl_easy_setopt(h, CURLOPT_PROTOCOLS_STR, "http,https");
    curl_easy_setopt(h, CURLOPT_FOLLOWLOCATION, 0L);
    curl_easy_setopt(h, CURLOPT_CONNECTTIMEOUT, o->timeout < 10 ? o->timeout : 10L);
    curl_easy_setopt(h, CURLOPT_TIMEOUT, o->timeout);
    curl_easy_setopt(h, CURLOPT_NOSIGNAL, 1L);
    curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink);
    curl_easy_setopt(h, CURLOPT_WRITEDATA, resp);
    curl_easy_setopt(h, CURLOPT_ERRORBUFFER, err);
    curl_easy_setopt(h, CURLOPT_USERAGENT, "vibeguard (deps --online)");
    curl_easy_setopt(h, CURLOPT_ACCEPT_ENCODING, "");
    if (body) {
        hdr = curl_slist_append(hdr, "Content-Type: application/json");
        curl_easy_setopt(h, CURLOPT_HTTPHEADER, hdr);
        curl_easy_setopt(h, CURLOPT_POSTFIELDS, body);
    }
    CURLcode cr = curl_easy_perform(h);
    long status = 0;
    if (cr == CURLE_OK) curl_easy_getinfo(h, CURLINFO_RESPONSE_CODE, &status);
    curl_slist_free_all(hdr);
    if (cr == CURLE_WRITE_ERROR && resp->len) {
        fail(o, "%s", "the answer is too large");
        return -1;
    }
    if (cr != CURLE_OK) {
        fail(o, "%s", err[0] ? err : curl_easy_strerror(cr));
        return -1;
    }
    if (status == 404) return 404;
    if (status != 200) {
        char s[32];
        snprintf(s, sizeof s, "%ld", status);
        fail(o, "HTTP status %s", s);
        return -1;
    }
    return 0;
}

/* ---- the querybatch answer ---------------------------------------------------------------- */

void osv_online_batch_free(char **ids, char **pages, size_t nq)
{
    for (size_t i = 0; i < nq; i++) {
        if (ids) free(ids[i]);
        if (pages) free(pages[i]);
    }
    free(ids);
    free(pages);
}

static int safe_id(const char *s)
{
    if (!*s || strlen(s) > OSV_MAX_TOKEN) return 0;
    for (; *s; s++)
        if (!(*s == '-' || *s == '_' || *s == '.' || *s == ':' || (*s >= '0' && *s <= '9') ||
              (*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z')))
            return 0;
    return 1;
}

vg_status osv_online_parse_batch(const char *text, size_t len, size_t nq, char ***ids_out,
                                 char ***pages_out, char *err, size_t errn)
{
    *ids_out = NULL;
    *pages_out = NULL;
    json_error_t je;
    json_t *root = json_loadb(text, len, 0, &je);
    json_t *res = json_object_get(root, "results");
    if (!root || !json_is_array(res) || json_array_size(res) != nq) {
        if (!root) snprintf(err, errn, "a malformed answer (%s at line %d)", je.text, je.line);
        else if (!json_is_array(res)) snprintf(err, errn, "a malformed answer (no \"results\" list)");
        else snprintf(err, errn, "a malformed answer (%zu results for %zu queries)",
                      json_array_size(res), nq);
        json_decref(root);
        return VG_ERR_PARSE;
    }
    char **ids = xcalloc(nq ? nq : 1, sizeof *ids), **pages = xcalloc(nq ? nq : 1, sizeof *pages);
    vg_status rc = VG_OK;
    for (size_t i = 0; i < nq && !rc; i++) {
        json_t *r = json_array_get(res, i), *vulns = json_object_get(r, "vulns"), *v;
        buf b;
        buf_init(&b, 0);
        size_t k;
        if (!json_is_object(r) || (vulns && !json_is_array(vulns))) rc = VG_ERR_PARSE;
        json_array_foreach(vulns, k, v) {
            const char *id = json_string_value(json_object_get(v, "id"));
            if (!id || !safe_id(id)) {
                rc = VG_ERR_PARSE;
                break;
            }
            if (b.len) buf_putc(&b, ',');
            buf_puts(&b, id);
        }
        ids[i] = buf_detach(&b);
        const char *tok = json_string_value(json_object_get(r, "next_page_token"));
        if (tok && *tok) pages[i] = xstrdup(tok);
        if (rc) snprintf(err, errn, "a malformed answer (result %zu)", i + 1);
    }
    json_decref(root);
    if (rc) {
        osv_online_batch_free(ids, pages, nq);
        return rc;
    }
    *ids_out = ids;
    *pages_out = pages;
    return VG_OK;
}

/* ---- asking ------------------------------------------------------------------------------ */

static char *key_of(const char *eco, const char *name, const char *version)
{
    char norm[256];
    osv_normalize_name(eco, name, norm, sizeof norm);
    return xasprintf("%s\t%s\t%s", eco, norm, version);
}

static const answer *find(const osv_online *o, const char *key)
{
    for (size_t i = 0; i < o->nans; i++)
        if (!strcmp(o->ans[i].key, key)) return &o->ans[i];
    return NULL;
}

/* One querybatch over q[0..n), following next_page_token; ids[i] filled. */
static int batch(osv_online *o, const osv_pkg *const *q, size_t n, char **ids)
{
    char *url = xasprintf("%s/v1/querybatch", o->base);
    char **pages = NULL;
    size_t *which = xcalloc(n, sizeof *which), nw = n;
    for (size_t i = 0; i < n; i++) which[i] = i;
    int rc = 0;
    for (int round = 0; nw && round <= OSV_ONLINE_PAGES && !rc; round++) {
        json_t *queries = json_array();
        for (size_t i = 0; i < nw; i++) {
            const osv_pkg *p = q[which[i]];
            json_t *one = json_pack("{s:{s:s,s:s},s:s}", "package", "ecosystem", p->eco, "name",
                                    p->name, "version", p->version);
            if (pages && pages[i]) json_object_set_new(one, "page_token", json_string(pages[i]));
            json_array_append_new(queries, one);
        }
        json_t *req = json_pack("{s:o}", "queries", queries);
        char *body = json_dumps(req, JSON_COMPACT);
        json_decref(req);
        osv_online_batch_free(NULL, pages, nw);
        pages = NULL;
        buf resp;
        buf_init(&resp, OSV_ONLINE_MAX_BYTES);
        char **got = NULL, err[200];
        if (http(o, url, body, &resp)) rc = -1;
        else if (osv_online_parse_batch(resp.data ? resp.data : "", resp.len, nw, &got, &pages,
                                        err, sizeof err)) {
            fail(o, "%s", err);
            rc = -1;
        }
        free(body);
        buf_free(&resp);
        if (rc) break;
        size_t next = 0;
        for (size_t i = 0; i < nw; i++) {
            char **dst = &ids[which[i]];
            if (got[i][0]) {
                char *j = *dst && **dst ? xasprintf("%s,%s", *dst, got[i]) : xstrdup(got[i]);
                free(*dst);
                *dst = j;
            } else if (!*dst) {
                *dst = xstrdup("");
            }
            char *t = pages[i];
            pages[i] = NULL;
            if (t && round < OSV_ONLINE_PAGES) { /* asked again, at its new place */
                pages[next] = t;
                which[next++] = which[i];
            } else {
                free(t);
            }
        }
        osv_online_batch_free(got, NULL, nw);
        nw = next;
    }
    osv_online_batch_free(NULL, pages, nw);
    free(which);
    free(url);
    return rc;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* GET /v1/vulns/ID for each id of list not fetched yet; its lines kept. */
static int fetch_records(osv_online *o, const char *list)
{
    char *copy = xstrdup(list), *save = NULL;
    int rc = 0, added = 0;
    for (char *id = strtok_r(copy, ",", &save); id && !rc; id = strtok_r(NULL, ",", &save)) {
        if (str_list_has(&o->fetched, id)) continue;
        if (o->fetched.n >= OSV_ONLINE_MAX_IDS) break;
        str_list_add(&o->fetched, id);
        char *url = xasprintf("%s/v1/vulns/%s", o->base, id); /* ids are [A-Za-z0-9._:-] */
        buf resp;
        buf_init(&resp, OSV_ONLINE_MAX_BYTES);
        int st = http(o, url, NULL, &resp);
        if (st == 0) {
            json_error_t je;
            json_t *rec = json_loadb(resp.data ? resp.data : "", resp.len, 0, &je);
            const char *rid = json_string_value(json_object_get(rec, "id"));
            if (!json_is_object(rec) || !rid || strcasecmp(rid, id)) {
                fail(o, "a malformed advisory record for %s", id);
                rc = -1;
            } else {
                buf lines;
                buf_init(&lines, 0);
                diag_list ignored = {0};
                osv_record_lines(rec, &lines, &ignored);
                diag_free(&ignored);
                char *lsave = NULL;
                for (char *l = lines.data ? strtok_r(lines.data, "\n", &lsave) : NULL; l;
                     l = strtok_r(NULL, "\n", &lsave)) {
                    XGROW(o->lines, o->caplines, o->nlines + 1);
                    o->lines[o->nlines++] = xstrdup(l);
                    added = 1;
                }
                buf_free(&lines);
                o->nrecords++;
            }
            json_decref(rec);
        } else if (st != 404) { /* a record gone since the query: named, without details */
            rc = -1;
        }
        buf_free(&resp);
        free(url);
    }
    free(copy);
    if (added) { /* the index: sorted lines under the header */
        qsort(o->lines, o->nlines, sizeof *o->lines, cmp_str);
        buf idx;
        buf_init(&idx, 0);
        buf_printf(&idx, "#vibeguard-osv-index 1\tonline\tOSV API at %s\n", o->host);
        for (size_t i = 0; i < o->nlines; i++)
            if (!i || strcmp(o->lines[i], o->lines[i - 1])) buf_printf(&idx, "%s\n", o->lines[i]);
        osv_db *db = NULL;
        diag_list ignored = {0};
        if (!osv_open_index(idx.data, idx.len, o->host, &db, &ignored)) {
            if (o->db) osv_close(o->db);
            o->db = db;
        }
        diag_free(&ignored);
        buf_free(&idx);
    }
    return rc;
}

vg_status osv_online_ask(osv_online *o, const osv_pkg *p, size_t n)
{
    if (o->error) return VG_ERR_NET;
    const osv_pkg **q = xcalloc(n ? n : 1, sizeof *q);
    char **keys = xcalloc(n ? n : 1, sizeof *keys);
    size_t nq = 0;
    for (size_t i = 0; i < n; i++) {
        char *k = key_of(p[i].eco, p[i].name, p[i].version);
        int seen = find(o, k) != NULL;
        for (size_t j = 0; j < nq && !seen; j++) seen = !strcmp(keys[j], k);
        if (seen) {
            free(k);
            continue;
        }
        keys[nq] = k;
        q[nq++] = &p[i];
    }
    int rc = 0;
    for (size_t off = 0; off < nq && !rc; off += OSV_ONLINE_BATCH) {
        size_t m = nq - off < OSV_ONLINE_BATCH ? nq - off : OSV_ONLINE_BATCH;
        char **ids = xcalloc(m, sizeof *ids);
        rc = batch(o, q + off, m, ids);
        buf all;
        buf_init(&all, 0);
        for (size_t i = 0; i < m; i++) {
            if (rc) {
                free(ids[i]);
                continue;
            }
            XGROW(o->ans, o->capans, o->nans + 1);
            o->ans[o->nans].key = keys[off + i];
            keys[off + i] = NULL;
            o->ans[o->nans++].ids = ids[i];
            if (ids[i][0]) {
                if (all.len) buf_putc(&all, ',');
                buf_puts(&all, ids[i]);
            }
        }
        free(ids);
        if (!rc && all.len) rc = fetch_records(o, all.data);
        buf_free(&all);
    }
    for (size_t i = 0; i < nq; i++) free(keys[i]);
    free(keys);
    free(q);
    return rc ? VG_ERR_NET : VG_OK;
}

/* ---- merging ------------------------------------------------------------------------------ */

/* Do a and b name one vulnerability (an id of one among the other's id and aliases)? */
static int same_vuln(const osv_adv *a, const osv_adv *b)
{
    return !strcasecmp(a->id, b->id) || osv_id_listed(a->aliases, b->id) ||
           osv_id_listed(b->aliases, a->id);
}

static void adv_free(osv_adv *a)
{
    free(a->id);
    free(a->aliases);
    free(a->summary);
    free(a->cvss);
    free(a->fixed);
}

/* Fold online advisory a into r: marks the one it repeats, else appends. */
static void fold(osv_result *r, osv_adv *a)
{
    for (size_t i = 0; i < r->n; i++) {
        osv_adv *x = &r->v[i];
        if (!same_vuln(x, a)) continue;
        x->source |= OSV_SRC_ONLINE;
        if (x->sev == SEV_NONE && a->sev != SEV_NONE) { /* the online record says more */
            x->sev = a->sev;
            x->score = a->score;
            free(x->cvss);
            x->cvss = xstrdup(a->cvss);
        }
        if (!osv_id_listed(x->aliases, a->id) && strcasecmp(x->id, a->id)) {
            char *al = x->aliases[0] ? xasprintf("%s,%s", x->aliases, a->id) : xstrdup(a->id);
            free(x->aliases);
            x->aliases = al;
        }
        adv_free(a);
        return;
    }
    r->v = xrealloc_n(r->v, r->n + 1, sizeof *r->v);
    r->v[r->n] = *a;
    r->v[r->n++].source = OSV_SRC_ONLINE;
}

static int clean(const osv_db *db, const char *eco, const char *name, const char *v)
{
    if (!db) return 1;
    osv_result t;
    osv_query(db, eco, name, v, &t);
    int ok = t.n == 0;
    osv_result_free(&t);
    return ok;
}

int osv_online_merge(const osv_online *o, const osv_db *offline, const char *eco,
                     const char *name, const char *version, osv_result *r)
{
    char *k = key_of(eco, name, version);
    const answer *an = find(o, k);
    free(k);
    if (!an) return 0;
    if (!an->ids[0]) return 1;
    osv_result on = {0};
    if (o->db) osv_query_ids(o->db, eco, name, version, an->ids, &on);
    size_t before = r->n;
    /* ids without a record (gone since the query): named, without details */
    size_t nbare = 0;
    osv_adv *bare = NULL;
    char *copy = xstrdup(an->ids), *save = NULL;
    for (char *id = strtok_r(copy, ",", &save); id; id = strtok_r(NULL, ",", &save)) {
        int have = 0;
        for (size_t i = 0; i < on.n && !have; i++) have = !strcasecmp(on.v[i].id, id);
        if (have) continue;
        bare = xrealloc_n(bare, nbare + 1, sizeof *bare);
        bare[nbare++] = (osv_adv){.id = xstrdup(id), .aliases = xstrdup(""), .summary = xstrdup(""),
                                  .cvss = xstrdup(""), .score = -1, .sev = SEV_NONE,
                                  .malicious = !strncmp(id, "MAL-", 4), .fixed = xstrdup("")};
    }
    free(copy);
    for (size_t i = 0; i < on.n; i++) fold(r, &on.v[i]);
    for (size_t i = 0; i < nbare; i++) fold(r, &bare[i]);
    free(bare);
    free(on.v); /* its advisories moved into r or freed by fold */
    free(on.fix);
    if (r->n == before) return 1;
    /* the upgrade again: the smallest fixed version above version that
     * neither database's advisories affect */
    char *best = NULL;
    for (size_t i = 0; i < r->n; i++) {
        char *c = xstrdup(r->v[i].fixed ? r->v[i].fixed : ""), *s2 = NULL;
        for (char *t = strtok_r(c, ",", &s2); t; t = strtok_r(NULL, ",", &s2)) {
            if (osv_version_cmp(eco, t, version) <= 0) continue;
            if (best && osv_version_cmp(eco, t, best) >= 0) continue;
            if (!clean(offline, eco, name, t) || !clean(o->db, eco, name, t)) continue;
            free(best);
            best = xstrdup(t);
        }
        free(c);
    }
    free(r->fix);
    r->fix = best;
    return 1;
}
