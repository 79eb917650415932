/* test_osv.c - OSV matching: the schema's range semantics, CVSS scores,
 * the fix suggestion, the built-in index, and - for every advisory of
 * ../shared/data/osv-pypa - every listed version matches and no fixed
 * version does (a T_SKIP_SHARED when the shared data is absent). */
#include "t.h"
#include "deps/osv.h"

#include <math.h>
#include <stdlib.h>
#include <sys/stat.h>

static int has_id(const osv_result *r, const char *id)
{
    for (size_t i = 0; i < r->n; i++)
        if (!strcmp(r->v[i].id, id)) return 1;
    return 0;
}

typedef struct every {
    int records, versions, fixed, contradictions;
} every;

/* Does the index line made for (name, id) from this record match version? */
static int line_matches(const char *lines, const char *norm, const char *version)
{
    int hit = 0;
    char *copy = strdup(lines), *save = NULL;
    for (char *l = strtok_r(copy, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
        char *f[10];
        int k = 0;
        f[k++] = l;
        for (char *p = l; *p && k < 10; p++)
            if (*p == '\t') *p = 0, f[k++] = p + 1;
        if (k == 10 && !strcmp(f[1], norm) && osv_affected(f[0], f[8], f[9], version)) hit = 1;
    }
    free(copy);
    return hit;
}

static int check_record(json_t *rec, const char *file, void *ud)
{
    every *e = ud;
    const char *id = json_string_value(json_object_get(rec, "id"));
    if (!id || json_object_get(rec, "withdrawn")) return 0;
    e->records++;
    buf lines;
    buf_init(&lines, 0);
    diag_list d = {0};
    osv_record_lines(rec, &lines, &d);
    diag_free(&d);
    size_t i, k;
    json_t *a, *x;
    json_array_foreach(json_object_get(rec, "affected"), i, a) {
        json_t *pkg = json_object_get(a, "package");
        const char *eco = json_string_value(json_object_get(pkg, "ecosystem"));
        const char *name = json_string_value(json_object_get(pkg, "name"));
        if (!eco || !name || strcmp(eco, "PyPI")) continue;
        char norm[256];
        osv_normalize_name(eco, name, norm, sizeof norm);
        json_array_foreach(json_object_get(a, "versions"), k, x) {
            CHECK_MSG(line_matches(lines.data ? lines.data : "", norm, json_string_value(x)),
                      "%s: %s %s not matched by %s", file, name, json_string_value(x), id);
            e->versions++;
        }
        json_t *rg;
        size_t ri;
        json_array_foreach(json_object_get(a, "ranges"), ri, rg) {
            const char *type = json_string_value(json_object_get(rg, "type"));
            if (!type || !strcmp(type, "GIT")) continue;
            json_t *ev;
            size_t ei;
            json_array_foreach(json_object_get(rg, "events"), ei, ev) {
                const char *fx = json_string_value(json_object_get(ev, "fixed"));
                if (!fx) continue;
                /* a few records list their own fixed version as affected
                 * (re-introduced at that version): the data wins there */
                int listed = 0;
                json_array_foreach(json_object_get(a, "versions"), k, x) {
                    if (json_is_string(x) && !strcmp(json_string_value(x), fx)) listed = 1;
                }
                if (listed) {
                    e->contradictions++;
                    continue;
                }
                CHECK_MSG(!line_matches(lines.data ? lines.data : "", norm, fx),
                          "%s: fixed version %s %s matched by %s", file, name, fx, id);
                e->fixed++;
            }
        }
    }
    buf_free(&lines);
    return 0;
}

static void every_advisory(void)
{
    char dir[512];
    snprintf(dir, sizeof dir, "%s/osv-pypa", t_shared_dir());
    struct stat st;
    if (stat(dir, &st)) {
        T_SKIP_SHARED("%s absent: the every-advisory test did not run", dir);
        return;
    }
    diag_list d = {0};
    every e = {0};
    CHECK_INT(osv_each_record(dir, check_record, &e, &d), VG_OK);
    CHECK_INT(d.n, 0);
    fprintf(stderr,
            "osv-pypa: %d records, %d listed versions, %d fixed versions checked "
            "(%d fixed versions skipped: the record also lists them as affected)\n",
            e.records, e.versions, e.fixed, e.contradictions);
    CHECK(e.records > 2000);
    diag_free(&d);
}

static void semantics(void)
{
    /* introduced 0 / fixed */
    CHECK(osv_affected("PyPI", "E:i=0,f=2.3.0", "", "2.2.9"));
    CHECK(!osv_affected("PyPI", "E:i=0,f=2.3.0", "", "2.3.0"));
    CHECK(!osv_affected("PyPI", "E:i=0,f=2.3.0", "", "3.0"));
    /* two windows, unsorted events */
    const char *two = "E:i=2.0,f=2.5,i=1.0,f=1.4";
    CHECK(osv_affected("PyPI", two, "", "1.2"));
    CHECK(!osv_affected("PyPI", two, "", "1.5"));
    CHECK(osv_affected("PyPI", two, "", "2.1"));
    CHECK(!osv_affected("PyPI", two, "", "0.9"));
    /* last_affected is inclusive */
    CHECK(osv_affected("PyPI", "E:i=1.0,l=1.2", "", "1.2"));
    CHECK(!osv_affected("PyPI", "E:i=1.0,l=1.2", "", "1.2.1"));
    /* limit */
    CHECK(!osv_affected("npm", "S:i=0,x=2.0.0", "", "2.0.0"));
    /* explicit versions, with PEP 440 equality */
    CHECK(osv_affected("PyPI", "", "0.12.01 5.0", "0.12.1"));
    CHECK(!osv_affected("PyPI", "", "0.12.01 5.0", "0.12.2"));
    /* several ranges: a later one still counts */
    CHECK(osv_affected("PyPI", "E:i=9,f=10;E:i=0,f=1.0", "", "0.5"));
    /* npm SEMVER */
    CHECK(osv_affected("npm", "S:i=4.0.0,f=4.17.21", "", "4.17.20"));
    CHECK(!osv_affected("npm", "S:i=4.0.0,f=4.17.21", "", "4.17.21"));
    CHECK(osv_affected("npm", "S:i=0", "", "1.0.0")); /* MAL- records: every version */

    char n[64];
    osv_normalize_name("PyPI", "Foo.Bar__baz", n, sizeof n);
    CHECK_STR(n, "foo-bar-baz");

    double s = 0;
    CHECK_INT(osv_cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H", &s), 0);
    CHECK(fabs(s - 9.8) < 1e-9);
    CHECK_INT(osv_cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:R/S:C/C:L/I:L/A:N", &s), 0);
    CHECK(fabs(s - 6.1) < 1e-9);
    CHECK_INT(osv_cvss3_score("CVSS:3.0/AV:N/AC:L/PR:N/UI:N/S:C/C:H/I:H/A:H", &s), 0);
    CHECK(fabs(s - 10.0) < 1e-9);
    CHECK_INT(osv_cvss3_score("CVSS:3.1/AV:L/AC:L/PR:L/UI:R/S:U/C:L/I:N/A:N", &s), 0);
    CHECK(fabs(s - 2.8) < 1e-9);
    CHECK_INT(osv_cvss3_score("CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:N/I:N/A:N", &s), 0);
    CHECK(s == 0);
    CHECK(osv_cvss3_score("CVSS:4.0/AV:N", &s) != 0);
    CHECK(osv_cvss3_score("garbage", &s) != 0);
    CHECK_INT(osv_score_severity(9.8), SEV_CRITICAL);
    CHECK_INT(osv_score_severity(6.1), SEV_MEDIUM);
}

static void fixture_db(void)
{
    diag_list d = {0};
    buf b;
    buf_init(&b, 0);
    buf_puts(&b, "#vibeguard-osv-index 1\ttest\tfixture\n");
    CHECK_INT(osv_build_index("tests/fixtures/deps/osv", &b, NULL, &d), VG_OK);
    CHECK_INT(d.n, 1); /* broken.json */
    osv_db *db = NULL;
    CHECK_INT(osv_open_index(b.data, b.len, "fixture", &db, &d), VG_OK);
    osv_result r;
    /* two advisories, the fix must clear both */
    osv_query(db, "PyPI", "Demo_Pkg", "1.0.0", &r);
    CHECK_INT(r.n, 2);
    CHECK_STR(r.fix, "1.2.0"); /* 1.1.0 still has PYSEC-0000-2 */
    CHECK(has_id(&r, "GHSA-demo-0001") && has_id(&r, "PYSEC-0000-2"));
    for (size_t i = 0; i < r.n; i++)
        if (!strcmp(r.v[i].id, "GHSA-demo-0001")) {
            CHECK_INT(r.v[i].sev, SEV_CRITICAL);
            CHECK_STR(r.v[i].aliases, "CVE-0000-0001");
            CHECK_STR(r.v[i].summary, "Demo package runs arbitrary code");
        }
    osv_result_free(&r);
    osv_query(db, "PyPI", "demo-pkg", "1.1.5", &r); /* only the second one */
    CHECK_INT(r.n, 1);
    CHECK_STR(r.fix, "1.2.0");
    osv_result_free(&r);
    osv_query(db, "PyPI", "demo-pkg", "1.2.0.post1", &r); /* re-introduced */
    CHECK_INT(r.n, 1);
    CHECK_STR(r.fix, "1.2.1");
    osv_result_free(&r);
    osv_query(db, "PyPI", "demo-pkg", "1.2.1", &r);
    CHECK_INT(r.n, 0);
    osv_result_free(&r);
    /* last_affected with no fix: no suggestion */
    osv_query(db, "PyPI", "stale", "0.3", &r);
    CHECK_INT(r.n, 1);
    CHECK(r.fix == NULL);
    CHECK_INT(r.v[0].sev, SEV_MEDIUM); /* database_specific MODERATE */
    osv_result_free(&r);
    /* GIT range ignored, ECOSYSTEM range after it still evaluated */
    osv_query(db, "PyPI", "gitpkg", "2.0", &r);
    CHECK_INT(r.n, 1);
    osv_result_free(&r);
    /* withdrawn advisories are left out */
    osv_query(db, "PyPI", "gone", "1.0", &r);
    CHECK_INT(r.n, 0);
    osv_result_free(&r);
    /* npm MAL- record */
    osv_query(db, "npm", "evil-pkg", "1.0.0", &r);
    CHECK_INT(r.n, 1);
    CHECK(r.n && r.v[0].malicious);
    osv_result_free(&r);
    CHECK(osv_has_package(db, "npm", "evil-pkg"));
    CHECK(!osv_has_package(db, "npm", "evil"));
    /* by id, as --online asks (the server decided they affect it): the
     * ranges are not asked, the fix is chosen as always */
    osv_query_ids(db, "PyPI", "demo-pkg", "1.2.1", "ghsa-DEMO-0001,NO-SUCH-1", &r);
    CHECK_INT(r.n, 1);
    CHECK(has_id(&r, "GHSA-demo-0001"));
    CHECK(r.n && r.v[0].source == OSV_SRC_OFFLINE);
    osv_result_free(&r);
    osv_query_ids(db, "PyPI", "demo-pkg", "1.0.0", "", &r);
    CHECK_INT(r.n, 0);
    osv_result_free(&r);
    CHECK(osv_id_listed("A-1,GHSA-x,B", "ghsa-X"));
    CHECK(!osv_id_listed("A-1,GHSA-xy", "GHSA-x"));
    CHECK(!osv_id_listed("", "A"));
    osv_close(db);
    buf_free(&b);
    diag_free(&d);
}

static void builtin(void)
{
    osv_db *db = osv_open_builtin();
    CHECK(osv_is_builtin(db));
    CHECK(osv_count(db) > 2000);
    CHECK(strstr(osv_label(db), "built-in") != NULL);
    osv_result r;
    osv_query(db, "PyPI", "Requests", "2.2.0", &r);
    CHECK(has_id(&r, "PYSEC-2014-13"));
    osv_result_free(&r);
    osv_query(db, "PyPI", "flask", "0.12.2", &r);
    CHECK(r.n >= 1);
    CHECK(r.fix != NULL);
    osv_result_free(&r);
    osv_close(db);
}

int main(void)
{
    semantics();
    fixture_db();
    builtin();
    every_advisory();
    return T_DONE("osv");
}
