/* bandit.c - Bandit's configuration files into vg_opts; see bandit.h.
 *
 * Every format is first turned into one jansson tree (INI: an object of
 * strings; TOML: [tool.bandit]; YAML: the document) by
 * rules/bandit_config.c, which reads from memory (so the fuzzer reaches
 * it) and reports through diags; this file reads the file, prints, and
 * says what a key means, once, in apply().
 */
#include "bandit.h"
#include "cli.h"
#include "../core/fsutil.h"
#include "../core/limits.h"
#include "../core/xalloc.h"
#include "../finding/rule.h"
#include "../rules/bandit_config.h"
#include "../fmt/toml.h"
#include "../scan/families.h"

#include <ctype.h>
#include <errno.h>
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

static const char *base_name(const char *p)
{
    const char *s = strrchr(p, '/');
    return s ? s + 1 : p;
}

static int ends_with(const char *s, const char *suf)
{
    size_t n = strlen(s), m = strlen(suf);
    return n >= m && !strcmp(s + n - m, suf);
}

/* --- reading ----------------------------------------------------------------- */

/* The Bandit settings of one file as a JSON object (rules/bandit_config.h
 * parses them); NULL after an error message.  *absent is set when a
 * pyproject.toml has no [tool.bandit], or when one found by looking
 * (`looked`) does not parse: a broken manifest is the manifest's problem
 * (the config loader has warned), never the scan's. */
static json_t *load(const char *path, int *absent, int looked)
{
    char *data = NULL;
    size_t len = 0;
    *absent = 0;
    if (fs_read_all(path, CONFIG_MAX_BYTES, &data, &len)) {
        cli_error("%s: cannot read the Bandit config: %s", path, strerror(errno));
        return NULL;
    }
    bandit_config_format f = bandit_config_format_of(path);
    diag_list d = {0};
    json_t *j = NULL;
    bandit_config_status st = bandit_config_parse(f, path, data, len, &j, &d);
    if (st == BANDIT_CONFIG_ABSENT || (st == BANDIT_CONFIG_BAD && f == BANDIT_CONFIG_TOML && looked))
        *absent = 1;
    else if (st == BANDIT_CONFIG_BAD)
        cli_print_diags(stderr, &d, DIAG_ERROR);
    diag_free(&d);
    free(data);
    return j;
}

/* --- applying ---------------------------------------------------------------- */

static char *trim(char *s)
{
    while (isspace((unsigned char)*s)) s++;
    size_t n = strlen(s);
    while (n && isspace((unsigned char)s[n - 1])) s[--n] = 0;
    return s;
}

/* A list value: a YAML/TOML list, or a comma-separated string (INI, and
 * Bandit's own -s/-t spelling). */
static void each_item(json_t *v, void (*fn)(const char *item, void *ud), void *ud)
{
    if (json_is_array(v)) {
        size_t i;
        json_t *e;
        json_array_foreach(v, i, e)
            if (json_is_string(e)) each_item(e, fn, ud);
        return;
    }
    const char *s = json_string_value(v);
    if (!s) return;
    char *copy = xstrdup(s);
    for (char *save = NULL, *t = strtok_r(copy, ",", &save); t; t = strtok_r(NULL, ",", &save)) {
        t = trim(t);
        if (*t) fn(t, ud);
    }
    free(copy);
}

typedef struct apply_ctx {
    vg_opts *o;
    const char *path;
    int quiet;
    str_list tests;
    size_t first_skip; /* o->ignore.v[first_skip..]: this file's skips */
    size_t unknown;    /* ids warned about */
} apply_ctx;

/* At most this many "not a check" warnings a file: a hostile config of a
 * million junk ids is one more line, not a million. */
#define BANDIT_UNKNOWN_WARNINGS 20

static int known_bandit_id(apply_ctx *a, const char *id, const char *key)
{
    if (registry_find(id)) return 1;
    if (!a->quiet && a->unknown++ < BANDIT_UNKNOWN_WARNINGS)
        fprintf(stderr, "%s: warning: %s: '%s' is not a check vibeguard implements (ignored)\n",
                a->path, key, id);
    return 0;
}

/* Is id in l->v[from..]?  The lists hold known ids only, once each, so
 * this is bounded by the registry, however long the config's list. */
static int has_from(const str_list *l, size_t from, const char *id)
{
    for (size_t i = from; i < l->n; i++)
        if (!strcmp(l->v[i], id)) return 1;
    return 0;
}

static void add_skip(const char *id, void *ud)
{
    apply_ctx *a = ud;
    char up[32];
    snprintf(up, sizeof up, "%s", id);
    for (char *p = up; *p; p++) *p = (char)toupper((unsigned char)*p);
    if (known_bandit_id(a, up, "skips") && !has_from(&a->o->ignore, a->first_skip, up))
        str_list_add(&a->o->ignore, up);
}

static void add_test(const char *id, void *ud)
{
    apply_ctx *a = ud;
    char up[32];
    snprintf(up, sizeof up, "%s", id);
    for (char *p = up; *p; p++) *p = (char)toupper((unsigned char)*p);
    if (known_bandit_id(a, up, "tests") && !str_list_has(&a->tests, up)) str_list_add(&a->tests, up);
}

/* Bandit matches an excluded path with fnmatch ('*' spans '/') or as a
 * part of the path; as a gitignore glob: no leading "./" or trailing '/',
 * and a '*' next to a '/' or at an end spans directories ("**"). */
static char *bandit_glob(const char *p)
{
    while (p[0] == '.' && p[1] == '/') p += 2;
    size_t n = strlen(p);
    while (n > 1 && p[n - 1] == '/') n--;
    char *g = xcalloc(1, 2 * n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        g[k++] = p[i];
        int lone = p[i] == '*' && (i == 0 || p[i - 1] != '*') && (i + 1 >= n || p[i + 1] != '*');
        if (lone && (i == 0 || p[i - 1] == '/' || i + 1 == n || p[i + 1] == '/')) g[k++] = '*';
    }
    return g;
}

static void add_path_ignore(vg_opts *o, const char *glob, const char *id)
{
    path_ignore pi = {0};
    pi.glob = bandit_glob(glob);
    if (!*pi.glob) {
        free(pi.glob);
        return;
    }
    str_list_add(&pi.ids, id);
    o->per_file_ignores = xrealloc_n(o->per_file_ignores, o->n_per_file_ignores + 1,
                                     sizeof *o->per_file_ignores);
    o->per_file_ignores[o->n_per_file_ignores++] = pi;
}

static void add_exclude(const char *glob, void *ud) { add_path_ignore(((apply_ctx *)ud)->o, glob, "B"); }
static void add_assert_skip(const char *glob, void *ud) { add_path_ignore(((apply_ctx *)ud)->o, glob, "B101"); }
static void add_to(const char *s, void *ud) { str_list_add(ud, s); }

/* The items of list option `key`, at most BANDIT_LIST_MAX of them: each
 * exclude glob is matched against every path, each tmp dir against every
 * string, so a hostile config of a million items would cost the scan a
 * million times its files; the rest are dropped with a warning. */
typedef struct item_cap {
    void (*fn)(const char *item, void *ud);
    void *ud;
    size_t n;
} item_cap;

static void capped(const char *item, void *ud)
{
    item_cap *c = ud;
    if (c->n++ < BANDIT_LIST_MAX) c->fn(item, c->ud);
}

static void each_option_item(apply_ctx *a, const char *key, json_t *v,
                             void (*fn)(const char *item, void *ud), void *ud)
{
    item_cap c = {fn, ud, 0};
    each_item(v, capped, &c);
    if (c.n > BANDIT_LIST_MAX && !a->quiet)
        fprintf(stderr, "%s: warning: %s: %zu items past the first %d ignored\n", a->path, key,
                c.n - BANDIT_LIST_MAX, BANDIT_LIST_MAX);
}

/* A list option that is present replaces the built-in list, even when
 * empty (Bandit's meaning): "" stands for "none", matching no name. */
static void set_list(apply_ctx *a, const char *key, json_t *v, str_list *l)
{
    if (!v) return;
    str_list_add(l, "");
    each_option_item(a, key, v, add_to, l);
}

/* 0, or 2 after a message for a config Bandit refuses. */
static int apply(apply_ctx *a, json_t *j)
{
    vg_opts *o = a->o;
    size_t first_skip = a->first_skip = o->ignore.n;
    each_option_item(a, "skips", json_object_get(j, "skips"), add_skip, a);
    json_t *tests = json_object_get(j, "tests");
    if (tests) {
        each_option_item(a, "tests", tests, add_test, a);
        for (size_t i = first_skip; i < o->ignore.n; i++)
            if (str_list_has(&a->tests, o->ignore.v[i]))
                return cli_error("%s: %s is both in tests and in skips (Bandit: non-exclusive "
                                 "include/exclude test sets)", a->path, o->ignore.v[i]);
        /* only the listed Bandit checks: every other B id is ignored */
        for (size_t i = 0; i < registry_count(); i++) {
            const rule_meta *m = registry_at(i);
            if (m->id[0] == 'B' && isdigit((unsigned char)m->id[1]) && !str_list_has(&a->tests, m->id))
                str_list_add(&o->ignore, m->id);
        }
    }
    each_option_item(a, "exclude_dirs", json_object_get(j, "exclude_dirs"), add_exclude, a);
    each_option_item(a, "exclude", json_object_get(j, "exclude"), add_exclude, a); /* .bandit's spelling */
    json_t *au = json_object_get(j, "assert_used");
    if (json_is_object(au))
        each_option_item(a, "assert_used.skips", json_object_get(au, "skips"), add_assert_skip, a);
    json_t *tmp = json_object_get(j, "hardcoded_tmp_directory");
    if (json_is_object(tmp)) set_list(a, "tmp_dirs", json_object_get(tmp, "tmp_dirs"), &o->bandit_tmp_dirs);
    json_t *sh = json_object_get(j, "shell_injection");
    if (json_is_object(sh)) {
        set_list(a, "shell_injection.subprocess", json_object_get(sh, "subprocess"), &o->bandit_subprocess);
        set_list(a, "shell_injection.shell", json_object_get(sh, "shell"), &o->bandit_shell);
        set_list(a, "shell_injection.no_shell", json_object_get(sh, "no_shell"), &o->bandit_no_shell);
    }
    return 0;
}

int bandit_config_is(const char *path)
{
    const char *b = base_name(path);
    if (!strcmp(b, ".bandit") || ends_with(b, ".yaml") || ends_with(b, ".yml") || ends_with(b, ".ini"))
        return 1;
    if (!ends_with(b, ".toml")) return 0;
    char *data = NULL;
    size_t len = 0;
    if (fs_read_all(path, CONFIG_MAX_BYTES, &data, &len)) return 0;
    diag_list d = {0};
    toml_value *doc = NULL;
    int is = 0;
    if (!toml_parse(data, len, path, &doc, &d))
        is = toml_get_path(doc, "tool.bandit") && !toml_get_path(doc, "tool.vibeguard") &&
             !toml_get(doc, "select") && !toml_get(doc, "ignore");
    diag_free(&d);
    toml_free(doc);
    free(data);
    return is;
}

static int apply_file(const char *path, vg_opts *o, int *absent, int depth, int looked)
{
    json_t *j = load(path, absent, looked);
    if (!j) return *absent ? 0 : 2;
    apply_ctx a = {.o = o, .path = path, .quiet = o->quiet};
    int rc = apply(&a, j);
    if (!a.quiet && a.unknown > BANDIT_UNKNOWN_WARNINGS)
        fprintf(stderr, "%s: warning: and %zu more ids that are not checks vibeguard implements\n",
                path, a.unknown - BANDIT_UNKNOWN_WARNINGS);
    str_list_free(&a.tests);
    /* .bandit's configfile: the YAML/TOML config it points at (Bandit's -c) */
    const char *cf = rc ? NULL : json_string_value(json_object_get(j, "configfile"));
    if (cf && *cf && depth == 0) {
        int ab = 0;
        rc = apply_file(cf, o, &ab, 1, 0);
        if (ab) rc = cli_error("%s: configfile %s has no [tool.bandit]", path, cf);
    }
    json_decref(j);
    return rc;
}

int bandit_setup(const char *explicit_path, vg_opts *o)
{
    families_register();
    int absent = 0;
    if (explicit_path) {
        int rc = apply_file(explicit_path, o, &absent, 0, 0);
        if (absent) return cli_error("%s: no [tool.bandit] table", explicit_path);
        return rc;
    }
    const char *dirs[2] = {".", NULL};
    size_t ndirs = 1;
    struct stat st;
    if (o->paths.n && strcmp(o->paths.v[0], ".") && stat(o->paths.v[0], &st) == 0 &&
        S_ISDIR(st.st_mode))
        dirs[ndirs++] = o->paths.v[0];
    for (size_t i = 0; i < ndirs; i++) {
        static const char *const names[] = {".bandit", "pyproject.toml"};
        for (size_t k = 0; k < 2; k++) {
            char *p = !strcmp(dirs[i], ".") ? xstrdup(names[k]) : xasprintf("%s/%s", dirs[i], names[k]);
            int found = stat(p, &st) == 0 && S_ISREG(st.st_mode);
            int rc = found ? apply_file(p, o, &absent, 0, 1) : 0;
            free(p);
            if (rc) return rc;
            if (found && !absent) return 0;
        }
    }
    return 0;
}
