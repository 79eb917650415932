/* sarif.c - SARIF 2.1.0 for code-scanning UIs (GitHub, GitLab, IDEs).
 *
 * Mapping (docs/output.md): one run; tool.driver.rules holds each rule that
 * has a result, sorted by id, with CWE tags `external/cwe/cwe-<n>` and a
 * `security-severity` score (the rule objects are rules.c's); results point
 * at URIs relative to the repository root under the %SRCROOT% base id
 * (whatever the working directory); every region has an endLine; each
 * result carries its own security-severity (a constant-command B602 is not
 * High because the rule is); the fingerprint goes to partialFingerprints,
 * also as primaryLocationLineHash ("<fingerprint>:<occurrence>", what
 * GitHub deduplicates alerts on); taint steps become a codeFlow; diags
 * become toolExecutionNotifications.
 * Columns count Unicode code points (columnKind unicodeCodePoints).
 */
#include "report.h"
#include "report_int.h"
#include "../core/xalloc.h"
#include "../fmt/jsonw.h"

#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Percent-encode a path for a URI reference, keeping '/' and unreserved. */
static void uri_encode(buf *b, const char *s)
{
    for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
        unsigned char c = *p;
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
            c == '-' || c == '.' || c == '_' || c == '~' || c == '/')
            buf_putc(b, (char)c);
        else buf_printf(b, "%%%02X", c);
    }
}

/* base + "/" + path with "." and ".." resolved, absolute when base is
 * ("/r/sub" + "../a.py" -> "/r/a.py"). */
static void join_norm(buf *out, const char *base, const char *path)
{
    char *segs[256];
    size_t n = 0;
    int abs = base && base[0] == '/';
    char *tmp = xasprintf("%s/%s", base ? base : "", path);
    for (char *save = NULL, *t = strtok_r(tmp, "/", &save); t; t = strtok_r(NULL, "/", &save)) {
        if (!strcmp(t, ".")) continue;
        if (!strcmp(t, "..") && n && strcmp(segs[n - 1], "..")) {
            n--;
            continue;
        }
        if (!strcmp(t, "..") && abs) continue; /* above "/" is "/" */
        if (n < sizeof segs / sizeof *segs) segs[n++] = t;
    }
    for (size_t i = 0; i < n; i++) {
        if (i || abs) buf_putc(out, '/');
        buf_puts(out, segs[i]);
    }
    free(tmp);
}

/* A finding's path as SARIF wants it: relative to %SRCROOT% (the
 * repository root) when it lies below it, else an absolute file: URI. */
static void artifact(jsonw *w, const report_ctx *c, const char *path)
{
    buf u, full;
    buf_init(&u, 0);
    buf_init(&full, 0);
    if (path[0] == '/') join_norm(&full, "/", path);
    else join_norm(&full, c->cwd ? c->cwd : c->src_root, path);
    const char *f = full.data ? full.data : "";
    size_t rl = c->src_root ? strlen(c->src_root) : 0;
    while (rl > 1 && c->src_root[rl - 1] == '/') rl--;
    int rel = f[0] != '/' || (rl && !strncmp(f, c->src_root, rl) && f[rl] == '/');
    if (!rel) {
        buf_puts(&u, "file://");
        uri_encode(&u, f);
    } else {
        uri_encode(&u, f[0] == '/' ? f + rl + 1 : f);
    }
    jsonw_key(w, "artifactLocation");
    jsonw_obj(w);
    jsonw_kstr(w, "uri", u.data ? u.data : "");
    if (rel && c->src_root) jsonw_kstr(w, "uriBaseId", "%SRCROOT%");
    jsonw_end(w);
    buf_free(&u);
    buf_free(&full);
}

static void location(jsonw *w, const report_ctx *c, const char *path, int line, int col,
                     int end_line, int end_col, const char *snippet, const char *message)
{
    jsonw_obj(w);
    jsonw_key(w, "physicalLocation");
    jsonw_obj(w);
    artifact(w, c, path);
    if (line > 0) {
        jsonw_key(w, "region");
        jsonw_obj(w);
        jsonw_kint(w, "startLine", line);
        if (col > 0) jsonw_kint(w, "startColumn", col);
        jsonw_kint(w, "endLine", end_line > line ? end_line : line);
        if (end_col > 0 && (end_line > line || end_col > col)) jsonw_kint(w, "endColumn", end_col);
        if (snippet && *snippet) {
            jsonw_key(w, "snippet");
            jsonw_obj(w);
            jsonw_kstr(w, "text", snippet);
            jsonw_end(w);
        }
        jsonw_end(w);
    }
    jsonw_end(w);
    if (message) {
        jsonw_key(w, "message");
        jsonw_obj(w);
        jsonw_kstr(w, "text", message);
        jsonw_end(w);
    }
    jsonw_end(w);
}

void report_sarif_text(jsonw *w, const char *key, const char *text)
{
    jsonw_key(w, key);
    jsonw_obj(w);
    jsonw_kstr(w, "text", text ? text : "");
    jsonw_end(w);
}

static int cmp_rule(const void *a, const void *b)
{
    return strcmp((*(const rule_meta *const *)a)->id, (*(const rule_meta *const *)b)->id);
}

/* How many results before v[i] share its fingerprint and file: GitHub's
 * primaryLocationLineHash counts occurrences from 1. */
static size_t occurrence(const report_ctx *c, size_t i)
{
    size_t k = 1;
    for (size_t j = 0; j < i; j++)
        k += c->v[j]->fingerprint == c->v[i]->fingerprint && !strcmp(c->v[j]->path, c->v[i]->path);
    return k;
}

static void result_json(jsonw *w, const report_ctx *c, const finding *f, size_t rule_index,
                        size_t occ)
{
    char fp[17], line_hash[48];
    snprintf(fp, sizeof fp, "%016" PRIx64, f->fingerprint);
    snprintf(line_hash, sizeof line_hash, "%s:%zu", fp, occ);
    jsonw_obj(w);
    jsonw_kstr(w, "ruleId", f->rule->id);
    jsonw_key(w, "ruleIndex");
    jsonw_uint(w, rule_index);
    if (f->tier == TIER_REVIEW) { /* SARIF 3.27.9: a kind other than fail has level none */
        jsonw_kstr(w, "kind", "review");
        jsonw_kstr(w, "level", "none");
    } else {
        jsonw_kstr(w, "level", report_sarif_level(f->severity));
    }
    report_sarif_text(w, "message", f->message && *f->message ? f->message : f->rule->title);
    jsonw_key(w, "locations");
    jsonw_arr(w);
    location(w, c, f->path, f->line, f->col, f->end_line, f->end_col, f->snippet, NULL);
    jsonw_end(w);
    jsonw_key(w, "partialFingerprints");
    jsonw_obj(w);
    jsonw_kstr(w, "vibeguard/v2", fp); /* v2: over the masked text */
    jsonw_kstr(w, "primaryLocationLineHash", line_hash);
    jsonw_end(w);
    if (f->nsteps) {
        jsonw_key(w, "codeFlows");
        jsonw_arr(w);
        jsonw_obj(w);
        jsonw_key(w, "threadFlows");
        jsonw_arr(w);
        jsonw_obj(w);
        jsonw_key(w, "locations");
        jsonw_arr(w);
        for (size_t i = 0; i < f->nsteps; i++) {
            const finding_step *st = &f->steps[i];
            jsonw_obj(w);
            jsonw_key(w, "location");
            location(w, c, st->path ? st->path : f->path, st->line, st->col, 0, 0, NULL,
                     st->message ? st->message : "");
            jsonw_end(w);
        }
        jsonw_end(w);
        jsonw_end(w);
        jsonw_end(w);
        jsonw_end(w);
        jsonw_end(w);
    }
    jsonw_key(w, "properties");
    jsonw_obj(w);
    jsonw_kstr(w, "severity", severity_str(f->severity));
    jsonw_kstr(w, "security-severity", report_security_severity(f->severity));
    jsonw_kstr(w, "confidence", confidence_str(f->confidence));
    jsonw_kstr(w, "tier", f->tier == TIER_REVIEW ? "review" : "issue");
    if (f->tier_why) jsonw_kstr(w, "tier_reason", f->tier_why);
    jsonw_kstr(w, "file_class", fclass_name(f->cls));
    if (f->nalso) {
        jsonw_key(w, "related_rules");
        jsonw_arr(w);
        for (size_t i = 0; i < f->nalso; i++) jsonw_str(w, f->also[i]->id);
        jsonw_end(w);
    }
    if (f->commit) {
        jsonw_kstr(w, "commit", f->commit);
        jsonw_kstr(w, "author", f->author);
        jsonw_kstr(w, "date", f->date);
    }
    for (size_t i = 0; i < f->nprops; i++) jsonw_kstr(w, f->props[2 * i], f->props[2 * i + 1]);
    jsonw_end(w);
    jsonw_end(w);
}

vg_status report_sarif(const report_ctx *c, buf *out)
{
    /* the rules that have results, sorted and unique */
    const rule_meta **rules = xcalloc(c->n ? c->n : 1, sizeof *rules);
    size_t nr = 0;
    for (size_t i = 0; i < c->n; i++) rules[nr++] = c->v[i]->rule;
    qsort(rules, nr, sizeof *rules, cmp_rule);
    size_t k = 0;
    for (size_t i = 0; i < nr; i++)
        if (!k || strcmp(rules[k - 1]->id, rules[i]->id)) rules[k++] = rules[i];
    nr = k;

    jsonw w;
    jsonw_init(&w, out, 1);
    jsonw_obj(&w);
    jsonw_kstr(&w, "$schema", "https://json.schemastore.org/sarif-2.1.0.json");
    jsonw_kstr(&w, "version", "2.1.0");
    jsonw_key(&w, "runs");
    jsonw_arr(&w);
    jsonw_obj(&w);
    jsonw_key(&w, "tool");
    jsonw_obj(&w);
    jsonw_key(&w, "driver");
    jsonw_obj(&w);
    jsonw_kstr(&w, "name", "vibeguard");
    jsonw_kstr(&w, "version", c->version ? c->version : "0");
    jsonw_kstr(&w, "semanticVersion", c->version ? c->version : "0.0.0");
    jsonw_key(&w, "rules");
    jsonw_arr(&w);
    for (size_t i = 0; i < nr; i++) report_rule_sarif(&w, rules[i]);
    jsonw_end(&w);
    jsonw_end(&w);
    jsonw_end(&w);
    if (c->src_root) {
        buf u;
        buf_init(&u, 0);
        buf_puts(&u, "file://");
        uri_encode(&u, c->src_root);
        if (u.len && u.data[u.len - 1] != '/') buf_putc(&u, '/');
        jsonw_key(&w, "originalUriBaseIds");
        jsonw_obj(&w);
        jsonw_key(&w, "%SRCROOT%");
        jsonw_obj(&w);
        jsonw_kstr(&w, "uri", u.data);
        jsonw_end(&w);
        jsonw_end(&w);
        buf_free(&u);
    }
    jsonw_kstr(&w, "columnKind", "unicodeCodePoints");
    jsonw_key(&w, "results");
    jsonw_arr(&w);
    for (size_t i = 0; i < c->n; i++) {
        const rule_meta key = {.id = c->v[i]->rule->id};
        const rule_meta *kp = &key;
        const rule_meta **hit = bsearch(&kp, rules, nr, sizeof *rules, cmp_rule);
        result_json(&w, c, c->v[i], hit ? (size_t)(hit - rules) : 0, occurrence(c, i));
    }
    jsonw_end(&w);
    jsonw_key(&w, "invocations");
    jsonw_arr(&w);
    jsonw_obj(&w);
    jsonw_kbool(&w, "executionSuccessful", 1);
    jsonw_key(&w, "toolExecutionNotifications");
    jsonw_arr(&w);
    for (size_t i = 0; c->diags && i < c->diags->n; i++) {
        const diag *d = &c->diags->v[i];
        jsonw_obj(&w);
        jsonw_kstr(&w, "level", d->level == DIAG_ERROR ? "error"
                                : d->level == DIAG_WARNING ? "warning" : "note");
        report_sarif_text(&w, "message", d->message);
        if (d->path) {
            jsonw_key(&w, "locations");
            jsonw_arr(&w);
            location(&w, c, d->path, d->line, d->col, 0, 0, NULL, NULL);
            jsonw_end(&w);
        }
        jsonw_end(&w);
    }
    jsonw_end(&w);
    jsonw_end(&w);
    jsonw_end(&w);
    jsonw_end(&w);
    jsonw_end(&w);
    jsonw_end(&w);
    free(rules);
    return jsonw_finish(&w);
}
