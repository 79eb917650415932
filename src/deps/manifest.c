/* manifest.c - which files are manifests, the shared package list, URL
 * checks, placing entries on lines, and the dispatch to the format
 * parsers: requirements.c (pip requirements files and PEP 508), npm.c
 * (package.json and the npm lockfiles) and pyman.c (Pipfile.lock and the
 * TOML family).
 */
#include "manifest.h"
#include "../core/limits.h"
#include "../core/xalloc.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* ---- recognising manifests ------------------------------------------------ */

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
}

manifest_kind manifest_kind_of(const char *path)
{
    const char *b = base_name(path);
    static const struct { const char *name; manifest_kind k; } exact[] = {
        {"pyproject.toml", MK_PYPROJECT},   {"Pipfile", MK_PIPFILE},
        {"Pipfile.lock", MK_PIPFILE_LOCK},  {"poetry.lock", MK_POETRY_LOCK},
        {"uv.lock", MK_UV_LOCK},            {"pdm.lock", MK_PDM_LOCK},
        {"pylock.toml", MK_PYLOCK},         {"package.json", MK_PACKAGE_JSON},
        {"package-lock.json", MK_PACKAGE_LOCK}, {"npm-shrinkwrap.json", MK_PACKAGE_LOCK},
        {"yarn.lock", MK_YARN_LOCK},        {"pnpm-lock.yaml", MK_PNPM_LOCK},
    };
    for (size_t i = 0; i < sizeof exact / sizeof *exact; i++)
        if (!strcmp(b, exact[i].name)) {
            /* node_modules holds installed copies, not the project's manifests */
            if (strstr(path, "node_modules/")) return MK_NONE;
            return exact[i].k;
        }
    if (!fnmatch("pylock.*.toml", b, 0)) return MK_PYLOCK;
    /* an installed distribution: site-packages/<name>.dist-info/METADATA */
    if (strstr(path, "site-packages/") || strstr(path, "dist-packages/")) {
        size_t pl = strlen(path), bl = strlen(b);
        if (!strcmp(b, "METADATA") && pl >= 19 && !memcmp(path + pl - 19, ".dist-info/METADATA", 19))
            return MK_INSTALLED;
        /* the older egg-info form (Debian's python3-* packages): a folder
         * NAME.egg-info/PKG-INFO, or a single file NAME.egg-info */
        if (!strcmp(b, "PKG-INFO") && pl >= 18 && !memcmp(path + pl - 18, ".egg-info/PKG-INFO", 18))
            return MK_INSTALLED;
        if (bl > 9 && !strcmp(b + bl - 9, ".egg-info")) return MK_INSTALLED;
    }
    if (!fnmatch("requirements*.txt", b, 0) || !fnmatch("constraints*.txt", b, 0) ||
        !fnmatch("*-requirements.txt", b, 0) || !fnmatch("*_requirements.txt", b, 0))
        return MK_REQUIREMENTS;
    /* requirements/base.txt, requirements/prod.txt */
    size_t bl = strlen(b), pl = strlen(path);
    if (bl > 4 && !strcmp(b + bl - 4, ".txt") && pl >= bl + 13 &&
        !strncmp(path + pl - bl - 13, "requirements/", 13) &&
        (pl == bl + 13 || path[pl - bl - 14] == '/'))
        return MK_REQUIREMENTS;
    return MK_NONE;
}

const char *manifest_kind_name(manifest_kind k)
{
    static const char *const n[] = {"none",         "requirements", "pyproject.toml",
                                    "Pipfile",      "Pipfile.lock", "poetry.lock",
                                    "uv.lock",      "pdm.lock",     "pylock.toml",
                                    "installed",    "package.json", "package-lock.json", "yarn.lock",
                                    "pnpm-lock.yaml"};
    return (unsigned)k < sizeof n / sizeof *n ? n[k] : "?";
}

/* ---- the package list ------------------------------------------------------- */

dep *manifest_add(manifest *m, dep_eco eco, const char *name, size_t name_len, const char *spec,
                  const char *version, int line, unsigned flags)
{
    if (m->n >= MANIFEST_MAX_DEPS || !name_len || name_len > DEP_MAX_NAME) return NULL;
    XGROW(m->deps, m->cap, m->n + 1);
    dep *d = &m->deps[m->n++];
    memset(d, 0, sizeof *d);
    d->eco = eco;
    d->name = xstrndup(name, name_len);
    d->spec = xstrdup(spec ? spec : "");
    d->version = version && *version ? xstrdup(version) : NULL;
    d->line = line > 0 ? line : 1;
    d->flags = flags | (d->version ? DEP_PINNED : 0);
    return d;
}

/* URL without user:password@ (never echo credentials). */
static char *strip_credentials(const char *url)
{
    const char *scheme = strstr(url, "://");
    char *out = xstrdup(url);
    if (!scheme) return out;
    const char *host = scheme + 3;
    const char *at = strchr(host, '@'), *slash = strchr(host, '/');
    if (at && (!slash || at < slash)) {
        size_t pre = (size_t)(host - url);
        snprintf(out + pre, strlen(url) + 1 - pre, "***@%s", at + 1);
    }
    return out;
}

void manifest_issue(manifest *m, src_issue_kind kind, int line, const char *text,
                    const char *package)
{
    if (m->nissues >= MANIFEST_MAX_ISSUES) return;
    XGROW(m->issues, m->icap, m->nissues + 1);
    src_issue *s = &m->issues[m->nissues++];
    memset(s, 0, sizeof *s);
    s->kind = kind;
    s->line = line > 0 ? line : 1;
    s->text = strip_credentials(text);
    s->package = package ? xstrdup(package) : NULL;
}

static int is_hex(const char *s, size_t n)
{
    for (size_t i = 0; i < n; i++)
        if (!isxdigit((unsigned char)s[i])) return 0;
    return 1;
}

static int is_local_host(const char *host)
{
    return !strncmp(host, "localhost", 9) || !strncmp(host, "127.", 4) || !strncmp(host, "[::1]", 5);
}

int manifest_check_url(manifest *m, const char *url, int line, const char *package)
{
    static const char *const vcs[] = {"git+", "hg+", "svn+", "bzr+", "git://", "github:",
                                      "gitlab:", "bitbucket:", NULL};
    int is_vcs = 0;
    for (int k = 0; vcs[k]; k++)
        if (!strncasecmp(url, vcs[k], strlen(vcs[k]))) is_vcs = 1;
    const char *p = url;
    if (is_vcs && strchr(p, '+') && strchr(p, '+') < strstr(p, "://")) p = strchr(p, '+') + 1;
    if (!strncasecmp(p, "http://", 7) && !is_local_host(p + 7))
        manifest_issue(m, SRC_PLAIN_HTTP, line, url, package);
    if (!is_vcs) return 0;
    /* the revision: after the last '@' of the path (pip), or after '#' (npm) */
    const char *path = strstr(url, "://");
    path = path ? strchr(path + 3, '/') : strchr(url, ':');
    const char *rev = NULL;
    size_t rn = 0;
    if (path) {
        const char *hash = strchr(path, '#');
        const char *at = NULL;
        for (const char *q = path; *q && (!hash || q < hash); q++)
            if (*q == '@') at = q;
        if (at) {
            rev = at + 1;
            rn = hash ? (size_t)(hash - rev) : strlen(rev);
        } else if (hash) { /* npm: git+https://host/repo.git#<commit-ish> */
            rev = hash + 1;
            rn = strcspn(rev, "&");
            if (!strncmp(rev, "egg=", 4) || !strncmp(rev, "subdirectory=", 13)) rev = NULL, rn = 0;
        }
    }
    if (!(rev && rn >= 7 && rn <= 64 && is_hex(rev, rn)))
        manifest_issue(m, SRC_VCS_UNPINNED, line, url, package);
    return 1;
}

void manifest_free(manifest *m)
{
    for (size_t i = 0; i < m->n; i++) {
        free(m->deps[i].name);
        free(m->deps[i].spec);
        free(m->deps[i].version);
        free(m->deps[i].licence);
    }
    free(m->deps);
    for (size_t i = 0; i < m->nissues; i++) {
        free(m->issues[i].text);
        free(m->issues[i].package);
    }
    free(m->issues);
    for (size_t i = 0; i < m->nincludes; i++) free(m->includes[i]);
    free(m->includes);
    free(m->include_constraint);
    memset(m, 0, sizeof *m);
}

/* Line starts of the manifest being parsed, built on first use so that
 * placing every entry of a big lockfile stays O(n log n); one per thread,
 * dropped at the end of manifest_parse. */
static _Thread_local struct {
    const char *data;
    size_t len, n;
    size_t *start;
} lines_cache;

static void lines_drop(void)
{
    free(lines_cache.start);
    memset(&lines_cache, 0, sizeof lines_cache);
}

int manifest_line_of(const char *data, size_t len, size_t off)
{
    if (off > len) off = len;
    if (lines_cache.data != data || lines_cache.len != len) {
        lines_drop();
        size_t cap = 0;
        lines_cache.data = data;
        lines_cache.len = len;
        XGROW(lines_cache.start, cap, 1);
        lines_cache.start[lines_cache.n++] = 0;
        for (const char *p = data; (p = memchr(p, '\n', (size_t)(data + len - p))); p++) {
            XGROW(lines_cache.start, cap, lines_cache.n + 1);
            lines_cache.start[lines_cache.n++] = (size_t)(p - data) + 1;
        }
    }
    size_t lo = 0, hi = lines_cache.n; /* last start <= off */
    while (hi - lo > 1) {
        size_t mid = lo + (hi - lo) / 2;
        if (lines_cache.start[mid] <= off) lo = mid;
        else hi = mid;
    }
    return (int)lo + 1;
}

size_t manifest_find_key(const char *data, size_t len, size_t from, const char *key)
{
    size_t kl = strlen(key);
    if (kl + 2 > len) return (size_t)-1;
    for (size_t i = from; i + kl + 2 <= len; i++) {
        const char *q = memchr(data + i, '"', len - i);
        if (!q) break;
        i = (size_t)(q - data);
        if (i + kl + 2 <= len && !memcmp(data + i + 1, key, kl) && data[i + 1 + kl] == '"')
            return i;
    }
    return (size_t)-1;
}

/* Set line and columns of d from the byte offset of its (quoted) name. */
void manifest_place(const char *data, size_t len, size_t off, size_t name_len, dep *d)
{
    if (off == (size_t)-1 || off >= len) return;
    d->line = manifest_line_of(data, len, off);
    size_t ls = off;
    while (ls > 0 && data[ls - 1] != '\n') ls--;
    d->col = (int)(off - ls) + 1;
    d->end_col = d->col + (int)name_len + 2;
}

/* ---- dispatch -------------------------------------------------------------------- */

/* Should this file have yielded a package?  A lockfile or METADATA with
 * any content; a requirements file with a line that is neither blank, a
 * comment nor an option (-r, --index-url, ...).  Manifests that may
 * rightly declare nothing (pyproject.toml, package.json) never warn. */
static int expects_packages(manifest_kind kind, const char *data, size_t len)
{
    if (kind == MK_PYPROJECT || kind == MK_PIPFILE || kind == MK_PACKAGE_JSON) return 0;
    for (size_t i = 0; i < len;) {
        size_t e = i;
        while (e < len && data[e] != '\n') e++;
        size_t k = i;
        while (k < e && (data[k] == ' ' || data[k] == '\t' || data[k] == '\r')) k++;
        if (k < e) {
            if (kind != MK_REQUIREMENTS) return 1;
            if (data[k] != '#' && data[k] != '-') return 1;
        }
        i = e + 1;
    }
    return 0;
}

void manifest_parse(manifest *m, manifest_kind kind, const char *path, const char *data,
                    size_t len, diag_list *d)
{
    memset(m, 0, sizeof *m);
    m->kind = kind;
    m->eco = kind >= MK_PACKAGE_JSON ? ECO_NPM : ECO_PYPI;
    if (len > MANIFEST_MAX_BYTES) {
        diag_add(d, DIAG_WARNING, path, 0, 0, "manifest larger than %u MiB: not read",
                 MANIFEST_MAX_BYTES >> 20);
        return;
    }
    size_t diags_before = d ? d->n : 0;
    switch (kind) {
    case MK_REQUIREMENTS: req_parse(m, path, data, len, d); break;
    case MK_PACKAGE_JSON: npm_parse_package_json(m, path, data, len, d); break;
    case MK_PACKAGE_LOCK: npm_parse_package_lock(m, path, data, len, d); break;
    case MK_YARN_LOCK: npm_parse_yarn_lock(m, path, data, len, d); break;
    case MK_PNPM_LOCK: npm_parse_pnpm_lock(m, path, data, len, d); break;
    case MK_PIPFILE_LOCK: py_parse_pipfile_lock(m, path, data, len, d); break;
    case MK_PYPROJECT: case MK_PIPFILE: case MK_POETRY_LOCK: case MK_UV_LOCK: case MK_PDM_LOCK:
    case MK_PYLOCK: py_parse_toml(m, path, data, len, d); break;
    case MK_INSTALLED: py_parse_metadata(m, path, data, len, d); break;
    default: break;
    }
    /* (a parser that said what was wrong has said enough) */
    if (!m->n && (!d || d->n == diags_before) && expects_packages(kind, data, len))
        diag_add(d, DIAG_WARNING, path, 0, 0,
                 "no package could be read from this %s (%zu bytes): its format may be one "
                 "vibeguard does not know; its dependencies were not checked",
                 manifest_kind_name(kind), len);
    lines_drop();
}
