/* secrets_load.c - the secret rule set: the built-in rules, gitleaks
 * configurations with gitleaks' semantics, and .vibeguard.toml's rules.
 *
 * A gitleaks config is read as gitleaks v8 reads it (config/config.go):
 *   - without [extend] it replaces the built-in rules; `useDefault = true`
 *     extends the built-in set, `path = FILE` another config (itself able
 *     to extend, two levels at most); both at once are an error;
 *   - a rule whose id the extended set has is merged into it: fields it
 *     sets win, keywords and allowlists add up (how gitleaks users attach
 *     an allowlist to `generic-api-key`); `disabledRules` drops rules of
 *     the extended set;
 *   - [[allowlists]] (and the older [allowlist]) apply to every rule, or to
 *     the rules named in `targetRules` only, which must exist;
 *   - invalid configs fail with gitleaks' own reason: an unknown
 *     `condition` or `regexTarget`, an allowlist without any check, a rule
 *     without id or without regex and path, `secretGroup` beyond the
 *     regex's groups, a missing extend path, [allowlist] beside
 *     [[allowlists]].
 * Without --secrets-config the config is found as gitleaks finds it:
 * $GITLEAKS_CONFIG, else .gitleaks.toml at the scan root.  The root's
 * .gitleaksignore (file:rule:line and commit:file:rule:line fingerprints)
 * is read here too; secrets.c applies it.
 *
 * The built-in rule metadata lives as long as the process (the registry
 * points at it); rules from user configs are kept in the same long-lived
 * store, because findings outlive the scan that made them.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "secrets_int.h"

#include <ctype.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>

#include "../core/buf.h"
#include "../core/embed.h"
#include "../core/fsutil.h"
#include "../core/limits.h"
#include "../core/xalloc.h"
#include "../finding/finding.h"
#include "../fmt/toml.h"
#include "secrets_check.h"

EMBED_DECL(secrets_toml);

/* --- the long-lived metadata store --------------------------------------- */

static pthread_mutex_t store_lock = PTHREAD_MUTEX_INITIALIZER;
static rule_meta **store;
static size_t nstore, capstore;

static rule_meta *meta_new(const char *slug, const char *desc, severity sev, confidence conf)
{
    rule_meta *m = xcalloc(1, sizeof *m);
    m->id = xasprintf("secret:%s", slug);
    m->title = xstrdup(desc && *desc ? desc : slug);
    m->severity = sev ? sev : SEV_HIGH;
    m->confidence = conf ? conf : CONF_HIGH;
    m->cwe[0] = 798;
    m->owasp = "A07:2021";
    m->description = xasprintf("%s. A credential committed to source can be read by anyone "
                               "with access to the repository or its history.",
                               m->title);
    m->fix = "Revoke and rotate the credential, remove it from the code (and history), and "
             "load it at run time from the environment or a secrets manager.";
    m->analyzer = "secrets";
    pthread_mutex_lock(&store_lock);
    XGROW(store, capstore, nstore + 1);
    store[nstore++] = m;
    pthread_mutex_unlock(&store_lock);
    return m;
}


/* --- small helpers --------------------------------------------------------- */

/* jit 0: the rule's own regex, JIT-compiled on its first hit (rule_ready
 * in secrets.c): most rules never fire in a scan, and compiling all of
 * them first cost 40% of a small scan's CPU. */
static pcre2_code *re_compile_jit(const char *pat, size_t len, char *err, size_t errn, int jit)
{
    int ec;
    PCRE2_SIZE eo;
    pcre2_code *re = pcre2_compile((PCRE2_SPTR)pat, len, PCRE2_DUPNAMES, &ec, &eo, NULL);
    if (!re) {
        PCRE2_UCHAR m[160];
        pcre2_get_error_message(ec, m, sizeof m);
        snprintf(err, errn, "at offset %zu: %s", (size_t)eo, (char *)m);
        return NULL;
    }
    if (jit) pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
    return re;
}

static pcre2_code *re_compile(const char *pat, size_t len, char *err, size_t errn)
{
    return re_compile_jit(pat, len, err, errn, 1);
}

static char *lower_dup(const char *s)
{
    char *r = xstrdup(s);
    for (char *p = r; *p; p++) *p = (char)tolower((unsigned char)*p);
    return r;
}


/* --- loading --------------------------------------------------------------- */

typedef struct loadctx {
    const char *file;
    diag_list *d;
    int errors;
    int builtin;  /* built-in rules declare maxSpan when longer than SECRETS_SPAN_DEFAULT */
} loadctx;

static void load_err(loadctx *c, const toml_value *at, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
static void load_err(loadctx *c, const toml_value *at, const char *fmt, ...)
{
    char msg[768];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(msg, sizeof msg, fmt, ap);
    va_end(ap);
    diag_add(c->d, DIAG_ERROR, c->file, at ? at->line : 0, at ? at->col : 0, "%s", msg);
    c->errors++;
}

static pcre2_code **compile_list(loadctx *c, const toml_value *arr, size_t *n, const char *what)
{
    *n = 0;
    if (!arr || arr->type != TOML_ARRAY || arr->u.array.n == 0) return NULL;
    pcre2_code **v = xcalloc(arr->u.array.n, sizeof *v);
    for (size_t i = 0; i < arr->u.array.n; i++) {
        const toml_value *s = arr->u.array.items[i];
        if (s->type != TOML_STRING) continue;
        char err[256];
        pcre2_code *re = re_compile(s->u.str.s, s->u.str.len, err, sizeof err);
        if (!re) {
            load_err(c, s, "bad %s regex: %s", what, err);
            continue;
        }
        v[(*n)++] = re;
    }
    return v;
}

static char **string_list(const toml_value *arr, size_t *n, int lower)
{
    *n = 0;
    if (!arr || arr->type != TOML_ARRAY || arr->u.array.n == 0) return NULL;
    char **v = xcalloc(arr->u.array.n, sizeof *v);
    for (size_t i = 0; i < arr->u.array.n; i++)
        if (arr->u.array.items[i]->type == TOML_STRING) {
            const char *s = arr->u.array.items[i]->u.str.s;
            v[(*n)++] = lower ? lower_dup(s) : xstrdup(s);
        }
    return v;
}

static void allowlist_free(allowlist *a)
{
    for (size_t i = 0; i < a->nregexes; i++) pcre2_code_free(a->regexes[i]);
    for (size_t i = 0; i < a->npaths; i++) pcre2_code_free(a->paths[i]);
    for (size_t i = 0; i < a->nstopwords; i++) free(a->stopwords[i]);
    for (size_t i = 0; i < a->ncommits; i++) free(a->commits[i]);
    free(a->regexes);
    free(a->paths);
    free(a->stopwords);
    free(a->commits);
    memset(a, 0, sizeof *a);
}

/* One allowlist table, checked as gitleaks' parseAllowlist checks it.
 * `what` prefixes an error the way gitleaks words it ("[[allowlists]]",
 * "ID: [[rules.allowlists]]").  0, or -1 after an error. */
static int allowlist_load(loadctx *c, const toml_value *t, allowlist *a, const char *what)
{
    memset(a, 0, sizeof *a);
    const char *cond = toml_get_string(t, "condition");
    int is_and = cond && (!strcasecmp(cond, "and") || !strcmp(cond, "&&"));
    if (cond && *cond && !is_and && strcasecmp(cond, "or") && strcmp(cond, "||")) {
        load_err(c, t, "%s unknown allowlist |condition| '%s' (expected 'and', 'or')", what, cond);
        return -1;
    }
    const char *tg = toml_get_string(t, "regexTarget");
    if (tg && *tg && strcmp(tg, "secret") && strcmp(tg, "match") && strcmp(tg, "line")) {
        load_err(c, t, "%s unknown allowlist |regexTarget| '%s' (expected 'match', 'line')",
                 what, tg);
        return -1;
    }
    a->and_condition = is_and;
    a->regex_target = !tg ? T_SECRET : !strcmp(tg, "match") ? T_MATCH
                                     : !strcmp(tg, "line") ? T_LINE : T_SECRET;
    int before = c->errors;
    a->regexes = compile_list(c, toml_get(t, "regexes"), &a->nregexes, "allowlist");
    a->paths = compile_list(c, toml_get(t, "paths"), &a->npaths, "allowlist path");
    a->stopwords = string_list(toml_get(t, "stopwords"), &a->nstopwords, 1);
    a->commits = string_list(toml_get(t, "commits"), &a->ncommits, 1);
    if (c->errors > before) {
        allowlist_free(a);
        return -1;
    }
    if (!a->nregexes && !a->npaths && !a->nstopwords && !a->ncommits) {
        load_err(c, t, "%s must contain at least one check for: commits, paths, regexes, or "
                       "stopwords", what);
        allowlist_free(a);
        return -1;
    }
    return 0;
}

static void rule_free(rule *r)
{
    free(r->slug);
    free(r->src);
    if (r->re) pcre2_code_free(r->re);
    if (r->path) pcre2_code_free(r->path);
    for (size_t i = 0; i < r->nkeywords; i++) free(r->keywords[i]);
    free(r->keywords);
    for (size_t i = 0; i < r->nallow; i++) allowlist_free(&r->allow[i]);
    free(r->allow);
    memset(r, 0, sizeof *r);
}

static rule *find_rule(secrets *s, const char *slug)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->rules[i].slug, slug)) return &s->rules[i];
    return NULL;
}

/* How a rule with a known id is taken: built-in and .vibeguard.toml rules
 * replace it whole; a gitleaks config merges into it (gitleaks' extend). */
typedef enum rmode { R_REPLACE, R_MERGE } rmode;

static int ci_has(const char *h, const char *needle)
{
    size_t n = strlen(needle);
    for (; *h; h++)
        if (!strncasecmp(h, needle, n)) return 1;
    return 0;
}

static void append_allow(rule *r, allowlist *a, size_t n)
{
    if (!n) return;
    r->allow = xrealloc(r->allow, (r->nallow + n) * sizeof *r->allow);
    memcpy(r->allow + r->nallow, a, n * sizeof *a);
    r->nallow += n;
}

/* One [[rules]] table.  In R_MERGE mode a rule may be partial (an id and an
 * allowlist): what it lacks comes from the rule it extends, and whether it
 * is complete is checked once everything is loaded (validate_rules). */
static void rule_load(secrets *s, loadctx *c, const toml_value *t, rmode mode)
{
    const char *id = toml_get_string(t, "id");
    const char *re = toml_get_string(t, "regex");
    const char *path = toml_get_string(t, "path");
    const char *desc = toml_get_string(t, "description");
    if (!id || !*id) {
        load_err(c, t, "rule |id| is missing or empty%s%s", re ? ", regex: " : "", re ? re : "");
        return;
    }
    for (const char *p = id; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("-_.", *p)) {
            load_err(c, t, "rule id '%s': use letters, digits, '-', '_', '.'", id);
            return;
        }
    rule *old = find_rule(s, id);
    if (!re && !path && !(mode == R_MERGE)) {
        load_err(c, t, "%s: both |regex| and |path| are empty, this rule will have no effect", id);
        return;
    }
    if (!old && s->n >= SECRETS_MAX_RULES) {
        load_err(c, t, "too many rules (at '%s')", id);
        return;
    }
    rule nr = {0};
    char err[256];
    if (re && *re) {
        const toml_value *rv = toml_get(t, "regex");
        nr.re = re_compile_jit(re, rv->u.str.len, err, sizeof err, 0);
        if (!nr.re) {
            load_err(c, t, "rule '%s': bad regex %s", id, err);
            return;
        }
        pcre2_pattern_info(nr.re, PCRE2_INFO_CAPTURECOUNT, &nr.ngroups);
        nr.src = xstrdup(re);
    }
    if (path && *path) {
        const toml_value *pv = toml_get(t, "path");
        nr.path = re_compile(path, pv->u.str.len, err, sizeof err);
        if (!nr.path) {
            rule_free(&nr);
            load_err(c, t, "rule '%s': bad path regex %s", id, err);
            return;
        }
    }
    nr.slug = xstrdup(id);
    nr.secret_group = (int)toml_get_int(t, "secretGroup", 0);
    const toml_value *ev = toml_get(t, "entropy");
    nr.entropy = !ev ? 0 : ev->type == TOML_FLOAT ? ev->u.f : ev->type == TOML_INTEGER ? (double)ev->u.i : 0;
    nr.keywords = string_list(toml_get(t, "keywords"), &nr.nkeywords, 1);
    /* gitleaks: a rule whose id says "generic" yields to a specific one */
    nr.fallback = toml_get_bool(t, "fallback", ci_has(id, "generic"));
    int64_t span =
        toml_get_int(t, "maxSpan", c->builtin ? SECRETS_SPAN_DEFAULT : SECRETS_SPAN_BACK);
    nr.span = span < 16 ? 16 : span > SECRETS_SPAN_BACK ? SECRETS_SPAN_BACK : (size_t)span;
    nr.no_placeholder = toml_get_bool(t, "placeholders", 1) == 0;
    const char *ck = toml_get_string(t, "check");
    nr.check = secrets_check_id(ck);
    if (nr.check < 0) {
        rule_free(&nr);
        load_err(c, t, "rule '%s': unknown check '%s' (github-crc32, jwt, pypi-macaroon)", id, ck);
        return;
    }
    const toml_value *al = toml_get(t, "allowlists");
    const toml_value *al1 = toml_get(t, "allowlist"); /* gitleaks < 8.21 */
    if (al1 && al && al->type == TOML_ARRAY && al->u.array.n) {
        rule_free(&nr);
        load_err(c, t, "%s: [rules.allowlist] is deprecated, it cannot be used alongside "
                       "[[rules.allowlist]]", id);
        return;
    }
    size_t nal = (al && al->type == TOML_ARRAY ? al->u.array.n : 0) +
                 (al1 && al1->type == TOML_TABLE ? 1 : 0);
    if (nal) nr.allow = xcalloc(nal, sizeof *nr.allow);
    char what[160];
    snprintf(what, sizeof what, "%s: [[rules.allowlists]]", id);
    int bad = 0;
    if (al && al->type == TOML_ARRAY)
        for (size_t i = 0; i < al->u.array.n && !bad; i++)
            if (al->u.array.items[i]->type == TOML_TABLE)
                bad = allowlist_load(c, al->u.array.items[i], &nr.allow[nr.nallow++], what);
    if (!bad && al1 && al1->type == TOML_TABLE)
        bad = allowlist_load(c, al1, &nr.allow[nr.nallow++], what);
    if (bad) {
        rule_free(&nr);
        return;
    }

    const char *sv = toml_get_string(t, "severity");
    const char *cv = toml_get_string(t, "confidence");
    if (old && mode == R_MERGE) {
        /* gitleaks' extend: set fields win, keywords and allowlists add up */
        if (nr.re) {
            if (old->re) pcre2_code_free(old->re);
            free(old->src);
            old->re = nr.re, old->src = nr.src, old->ngroups = nr.ngroups;
            nr.re = NULL, nr.src = NULL;
        }
        if (nr.path) {
            if (old->path) pcre2_code_free(old->path);
            old->path = nr.path;
            nr.path = NULL;
        }
        if (nr.secret_group) old->secret_group = nr.secret_group;
        if (nr.entropy != 0) old->entropy = nr.entropy;
        if (nr.nkeywords) {
            old->keywords = xrealloc(old->keywords, (old->nkeywords + nr.nkeywords) * sizeof(char *));
            memcpy(old->keywords + old->nkeywords, nr.keywords, nr.nkeywords * sizeof(char *));
            old->nkeywords += nr.nkeywords;
            nr.nkeywords = 0;
        }
        append_allow(old, nr.allow, nr.nallow);
        nr.nallow = 0;
        if ((desc && *desc) || sv || cv)
            old->meta = meta_new(id, desc && *desc ? desc : old->meta->title,
                                 sv ? severity_parse(sv) : old->meta->severity,
                                 cv ? confidence_parse(cv) : old->meta->confidence);
        rule_free(&nr);
        return;
    }
    severity sev = sv ? severity_parse(sv) : SEV_HIGH;
    confidence conf = cv ? confidence_parse(cv) : (nr.fallback ? CONF_MEDIUM : CONF_HIGH);
    nr.meta = meta_new(id, desc, sev, conf);
    if (old) {
        rule_free(old);
        *old = nr;
    } else {
        XGROW(s->rules, s->cap, s->n + 1);
        s->rules[s->n++] = nr;
    }
}

/* gitleaks' Rule.Validate, over the assembled set. */
static void validate_rules(secrets *s, loadctx *c)
{
    for (size_t i = 0; i < s->n; i++) {
        const rule *r = &s->rules[i];
        if (!r->re && !r->path)
            load_err(c, NULL, "%s: both |regex| and |path| are empty, this rule will have no "
                              "effect", r->slug);
        else if (r->secret_group < 0 || (r->re && (uint32_t)r->secret_group > r->ngroups))
            load_err(c, NULL, "%s: invalid regex secret group %d, max regex secret group %u",
                     r->slug, r->secret_group, r->re ? r->ngroups : 0);
    }
}

static void add_global(secrets *s, const allowlist *a)
{
    s->globals = xrealloc(s->globals, (s->nglobals + 1) * sizeof *s->globals);
    s->globals[s->nglobals++] = *a;
}

static vg_status parse_doc(const char *src, size_t len, const char *path, toml_value **out,
                           diag_list *d)
{
    return toml_parse(src, len, path, out, d);
}

/* The built-in document is parsed once per process (it never changes). */
vg_status secrets__load_builtin(secrets *s, diag_list *d)
{
    toml_value *root = NULL;
    vg_status rc = parse_doc(EMBED_DATA(secrets_toml), EMBED_SIZE(secrets_toml),
                             "data/secrets.toml", &root, d);
    if (rc) return rc;
    loadctx c = {"data/secrets.toml", d, 0, 1};
    const toml_value *rules = toml_get(root, "rules");
    if (rules && rules->type == TOML_ARRAY)
        for (size_t i = 0; i < rules->u.array.n; i++)
            if (rules->u.array.items[i]->type == TOML_TABLE)
                rule_load(s, &c, rules->u.array.items[i], R_REPLACE);
    const toml_value *a = toml_get(root, "allowlist");
    allowlist g;
    if (a && a->type == TOML_TABLE && !allowlist_load(&c, a, &g, "[allowlist]")) add_global(s, &g);
    toml_free(root);
    return c.errors ? VG_ERR_PARSE : VG_OK;
}

static pthread_once_t builtin_once = PTHREAD_ONCE_INIT;
static secrets *builtin_set;

static void builtin_load(void)
{
    secrets *b = xcalloc(1, sizeof *b);
    diag_list d = {0};
    if (secrets__load_builtin(b, &d) == VG_OK) builtin_set = b;
    else free(b); /* never: the embedded rules are tested (their parts leak) */
    diag_free(&d);
}

const secrets *secrets__builtin(void)
{
    pthread_once(&builtin_once, builtin_load);
    return builtin_set;
}

/* --- gitleaks configs -------------------------------------------------------- */

#define GL_MAX_DEPTH 2  /* gitleaks' maxExtendDepth */

typedef struct gl_state {
    toml_value *docs[GL_MAX_DEPTH + 1];  /* kept until the targeted allowlists are in */
    char *files[GL_MAX_DEPTH + 1];
    size_t ndocs;
} gl_state;

/* Read and parse one config file; errors are worded as gitleaks words them
 * for an extended config ("failed to load extended config, err: ..."). */
static vg_status gl_read(loadctx *c, const char *path, int depth, toml_value **root)
{
    char *data = NULL;
    size_t len = 0;
    vg_status rc = fs_read_all(path, SECRETS_MAX_CONFIG, &data, &len);
    if (rc) {
        const char *why = rc == VG_ERR_LIMIT ? "file too large" : strerror(errno ? errno : ENOENT);
        if (depth > 0)
            load_err(c, NULL, "failed to load extended config, err: open %s: %s", path, why);
        else
            diag_add(c->d, DIAG_ERROR, path, 0, 0, "cannot open the secrets config: %s", why);
        c->errors++;
        return rc;
    }
    rc = parse_doc(data, len, path, root, c->d);
    free(data);
    if (rc) c->errors++;
    return rc;
}

/* An extend path as gitleaks resolves it (from the working directory),
 * else beside the config that names it. */
static char *gl_resolve(const char *from, const char *p)
{
    struct stat st;
    if (p[0] == '/' || stat(p, &st) == 0) return xstrdup(p);
    const char *sl = strrchr(from, '/');
    if (!sl) return xstrdup(p);
    char *r = xasprintf("%.*s/%s", (int)(sl - from), from, p);
    if (stat(r, &st) == 0) return r;
    free(r);
    return xstrdup(p);
}

static void drop_rule(secrets *s, size_t i)
{
    rule_free(&s->rules[i]);
    memmove(&s->rules[i], &s->rules[i + 1], (s->n - i - 1) * sizeof *s->rules);
    s->n--;
}

/* One config at `depth` (0: the one the user named): what it extends
 * first, then its own rules merged over them (gitleaks' Translate). */
static vg_status gl_load(secrets *s, loadctx *c, const char *path, int depth, gl_state *g)
{
    toml_value *root = NULL;
    if (gl_read(c, path, depth, &root)) return VG_ERR_PARSE;
    g->docs[g->ndocs] = root;
    g->files[g->ndocs++] = xstrdup(path);
    const toml_value *ext = toml_get(root, "extend");
    const char *ext_path = ext ? toml_get_string(ext, "path") : NULL;
    int use_default = ext && toml_get_bool(ext, "useDefault", 0);
    if (ext_path && !*ext_path) ext_path = NULL;
    if (ext_path && use_default) {
        load_err(c, ext, "unable to load config due to extend.path and extend.useDefault being set");
        return VG_ERR_PARSE;
    }
    if (ext && toml_get_string(ext, "url"))
        diag_add(c->d, DIAG_WARNING, c->file, ext->line, 0,
                 "[extend] url is not supported (gitleaks does not load it either)");
    size_t before = s->n;
    if (depth < GL_MAX_DEPTH) {
        if (use_default) {
            if (secrets__load_builtin(s, c->d)) return VG_ERR_PARSE;
        } else if (ext_path) {
            char *p = gl_resolve(path, ext_path);
            loadctx sub = {p, c->d, 0, 0};
            vg_status rc = gl_load(s, &sub, p, depth + 1, g);
            c->errors += sub.errors;
            free(p);
            if (rc) return rc;
        }
    }
    /* disabledRules: rules of the extended set that this config drops */
    const toml_value *dis = ext ? toml_get(ext, "disabledRules") : NULL;
    if (dis && dis->type == TOML_ARRAY)
        for (size_t i = 0; i < dis->u.array.n; i++) {
            const toml_value *v = dis->u.array.items[i];
            if (v->type != TOML_STRING) continue;
            int found = 0;
            for (size_t k = before; k < s->n; k++)
                if (!strcmp(s->rules[k].slug, v->u.str.s)) {
                    drop_rule(s, k);
                    found = 1;
                    break;
                }
            if (!found)
                diag_add(c->d, DIAG_WARNING, c->file, v->line, v->col,
                         "disabled rule '%s' doesn't exist in the extended config", v->u.str.s);
        }
    const toml_value *rules = toml_get(root, "rules");
    if (rules && rules->type == TOML_ARRAY)
        for (size_t i = 0; i < rules->u.array.n; i++)
            if (rules->u.array.items[i]->type == TOML_TABLE)
                rule_load(s, c, rules->u.array.items[i], R_MERGE);
    const toml_value *a1 = toml_get(root, "allowlist");
    const toml_value *as = toml_get(root, "allowlists");
    if (a1 && as && as->type == TOML_ARRAY && as->u.array.n) {
        load_err(c, a1, "[allowlist] is deprecated, it cannot be used alongside [[allowlists]]");
        return VG_ERR_PARSE;
    }
    const toml_value *one[1] = {a1};
    const toml_value *const *items = a1 ? one : as && as->type == TOML_ARRAY
                                                    ? (const toml_value *const *)as->u.array.items
                                                    : NULL;
    size_t nitems = a1 ? 1 : as && as->type == TOML_ARRAY ? as->u.array.n : 0;
    for (size_t i = 0; i < nitems; i++) {
        if (items[i]->type != TOML_TABLE) continue;
        allowlist al;
        if (allowlist_load(c, items[i], &al, "[[allowlists]]")) continue;
        const toml_value *tr = toml_get(items[i], "targetRules");
        if (tr && tr->type == TOML_ARRAY && tr->u.array.n)
            allowlist_free(&al); /* attached per rule once the set is complete */
        else
            add_global(s, &al);
    }
    return c->errors ? VG_ERR_PARSE : VG_OK;
}

/* After every extend: [[allowlists]] with targetRules join their rules. */
static void gl_targets(secrets *s, loadctx *c, const gl_state *g)
{
    for (size_t d = 0; d < g->ndocs; d++) {
        const toml_value *as = toml_get(g->docs[d], "allowlists");
        if (!as || as->type != TOML_ARRAY) continue;
        loadctx dc = {g->files[d], c->d, 0, 0};
        for (size_t i = 0; i < as->u.array.n; i++) {
            const toml_value *t = as->u.array.items[i];
            const toml_value *tr = t->type == TOML_TABLE ? toml_get(t, "targetRules") : NULL;
            if (!tr || tr->type != TOML_ARRAY) continue;
            for (size_t k = 0; k < tr->u.array.n; k++) {
                const toml_value *id = tr->u.array.items[k];
                if (id->type != TOML_STRING) continue;
                rule *r = find_rule(s, id->u.str.s);
                if (!r) {
                    load_err(&dc, id, "[[allowlists]] target rule ID '%s' does not exist",
                             id->u.str.s);
                    continue;
                }
                allowlist al;
                if (!allowlist_load(&dc, t, &al, "[[allowlists]]")) append_allow(r, &al, 1);
            }
        }
        c->errors += dc.errors;
    }
}

/* gitleaks' config discovery when none is named: $GITLEAKS_CONFIG, else
 * .gitleaks.toml in the (first) scan root.  Returns a malloc'd path or NULL;
 * *rel is set to the path as the scan will name the file, to skip it. */
static char *gl_discover(const vg_opts *opts, char **rel)
{
    *rel = NULL;
    const char *env = getenv("GITLEAKS_CONFIG");
    if (env && *env) return xstrdup(env);
    const char *root = opts && opts->paths.n ? opts->paths.v[0] : ".";
    struct stat st;
    if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) return NULL;
    char *p = xasprintf("%s/.gitleaks.toml", root);
    if (stat(p, &st) == 0 && S_ISREG(st.st_mode)) {
        *rel = xstrdup(".gitleaks.toml");
        return p;
    }
    free(p);
    return NULL;
}

/* .gitleaksignore at the (first) scan root: one fingerprint a line,
 * `file:rule:line` or `commit:file:rule:line`; backslashes in the file
 * part read as '/', as gitleaks normalises them. */
static void gl_ignore_load(secrets *s, const vg_opts *opts, diag_list *d)
{
    const char *root = opts && opts->paths.n ? opts->paths.v[0] : ".";
    struct stat st;
    if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) return;
    char *p = xasprintf("%s/.gitleaksignore", root);
    char *data = NULL;
    size_t len = 0;
    if (fs_read_all(p, SECRETS_MAX_CONFIG, &data, &len) == VG_OK) {
        size_t rl = strlen(root);
        while (rl > 1 && root[rl - 1] == '/') rl--;
        s->ignore_root = xasprintf("%.*s", (int)rl, root);
        size_t cap = 0;
        int lineno = 0;
        for (char *ln = data, *nx; ln && ln < data + len; ln = nx) {
            nx = memchr(ln, '\n', (size_t)(data + len - ln));
            if (nx) *nx++ = 0;
            lineno++;
            while (*ln == ' ' || *ln == '\t') ln++;
            size_t l = strlen(ln);
            while (l && (ln[l - 1] == '\r' || ln[l - 1] == ' ' || ln[l - 1] == '\t')) ln[--l] = 0;
            if (!*ln || *ln == '#') continue;
            int colons = 0;
            for (char *q = ln; *q; q++) colons += *q == ':';
            if (colons != 2 && colons != 3) {
                diag_add(d, DIAG_WARNING, p, lineno, 1, "invalid .gitleaksignore entry");
                continue;
            }
            for (char *q = ln; *q; q++)
                if (*q == '\\') *q = '/';
            XGROW(s->ignore, cap, s->nignore + 1);
            s->ignore[s->nignore++] = xstrdup(ln);
        }
    }
    free(data);
    free(p);
}

vg_status secrets_open(const vg_opts *opts, secrets **out, diag_list *d)
{
    secrets *s = xcalloc(1, sizeof *s);
    pthread_mutex_init(&s->own_lock, NULL);
    s->mctx = pcre2_match_context_create(NULL);
    pcre2_set_match_limit(s->mctx, SECRETS_MATCH_LIMIT);
    pcre2_set_depth_limit(s->mctx, SECRETS_DEPTH_LIMIT);
    *out = s;
    vg_status rc = VG_OK;
    char *found = NULL, *rel = NULL;
    const char *cfg = opts ? opts->secrets_config : NULL;
    if (!cfg && opts) cfg = found = gl_discover(opts, &rel);
    if (cfg) {
        gl_state g = {0};
        loadctx c = {cfg, d, 0, 0};
        rc = gl_load(s, &c, cfg, 0, &g);
        if (!rc) {
            validate_rules(s, &c);
            gl_targets(s, &c, &g);
        }
        for (size_t i = 0; i < g.ndocs; i++) {
            toml_free(g.docs[i]);
            free(g.files[i]);
        }
        s->skip_path = rel ? rel : realpath(cfg, NULL);
        free(found);
        if (rc || c.errors) return VG_ERR_PARSE;
    } else if (!(opts && opts->secrets_user_rules)) {
        /* the built-in set alone: borrow the process's copy (loading it
         * twice, for the registry and the scan, was a tenth of a small scan) */
        const secrets *b = secrets__builtin();
        if (!b) return VG_ERR_PARSE;
        s->rules = b->rules;
        s->n = b->n;
        s->globals = b->globals;
        s->nglobals = b->nglobals;
        s->borrowed = 1;
    } else if ((rc = secrets__load_builtin(s, d))) {
        return rc;
    }
    if (opts && opts->secrets_user_rules) {
        const toml_value *ur = opts->secrets_user_rules;
        loadctx c = {opts->config_path ? opts->config_path : ".vibeguard.toml", d, 0, 0};
        if (ur->type == TOML_TABLE) ur = toml_get(ur, "rules");
        if (ur && ur->type == TOML_ARRAY)
            for (size_t i = 0; i < ur->u.array.n; i++)
                if (ur->u.array.items[i]->type == TOML_TABLE)
                    rule_load(s, &c, ur->u.array.items[i], R_REPLACE);
        if (!c.errors) validate_rules(s, &c);
        if (c.errors) return VG_ERR_PARSE;
    }
    if (opts && opts->secrets_allowlist.n) {
        s->user_allow = xcalloc(opts->secrets_allowlist.n, sizeof *s->user_allow);
        for (size_t i = 0; i < opts->secrets_allowlist.n; i++) {
            const char *p = opts->secrets_allowlist.v[i];
            char err[256];
            pcre2_code *re = re_compile(p, strlen(p), err, sizeof err);
            if (!re) { /* not a regex: the literal value */
                int ec;
                PCRE2_SIZE eo;
                re = pcre2_compile((PCRE2_SPTR)p, strlen(p), PCRE2_LITERAL, &ec, &eo, NULL);
            }
            if (re) s->user_allow[s->nuser_allow++] = re;
        }
    }
    if (opts) gl_ignore_load(s, opts, d);
    for (size_t i = 0; i < s->n; i++) registry_add(s->rules[i].meta);
    return VG_OK;
}

void secrets_close(secrets *s)
{
    if (!s) return;
    if (!s->borrowed) {
        for (size_t i = 0; i < s->n; i++) rule_free(&s->rules[i]);
        free(s->rules);
        for (size_t i = 0; i < s->nglobals; i++) allowlist_free(&s->globals[i]);
        free(s->globals);
    }
    free(s->always);
    free(s->pathonly);
    for (size_t i = 0; i < s->nignore; i++) free(s->ignore[i]);
    free(s->ignore);
    free(s->ignore_root);
    free(s->skip_path);
    for (size_t i = 0; i < s->nuser_allow; i++) pcre2_code_free(s->user_allow[i]);
    free(s->user_allow);
    for (size_t i = 0; i < s->nspare; i++) scan_scratch_free(s->spare[i]);
    free(s->spare);
    scan_db_free(s->own_db);
    pthread_mutex_destroy(&s->own_lock);
    pcre2_match_context_free(s->mctx);
    free(s);
}
