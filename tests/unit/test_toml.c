/* test_toml.c - the TOML reader against the toml-test suite
 * (../shared/data/toml-test/tests), plus a few API and hostile-input cases.
 *
 * The suite carries two manifests, files-toml-1.0.0 and files-toml-1.1.0:
 * each listed case is decoded with the matching spec version (toml_parse
 * for 1.0, toml_parse_ex(..., 1, ...) for 1.1).  Valid cases must decode to
 * the expected typed JSON (floats compared numerically, nan with nan,
 * date-times after normalisation); invalid ones must fail with a diag that
 * carries a line and a column.  One CHECK per case; a listed case that
 * cannot be read is a failure, an absent suite a T_SKIP_SHARED. */
#include "t.h"

#include "fmt/toml.h"

#include <jansson.h>
#include <math.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

/* the suite's folder: <shared data>/toml-test/tests */
static char suite[400];

static char *slurp(const char *path, size_t *len)
{
    FILE *f = fopen(path, "rb");
    if (!f) return NULL;
    size_t cap = 4096, n = 0;
    char *s = malloc(cap);
    size_t r;
    while ((r = fread(s + n, 1, cap - n, f)) > 0) {
        n += r;
        if (n == cap) s = realloc(s, cap *= 2);
    }
    fclose(f);
    s[n] = 0;
    *len = n;
    return s;
}

/* Date-time text in a comparable form: upper case, 'T' separator, the
 * fraction without trailing zeros. */
static void norm_dt(const char *in, char *out, size_t cap)
{
    size_t j = 0;
    for (size_t i = 0; in[i] && j + 1 < cap; i++) {
        char c = in[i];
        if (c == 't' || (c == ' ' && i == 10)) c = 'T';
        if (c == 'z') c = 'Z';
        out[j++] = c;
    }
    out[j] = 0;
    char *dot = strchr(out, '.');
    if (dot) {
        char *e = dot + 1;
        while (*e >= '0' && *e <= '9') e++;
        char *z = e;
        while (z > dot + 1 && z[-1] == '0') z--;
        if (z == dot + 1) z = dot;
        memmove(z, e, strlen(e) + 1);
    }
}

static int same(const toml_value *v, json_t *j, char *why, size_t wcap);

/* jansson refuses NUL bytes in object keys; for such a file the expected
 * JSON is loaded with \u0000 rewritten to \u0001 and our strings are
 * compared through the same mapping. */
static int nul_mapped;

static int mapped_eq(const char *a, size_t alen, const char *b, size_t blen)
{
    if (alen != blen) return 0;
    for (size_t i = 0; i < alen; i++) {
        char x = a[i], y = b[i];
        if (nul_mapped && x == 0) x = 1;
        if (x != y) return 0;
    }
    return 1;
}

static json_t *json_getn_mapped(json_t *obj, const char *key, size_t len)
{
    if (!nul_mapped) return json_object_getn(obj, key, len);
    char *k = malloc(len + 1);
    for (size_t i = 0; i < len; i++) k[i] = key[i] ? key[i] : 1;
    json_t *r = json_object_getn(obj, k, len);
    free(k);
    return r;
}

static json_t *load_expected(const char *jpath, char *why, size_t wcap)
{
    json_error_t je;
    nul_mapped = 0;
    json_t *j = json_load_file(jpath, JSON_ALLOW_NUL, &je);
    if (j) return j;
    size_t len;
    char *txt = slurp(jpath, &len);
    if (txt && strstr(je.text, "NUL")) {
        for (char *p = txt; (p = strstr(p, "\\u0000")) != NULL; p += 6) {
            size_t bs = 0; /* an escaped backslash before it is not an escape */
            while (p - (ptrdiff_t)bs > txt && p[-1 - (ptrdiff_t)bs] == '\\') bs++;
            if (bs % 2 == 0) p[5] = '1';
        }
        nul_mapped = 1;
        j = json_loadb(txt, len, JSON_ALLOW_NUL, &je);
    }
    free(txt);
    if (!j) snprintf(why, wcap, "cannot read %s: %s", jpath, je.text);
    return j;
}

static int same_scalar(const toml_value *v, json_t *j, char *why, size_t wcap)
{
    const char *type = json_string_value(json_object_get(j, "type"));
    const char *val = json_string_value(json_object_get(j, "value"));
    if (!type || !val) {
        snprintf(why, wcap, "expected a typed scalar");
        return 0;
    }
    if (strcmp(type, toml_type_name(v->type)) != 0) {
        snprintf(why, wcap, "type %s, want %s", toml_type_name(v->type), type);
        return 0;
    }
    switch (v->type) {
    case TOML_STRING: {
        json_t *s = json_object_get(j, "value");
        if (!mapped_eq(v->u.str.s, v->u.str.len, json_string_value(s), json_string_length(s))) {
            snprintf(why, wcap, "string \"%s\", want \"%s\"", v->u.str.s, val);
            return 0;
        }
        return 1;
    }
    case TOML_INTEGER:
        if (strtoll(val, NULL, 10) != v->u.i) {
            snprintf(why, wcap, "integer %lld, want %s", (long long)v->u.i, val);
            return 0;
        }
        return 1;
    case TOML_FLOAT: {
        double want = strtod(val, NULL);
        if (isnan(want) ? isnan(v->u.f)
                        : (v->u.f == want || fabs(v->u.f - want) <= 1e-15 * fabs(want)))
            return 1;
        snprintf(why, wcap, "float %.17g, want %s", v->u.f, val);
        return 0;
    }
    case TOML_BOOL:
        if ((strcmp(val, "true") == 0) != (v->u.b != 0)) {
            snprintf(why, wcap, "bool %d, want %s", v->u.b, val);
            return 0;
        }
        return 1;
    default: {
        char a[128], b[128];
        norm_dt(v->u.str.s, a, sizeof a);
        norm_dt(val, b, sizeof b);
        if (strcmp(a, b) != 0) {
            snprintf(why, wcap, "date-time %s, want %s", v->u.str.s, val);
            return 0;
        }
        return 1;
    }
    }
}

static int same(const toml_value *v, json_t *j, char *why, size_t wcap)
{
    if (v->type == TOML_TABLE) {
        if (!json_is_object(j) || (json_object_size(j) == 2 &&
                                   json_is_string(json_object_get(j, "type")) &&
                                   json_object_get(j, "value"))) {
            snprintf(why, wcap, "got a table");
            return 0;
        }
        if (json_object_size(j) != v->u.table.n) {
            snprintf(why, wcap, "table has %zu keys, want %zu", v->u.table.n,
                     json_object_size(j));
            return 0;
        }
        for (size_t i = 0; i < v->u.table.n; i++) {
            json_t *c = json_getn_mapped(j, v->u.table.keys[i], toml_key_len(v, i));
            if (!c) {
                snprintf(why, wcap, "unexpected key \"%s\"", v->u.table.keys[i]);
                return 0;
            }
            if (!same(v->u.table.vals[i], c, why, wcap)) return 0;
        }
        return 1;
    }
    if (v->type == TOML_ARRAY) {
        if (!json_is_array(j) || json_array_size(j) != v->u.array.n) {
            snprintf(why, wcap, "array of %zu, want %s", v->u.array.n,
                     json_is_array(j) ? "another size" : "no array");
            return 0;
        }
        for (size_t i = 0; i < v->u.array.n; i++)
            if (!same(v->u.array.items[i], json_array_get(j, i), why, wcap)) return 0;
        return 1;
    }
    if (!json_is_object(j)) {
        snprintf(why, wcap, "got a %s, want a table or array", toml_type_name(v->type));
        return 0;
    }
    return same_scalar(v, j, why, wcap);
}

static void run_manifest(const char *manifest, int minor)
{
    char mpath[512];
    snprintf(mpath, sizeof mpath, "%s/%s", suite, manifest);
    FILE *m = fopen(mpath, "r");
    if (!m) {
        T_SKIP_SHARED("%s absent: its toml-test cases did not run", mpath);
        return;
    }
    char line[512];
    int vpass = 0, vtotal = 0, ipass = 0, itotal = 0;
    while (fgets(line, sizeof line, m)) {
        line[strcspn(line, "\r\n")] = 0;
        size_t ln = strlen(line);
        if (ln < 6 || strcmp(line + ln - 5, ".toml") != 0) continue;
        int valid = strncmp(line, "valid/", 6) == 0;
        char path[1024];
        snprintf(path, sizeof path, "%s/%s", suite, line);
        size_t len;
        char *src = slurp(path, &len);
        CHECK_MSG(src != NULL, "toml %s: %s listed but cannot be read", manifest + 11, path);
        if (!src) continue;
        diag_list d = {0};
        toml_value *v = NULL;
        vg_status rc = toml_parse_ex(src, len, line, minor, &v, &d);
        if (valid) {
            vtotal++;
            char why[1200] = "";
            int ok = 0;
            if (rc) {
                snprintf(why, sizeof why, "rejected: %d:%d: %s", d.n ? d.v[0].line : 0,
                         d.n ? d.v[0].col : 0, d.n ? d.v[0].message : "(no diag)");
            } else {
                char jpath[1024];
                snprintf(jpath, sizeof jpath, "%.*s.json", (int)(strlen(path) - 5), path);
                json_t *j = load_expected(jpath, why, sizeof why);
                if (j) ok = same(v, j, why, sizeof why);
                json_decref(j);
            }
            CHECK_MSG(ok, "toml %s: %s: %s", manifest + 11, line, why);
            vpass += ok;
        } else {
            itotal++;
            int ok = rc == VG_ERR_PARSE && v == NULL && d.n == 1 && d.v[0].line > 0 &&
                     d.v[0].col > 0 && d.v[0].message[0];
            CHECK_MSG(ok, "toml %s: %s: accepted (or no line:col diag)", manifest + 11, line);
            ipass += ok;
        }
        toml_free(v);
        diag_free(&d);
        free(src);
    }
    fclose(m);
    printf("toml-test %s: valid %d/%d, invalid %d/%d rejected\n", manifest + 11, vpass,
           vtotal, ipass, itotal);
}

static void api_cases(void)
{
    const char *doc = "title = \"x\"\n[tool.vibeguard]\nselect = [\"B6\", \"VG1\"]\n"
                      "fail-on = 'high'\njobs = 4\nquiet = true\n"
                      "[[tool.vibeguard.per-file-ignores]]\nglob = \"tests/*\"\n";
    toml_value *v = NULL;
    diag_list d = {0};
    CHECK_INT(toml_parse(doc, strlen(doc), "pyproject.toml", &v, &d), VG_OK);
    const toml_value *vg = toml_get_path(v, "tool.vibeguard");
    CHECK(vg && vg->type == TOML_TABLE);
    CHECK_STR(toml_get_string(vg, "fail-on"), "high");
    CHECK_INT(toml_get_int(vg, "jobs", 0), 4);
    CHECK_INT(toml_get_bool(vg, "quiet", 0), 1);
    CHECK_INT(toml_get_bool(vg, "missing", 7), 7);
    CHECK(toml_get_string(vg, "jobs") == NULL);
    CHECK(vg && vg->line == 2 && vg->col == 1);
    const toml_value *sel = toml_get(vg, "select");
    CHECK(sel && sel->type == TOML_ARRAY && sel->u.array.n == 2);
    CHECK(toml_get_path(v, "tool.nothing") == NULL);
    toml_free(v);

    /* errors name line and column */
    const char *bad = "a = 1\nb = \"unterminated\n";
    CHECK_INT(toml_parse(bad, strlen(bad), "x.toml", &v, &d), VG_ERR_PARSE);
    CHECK(v == NULL);
    CHECK(d.n == 1 && d.v[0].line == 2 && d.v[0].col == 18);
    CHECK(d.n == 1 && strcmp(d.v[0].path, "x.toml") == 0);
    diag_free(&d);

    /* deep nesting is an error, not a crash */
    size_t n = 100000;
    char *deep = malloc(n * 2 + 8);
    if (!deep) return;
    memcpy(deep, "a = ", 4);
    memset(deep + 4, '[', n);
    memset(deep + 4 + n, ']', n);
    deep[4 + 2 * n] = 0;
    CHECK_INT(toml_parse(deep, strlen(deep), "deep.toml", &v, &d), VG_ERR_PARSE);
    diag_free(&d);
    memset(deep + 4, '{', n);
    CHECK_INT(toml_parse(deep, 4 + n, "deep.toml", &v, &d), VG_ERR_PARSE);
    diag_free(&d);
    free(deep);

    /* a wide table stays fast (hash index) and keeps document order */
    size_t keys = 50000;
    char *wide = malloc(keys * 16);
    if (!wide) return;
    size_t off = 0;
    for (size_t i = 0; i < keys; i++) off += (size_t)sprintf(wide + off, "k%zu = %zu\n", i, i);
    CHECK_INT(toml_parse(wide, off, "wide.toml", &v, &d), VG_OK);
    CHECK(v && v->u.table.n == keys && strcmp(v->u.table.keys[123], "k123") == 0);
    CHECK_INT(toml_get_int(v, "k49999", -1), 49999);
    toml_free(v);
    memcpy(wide + off, "k7 = 1\n", 7);
    CHECK_INT(toml_parse(wide, off + 7, "wide.toml", &v, &d), VG_ERR_PARSE);
    CHECK(d.n == 1 && d.v[0].line == (int)keys + 1);
    diag_free(&d);
    free(wide);
}

int main(void)
{
    api_cases();
    snprintf(suite, sizeof suite, "%s/toml-test/tests", t_shared_dir());
    struct stat st;
    if (stat(suite, &st) != 0) {
        T_SKIP_SHARED("toml-test suite absent at %s (run from the repo root)", suite);
    } else {
        run_manifest("files-toml-1.0.0", 0);
        run_manifest("files-toml-1.1.0", 1);
    }
    return T_DONE("test_toml");
}
