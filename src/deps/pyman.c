/* pyman.c - the Python manifests other than requirements files:
 * Pipfile.lock (JSON) and the TOML family - pyproject.toml (PEP 621
 * dependencies and optional-dependencies, PEP 735 dependency-groups,
 * Poetry, PDM and uv), Pipfile, poetry.lock, uv.lock, pdm.lock, pylock.toml.
 */
#include "manifest.h"
#include "../core/buf.h"
#include "../core/limits.h"
#include "../core/xalloc.h"
#include "../fmt/toml.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* ---- Pipfile.lock ---------------------------------------------------------------- */

static void check_source_url(manifest *m, const char *url, int line)
{
    if (!url) return;
    if (!strstr(url, "://pypi.org/simple") && !strstr(url, "://pypi.python.org")) m->private_index = 1;
    manifest_check_url(m, url, line, NULL);
}

void py_parse_pipfile_lock(manifest *m, const char *path, const char *data, size_t len,
                           diag_list *d)
{
    m->eco = ECO_PYPI;
    json_error_t e;
    json_t *j = json_loadb(data, len, 0, &e);
    if (!j || !json_is_object(j)) {
        diag_add(d, DIAG_WARNING, path, e.line > 0 ? e.line : 1, e.column > 0 ? e.column : 0,
                 "malformed Pipfile.lock: %s", j ? "expected an object" : e.text);
        json_decref(j);
        return;
    }
    size_t i;
    json_t *src;
    json_array_foreach(json_object_get(json_object_get(j, "_meta"), "sources"), i, src) {
        const char *url = json_string_value(json_object_get(src, "url"));
        size_t off = url ? manifest_find_key(data, len, 0, url) : (size_t)-1;
        int line = off == (size_t)-1 ? 1 : manifest_line_of(data, len, off);
        check_source_url(m, url, line);
        if (json_is_false(json_object_get(src, "verify_ssl")) && url)
            manifest_issue(m, SRC_TRUSTED_HOST, line, url, NULL);
    }
    static const char *const groups[] = {"default", "develop"};
    size_t cur = 0;
    for (int g = 0; g < 2; g++) {
        json_t *o = json_object_get(j, groups[g]);
        size_t gk = manifest_find_key(data, len, 0, groups[g]);
        if (gk != (size_t)-1) cur = gk;
        const char *name;
        json_t *v;
        json_object_foreach(o, name, v) {
            const char *spec = json_string_value(json_object_get(v, "version"));
            const char *git = json_string_value(json_object_get(v, "git"));
            unsigned flags = DEP_LOCKED | (g ? DEP_DEV : 0);
            if (json_array_size(json_object_get(v, "hashes"))) flags |= DEP_HASHED;
            char exact[128];
            const char *ver = spec ? pep440_exact(spec, exact, sizeof exact) : NULL;
            if (git || json_object_get(v, "path") || json_object_get(v, "file")) flags |= DEP_URL;
            dep *dp = manifest_add(m, ECO_PYPI, name, strlen(name), spec ? spec : "", ver, 1, flags);
            size_t off = manifest_find_key(data, len, cur, name);
            if (dp && off != (size_t)-1) {
                manifest_place(data, len, off, strlen(name), dp);
                cur = off;
            }
            if (git) {
                const char *ref = json_string_value(json_object_get(v, "ref"));
                char *u = xasprintf("git+%s%s%s", git, ref ? "@" : "", ref ? ref : "");
                manifest_check_url(m, u, dp ? dp->line : 1, name);
                free(u);
            }
        }
    }
    json_decref(j);
}

/* ---- TOML helpers ------------------------------------------------------------------ */

static const toml_value *tget(const toml_value *t, const char *k)
{
    return t && t->type == TOML_TABLE ? toml_get(t, k) : NULL;
}

static const char *tstr(const toml_value *t, const char *k)
{
    const toml_value *v = tget(t, k);
    return v && v->type == TOML_STRING ? v->u.str.s : NULL;
}

/* A PEP 508 string at value v (its line and column). */
static void add_pep508(manifest *m, const char *path, const toml_value *v, unsigned flags,
                       diag_list *d)
{
    if (!v || v->type != TOML_STRING) return;
    pep508 r;
    if (pep508_parse(v->u.str.s, v->u.str.len, &r)) {
        diag_add(d, DIAG_WARNING, path, v->line, v->col, "not a requirement: '%.60s'", v->u.str.s);
        return;
    }
    char exact[128];
    const char *ver = r.url[0] ? NULL : pep440_exact(r.spec, exact, sizeof exact);
    if (r.url[0]) {
        flags |= DEP_URL;
        manifest_check_url(m, r.url, v->line, NULL);
    }
    dep *dp = manifest_add(m, ECO_PYPI, r.name, r.name_len, r.url[0] ? r.url : r.spec, ver, v->line,
                           flags);
    if (dp && v->col > 0) {
        dp->col = v->col + 1 + (int)(r.name - v->u.str.s);
        dp->end_col = dp->col + (int)r.name_len;
    }
}

static void add_pep508_array(manifest *m, const char *path, const toml_value *a, unsigned flags,
                             diag_list *d)
{
    if (!a || a->type != TOML_ARRAY) return;
    for (size_t i = 0; i < a->u.array.n; i++) add_pep508(m, path, a->u.array.items[i], flags, d);
}

/* Poetry / Pipfile: name = "spec" | {version = "...", git = "...", ...} */
static void add_poetry_table(manifest *m, const toml_value *t, unsigned flags, int pipfile)
{
    if (!t || t->type != TOML_TABLE) return;
    for (size_t i = 0; i < t->u.table.n; i++) {
        const char *name = t->u.table.keys[i];
        const toml_value *v = t->u.table.vals[i];
        if (!strcmp(name, "python")) continue;
        const char *spec = NULL;
        unsigned f = flags;
        if (v->type == TOML_STRING) spec = v->u.str.s;
        else if (v->type == TOML_TABLE) {
            spec = tstr(v, "version");
            const char *git = tstr(v, "git"), *url = tstr(v, "url");
            if (git) {
                const char *rev = tstr(v, "rev") ? tstr(v, "rev") : tstr(v, "ref");
                char *u = xasprintf("git+%s%s%s", git, rev ? "@" : "", rev ? rev : "");
                manifest_check_url(m, u, v->line, name);
                free(u);
                f |= DEP_URL;
            } else if (url) {
                manifest_check_url(m, url, v->line, name);
                f |= DEP_URL;
            } else if (tget(v, "path") || tget(v, "file")) {
                f |= DEP_URL | DEP_LOCAL;
            }
        } /* an array: Poetry's multiple constraints, a range */
        char exact[128];
        const char *ver = NULL;
        if (spec && !(f & DEP_URL)) {
            ver = pep440_exact(spec, exact, sizeof exact);
            /* Poetry: a bare version is an exact pin */
            if (!ver && !pipfile && isdigit((unsigned char)spec[0]) && !strpbrk(spec, "*,<>=~^ ")) {
                snprintf(exact, sizeof exact, "%s", spec);
                ver = exact;
            }
        }
        manifest_add(m, ECO_PYPI, name, strlen(name), spec ? spec : "", ver, v->line, f);
    }
}

/* [[package]] arrays of the lockfiles: name, version, and where it came from. */
/* ---- uv.lock: which packages only the development groups need ---- */

static int lock_is_root(const toml_value *p)
{
    const toml_value *src = tget(p, "source");
    return src && src->type == TOML_TABLE && (tget(src, "editable") || tget(src, "virtual"));
}

/* Packages by name, sorted: the index of each in the package array. */
typedef struct {
    const char *name;
    size_t j;
} lock_entry;

typedef struct {
    const toml_value *pkgs;
    lock_entry *by_name;
    size_t n;
} lock_index;

static int cmp_entry(const void *a, const void *b)
{
    return strcmp(((const lock_entry *)a)->name, ((const lock_entry *)b)->name);
}

/* Mark (in seen[]) every package reachable from the entries of arr,
 * matched by name and, when the entry gives one, version.  An explicit
 * stack of at most one slot per package bounds the walk; the name index
 * keeps each look-up logarithmic. */
static void lock_reach(const lock_index *ix, const toml_value *arr, unsigned char *seen, size_t *stack)
{
    size_t top = 0;
    const toml_value *cur = arr;
    for (;;) {
        for (size_t k = 0; cur && cur->type == TOML_ARRAY && k < cur->u.array.n; k++) {
            const char *name = tstr(cur->u.array.items[k], "name");
            const char *ver = tstr(cur->u.array.items[k], "version");
            if (!name) continue;
            size_t lo = 0, hi = ix->n;
            while (lo < hi) {
                size_t mid = lo + (hi - lo) / 2;
                if (strcmp(ix->by_name[mid].name, name) < 0) lo = mid + 1;
                else hi = mid;
            }
            for (; lo < ix->n && !strcmp(ix->by_name[lo].name, name); lo++) {
                size_t j = ix->by_name[lo].j;
                const char *qv = tstr(ix->pkgs->u.array.items[j], "version");
                if (seen[j] || (ver && qv && strcmp(ver, qv))) continue;
                seen[j] = 1;
                stack[top++] = j;
            }
        }
        if (!top) break;
        cur = tget(ix->pkgs->u.array.items[stack[--top]], "dependencies");
    }
}

/* For a uv.lock: a flag per package, 1 when some runtime dependency of
 * the project (its dependencies or extras) needs it, 0 when only its
 * development groups ([package.dev-dependencies]: test, lint, the
 * oldest-versions matrix) do.  NULL when the lock names no root. */
static unsigned char *uv_runtime(const toml_value *pkgs)
{
    size_t np = pkgs->u.array.n;
    unsigned char *seen = xcalloc(np ? np : 1, 1);
    size_t *stack = xcalloc(np ? np : 1, sizeof *stack);
    lock_index ix = {pkgs, xcalloc(np ? np : 1, sizeof(lock_entry)), np};
    for (size_t j = 0; j < np; j++) {
        const char *n = tstr(pkgs->u.array.items[j], "name");
        ix.by_name[j] = (lock_entry){n ? n : "", j};
    }
    qsort(ix.by_name, np, sizeof(lock_entry), cmp_entry);
    unsigned char *dev = xcalloc(np ? np : 1, 1);
    int roots = 0;
    for (size_t i = 0; i < np; i++) {
        const toml_value *p = pkgs->u.array.items[i];
        if (!lock_is_root(p)) continue;
        roots++;
        lock_reach(&ix, tget(p, "dependencies"), seen, stack);
        const toml_value *opt = tget(p, "optional-dependencies");
        for (size_t k = 0; opt && opt->type == TOML_TABLE && k < opt->u.table.n; k++)
            lock_reach(&ix, opt->u.table.vals[k], seen, stack);
        const toml_value *grp = tget(p, "dev-dependencies");
        for (size_t k = 0; grp && grp->type == TOML_TABLE && k < grp->u.table.n; k++)
            lock_reach(&ix, grp->u.table.vals[k], dev, stack);
    }
    free(stack);
    free(ix.by_name);
    if (!roots) {
        free(seen);
        free(dev);
        return NULL;
    }
    /* a package no group reaches (a hand-edited lock) counts as runtime */
    for (size_t j = 0; j < np; j++) seen[j] = seen[j] || !dev[j];
    free(dev);
    return seen;
}

static void add_lock_packages(manifest *m, const toml_value *arr, int pylock, int uv)
{
    if (!arr || arr->type != TOML_ARRAY) return;
    unsigned char *runtime = uv ? uv_runtime(arr) : NULL;
    for (size_t i = 0; i < arr->u.array.n; i++) {
        const toml_value *p = arr->u.array.items[i];
        const toml_value *nv = tget(p, "name");
        if (!nv || nv->type != TOML_STRING) continue;
        const char *ver = tstr(p, "version");
        unsigned flags = DEP_LOCKED | (runtime && !runtime[i] ? DEP_DEV : 0);
        const toml_value *src = tget(p, "source");
        int line = nv->line;
        if (src && src->type == TOML_TABLE) {
            const char *type = tstr(src, "type"), *url = tstr(src, "url");
            const char *git = tstr(src, "git"), *reg = tstr(src, "registry");
            if (tget(src, "virtual") || tget(src, "editable") || tget(src, "path") ||
                tget(src, "directory") || (type && (!strcmp(type, "directory") || !strcmp(type, "file"))))
                continue; /* the project itself or a local package */
            if (type && !strcmp(type, "git") && url) {
                const char *rr = tstr(src, "resolved_reference");
                char *u = xasprintf("git+%s%s%s", url, rr ? "@" : "", rr ? rr : "");
                manifest_check_url(m, u, line, nv->u.str.s);
                free(u);
                flags |= DEP_URL;
            } else if (git) { /* uv: git = "https://...?rev=x#<commit>" */
                char *u = xasprintf("git+%s", git);
                char *hash = strchr(u, '#');
                if (hash) *hash = '@';
                char *q = strchr(u, '?');
                if (q && hash && q < hash) memmove(q, hash, strlen(hash) + 1);
                manifest_check_url(m, u, line, nv->u.str.s);
                free(u);
                flags |= DEP_URL;
            } else if (url) {
                manifest_check_url(m, url, line, nv->u.str.s);
            } else if (reg) {
                manifest_check_url(m, reg, line, nv->u.str.s);
            }
        }
        if (pylock) {
            const toml_value *vcs = tget(p, "vcs");
            if (vcs) {
                const char *url = tstr(vcs, "url"), *commit = tstr(vcs, "commit-id");
                if (url) {
                    char *u = xasprintf("git+%s%s%s", url, commit ? "@" : "", commit ? commit : "");
                    manifest_check_url(m, u, line, nv->u.str.s);
                    free(u);
                }
                flags |= DEP_URL;
            }
            if (tget(p, "directory")) continue;
            const char *idx = tstr(p, "index");
            if (idx) manifest_check_url(m, idx, line, nv->u.str.s);
        }
        dep *dp = manifest_add(m, ECO_PYPI, nv->u.str.s, nv->u.str.len, ver ? ver : "",
                               (flags & DEP_URL) ? NULL : ver, line, flags);
        if (dp && nv->col > 0) {
            dp->col = nv->col + 1;
            dp->end_col = dp->col + (int)nv->u.str.len;
        }
    }
    free(runtime);
}

/* An extra named for the project's own development (pip install
 * .[test]; mkdocs' "min-versions" pins the oldest supported releases
 * for CI): its pins are never what users install. */
static int dev_extra(const char *name)
{
    static const char *const words[] = {"test", "tests", "testing", "dev", "develop", "development",
                                        "lint", "linting", "typing", "mypy", "docs", "doc", "ci",
                                        "coverage", "bench", "benchmark", "benchmarks", "min", NULL};
    char w[32];
    for (const char *p = name; *p;) {
        size_t n = 0;
        while (*p && (*p == '-' || *p == '_' || *p == '.')) p++;
        while (*p && *p != '-' && *p != '_' && *p != '.') {
            if (n < sizeof w - 1) w[n++] = (char)tolower((unsigned char)*p);
            p++;
        }
        w[n] = 0;
        for (const char *const *k = words; n && *k; k++)
            if (!strcmp(w, *k)) return 1;
    }
    return 0;
}

static void add_sources(manifest *m, const toml_value *arr)
{
    if (!arr || arr->type != TOML_ARRAY) return;
    for (size_t i = 0; i < arr->u.array.n; i++) {
        const toml_value *s = arr->u.array.items[i];
        const char *url = tstr(s, "url");
        if (!url) continue;
        check_source_url(m, url, s->line);
        const toml_value *vs = tget(s, "verify_ssl");
        if (vs && vs->type == TOML_BOOL && !vs->u.b) manifest_issue(m, SRC_TRUSTED_HOST, s->line, url, NULL);
    }
}

void py_parse_toml(manifest *m, const char *path, const char *data, size_t len, diag_list *d)
{
    m->eco = ECO_PYPI;
    toml_value *root = NULL;
    diag_list td = {0};
    if (toml_parse(data, len, path, &root, &td) || !root) {
        /* toml_parse put one error diag: report it as a warning */
        for (size_t i = 0; i < td.n; i++)
            diag_add(d, DIAG_WARNING, path, td.v[i].line, td.v[i].col, "malformed %s: %s",
                     manifest_kind_name(m->kind), td.v[i].message);
        if (!td.n) diag_add(d, DIAG_WARNING, path, 0, 0, "malformed TOML");
        diag_free(&td);
        return;
    }
    diag_free(&td);
    switch (m->kind) {
    case MK_PYPROJECT: {
        const toml_value *proj = tget(root, "project");
        add_pep508_array(m, path, tget(proj, "dependencies"), 0, d);
        const toml_value *opt = tget(proj, "optional-dependencies");
        for (size_t i = 0; opt && opt->type == TOML_TABLE && i < opt->u.table.n; i++)
            add_pep508_array(m, path, opt->u.table.vals[i], dev_extra(opt->u.table.keys[i]) ? DEP_DEV : 0, d);
        const toml_value *groups = tget(root, "dependency-groups");
        for (size_t i = 0; groups && groups->type == TOML_TABLE && i < groups->u.table.n; i++)
            add_pep508_array(m, path, groups->u.table.vals[i], DEP_DEV, d);
        const toml_value *poetry = toml_get_path(root, "tool.poetry");
        add_poetry_table(m, tget(poetry, "dependencies"), 0, 0);
        add_poetry_table(m, tget(poetry, "dev-dependencies"), DEP_DEV, 0);
        const toml_value *pg = tget(poetry, "group");
        for (size_t i = 0; pg && pg->type == TOML_TABLE && i < pg->u.table.n; i++)
            add_poetry_table(m, tget(pg->u.table.vals[i], "dependencies"), DEP_DEV, 0);
        add_sources(m, tget(poetry, "source"));
        const toml_value *pdm = toml_get_path(root, "tool.pdm.dev-dependencies");
        for (size_t i = 0; pdm && pdm->type == TOML_TABLE && i < pdm->u.table.n; i++)
            add_pep508_array(m, path, pdm->u.table.vals[i], DEP_DEV, d);
        add_sources(m, toml_get_path(root, "tool.pdm.source"));
        add_pep508_array(m, path, toml_get_path(root, "tool.uv.dev-dependencies"), DEP_DEV, d);
        add_sources(m, toml_get_path(root, "tool.uv.index"));
        const toml_value *uvs = toml_get_path(root, "tool.uv.sources");
        for (size_t i = 0; uvs && uvs->type == TOML_TABLE && i < uvs->u.table.n; i++) {
            const toml_value *s = uvs->u.table.vals[i];
            const char *git = tstr(s, "git"), *url = tstr(s, "url");
            if (git) {
                const char *rev = tstr(s, "rev");
                char *u = xasprintf("git+%s%s%s", git, rev ? "@" : "", rev ? rev : "");
                manifest_check_url(m, u, s->line, uvs->u.table.keys[i]);
                free(u);
            } else if (url) {
                manifest_check_url(m, url, s->line, uvs->u.table.keys[i]);
            }
        }
        break;
    }
    case MK_PIPFILE:
        add_sources(m, tget(root, "source"));
        add_poetry_table(m, tget(root, "packages"), 0, 1);
        add_poetry_table(m, tget(root, "dev-packages"), DEP_DEV, 1);
        break;
    case MK_POETRY_LOCK: case MK_UV_LOCK: case MK_PDM_LOCK:
        add_lock_packages(m, tget(root, "package"), 0, m->kind == MK_UV_LOCK);
        break;
    case MK_PYLOCK:
        add_lock_packages(m, tget(root, "packages"), 1, 0);
        break;
    default: break;
    }
    toml_free(root);
}

/* ---- an installed distribution: *.dist-info/METADATA ------------------------------- */

/* The core metadata's "Name:" and "Version:" headers (RFC 822 style, before
 * the first blank line), and the licence it declares: License-Expression
 * (PEP 639), else the License :: classifiers (one a line: a project
 * offering several lets its user pick), else License (with its
 * continuation lines: often a whole licence text). */
typedef struct md_licence {
    buf text;
    const char *field;
    int line, rank;          /* rank: 1 expression, 2 classifiers, 3 License */
} md_licence;

static void md_licence_take(md_licence *l, int rank, const char *field, int line,
                            const char *v, size_t n)
{
    while (n && isspace((unsigned char)*v)) v++, n--;
    while (n && isspace((unsigned char)v[n - 1])) n--;
    if (!n || (l->rank && l->rank < rank)) return;
    if (rank == 3 && n == 7 && !strncasecmp(v, "UNKNOWN", 7)) return; /* setuptools' default */
    if (l->rank != rank) {
        l->text.len = 0;
        l->rank = rank;
        l->field = field;
        l->line = line;
    } else if (rank == 2) {
        buf_putc(&l->text, '\n'); /* one classifier a line (lic_parse_list) */
    } else {
        return;
    }
    buf_append(&l->text, v, n);
}

void py_parse_metadata(manifest *m, const char *path, const char *data, size_t len, diag_list *d)
{
    m->eco = ECO_PYPI;
    const char *name = NULL, *ver = NULL;
    size_t nl = 0, vl = 0;
    int line = 0, name_line = 0, in_license = 0;
    md_licence lic = {0};
    buf_init(&lic.text, 0);
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && data[e] != '\n') e++;
        line++;
        size_t n = e - i;
        if (n && data[e - 1] == '\r') n--;
        if (!n) break; /* the headers end; the description follows */
        const char *s = data + i;
        if (in_license && (s[0] == ' ' || s[0] == '\t')) {
            if (lic.rank == 3 && lic.text.len < LIC_MAX_EXPR * 16) { /* a continuation line */
                buf_putc(&lic.text, '\n');
                size_t k = 0;
                while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
                if (k < n && s[k] == '|') k++; /* setuptools' "       |" margin */
                buf_append(&lic.text, s + k, n - k);
            }
            i = e + 1;
            continue;
        }
        in_license = 0;
        if (n > 5 && !strncasecmp(s, "Name:", 5)) {
            name = s + 5, nl = n - 5, name_line = line;
        } else if (n > 8 && !strncasecmp(s, "Version:", 8)) {
            ver = s + 8, vl = n - 8;
        } else if (n > 19 && !strncasecmp(s, "License-Expression:", 19)) {
            md_licence_take(&lic, 1, "License-Expression", line, s + 19, n - 19);
        } else if (n > 11 && !strncasecmp(s, "Classifier:", 11)) {
            const char *c = s + 11;
            size_t cl = n - 11;
            while (cl && isspace((unsigned char)*c)) c++, cl--;
            while (cl && isspace((unsigned char)c[cl - 1])) cl--;
            /* "License :: OSI Approved" alone names no licence */
            if (cl > 11 && !strncmp(c, "License :: ", 11) &&
                !(cl == 23 && !strncmp(c, "License :: OSI Approved", 23)))
                md_licence_take(&lic, 2, "classifier", line, c, cl);
        } else if (n > 8 && !strncasecmp(s, "License:", 8)) {
            md_licence_take(&lic, 3, "License", line, s + 8, n - 8);
            in_license = 1;
        }
        i = e + 1;
    }
    while (name && nl && isspace((unsigned char)*name)) name++, nl--;
    while (name && nl && isspace((unsigned char)name[nl - 1])) nl--;
    while (ver && vl && isspace((unsigned char)*ver)) ver++, vl--;
    while (ver && vl && isspace((unsigned char)ver[vl - 1])) vl--;
    if (!name || !nl || !ver || !vl) {
        diag_add(d, DIAG_WARNING, path, 0, 0, "installed package metadata without Name and Version");
        buf_free(&lic.text);
        return;
    }
    char *v = xstrndup(ver, vl);
    char *spec = xasprintf("==%s", v);
    dep *dp = manifest_add(m, ECO_PYPI, name, nl, spec, v, name_line, DEP_LOCKED);
    if (dp) dp->col = 7, dp->end_col = 7 + (int)nl;
    if (dp && lic.rank) {
        dp->licence = xstrndup(lic.text.data ? lic.text.data : "", lic.text.len);
        dp->licence_field = lic.field;
        dp->licence_line = lic.line;
    }
    buf_free(&lic.text);
    free(spec);
    free(v);
}
