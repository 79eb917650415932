/* requirements.c - PEP 508 requirement strings and pip requirements files:
 * -r/-c includes, extras, environment markers, --hash, direct URLs and VCS
 * links, -e editables, --index-url / --extra-index-url / --find-links and
 * --trusted-host; comments and backslash continuations.
 */
#include "manifest.h"
#include "../core/limits.h"
#include "../core/xalloc.h"

#include <ctype.h>
#include <fnmatch.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const char *base_name(const char *path)
{
    const char *s = strrchr(path, '/');
    return s ? s + 1 : path;
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
        if (ll + take + 2 > REQ_MAX_LINE) { /* a logical line longer than 64 KiB */
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
