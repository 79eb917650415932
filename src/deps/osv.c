/* osv.c - OSV records in, a compact sorted index out, and look-ups.
 *
 * Index format (text, so it diffs and greps; see osv.h for the why):
 *
 *   #vibeguard-osv-index 1<TAB>signature<TAB>label
 *   eco<TAB>name<TAB>id<TAB>aliases<TAB>cvss<TAB>score<TAB>sev<TAB>summary<TAB>ranges<TAB>versions
 *
 * one data line per (advisory, affected package), sorted bytewise, so the
 * lines of one package are adjacent and found by binary search.  `name`
 * is normalised (PEP 503 for PyPI, lower-case for npm).  `ranges` is
 * "E:i=0,f=2.3.0;S:i=1.0.0,l=1.2.0" (E ECOSYSTEM, S SEMVER; events i
 * introduced, f fixed, l last_affected, x limit).  `versions` is the
 * space-separated `versions` list minus the versions the ranges already
 * cover.  `sev` is the database's own severity word (GHSA), "" if none.
 */
#include "osv.h"
#include "../core/fsutil.h"
#include "../core/limits.h"
#include "pep440.h"
#include "semver.h"
#include "../fmt/yamljson.h"
#include "../core/embed.h"
#include "../core/hash.h"
#include "../core/xalloc.h"

#include <ctype.h>
#include <dirent.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <zip.h>

#define OSV_MAGIC "#vibeguard-osv-index 1\t"

EMBED_DECL(osv_pypi_vgidx);

struct osv_db {
    char *data;        /* the index text (owned unless builtin) */
    size_t len;
    int builtin;
    size_t *line;      /* start offsets of data lines */
    size_t nline;
    char *label;
};

/* ---- names and versions --------------------------------------------------- */

void osv_normalize_name(const char *eco, const char *name, char *dst, size_t n)
{
    size_t k = 0;
    int pypi = eco && !strcmp(eco, "PyPI");
    if (!n) return;
    for (const char *p = name; *p && k + 1 < n; p++) {
        char c = (char)tolower((unsigned char)*p);
        if (pypi && (c == '-' || c == '_' || c == '.')) {
            if (k && dst[k - 1] == '-') continue;
            c = '-';
        }
        dst[k++] = c;
    }
    dst[k] = 0;
}

int osv_version_cmp(const char *eco, const char *a, const char *b)
{
    if (!strcmp(eco, "npm")) return semver_cmp_str(a, b);
    return pep440_cmp_str(a, b);
}

/* ---- matching ------------------------------------------------------------- */

/* A version parsed once for its ecosystem, compared many times. */
typedef struct pver {
    const char *text;
    int ok;                 /* parsed (PEP 440 legacy versions count as parsed) */
    int npm;
    union {
        pep440_ver p;
        semver_ver s;
    } u;
} pver;

static void pver_parse(const char *eco, const char *text, pver *v)
{
    v->text = text;
    v->npm = !strcmp(eco, "npm");
    if (v->npm) v->ok = semver_parse(text, strlen(text), &v->u.s) == 0;
    else v->ok = pep440_parse(text, strlen(text), &v->u.p) >= 0;
}

static int pver_cmp(const pver *a, const pver *b)
{
    if (!a->ok || !b->ok) {
        if (!a->ok && !b->ok) {
            int c = strcmp(a->text, b->text);
            return c < 0 ? -1 : c > 0;
        }
        return a->ok ? 1 : -1;
    }
    return a->npm ? semver_cmp(&a->u.s, &b->u.s) : pep440_cmp(&a->u.p, &b->u.p);
}

typedef struct event {
    char kind;          /* i f l x */
    char ver[128];
    int zero;           /* introduced "0": before everything */
    pver pv;
} event;

static int cmp_event(const event *a, const event *b)
{
    if (a->zero || b->zero) return a->zero && b->zero ? 0 : a->zero ? -1 : 1;
    return pver_cmp(&a->pv, &b->pv);
}

/* Parse "i=0,f=2.3.0" into ev; returns count. */
static int parse_events(const char *s, size_t n, event *ev, int max)
{
    int k = 0;
    size_t i = 0;
    while (i < n && k < max) {
        size_t j = i;
        while (j < n && s[j] != ',') j++;
        if (j - i >= 3 && s[i + 1] == '=' && j - i - 2 < sizeof ev[k].ver) {
            ev[k].kind = s[i];
            memcpy(ev[k].ver, s + i + 2, j - i - 2);
            ev[k].ver[j - i - 2] = 0;
            k++;
        }
        i = j + 1;
    }
    return k;
}

static int range_affected(const char *eco, const char *s, size_t n, const pver *v)
{
    event ev[OSV_MAX_EVENTS];
    int k = parse_events(s, n, ev, OSV_MAX_EVENTS);
    for (int i = 0; i < k; i++) {
        ev[i].zero = ev[i].kind == 'i' && !strcmp(ev[i].ver, "0");
        if (!ev[i].zero) pver_parse(eco, ev[i].ver, &ev[i].pv);
    }
    /* insertion sort of indices by version, stable ("0" first) */
    int ord[OSV_MAX_EVENTS];
    for (int i = 0; i < k; i++) {
        int j = i;
        while (j > 0 && cmp_event(&ev[ord[j - 1]], &ev[i]) > 0) {
            ord[j] = ord[j - 1];
            j--;
        }
        ord[j] = i;
    }
    int affected = 0;
    for (int o = 0; o < k; o++) {
        const event *e = &ev[ord[o]];
        int c = e->zero ? -1 : pver_cmp(&e->pv, v);
        switch (e->kind) {
        case 'i': if (c <= 0) affected = 1; break;
        case 'f': case 'x': if (c <= 0) affected = 0; break;
        case 'l': if (c < 0) affected = 0; break;
        }
    }
    return affected;
}

static int affected_parsed(const char *eco, const char *ranges, const char *versions,
                           const pver *v)
{
    const char *p = versions;
    size_t vl = strlen(v->text);
    while (p && *p) {
        size_t n = strcspn(p, " ");
        if (n == vl && !memcmp(p, v->text, n)) return 1;
        if (n && n < OSV_MAX_TOKEN) {
            char t[OSV_MAX_TOKEN];
            memcpy(t, p, n);
            t[n] = 0;
            pver x;
            pver_parse(eco, t, &x);
            if (pver_cmp(&x, v) == 0) return 1;
        }
        p += n;
        while (*p == ' ') p++;
    }
    p = ranges;
    while (p && *p) {
        size_t n = strcspn(p, ";");
        if (n > 2 && p[1] == ':' && range_affected(eco, p + 2, n - 2, v)) return 1;
        p += n;
        if (*p) p++;
    }
    return 0;
}

int osv_affected(const char *eco, const char *ranges, const char *versions, const char *version)
{
    pver v;
    pver_parse(eco, version, &v);
    return affected_parsed(eco, ranges, versions, &v);
}

/* ---- CVSS ----------------------------------------------------------------- */

static double roundup1(double x)
{
    long long i = llround(x * 100000.0);
    if (i % 10000 == 0) return (double)i / 100000.0;
    return (double)(i / 10000 + 1) / 10.0;
}

int osv_cvss3_score(const char *vector, double *score)
{
    if (strncmp(vector, "CVSS:3.", 7)) return -1;
    char m[8] = {0}; /* AV AC PR UI S C I A */
    static const char *const keys[] = {"AV", "AC", "PR", "UI", "S", "C", "I", "A"};
    const char *p = strchr(vector, '/');
    while (p && *p == '/') {
        p++;
        const char *colon = strchr(p, ':');
        if (!colon || !colon[1]) break;
        for (int k = 0; k < 8; k++)
            if ((size_t)(colon - p) == strlen(keys[k]) && !strncmp(p, keys[k], colon - p))
                m[k] = colon[1];
        p = strchr(colon, '/');
    }
    for (int k = 0; k < 8; k++)
        if (!m[k]) return -1;
    double av = m[0] == 'N' ? 0.85 : m[0] == 'A' ? 0.62 : m[0] == 'L' ? 0.55 : 0.2;
    double ac = m[1] == 'L' ? 0.77 : 0.44;
    int changed = m[4] == 'C';
    double pr = m[2] == 'N' ? 0.85 : m[2] == 'L' ? (changed ? 0.68 : 0.62) : (changed ? 0.5 : 0.27);
    double ui = m[3] == 'N' ? 0.85 : 0.62;
    double cia[3];
    for (int k = 0; k < 3; k++) cia[k] = m[5 + k] == 'H' ? 0.56 : m[5 + k] == 'L' ? 0.22 : 0;
    double iss = 1 - (1 - cia[0]) * (1 - cia[1]) * (1 - cia[2]);
    double impact = changed ? 7.52 * (iss - 0.029) - 3.25 * pow(iss - 0.02, 15) : 6.42 * iss;
    double expl = 8.22 * av * ac * pr * ui;
    if (impact <= 0) *score = 0;
    else if (changed) *score = roundup1(fmin(1.08 * (impact + expl), 10));
    else *score = roundup1(fmin(impact + expl, 10));
    return 0;
}

severity osv_score_severity(double score)
{
    if (score >= 9.0) return SEV_CRITICAL;
    if (score >= 7.0) return SEV_HIGH;
    if (score >= 4.0) return SEV_MEDIUM;
    if (score > 0) return SEV_LOW;
    return SEV_NONE;
}

/* ---- index building ------------------------------------------------------- */

/* Append s with tabs, newlines and control characters made spaces. */
static void put_clean(buf *b, const char *s, size_t max)
{
    size_t n = 0;
    int space = 0;
    for (const unsigned char *p = (const unsigned char *)s; *p && n < max; p++) {
        if (*p < 0x20 || *p == 0x7f) {
            if (!space && n) buf_putc(b, ' '), n++;
            space = 1;
            continue;
        }
        if (*p == ' ' && space) continue;
        space = *p == ' ';
        /* do not cut a UTF-8 sequence at the cap */
        if (n + 4 >= max && *p >= 0xc0) break;
        buf_putc(b, (char)*p);
        n++;
    }
    while (b->len && b->data[b->len - 1] == ' ') b->len--, b->data[b->len] = 0;
}

static int safe_token(const char *s)
{
    if (!*s || strlen(s) >= OSV_MAX_TOKEN) return 0;
    for (const char *p = s; *p; p++)
        if (isspace((unsigned char)*p) || *p == ',' || *p == ';' || *p == '=' ||
            (unsigned char)*p < 0x20)
            return 0;
    return 1;
}

static const char *jstr(json_t *o, const char *k)
{
    json_t *v = json_object_get(o, k);
    return json_is_string(v) ? json_string_value(v) : NULL;
}

/* First sentence of the details, for records without a summary. */
static void put_summary(buf *b, json_t *rec)
{
    const char *s = jstr(rec, "summary");
    if (s && *s) {
        put_clean(b, s, OSV_SUMMARY_MAX);
        return;
    }
    s = jstr(rec, "details");
    if (!s) return;
    size_t n = 0;
    while (s[n] && n < OSV_SUMMARY_MAX) {
        if (s[n] == '.' && (s[n + 1] == ' ' || s[n + 1] == '\n' || !s[n + 1]) && n > 20) {
            n++;
            break;
        }
        if (s[n] == '\n' && s[n + 1] == '\n') break;
        n++;
    }
    int cut = s[n] && n >= OSV_SUMMARY_MAX;
    if (cut) /* end at a word */
        for (size_t k = n; k > n / 2; k--)
            if (s[k] == ' ') {
                n = k;
                break;
            }
    char *t = xstrndup(s, n);
    put_clean(b, t, OSV_SUMMARY_MAX);
    if (cut) buf_puts(b, "...");
    free(t);
}

typedef struct idx_builder {
    char **lines;
    size_t n, cap;
    diag_list *d;
} idx_builder;

static int record_to_lines(json_t *rec, const char *file, void *ud)
{
    idx_builder *ib = ud;
    const char *id = jstr(rec, "id");
    if (!id || !safe_token(id)) {
        diag_add(ib->d, DIAG_WARNING, file, 0, 0, "OSV record without a usable id: skipped");
        return 0;
    }
    if (json_object_get(rec, "withdrawn")) return 0;
    json_t *aff = json_object_get(rec, "affected");
    if (!json_is_array(aff)) return 0;

    buf common; /* aliases .. summary */
    buf_init(&common, 0);
    json_t *al = json_object_get(rec, "aliases");
    size_t i;
    json_t *x;
    int first = 1;
    json_array_foreach(al, i, x) {
        if (!json_is_string(x) || !safe_token(json_string_value(x))) continue;
        if (!first) buf_putc(&common, ',');
        buf_puts(&common, json_string_value(x));
        first = 0;
    }
    buf_putc(&common, '\t');
    const char *cvss = NULL;
    json_t *sev = json_object_get(rec, "severity");
    json_array_foreach(sev, i, x) {
        const char *t = jstr(x, "type"), *sc = jstr(x, "score");
        if (!t || !sc) continue;
        if (!strcmp(t, "CVSS_V3") || (!cvss && !strcmp(t, "CVSS_V4"))) cvss = sc;
    }
    double score = -1;
    if (cvss) {
        put_clean(&common, cvss, 160);
        if (osv_cvss3_score(cvss, &score)) score = -1;
    }
    buf_putc(&common, '\t');
    if (score >= 0) buf_printf(&common, "%.1f", score);
    buf_putc(&common, '\t');
    const char *dbsev = jstr(json_object_get(rec, "database_specific"), "severity");
    if (dbsev && safe_token(dbsev)) buf_puts(&common, dbsev);
    buf_putc(&common, '\t');
    put_summary(&common, rec);

    json_t *a;
    size_t ai;
    json_array_foreach(aff, ai, a) {
        json_t *pkg = json_object_get(a, "package");
        const char *eco = jstr(pkg, "ecosystem"), *name = jstr(pkg, "name");
        if (!eco || !name) continue;
        if (strcmp(eco, "PyPI") && strcmp(eco, "npm")) continue;
        char norm[256];
        osv_normalize_name(eco, name, norm, sizeof norm);
        if (!*norm || strpbrk(norm, "\t\n\r ")) continue;
        buf ranges;
        buf_init(&ranges, 0);
        json_t *r;
        size_t ri;
        json_array_foreach(json_object_get(a, "ranges"), ri, r) {
            const char *type = jstr(r, "type");
            if (!type || (strcmp(type, "ECOSYSTEM") && strcmp(type, "SEMVER"))) continue;
            buf one;
            buf_init(&one, 0);
            buf_printf(&one, "%c:", type[0]);
            json_t *e;
            size_t ei;
            int ok = 1, nev = 0;
            json_array_foreach(json_object_get(r, "events"), ei, e) {
                static const struct { const char *key; char kind; } kinds[] = {
                    {"introduced", 'i'}, {"fixed", 'f'}, {"last_affected", 'l'}, {"limit", 'x'}};
                for (size_t k = 0; k < 4; k++) {
                    const char *v = jstr(e, kinds[k].key);
                    if (!v) continue;
                    if (!safe_token(v)) ok = 0;
                    else buf_printf(&one, "%s%c=%s", nev++ ? "," : "", kinds[k].kind, v);
                }
            }
            if (ok && nev && nev <= OSV_MAX_EVENTS) {
                if (ranges.len) buf_putc(&ranges, ';');
                buf_append(&ranges, one.data, one.len);
            }
            buf_free(&one);
        }
        buf vers;
        buf_init(&vers, 0);
        const char *rs = ranges.data ? ranges.data : "";
        json_t *v;
        size_t vi;
        json_array_foreach(json_object_get(a, "versions"), vi, v) {
            const char *s = json_is_string(v) ? json_string_value(v) : NULL;
            if (!s || !safe_token(s)) continue;
            if (osv_affected(eco, rs, "", s)) continue; /* the ranges cover it */
            if (vers.len) buf_putc(&vers, ' ');
            buf_puts(&vers, s);
        }
        if (ranges.len || vers.len) {
            buf line;
            buf_init(&line, 0);
            buf_printf(&line, "%s\t%s\t%s\t%s\t%s\t%s", eco, norm, id,
                       common.data ? common.data : "", rs, vers.data ? vers.data : "");
            XGROW(ib->lines, ib->cap, ib->n + 1);
            ib->lines[ib->n++] = buf_detach(&line);
        }
        buf_free(&ranges);
        buf_free(&vers);
    }
    buf_free(&common);
    return 0;
}

vg_status osv_record_lines(json_t *rec, buf *out, diag_list *d)
{
    idx_builder ib = {NULL, 0, 0, d};
    record_to_lines(rec, "record", &ib);
    for (size_t i = 0; i < ib.n; i++) {
        buf_puts(out, ib.lines[i]);
        buf_putc(out, '\n');
        free(ib.lines[i]);
    }
    free(ib.lines);
    return VG_OK;
}

static int cmp_line(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* ---- reading databases ---------------------------------------------------- */

static int has_suffix(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcasecmp(s + n - m, suf);
}

static vg_status one_record(const char *text, size_t len, const char *file,
                            int (*fn)(json_t *, const char *, void *), void *ud, diag_list *d,
                            int *stop)
{
    json_t *rec;
    if (has_suffix(file, ".yaml") || has_suffix(file, ".yml")) {
        int line;
        char msg[160];
        rec = yaml_to_json(text, len, &line, msg, sizeof msg);
        if (!rec) {
            diag_add(d, DIAG_WARNING, file, line, 0, "%s", msg);
            return VG_OK;
        }
    } else {
        json_error_t e;
        rec = json_loadb(text, len, JSON_DECODE_ANY, &e);
        if (!rec) {
            diag_add(d, DIAG_WARNING, file, e.line > 0 ? e.line : 0, e.column > 0 ? e.column : 0,
                     "JSON: %s", e.text);
            return VG_OK;
        }
    }
    if (json_is_array(rec)) { /* a file holding a list of records */
        size_t i;
        json_t *x;
        json_array_foreach(rec, i, x) {
            if (json_is_object(x) && fn(x, file, ud)) {
                *stop = 1;
                break;
            }
        }
    } else if (json_is_object(rec)) {
        if (fn(rec, file, ud)) *stop = 1;
    }
    json_decref(rec);
    return VG_OK;
}

static vg_status read_file(const char *path, char **data, size_t *len, diag_list *d)
{
    vg_status rc = fs_read_all(path, OSV_MAX_RECORD, data, len);
    if (rc == VG_ERR_LIMIT)
        diag_add(d, DIAG_WARNING, path, 0, 0, "larger than 32 MiB: skipped");
    else if (rc)
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read: %s", fs_strerror(errno));
    return rc;
}

static vg_status each_in_zip(const char *path, int (*fn)(json_t *, const char *, void *),
                             void *ud, diag_list *d, int *stop)
{
    int err = 0;
    zip_t *z = zip_open(path, ZIP_RDONLY, &err);
    if (!z) {
        zip_error_t ze;
        zip_error_init_with_code(&ze, err);
        diag_add(d, DIAG_ERROR, path, 0, 0, "not a readable zip: %s", zip_error_strerror(&ze));
        zip_error_fini(&ze);
        return VG_ERR_IO;
    }
    zip_int64_t n = zip_get_num_entries(z, 0);
    for (zip_int64_t i = 0; i < n && !*stop; i++) {
        zip_stat_t st;
        if (zip_stat_index(z, (zip_uint64_t)i, 0, &st) || !st.name) continue;
        if (!has_suffix(st.name, ".json") && !has_suffix(st.name, ".yaml")) continue;
        char *where = xasprintf("%s!%s", path, st.name);
        if (!(st.valid & ZIP_STAT_SIZE) || st.size > OSV_MAX_RECORD) {
            diag_add(d, DIAG_WARNING, where, 0, 0, "record too large: skipped");
            free(where);
            continue;
        }
        zip_file_t *zf = zip_fopen_index(z, (zip_uint64_t)i, 0);
        char *text = xmalloc(st.size + 1);
        zip_int64_t got = zf ? zip_fread(zf, text, st.size) : -1;
        if (zf) zip_fclose(zf);
        if (got != (zip_int64_t)st.size) {
            diag_add(d, DIAG_WARNING, where, 0, 0, "cannot read the zip entry");
        } else {
            text[st.size] = 0;
            one_record(text, st.size, where, fn, ud, d, stop);
        }
        free(text);
        free(where);
    }
    zip_discard(z);
    return VG_OK;
}

static int cmp_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

/* Files of a database directory, sorted (records and zips). */
static void list_dir(const char *dir, int depth, char ***v, size_t *n, size_t *cap)
{
    if (depth > OSV_MAX_DEPTH) return;
    DIR *dp = opendir(dir);
    if (!dp) return;
    struct dirent *e;
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.') continue;
        char *p = xasprintf("%s/%s", dir, e->d_name);
        struct stat st;
        if (lstat(p, &st)) {
            free(p);
            continue;
        }
        if (S_ISDIR(st.st_mode)) {
            list_dir(p, depth + 1, v, n, cap);
            free(p);
        } else if (S_ISREG(st.st_mode) &&
                   (has_suffix(p, ".json") || has_suffix(p, ".yaml") || has_suffix(p, ".yml") ||
                    has_suffix(p, ".zip"))) {
            XGROW(*v, *cap, *n + 1);
            (*v)[(*n)++] = p;
        } else {
            free(p);
        }
    }
    closedir(dp);
}

vg_status osv_each_record(const char *path, int (*fn)(json_t *rec, const char *file, void *ud),
                          void *ud, diag_list *d)
{
    struct stat st;
    if (stat(path, &st)) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "OSV database not found: %s", strerror(errno));
        return VG_ERR_IO;
    }
    int stop = 0;
    if (!S_ISDIR(st.st_mode)) {
        if (has_suffix(path, ".zip")) return each_in_zip(path, fn, ud, d, &stop);
        char *text;
        size_t len;
        vg_status rc = read_file(path, &text, &len, d);
        if (rc) return rc == VG_ERR_LIMIT ? VG_OK : rc;
        one_record(text, len, path, fn, ud, d, &stop);
        free(text);
        return VG_OK;
    }
    char **files = NULL;
    size_t n = 0, cap = 0;
    list_dir(path, 0, &files, &n, &cap);
    if (n) qsort(files, n, sizeof *files, cmp_str);
    for (size_t i = 0; i < n; i++) {
        if (!stop) {
            if (has_suffix(files[i], ".zip")) {
                each_in_zip(files[i], fn, ud, d, &stop);
            } else {
                char *text;
                size_t len;
                if (!read_file(files[i], &text, &len, d)) {
                    one_record(text, len, files[i], fn, ud, d, &stop);
                    free(text);
                }
            }
        }
        free(files[i]);
    }
    free(files);
    return VG_OK;
}

vg_status osv_build_index(const char *path, buf *out, size_t *lines, diag_list *d)
{
    idx_builder ib = {NULL, 0, 0, d};
    vg_status rc = osv_each_record(path, record_to_lines, &ib, d);
    if (ib.n) qsort(ib.lines, ib.n, sizeof *ib.lines, cmp_line);
    for (size_t i = 0; i < ib.n; i++) {
        /* an advisory listing one package twice yields twice the same line */
        if (!(i && !strcmp(ib.lines[i], ib.lines[i - 1]))) {
            buf_puts(out, ib.lines[i]);
            buf_putc(out, '\n');
        }
    }
    for (size_t i = 0; i < ib.n; i++) free(ib.lines[i]);
    free(ib.lines);
    if (lines) *lines = ib.n;
    return rc;
}

/* ---- signature and cache -------------------------------------------------- */

int osv_cache_dir(char *dst, size_t n)
{
    char *c = fs_cache_dir();
    int k = c ? snprintf(dst, n, "%s", c) : -1;
    free(c);
    return k > 0 && (size_t)k < n ? 0 : -1;
}

int osv_default_dir(char *dst, size_t n)
{
    char c[4096];
    if (osv_cache_dir(c, sizeof c)) return -1;
    int k = snprintf(dst, n, "%s/osv", c);
    return k > 0 && (size_t)k < n ? 0 : -1;
}

/* Signature of a database: for a file its size and mtime; for a directory
 * the mtimes of its directories and the names of its record files (adding,
 * removing or replacing a record - as git and unzip do - changes them).
 * Uses d_type, so it costs one readdir per directory and no stat per file. */
static void sig_dir(const char *dir, int depth, uint64_t *h, size_t *count)
{
    if (depth > OSV_MAX_DEPTH) return;
    struct stat st;
    if (stat(dir, &st)) return;
    int64_t f[2] = {(int64_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
    *h = hash_fnv1a64_more(*h, dir, strlen(dir));
    *h = hash_fnv1a64_more(*h, f, sizeof f);
    DIR *dp = opendir(dir);
    if (!dp) return;
    struct dirent *e;
    uint64_t names = 0; /* order-independent sum of the names' hashes */
    while ((e = readdir(dp))) {
        if (e->d_name[0] == '.') continue;
        int isdir = e->d_type == DT_DIR, isreg = e->d_type == DT_REG;
        if (e->d_type == DT_UNKNOWN) {
            char *p = xasprintf("%s/%s", dir, e->d_name);
            if (!lstat(p, &st)) isdir = S_ISDIR(st.st_mode), isreg = S_ISREG(st.st_mode);
            free(p);
        }
        if (isdir) {
            char *p = xasprintf("%s/%s", dir, e->d_name);
            sig_dir(p, depth + 1, h, count);
            free(p);
        } else if (isreg && (has_suffix(e->d_name, ".json") || has_suffix(e->d_name, ".yaml") ||
                             has_suffix(e->d_name, ".yml") || has_suffix(e->d_name, ".zip"))) {
            names += hash_fnv1a64(e->d_name, strlen(e->d_name));
            (*count)++;
            if (has_suffix(e->d_name, ".zip")) { /* a zip is replaced in place: stat it */
                char *p = xasprintf("%s/%s", dir, e->d_name);
                if (!stat(p, &st)) {
                    int64_t z[3] = {(int64_t)st.st_size, (int64_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
                    names += hash_fnv1a64(z, sizeof z);
                }
                free(p);
            }
        }
    }
    closedir(dp);
    *h = hash_fnv1a64_more(*h, &names, sizeof names);
}

static uint64_t signature(const char *path, size_t *count)
{
    struct stat st;
    uint64_t h = HASH_FNV_INIT;
    *count = 0;
    if (stat(path, &st)) return 0;
    if (!S_ISDIR(st.st_mode)) {
        int64_t f[3] = {(int64_t)st.st_size, (int64_t)st.st_mtim.tv_sec, st.st_mtim.tv_nsec};
        *count = 1;
        return hash_fnv1a64_more(h, f, sizeof f);
    }
    sig_dir(path, 0, &h, count);
    return h;
}

/* ---- loading -------------------------------------------------------------- */

static vg_status index_load(osv_db *db, diag_list *d)
{
    if (db->len < strlen(OSV_MAGIC) || memcmp(db->data, OSV_MAGIC, strlen(OSV_MAGIC))) {
        diag_add(d, DIAG_ERROR, db->label, 1, 0, "not a vibeguard OSV index");
        return VG_ERR_PARSE;
    }
    size_t cap = 0;
    const char *p = memchr(db->data, '\n', db->len);
    size_t off = p ? (size_t)(p - db->data) + 1 : db->len;
    while (off < db->len) {
        const char *nl = memchr(db->data + off, '\n', db->len - off);
        size_t end = nl ? (size_t)(nl - db->data) : db->len;
        if (end > off) {
            XGROW(db->line, cap, db->nline + 1);
            db->line[db->nline++] = off;
        }
        off = end + 1;
    }
    return VG_OK;
}

vg_status osv_open_index(const char *data, size_t len, const char *label, osv_db **out,
                         diag_list *d)
{
    osv_db *db = xcalloc(1, sizeof *db);
    db->data = xmalloc(len + 1);
    memcpy(db->data, data, len);
    db->data[len] = 0;
    db->len = len;
    db->label = xstrdup(label);
    vg_status rc = index_load(db, d);
    if (rc) {
        osv_close(db);
        *out = NULL;
        return rc;
    }
    *out = db;
    return VG_OK;
}

osv_db *osv_open_builtin(void)
{
    osv_db *db = xcalloc(1, sizeof *db);
    db->data = (char *)EMBED_DATA(osv_pypi_vgidx);
    db->len = EMBED_SIZE(osv_pypi_vgidx);
    db->builtin = 1;
    /* label: the header's third field */
    const char *h = db->data, *nl = memchr(h, '\n', db->len);
    const char *t2 = NULL;
    if (nl) {
        const char *t1 = memchr(h, '\t', (size_t)(nl - h));
        if (t1) t2 = memchr(t1 + 1, '\t', (size_t)(nl - t1 - 1));
    }
    db->label = t2 ? xasprintf("built-in %.*s", (int)(nl - t2 - 1), t2 + 1)
                   : xstrdup("built-in advisory snapshot");
    diag_list tmp = {0};
    index_load(db, &tmp);
    diag_free(&tmp);
    return db;
}

static int dir_has_records(const char *dir)
{
    char **files = NULL;
    size_t n = 0, cap = 0;
    list_dir(dir, 0, &files, &n, &cap);
    for (size_t i = 0; i < n; i++) free(files[i]);
    free(files);
    return n > 0;
}

vg_status osv_open(const char *path, osv_db **out, diag_list *d)
{
    *out = NULL;
    char defdir[4096];
    if (!path || !*path) {
        const char *env = getenv("VIBEGUARD_OSV_DB");
        if (env && *env) path = env;
        else if (!osv_default_dir(defdir, sizeof defdir) && dir_has_records(defdir)) path = defdir;
        else {
            *out = osv_open_builtin();
            return VG_OK;
        }
    }
    size_t nfiles;
    struct stat st;
    if (stat(path, &st)) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "OSV database not found: %s", strerror(errno));
        return VG_ERR_IO;
    }
    uint64_t sig = signature(path, &nfiles);
    char sigtext[64];
    snprintf(sigtext, sizeof sigtext, "%zu:%016llx", nfiles, (unsigned long long)sig);

    /* where the index lives: the cache directory only, never beside the
     * user's database (a checkout, a read-only mount in CI), and never read
     * from there (a file planted beside it would be trusted as the index) */
    char *cached = NULL;
    char cdir[4096];
    if (!osv_cache_dir(cdir, sizeof cdir)) {
        char absp[4096];
        const char *key = realpath(path, absp) ? absp : path;
        cached = xasprintf("%s/index-%016llx.vgidx", cdir,
                           (unsigned long long)hash_fnv1a64(key, strlen(key)));
    }
    const char *cands[1] = {cached};
    for (int k = 0; k < 1; k++) {
        if (!cands[k]) continue;
        diag_list quiet = {0};
        char *text;
        size_t len;
        if (access(cands[k], R_OK) || read_file(cands[k], &text, &len, &quiet)) {
            diag_free(&quiet);
            continue;
        }
        diag_free(&quiet);
        size_t hl = strlen(OSV_MAGIC);
        if (len > hl && !memcmp(text, OSV_MAGIC, hl) && !strncmp(text + hl, sigtext, strlen(sigtext)) &&
            text[hl + strlen(sigtext)] == '\t') {
            osv_db *db = xcalloc(1, sizeof *db);
            db->data = text;
            db->len = len;
            db->label = xstrdup(path);
            index_load(db, d);
            *out = db;
            free(cached);
            return VG_OK;
        }
        free(text);
    }
    /* (re)build */
    buf b;
    buf_init(&b, 0);
    buf_printf(&b, "%s%s\t%s\n", OSV_MAGIC, sigtext, path);
    size_t nlines = 0;
    vg_status rc = osv_build_index(path, &b, &nlines, d);
    if (rc) {
        buf_free(&b);
        free(cached);
        return rc;
    }
    int written = 0;
    if (cached) {
        fs_mkdirs(cdir, 0755);
        if (!fs_write_atomic(cached, b.data, b.len, 0644, "cannot save the index", NULL))
            written = 1;
    }
    if (!written)
        diag_add(d, DIAG_NOTE, path, 0, 0,
                 "could not save the OSV index in the cache directory: it will be rebuilt "
                 "next time");
    osv_db *db = xcalloc(1, sizeof *db);
    db->len = b.len;
    db->data = buf_detach(&b);
    db->label = xstrdup(path);
    index_load(db, d);
    *out = db;
    free(cached);
    return VG_OK;
}

void osv_close(osv_db *db)
{
    if (!db) return;
    if (!db->builtin) free(db->data);
    free(db->line);
    free(db->label);
    free(db);
}

const char *osv_label(const osv_db *db) { return db->label; }
int osv_is_builtin(const osv_db *db) { return db->builtin; }
size_t osv_count(const osv_db *db) { return db->nline; }

static size_t lower_bound(const osv_db *db, const char *key, size_t kl);

size_t osv_count_eco(const osv_db *db, const char *eco)
{
    char key[32];
    int kl = snprintf(key, sizeof key, "%s\t", eco);
    if (kl <= 0 || (size_t)kl >= sizeof key) return 0;
    size_t lo = lower_bound(db, key, (size_t)kl), n = 0;
    while (lo + n < db->nline && db->len - db->line[lo + n] >= (size_t)kl &&
           !memcmp(db->data + db->line[lo + n], key, (size_t)kl))
        n++;
    return n;
}

int osv_data_date(const osv_db *db, char *out, size_t n)
{
    if (n < 11) return -1;
    /* the built-in snapshot says its date in its label ("... snapshot 2024-10-10 ...") */
    for (const char *p = db->label; db->builtin && *p; p++)
        if (isdigit((unsigned char)p[0]) && strlen(p) >= 10 && p[4] == '-' && p[7] == '-' &&
            isdigit((unsigned char)p[5]) && isdigit((unsigned char)p[8]) &&
            isdigit((unsigned char)p[9])) {
            memcpy(out, p, 10);
            out[10] = 0;
            return 0;
        }
    struct stat st;
    if (db->builtin || stat(db->label, &st)) return -1;
    struct tm tm;
    if (!gmtime_r(&st.st_mtime, &tm) || !strftime(out, n, "%Y-%m-%d", &tm)) return -1;
    return 0;
}

/* ---- queries -------------------------------------------------------------- */

/* First line index whose "eco\tname\t" prefix is >= key. */
static size_t lower_bound(const osv_db *db, const char *key, size_t kl)
{
    size_t lo = 0, hi = db->nline;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        const char *l = db->data + db->line[mid];
        size_t avail = db->len - db->line[mid];
        int c = strncmp(l, key, kl < avail ? kl : avail);
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return lo;
}

#define NFIELD 10

/* Split one index line into fields (copied into `store`). */
static int split_line(const osv_db *db, size_t i, char **f, char **store)
{
    const char *l = db->data + db->line[i];
    const char *nl = memchr(l, '\n', db->len - db->line[i]);
    size_t n = nl ? (size_t)(nl - l) : db->len - db->line[i];
    char *s = xstrndup(l, n);
    *store = s;
    int k = 0;
    f[k++] = s;
    for (char *p = s; *p && k < NFIELD; p++)
        if (*p == '\t') {
            *p = 0;
            f[k++] = p + 1;
        }
    return k == NFIELD;
}

typedef struct pkg_lines {
    char **store;
    char *(*f)[NFIELD];
    size_t n;
} pkg_lines;

static void pkg_lines_get(const osv_db *db, const char *eco, const char *norm, pkg_lines *pl)
{
    char key[512];
    int kl = snprintf(key, sizeof key, "%s\t%s\t", eco, norm);
    memset(pl, 0, sizeof *pl);
    if (kl <= 0 || (size_t)kl >= sizeof key) return;
    size_t i = lower_bound(db, key, (size_t)kl);
    size_t j = i;
    while (j < db->nline && db->len - db->line[j] >= (size_t)kl &&
           !strncmp(db->data + db->line[j], key, (size_t)kl))
        j++;
    if (j == i) return;
    pl->store = xcalloc(j - i, sizeof *pl->store);
    pl->f = xcalloc(j - i, sizeof *pl->f);
    for (size_t k = i; k < j; k++) {
        if (split_line(db, k, pl->f[pl->n], &pl->store[pl->n])) pl->n++;
        else free(pl->store[pl->n]);
    }
}

static void pkg_lines_free(pkg_lines *pl)
{
    for (size_t i = 0; i < pl->n; i++) free(pl->store[i]);
    free(pl->store);
    free(pl->f);
}

int osv_has_package(const osv_db *db, const char *eco, const char *name)
{
    char norm[256], key[512];
    osv_normalize_name(eco, name, norm, sizeof norm);
    int kl = snprintf(key, sizeof key, "%s\t%s\t", eco, norm);
    if (kl <= 0 || (size_t)kl >= sizeof key) return 0;
    size_t i = lower_bound(db, key, (size_t)kl);
    return i < db->nline && !strncmp(db->data + db->line[i], key, (size_t)kl);
}

/* Fixed versions named in an encoded range list, appended to `b` (comma-sep). */
static void fixed_of(const char *ranges, buf *b)
{
    const char *p = ranges;
    while (*p) {
        size_t n = strcspn(p, ";");
        event ev[OSV_MAX_EVENTS];
        int k = n > 2 ? parse_events(p + 2, n - 2, ev, OSV_MAX_EVENTS) : 0;
        for (int i = 0; i < k; i++)
            if (ev[i].kind == 'f') {
                if (b->len) buf_putc(b, ',');
                buf_puts(b, ev[i].ver);
            }
        p += n;
        if (*p) p++;
    }
}

/* ids NULL: the advisories whose ranges cover version; else those named in
 * ids (comma-separated), whatever their ranges say. */
static vg_status query(const osv_db *db, const char *eco, const char *name, const char *version,
                       const char *ids, osv_result *r)
{
    memset(r, 0, sizeof *r);
    char norm[256];
    osv_normalize_name(eco, name, norm, sizeof norm);
    pkg_lines pl;
    pkg_lines_get(db, eco, norm, &pl);
    if (!pl.n) return VG_OK;
    size_t cap = 0;
    pver qv;
    pver_parse(eco, version, &qv);
    for (size_t i = 0; i < pl.n; i++) {
        char **f = pl.f[i];
        if (ids ? !osv_id_listed(ids, f[2]) : !affected_parsed(eco, f[8], f[9], &qv)) continue;
        int dup = 0;
        for (size_t k = 0; k < r->n; k++)
            if (!strcmp(r->v[k].id, f[2])) dup = 1;
        if (dup) continue;
        XGROW(r->v, cap, r->n + 1);
        osv_adv *a = &r->v[r->n++];
        memset(a, 0, sizeof *a);
        a->id = xstrdup(f[2]);
        a->aliases = xstrdup(f[3]);
        a->cvss = xstrdup(f[4]);
        a->score = *f[5] ? strtod(f[5], NULL) : -1;
        a->sev = a->score >= 0 ? osv_score_severity(a->score) : SEV_NONE;
        if (a->sev == SEV_NONE && *f[6]) {
            a->sev = !strcasecmp(f[6], "MODERATE") ? SEV_MEDIUM : severity_parse(f[6]);
            if (a->sev == SEV_NONE) {
                char low[32];
                osv_normalize_name("npm", f[6], low, sizeof low);
                a->sev = severity_parse(low);
            }
        }
        a->summary = xstrdup(f[7]);
        a->malicious = !strncmp(f[2], "MAL-", 4);
        a->source = OSV_SRC_OFFLINE;
        buf b;
        buf_init(&b, 0);
        fixed_of(f[8], &b);
        a->fixed = buf_detach(&b);
    }
    if (r->n) {
        /* the smallest fixed version above `version` that nothing affects:
         * candidates in ascending order, the first clean one wins */
        buf all;
        buf_init(&all, 0);
        for (size_t i = 0; i < pl.n; i++) fixed_of(pl.f[i][8], &all);
        size_t nc = 0, cc = 0;
        pver *cand = NULL;
        char *save = NULL;
        for (char *tok = all.data ? strtok_r(all.data, ",", &save) : NULL; tok;
             tok = strtok_r(NULL, ",", &save)) {
            XGROW(cand, cc, nc + 1);
            pver_parse(eco, tok, &cand[nc]);
            if (pver_cmp(&cand[nc], &qv) > 0) nc++;
        }
        for (size_t i = 1; i < nc; i++) /* insertion sort, few dozen at most */
            for (size_t j = i; j > 0 && pver_cmp(&cand[j - 1], &cand[j]) > 0; j--) {
                pver t = cand[j];
                cand[j] = cand[j - 1];
                cand[j - 1] = t;
            }
        for (size_t i = 0; i < nc && !r->fix; i++) {
            if (i && pver_cmp(&cand[i], &cand[i - 1]) == 0) continue;
            int hit = 0;
            for (size_t k = 0; k < pl.n && !hit; k++)
                hit = affected_parsed(eco, pl.f[k][8], pl.f[k][9], &cand[i]);
            if (!hit) r->fix = xstrdup(cand[i].text);
        }
        free(cand);
        buf_free(&all);
    }
    pkg_lines_free(&pl);
    return VG_OK;
}

vg_status osv_query(const osv_db *db, const char *eco, const char *name, const char *version,
                    osv_result *r)
{
    return query(db, eco, name, version, NULL, r);
}

vg_status osv_query_ids(const osv_db *db, const char *eco, const char *name, const char *version,
                        const char *ids, osv_result *r)
{
    return query(db, eco, name, version, ids, r);
}

int osv_id_listed(const char *list, const char *id)
{
    size_t n = strlen(id);
    for (const char *p = list; p && *p;) {
        size_t k = strcspn(p, ",");
        if (k == n && !strncasecmp(p, id, n)) return 1;
        p += k + (p[k] == ',');
    }
    return 0;
}

void osv_result_free(osv_result *r)
{
    for (size_t i = 0; i < r->n; i++) {
        osv_adv *a = &r->v[i];
        free(a->id);
        free(a->aliases);
        free(a->summary);
        free(a->cvss);
        free(a->fixed);
    }
    free(r->v);
    free(r->fix);
    memset(r, 0, sizeof *r);
}
