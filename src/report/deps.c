/* deps.c - the reports of 'vibeguard deps': a pip-audit-like table and the
 * deps JSON, from the reported findings and the audit's inventory
 * (src/finding/inventory.h).
 *
 *   Found 3 known vulnerabilities in 1 package
 *   Name  Version ID             Fix Versions Severity Where
 *   ----- ------- -------------- ------------ -------- ------------------
 *   flask 0.12.2  PYSEC-2018-66  0.12.3       -        requirements.txt:1
 *   upgrade: flask 0.12.2 -> 2.2.5 (clears every advisory)
 *
 *   1 other dependency finding:
 *   requirements.txt:4:1: dep:unpinned [low] 'pyyaml' is not pinned: ...
 *
 *   Audited 4 packages in 1 manifest; OSV database: ... (2651 advisory entries)
 *
 * The table has one row per advisory of each reported dep:vulnerable or
 * dep:malicious finding, so a finding that was filtered out (select,
 * ignores, baseline) takes its rows with it; the inventory (every manifest
 * and package) is shown whole.  The JSON:
 *
 *   {"version", "osv_db", "manifests": [{path, kind, packages}],
 *    "advisory_data": {label, date, age_days, stale, entries, unchecked, refresh?},
 *    "dependencies": [{name, ecosystem, version, spec, file, line, fix?,
 *                      vulns: [{id, aliases, fix_versions, summary, description,
 *                               severity, cvss?, malicious, source}]}],
 *    "fixes": [{name, old_version, new_version, file, line}] (as pip-audit),
 *    "findings": [... as in the JSON report], "errors": [...]}
 */
#include "report.h"
#include "report_int.h"
#include "../core/limits.h"
#include "../core/xalloc.h"

#include <stdlib.h>
#include <string.h>

/* A cell is cut to this many bytes; the last column (the place) never is. */
#define CELL_MAX 48

static void vis(buf *b, const char *s)
{
    if (s) report_visible(b, s, strlen(s));
}

static int is_vuln_rule(const finding *f)
{
    return !strcmp(f->rule->id, "dep:vulnerable") || !strcmp(f->rule->id, "dep:malicious");
}

static int same(const char *a, const char *b) { return a == b || (a && b && !strcmp(a, b)); }

/* The inventory's package behind a dep: finding (its file, line, name,
 * ecosystem and version), or NULL. */
static const inv_package *package_of(const dep_inventory *inv, const finding *f)
{
    const char *name = finding_prop(f, "package"), *eco = finding_prop(f, "ecosystem");
    const char *ver = finding_prop(f, "version");
    for (size_t i = 0; inv && i < inv->n; i++) {
        const inv_manifest *m = &inv->v[i];
        if (strcmp(m->path, f->path)) continue;
        for (size_t k = 0; k < m->npkgs; k++) {
            const inv_package *p = &m->pkgs[k];
            if (p->line == f->line && same(p->name, name) && same(p->ecosystem, eco) &&
                same(p->version, ver))
                return p;
        }
    }
    return NULL;
}

/* ---- the table ------------------------------------------------------------------------ */

enum { NCOL = 7 };

typedef struct row {
    const char *cell[NCOL]; /* borrowed, except cell[6] (the place), owned */
} row;

/* Where an advisory was found (inv_advisory.source). */
static const char *source_name(int s)
{
    return s == 3 ? "both" : s == 2 ? "online" : "offline";
}

/* Packages of an ecosystem the data has no advisories for: they were not
 * checked, and "No known vulnerabilities" must not say otherwise. */
static size_t unchecked(const dep_inventory *inv, const char *eco)
{
    size_t have = !strcmp(eco, "npm") ? inv->osv_npm : inv->osv_pypi, n = 0;
    if (have || !inv->osv_label) return 0;
    if (inv->online_url && !inv->online_error) return 0; /* OSV's API was asked */
    for (size_t i = 0; i < inv->n; i++)
        for (size_t k = 0; !inv->v[i].included && k < inv->v[i].npkgs; k++)
            n += !strcmp(inv->v[i].pkgs[k].ecosystem, eco);
    return n;
}

static void table(buf *b, finding *const *v, size_t n, const dep_inventory *inv)
{
    row *rows = NULL;
    size_t nrows = 0, cap = 0, nvuln_pkgs = 0, nvulns = 0;
    for (size_t i = 0; i < n; i++) {
        const finding *f = v[i];
        if (!is_vuln_rule(f)) continue;
        nvuln_pkgs++;
        const char *ids = finding_prop(f, "advisories");
        for (const char *q = ids; q && *q; q++) nvulns += *q == ',';
        if (ids) nvulns++;
        const inv_package *p = package_of(inv, f);
        int mal_rule = !strcmp(f->rule->id, "dep:malicious");
        const char *ver = finding_prop(f, "version");
        for (size_t a = 0; p && a < p->nadv; a++) {
            const inv_advisory *ad = &p->adv[a];
            if (mal_rule != (ad->malicious != 0)) continue;
            XGROW(rows, cap, nrows + 1);
            row *w = &rows[nrows++];
            w->cell[0] = finding_prop(f, "package");
            w->cell[1] = ver ? ver : "*";
            w->cell[2] = ad->id;
            w->cell[3] = ad->malicious ? "remove" : ad->fix ? ad->fix : "-";
            w->cell[4] = ad->malicious ? "critical" : ad->sev ? severity_str(ad->sev) : "-";
            w->cell[5] = source_name(ad->source);
            w->cell[6] = xasprintf("%s:%d", f->path, f->line);
        }
    }
    if (!nrows) {
        size_t un_py = inv ? unchecked(inv, "PyPI") : 0, un_npm = inv ? unchecked(inv, "npm") : 0;
        if (un_py || un_npm) {
            size_t total = 0;
            for (size_t i = 0; inv && i < inv->n; i++)
                if (!inv->v[i].included) total += inv->v[i].npkgs;
            if (total > un_py + un_npm)
                buf_printf(b, "No known vulnerabilities found in the %zu packages checked\n",
                           total - un_py - un_npm);
        } else {
            buf_puts(b, "No known vulnerabilities found\n");
        }
        return;
    }
    buf_printf(b, "Found %zu known %s in %zu %s\n", nvulns,
               nvulns == 1 ? "vulnerability" : "vulnerabilities", nvuln_pkgs,
               nvuln_pkgs == 1 ? "package" : "packages");
    static const char *const hdr[NCOL] = {"Name", "Version", "ID", "Fix Versions", "Severity",
                                          "Source", "Where"};
    int online = inv && inv->online_url; /* the Source column only when there were two */
    size_t wdt[NCOL];
    for (int c = 0; c < NCOL; c++) wdt[c] = strlen(hdr[c]);
    for (size_t i = 0; i < nrows; i++)
        for (int c = 0; c < NCOL; c++) {
            size_t l = strlen(rows[i].cell[c]);
            if (l > CELL_MAX && c < NCOL - 1) l = CELL_MAX;
            if (l > wdt[c]) wdt[c] = l;
        }
    for (int c = 0; c < NCOL; c++)
        if (c == 5 && !online) continue;
        else if (c < NCOL - 1) buf_printf(b, "%-*s ", (int)wdt[c], hdr[c]);
        else buf_printf(b, "%s\n", hdr[c]);
    for (int c = 0; c < NCOL; c++) {
        if (c == 5 && !online) continue;
        for (size_t k = 0; k < wdt[c]; k++) buf_putc(b, '-');
        buf_puts(b, c < NCOL - 1 ? " " : "\n");
    }
    buf cell;
    buf_init(&cell, 0);
    for (size_t i = 0; i < nrows; i++)
        for (int c = 0; c < NCOL; c++) {
            if (c == 5 && !online) continue;
            buf_clear(&cell);
            size_t cl = strlen(rows[i].cell[c]);
            report_visible(&cell, rows[i].cell[c], cl > CELL_MAX && c < NCOL - 1 ? CELL_MAX : cl);
            if (c < NCOL - 1) buf_printf(b, "%-*s ", (int)wdt[c], cell.data ? cell.data : "");
            else buf_printf(b, "%s\n", cell.data ? cell.data : "");
        }
    buf_free(&cell);
    for (size_t i = 0; i < n; i++) {
        const char *fx = finding_prop(v[i], "fixed_version");
        if (!fx || strcmp(v[i]->rule->id, "dep:vulnerable")) continue;
        buf_puts(b, "upgrade: ");
        vis(b, finding_prop(v[i], "package"));
        buf_puts(b, " ");
        vis(b, finding_prop(v[i], "version"));
        buf_puts(b, " -> ");
        vis(b, fx);
        buf_puts(b, " (clears every advisory)\n");
    }
    for (size_t i = 0; i < nrows; i++) free((char *)rows[i].cell[6]);
    free(rows);
}

/* Where the advisories come from and how old they are, and what was not
 * checked for want of data: said in every report. */
static void data_lines(buf *b, const dep_inventory *inv)
{
    buf_printf(b, "Advisory data: dated %s; PyPI: ", inv->osv_date[0] ? inv->osv_date : "unknown");
    if (inv->osv_pypi) buf_printf(b, "%zu entries", inv->osv_pypi);
    else buf_puts(b, "none");
    buf_puts(b, ", npm: ");
    if (inv->osv_npm) buf_printf(b, "%zu entries", inv->osv_npm);
    else buf_puts(b, "none");
    if (inv->osv_label && !strncmp(inv->osv_label, "built-in", 8))
        buf_puts(b, " (PyPA advisory-database only: no GHSA-only, no malicious-package records)");
    buf_putc(b, '\n');
    static const char *const ecos[] = {"PyPI", "npm"};
    for (int e = 0; e < 2; e++) {
        size_t un = unchecked(inv, ecos[e]);
        if (un)
            buf_printf(b, "%s: no advisory data loaded (%zu %s not checked for known "
                          "vulnerabilities)\n", ecos[e], un, un == 1 ? "package" : "packages");
    }
    if (inv->osv_age_days > VG_OSV_STALE_DAYS)
        buf_printf(b, "warning: the advisory data is %ld days old; refresh it with "
                      "'vibeguard deps --update-db'\n", inv->osv_age_days);
    if (inv->online_url) {
        buf_puts(b, "Online: OSV API ");
        vis(b, inv->online_url);
        if (inv->online_error) {
            buf_puts(b, " failed (");
            vis(b, inv->online_error);
            buf_puts(b, "): the offline data above is all that was used\n");
        } else {
            buf_printf(b, ": %zu %s asked, %zu advisory %s fetched\n", inv->online_asked,
                       inv->online_asked == 1 ? "package" : "packages", inv->online_records,
                       inv->online_records == 1 ? "record" : "records");
        }
    }
}

void report_deps_text(const report_ctx *c, buf *b)
{
    table(b, c->v, c->n, c->inventory);
    size_t nother = 0;
    for (size_t i = 0; i < c->n; i++) nother += !is_vuln_rule(c->v[i]);
    if (nother) {
        buf_printf(b, "\n%zu other dependency %s:\n", nother, nother == 1 ? "finding" : "findings");
        for (size_t i = 0; i < c->n; i++) {
            const finding *f = c->v[i];
            if (is_vuln_rule(f)) continue;
            vis(b, f->path);
            buf_printf(b, ":%d:%d: %s [%s] ", f->line, f->col, f->rule->id, severity_str(f->severity));
            vis(b, f->message);
            buf_putc(b, '\n');
        }
    }
    size_t npackages = 0, nmanifests = 0;
    const dep_inventory *inv = c->inventory;
    for (size_t i = 0; inv && i < inv->n; i++)
        if (!inv->v[i].included) npackages += inv->v[i].npkgs, nmanifests++;
    buf_printf(b, "\nAudited %zu %s in %zu %s; OSV database: ", npackages,
               npackages == 1 ? "package" : "packages", nmanifests,
               nmanifests == 1 ? "manifest" : "manifests");
    vis(b, inv && inv->osv_label ? inv->osv_label : "-");
    buf_printf(b, " (%zu advisory entries)\n", inv ? inv->osv_entries : 0);
    if (inv) data_lines(b, inv);
}

/* ---- JSON ------------------------------------------------------------------------------- */

static void advisory_json(jsonw *w, const inv_advisory *a)
{
    jsonw_obj(w);
    jsonw_kstr(w, "id", a->id);
    jsonw_key(w, "aliases");
    jsonw_arr(w);
    for (const char *p = a->aliases; *p;) {
        size_t n = strcspn(p, ",");
        if (n) jsonw_strn(w, p, n);
        p += n + (p[n] == ',');
    }
    jsonw_end(w);
    jsonw_key(w, "fix_versions");
    jsonw_arr(w);
    if (a->fix) jsonw_str(w, a->fix);
    jsonw_end(w);
    jsonw_kstr(w, "summary", a->summary);
    jsonw_kstr(w, "description", a->summary); /* pip-audit's name for it */
    jsonw_kstr(w, "severity", a->sev ? severity_str(a->sev) : NULL);
    if (a->cvss[0]) jsonw_kstr(w, "cvss", a->cvss);
    jsonw_kbool(w, "malicious", a->malicious);
    jsonw_kstr(w, "source", source_name(a->source));
    jsonw_end(w);
}

static void package_json(jsonw *w, const inv_manifest *m, const inv_package *p)
{
    jsonw_obj(w);
    jsonw_kstr(w, "name", p->name);
    jsonw_kstr(w, "ecosystem", p->ecosystem);
    jsonw_kstr(w, "version", p->version);
    jsonw_kstr(w, "spec", p->spec);
    jsonw_kstr(w, "file", m->path);
    jsonw_kint(w, "line", p->line);
    if (p->exact && p->fix) jsonw_kstr(w, "fix", p->fix);
    jsonw_key(w, "vulns");
    jsonw_arr(w);
    for (size_t a = 0; p->exact && a < p->nadv; a++) advisory_json(w, &p->adv[a]);
    jsonw_end(w);
    jsonw_end(w);
}

vg_status report_deps_json(const report_ctx *c, buf *out)
{
    const dep_inventory *inv = c->inventory;
    static const dep_inventory none;
    if (!inv) inv = &none;
    jsonw w;
    jsonw_init(&w, out, 1);
    jsonw_obj(&w);
    jsonw_kstr(&w, "version", c->version ? c->version : "");
    jsonw_kstr(&w, "osv_db", inv->osv_label);
    jsonw_key(&w, "advisory_data");
    jsonw_obj(&w);
    jsonw_kstr(&w, "label", inv->osv_label);
    jsonw_kstr(&w, "date", inv->osv_date[0] ? inv->osv_date : NULL);
    if (inv->osv_age_days >= 0) jsonw_kint(&w, "age_days", inv->osv_age_days);
    jsonw_kbool(&w, "stale", inv->osv_age_days > VG_OSV_STALE_DAYS);
    jsonw_key(&w, "entries");
    jsonw_obj(&w);
    jsonw_key(&w, "PyPI");
    jsonw_uint(&w, inv->osv_pypi);
    jsonw_key(&w, "npm");
    jsonw_uint(&w, inv->osv_npm);
    jsonw_end(&w);
    jsonw_key(&w, "unchecked");
    jsonw_obj(&w);
    jsonw_key(&w, "PyPI");
    jsonw_uint(&w, unchecked(inv, "PyPI"));
    jsonw_key(&w, "npm");
    jsonw_uint(&w, unchecked(inv, "npm"));
    jsonw_end(&w);
    if (inv->osv_age_days > VG_OSV_STALE_DAYS) jsonw_kstr(&w, "refresh", "vibeguard deps --update-db");
    if (inv->online_url) {
        jsonw_key(&w, "online");
        jsonw_obj(&w);
        jsonw_kstr(&w, "url", inv->online_url);
        jsonw_kstr(&w, "status", inv->online_error ? "failed" : "ok");
        if (inv->online_error) jsonw_kstr(&w, "error", inv->online_error);
        jsonw_key(&w, "asked");
        jsonw_uint(&w, inv->online_asked);
        jsonw_key(&w, "records");
        jsonw_uint(&w, inv->online_records);
        jsonw_end(&w);
    }
    jsonw_end(&w);
    jsonw_key(&w, "manifests");
    jsonw_arr(&w);
    for (size_t i = 0; i < inv->n; i++) {
        if (inv->v[i].included) continue;
        jsonw_obj(&w);
        jsonw_kstr(&w, "path", inv->v[i].path);
        jsonw_kstr(&w, "kind", inv->v[i].kind);
        jsonw_key(&w, "packages");
        jsonw_uint(&w, inv->v[i].npkgs);
        jsonw_end(&w);
    }
    jsonw_end(&w);
    jsonw_key(&w, "dependencies");
    jsonw_arr(&w);
    for (size_t i = 0; i < inv->n; i++)
        for (size_t k = 0; !inv->v[i].included && k < inv->v[i].npkgs; k++)
            package_json(&w, &inv->v[i], &inv->v[i].pkgs[k]);
    jsonw_end(&w);
    /* pip-audit's "fixes": the upgrade that clears each vulnerable package */
    jsonw_key(&w, "fixes");
    jsonw_arr(&w);
    for (size_t i = 0; i < inv->n; i++)
        for (size_t k = 0; !inv->v[i].included && k < inv->v[i].npkgs; k++) {
            const inv_package *p = &inv->v[i].pkgs[k];
            if (!p->exact || !p->fix || !p->nadv || !p->version) continue;
            jsonw_obj(&w);
            jsonw_kstr(&w, "name", p->name);
            jsonw_kstr(&w, "old_version", p->version);
            jsonw_kstr(&w, "new_version", p->fix);
            jsonw_kstr(&w, "file", inv->v[i].path);
            jsonw_kint(&w, "line", p->line);
            jsonw_end(&w);
        }
    jsonw_end(&w);
    jsonw_key(&w, "findings");
    jsonw_arr(&w);
    for (size_t i = 0; i < c->n; i++) report_json_finding(&w, c->v[i]);
    jsonw_end(&w);
    report_json_errors(&w, c->diags);
    jsonw_end(&w);
    return jsonw_finish(&w);
}
