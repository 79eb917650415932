/* gitlab.c - GitLab's security report formats and JUnit XML, for the
 * merge-request widget, the vulnerability report and the test report.
 *
 * gitlab-sast:     {"version", "scan": {"type": "sast", analyzer, scanner,
 *                  start_time, end_time, status}, "vulnerabilities": [{id,
 *                  name, description, severity, solution, identifiers,
 *                  location: {file, start_line, end_line}}]}: every finding
 *                  but the secrets;
 * gitlab-secrets:  the same with "type": "secret_detection" and the secret
 *                  findings, each location with its commit (the history's,
 *                  or "0000000" for the working tree, as gitleaks writes);
 * junit:           one <testcase> per finding, failed, in a <testsuite> per
 *                  analyzer; a clean run is one passing case.
 * Written from GitLab's security report schema documentation (version
 * 15.x: identifiers carry type/name/value, severity is capitalised, ids
 * are UUID-shaped and stable: here derived from the finding's
 * fingerprint).  Secrets stay masked: no raw value is written.
 */
#include "report.h"
#include "report_int.h"
#include "../core/hash.h"
#include "../fmt/jsonw.h"

#include <inttypes.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#define GITLAB_SCHEMA_VERSION "15.0.7"

static int is_secret(const finding *f)
{
    return f->rule->analyzer && !strcmp(f->rule->analyzer, "secrets");
}

static const char *gl_severity(severity s)
{
    switch (s) {
    case SEV_CRITICAL: return "Critical";
    case SEV_HIGH: return "High";
    case SEV_MEDIUM: return "Medium";
    case SEV_LOW: return "Low";
    default: return "Unknown";
    }
}

static void tool(jsonw *w, const char *key, const report_ctx *c)
{
    jsonw_key(w, key);
    jsonw_obj(w);
    jsonw_kstr(w, "id", "vibeguard");
    jsonw_kstr(w, "name", "vibeguard");
    jsonw_kstr(w, "version", c->version ? c->version : "0");
    jsonw_key(w, "vendor");
    jsonw_obj(w);
    jsonw_kstr(w, "name", "vibeguard");
    jsonw_end(w);
    jsonw_end(w);
}

/* A stable UUID-shaped id: the fingerprint, then a hash of it with the
 * path and line (two findings of one fingerprint in a file differ). */
static void gl_id(char *out, size_t n, const finding *f)
{
    uint64_t a = f->fingerprint;
    uint64_t b = hash_fnv1a64_more(hash_fnv1a64(&a, sizeof a), f->path, strlen(f->path));
    b = hash_fnv1a64_more(b, &f->line, sizeof f->line);
    snprintf(out, n, "%08" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%04" PRIx64 "-%012" PRIx64,
             a >> 32, (a >> 16) & 0xffff, a & 0xffff, b >> 48, b & (uint64_t)0xffffffffffff);
}

static void vulnerability(jsonw *w, const finding *f, int secrets)
{
    char id[48];
    gl_id(id, sizeof id, f);
    jsonw_obj(w);
    jsonw_kstr(w, "id", id);
    jsonw_kstr(w, "name", f->rule->title ? f->rule->title : f->rule->id);
    jsonw_kstr(w, "description", f->message && *f->message ? f->message : f->rule->description);
    jsonw_kstr(w, "severity", gl_severity(f->severity));
    jsonw_kstr(w, "solution", f->fix ? f->fix : f->rule->fix ? f->rule->fix : "");
    jsonw_key(w, "identifiers");
    jsonw_arr(w);
    jsonw_obj(w);
    jsonw_kstr(w, "type", "vibeguard_rule_id");
    jsonw_kstr(w, "name", f->rule->id);
    jsonw_kstr(w, "value", f->rule->id);
    jsonw_end(w);
    for (int i = 0; i < RULE_MAX_CWE && f->rule->cwe[i]; i++) {
        char name[32], val[16], url[80];
        snprintf(name, sizeof name, "CWE-%d", f->rule->cwe[i]);
        snprintf(val, sizeof val, "%d", f->rule->cwe[i]);
        snprintf(url, sizeof url, "https://cwe.mitre.org/data/definitions/%d.html", f->rule->cwe[i]);
        jsonw_obj(w);
        jsonw_kstr(w, "type", "cwe");
        jsonw_kstr(w, "name", name);
        jsonw_kstr(w, "value", val);
        jsonw_kstr(w, "url", url);
        jsonw_end(w);
    }
    jsonw_end(w);
    jsonw_key(w, "location");
    jsonw_obj(w);
    const char *p = f->path;
    while (p[0] == '.' && p[1] == '/') p += 2;
    jsonw_kstr(w, "file", p);
    jsonw_kint(w, "start_line", f->line > 0 ? f->line : 1);
    jsonw_kint(w, "end_line", f->end_line >= f->line && f->end_line > 0 ? f->end_line : f->line > 0 ? f->line : 1);
    if (secrets) {
        jsonw_key(w, "commit");
        jsonw_obj(w);
        jsonw_kstr(w, "sha", f->commit ? f->commit : "0000000");
        if (f->author) jsonw_kstr(w, "author", f->author);
        if (f->date) jsonw_kstr(w, "date", f->date);
        jsonw_end(w);
    }
    jsonw_end(w);
    jsonw_end(w);
}

static vg_status gitlab(const report_ctx *c, buf *out, int secrets)
{
    char now[32];
    time_t t = time(NULL);
    struct tm tm;
    strftime(now, sizeof now, "%Y-%m-%dT%H:%M:%S", gmtime_r(&t, &tm));
    jsonw w;
    jsonw_init(&w, out, 1);
    jsonw_obj(&w);
    jsonw_kstr(&w, "version", GITLAB_SCHEMA_VERSION);
    jsonw_key(&w, "scan");
    jsonw_obj(&w);
    tool(&w, "analyzer", c);
    tool(&w, "scanner", c);
    jsonw_kstr(&w, "type", secrets ? "secret_detection" : "sast");
    jsonw_kstr(&w, "start_time", now);
    jsonw_kstr(&w, "end_time", now);
    jsonw_kstr(&w, "status", "success");
    jsonw_end(&w);
    jsonw_key(&w, "vulnerabilities");
    jsonw_arr(&w);
    for (size_t i = 0; i < c->n; i++)
        if (is_secret(c->v[i]) == secrets) vulnerability(&w, c->v[i], secrets);
    jsonw_end(&w);
    jsonw_end(&w);
    return jsonw_finish(&w);
}

vg_status report_gitlab_sast(const report_ctx *c, buf *out) { return gitlab(c, out, 0); }
vg_status report_gitlab_secrets(const report_ctx *c, buf *out) { return gitlab(c, out, 1); }

/* ---- JUnit XML --------------------------------------------------------------- */

/* XML 1.0 text: the five entities escaped, control characters (which XML
 * 1.0 cannot carry) as U+FFFD, invalid UTF-8 as report_visible makes it. */
static void xml(buf *b, const char *s)
{
    buf v;
    buf_init(&v, 0);
    report_visible(&v, s ? s : "", s ? strlen(s) : 0);
    for (size_t i = 0; i < v.len; i++) {
        unsigned char ch = (unsigned char)v.data[i];
        switch (ch) {
        case '&': buf_puts(b, "&amp;"); break;
        case '<': buf_puts(b, "&lt;"); break;
        case '>': buf_puts(b, "&gt;"); break;
        case '"': buf_puts(b, "&quot;"); break;
        case '\'': buf_puts(b, "&apos;"); break;
        default:
            if (ch < 0x20 && ch != '\n' && ch != '\t') buf_puts(b, "\xEF\xBF\xBD");
            else buf_putc(b, (char)ch);
        }
    }
    buf_free(&v);
}

vg_status report_junit(const report_ctx *c, buf *b)
{
    static const char *const groups[] = {"python", "taint", "secrets", "pii", "unicode", "deps", NULL};
    size_t total = c->n;
    buf_puts(b, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    buf_printf(b, "<testsuites name=\"vibeguard\" tests=\"%zu\" failures=\"%zu\">\n", total ? total : 1, total);
    if (!total) {
        buf_puts(b, "  <testsuite name=\"vibeguard\" tests=\"1\" failures=\"0\" errors=\"0\">\n"
                    "    <testcase classname=\"vibeguard\" name=\"scan: no findings\"/>\n"
                    "  </testsuite>\n</testsuites>\n");
        return VG_OK;
    }
    for (int g = 0; g <= 6; g++) { /* groups[6] == NULL: every other analyzer */
        size_t n = 0;
        for (size_t i = 0; i < c->n; i++) {
            const char *a = c->v[i]->rule->analyzer;
            int in = groups[g] ? a && !strcmp(a, groups[g]) : 1;
            for (int k = 0; !groups[g] && k < 6; k++) in &= !(a && !strcmp(a, groups[k]));
            n += in;
        }
        if (!n) continue;
        buf_printf(b, "  <testsuite name=\"vibeguard.%s\" tests=\"%zu\" failures=\"%zu\" errors=\"0\">\n",
                   groups[g] ? groups[g] : "other", n, n);
        for (size_t i = 0; i < c->n; i++) {
            const finding *f = c->v[i];
            const char *a = f->rule->analyzer;
            int in = groups[g] ? a && !strcmp(a, groups[g]) : 1;
            for (int k = 0; !groups[g] && k < 6; k++) in &= !(a && !strcmp(a, groups[k]));
            if (!in) continue;
            buf_puts(b, "    <testcase classname=\"");
            xml(b, f->path);
            buf_puts(b, "\" name=\"");
            xml(b, f->rule->id);
            buf_printf(b, " at line %d\" file=\"", f->line);
            xml(b, f->path);
            buf_printf(b, "\" line=\"%d\">\n      <failure type=\"%s\" message=\"", f->line,
                       severity_str(f->severity));
            xml(b, f->message && *f->message ? f->message : f->rule->title);
            buf_puts(b, "\">");
            xml(b, f->path);
            buf_printf(b, ":%d:%d: %s [%s, %s]\n", f->line, f->col, f->rule->id,
                       severity_str(f->severity), f->tier == TIER_REVIEW ? "review" : "issue");
            if (f->snippet) xml(b, f->snippet);
            buf_puts(b, "\nfix: ");
            xml(b, f->fix ? f->fix : f->rule->fix ? f->rule->fix : "-");
            buf_puts(b, "</failure>\n    </testcase>\n");
        }
        buf_puts(b, "  </testsuite>\n");
    }
    buf_puts(b, "</testsuites>\n");
    return VG_OK;
}
