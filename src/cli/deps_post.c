/* deps_post.c - --ignore-vuln and --fix for 'vibeguard deps'; see
 * deps_post.h. */
#include "deps_post.h"
#include "cli.h"
#include "../core/fsutil.h"
#include "../core/limits.h"
#include "../core/xalloc.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static int listed(const str_list *ids, const char *s, size_t n)
{
    for (size_t i = 0; i < ids->n; i++)
        if (strlen(ids->v[i]) == n && !strncasecmp(ids->v[i], s, n)) return 1;
    return 0;
}

/* Is the advisory named in ids, by its id or one of its aliases? */
static int adv_ignored(const inv_advisory *ad, const str_list *ids)
{
    if (listed(ids, ad->id, strlen(ad->id))) return 1;
    for (const char *p = ad->aliases; p && *p;) {
        size_t n = strcspn(p, ",");
        if (n && listed(ids, p, n)) return 1;
        p += n + (p[n] == ',');
    }
    return 0;
}

static void free_adv(inv_advisory *ad)
{
    free(ad->id);
    free(ad->aliases);
    free(ad->fix);
    free(ad->summary);
    free(ad->cvss);
}

size_t deps_ignore_vulns(deps_audit *a, const str_list *ids)
{
    if (!ids->n) return 0;
    str_list dropped = {0};
    for (size_t i = 0; i < a->inv.n; i++)
        for (size_t k = 0; k < a->inv.v[i].npkgs; k++) {
            inv_package *p = &a->inv.v[i].pkgs[k];
            size_t w = 0;
            for (size_t j = 0; j < p->nadv; j++) {
                if (adv_ignored(&p->adv[j], ids)) {
                    if (!str_list_has(&dropped, p->adv[j].id)) str_list_add(&dropped, p->adv[j].id);
                    free_adv(&p->adv[j]);
                } else {
                    p->adv[w++] = p->adv[j];
                }
            }
            p->nadv = w;
            if (!w) {
                free(p->fix);
                p->fix = NULL;
            }
        }
    size_t k = 0;
    for (size_t i = 0; i < a->out.n; i++) {
        finding *f = a->out.v[i];
        const char *advs = finding_prop(f, "advisories");
        int vuln = !strcmp(f->rule->id, "dep:vulnerable") || !strcmp(f->rule->id, "dep:malicious");
        int all = vuln && advs && *advs;
        for (const char *p = advs; all && *p;) {
            size_t n = strcspn(p, ",");
            char id[128];
            snprintf(id, sizeof id, "%.*s", (int)(n < 127 ? n : 127), p);
            if (n && !str_list_has(&dropped, id) && !listed(ids, p, n)) all = 0;
            p += n + (p[n] == ',');
        }
        if (all) finding_free(f);
        else a->out.v[k++] = f;
    }
    a->out.n = k;
    size_t n = dropped.n;
    str_list_free(&dropped);
    return n;
}

/* The byte range of "==VERSION" after the package name on one line, or -1. */
static long pin_at(const char *line, size_t n, const char *version, size_t *vlen)
{
    size_t vl = strlen(version);
    for (size_t i = 0; i + 2 + vl <= n; i++) {
        if (line[i] != '=' || line[i + 1] != '=') continue;
        size_t j = i + 2;
        while (j < n && (line[j] == ' ' || line[j] == '\t')) j++;
        if (j + vl <= n && !memcmp(line + j, version, vl) &&
            (j + vl == n || strchr(" \t;#,\r\\", line[j + vl]))) {
            *vlen = vl;
            return (long)j;
        }
    }
    return -1;
}

/* One manifest's rewrite: every fixable package line of it. */
static int fix_manifest(const inv_manifest *m, int dry_run, int quiet, size_t *changed)
{
    char *data = NULL;
    size_t len = 0;
    if (fs_read_all(m->path, MANIFEST_MAX_BYTES, &data, &len))
        return cli_error("deps: --fix: cannot read %s", m->path);
    buf out;
    buf_init(&out, 0);
    int line = 1, edits = 0;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && data[e] != '\n') e++;
        const inv_package *fix = NULL;
        for (size_t k = 0; k < m->npkgs && !fix; k++) {
            const inv_package *p = &m->pkgs[k];
            if (p->line == line && p->exact && p->fix && p->nadv && p->version &&
                strcmp(p->fix, p->version))
                fix = p;
        }
        size_t vlen = 0;
        long at = fix ? pin_at(data + i, e - i, fix->version, &vlen) : -1;
        if (at >= 0) {
            buf_append(&out, data + i, (size_t)at);
            buf_puts(&out, fix->fix);
            buf_append(&out, data + i + (size_t)at + vlen, e - i - (size_t)at - vlen);
            if (!quiet)
                fprintf(stderr, "vibeguard: %s %s:%d: %s %s -> %s\n", dry_run ? "would fix" : "fixed",
                        m->path, line, fix->name, fix->version, fix->fix);
            edits++;
        } else {
            buf_append(&out, data + i, e - i);
        }
        if (e < len) buf_putc(&out, '\n');
        i = e + 1;
        line++;
    }
    int rc = 0;
    if (edits && !dry_run) {
        diag_list d = {0};
        if (fs_write_atomic(m->path, out.data, out.len, 0666, "cannot rewrite", &d)) {
            cli_print_diags(stderr, &d, DIAG_ERROR);
            rc = 2;
        }
        diag_free(&d);
    }
    *changed += (size_t)edits;
    buf_free(&out);
    free(data);
    return rc;
}

int deps_apply_fixes(const deps_audit *a, int dry_run, int quiet)
{
    size_t changed = 0;
    for (size_t i = 0; i < a->inv.n; i++) {
        const inv_manifest *m = &a->inv.v[i];
        int fixable = 0;
        for (size_t k = 0; k < m->npkgs; k++)
            fixable |= m->pkgs[k].exact && m->pkgs[k].fix && m->pkgs[k].nadv;
        if (!fixable) continue;
        if (strcmp(m->kind, "requirements")) {
            if (!quiet)
                fprintf(stderr, "vibeguard: --fix: %s is a %s; regenerate it with its tool\n",
                        m->path, m->kind);
            continue;
        }
        if (fix_manifest(m, dry_run, quiet, &changed)) return 2;
    }
    if (!quiet && !changed) fputs("vibeguard: --fix: nothing to change\n", stderr);
    return 0;
}
