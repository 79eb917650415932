/* audit.c - the audit behind 'vibeguard deps' (deps.h): one scan with only
 * the dependency rules, through the caller's driver, with an inventory for
 * the deps analyzer to record into; and the inventory's own upkeep.
 *
 * The inventory is made of copies: a manifest's entry is filled while its
 * bytes and look-ups are at hand (analyze.c) and outlives them.  Fix
 * versions are chosen here, where versions can be compared, so that the
 * renderers only print strings.
 */
#include "deps.h"
#include "online.h"
#include "../core/xalloc.h"

#include <stdlib.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

static char *dup_or_null(const char *s) { return s ? xstrdup(s) : NULL; }

inv_manifest *audit_manifest_new(const char *path, const manifest *m, int included)
{
    inv_manifest *im = xcalloc(1, sizeof *im);
    im->path = xstrdup(path);
    im->kind = manifest_kind_name(m->kind);
    im->included = included;
    im->npkgs = m->n;
    im->pkgs = xcalloc(m->n ? m->n : 1, sizeof *im->pkgs);
    for (size_t i = 0; i < m->n; i++) {
        const dep *d = &m->deps[i];
        inv_package *p = &im->pkgs[i];
        if (mask_name_secretlike(d->name)) { /* a key taken for a name (mask.h) */
            buf b;
            buf_init(&b, 0);
            mask_put(&b, (const unsigned char *)d->name, strlen(d->name));
            p->name = buf_detach(&b);
        } else {
            p->name = xstrdup(d->name);
        }
        p->ecosystem = d->eco == ECO_NPM ? "npm" : "PyPI";
        p->version = dup_or_null(d->version);
        p->spec = xstrdup(d->spec);
        p->line = d->line;
    }
    return im;
}

/* The smallest of the comma-separated versions `fixed` above v, or NULL. */
static char *smallest_fix_above(const char *eco, const char *fixed, const char *v)
{
    char *copy = xstrdup(fixed ? fixed : ""), *save = NULL;
    const char *best = NULL;
    for (char *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save))
        if (osv_version_cmp(eco, t, v) > 0 && (!best || osv_version_cmp(eco, t, best) < 0))
            best = t;
    char *r = dup_or_null(best);
    free(copy);
    return r;
}

void audit_package_advisories(inv_package *p, const char *eco, const osv_result *r, int exact)
{
    p->exact = exact;
    p->fix = exact ? dup_or_null(r->fix) : NULL;
    p->nadv = r->n;
    p->adv = xcalloc(r->n ? r->n : 1, sizeof *p->adv);
    for (size_t i = 0; i < r->n; i++) {
        const osv_adv *a = &r->v[i];
        inv_advisory *v = &p->adv[i];
        v->id = xstrdup(a->id);
        v->aliases = xstrdup(a->aliases ? a->aliases : "");
        v->summary = xstrdup(a->summary ? a->summary : "");
        v->cvss = xstrdup(a->cvss ? a->cvss : "");
        v->sev = a->sev;
        v->malicious = a->malicious;
        v->source = a->source;
        v->fix = exact ? smallest_fix_above(eco, a->fixed, p->version) : NULL;
    }
}

void audit_manifest_add(dep_inventory *inv, inv_manifest *im)
{
    XGROW(inv->v, inv->cap, inv->n + 1);
    inv->v[inv->n++] = *im;
    free(im);
}

void audit_set_db(dep_inventory *inv, const osv_db *db)
{
    free(inv->osv_label);
    inv->osv_label = xstrdup(osv_label(db));
    inv->osv_entries = osv_count(db);
    inv->osv_pypi = osv_count_eco(db, "PyPI");
    inv->osv_npm = osv_count_eco(db, "npm");
    inv->osv_age_days = -1;
    inv->osv_date[0] = 0;
    if (!osv_data_date(db, inv->osv_date, sizeof inv->osv_date)) {
        struct tm tm = {0};
        if (sscanf(inv->osv_date, "%d-%d-%d", &tm.tm_year, &tm.tm_mon, &tm.tm_mday) == 3) {
            tm.tm_year -= 1900;
            tm.tm_mon -= 1;
            time_t t = timegm(&tm), now = time(NULL);
            if (t != (time_t)-1 && now >= t) inv->osv_age_days = (long)((now - t) / 86400);
        }
    }
}

void audit_set_online(dep_inventory *inv, const osv_online *o)
{
    free(inv->online_url);
    free(inv->online_error);
    inv->online_url = xstrdup(osv_online_url(o));
    inv->online_error = dup_or_null(osv_online_error(o));
    inv->online_asked = osv_online_asked(o);
    inv->online_records = osv_online_records(o);
}

static void package_free(inv_package *p)
{
    for (size_t i = 0; i < p->nadv; i++) {
        inv_advisory *a = &p->adv[i];
        free(a->id);
        free(a->aliases);
        free(a->fix);
        free(a->summary);
        free(a->cvss);
    }
    free(p->adv);
    free(p->name);
    free(p->version);
    free(p->spec);
    free(p->fix);
}

void deps_inventory_free(dep_inventory *inv)
{
    for (size_t i = 0; i < inv->n; i++) {
        for (size_t k = 0; k < inv->v[i].npkgs; k++) package_free(&inv->v[i].pkgs[k]);
        free(inv->v[i].pkgs);
        free(inv->v[i].path);
    }
    free(inv->v);
    free(inv->osv_label);
    free(inv->online_url);
    free(inv->online_error);
    memset(inv, 0, sizeof *inv);
}

/* Walk order depends on thread timing; the inventory must not. */
static int cmp_manifest(const void *a, const void *b)
{
    const inv_manifest *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    return c ? c : x->included - y->included;
}

vg_status deps_audit_run(const vg_opts *o, deps_driver_fn drive, void *ud, deps_audit *a,
                         diag_list *d)
{
    memset(a, 0, sizeof *a);
    a->opts = *o;
    /* every dep: rule, whatever the caller reports: the inventory is whole */
    memset(&a->opts.select, 0, sizeof a->opts.select);
    memset(&a->opts.ignore, 0, sizeof a->opts.ignore);
    str_list_add(&a->opts.select, "dep");
    a->opts.dep_inventory = &a->inv;
    a->opts.max_file_size = MANIFEST_MAX_BYTES; /* manifests have their own cap */
    a->opts.history = 0;
    a->opts.diff_rev = NULL;
    a->opts.staged = 0;
    out_init(&a->out, &a->opts);

    diag_list run = {0};
    vg_status rc = drive(&a->opts, &a->out, &run, ud);
    if (rc) {
        diag_move(d, &run);
        diag_free(&run);
        out_free(&a->out);
        out_init(&a->out, &a->opts);
        deps_inventory_free(&a->inv);
        return rc;
    }
    diag_move(&a->out.diags, &run); /* warnings from opening the database */
    diag_free(&run);
    if (a->inv.n > 1) qsort(a->inv.v, a->inv.n, sizeof *a->inv.v, cmp_manifest);
    return VG_OK;
}

void deps_audit_free(deps_audit *a)
{
    out_free(&a->out);
    deps_inventory_free(&a->inv);
    str_list_free(&a->opts.select);
}
