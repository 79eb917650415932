/* npm.c - package.json, package-lock.json / npm-shrinkwrap.json (v1-v3),
 * yarn.lock (v1 and berry) and pnpm-lock.yaml, into the package list.
 *
 * JSON and YAML carry no positions once decoded, so each entry is placed
 * by finding its key in the raw text with a cursor that only moves
 * forward (jansson keeps keys in document order), which is linear in the
 * file and right for every well-formed file.
 */
#include "licence.h"
#include "manifest.h"
#include "semver.h"
#include "../fmt/yamljson.h"
#include "../core/limits.h"
#include "../core/xalloc.h"

#include <ctype.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static json_t *load_json(const char *path, const char *data, size_t len, diag_list *d)
{
    json_error_t e;
    json_t *j = json_loadb(data, len, JSON_REJECT_DUPLICATES, &e);
    if (!j) {
        diag_add(d, DIAG_WARNING, path, e.line > 0 ? e.line : 0, e.column > 0 ? e.column : 0,
                 "malformed JSON: %s", e.text);
        return NULL;
    }
    if (!json_is_object(j)) {
        diag_add(d, DIAG_WARNING, path, 1, 1, "expected a JSON object");
        json_decref(j);
        return NULL;
    }
    return j;
}

static size_t find_text(const char *data, size_t len, size_t from, const char *needle)
{
    size_t n = strlen(needle);
    if (!n || from >= len) return (size_t)-1;
    const char *p = memmem(data + from, len - from, needle, n);
    return p ? (size_t)(p - data) : (size_t)-1;
}

/* Place entry `d` at the quoted key, searching from *cur (advanced). */
static void place_key(const char *data, size_t len, size_t *cur, const char *key, dep *dp)
{
    if (!dp) return;
    size_t off = manifest_find_key(data, len, *cur, key);
    if (off == (size_t)-1) off = manifest_find_key(data, len, 0, key);
    if (off == (size_t)-1) return;
    manifest_place(data, len, off, strlen(key), dp);
    if (off > *cur) *cur = off;
}

/* The exact version an npm specifier pins, if any ("1.2.3", "=1.2.3", "v1.2.3"). */
static int npm_exact(const char *spec, char *out, size_t n)
{
    const char *s = spec;
    while (*s == '=' || *s == 'v' || *s == ' ') s++;
    if (!isdigit((unsigned char)*s)) return 0;
    for (const char *p = s; *p; p++)
        if (strchr(" ^~<>|*xX", *p)) return 0;
    semver_ver v;
    if (semver_parse(s, strlen(s), &v)) return 0;
    /* three numeric parts: "1.2" is a range */
    int dots = 0;
    for (const char *p = s; *p && *p != '-' && *p != '+'; p++) dots += *p == '.';
    if (dots < 2) return 0;
    snprintf(out, n, "%s", s);
    return 1;
}

static int npm_url_spec(const char *s)
{
    if (strstr(s, "://") || !strncmp(s, "github:", 7) || !strncmp(s, "gitlab:", 7) ||
        !strncmp(s, "bitbucket:", 10) || !strncmp(s, "git@", 4))
        return 1;
    /* GitHub shorthand user/repo[#ref] */
    const char *slash = strchr(s, '/');
    return slash && s[0] != '@' && !strchr(s, ' ') && !strchr(s, ':') && isalnum((unsigned char)s[0]);
}

/* ---- package.json -------------------------------------------------------------- */

void npm_parse_package_json(manifest *m, const char *path, const char *data, size_t len,
                            diag_list *d)
{
    m->eco = ECO_NPM;
    json_t *j = load_json(path, data, len, d);
    if (!j) return;
    static const struct { const char *key; unsigned flags; } kinds[] = {
        {"dependencies", 0}, {"devDependencies", DEP_DEV}, {"optionalDependencies", 0},
        {"peerDependencies", 0}};
    for (size_t k = 0; k < sizeof kinds / sizeof *kinds; k++) {
        json_t *o = json_object_get(j, kinds[k].key);
        if (!o) continue;
        if (!json_is_object(o)) {
            size_t off = manifest_find_key(data, len, 0, kinds[k].key);
            diag_add(d, DIAG_WARNING, path, off == (size_t)-1 ? 0 : manifest_line_of(data, len, off),
                     0, "\"%s\" should be an object", kinds[k].key);
            continue;
        }
        size_t cur = manifest_find_key(data, len, 0, kinds[k].key);
        if (cur == (size_t)-1) cur = 0;
        const char *name;
        json_t *v;
        json_object_foreach(o, name, v) {
            const char *spec = json_is_string(v) ? json_string_value(v) : "";
            char exact[128];
            unsigned flags = kinds[k].flags;
            const char *real = name;
            size_t real_len = strlen(name);
            const char *sp = spec;
            char *alias = NULL;
            if (!strncmp(spec, "npm:", 4)) { /* "alias": "npm:real@^1.0" */
                const char *at = strchr(spec + 4 + (spec[4] == '@'), '@');
                alias = xstrndup(spec + 4, at ? (size_t)(at - spec - 4) : strlen(spec + 4));
                real = alias;
                real_len = strlen(alias);
                sp = at ? at + 1 : "";
            }
            const char *ver = NULL;
            int url = 0;
            if (!strncmp(sp, "file:", 5) || !strncmp(sp, "link:", 5) || !strncmp(sp, "workspace:", 10) ||
                !strncmp(sp, "portal:", 7)) {
                flags |= DEP_LOCAL | DEP_URL;
            } else if (npm_url_spec(sp)) {
                flags |= DEP_URL;
                url = 1;
            } else if (npm_exact(sp, exact, sizeof exact)) {
                ver = exact;
            }
            dep *dp = manifest_add(m, ECO_NPM, real, real_len, sp, ver, 1, flags);
            place_key(data, len, &cur, name, dp);
            if (url) {
                char *u = strchr(sp, ':') ? xstrdup(sp) : xasprintf("github:%s", sp);
                manifest_check_url(m, u, dp ? dp->line : 1, real);
                free(u);
            }
            free(alias);
        }
    }
    json_decref(j);
}

/* ---- package-lock.json ------------------------------------------------------------ */

const char *npm_licence_of(const json_t *pkg)
{
    const json_t *l = json_object_get(pkg, "license");
    if (json_is_object(l)) l = json_object_get(l, "type"); /* {"type": "MIT", "url": ...} */
    if (json_is_string(l)) return json_string_value(l);
    const json_t *ls = json_object_get(pkg, "licenses"); /* the old form: [{"type": ...}] */
    if (json_is_array(ls) && json_array_size(ls)) {
        const json_t *t = json_array_get(ls, 0);
        if (json_is_object(t)) t = json_object_get(t, "type");
        if (json_is_string(t)) return json_string_value(t);
    }
    return NULL;
}

static void lock_entry(manifest *m, const char *data, size_t len, size_t *cur, const char *key,
                       const char *name, json_t *e)
{
    if (json_is_true(json_object_get(e, "link"))) return;
    const char *ver = json_string_value(json_object_get(e, "version"));
    const char *res = json_string_value(json_object_get(e, "resolved"));
    const char *alias = json_string_value(json_object_get(e, "name"));
    if (alias && *alias) name = alias;
    unsigned flags = DEP_LOCKED | (json_is_true(json_object_get(e, "dev")) ? DEP_DEV : 0);
    const char *v = ver;
    if (ver && npm_url_spec(ver)) { /* v1: git dependencies keep the URL as version */
        flags |= DEP_URL;
        v = NULL;
    }
    if (!ver && !res) return;
    dep *dp = manifest_add(m, ECO_NPM, name, strlen(name), ver ? ver : "", v, 1, flags);
    place_key(data, len, cur, key, dp);
    int line = dp ? dp->line : 1;
    const char *lic = npm_licence_of(e);
    if (dp && lic) {
        dp->licence = xstrdup(lic);
        dp->licence_field = "license";
        dp->licence_line = line;
    }
    if (res) manifest_check_url(m, res, line, name);
    else if (ver && (flags & DEP_URL)) manifest_check_url(m, ver, line, name);
}

static void lock_v1(manifest *m, const char *data, size_t len, size_t *cur, json_t *deps, int depth)
{
    if (!json_is_object(deps) || depth > NPM_MAX_DEPTH) return;
    const char *name;
    json_t *e;
    json_object_foreach(deps, name, e) {
        if (!json_is_object(e)) continue;
        lock_entry(m, data, len, cur, name, name, e);
        lock_v1(m, data, len, cur, json_object_get(e, "dependencies"), depth + 1);
    }
}

void npm_parse_package_lock(manifest *m, const char *path, const char *data, size_t len,
                            diag_list *d)
{
    m->eco = ECO_NPM;
    json_t *j = load_json(path, data, len, d);
    if (!j) return;
    size_t cur = 0;
    json_t *pk = json_object_get(j, "packages");
    if (json_is_object(pk)) { /* v2, v3 */
        const char *key;
        json_t *e;
        json_object_foreach(pk, key, e) {
            if (!*key || !json_is_object(e)) continue; /* "" is the project itself */
            const char *nm = NULL;
            for (const char *p = key; (p = strstr(p, "node_modules/")); p += 13) nm = p + 13;
            if (!nm || !*nm) continue; /* workspace folders */
            lock_entry(m, data, len, &cur, key, nm, e);
        }
    } else {
        lock_v1(m, data, len, &cur, json_object_get(j, "dependencies"), 0);
    }
    json_decref(j);
}

/* ---- yarn.lock ---------------------------------------------------------------------- */

void npm_parse_yarn_lock(manifest *m, const char *path, const char *data, size_t len,
                         diag_list *d)
{
    m->eco = ECO_NPM;
    size_t i = 0;
    int lineno = 0;
    char name[256] = "";
    int entry_line = 0, have = 0, skip = 0;
    size_t ns = 0;
    dep *cur = NULL;
    while (i < len) {
        size_t e = i;
        while (e < len && data[e] != '\n') e++;
        lineno++;
        size_t n = e - i;
        const char *s = data + i;
        if (n && s[n - 1] == '\r') n--;
        i = e + 1;
        if (!n || s[0] == '#') continue;
        if (s[0] != ' ') { /* an entry header: "a@^1", "a@^1.1":  */
            cur = NULL;
            have = skip = 0;
            if (s[n - 1] != ':') {
                diag_add(d, DIAG_WARNING, path, lineno, 1, "yarn.lock: expected an entry header");
                continue;
            }
            size_t k = 0;
            if (s[k] == '"') k++;
            ns = k;
            size_t at = (size_t)-1;
            for (size_t q = k + 1; q < n && s[q] != ',' && s[q] != '"' && s[q] != ':'; q++)
                if (s[q] == '@') {
                    at = q;
                    break;
                }
            /* berry puts a colon inside the descriptor: "a@npm:^1" */
            if (at == (size_t)-1) {
                for (size_t q = k + 1; q < n && s[q] != ',' && s[q] != '"'; q++)
                    if (s[q] == '@') {
                        at = q;
                        break;
                    }
            }
            if (at == (size_t)-1 || at - ns >= sizeof name) {
                if (n < 10 || memcmp(s, "__metadata", 10))
                    diag_add(d, DIAG_WARNING, path, lineno, 1, "yarn.lock: entry without a name");
                continue;
            }
            memcpy(name, s + ns, at - ns);
            name[at - ns] = 0;
            const char *desc = s + at + 1;
            size_t dl = n - at - 1;
            static const char *const local[] = {"patch:", "workspace:", "file:", "link:", "portal:"};
            for (size_t q = 0; q < sizeof local / sizeof *local; q++)
                if (dl >= strlen(local[q]) && !memcmp(desc, local[q], strlen(local[q]))) skip = 1;
            entry_line = lineno;
            have = 1;
            continue;
        }
        if (!have || skip) continue;
        size_t k = 0;
        while (k < n && s[k] == ' ') k++;
        if (k != 2) continue; /* nested (dependencies:) */
        const char *f = s + k;
        size_t fn = n - k;
        if (fn > 8 && !strncmp(f, "version", 7) && (f[7] == ' ' || f[7] == ':')) {
            const char *v = f + 7, *end = s + n;
            while (v < end && (*v == ' ' || *v == ':' || *v == '"')) v++;
            size_t vl = (size_t)(end - v);
            while (vl && (v[vl - 1] == '"' || v[vl - 1] == ' ')) vl--;
            char ver[128];
            if (!vl || vl >= sizeof ver) continue;
            memcpy(ver, v, vl);
            ver[vl] = 0;
            cur = manifest_add(m, ECO_NPM, name, strlen(name), ver, ver, entry_line, DEP_LOCKED);
            if (cur) {
                cur->col = 1;
                cur->end_col = 1 + (int)strlen(name) + (int)ns;
            }
        } else if ((fn > 9 && !strncmp(f, "resolved ", 9)) || (fn > 11 && !strncmp(f, "resolution:", 11))) {
            const char *end = s + n;
            const char *v = memchr(f, ' ', (size_t)(end - f));
            if (!v) continue;
            while (v < end && (*v == ' ' || *v == '"')) v++;
            size_t vl = (size_t)(end - v);
            while (vl && v[vl - 1] == '"') vl--;
            char *url = xstrndup(v, vl);
            if (strstr(url, "://")) manifest_check_url(m, url, lineno, name);
            free(url);
        }
    }
}

/* ---- pnpm-lock.yaml ------------------------------------------------------------------- */

/* Copy src into dst[n]; 0 when it does not fit. */
static int copy_fit(char *dst, size_t n, const char *src)
{
    size_t l = strlen(src);
    if (l >= n) return 0;
    memcpy(dst, src, l + 1);
    return 1;
}

/* "/@s/a/1.2.3_peer", "/a@1.2.3(peer)", "a@1.2.3" -> name, version */
static int pnpm_key(const char *key, char *name, size_t nn, char *ver, size_t vn)
{
    const char *k = key;
    if (strstr(k, "://")) return 0;
    if (*k == '/') k++;
    char tmp[512];
    if (!copy_fit(tmp, sizeof tmp, k)) return 0;
    char *paren = strchr(tmp, '(');
    if (paren) *paren = 0;
    char *at = strrchr(tmp, '@');
    if (at && at != tmp) { /* v6+ */
        *at = 0;
        if (!copy_fit(name, nn, tmp) || !copy_fit(ver, vn, at + 1)) return 0;
    } else { /* v5: name/version */
        char *slash = strrchr(tmp, '/');
        if (!slash || slash == tmp) return 0;
        *slash = 0;
        if (!copy_fit(name, nn, tmp) || !copy_fit(ver, vn, slash + 1)) return 0;
        char *us = strchr(ver, '_');
        if (us) *us = 0;
    }
    return name[0] && ver[0] && isdigit((unsigned char)ver[0]);
}

void npm_parse_pnpm_lock(manifest *m, const char *path, const char *data, size_t len,
                         diag_list *d)
{
    m->eco = ECO_NPM;
    int line;
    char msg[160];
    json_t *j = yaml_to_json(data, len, &line, msg, sizeof msg);
    if (!j) {
        diag_add(d, DIAG_WARNING, path, line, 0, "malformed pnpm-lock.yaml: %s", msg);
        return;
    }
    json_t *pk = json_object_get(j, "packages");
    size_t cur = find_text(data, len, 0, "\npackages:");
    if (cur == (size_t)-1) cur = 0;
    const char *key;
    json_t *e;
    json_object_foreach(pk, key, e) {
        char name[256], ver[128];
        const char *dev = json_string_value(json_object_get(e, "dev")); /* YAML scalars are text */
        unsigned flags = DEP_LOCKED | (dev && !strcmp(dev, "true") ? DEP_DEV : 0);
        const char *spec = ver, *version = ver;
        json_t *res0 = json_object_get(e, "resolution");
        int nonreg = json_object_get(e, "name") &&
                     (json_object_get(res0, "tarball") || json_object_get(res0, "repo") ||
                      json_object_get(res0, "directory"));
        if (nonreg || !pnpm_key(key, name, sizeof name, ver, sizeof ver)) {
            /* a git, tarball or local entry (github.com/u/r/<sha>, name@https://...,
             * file:../x): not from the registry, named by its "name" field */
            const char *nm = json_string_value(json_object_get(e, "name"));
            if (!nm || !copy_fit(name, sizeof name, nm)) continue;
            json_t *res = json_object_get(e, "resolution");
            int local = json_object_get(res, "directory") || strstr(key, "file:") || strstr(key, "link:");
            flags |= local ? DEP_LOCAL : DEP_URL;
            spec = key;
            version = NULL;
            const char *repo = json_string_value(json_object_get(res, "repo"));
            if (repo) manifest_check_url(m, repo, 1, name);
        }
        dep *dp = manifest_add(m, ECO_NPM, name, strlen(name), spec, version, 1, flags);
        size_t off = find_text(data, len, cur, key);
        if (dp && off != (size_t)-1) {
            manifest_place(data, len, off, strlen(key), dp);
            dp->end_col = dp->col + (int)strlen(key);
            cur = off;
        }
        const char *tb = json_string_value(json_object_get(json_object_get(e, "resolution"), "tarball"));
        if (tb) manifest_check_url(m, tb, dp ? dp->line : 1, name);
    }
    json_decref(j);
}
