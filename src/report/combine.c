/* combine.c - `vibeguard merge`: several JSON or SARIF reports (the shards
 * of one scan, or scans of several trees) into one.
 *
 * JSON: the findings of every input, an identical finding (same
 * fingerprint, rule, path, line, column and commit) kept once, sorted as
 * a scan sorts them (path, line, column, rule, message, commit,
 * fingerprint); the errors likewise; stats summed, except the finding
 * counts, which are recounted.  SARIF: one run per tool (by
 * tool.driver.name): rules joined by id and sorted, each result's
 * ruleIndex renumbered, results with the same partialFingerprints, rule
 * and first location kept once and sorted like the JSON findings,
 * invocations joined into one.  The merged report of N shards is the
 * unsharded report (tests/cli/shard.sh checks it).
 */
#include "report.h"

#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"

static const char *str_of(json_t *o, const char *k)
{
    const char *s = json_string_value(json_object_get(o, k));
    return s ? s : "";
}

static long long int_of(json_t *o, const char *k)
{
    return json_integer_value(json_object_get(o, k));
}

static int cmp_ll(long long a, long long b) { return a < b ? -1 : a > b; }

/* --- JSON reports ------------------------------------------------------------ */

static int cmp_finding(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c;
    if ((c = strcmp(str_of(x, "path"), str_of(y, "path")))) return c;
    if ((c = cmp_ll(int_of(x, "line"), int_of(y, "line")))) return c;
    if ((c = cmp_ll(int_of(x, "column"), int_of(y, "column")))) return c;
    if ((c = strcmp(str_of(x, "rule_id"), str_of(y, "rule_id")))) return c;
    if ((c = strcmp(str_of(x, "message"), str_of(y, "message")))) return c;
    if ((c = strcmp(str_of(x, "commit"), str_of(y, "commit")))) return c;
    return strcmp(str_of(x, "fingerprint"), str_of(y, "fingerprint"));
}

static int same_finding(json_t *x, json_t *y)
{
    return !strcmp(str_of(x, "fingerprint"), str_of(y, "fingerprint")) &&
           !strcmp(str_of(x, "rule_id"), str_of(y, "rule_id")) &&
           !strcmp(str_of(x, "path"), str_of(y, "path")) &&
           int_of(x, "line") == int_of(y, "line") && int_of(x, "column") == int_of(y, "column") &&
           !strcmp(str_of(x, "commit"), str_of(y, "commit"));
}

static int level_rank(const char *l)
{
    return !strcmp(l, "error") ? 2 : !strcmp(l, "warning") ? 1 : 0;
}

static int cmp_error(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c;
    if ((c = strcmp(str_of(x, "path"), str_of(y, "path")))) return c;
    if ((c = cmp_ll(int_of(x, "line"), int_of(y, "line")))) return c;
    if ((c = cmp_ll(int_of(x, "column"), int_of(y, "column")))) return c;
    if ((c = level_rank(str_of(x, "level")) - level_rank(str_of(y, "level")))) return c;
    return strcmp(str_of(x, "message"), str_of(y, "message"));
}

/* Every element of key `k` of every doc, sorted by cmp, equal ones once. */
static json_t *joined(json_t *const *docs, size_t n, const char *k,
                      int (*cmp)(const void *, const void *), int (*same)(json_t *, json_t *))
{
    size_t total = 0;
    for (size_t i = 0; i < n; i++) total += json_array_size(json_object_get(docs[i], k));
    json_t **v = xcalloc(total ? total : 1, sizeof *v);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *a = json_object_get(docs[i], k);
        for (size_t j = 0; j < json_array_size(a); j++) v[m++] = json_array_get(a, j);
    }
    if (m > 1) qsort(v, m, sizeof *v, cmp);
    json_t *out = json_array();
    for (size_t i = 0; i < m; i++) {
        if (i && (same ? same(v[i - 1], v[i]) : json_equal(v[i - 1], v[i]))) continue;
        json_array_append(out, v[i]);
    }
    free(v);
    return out;
}

static json_t *merge_json(json_t *const *docs, size_t n)
{
    json_t *out = json_object();
    json_object_set(out, "version", json_object_get(docs[0], "version"));
    json_t *fs = joined(docs, n, "findings", cmp_finding, same_finding);
    json_object_set_new(out, "findings", fs);
    json_object_set_new(out, "errors", joined(docs, n, "errors", cmp_error, NULL));
    json_t *stats = json_object();
    static const char *const sevs[] = {"critical", "high", "medium", "low"};
    json_t *by = json_object();
    for (size_t s = 0; s < sizeof sevs / sizeof *sevs; s++) {
        size_t c = 0;
        for (size_t i = 0; i < json_array_size(fs); i++)
            c += !strcmp(str_of(json_array_get(fs, i), "severity"), sevs[s]);
        json_object_set_new(by, sevs[s], json_integer((json_int_t)c));
    }
    json_object_set_new(stats, "findings", json_integer((json_int_t)json_array_size(fs)));
    json_object_set_new(stats, "by_severity", by);
    for (size_t i = 0; i < n; i++) { /* every other counter: the sum, in first-seen order */
        const char *k;
        json_t *v;
        json_object_foreach(json_object_get(docs[i], "stats"), k, v) {
            /* a shard's context files are the other shards' own: no sum */
            if (!json_is_integer(v) || !strcmp(k, "findings") || !strncmp(k, "context_", 8))
                continue;
            json_t *have = json_object_get(stats, k);
            json_int_t sum = json_integer_value(v) + (have ? json_integer_value(have) : 0);
            json_object_set_new(stats, k, json_integer(sum));
        }
    }
    json_object_set_new(out, "stats", stats);
    return out;
}

/* --- SARIF ------------------------------------------------------------------- */

static const char *tool_name(json_t *run)
{
    json_t *d = json_object_get(json_object_get(run, "tool"), "driver");
    return str_of(d, "name");
}

static json_t *first_loc(json_t *res)
{
    return json_object_get(json_array_get(json_object_get(res, "locations"), 0),
                           "physicalLocation");
}

/* Results and notifications by place: file, line, column. */
static int cmp_place(json_t *x, json_t *y)
{
    json_t *lx = first_loc(x), *ly = first_loc(y);
    json_t *rx = json_object_get(lx, "region"), *ry = json_object_get(ly, "region");
    int c;
    if ((c = strcmp(str_of(json_object_get(lx, "artifactLocation"), "uri"),
                    str_of(json_object_get(ly, "artifactLocation"), "uri"))))
        return c;
    if ((c = cmp_ll(int_of(rx, "startLine"), int_of(ry, "startLine")))) return c;
    if ((c = cmp_ll(int_of(rx, "startColumn"), int_of(ry, "startColumn")))) return c;
    return 0;
}

static int cmp_result(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c;
    if ((c = cmp_place(x, y))) return c;
    if ((c = strcmp(str_of(x, "ruleId"), str_of(y, "ruleId")))) return c;
    if ((c = strcmp(str_of(json_object_get(x, "message"), "text"),
                    str_of(json_object_get(y, "message"), "text"))))
        return c;
    char *fx = json_dumps(json_object_get(x, "partialFingerprints"), JSON_SORT_KEYS | JSON_COMPACT);
    char *fy = json_dumps(json_object_get(y, "partialFingerprints"), JSON_SORT_KEYS | JSON_COMPACT);
    c = strcmp(fx ? fx : "", fy ? fy : "");
    free(fx);
    free(fy);
    return c;
}

static int same_result(json_t *x, json_t *y)
{
    return !strcmp(str_of(x, "ruleId"), str_of(y, "ruleId")) &&
           json_equal(json_object_get(x, "partialFingerprints"),
                      json_object_get(y, "partialFingerprints")) &&
           json_equal(first_loc(x), first_loc(y));
}

/* Notifications as the scan sorts its diags: place, then level, then text. */
static int cmp_note(const void *a, const void *b)
{
    json_t *x = *(json_t *const *)a, *y = *(json_t *const *)b;
    int c;
    if ((c = cmp_place(x, y))) return c;
    if ((c = level_rank(str_of(x, "level")) - level_rank(str_of(y, "level")))) return c;
    return strcmp(str_of(json_object_get(x, "message"), "text"),
                  str_of(json_object_get(y, "message"), "text"));
}

static int cmp_rule(const void *a, const void *b)
{
    return strcmp(str_of(*(json_t *const *)a, "id"), str_of(*(json_t *const *)b, "id"));
}

/* One run from the runs of one tool. */
static json_t *merge_runs(json_t *const *runs, size_t n)
{
    json_t *out = json_deep_copy(runs[0]);
    json_t *driver = json_object_get(json_object_get(out, "tool"), "driver");
    /* rules: joined by id, sorted */
    json_t *rdocs = json_array();
    for (size_t i = 0; i < n; i++) {
        json_t *d = json_object_get(json_object_get(runs[i], "tool"), "driver");
        json_t *o = json_object();
        json_object_set(o, "rules", json_object_get(d, "rules"));
        json_array_append_new(rdocs, o);
    }
    json_t **rv = xcalloc(n, sizeof *rv);
    for (size_t i = 0; i < n; i++) rv[i] = json_array_get(rdocs, i);
    json_t *rules = joined(rv, n, "rules", cmp_rule, NULL);
    /* equal ids with different objects (two versions): the first stays */
    json_t *ur = json_array();
    for (size_t i = 0; i < json_array_size(rules); i++)
        if (!i || strcmp(str_of(json_array_get(rules, i - 1), "id"),
                         str_of(json_array_get(rules, i), "id")))
            json_array_append(ur, json_array_get(rules, i));
    json_decref(rules);
    if (driver) json_object_set(driver, "rules", ur);
    /* results: joined, ruleIndex renumbered */
    for (size_t i = 0; i < n; i++) rv[i] = runs[i];
    json_t *res = joined(rv, n, "results", cmp_result, same_result);
    json_t *fixed = json_array();
    for (size_t i = 0; i < json_array_size(res); i++) {
        json_t *r = json_deep_copy(json_array_get(res, i));
        const char *id = str_of(r, "ruleId");
        for (size_t k = 0; k < json_array_size(ur); k++)
            if (!strcmp(str_of(json_array_get(ur, k), "id"), id)) {
                if (json_object_get(r, "ruleIndex"))
                    json_object_set_new(r, "ruleIndex", json_integer((json_int_t)k));
                break;
            }
        json_array_append_new(fixed, r);
    }
    json_decref(res);
    json_object_set_new(out, "results", fixed);
    /* invocations: one, successful when every one was; notifications joined */
    json_t *inv = json_object();
    int ok = 1;
    json_t *ndocs = json_array(); /* {"n": notifications} per invocation, for joined */
    for (size_t i = 0; i < n; i++) {
        json_t *iv = json_object_get(runs[i], "invocations");
        for (size_t j = 0; j < json_array_size(iv); j++) {
            json_t *one = json_array_get(iv, j);
            if (json_is_false(json_object_get(one, "executionSuccessful"))) ok = 0;
            json_t *o = json_object();
            json_object_set(o, "n", json_object_get(one, "toolExecutionNotifications"));
            json_array_append_new(ndocs, o);
        }
    }
    size_t nn = json_array_size(ndocs);
    json_t **nv = xcalloc(nn ? nn : 1, sizeof *nv);
    for (size_t i = 0; i < nn; i++) nv[i] = json_array_get(ndocs, i);
    json_t *notes = joined(nv, nn, "n", cmp_note, NULL);
    free(nv);
    json_decref(ndocs);
    json_object_set_new(inv, "executionSuccessful", json_boolean(ok));
    json_object_set_new(inv, "toolExecutionNotifications", notes);
    json_t *invs = json_array();
    json_array_append_new(invs, inv);
    json_object_set_new(out, "invocations", invs);
    json_decref(ur);
    json_decref(rdocs);
    free(rv);
    return out;
}

static json_t *merge_sarif(json_t *const *docs, size_t n)
{
    json_t *out = json_object();
    json_t *schema = json_object_get(docs[0], "$schema");
    if (schema) json_object_set(out, "$schema", schema);
    json_object_set(out, "version", json_object_get(docs[0], "version"));
    size_t total = 0;
    for (size_t i = 0; i < n; i++) total += json_array_size(json_object_get(docs[i], "runs"));
    json_t **all = xcalloc(total ? total : 1, sizeof *all);
    char *done = xcalloc(total ? total : 1, 1);
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        json_t *r = json_object_get(docs[i], "runs");
        for (size_t j = 0; j < json_array_size(r); j++) all[m++] = json_array_get(r, j);
    }
    json_t *runs = json_array();
    json_t **group = xcalloc(m ? m : 1, sizeof *group);
    for (size_t i = 0; i < m; i++) { /* one run per tool, in first-seen order */
        if (done[i]) continue;
        size_t g = 0;
        for (size_t j = i; j < m; j++)
            if (!done[j] && !strcmp(tool_name(all[i]), tool_name(all[j]))) {
                group[g++] = all[j];
                done[j] = 1;
            }
        json_array_append_new(runs, merge_runs(group, g));
    }
    json_object_set_new(out, "runs", runs);
    free(group);
    free(done);
    free(all);
    return out;
}

/* --- the entry point ----------------------------------------------------------- */

vg_status report_merge(const char *const *paths, size_t n, const char **format, buf *out,
                       diag_list *d)
{
    if (n == 0) return VG_ERR_USAGE;
    json_t **docs = xcalloc(n, sizeof *docs);
    vg_status rc = VG_OK;
    int sarif = -1;
    for (size_t i = 0; i < n && !rc; i++) {
        json_error_t err;
        docs[i] = json_load_file(paths[i], 0, &err);
        if (!docs[i]) {
            diag_add(d, DIAG_ERROR, paths[i], err.line, err.column, "not a JSON report: %s",
                     err.text);
            rc = VG_ERR_PARSE;
            break;
        }
        int is_sarif = json_is_array(json_object_get(docs[i], "runs"));
        int is_json = json_is_array(json_object_get(docs[i], "findings"));
        if (!is_sarif && !is_json) {
            diag_add(d, DIAG_ERROR, paths[i], 0, 0,
                     "neither a vibeguard JSON report nor SARIF (no findings or runs)");
            rc = VG_ERR_PARSE;
        } else if (sarif >= 0 && sarif != is_sarif) {
            diag_add(d, DIAG_ERROR, paths[i], 0, 0,
                     "a %s report among %s ones: merge reports of one format",
                     is_sarif ? "SARIF" : "JSON", sarif ? "SARIF" : "JSON");
            rc = VG_ERR_USAGE;
        }
        sarif = is_sarif;
    }
    if (!rc) {
        json_t *m = sarif ? merge_sarif(docs, n) : merge_json(docs, n);
        char *s = json_dumps(m, JSON_INDENT(2) | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
        json_decref(m);
        if (!s) {
            rc = VG_ERR_NOMEM;
        } else {
            buf_puts(out, s);
            buf_putc(out, '\n');
            free(s);
        }
        *format = sarif ? "sarif" : "json";
    }
    for (size_t i = 0; i < n; i++) json_decref(docs[i]);
    free(docs);
    return rc;
}
