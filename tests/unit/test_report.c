/* test_report.c - reporters and the filtering pipeline on synthetic
 * findings: text (layout, visible control and bidi characters), JSON and
 * SARIF (parsed back with jansson; hostile bytes in paths and snippets),
 * HTML escaping, select/ignore, per-file ignores, thresholds, baseline
 * round trip with duplicates, globs, the atomic writer.
 *
 * With --write-sarif FILE it only writes a rich synthetic SARIF report to
 * FILE (tests/cli/sarif.sh validates it against the 2.1.0 schema). */
#include "t.h"
#include "core/buf.h"
#include "core/glob.h"
#include "core/fsutil.h"
#include "core/xalloc.h"
#include "report/report.h"

#include <jansson.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

static const rule_meta r_sql = {
    .id = "B608", .title = "SQL built from strings", .severity = SEV_MEDIUM,
    .confidence = CONF_LOW, .cwe = {89}, .owasp = "A03:2021", .analyzer = "python",
    .description = "SQL assembled with string formatting", .fix = "Use query parameters.",
    .references = "https://cwe.mitre.org/data/definitions/89.html https://example.org/b"};
static const rule_meta r_shell = {
    .id = "B602", .title = "subprocess with shell=True", .severity = SEV_HIGH,
    .confidence = CONF_HIGH, .cwe = {78}, .owasp = "A03:2021", .analyzer = "python",
    .fix = "Pass a list and drop shell=True."};
static const rule_meta r_eval = {
    .id = "B307", .title = "eval", .severity = SEV_MEDIUM, .confidence = CONF_HIGH,
    .cwe = {95, 94}, .owasp = "A03:2021", .analyzer = "python"};
static const rule_meta r_aws = {
    .id = "secret:aws-access-token", .title = "AWS access key id", .severity = SEV_CRITICAL,
    .confidence = CONF_HIGH, .cwe = {798}, .owasp = "A07:2021", .analyzer = "secrets"};
static const rule_meta r_bidi = {
    .id = "unicode:bidi", .title = "bidi control \"quoted\" <b>", .severity = SEV_HIGH,
    .confidence = CONF_HIGH, .cwe = {1007}, .analyzer = "unicode"};

static const char py_src[] =
    "import subprocess\n"
    "q = \"SELECT * FROM t WHERE id = '%s'\" % uid\n"
    "subprocess.call(cmd, shell=True)\n"
    "x = eval(data)  # nosec B307\n"
    "s = \"\x1b[2J\xe2\x80\xae evil \xff\"\n"
    "y = eval(data)\n";

static vg_file mkfile(const char *path, const char *text)
{
    vg_file f = {0};
    f.path = path;
    f.data = (const unsigned char *)text;
    f.len = strlen(text);
    return f;
}

/* A scan's worth of synthetic findings. */
static void populate(vg_out *out, vg_file *py, vg_file *txt)
{
    out_add(out, py, "B608", 2, 5, 2, 40, "SQL built with %% formatting");
    finding *f = out_add(out, py, "B602", 3, 1, 3, 33, "shell=True with a \"request\" value");
    finding_add_step(f, "app.py", 1, 1, "request.args['cmd'] (source)");
    finding_add_step(f, NULL, 3, 17, "cmd reaches subprocess.call (sink)");
    finding_set_prop(f, "sink", "subprocess.call");
    out_add(out, py, "B307", 4, 5, 4, 15, "eval of data");             /* suppressed */
    out_add(out, py, "unicode:bidi", 5, 12, 5, 13, "RIGHT-TO-LEFT OVERRIDE (U+202E)");
    out_add(out, py, "B307", 6, 5, 6, 15, "eval of data");
    const char *t = (const char *)txt->data;
    const char *k = strstr(t, "AKIA");
    f = out_add_span(out, txt, "secret:aws-access-token", (size_t)(k - t), (size_t)(k - t) + 20,
                     "AWS access key id");
    finding_mask(f, txt, (size_t)(k - t), (size_t)(k - t) + 20);
    f->commit = xstrdup("0123abcd");
    f->author = xstrdup("Dev <dev@example.org>");
    f->date = xstrdup("2024-01-02T03:04:05Z");
    findings_sort(out->v, out->n);
}

static json_t *parse(const char *s)
{
    json_error_t err;
    json_t *j = json_loads(s, 0, &err);
    CHECK_MSG(j != NULL, "%s at %d:%d", err.text, err.line, err.column);
    return j;
}

static const char *jstr(json_t *o, const char *k) { return json_string_value(json_object_get(o, k)); }

static void test_visible(void)
{
    buf b;
    buf_init(&b, 0);
    const char s[] = "a\x1b[31m\tb\xe2\x80\xae" "c\xff\xc2\x85\xe2\x80\x8b\xf3\xa0\x80\x81\xc3\xa9\x7f";
    report_visible(&b, s, sizeof s - 1);
    CHECK_STR(b.data, "a\\x1b[31m\tb<U+202E>c\\xff<U+0085><U+200B><U+E0001>\xc3\xa9\\x7f");
    buf_free(&b);
}

static void test_glob(void)
{
    CHECK(glob_covers("tests/**", "tests/a/b.py"));
    CHECK(glob_covers("tests/", "tests/a/b.py"));
    CHECK(glob_covers("tests", "tests/a/b.py"));
    CHECK(glob_covers("tests", "src/tests/b.py"));
    CHECK(!glob_covers("tests", "src/mytests/b.py"));
    CHECK(glob_covers("*.py", "a/b/c.py"));
    CHECK(!glob_covers("*.py", "a/b/c.pyc"));
    CHECK(glob_covers("src/*.py", "src/c.py"));
    CHECK(!glob_covers("src/*.py", "src/x/c.py"));
    CHECK(glob_covers("src/**/c.py", "src/c.py"));
    CHECK(glob_covers("src/**/c.py", "src/x/y/c.py"));
    CHECK(glob_covers("**/test_*.py", "a/test_x.py"));
    CHECK(glob_covers("/app.py", "app.py"));
    CHECK(!glob_covers("/app.py", "sub/app.py"));
    CHECK(glob_covers("file[0-9].txt", "file7.txt"));
    CHECK(!glob_covers("file[!0-9].txt", "file7.txt"));
    CHECK(glob_covers("./a.py", "a.py"));
    CHECK(!glob_covers("", "a.py"));
    CHECK(!glob_covers("./", "a.py"));
    CHECK(!glob_covers("/", "a.py"));
    /* hostile: many stars must not explode */
    CHECK(!glob_covers("*a*a*a*a*a*a*a*a*a*a*a*a*b", "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"));
}

/* report_line_fn for test_diags: the line is its number in words. */
static int fake_line(void *ud, const char *path, int line, buf *text)
{
    (void)ud;
    if (strcmp(path, "a.py")) return -1;
    if (line == 2) buf_puts(text, "\tx = f(\x1b, y)");
    if (line == 3) for (int i = 0; i < 300; i++) buf_putc(text, i == 250 ? '(' : 'a');
    return line == 2 || line == 3 ? 0 : -1;
}

static void test_diags(void)
{
    diag_list d = {0};
    diag_add(&d, DIAG_ERROR, "a.py", 2, 8, "bad %s", "thing");
    diag_add(&d, DIAG_NOTE, "a.py", 2, 8, "below the level");
    diag_add(&d, DIAG_WARNING, NULL, 0, 0, "no file");
    diag_add(&d, DIAG_WARNING, "b\x1b.txt", 0, 0, "no line");
    diag_add(&d, DIAG_ERROR, "a.py", 3, 251, "long");
    buf b;
    buf_init(&b, 0);
    const report_diag_opts o = {.tool = "vg", .line = fake_line};
    report_diags(&d, DIAG_WARNING, &o, &b);
    const char *t = b.data ? b.data : "";
    /* the caret's padding repeats the tab; the control byte is shown as \x1b */
    const char *want = "a.py:2:8: error: bad thing\n    2 | \tx = f(\\x1b, y)\n      | \t      ^\n";
    CHECK(!strncmp(t, want, strlen(want)));
    CHECK(strstr(t, "below the level") == NULL);
    CHECK(strstr(t, "\nvg: warning: no file\n") != NULL);
    CHECK(strstr(t, "\nb\\x1b.txt: warning: no line\n") != NULL);
    const char *lg = strstr(t, "a.py:3:251: error: long\n");
    CHECK(lg != NULL);
    if (lg) { /* cut around the column, the caret under the bracket */
        const char *src = strchr(lg, '\n') + 1, *car = strchr(src, '\n') + 1;
        CHECK(!strncmp(src, "    3 | ...", 11) && strchr(src, '\n') - src < 200);
        const char *hat = strchr(car, '^');
        CHECK(hat && src[hat - car] == '(');
    }
    /* no options: heads only, no tool name */
    buf_clear(&b);
    report_diags(&d, DIAG_NOTE, NULL, &b);
    CHECK(strstr(b.data, "below the level") != NULL && strstr(b.data, " | ") == NULL);
    CHECK(strstr(b.data, "\nwarning: no file\n") != NULL);
    buf_free(&b);
    diag_free(&d);
}

static void test_text(finding *const *v, size_t n, const diag_list *d)
{
    scan_stats st = {.files = 2, .bytes = 300, .python_files = 1, .unreadable = 1};
    filter_counts fc = {.suppressed = 1, .baselined = 2};
    report_ctx c = {.v = v, .n = n, .diags = d, .stats = &st, .counts = &fc, .version = "9.9"};
    buf b;
    buf_init(&b, 0);
    report_text(&c, &b);
    const char *t = b.data;
    CHECK(strstr(t, ">> B608 SQL built from strings  severity: medium  confidence: low  CWE-89 A03:2021\n") != NULL);
    CHECK(strstr(t, ">> B307 eval  severity: medium  confidence: high  CWE-95 CWE-94 A03:2021\n") != NULL);
    CHECK(strstr(t, "   app.py:2:5  SQL built with % formatting\n") != NULL);
    CHECK(strstr(t, "   > 2 | q = \"SELECT") != NULL);
    CHECK(strstr(t, "     1 | import subprocess\n") != NULL);
    CHECK(strstr(t, "     3 | subprocess.call") != NULL);
    CHECK(strstr(t, "   fix: Use query parameters.\n") != NULL);
    CHECK(strstr(t, "   data flow:\n     1. app.py:1:1  request.args['cmd'] (source)\n     2. app.py:3:17  cmd reaches") != NULL);
    CHECK(strstr(t, "   commit 0123abcd  author Dev <dev@example.org>  date 2024-01-02T03:04:05Z\n") != NULL);
    /* control characters from the source are made visible, never raw */
    CHECK(strstr(t, "\\x1b[2J<U+202E> evil \\xff") != NULL);
    CHECK(strchr(t, '\x1b') == NULL);
    CHECK(strstr(t, "\xe2\x80\xae") == NULL);
    /* secrets masked */
    CHECK(strstr(t, "AKIA****") != NULL);
    CHECK(strstr(t, "IOSFODNN7") == NULL);
    /* grouped by file: each path header once */
    CHECK(strstr(t, "\napp.py\n") == NULL && !strncmp(t, "app.py\n", 7));
    CHECK(strstr(t, "\nconf/aws.txt\n") != NULL);
    /* summary and diags */
    CHECK(strstr(t, "-- 5 findings: 1 critical, 2 high, 2 medium, 0 low\n") != NULL);
    CHECK(strstr(t, "   by analyzer: python 3, secrets 1, unicode 1\n") != NULL);
    CHECK(strstr(t, "not reported: 1 suppressed inline, 2 in baseline") != NULL);
    CHECK(strstr(t, "   bad\\x1bname.py:3:4: warning: cannot read\n") != NULL);
    CHECK(strstr(t, "1 unreadable") != NULL);

    /* colour only when asked */
    buf_clear(&b);
    c.color = 1;
    report_text(&c, &b);
    CHECK(strstr(b.data, "\033[1;31mhigh\033[0m") != NULL);
    /* quiet: no summary */
    buf_clear(&b);
    c.color = 0;
    c.quiet = 1;
    report_text(&c, &b);
    CHECK(strstr(b.data, "-- 5 findings") == NULL);
    CHECK(strstr(b.data, ">> B602") != NULL);
    /* nothing found */
    buf_clear(&b);
    c.n = 0;
    c.quiet = 0;
    report_text(&c, &b);
    CHECK(strstr(b.data, "-- no findings\n") != NULL);
    buf_free(&b);
}

static void test_json(finding *const *v, size_t n, const diag_list *d)
{
    scan_stats st = {.files = 2, .bytes = 300, .python_files = 1, .seconds = 1.5};
    filter_counts fc = {.suppressed = 1};
    report_ctx c = {.v = v, .n = n, .diags = d, .stats = &st, .counts = &fc, .version = "9.9"};
    buf b;
    buf_init(&b, 0);
    CHECK(report_json(&c, &b) == VG_OK);
    json_t *j = parse(b.data);
    if (!j) return;
    CHECK_STR(jstr(j, "version"), "9.9");
    json_t *fs = json_object_get(j, "findings");
    CHECK_INT(json_array_size(fs), 5);
    json_t *f0 = json_array_get(fs, 0);
    CHECK_STR(jstr(f0, "rule_id"), "B608");
    CHECK_STR(jstr(f0, "title"), "SQL built from strings");
    CHECK_STR(jstr(f0, "severity"), "medium");
    CHECK_STR(jstr(f0, "confidence"), "low");
    CHECK_STR(jstr(f0, "owasp"), "A03:2021");
    CHECK_STR(jstr(f0, "analyzer"), "python");
    CHECK_STR(jstr(f0, "fix"), "Use query parameters.");
    CHECK_STR(jstr(f0, "path"), "app.py");
    CHECK_INT(json_integer_value(json_object_get(f0, "line")), 2);
    CHECK_INT(json_integer_value(json_object_get(f0, "column")), 5);
    CHECK_INT(json_integer_value(json_object_get(f0, "end_line")), 2);
    CHECK_INT(json_integer_value(json_object_get(f0, "end_column")), 40);
    CHECK_INT(json_integer_value(json_object_get(f0, "context_line")), 1);
    CHECK_INT(json_integer_value(json_array_get(json_object_get(f0, "cwe"), 0)), 89);
    CHECK_INT(strlen(jstr(f0, "fingerprint") ? jstr(f0, "fingerprint") : ""), 16);
    CHECK_STR(jstr(f0, "snippet"), "q = \"SELECT * FROM t WHERE id = '%s'\" % uid");
    json_t *f1 = json_array_get(fs, 1);
    CHECK_STR(jstr(f1, "rule_id"), "B602");
    CHECK_STR(jstr(f1, "message"), "shell=True with a \"request\" value");
    CHECK_INT(json_array_size(json_object_get(f1, "steps")), 2);
    CHECK_STR(jstr(json_array_get(json_object_get(f1, "steps"), 1), "path"), "app.py");
    CHECK_STR(jstr(json_object_get(f1, "props"), "sink"), "subprocess.call");
    /* hostile snippet: decodes to the original text, invalid byte replaced */
    json_t *f2 = json_array_get(fs, 2);
    CHECK_STR(jstr(f2, "rule_id"), "unicode:bidi");
    CHECK_STR(jstr(f2, "snippet"), "s = \"\x1b[2J\xe2\x80\xae evil \xef\xbf\xbd\"");
    CHECK(strstr(b.data, "\\u001b[2J\\u202e evil \\ufffd") != NULL);
    json_t *f4 = json_array_get(fs, 4);
    CHECK_STR(jstr(f4, "rule_id"), "secret:aws-access-token");
    CHECK_STR(jstr(f4, "commit"), "0123abcd");
    CHECK(strstr(jstr(f4, "snippet"), "AKIA****") != NULL);
    CHECK(strstr(b.data, "IOSFODNN7") == NULL);
    json_t *errs = json_object_get(j, "errors");
    CHECK_INT(json_array_size(errs), 1);
    CHECK_STR(jstr(json_array_get(errs, 0), "path"), "bad\x1bname.py");
    CHECK_STR(jstr(json_array_get(errs, 0), "level"), "warning");
    json_t *stats = json_object_get(j, "stats");
    CHECK_INT(json_integer_value(json_object_get(stats, "findings")), 5);
    CHECK_INT(json_integer_value(json_object_get(stats, "files")), 2);
    CHECK_INT(json_integer_value(json_object_get(stats, "suppressed")), 1);
    CHECK_INT(json_integer_value(json_object_get(json_object_get(stats, "by_severity"), "high")), 2);
    CHECK(json_object_get(stats, "seconds") == NULL); /* deterministic output */
    json_decref(j);
    /* same input, same bytes */
    buf b2;
    buf_init(&b2, 0);
    report_json(&c, &b2);
    CHECK_STR(b.data, b2.data);
    buf_free(&b2);
    buf_free(&b);
}

static void test_sarif(finding *const *v, size_t n, const diag_list *d)
{
    report_ctx c = {.v = v, .n = n, .diags = d, .version = "9.9", .src_root = "/src/my proj"};
    buf b;
    buf_init(&b, 0);
    CHECK(report_sarif(&c, &b) == VG_OK);
    json_t *j = parse(b.data);
    if (!j) return;
    CHECK_STR(jstr(j, "version"), "2.1.0");
    json_t *run = json_array_get(json_object_get(j, "runs"), 0);
    json_t *rules = json_object_get(json_object_get(json_object_get(run, "tool"), "driver"), "rules");
    CHECK_INT(json_array_size(rules), 5); /* B307 twice in results, once here */
    CHECK_STR(jstr(json_array_get(rules, 0), "id"), "B307");
    json_t *b307p = json_object_get(json_array_get(rules, 0), "properties");
    CHECK_STR(json_string_value(json_array_get(json_object_get(b307p, "tags"), 2)), "external/cwe/cwe-95");
    CHECK_STR(json_string_value(json_array_get(json_object_get(b307p, "tags"), 3)), "external/cwe/cwe-94");
    CHECK_STR(jstr(b307p, "security-severity"), "5.5");
    json_t *aws = json_array_get(rules, 3);
    CHECK_STR(jstr(aws, "id"), "secret:aws-access-token");
    CHECK_STR(jstr(json_object_get(aws, "properties"), "security-severity"), "9.5");
    CHECK_STR(jstr(json_object_get(aws, "defaultConfiguration"), "level"), "error");
    CHECK_STR(jstr(json_array_get(rules, 2), "helpUri"), "https://cwe.mitre.org/data/definitions/89.html");
    CHECK_STR(jstr(json_object_get(json_object_get(run, "originalUriBaseIds"), "%SRCROOT%"), "uri"),
              "file:///src/my%20proj/");
    json_t *res = json_object_get(run, "results");
    CHECK_INT(json_array_size(res), 5);
    json_t *r1 = json_array_get(res, 1); /* B602 */
    CHECK_STR(jstr(r1, "ruleId"), "B602");
    CHECK_INT(json_integer_value(json_object_get(r1, "ruleIndex")), 1);
    CHECK_STR(jstr(r1, "level"), "error");
    json_t *pl = json_object_get(json_array_get(json_object_get(r1, "locations"), 0), "physicalLocation");
    CHECK_STR(jstr(json_object_get(pl, "artifactLocation"), "uri"), "app.py");
    CHECK_STR(jstr(json_object_get(pl, "artifactLocation"), "uriBaseId"), "%SRCROOT%");
    CHECK_INT(json_integer_value(json_object_get(json_object_get(pl, "region"), "startLine")), 3);
    CHECK(json_object_get(json_object_get(r1, "partialFingerprints"), "vibeguard/v2") != NULL);
    json_t *tf = json_array_get(json_object_get(json_array_get(json_object_get(r1, "codeFlows"), 0), "threadFlows"), 0);
    CHECK_INT(json_array_size(json_object_get(tf, "locations")), 2);
    CHECK(json_object_get(json_array_get(res, 0), "codeFlows") == NULL);
    /* the path with a space and an escape byte is percent-encoded */
    json_t *notes = json_object_get(json_array_get(json_object_get(run, "invocations"), 0),
                                    "toolExecutionNotifications");
    CHECK_INT(json_array_size(notes), 1);
    CHECK(strstr(b.data, "bad%1Bname.py") != NULL);
    CHECK(strstr(b.data, "IOSFODNN7") == NULL);
    json_decref(j);
    buf_free(&b);
}

static void test_html(finding *const *v, size_t n, const diag_list *d)
{
    report_ctx c = {.v = v, .n = n, .diags = d, .version = "9.9"};
    buf b;
    buf_init(&b, 0);
    report_html(&c, &b);
    CHECK(strstr(b.data, "<!DOCTYPE html>") == b.data);
    CHECK(strstr(b.data, "bidi control &quot;quoted&quot; &lt;b&gt;") != NULL);
    CHECK(strstr(b.data, "<b>\"") == NULL);
    CHECK(strstr(b.data, "&lt;U+202E&gt;") != NULL);
    CHECK(strchr(b.data, '\x1b') == NULL);
    /* self-contained: the one inline script the policy names by hash, no
     * element that loads anything (links out to the rule references are
     * anchors, which load nothing) */
    const char *script = strstr(b.data, "<script>");
    CHECK(script != NULL && strstr(script + 1, "<script") == NULL);
    CHECK(strstr(b.data, "default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-") != NULL);
    CHECK(strstr(b.data, " src=") == NULL && strstr(b.data, "<link") == NULL);
    CHECK(strstr(b.data, "<a rel=\"noopener noreferrer\" href=\"https://example.org/b\">") != NULL);
    buf_free(&b);
}

static size_t count_rule(const vg_out *o, const char *id)
{
    size_t k = 0;
    for (size_t i = 0; i < o->n; i++) k += !strcmp(o->v[i]->rule->id, id);
    return k;
}

static void fresh(vg_out *out, vg_opts *o, vg_file *py, vg_file *txt)
{
    out_free(out);
    out_init(out, o);
    populate(out, py, txt);
}

static void test_filter(vg_opts *o, vg_file *py, vg_file *txt)
{
    vg_out out;
    out_init(&out, o);
    filter_counts fc;

    fresh(&out, o, py, txt);
    memset(&fc, 0, sizeof fc);
    report_filter(&out, o, NULL, NULL, NULL, &fc);
    CHECK_INT(out.n, 5);
    CHECK_INT(fc.suppressed, 1);

    str_list_add(&o->select, "B6");
    str_list_add(&o->select, "secret");
    fresh(&out, o, py, txt);
    memset(&fc, 0, sizeof fc);
    report_filter(&out, o, NULL, NULL, NULL, &fc);
    CHECK_INT(out.n, 3);
    CHECK_INT(fc.deselected, 2);
    CHECK_INT(count_rule(&out, "B602") + count_rule(&out, "B608"), 2);
    str_list_add(&o->ignore, "B608");
    fresh(&out, o, py, txt);
    memset(&fc, 0, sizeof fc);
    report_filter(&out, o, NULL, NULL, NULL, &fc);
    CHECK_INT(out.n, 2);
    str_list_free(&o->select);
    str_list_free(&o->ignore);

    /* per-file ignores */
    o->per_file_ignores = xcalloc(1, sizeof *o->per_file_ignores);
    o->n_per_file_ignores = 1;
    o->per_file_ignores[0].glob = xstrdup("conf/");
    str_list_add(&o->per_file_ignores[0].ids, "secret");
    fresh(&out, o, py, txt);
    memset(&fc, 0, sizeof fc);
    report_filter(&out, o, NULL, NULL, NULL, &fc);
    CHECK_INT(fc.path_ignored, 1);
    CHECK_INT(count_rule(&out, "secret:aws-access-token"), 0);
    free(o->per_file_ignores[0].glob);
    str_list_free(&o->per_file_ignores[0].ids);
    free(o->per_file_ignores);
    o->per_file_ignores = NULL;
    o->n_per_file_ignores = 0;

    /* a nested config's folder (conf/): its select replaces the root's
     * there only, its ignores add, its per-file globs are relative to it,
     * its threshold replaces the root's */
    o->subtrees = xcalloc(1, sizeof *o->subtrees);
    o->n_subtrees = 1;
    vg_subtree *t = &o->subtrees[0];
    t->dir = xstrdup("conf");
    t->has_select = 1;
    str_list_add(&t->select, "B");
    fresh(&out, o, py, txt);
    memset(&fc, 0, sizeof fc);
    report_filter(&out, o, NULL, NULL, NULL, &fc);
    CHECK_INT(out.n, 4);
    CHECK_INT(fc.deselected, 1);
    CHECK_INT(count_rule(&out, "secret:aws-access-token"), 0);
    t->has_select = 0;
    str_list_add(&o->ignore, "B307");
    str_list_add(&t->ignore, "B608"); /* app.py is outside conf/: kept */
    t->per_file_ignores = xcalloc(1, sizeof *t->per_file_ignores);
    t->n_per_file_ignores = 1;
    t->per_file_ignores[0].glob = xstrdup("/aws.txt");
    str_list_add(&t->per_file_ignores[0].ids, "secret");
    fresh(&out, o, py, txt);
    memset(&fc, 0, sizeof fc);
    report_filter(&out, o, NULL, NULL, NULL, &fc);
    CHECK_INT(count_rule(&out, "B608"), 1);
    CHECK_INT(count_rule(&out, "B307"), 0);
    CHECK_INT(fc.path_ignored, 1);
    free(t->per_file_ignores[0].glob);
    str_list_free(&t->per_file_ignores[0].ids);
    free(t->per_file_ignores);
    t->per_file_ignores = NULL;
    t->n_per_file_ignores = 0;
    str_list_free(&o->ignore);
    o->min_severity = SEV_CRITICAL;
    t->min_severity = SEV_LOW;
    fresh(&out, o, py, txt);
    memset(&fc, 0, sizeof fc);
    report_filter(&out, o, NULL, NULL, NULL, &fc);
    CHECK_INT(out.n, 1); /* the secret: conf/ keeps its own threshold */
    CHECK_INT(count_rule(&out, "secret:aws-access-token"), 1);
    o->min_severity = SEV_LOW;
    free(t->dir);
    str_list_free(&t->select);
    str_list_free(&t->ignore);
    free(o->subtrees);
    o->subtrees = NULL;
    o->n_subtrees = 0;

    /* thresholds */
    o->min_severity = SEV_HIGH;
    fresh(&out, o, py, txt);
    memset(&fc, 0, sizeof fc);
    report_filter(&out, o, NULL, NULL, NULL, &fc);
    CHECK_INT(out.n, 3);
    CHECK_INT(fc.below_threshold, 2);
    o->min_severity = SEV_LOW;
    o->min_confidence = CONF_MEDIUM;
    fresh(&out, o, py, txt);
    memset(&fc, 0, sizeof fc);
    report_filter(&out, o, NULL, NULL, NULL, &fc);
    CHECK_INT(count_rule(&out, "B608"), 0);
    o->min_confidence = CONF_LOW;

    /* changed lines */
    fresh(&out, o, py, txt);
    memset(&fc, 0, sizeof fc);
    report_filter(&out, o, NULL, NULL, NULL, &fc);
    out_free(&out);
    out_init(&out, o);

    /* baseline round trip: write, reload, nothing new; a duplicate is new */
    fresh(&out, o, py, txt);
    memset(&fc, 0, sizeof fc);
    report_filter(&out, o, NULL, NULL, NULL, &fc);
    buf b;
    buf_init(&b, 0);
    baseline_render(out.v, out.n, &b);
    char path[] = "/tmp/vg-test-baseline-XXXXXX";
    int fd = mkstemp(path);
    CHECK(fd >= 0);
    close(fd);
    diag_list d = {0};
    CHECK(fs_write_atomic(path, b.data, b.len, 0666, "cannot write output", &d) == VG_OK);
    buf_free(&b);
    baseline *bl = NULL;
    CHECK(baseline_load(path, &bl, &d) == VG_OK);
    CHECK_INT(bl ? baseline_size(bl) : 0, 5);
    fresh(&out, o, py, txt);
    vg_file py2 = *py; /* add a second copy of the eval on line 6 (same content) */
    py2.lines = NULL;
    out_add(&out, &py2, "B307", 6, 5, 6, 15, "eval of data");
    file_lines_free(&py2);
    findings_sort(out.v, out.n);
    memset(&fc, 0, sizeof fc);
    report_filter(&out, o, bl, NULL, NULL, &fc);
    CHECK_INT(fc.baselined, 5);
    CHECK_INT(out.n, 1);
    CHECK_INT(count_rule(&out, "B307"), 1);
    baseline_free(bl);
    unlink(path);
    /* malformed baselines name the file and line */
    FILE *fp = fopen(path, "w");
    fputs("{\"findings\": [\n  {\"fingerprint\": 12}\n]}\n", fp);
    fclose(fp);
    CHECK(baseline_load(path, &bl, &d) == VG_ERR_PARSE);
    fp = fopen(path, "w");
    fputs("{\"findings\": [\n  ,\n", fp);
    fclose(fp);
    CHECK(baseline_load(path, &bl, &d) == VG_ERR_PARSE);
    CHECK(d.n >= 2 && d.v[d.n - 1].line == 2);
    unlink(path);
    CHECK(baseline_load(path, &bl, &d) == VG_ERR_IO);
    diag_free(&d);

    /* the atomic writer leaves no temporary behind and fails cleanly */
    CHECK(fs_write_atomic("/nonexistent-dir/x.json", "x", 1, 0666, "cannot write output", &d) == VG_ERR_IO);
    CHECK(d.n == 1 && strstr(d.v[0].message, "cannot write") != NULL);
    diag_free(&d);
    out_free(&out);
}

static vg_file g_py, g_txt;
static const char txt_src[] = "# config\naws_key = AKIAIOSFODNN7ABCDEFG\n";

static int pred_line3(const void *ud, const char *path, int line)
{
    (void)ud;
    return !strcmp(path, "app.py") && line == 3;
}

int main(int argc, char **argv)
{
    registry_add(&r_sql);
    registry_add(&r_shell);
    registry_add(&r_eval);
    registry_add(&r_aws);
    registry_add(&r_bidi);
    registry_sort();
    vg_opts o;
    opts_init(&o);
    g_py = mkfile("app.py", py_src);
    g_txt = mkfile("conf/aws.txt", txt_src);
    vg_out out;
    out_init(&out, &o);
    populate(&out, &g_py, &g_txt);
    filter_counts fc = {0};
    report_filter(&out, &o, NULL, NULL, NULL, &fc);
    diag_list d = {0};
    diag_add(&d, DIAG_WARNING, "bad\x1bname.py", 3, 4, "cannot read");

    if (argc == 3 && !strcmp(argv[1], "--write-sarif")) {
        report_ctx c = {.v = out.v, .n = out.n, .diags = &d, .version = "9.9",
                        .src_root = "/src/my proj"};
        buf b;
        buf_init(&b, 0);
        int rc = report_sarif(&c, &b) || fs_write_atomic(argv[2], b.data, b.len, 0666, "cannot write output", &d);
        buf_free(&b);
        out_free(&out);
        diag_free(&d);
        file_lines_free(&g_py);
        file_lines_free(&g_txt);
        opts_free(&o);
        registry_free();
        return rc;
    }

    test_visible();
    test_glob();
    test_diags();
    test_text(out.v, out.n, &d);
    test_json(out.v, out.n, &d);
    test_sarif(out.v, out.n, &d);
    test_html(out.v, out.n, &d);

    /* changed-line predicate */
    vg_out o2;
    out_init(&o2, &o);
    populate(&o2, &g_py, &g_txt);
    memset(&fc, 0, sizeof fc);
    report_filter(&o2, &o, NULL, pred_line3, NULL, &fc);
    CHECK_INT(o2.n, 1);
    CHECK_INT(fc.outside_diff, 4);
    out_free(&o2);

    test_filter(&o, &g_py, &g_txt);
    CHECK_STR(report_security_severity(SEV_HIGH), "8.0");
    CHECK_INT(report_max_severity(out.v, out.n), SEV_CRITICAL);
    CHECK(report_format_known("sarif") && !report_format_known("xml"));

    out_free(&out);
    diag_free(&d);
    file_lines_free(&g_py);
    file_lines_free(&g_txt);
    opts_free(&o);
    registry_free();
    return T_DONE("test_report");
}
