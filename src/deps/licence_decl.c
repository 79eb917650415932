/* licence_decl.c - the licence a manifest declares for its own package:
 * pyproject.toml (PEP 621/639 license, its classifiers, Poetry's license),
 * PKG-INFO (the core metadata of an sdist), setup.cfg ([metadata] license),
 * setup.py (a literal license="..." argument, read as text: nothing is
 * run) and package.json ("license").  See licence.h. */
#include "licence.h"
#include "manifest.h"
#include "../fmt/toml.h"

#include <ctype.h>
#include <jansson.h>
#include <string.h>
#include <strings.h>

static const char *base_of(const char *path)
{
    const char *b = strrchr(path, '/');
    return b ? b + 1 : path;
}

int lic_decl_kind(const char *path)
{
    const char *b = base_of(path);
    if (!strcmp(b, "pyproject.toml")) return 1;
    if (!strcmp(b, "PKG-INFO")) return 2;
    if (!strcmp(b, "setup.cfg")) return 3;
    if (!strcmp(b, "setup.py")) return 4;
    if (!strcmp(b, "package.json")) return 5;
    return 0;
}

static void from_pyproject(const char *path, const char *data, size_t len, lic_decl_fn fn, void *ud)
{
    toml_value *root = NULL;
    diag_list d = {0};
    if (toml_parse(data, len, path, &root, &d) || !root) { /* the deps analyzer reports it */
        diag_free(&d);
        return;
    }
    diag_free(&d);
    const toml_value *proj = toml_get(root, "project");
    const toml_value *lic = proj && proj->type == TOML_TABLE ? toml_get(proj, "license") : NULL;
    if (lic && lic->type == TOML_STRING) {
        fn(ud, "project.license", lic->u.str.s, lic->u.str.len, lic->line, 1, 0);
    } else if (lic && lic->type == TOML_TABLE) {
        const toml_value *t = toml_get(lic, "text");
        if (t && t->type == TOML_STRING) fn(ud, "project.license.text", t->u.str.s, t->u.str.len, t->line, 2, 0);
    }
    const toml_value *cl = proj && proj->type == TOML_TABLE ? toml_get(proj, "classifiers") : NULL;
    if (cl && cl->type == TOML_ARRAY) {
        for (size_t i = 0; i < cl->u.array.n; i++) {
            const toml_value *c = cl->u.array.items[i];
            if (c->type != TOML_STRING || strncmp(c->u.str.s, "License :: ", 11) ||
                !strcmp(c->u.str.s, "License :: OSI Approved"))
                continue;
            fn(ud, "project.classifiers", c->u.str.s, c->u.str.len, c->line, 3, 1);
        }
    }
    const toml_value *po = toml_get_path(root, "tool.poetry");
    const toml_value *pl = po && po->type == TOML_TABLE ? toml_get(po, "license") : NULL;
    if (pl && pl->type == TOML_STRING)
        fn(ud, "tool.poetry.license", pl->u.str.s, pl->u.str.len, pl->line, 1, 0);
    toml_free(root);
}

static void from_pkg_info(const char *path, const char *data, size_t len, lic_decl_fn fn, void *ud)
{
    manifest m;
    memset(&m, 0, sizeof m);
    diag_list d = {0};
    py_parse_metadata(&m, path, data, len, &d);
    diag_free(&d);
    if (m.n && m.deps[0].licence) {
        const dep *x = &m.deps[0];
        int prio = !strcmp(x->licence_field, "License-Expression") ? 1
                   : !strcmp(x->licence_field, "License")          ? 2 : 3;
        fn(ud, x->licence_field, x->licence, strlen(x->licence), x->licence_line, prio,
           !strcmp(x->licence_field, "classifier"));
    }
    manifest_free(&m);
}

/* setup.cfg: "license = X" (or "license: X") in [metadata]. */
static void from_setup_cfg(const char *data, size_t len, lic_decl_fn fn, void *ud)
{
    int in_meta = 0, line = 0;
    for (size_t i = 0; i < len;) {
        const char *e = memchr(data + i, '\n', len - i);
        size_t n = e ? (size_t)(e - (data + i)) : len - i;
        const char *s = data + i;
        line++;
        i += n + 1;
        while (n && isspace((unsigned char)s[n - 1])) n--;
        if (n && s[0] == '[') {
            in_meta = n >= 10 && !strncmp(s, "[metadata]", 10);
            continue;
        }
        if (!in_meta || n < 8 || strncasecmp(s, "license", 7)) continue;
        size_t k = 7;
        while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
        if (k >= n || (s[k] != '=' && s[k] != ':')) continue;
        k++;
        while (k < n && (s[k] == ' ' || s[k] == '\t')) k++;
        if (k < n) fn(ud, "metadata.license", s + k, n - k, line, 2, 0);
    }
}

/* setup.py: the first license="..." / license='...' keyword with a literal. */
static void from_setup_py(const char *data, size_t len, lic_decl_fn fn, void *ud)
{
    for (size_t i = 0; i + 9 < len; i++) {
        if (strncmp(data + i, "license", 7) || (i && (isalnum((unsigned char)data[i - 1]) ||
                                                     data[i - 1] == '_')))
            continue;
        size_t k = i + 7;
        while (k < len && (data[k] == ' ' || data[k] == '\t')) k++;
        if (k >= len || data[k] != '=' || (k + 1 < len && data[k + 1] == '=')) continue;
        k++;
        while (k < len && (data[k] == ' ' || data[k] == '\t')) k++;
        if (k >= len || (data[k] != '"' && data[k] != '\'')) continue;
        char q = data[k++];
        size_t b = k;
        while (k < len && data[k] != q && data[k] != '\n') k++;
        if (k >= len || data[k] != q) continue;
        int line = 1;
        for (size_t j = 0; j < i; j++) line += data[j] == '\n';
        fn(ud, "setup(license=...)", data + b, k - b, line, 4, 0);
        return;
    }
}

static void from_package_json(const char *data, size_t len, lic_decl_fn fn, void *ud)
{
    json_error_t e;
    json_t *j = json_loadb(data, len, 0, &e);
    if (!json_is_object(j)) {
        json_decref(j);
        return;
    }
    const char *lic = npm_licence_of(j);
    if (lic) {
        size_t off = manifest_find_key(data, len, 0, "license");
        int line = 1; /* not manifest_line_of: its cache lives for one manifest_parse */
        for (size_t i = 0; off != (size_t)-1 && i < off; i++) line += data[i] == '\n';
        fn(ud, "license", lic, strlen(lic), line, 1, 0);
    }
    json_decref(j);
}

void lic_read_decls(const char *path, const char *data, size_t len, lic_decl_fn fn, void *ud)
{
    switch (lic_decl_kind(path)) {
    case 1: from_pyproject(path, data, len, fn, ud); break;
    case 2: from_pkg_info(path, data, len, fn, ud); break;
    case 3: from_setup_cfg(data, len, fn, ud); break;
    case 4: from_setup_py(data, len, fn, ud); break;
    case 5: from_package_json(data, len, fn, ud); break;
    default: break;
    }
}
