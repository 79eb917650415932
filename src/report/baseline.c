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
 *
 * The baselines of the tools people come from are read too, matched as
 * those tools match them:
 * - a Bandit JSON report (bandit -f json -o FILE; {"results": [{"filename",
 *   "test_id", "line_number", ...}]}): Bandit's -b compares file and test
 *   id, not lines, so each result accepts one finding of that rule in that
 *   file, wherever it moved;
 * - a detect-secrets baseline (.secrets.baseline; {"results": {FILE:
 *   [{"type", "hashed_secret", "line_number"}]}}): each entry accepts one
 *   secret finding (secret:*, B105-B107) on that line of that file;
 * - a gitleaks JSON report (gitleaks detect --report-format json; a list of
 *   {"RuleID", "File", "StartLine", "Secret", "Commit", ...}): each entry
 *   accepts one finding of rule secret:RuleID on that line of that file
 *   whose secret is the entry's (compared by hash: the report holds the
 *   raw secret; only its hash is kept here and nothing of it is ever
 *   printed).  An entry with a Commit accepts a --history finding only in
 *   that commit (either hash a prefix of the other); a finding of the
 *   working tree is accepted by an entry of any commit.
 * Paths compare without a leading "./" and as a suffix at a '/' (a report
 * made from the repository root matches a scan from above it).
 */
#include "report.h"
#include "../core/fsutil.h"
#include "../core/hash.h"
#include "../core/limits.h"
#include "../core/xalloc.h"
#include "../fmt/jsonw.h"

#include <errno.h>
#include <inttypes.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define BASELINE_VERSION 2 /* 2: fingerprints over masked text (see above) */

typedef struct bl_entry {
    uint64_t fp;
    size_t count;
} bl_entry;

typedef struct bl_key {   /* an entry of a peer tool's baseline */
    char *rule;           /* Bandit's test id; NULL: any secret rule (detect-secrets) */
    char *path;           /* without a leading "./" */
    int line;             /* 0: any line */
    size_t count;
    int has_secret;       /* gitleaks: the finding's secret_own must be `secret` */
    uint64_t secret;      /* hash of the secret as finding_mask computes it */
    char *commit;         /* gitleaks: the entry's commit, NULL when none */
} bl_key;

struct baseline {
    bl_entry *v;
    size_t n;
    bl_key *keys;
    size_t nkeys;
};

static const char *strip_dot(const char *p)
{
    while (p[0] == '.' && p[1] == '/') {
        p += 2;
        while (*p == '/') p++;
    }
    return p;
}

static void add_key(baseline *b, const char *rule, const char *path, int line)
{
    b->keys = xrealloc_n(b->keys, b->nkeys + 1, sizeof *b->keys);
    b->keys[b->nkeys++] = (bl_key){rule ? xstrdup(rule) : NULL, xstrdup(strip_dot(path)), line, 1,
                                   0, 0, NULL};
}

/* A gitleaks JSON report; 0, or -1 with a diag (which never quotes a
 * field: "Secret" and "Match" hold the raw secret). */
static int load_gitleaks(baseline *b, json_t *list, const char *path, diag_list *d)
{
    for (size_t i = 0; i < json_array_size(list); i++) {
        json_t *e = json_array_get(list, i);
        const char *rule = json_string_value(json_object_get(e, "RuleID"));
        const char *fn = json_string_value(json_object_get(e, "File"));
        json_t *sec = json_object_get(e, "Secret");
        json_int_t line = json_integer_value(json_object_get(e, "StartLine"));
        if (!rule || !fn || !json_is_string(sec) || line <= 0) {
            diag_add(d, DIAG_ERROR, path, 0, 0,
                     "gitleaks report entry %zu has no \"RuleID\", \"File\", \"StartLine\" and "
                     "\"Secret\"", i + 1);
            return -1;
        }
        char *id = xasprintf("secret:%s", rule);
        add_key(b, id, fn, (int)line);
        free(id);
        bl_key *k = &b->keys[b->nkeys - 1];
        k->has_secret = 1;
        k->secret = hash_fnv1a64(json_string_value(sec), json_string_length(sec));
        const char *commit = json_string_value(json_object_get(e, "Commit"));
        if (commit && *commit) k->commit = xstrdup(commit);
    }
    return 0;
}

/* Is the root a gitleaks report: a list of objects with RuleID and File
 * ([] is gitleaks' report of no leaks)? */
static int is_gitleaks(json_t *root)
{
    if (!json_is_array(root)) return 0;
    json_t *e = json_array_get(root, 0);
    return !e || (json_object_get(e, "RuleID") && json_object_get(e, "File"));
}

/* Does a gitleaks entry's commit take a finding of commit fc (NULL: the
 * working tree)? */
static int commit_takes(const char *kc, const char *fc)
{
    if (!kc || !fc) return 1;
    size_t n = strlen(kc), m = strlen(fc), s = n < m ? n : m;
    return s >= 7 && !strncasecmp(kc, fc, s);
}

/* A Bandit JSON report; 0, or -1 with a diag. */
static int load_bandit(baseline *b, json_t *results, const char *path, diag_list *d)
{
    for (size_t i = 0; i < json_array_size(results); i++) {
        json_t *e = json_array_get(results, i);
        const char *fn = json_string_value(json_object_get(e, "filename"));
        const char *id = json_string_value(json_object_get(e, "test_id"));
        if (!fn || !id) {
            diag_add(d, DIAG_ERROR, path, 0, 0,
                     "Bandit report result %zu has no \"filename\" and \"test_id\"", i + 1);
            return -1;
        }
        add_key(b, id, fn, 0);
    }
    return 0;
}

/* A detect-secrets baseline; 0, or -1 with a diag. */
static int load_detect_secrets(baseline *b, json_t *results, const char *path, diag_list *d)
{
    const char *fn;
    json_t *list;
    json_object_foreach(results, fn, list) {
        for (size_t i = 0; i < json_array_size(list); i++) {
            json_int_t line = json_integer_value(json_object_get(json_array_get(list, i), "line_number"));
            if (line <= 0) {
                diag_add(d, DIAG_ERROR, path, 0, 0,
                         "detect-secrets baseline entry %zu of \"%s\" has no \"line_number\"",
                         i + 1, fn);
                return -1;
            }
            add_key(b, NULL, fn, (int)line);
        }
    }
    return 0;
}

/* Is the finding's display path the key's path (or ends with "/" + it, or
 * the other way round)? */
static int path_is(const char *fpath, const char *kpath)
{
    fpath = strip_dot(fpath);
    size_t n = strlen(fpath), m = strlen(kpath);
    if (n == m) return !strcmp(fpath, kpath);
    const char *lng = n > m ? fpath : kpath, *sht = n > m ? kpath : fpath;
    size_t ln = n > m ? n : m, sn = n > m ? m : n;
    return lng[ln - sn - 1] == '/' && !strcmp(lng + ln - sn, sht);
}

static int is_secret_id(const char *id)
{
    return !strncmp(id, "secret:", 7) || !strcmp(id, "B105") || !strcmp(id, "B106") ||
           !strcmp(id, "B107");
}

static int key_takes(bl_key *k, const finding *f)
{
    if (!k->count || (k->line && k->line != f->line) || !path_is(f->path, k->path)) return 0;
    if (k->has_secret && (!f->mask_count || f->secret_own != k->secret || !commit_takes(k->commit, f->commit)))
        return 0;
    int ok = k->rule ? !strcmp(f->rule->id, k->rule) : is_secret_id(f->rule->id);
    for (size_t i = 0; i < f->nalso && !ok; i++)
        ok = k->rule ? !strcmp(f->also[i]->id, k->rule) : is_secret_id(f->also[i]->id);
    if (ok) k->count--;
    return ok;
}

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
    char *text;
    size_t len;
    vg_status rd = fs_read_all(path, BASELINE_MAX, &text, &len);
    if (rd) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read baseline: %s",
                 rd == VG_ERR_LIMIT ? "larger than 256 MiB" : fs_strerror(errno));
        return VG_ERR_IO;
    }
    json_t *root = json_loadb(text, len, JSON_REJECT_DUPLICATES, &err);
    free(text);
    if (!root) {
        if (err.line <= 0 && err.position == 0) {
            diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read baseline: %s", err.text);
            return VG_ERR_IO;
        }
        diag_add(d, DIAG_ERROR, path, err.line, err.column, "malformed baseline: %s",
                 err.text);
        return VG_ERR_PARSE;
    }
    if (is_gitleaks(root)) {
        baseline *b = xcalloc(1, sizeof *b);
        b->v = xcalloc(1, sizeof *b->v);
        int bad = load_gitleaks(b, root, path, d);
        json_decref(root);
        if (bad) {
            baseline_free(b);
            return VG_ERR_PARSE;
        }
        *out = b;
        return VG_OK;
    }
    json_t *peer = json_is_object(root) ? json_object_get(root, "results") : NULL;
    if (peer && !json_object_get(root, "findings")) {
        int bandit = json_is_array(peer), ds = json_is_object(peer) && json_object_get(root, "plugins_used");
        if (bandit || ds) {
            baseline *b = xcalloc(1, sizeof *b);
            b->v = xcalloc(1, sizeof *b->v);
            if ((bandit ? load_bandit : load_detect_secrets)(b, peer, path, d)) {
                baseline_free(b);
                json_decref(root);
                return VG_ERR_PARSE;
            }
            json_decref(root);
            *out = b;
            return VG_OK;
        }
    }
    json_t *list = json_is_object(root) ? json_object_get(root, "findings") : NULL;
    if (!json_is_array(list)) {
        diag_add(d, DIAG_ERROR, path, 0, 0,
                 "not a baseline (neither vibeguard's \"findings\", a Bandit JSON report, "
                 "a detect-secrets baseline nor a gitleaks JSON report); write one with "
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
    for (size_t i = 0; i < b->nkeys; i++)
        if (key_takes(&b->keys[i], f)) return 1;
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
    for (size_t i = 0; i < b->nkeys; i++) n += b->keys[i].count;
    return n;
}

void baseline_free(baseline *b)
{
    if (!b) return;
    for (size_t i = 0; i < b->nkeys; i++) {
        free(b->keys[i].rule);
        free(b->keys[i].path);
        free(b->keys[i].commit);
    }
    free(b->keys);
    free(b->v);
    free(b);
}
