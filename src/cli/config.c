/* config.c - finding, reading and applying the configuration file; see
 * config.h for the keys. */
#include "config.h"
#include "args.h"
#include "../core/fsutil.h"
#include "../core/limits.h"
#include "cli.h"
#include "../finding/rule.h"
#include "../scan/families.h"
#include "../core/xalloc.h"
#include "../walk/walk.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

/* 1: read; 0: no such file; -1: error (diag added). */
static int read_file(const char *path, char **data, size_t *len, diag_list *d)
{
    struct stat st;
    if (stat(path, &st) == 0 && S_ISDIR(st.st_mode)) {
        diag_add(d, DIAG_ERROR, path, 0, 0, "config is a directory");
        return -1;
    }
    vg_status rc = fs_read_all(path, CONFIG_MAX_BYTES, data, len);
    if (rc == VG_ERR_IO && errno == ENOENT) return 0;
    if (rc == VG_ERR_LIMIT)
        diag_add(d, DIAG_ERROR, path, 0, 0, "config larger than %u MiB", CONFIG_MAX_BYTES >> 20);
    else if (rc)
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot read config: %s", fs_strerror(errno));
    return rc ? -1 : 1;
}

static int is_pyproject(const char *path)
{
    const char *b = strrchr(path, '/');
    return !strcmp(b ? b + 1 : path, "pyproject.toml");
}

/* 1 loaded, 0 absent (or a pyproject without [tool.vibeguard]), -1 error. */
static int try_load(vg_config *c, const char *path, int must_exist, diag_list *d)
{
    char *data = NULL;
    size_t len = 0;
    /* a pyproject.toml found by looking (not named by --config) is a
     * manifest first: unless it holds [tool.vibeguard], a broken one is a
     * warning for that file and the scan goes on */
    int manifest = !must_exist && is_pyproject(path);
    diag_list own = {0};
    int r = read_file(path, &data, &len, &own);
    toml_value *doc = NULL;
    vg_status rc = r > 0 ? toml_parse(data, len, path, &doc, &own) : VG_OK;
    if (manifest && (r < 0 || rc) && !(data && memmem(data, len, "tool.vibeguard", 14))) {
        for (size_t i = 0; i < own.n; i++)
            diag_add(d, DIAG_WARNING, own.v[i].path, own.v[i].line, own.v[i].col,
                     "%s (no [tool.vibeguard] in it: ignored)", own.v[i].message);
        diag_free(&own);
        free(data);
        return 0;
    }
    diag_move(d, &own);
    free(data);
    if (r <= 0) {
        if (r == 0 && must_exist) {
            diag_add(d, DIAG_ERROR, path, 0, 0, "config file not found");
            return -1;
        }
        return r;
    }
    if (rc) return -1;
    const toml_value *root = doc;
    if (is_pyproject(path)) {
        root = toml_get_path(doc, "tool.vibeguard");
        if (!root) {
            if (!must_exist) {
                toml_free(doc);
                return 0;
            }
            static const toml_value empty = {.type = TOML_TABLE};
            root = &empty;
        }
    }
    c->path = xstrdup(path);
    c->doc = doc;
    c->root = root;
    return 1;
}

/* The config of one directory: .vibeguard.toml, else a pyproject.toml with
 * [tool.vibeguard].  1 loaded, 0 none, -1 error. */
static int try_dir(vg_config *c, const char *dir, diag_list *d)
{
    static const char *names[] = {".vibeguard.toml", "pyproject.toml"};
    for (size_t k = 0; k < 2; k++) {
        char *p = !strcmp(dir, ".") ? xstrdup(names[k]) : xasprintf("%s/%s", dir, names[k]);
        int r = try_load(c, p, 0, d);
        free(p);
        if (r) return r;
    }
    return 0;
}

int config_load(vg_config *c, const char *explicit_path, const char *const *dirs, size_t ndirs,
                diag_list *d)
{
    memset(c, 0, sizeof *c);
    if (explicit_path) return try_load(c, explicit_path, 1, d) < 0 ? -1 : 0;
    for (size_t i = 0; i < ndirs; i++) {
        int r = try_dir(c, dirs[i], d);
        if (r) return r < 0 ? -1 : 0;
    }
    return 0;
}

void config_free(vg_config *c)
{
    for (size_t i = 0; i < c->n_nested; i++) config_free(&c->nested[i]);
    free(c->nested);
    free(c->path);
    toml_free(c->doc);
    str_list_free(&c->owned);
    memset(c, 0, sizeof *c);
}

/* --- applying ------------------------------------------------------------- */

static int key_is(const char *k, const char *want) /* '-' and '_' alike */
{
    for (; *k && *want; k++, want++) {
        char a = *k == '_' ? '-' : *k, b = *want == '_' ? '-' : *want;
        if (a != b) return 0;
    }
    return !*k && !*want;
}

static int bad(vg_config *c, const toml_value *v, diag_list *d, const char *key, const char *want)
{
    diag_add(d, DIAG_ERROR, c->path, v->line, v->col, "'%s' must be %s, not %s", key, want,
             toml_type_name(v->type));
    return -1;
}

static int string_list(vg_config *c, const char *key, const toml_value *v, str_list *out,
                       diag_list *d)
{
    if (v->type == TOML_STRING) {
        str_list_add(out, v->u.str.s);
        return 0;
    }
    if (v->type != TOML_ARRAY) return bad(c, v, d, key, "a list of strings");
    for (size_t i = 0; i < v->u.array.n; i++) {
        const toml_value *e = v->u.array.items[i];
        if (e->type != TOML_STRING) return bad(c, e, d, key, "a list of strings");
        str_list_add(out, e->u.str.s);
    }
    return 0;
}

int config_profile_parse(const char *s)
{
    static const char *const names[] = {"default", "audit", "bandit"}; /* PROFILE_* order */
    for (int i = 0; i < 3; i++)
        if (!strcmp(s, names[i])) return i;
    return -1;
}

static int level(vg_config *c, const char *key, const toml_value *v, int is_conf, int *out,
                 diag_list *d)
{
    if (v->type != TOML_STRING) return bad(c, v, d, key, "a string");
    int lv = is_conf ? (int)confidence_parse(v->u.str.s) : (int)severity_parse(v->u.str.s);
    if (!lv && !is_conf && !strcmp(key, "fail-on") && !strcmp(v->u.str.s, "never")) lv = -1;
    if (!lv) {
        diag_add(d, DIAG_ERROR, c->path, v->line, v->col, "'%s': unknown level '%s' (use %s)",
                 key, v->u.str.s,
                 is_conf ? "low, medium or high" : "low, medium, high or critical");
        return -1;
    }
    *out = lv;
    return 0;
}

/* A path from the config, relative to the config file's directory. */
static const char *resolve(vg_config *c, const char *p)
{
    const char *slash = strrchr(c->path, '/');
    if (p[0] == '/' || !slash) {
        str_list_add(&c->owned, p);
    } else {
        char *r = xasprintf("%.*s/%s", (int)(slash - c->path), c->path, p);
        str_list_add(&c->owned, r);
        free(r);
    }
    return c->owned.v[c->owned.n - 1];
}

static void unknown(vg_config *c, const char *table, const char *key, const toml_value *v,
                    diag_list *d)
{
    diag_add(d, DIAG_WARNING, c->path, v->line, v->col, "unknown config key '%s%s%s' (ignored)",
             table ? table : "", table ? "." : "", key);
}

static int apply_secrets(vg_config *c, const toml_value *t, vg_opts *o,
                         const config_cli_set *set, diag_list *d)
{
    if (t->type != TOML_TABLE) return bad(c, t, d, "secrets", "a table");
    for (size_t i = 0; i < t->u.table.n; i++) {
        const char *k = t->u.table.keys[i];
        const toml_value *v = t->u.table.vals[i];
        if (key_is(k, "allowlist")) {
            if (string_list(c, "secrets.allowlist", v, &o->secrets_allowlist, d)) return -1;
        } else if (key_is(k, "rules")) {
            if (v->type != TOML_ARRAY) return bad(c, v, d, "secrets.rules", "an array of tables");
            o->secrets_user_rules = (void *)v;
        } else if (key_is(k, "config")) {
            if (v->type != TOML_STRING) return bad(c, v, d, "secrets.config", "a string");
            if (!set->secrets_config) o->secrets_config = resolve(c, v->u.str.s);
        } else {
            unknown(c, "secrets", k, v, d);
        }
    }
    return 0;
}

static int apply_pii(vg_config *c, const toml_value *t, vg_opts *o, diag_list *d)
{
    if (t->type != TOML_TABLE) return bad(c, t, d, "pii", "a table");
    for (size_t i = 0; i < t->u.table.n; i++) {
        const char *k = t->u.table.keys[i];
        const toml_value *v = t->u.table.vals[i];
        if (key_is(k, "entities")) {
            if (string_list(c, "pii.entities", v, &o->pii_entities, d)) return -1;
        } else if (key_is(k, "threshold")) {
            double x = v->type == TOML_FLOAT ? v->u.f : v->type == TOML_INTEGER ? (double)v->u.i : -1;
            if (!(x >= 0 && x <= 1)) return bad(c, v, d, "pii.threshold", "a number from 0 to 1");
            o->pii_threshold = x;
        } else if (key_is(k, "enabled")) {
            if (v->type != TOML_BOOL) return bad(c, v, d, "pii.enabled", "true or false");
            if (!v->u.b) o->pii_enabled = 0;
        } else {
            unknown(c, "pii", k, v, d);
        }
    }
    return 0;
}

static int apply_deps(vg_config *c, const toml_value *t, vg_opts *o, const config_cli_set *set,
                      diag_list *d)
{
    if (t->type != TOML_TABLE) return bad(c, t, d, "deps", "a table");
    for (size_t i = 0; i < t->u.table.n; i++) {
        const char *k = t->u.table.keys[i];
        const toml_value *v = t->u.table.vals[i];
        if (key_is(k, "allowlist")) {
            if (string_list(c, "deps.allowlist", v, &o->dep_allowlist, d)) return -1;
        } else if (key_is(k, "osv-db")) {
            if (v->type != TOML_STRING) return bad(c, v, d, "deps.osv-db", "a string");
            if (!set->osv_db) o->osv_db = resolve(c, v->u.str.s);
        } else if (key_is(k, "osv-url")) {
            if (v->type != TOML_STRING) return bad(c, v, d, "deps.osv-url", "a string");
            if (!o->osv_url) o->osv_url = v->u.str.s;
        } else if (key_is(k, "online")) {
            if (v->type != TOML_BOOL) return bad(c, v, d, "deps.online", "true or false");
            if (v->u.b) o->online = 1;
        } else {
            unknown(c, "deps", k, v, d);
        }
    }
    return 0;
}

/* [per-file-ignores] into the list *v of *n (the options', or a folder's) */
static int apply_per_file(vg_config *c, const toml_value *t, path_ignore **v, size_t *n,
                          diag_list *d)
{
    if (t->type != TOML_TABLE) return bad(c, t, d, "per-file-ignores", "a table of glob = [ids]");
    for (size_t i = 0; i < t->u.table.n; i++) {
        path_ignore pi = {0};
        if (string_list(c, "per-file-ignores", t->u.table.vals[i], &pi.ids, d)) {
            str_list_free(&pi.ids);
            return -1;
        }
        pi.glob = xstrdup(t->u.table.keys[i]);
        *v = xrealloc_n(*v, *n + 1, sizeof **v);
        (*v)[(*n)++] = pi;
    }
    return 0;
}

/* --- selectors -------------------------------------------------------------- */

/* A user's own secret rules ([[secrets.rules]], --secrets-config) join the
 * registry only when the scan starts, so a "secret:<id>" selector is taken
 * on trust while such rules exist. */
static int selector_ok(const vg_opts *o, const char *id)
{
    if (registry_selector_known(id)) return 1;
    return !strncasecmp(id, "secret:", 7) && id[7] && (o->secrets_config || o->secrets_user_rules);
}

static void selector_message(char *out, size_t n, const char *what, const char *id)
{
    const char *near = registry_suggest(id);
    if (near)
        snprintf(out, n, "%s: unknown rule or analyzer '%s' (did you mean '%s'?)", what, id, near);
    else
        snprintf(out, n,
                 "%s: unknown rule or analyzer '%s' (see 'vibeguard rules'; analyzers: python, "
                 "taint, secrets, pii, unicode, deps, licence)",
                 what, id);
}

/* Every id string in a select/ignore value (a string or a list), checked
 * with its position. */
static int check_ids_value(vg_config *c, const vg_opts *o, const char *what, const toml_value *v,
                           diag_list *d)
{
    const toml_value *one[1] = {v};
    const toml_value *const *items = one;
    size_t n = 1;
    if (v->type == TOML_ARRAY) items = (const toml_value *const *)v->u.array.items, n = v->u.array.n;
    for (size_t i = 0; i < n; i++) {
        if (items[i]->type != TOML_STRING || selector_ok(o, items[i]->u.str.s)) continue;
        char msg[512];
        selector_message(msg, sizeof msg, what, items[i]->u.str.s);
        diag_add(d, DIAG_ERROR, c->path, items[i]->line, items[i]->col, "%s", msg);
        return -1;
    }
    return 0;
}

/* select, ignore and per-file-ignores of the file name known rules: a
 * typo that selected nothing would turn the gate off without a word. */
static int check_selectors(vg_config *c, const vg_opts *o, diag_list *d)
{
    const toml_value *t = c->root;
    int any = 0;
    for (size_t i = 0; i < t->u.table.n; i++)
        any |= key_is(t->u.table.keys[i], "select") || key_is(t->u.table.keys[i], "ignore") ||
               key_is(t->u.table.keys[i], "per-file-ignores");
    if (!any) return 0;
    families_register(); /* (only then: it compiles every family's rules) */
    for (size_t i = 0; i < t->u.table.n; i++) {
        const char *k = t->u.table.keys[i];
        const toml_value *v = t->u.table.vals[i];
        if (key_is(k, "select") || key_is(k, "ignore")) {
            if (check_ids_value(c, o, key_is(k, "select") ? "select" : "ignore", v, d)) return -1;
        } else if (key_is(k, "per-file-ignores") && v->type == TOML_TABLE) {
            for (size_t j = 0; j < v->u.table.n; j++)
                if (check_ids_value(c, o, "per-file-ignores", v->u.table.vals[j], d)) return -1;
        }
    }
    return 0;
}

int config_check_selection(const char *cmd, const vg_opts *o)
{
    if (!o->select.n && !o->ignore.n) return 0;
    families_register();
    const str_list *lists[2] = {&o->select, &o->ignore};
    static const char *const flags[2] = {"--select", "--ignore"};
    for (int k = 0; k < 2; k++)
        for (size_t i = 0; i < lists[k]->n; i++) {
            if (selector_ok(o, lists[k]->v[i])) continue;
            char what[64], msg[512];
            snprintf(what, sizeof what, "%s: %s", cmd, flags[k]);
            selector_message(msg, sizeof msg, what, lists[k]->v[i]);
            return cli_error("%s", msg);
        }
    return 0;
}

int config_apply(vg_config *c, vg_opts *o, const config_cli_set *set, diag_list *d)
{
    if (!c->root) return 0;
    const toml_value *t = c->root;
    if (t->type != TOML_TABLE) return bad(c, t, d, "tool.vibeguard", "a table");
    o->config_path = c->path;
    o->config_root = t;
    for (size_t i = 0; i < t->u.table.n; i++) {
        const char *k = t->u.table.keys[i];
        const toml_value *v = t->u.table.vals[i];
        int lv = 0, r = 0;
        if (key_is(k, "select")) {
            str_list tmp = {0};
            r = string_list(c, "select", v, &tmp, d);
            if (!r && !set->select)
                for (size_t j = 0; j < tmp.n; j++) str_list_add(&o->select, tmp.v[j]);
            str_list_free(&tmp);
        } else if (key_is(k, "ignore")) {
            r = string_list(c, "ignore", v, &o->ignore, d);
        } else if (key_is(k, "exclude")) {
            r = string_list(c, "exclude", v, &o->exclude, d);
        } else if (key_is(k, "per-file-ignores")) {
            r = apply_per_file(c, v, &o->per_file_ignores, &o->n_per_file_ignores, d);
        } else if (key_is(k, "severity")) {
            r = level(c, "severity", v, 0, &lv, d);
            if (!r && !set->severity) o->min_severity = (severity)lv;
        } else if (key_is(k, "profile")) {
            int pr = v->type == TOML_STRING ? config_profile_parse(v->u.str.s) : -1;
            if (pr < 0) r = bad(c, v, d, "profile", "\"default\", \"audit\" or \"bandit\"");
            else if (!set->profile) o->profile = pr;
        } else if (key_is(k, "fail-on")) {
            r = level(c, "fail-on", v, 0, &lv, d);
            if (!r && !set->fail_on) o->fail_on = lv < 0 ? SEV_NONE : (severity)lv;
        } else if (key_is(k, "confidence")) {
            r = level(c, "confidence", v, 1, &lv, d);
            if (!r && !set->confidence) o->min_confidence = (confidence)lv;
        } else if (key_is(k, "max-file-size")) {
            size_t n = 0;
            if (v->type == TOML_INTEGER && v->u.i > 0) n = (size_t)v->u.i;
            else if (v->type != TOML_STRING || args_parse_size(v->u.str.s, &n) || !n)
                r = bad(c, v, d, "max-file-size", "a positive size (bytes, or \"5M\")");
            if (!r && !set->max_file_size) o->max_file_size = n;
        } else if (key_is(k, "jobs")) {
            if (v->type != TOML_INTEGER || v->u.i < 0 || v->u.i > 1024)
                r = bad(c, v, d, "jobs", "an integer from 0 to 1024");
            else if (!set->jobs) o->jobs = (int)v->u.i;
        } else if (key_is(k, "secrets")) {
            r = apply_secrets(c, v, o, set, d);
        } else if (key_is(k, "pii")) {
            r = apply_pii(c, v, o, d);
        } else if (key_is(k, "deps")) {
            r = apply_deps(c, v, o, set, d);
        } else if (key_is(k, "bandit")) { /* Bandit's plugin settings: src/rules/bandit.c reads them */
            if (v->type != TOML_TABLE) r = bad(c, v, d, "bandit", "a table");
        } else {
            unknown(c, NULL, k, v, d);
        }
        if (r) return -1;
    }
    return check_selectors(c, o, d);
}

#define CONFIG_MAX_UP 32 /* parent directories searched for a config */

static int apply_nested(vg_config *c, vg_opts *o, const config_cli_set *set, vg_subtree *t,
                        diag_list *d);
static void add_subtree(vg_config *c, vg_opts *o, vg_config *nc, vg_subtree *t);

/* The folder of dir "base/../.." as a display path: base without as many
 * components as there are "/.." ("" when that reaches the current
 * directory or above it: the folder then holds all that is scanned). */
static char *chain_folder(const char *dir)
{
    size_t n = strlen(dir), up = 0;
    while (n >= 3 && !memcmp(dir + n - 3, "/..", 3)) n -= 3, up++;
    char *base = xasprintf("%.*s", (int)n, dir);
    char *disp = walk_display_root(base);
    free(base);
    if (!strcmp(disp, ".") || !strcmp(disp, "..") || !strncmp(disp, "../", 3)) {
        free(disp);
        return xstrdup("");
    }
    for (; up; up--) {
        char *slash = strrchr(disp, '/');
        if (!slash) {
            free(disp);
            return xstrdup("");
        }
        *slash = 0;
    }
    return disp;
}

/* The first config found going up (dirs: ".", its parents up to the
 * repository root, then the first scanned directory and its parents), and
 * every config above it up to that repository root: the outermost is the
 * top-level config (config_apply), the ones below it nested configs of
 * their folders (the current directory's chain: the whole scan). */
static int load_chain(vg_config *c, char **dirs, size_t ndirs, size_t cwd_dirs, vg_opts *o,
                      const config_cli_set *set, diag_list *d)
{
    memset(c, 0, sizeof *c);
    vg_config found[CONFIG_MAX_UP + 1];
    size_t at[CONFIG_MAX_UP + 1], nf = 0, i = 0, end = 0;
    memset(found, 0, sizeof found);
    for (; i < ndirs && !nf; i++) {
        int r = try_dir(&found[0], dirs[i], d);
        if (r < 0) return -1;
        if (r > 0) at[nf++] = i;
        end = i < cwd_dirs ? cwd_dirs : ndirs;
    }
    if (!nf) return 0;
    for (; i < end && nf <= CONFIG_MAX_UP; i++) {
        int r = try_dir(&found[nf], dirs[i], d);
        if (r > 0) at[nf++] = i;
        if (r < 0) {
            while (nf) config_free(&found[--nf]);
            return -1;
        }
    }
    *c = found[nf - 1];
    int rc = config_apply(c, o, set, d);
    for (size_t k = nf - 1; k-- > 0;) {
        if (rc) {
            config_free(&found[k]);
            continue;
        }
        vg_subtree t = {0};
        t.dir = at[k] < cwd_dirs ? xstrdup("") : chain_folder(dirs[at[k]]);
        t.config_path = xstrdup(found[k].path);
        rc = apply_nested(&found[k], o, set, &t, d);
        add_subtree(c, o, &found[k], &t);
    }
    return rc;
}



/* dir, then its parents up to the first that holds .git (included); only
 * dir itself when no parent does (no repository: nothing above counts). */
static void add_with_parents(char **dirs, size_t *n, const char *dir)
{
    size_t first = *n;
    dirs[(*n)++] = xstrdup(dir);
    struct stat st;
    for (int up = 0; up < CONFIG_MAX_UP; up++) {
        char *git = xasprintf("%s/.git", dirs[*n - 1]);
        int at_root = stat(git, &st) == 0;
        free(git);
        if (at_root) return;
        char *parent = !strcmp(dirs[*n - 1], ".") ? xstrdup("..") : xasprintf("%s/..", dirs[*n - 1]);
        char *here = realpath(dirs[*n - 1], NULL), *above = realpath(parent, NULL);
        int top = !here || !above || !strcmp(here, above);
        free(here);
        free(above);
        if (top) {
            free(parent);
            break;
        }
        dirs[(*n)++] = parent;
    }
    while (*n > first + 1) free(dirs[--*n]); /* no repository above */
}

int config_setup(vg_config *c, const char *explicit_path, vg_opts *o, const config_cli_set *set)
{
    diag_list d = {0};
    /* ".", then each parent up to the repository root (the first directory
     * holding .git), so a scan from a subfolder finds the project's config;
     * then the first scanned directory and its parents the same way */
    char *dirs[2 * (CONFIG_MAX_UP + 1)];
    size_t ndirs = 0;
    struct stat st;
    add_with_parents(dirs, &ndirs, ".");
    size_t cwd_dirs = ndirs;
    if (o->paths.n && strcmp(o->paths.v[0], ".") && stat(o->paths.v[0], &st) == 0 &&
        S_ISDIR(st.st_mode))
        add_with_parents(dirs, &ndirs, o->paths.v[0]);
    int bad_cfg = explicit_path ? config_load(c, explicit_path, NULL, 0, &d) ||
                                      config_apply(c, o, set, &d)
                                : load_chain(c, dirs, ndirs, cwd_dirs, o, set, &d);
    for (size_t i = 0; i < ndirs; i++) free(dirs[i]);
    if (bad_cfg) {
        cli_print_diags(stderr, &d, DIAG_ERROR);
        diag_free(&d);
        return 2;
    }
    if (!o->quiet) cli_print_diags(stderr, &d, DIAG_WARNING);
    diag_free(&d);
    const char *env = getenv("VIBEGUARD_OSV_DB");
    if (!o->osv_db && env && *env) o->osv_db = env;
    return 0;
}

/* --- nested configs (config.h) ---------------------------------------------- */

typedef struct found_list {
    pthread_mutex_t mu;       /* the walk's workers call found_config at once */
    str_list paths;
} found_list;

static void found_config(void *ud, int thread, const char *path, const char *fs_path)
{
    (void)thread;
    (void)fs_path;
    found_list *f = ud;
    const char *b = strrchr(path, '/');
    b = b ? b + 1 : path;
    if (strcmp(b, ".vibeguard.toml") && strcmp(b, "pyproject.toml")) return;
    pthread_mutex_lock(&f->mu);
    str_list_add(&f->paths, path);
    pthread_mutex_unlock(&f->mu);
}

static int by_str(const void *a, const void *b)
{
    return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t depth(const char *dir)
{
    size_t n = *dir != 0;
    for (; *dir; dir++) n += *dir == '/';
    return n;
}


/* An exclude glob of the config in folder dir, as the walker takes it (a
 * glob with a '/' matches the display path): "gen/" becomes dir, then
 * "/" "**" "/gen/" (any depth below dir); "/gen" and "a/gen" become
 * "dir/gen" and "dir/a/gen". */
static void nested_exclude(vg_opts *o, const char *dir, const char *g)
{
    const char *neg = *g == '!' ? "!" : "";
    g += *neg != 0;
    while (g[0] == '.' && g[1] == '/') g += 2;
    size_t n = strlen(g);
    int anchored = n > 1 && memchr(g, '/', n - 1) != NULL;
    char *x = !*dir ? xasprintf("%s%s", neg, g)
              : g[0] == '/' ? xasprintf("%s%s%s", neg, dir, g)
              : anchored ? xasprintf("%s%s/%s", neg, dir, g)
                         : xasprintf("%s%s/**/%s", neg, dir, g);
    str_list_add(&o->exclude, x);
    free(x);
}

/* One nested config's keys into t (see config.h for which). */
static int apply_nested(vg_config *c, vg_opts *o, const config_cli_set *set, vg_subtree *t,
                        diag_list *d)
{
    const toml_value *r = c->root;
    if (r->type != TOML_TABLE) return bad(c, r, d, "tool.vibeguard", "a table");
    static const char *const run_wide[] = {"fail-on", "profile", "jobs", "max-file-size",
                                           "secrets", "pii", "deps", "bandit"};
    for (size_t i = 0; i < r->u.table.n; i++) {
        const char *k = r->u.table.keys[i];
        const toml_value *v = r->u.table.vals[i];
        int lv = 0, rc = 0;
        if (key_is(k, "select")) {
            str_list tmp = {0};
            rc = string_list(c, "select", v, &tmp, d);
            if (!rc && !set->select) {
                t->has_select = 1;
                for (size_t j = 0; j < tmp.n; j++) str_list_add(&t->select, tmp.v[j]);
            }
            str_list_free(&tmp);
        } else if (key_is(k, "ignore")) {
            rc = string_list(c, "ignore", v, &t->ignore, d);
        } else if (key_is(k, "exclude")) {
            str_list tmp = {0};
            rc = string_list(c, "exclude", v, &tmp, d);
            for (size_t j = 0; !rc && j < tmp.n; j++) nested_exclude(o, t->dir, tmp.v[j]);
            str_list_free(&tmp);
        } else if (key_is(k, "per-file-ignores")) {
            rc = apply_per_file(c, v, &t->per_file_ignores, &t->n_per_file_ignores, d);
        } else if (key_is(k, "severity")) {
            rc = level(c, "severity", v, 0, &lv, d);
            if (!rc && !set->severity) t->min_severity = (severity)lv;
        } else if (key_is(k, "confidence")) {
            rc = level(c, "confidence", v, 1, &lv, d);
            if (!rc && !set->confidence) t->min_confidence = (confidence)lv;
        } else {
            size_t w = 0;
            while (w < sizeof run_wide / sizeof *run_wide && !key_is(k, run_wide[w])) w++;
            if (w < sizeof run_wide / sizeof *run_wide)
                diag_add(d, DIAG_WARNING, c->path, v->line, v->col,
                         "'%s' applies to the whole run, not to a folder: set it in the "
                         "top-level config (ignored in a nested config)", k);
            else
                unknown(c, NULL, k, v, d);
        }
        if (rc) return -1;
    }
    return check_selectors(c, o, d);
}

/* o and c take a nested config and its folder's settings. */
static void add_subtree(vg_config *c, vg_opts *o, vg_config *nc, vg_subtree *t)
{
    o->subtrees = xrealloc_n(o->subtrees, o->n_subtrees + 1, sizeof *o->subtrees);
    o->subtrees[o->n_subtrees++] = *t;
    c->nested = xrealloc_n(c->nested, c->n_nested + 1, sizeof *c->nested);
    c->nested[c->n_nested++] = *nc;
}

/* Is `path` the file c holds (the top-level config)? */
static int same_file(const char *path, const char *other)
{
    if (!other) return 0;
    char *a = realpath(path, NULL), *b = realpath(other, NULL);
    int same = a && b && !strcmp(a, b);
    free(a);
    free(b);
    return same;
}

/* The configs in the folders above a scanned path (display form `disp`)
 * up to the current directory, so `scan services/api/app.py` (what
 * pre-commit runs) obeys services/api's config as a full scan does.  A
 * path outside the current directory counts its folders up to its
 * repository root only (none without a repository, as config_setup). */
static void add_ancestors(const char *disp, str_list *found)
{
    int outside = disp[0] == '/' || !strcmp(disp, "..") || !strncmp(disp, "../", 3);
    str_list here = {0};
    int repo = 0;
    char *dir = xstrdup(disp);
    for (int up = 0; up < CONFIG_MAX_UP && !repo; up++) {
        char *slash = strrchr(dir, '/');
        if (!slash || slash == dir) break;
        *slash = 0;
        size_t n = strlen(dir);
        if (!strcmp(dir, "..") || (n >= 3 && !strcmp(dir + n - 3, "/.."))) break;
        static const char *const names[] = {".vibeguard.toml", "pyproject.toml", ".git"};
        for (size_t k = 0; k < 3; k++) {
            char *p = xasprintf("%s/%s", dir, names[k]);
            struct stat st;
            if (stat(p, &st) == 0) {
                if (k < 2) str_list_add(&here, p);
                else repo = 1;
            }
            free(p);
        }
    }
    free(dir);
    for (size_t i = 0; i < here.n && (repo || !outside); i++) str_list_add(found, here.v[i]);
    str_list_free(&here);
}

static int load_nested(vg_config *c, vg_opts *o, const config_cli_set *set, diag_list *d)
{
    found_list fl = {.mu = PTHREAD_MUTEX_INITIALIZER};
    for (size_t i = 0; i < o->paths.n; i++) {
        char *disp = walk_display_root(o->paths.v[i]);
        add_ancestors(disp, &fl.paths);
        free(disp);
        struct stat st;
        if (stat(o->paths.v[i], &st) || !S_ISDIR(st.st_mode)) continue;
        long cores = sysconf(_SC_NPROCESSORS_ONLN);
        int jobs = o->jobs > 0 ? o->jobs : cores < 1 ? 1 : cores > VG_MAX_JOBS ? VG_MAX_JOBS : (int)cores;
        walk_opts wo = {.exclude = &o->exclude, .no_ignore = o->no_ignore, .jobs = jobs};
        walk_stats ws = {0};
        diag_list wd = {0}; /* the scan's own walk reports these */
        walk_root(o->paths.v[i], &wo, found_config, &fl, &ws, &wd);
        diag_free(&wd);
    }
    str_list found = fl.paths;
    if (found.n) qsort(found.v, found.n, sizeof *found.v, by_str);
    int rc = 0;
    for (size_t i = 0; i < found.n && !rc; i++) {
        const char *p = found.v[i];
        const char *slash = strrchr(p, '/');
        size_t dn = slash ? (size_t)(slash - p) : 0;
        if (i && !strcmp(p, found.v[i - 1])) continue; /* two roots, one file */
        int loaded = same_file(p, c->path);
        for (size_t k = 0; k < c->n_nested && !loaded; k++) loaded = same_file(p, c->nested[k].path);
        if (loaded) continue;
        /* a pyproject.toml beside a .vibeguard.toml: the latter is the config */
        if (!strcmp(p + (slash ? dn + 1 : 0), "pyproject.toml")) {
            char *twin = xasprintf("%.*s%s.vibeguard.toml", (int)dn, p, slash ? "/" : "");
            struct stat st;
            int has = stat(twin, &st) == 0;
            free(twin);
            if (has) continue;
        }
        vg_config nc;
        memset(&nc, 0, sizeof nc);
        int r = try_load(&nc, p, 0, d);
        if (r <= 0) {
            rc = r;
            continue;
        }
        vg_subtree t = {0};
        t.dir = xasprintf("%.*s", (int)dn, p);
        t.config_path = xstrdup(p);
        rc = apply_nested(&nc, o, set, &t, d);
        add_subtree(c, o, &nc, &t);
    }
    str_list_free(&found);
    /* outermost first, stable (the chain's "" folders keep their order) */
    for (size_t i = 1; i < o->n_subtrees; i++)
        for (size_t j = i; j > 0 && depth(o->subtrees[j - 1].dir) > depth(o->subtrees[j].dir); j--) {
            vg_subtree tmp = o->subtrees[j];
            o->subtrees[j] = o->subtrees[j - 1];
            o->subtrees[j - 1] = tmp;
        }
    return rc;
}

int config_setup_nested(vg_config *c, vg_opts *o, const config_cli_set *set)
{
    diag_list d = {0};
    if (load_nested(c, o, set, &d)) {
        cli_print_diags(stderr, &d, DIAG_ERROR);
        diag_free(&d);
        return 2;
    }
    if (!o->quiet) cli_print_diags(stderr, &d, DIAG_WARNING);
    diag_free(&d);
    return 0;
}
