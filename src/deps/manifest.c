/* manifest.c - which files are manifests, the shared package list, URL
 * checks, PEP 508 requirements and the pip requirements-file format.
 * The other formats live in npm.c (package.json and the npm lockfiles) and
 * pyman.c (Pipfile.lock and the TOML family).
 */
#include "manifest.h"
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
                                    "package.json", "package-lock.json", "yarn.lock",
                                    "pnpm-lock.yaml"};
    return (unsigned)k < sizeof n / sizeof *n ? n[k] : "?";
}

/* ---- the package list ------------------------------------------------------- */

dep *manifest_add(manifest *m, dep_eco eco, const char *name, size_t name_len, const char *spec,
                  const char *version, int line, unsigned flags)
{
    if (m->n >= MANIFEST_MAX_DEPS || !name_len || name_len > 214) return NULL;
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
    if (m->nissues >= 10000) return;
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

/* ---- PEP 508 ------------------------------------------------------------------ */

int pep508_parse(const char *s, size_t n, pep508 *r)
{
    memset(r, 0, sizeof *r);
    size_t i = 0;
    while (i < n && isspace((unsigned char)s[i])) i++;
    size_t ns = i;
    while (i < n && (isalnum((unsigned char)s[i]) || s[i] == '-' || s[i] == '_' || s[i] == '.'))
        i++;
    if (i == ns || !isalnum((unsigned char)s[ns])) return -1;
    r->name = s + ns;
    r->name_len = i - ns;
    while (i < n && isspace((unsigned char)s[i])) i++;
    if (i < n && s[i] == '[') { /* extras */
        while (i < n && s[i] != ']') i++;
        if (i < n) i++;
    }
    while (i < n && isspace((unsigned char)s[i])) i++;
    if (i < n && s[i] == '@') {
        i++;
        while (i < n && isspace((unsigned char)s[i])) i++;
        size_t us = i;
        while (i < n && !isspace((unsigned char)s[i]) && s[i] != ';') i++;
        size_t ul = i - us < sizeof r->url - 1 ? i - us : sizeof r->url - 1;
        memcpy(r->url, s + us, ul);
        r->url[ul] = 0;
        return 0;
    }
    size_t k = 0;
    for (; i < n && s[i] != ';'; i++) {
        char c = s[i];
        if (c == '(' || c == ')' || isspace((unsigned char)c)) continue;
        /* a specifier is operators, versions and commas; anything else
         * means the name did not end where we thought ("reqéests") */
        if (!isalnum((unsigned char)c) && !strchr("<>=!~,.*+-_", c)) return -1;
        if (k + 1 < sizeof r->spec) r->spec[k++] = c;
    }
    r->spec[k] = 0;
    if (k && !strchr("<>=!~", r->spec[0])) return -1; /* "flask 1.0" */
    return 0;
}

const char *pep440_exact(const char *spec, char *buf, size_t n)
{
    const char *v;
    if (!strncmp(spec, "===", 3)) v = spec + 3;
    else if (!strncmp(spec, "==", 2)) v = spec + 2;
    else return NULL;
    while (*v == ' ') v++;
    if (!*v || strchr(v, ',') || strchr(v, '*') || strlen(v) >= n) return NULL;
    snprintf(buf, n, "%s", v);
    size_t l = strlen(buf);
    while (l && isspace((unsigned char)buf[l - 1])) buf[--l] = 0;
    return buf;
}

/* ---- requirements files --------------------------------------------------------- */

static void add_include(manifest *m, const char *file, size_t n, int constraint)
{
    if (m->nincludes >= 64 || !n) return;
    if (m->nincludes == m->inccap) {
        m->inccap = m->inccap ? m->inccap * 2 : 4;
        m->includes = xrealloc_n(m->includes, m->inccap, sizeof *m->includes);
        m->include_constraint = xrealloc_n(m->include_constraint, m->inccap, sizeof(int));
    }
    m->include_constraint[m->nincludes] = constraint;
    m->includes[m->nincludes++] = xstrndup(file, n);
}

/* Value of an option: "--opt=VAL", "--opt VAL", "-xVAL". */
static const char *opt_value(const char *s, size_t optlen, size_t *vl)
{
    const char *v = s + optlen;
    if (*v == '=') v++;
    while (*v == ' ' || *v == '\t') v++;
    *vl = strcspn(v, " \t");
    return v;
}

static int starts_opt(const char *s, const char *opt)
{
    size_t n = strlen(opt);
    return !strncmp(s, opt, n) && (s[n] == 0 || s[n] == '=' || s[n] == ' ' || s[n] == '\t' ||
                                   (opt[1] != '-' && s[n] != 0));
}

static int public_index(const char *url, size_t n)
{
    return (n >= 23 && strstr(url, "://pypi.org/simple") && (size_t)(strstr(url, "://pypi.org/simple") - url) < n) ||
           (n >= 20 && strstr(url, "://pypi.python.org") && (size_t)(strstr(url, "://pypi.python.org") - url) < n);
}

/* Handle one logical line (comments removed, continuations joined). */
static void req_line(manifest *m, const char *path, int lineno, char *s, int constraint,
                     diag_list *d)
{
    const char *base = s;
    while (*s == ' ' || *s == '\t') s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = 0;
    if (!n) return;
    size_t vl;
    const char *v;
    if (starts_opt(s, "-r") || starts_opt(s, "--requirement") || starts_opt(s, "-c") ||
        starts_opt(s, "--constraint")) {
        int c = s[1] == 'c' || !strncmp(s, "--constraint", 12);
        size_t ol = s[1] == '-' ? strcspn(s, "= \t") : 2;
        v = opt_value(s, ol, &vl);
        add_include(m, v, vl, c);
        return;
    }
    if (starts_opt(s, "-i") || starts_opt(s, "--index-url") || starts_opt(s, "--extra-index-url") ||
        starts_opt(s, "-f") || starts_opt(s, "--find-links")) {
        size_t ol = s[1] == '-' ? strcspn(s, "= \t") : 2;
        v = opt_value(s, ol, &vl);
        char *url = xstrndup(v, vl);
        if (strncmp(s, "-f", 2) && strncmp(s, "--find-links", 12) && !public_index(url, vl))
            m->private_index = 1;
        manifest_check_url(m, url, lineno, NULL);
        free(url);
        return;
    }
    if (starts_opt(s, "--trusted-host")) {
        v = opt_value(s, 14, &vl);
        char *host = xstrndup(v, vl);
        manifest_issue(m, SRC_TRUSTED_HOST, lineno, host, NULL);
        free(host);
        return;
    }
    unsigned flags = DEP_APP | (constraint ? DEP_CONSTRAINT : 0);
    if (starts_opt(s, "-e") || starts_opt(s, "--editable")) {
        size_t ol = s[1] == '-' ? strcspn(s, "= \t") : 2;
        v = opt_value(s, ol, &vl);
        char *url = xstrndup(v, vl);
        int vcs = manifest_check_url(m, url, lineno, NULL);
        if (vcs) { /* git+https://...#egg=name */
            const char *egg = strstr(url, "egg=");
            if (egg) {
                size_t en = strcspn(egg + 4, "&# ");
                dep *dp = manifest_add(m, ECO_PYPI, egg + 4, en, "", NULL, lineno,
                                       flags | DEP_URL | DEP_LOCAL);
                if (dp) dp->col = 0;
            }
        }
        free(url);
        return;
    }
    if (s[0] == '-') return; /* other pip options (--pre, --no-binary, ...) */
    /* a bare URL or path: "git+https://...#egg=x", "./pkg", "https://.../x.whl" */
    if (strstr(s, "://") && (size_t)(strstr(s, "://") - s) < strcspn(s, " ;@[=<>!~")) {
        char *url = xstrndup(s, strcspn(s, " \t;"));
        manifest_check_url(m, url, lineno, NULL);
        const char *egg = strstr(url, "egg=");
        if (egg) manifest_add(m, ECO_PYPI, egg + 4, strcspn(egg + 4, "&# "), "", NULL, lineno,
                              flags | DEP_URL);
        free(url);
        return;
    }
    if (s[0] == '.' || s[0] == '/') return; /* local path */
    /* --hash options at the end of the requirement */
    int hashed = strstr(s, "--hash") != NULL;
    char *opt = strstr(s, " -");
    if (!opt) opt = strstr(s, "\t-");
    if (opt) *opt = 0;
    pep508 r;
    if (pep508_parse(s, strlen(s), &r)) {
        diag_add(d, DIAG_WARNING, path, lineno, 1, "not a requirement: '%.60s'", s);
        return;
    }
    if (hashed) flags |= DEP_HASHED;
    char exact[128];
    const char *ver = NULL;
    if (r.url[0]) {
        flags |= DEP_URL;
        manifest_check_url(m, r.url, lineno, NULL);
        if (!strncmp(r.url, "file:", 5)) flags |= DEP_LOCAL;
    } else {
        ver = pep440_exact(r.spec, exact, sizeof exact);
    }
    dep *dp = manifest_add(m, ECO_PYPI, r.name, r.name_len, r.url[0] ? r.url : r.spec, ver,
                           lineno, flags);
    if (dp) {
        dp->col = (int)(r.name - base) + 1; /* on the logical line's first line */
        dp->end_col = dp->col + (int)r.name_len;
    }
}

void req_parse(manifest *m, const char *path, const char *data, size_t len, diag_list *d)
{
    m->eco = ECO_PYPI;
    int constraint = !fnmatch("constraints*.txt", base_name(path), 0);
    size_t i = 0;
    int lineno = 0;
    char *logical = NULL;
    size_t ll = 0, lcap = 0;
    int start_line = 1;
    while (i < len) {
        size_t e = i;
        while (e < len && data[e] != '\n') e++;
        lineno++;
        size_t n = e - i;
        if (n && data[i + n - 1] == '\r') n--;
        if (!ll) start_line = lineno;
        /* comment: '#' at line start or after whitespace */
        size_t cut = n;
        for (size_t k = 0; k < n; k++)
            if (data[i + k] == '#' && (k == 0 || data[i + k - 1] == ' ' || data[i + k - 1] == '\t')) {
                cut = k;
                break;
            }
        int cont = cut == n && n && data[i + n - 1] == '\\';
        size_t take = cont ? n - 1 : cut;
        if (ll + take + 2 > 65536) { /* a logical line longer than 64 KiB */
            diag_add(d, DIAG_WARNING, path, start_line, 1, "line too long: skipped");
            ll = 0;
        } else {
            XGROW(logical, lcap, ll + take + 2);
            memcpy(logical + ll, data + i, take);
            ll += take;
            logical[ll] = 0;
        }
        if (!cont) {
            if (ll) {
                for (size_t k = 0; k < ll; k++)
                    if (logical[k] == 0) logical[k] = ' ';
                req_line(m, path, start_line, logical, constraint, d);
            }
            ll = 0;
        } else if (ll) {
            logical[ll++] = ' ';
            logical[ll] = 0;
        }
        i = e + 1;
    }
    if (ll) req_line(m, path, start_line, logical, constraint, d);
    free(logical);
}

/* ---- dispatch -------------------------------------------------------------------- */

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
    switch (kind) {
    case MK_REQUIREMENTS: req_parse(m, path, data, len, d); break;
    case MK_PACKAGE_JSON: npm_parse_package_json(m, path, data, len, d); break;
    case MK_PACKAGE_LOCK: npm_parse_package_lock(m, path, data, len, d); break;
    case MK_YARN_LOCK: npm_parse_yarn_lock(m, path, data, len, d); break;
    case MK_PNPM_LOCK: npm_parse_pnpm_lock(m, path, data, len, d); break;
    case MK_PIPFILE_LOCK: py_parse_pipfile_lock(m, path, data, len, d); break;
    case MK_PYPROJECT: case MK_PIPFILE: case MK_POETRY_LOCK: case MK_UV_LOCK: case MK_PDM_LOCK:
    case MK_PYLOCK: py_parse_toml(m, path, data, len, d); break;
    default: break;
    }
    lines_drop();
}
