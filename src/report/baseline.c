/* baseline.c - the baseline file: fingerprints of accepted findings.
 *
 *   {"version": 2, "tool": "vibeguard",
 *    "findings": [{"fingerprint": "9f2c...", "rule": "B602", "path": "app.py", "line": 3}, ...]}
 *
 * Only the fingerprint is matched; rule, path and line are there for the
 * humans who review the file.
 *
 * Version 2 (vibeguard's masking step): fingerprints are computed over the
 * masked text, never over a secret.  A version-1 file is still read, with
 * a warning: its entries for secrets (and for findings on lines of over
 * 400 bytes) hashed what is now hidden, cannot be recomputed without the
 * secret, and match nothing, so those findings are reported again until
 * the baseline is written anew (fail closed: nothing is hidden by mistake).  One entry per finding, so a file with the
 * same flaw twice needs two entries to hide both (occurrences count).
 */
#include "report.h"
#include "../core/xalloc.h"
#include "../fmt/jsonw.h"

#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#define BASELINE_VERSION 2 /* 2: fingerprints over masked text (see above) */

typedef struct bl_entry {
    uint64_t fp;
    size_t count;
} bl_entry;

struct baseline {
    bl_entry *v;
    size_t n;
};

static int cmp_entry(const void *a, const void *b)
{
    uint64_t x = ((const bl_entry *)a)->fp, y = ((const bl_entry *)b)->fp;
    return x < y ? -1 : x > y;
}

static int parse_fp(const char *s, uint64_t *out)
{
    if (!s || strlen(s) != 16) return 0;
    uint64_t v = 0;
    for (int i = 0; i < 16; i++) {
        char c = s[i];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10
              : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
        if (d < 0) return 0;
        v = v << 4 | (uint64_t)d;
    }
    *out = v;
    return 1;
}

vg_status baseline_load(const char *path, baseline **out, diag_list *d)
{
    *out = NULL;
    json_error_t err;
    json_t *root = json_load_file(path, JSON_REJECT_DUPLICATES, &err);
    if (!root) {
        if (err.line <= 0 && err.position == 0) {
            diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read baseline: %s", err.text);
            return VG_ERR_IO;
        }
        diag_add(d, DIAG_ERROR, path, err.line, err.column, "malformed baseline: %s",
                 err.text);
        return VG_ERR_PARSE;
    }
    json_t *list = json_is_object(root) ? json_object_get(root, "findings") : NULL;
    if (!json_is_array(list)) {
        diag_add(d, DIAG_ERROR, path, 0, 0,
                 "not a vibeguard baseline (no \"findings\" array); write one with "
                 "--write-baseline");
        json_decref(root);
        return VG_ERR_PARSE;
    }
    json_t *ver = json_object_get(root, "version");
    if (!json_is_integer(ver) || json_integer_value(ver) < BASELINE_VERSION)
        diag_add(d, DIAG_WARNING, path, 0, 0,
                 "baseline written by an older vibeguard (format %lld): fingerprints of secrets "
                 "are now computed over the masked text, so its entries for secrets match "
                 "nothing and those findings are reported again; review them and rewrite the "
                 "baseline with --write-baseline",
                 json_is_integer(ver) ? (long long)json_integer_value(ver) : 1LL);
    baseline *b = xcalloc(1, sizeof *b);
    size_t n = json_array_size(list);
    b->v = xcalloc(n ? n : 1, sizeof *b->v);
    for (size_t i = 0; i < n; i++) {
        json_t *e = json_array_get(list, i);
        uint64_t fp;
        if (!json_is_object(e) || !parse_fp(json_string_value(json_object_get(e, "fingerprint")), &fp)) {
            diag_add(d, DIAG_ERROR, path, 0, 0,
                     "baseline entry %zu has no valid \"fingerprint\" (16 hex digits)", i + 1);
            free(b->v);
            free(b);
            json_decref(root);
            return VG_ERR_PARSE;
        }
        b->v[b->n].fp = fp;
        b->v[b->n].count = 1;
        b->n++;
    }
    json_decref(root);
    qsort(b->v, b->n, sizeof *b->v, cmp_entry);
    size_t k = 0; /* merge duplicates into counts */
    for (size_t i = 0; i < b->n; i++) {
        if (k && b->v[k - 1].fp == b->v[i].fp) b->v[k - 1].count++;
        else b->v[k++] = b->v[i];
    }
    b->n = k;
    *out = b;
    return VG_OK;
}

void baseline_render(finding *const *v, size_t n, buf *out)
{
    jsonw w;
    jsonw_init(&w, out, 1);
    jsonw_obj(&w);
    jsonw_kint(&w, "version", BASELINE_VERSION);
    jsonw_kstr(&w, "tool", "vibeguard");
    jsonw_key(&w, "findings");
    jsonw_arr(&w);
    for (size_t i = 0; i < n; i++) {
        char fp[17];
        snprintf(fp, sizeof fp, "%016" PRIx64, v[i]->fingerprint);
        jsonw_obj(&w);
        jsonw_kstr(&w, "fingerprint", fp);
        jsonw_kstr(&w, "rule", v[i]->rule->id);
        jsonw_kstr(&w, "path", v[i]->path);
        jsonw_kint(&w, "line", v[i]->line);
        jsonw_end(&w);
    }
    jsonw_end(&w);
    jsonw_end(&w);
    jsonw_finish(&w);
}

int baseline_take(baseline *b, const finding *f)
{
    size_t lo = 0, hi = b->n;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        if (b->v[mid].fp == f->fingerprint) {
            if (!b->v[mid].count) return 0;
            b->v[mid].count--;
            return 1;
        }
        if (b->v[mid].fp < f->fingerprint) lo = mid + 1;
        else hi = mid;
    }
    return 0;
}

size_t baseline_size(const baseline *b)
{
    size_t n = 0;
    for (size_t i = 0; i < b->n; i++) n += b->v[i].count;
    return n;
}

void baseline_free(baseline *b)
{
    if (!b) return;
    free(b->v);
    free(b);
}
