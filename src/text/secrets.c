/* secrets.c - secret rules (gitleaks' shape) loaded from TOML, matched by
 * the shared Hyperscan pass and confirmed by PCRE2.
 *
 * A hit of rule R ending at byte E means "some match of R ends at E".
 * Confirmation runs R's PCRE2 regex forward from
 * max(covered, E - SECRETS_SPAN_BACK) over a window ending at
 * E + SECRETS_SPAN_FWD, which finds the same leftmost match a whole-buffer
 * PCRE2 scan would; `covered` (the end of the last match of
 * R) makes every byte reach PCRE2 at most about once per rule.  The
 * built-in rule metadata lives as long as the process (the registry points
 * at it); rules from user configs are kept in the same long-lived store,
 * because findings outlive the scan that made them.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "../core/fsutil.h"
#include "../core/limits.h"
#include "secrets.h"

#include <ctype.h>
#include <math.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../finding/analyzer.h"
#include "../core/buf.h"
#include "../core/embed.h"
#include "../core/xalloc.h"
#include "../fmt/toml.h"
#include "../finding/finding.h"

EMBED_DECL(secrets_toml);

typedef enum target { T_SECRET = 0, T_MATCH, T_LINE } target;

typedef struct allowlist {
    pcre2_code **regexes;
    size_t nregexes;
    target regex_target;
    char **stopwords;          /* lower-case */
    size_t nstopwords;
    pcre2_code **paths;
    size_t npaths;
    int and_condition;         /* condition = "AND": every present check must hold */
} allowlist;

typedef struct rule {
    char *slug;
    char *src;                 /* the regex source (for Hyperscan) */
    int always;                /* Hyperscan cannot take it: PCRE2 over every text file */
    rule_meta *meta;           /* in the long-lived store */
    pcre2_code *re;            /* NULL: a path-only rule (not reported by content) */
    uint32_t ngroups;
    int secret_group;
    double entropy;
    char **keywords;           /* lower-case */
    size_t nkeywords;
    pcre2_code *path;
    allowlist *allow;
    size_t nallow;
    int fallback;              /* generic: dropped where a specific rule matched */
    size_t span;               /* longest match: PCRE2 looks back this far from a hit */
    int no_placeholder;        /* skip the placeholder filter */
} rule;

struct secrets {
    rule *rules;
    size_t n, cap;
    allowlist global;
    int has_global;
    pcre2_code **user_allow;   /* opts->secrets_allowlist as regexes */
    size_t nuser_allow;
    scan_db *own_db;           /* for secrets_find, built on first use */
    pthread_mutex_t own_lock;
    const scan_db *scan_ref;   /* the shared database of a scan (compiled after init) */
    int modes_done;            /* mark_dropped ran on scan_ref (atomic) */
    pcre2_match_context *mctx;
};

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

double secrets_entropy(const unsigned char *p, size_t n)
{
    if (n == 0) return 0;
    size_t cnt[256] = {0};
    for (size_t i = 0; i < n; i++) cnt[p[i]]++;
    double e = 0;
    for (int c = 0; c < 256; c++) {
        if (!cnt[c]) continue;
        double q = (double)cnt[c] / (double)n;
        e -= q * log2(q);
    }
    return e;
}

/* Case-insensitive substring search (Horspool over lower-cased bytes):
 * keywords are looked for across whole files. */
static int ci_contains(const unsigned char *h, size_t hn, const char *needle)
{
    size_t nn = strlen(needle);
    if (nn == 0) return 1;
    if (nn > hn) return 0;
    unsigned char nd[64];
    if (nn > sizeof nd) nn = sizeof nd; /* a prefix of a long keyword */
    for (size_t i = 0; i < nn; i++) nd[i] = (unsigned char)tolower((unsigned char)needle[i]);
    size_t skip[256];
    for (int c = 0; c < 256; c++) skip[c] = nn;
    for (size_t i = 0; i + 1 < nn; i++) {
        skip[nd[i]] = nn - 1 - i;
        skip[toupper(nd[i])] = nn - 1 - i;
    }
    for (size_t pos = 0; pos + nn <= hn;) {
        unsigned char last = h[pos + nn - 1];
        if ((unsigned char)tolower(last) == nd[nn - 1]) {
            size_t j = 0;
            while (j + 1 < nn && (unsigned char)tolower(h[pos + j]) == nd[j]) j++;
            if (j + 1 >= nn) return 1;
        }
        pos += skip[last];
    }
    return 0;
}

/* Placeholders (DESIGN §6): not secrets even when the pattern fits. */
int secrets_is_placeholder(const unsigned char *p, size_t n)
{
    static const char *words[] = {
        "example", "changeme", "change_me", "change-me", "placeholder", "your_", "your-",
        "yourkey", "insert_", "replace_me", "replaceme", "redacted", "dummy", "sample_",
        "<your", "${", "{{", "%(", "$(", "os.environ", "getenv", "process.env", "env[",
        "xxxxx", "*****", "00000000", "12345678", "abcdefgh", "...", "[secret", "<secret",
        "your_api_key", "todo", "fixme", "notreal", "not_real", "not-a-real", "fake_", "test_key",
    };
    if (n == 0) return 1;
    for (size_t i = 0; i < sizeof words / sizeof *words; i++)
        if (ci_contains(p, n, words[i])) return 1;
    /* One character repeated over most of the value: xxxx, ****, 0000. */
    size_t cnt[256] = {0}, best = 0;
    for (size_t i = 0; i < n; i++)
        if (++cnt[p[i]] > best) best = cnt[p[i]];
    if (n >= 8 && best * 2 > n) return 1;
    /* A ${VAR}, <name> or %VAR% reference as the whole value. */
    if ((p[0] == '<' && p[n - 1] == '>') || (p[0] == '%' && p[n - 1] == '%') ||
        (p[0] == '{' && memchr(p, '}', n)) || /* {name} format fields */
        (p[0] == '$' && n > 1 && (isupper(p[1]) || p[1] == '{')))
        return 1;
    return 0;
}

static pcre2_code *re_compile(const char *pat, size_t len, char *err, size_t errn)
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
    pcre2_jit_compile(re, PCRE2_JIT_COMPLETE); /* falls back to the interpreter */
    return re;
}

static int re_search(const pcre2_code *re, const unsigned char *s, size_t n,
                     pcre2_match_context *mctx)
{
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    int rc = pcre2_match(re, s, n, 0, 0, md, mctx);
    pcre2_match_data_free(md);
    return rc >= 0;
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

static void load_err(loadctx *c, const toml_value *at, const char *fmt, const char *a,
                     const char *b)
{
    char msg[512];
    snprintf(msg, sizeof msg, fmt, a ? a : "", b ? b : "");
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

static char **string_list(const toml_value *arr, size_t *n)
{
    *n = 0;
    if (!arr || arr->type != TOML_ARRAY || arr->u.array.n == 0) return NULL;
    char **v = xcalloc(arr->u.array.n, sizeof *v);
    for (size_t i = 0; i < arr->u.array.n; i++)
        if (arr->u.array.items[i]->type == TOML_STRING)
            v[(*n)++] = lower_dup(arr->u.array.items[i]->u.str.s);
    return v;
}

static void allowlist_load(loadctx *c, const toml_value *t, allowlist *a)
{
    memset(a, 0, sizeof *a);
    a->regexes = compile_list(c, toml_get(t, "regexes"), &a->nregexes, "allowlist");
    a->paths = compile_list(c, toml_get(t, "paths"), &a->npaths, "allowlist path");
    a->stopwords = string_list(toml_get(t, "stopwords"), &a->nstopwords);
    const char *tg = toml_get_string(t, "regexTarget");
    a->regex_target = !tg ? T_SECRET : !strcmp(tg, "match") ? T_MATCH
                                     : !strcmp(tg, "line") ? T_LINE : T_SECRET;
    const char *cond = toml_get_string(t, "condition");
    a->and_condition = cond && !strcasecmp(cond, "AND");
}

static void allowlist_free(allowlist *a)
{
    for (size_t i = 0; i < a->nregexes; i++) pcre2_code_free(a->regexes[i]);
    for (size_t i = 0; i < a->npaths; i++) pcre2_code_free(a->paths[i]);
    for (size_t i = 0; i < a->nstopwords; i++) free(a->stopwords[i]);
    free(a->regexes);
    free(a->paths);
    free(a->stopwords);
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
}

static rule *find_rule(secrets *s, const char *slug)
{
    for (size_t i = 0; i < s->n; i++)
        if (!strcmp(s->rules[i].slug, slug)) return &s->rules[i];
    return NULL;
}

/* One [[rules]] table.  `builtin` rules register their metadata once. */
static void rule_load(secrets *s, loadctx *c, const toml_value *t, int replace)
{
    const char *id = toml_get_string(t, "id");
    const char *re = toml_get_string(t, "regex");
    const char *path = toml_get_string(t, "path");
    if (!id || !*id) {
        load_err(c, t, "rule without an id%s%s", NULL, NULL);
        return;
    }
    for (const char *p = id; *p; p++)
        if (!isalnum((unsigned char)*p) && !strchr("-_.", *p)) {
            load_err(c, t, "rule id '%s': use letters, digits, '-', '_', '.'%s", id, NULL);
            return;
        }
    if (!re && !path) {
        load_err(c, t, "rule '%s' has neither regex nor path%s", id, NULL);
        return;
    }
    if (s->n >= SECRETS_MAX_RULES) {
        load_err(c, t, "too many rules (at '%s')%s", id, NULL);
        return;
    }
    rule nr = {0};
    char err[256];
    if (re) {
        const toml_value *rv = toml_get(t, "regex");
        nr.re = re_compile(re, rv->u.str.len, err, sizeof err);
        if (!nr.re) {
            load_err(c, t, "rule '%s': bad regex %s", id, err);
            return;
        }
        pcre2_pattern_info(nr.re, PCRE2_INFO_CAPTURECOUNT, &nr.ngroups);
    }
    if (path) {
        const toml_value *pv = toml_get(t, "path");
        nr.path = re_compile(path, pv->u.str.len, err, sizeof err);
        if (!nr.path) {
            if (nr.re) pcre2_code_free(nr.re);
            load_err(c, t, "rule '%s': bad path regex %s", id, err);
            return;
        }
    }
    nr.slug = xstrdup(id);
    nr.src = re ? xstrdup(re) : NULL;
    nr.secret_group = (int)toml_get_int(t, "secretGroup", 0);
    if (nr.secret_group < 0 || (uint32_t)nr.secret_group > nr.ngroups) nr.secret_group = 0;
    const toml_value *ev = toml_get(t, "entropy");
    nr.entropy = !ev ? 0 : ev->type == TOML_FLOAT ? ev->u.f : ev->type == TOML_INTEGER ? (double)ev->u.i : 0;
    nr.keywords = string_list(toml_get(t, "keywords"), &nr.nkeywords);
    nr.fallback = toml_get_bool(t, "fallback", 0);
    int64_t span =
        toml_get_int(t, "maxSpan", c->builtin ? SECRETS_SPAN_DEFAULT : SECRETS_SPAN_BACK);
    nr.span = span < 16 ? 16 : span > SECRETS_SPAN_BACK ? SECRETS_SPAN_BACK : (size_t)span;
    nr.no_placeholder = toml_get_bool(t, "placeholders", 1) == 0;
    const toml_value *al = toml_get(t, "allowlists");
    const toml_value *al1 = toml_get(t, "allowlist"); /* gitleaks < 8.21 */
    size_t nal = (al && al->type == TOML_ARRAY ? al->u.array.n : 0) +
                 (al1 && al1->type == TOML_TABLE ? 1 : 0);
    if (nal) nr.allow = xcalloc(nal, sizeof *nr.allow);
    if (al && al->type == TOML_ARRAY)
        for (size_t i = 0; i < al->u.array.n; i++)
            if (al->u.array.items[i]->type == TOML_TABLE)
                allowlist_load(c, al->u.array.items[i], &nr.allow[nr.nallow++]);
    if (al1 && al1->type == TOML_TABLE) allowlist_load(c, al1, &nr.allow[nr.nallow++]);

    const char *sv = toml_get_string(t, "severity");
    const char *cv = toml_get_string(t, "confidence");
    severity sev = sv ? severity_parse(sv) : SEV_HIGH;
    confidence conf = cv ? confidence_parse(cv) : (nr.fallback ? CONF_MEDIUM : CONF_HIGH);
    nr.meta = meta_new(id, toml_get_string(t, "description"), sev, conf);

    rule *old = find_rule(s, id);
    if (old) {
        if (!replace) {
            rule_free(&nr);
            return;
        }
        rule_free(old);
        *old = nr;
    } else {
        XGROW(s->rules, s->cap, s->n + 1);
        s->rules[s->n++] = nr;
    }
}

/* A whole config document: [[rules]], [allowlist] / [[allowlists]]. */
static void config_load(secrets *s, loadctx *c, const toml_value *root, const char *rules_key,
                        int replace)
{
    const toml_value *rules = toml_get_path(root, rules_key);
    if (rules && rules->type == TOML_ARRAY)
        for (size_t i = 0; i < rules->u.array.n; i++)
            if (rules->u.array.items[i]->type == TOML_TABLE)
                rule_load(s, c, rules->u.array.items[i], replace);
}

static void global_allow_load(secrets *s, loadctx *c, const toml_value *root)
{
    const toml_value *a = toml_get(root, "allowlist");
    if (a && a->type == TOML_TABLE) {
        if (s->has_global) allowlist_free(&s->global);
        allowlist_load(c, a, &s->global);
        s->has_global = 1;
    }
}

static vg_status parse_doc(const char *src, size_t len, const char *path, toml_value **out,
                           diag_list *d)
{
    return toml_parse(src, len, path, out, d);
}

static vg_status load_file(const char *path, char **data, size_t *len, diag_list *d)
{
    vg_status rc = fs_read_all(path, SECRETS_MAX_CONFIG, data, len);
    if (rc == VG_ERR_LIMIT)
        diag_add(d, DIAG_ERROR, path, 0, 0, "secrets config larger than %u bytes",
                 SECRETS_MAX_CONFIG);
    else if (rc)
        diag_add(d, DIAG_ERROR, path, 0, 0, "cannot open the secrets config: %s", fs_strerror(errno));
    return rc;
}

/* The built-in document is parsed once per process (it never changes). */
static vg_status secrets_load_builtin(secrets *s, diag_list *d)
{
    toml_value *root = NULL;
    vg_status rc = parse_doc(EMBED_DATA(secrets_toml), EMBED_SIZE(secrets_toml),
                             "data/secrets.toml", &root, d);
    if (rc) return rc;
    loadctx c = {"data/secrets.toml", d, 0, 1};
    config_load(s, &c, root, "rules", 1);
    global_allow_load(s, &c, root);
    toml_free(root);
    return c.errors ? VG_ERR_PARSE : VG_OK;
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
    int use_default = 1;
    toml_value *gl = NULL;
    if (opts && opts->secrets_config) {
        char *data = NULL;
        size_t len = 0;
        if ((rc = load_file(opts->secrets_config, &data, &len, d))) return rc;
        rc = parse_doc(data, len, opts->secrets_config, &gl, d);
        free(data);
        if (rc) return rc;
        const toml_value *ext = toml_get(gl, "extend");
        use_default = ext && toml_get_bool(ext, "useDefault", 0);
    }
    if (use_default && (rc = secrets_load_builtin(s, d))) {
        toml_free(gl);
        return rc;
    }
    if (gl) {
        loadctx c = {opts->secrets_config, d, 0, 0};
        config_load(s, &c, gl, "rules", 1);
        global_allow_load(s, &c, gl);
        /* gitleaks 8.25+: [[allowlists]] at the top level. */
        const toml_value *als = toml_get(gl, "allowlists");
        if (als && als->type == TOML_ARRAY && als->u.array.n &&
            als->u.array.items[0]->type == TOML_TABLE && !s->has_global) {
            allowlist_load(&c, als->u.array.items[0], &s->global);
            s->has_global = 1;
        }
        toml_free(gl);
        if (c.errors) return VG_ERR_PARSE;
    }
    if (opts && opts->secrets_user_rules) {
        const toml_value *ur = opts->secrets_user_rules;
        loadctx c = {opts->config_path ? opts->config_path : ".vibeguard.toml", d, 0, 0};
        if (ur->type == TOML_ARRAY) {
            for (size_t i = 0; i < ur->u.array.n; i++)
                if (ur->u.array.items[i]->type == TOML_TABLE)
                    rule_load(s, &c, ur->u.array.items[i], 1);
        } else if (ur->type == TOML_TABLE) {
            config_load(s, &c, ur, "rules", 1);
        }
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
    for (size_t i = 0; i < s->n; i++) registry_add(s->rules[i].meta);
    return VG_OK;
}

void secrets_close(secrets *s)
{
    if (!s) return;
    for (size_t i = 0; i < s->n; i++) rule_free(&s->rules[i]);
    free(s->rules);
    if (s->has_global) allowlist_free(&s->global);
    for (size_t i = 0; i < s->nuser_allow; i++) pcre2_code_free(s->user_allow[i]);
    free(s->user_allow);
    scan_db_free(s->own_db);
    pthread_mutex_destroy(&s->own_lock);
    pcre2_match_context_free(s->mctx);
    free(s);
}

size_t secrets_rule_count(const secrets *s) { return s ? s->n : 0; }

/* Built-in rules in the registry (for `vibeguard rules`), loaded once. */
void secrets_rules_register(void)
{
    static secrets *builtin;
    diag_list d = {0};
    if (!builtin) {
        builtin = xcalloc(1, sizeof *builtin);
        builtin->mctx = pcre2_match_context_create(NULL);
        secrets_load_builtin(builtin, &d);
        diag_free(&d);
    }
    for (size_t i = 0; i < builtin->n; i++) registry_add(builtin->rules[i].meta);
}

/* --- hyperscan patterns ---------------------------------------------------- */

/* Each rule's regex joins the database under the rule's index.  A regex
 * Hyperscan takes in no mode falls back to its keywords as literal
 * triggers, or to PCRE2 over every file when it has none. */
static vg_status add_patterns(secrets *s, scan_db *db, diag_list *d)
{
    for (size_t i = 0; i < s->n; i++) {
        rule *r = &s->rules[i];
        r->always = 0;
        if (!r->re) continue;
        vg_status rc = scan_db_add(db, SCAN_FAM_SECRETS, r->src, SCAN_WIDEN, (uint32_t)i,
                                   r->meta->id, NULL, d);
        if (rc) return rc;
    }
    return VG_OK;
}

/* After compilation: a rule Hyperscan took in no mode is run by PCRE2 over
 * every file that has one of its keywords (or every file, without). */
static void mark_dropped(secrets *s, const scan_db *db)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->rules[i].re && scan_db_mode(db, SCAN_FAM_SECRETS, (uint32_t)i) == -1)
            s->rules[i].always = 1;
}

/* --- confirmation ------------------------------------------------------------ */

typedef struct mvec {
    secret_match *v;
    size_t n, cap;
    const char *bounded[8];   /* rules stopped on this file at the PCRE2 limits */
    size_t nbounded;
} mvec;

/* A match that ran into PCRE2's match or depth limit (catastrophic
 * backtracking, often in a user's rule): after SECRETS_LIMIT_STRIKES of
 * them the rule is not applied to the rest of the file, and the file's
 * report names it.  Returns 1 when the rule must stop. */
static int limit_strike(const rule *r, int rc, int *strikes, mvec *out)
{
    if (rc != PCRE2_ERROR_MATCHLIMIT && rc != PCRE2_ERROR_DEPTHLIMIT) return 0;
    if (++*strikes < SECRETS_LIMIT_STRIKES) return 0;
    if (out->nbounded < sizeof out->bounded / sizeof *out->bounded)
        out->bounded[out->nbounded++] = r->meta->id;
    return 1;
}

static int allowed_by(const allowlist *a, const unsigned char *data, size_t len, size_t ms,
                      size_t me, size_t ss, size_t se, const char *path,
                      pcre2_match_context *mctx)
{
    int present = 0, passed = 0;
    if (a->npaths) {
        present++;
        int hit = 0;
        for (size_t i = 0; path && i < a->npaths && !hit; i++)
            hit = re_search(a->paths[i], (const unsigned char *)path, strlen(path), mctx);
        passed += hit;
    }
    if (a->nregexes) {
        present++;
        size_t from = ss, to = se;
        if (a->regex_target == T_MATCH) from = ms, to = me;
        else if (a->regex_target == T_LINE) {
            from = ms;
            while (from > 0 && data[from - 1] != '\n') from--;
            to = me;
            while (to < len && data[to] != '\n') to++;
        }
        int hit = 0;
        for (size_t i = 0; i < a->nregexes && !hit; i++)
            hit = re_search(a->regexes[i], data + from, to - from, mctx);
        passed += hit;
    }
    if (a->nstopwords) {
        present++;
        int hit = 0;
        for (size_t i = 0; i < a->nstopwords && !hit; i++)
            hit = ci_contains(data + ss, se - ss, a->stopwords[i]);
        passed += hit;
    }
    if (!present) return 0;
    return a->and_condition ? passed == present : passed > 0;
}

static int keyword_present(const rule *r, const unsigned char *data, size_t len, int *cache)
{
    if (!r->nkeywords) return 1;
    if (*cache < 0) {
        *cache = 0;
        for (size_t k = 0; k < r->nkeywords && !*cache; k++)
            *cache = ci_contains(data, len, r->keywords[k]);
    }
    return *cache;
}

static void accept_match(const secrets *s, const rule *r, const unsigned char *data, size_t len,
                   const char *path, PCRE2_SIZE *ov, int rc, int *kwcache, mvec *out)
{
    size_t ms = ov[0], me = ov[1], ss = ms, se = me;
    if (r->secret_group > 0 && r->secret_group < rc && ov[2 * r->secret_group] != PCRE2_UNSET) {
        ss = ov[2 * r->secret_group];
        se = ov[2 * r->secret_group + 1];
    } else if (r->secret_group == 0) {
        for (int g = 1; g < rc; g++)
            if (ov[2 * g] != PCRE2_UNSET && ov[2 * g + 1] > ov[2 * g]) {
                ss = ov[2 * g];
                se = ov[2 * g + 1];
                break;
            }
    }
    if (se <= ss) return;
    if (!keyword_present(r, data, len, kwcache)) return;
    double ent = secrets_entropy(data + ss, se - ss);
    if (r->entropy > 0 && ent < r->entropy) return;
    if (!r->no_placeholder && secrets_is_placeholder(data + ss, se - ss)) return;
    for (size_t i = 0; i < r->nallow; i++)
        if (allowed_by(&r->allow[i], data, len, ms, me, ss, se, path, s->mctx)) return;
    if (s->has_global && allowed_by(&s->global, data, len, ms, me, ss, se, path, s->mctx))
        return;
    for (size_t i = 0; i < s->nuser_allow; i++)
        if (re_search(s->user_allow[i], data + ss, se - ss, s->mctx)) return;
    if (out->n >= SECRETS_MAX_MATCHES) return;
    XGROW(out->v, out->cap, out->n + 1);
    secret_match *m = &out->v[out->n++];
    m->rule_id = r->meta->id;
    m->slug = r->slug;
    m->title = r->meta->title;
    m->severity = r->meta->severity;
    m->start = ms;
    m->end = me;
    m->secret_start = ss;
    m->secret_end = se;
    m->entropy = ent;
}

/* Confirm the hits (end offsets, ascending) of one rule. */
static void confirm_rule(const secrets *s, const rule *r, const scan_hit *h, size_t nh,
                         const unsigned char *data, size_t len, const char *path,
                         pcre2_match_data *md, mvec *out)
{
    if (r->path && (!path || !re_search(r->path, (const unsigned char *)path, strlen(path),
                                        s->mctx)))
        return;
    int kwcache = -1, strikes = 0;
    size_t covered = 0;
    for (size_t i = 0; i < nh && out->n < SECRETS_MAX_MATCHES; i++) {
        size_t e = (size_t)h[i].to;
        if (e > len) e = len;
        if (i > 0 && e <= covered) continue;
        size_t pos = e > r->span ? e - r->span : 0;
        if (pos < covered) pos = covered;
        size_t we = len - e > SECRETS_SPAN_FWD ? e + SECRETS_SPAN_FWD : len;
        uint32_t opt = we < len ? PCRE2_NOTEOL : 0;
        for (;;) {
            int rc = pcre2_match(r->re, data, we, pos, opt, md, s->mctx);
            if (rc < 0 && limit_strike(r, rc, &strikes, out)) return;
            if (rc < 0) {
                if (covered < e) covered = e;
                break;
            }
            PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
            if (ov[1] <= ov[0]) { /* empty match: step on */
                pos = ov[0] + 1;
                if (pos >= we) break;
                continue;
            }
            accept_match(s, r, data, len, path, ov, rc, &kwcache, out);
            covered = ov[1];
            pos = ov[1];
            if (ov[1] >= e || pos >= we) break;
        }
    }
}

/* A rule outside the database: PCRE2 over the whole buffer. */
static void confirm_whole(const secrets *s, const rule *r, const unsigned char *data, size_t len,
                          const char *path, pcre2_match_data *md, mvec *out)
{
    int kwcache = -1;
    if (!keyword_present(r, data, len, &kwcache)) return;
    if (r->path && (!path || !re_search(r->path, (const unsigned char *)path, strlen(path),
                                        s->mctx)))
        return;
    size_t pos = 0;
    while (pos < len && out->n < SECRETS_MAX_MATCHES) {
        int rc = pcre2_match(r->re, data, len, pos, 0, md, s->mctx);
        if (rc < 0) {
            if (rc == PCRE2_ERROR_MATCHLIMIT || rc == PCRE2_ERROR_DEPTHLIMIT) {
                int strikes = SECRETS_LIMIT_STRIKES; /* over the whole buffer: one is enough */
                limit_strike(r, rc, &strikes, out);
            }
            break;
        }
        PCRE2_SIZE *ov = pcre2_get_ovector_pointer(md);
        if (ov[1] <= ov[0]) {
            pos = ov[0] + 1;
            continue;
        }
        accept_match(s, r, data, len, path, ov, rc, &kwcache, out);
        pos = ov[1];
    }
}

static int match_cmp(const void *a, const void *b)
{
    const secret_match *x = a, *y = b;
    if (x->start != y->start) return x->start < y->start ? -1 : 1;
    if (x->end != y->end) return x->end < y->end ? -1 : 1;
    return strcmp(x->rule_id, y->rule_id);
}

static int rule_is_fallback(const secrets *s, const char *rule_id)
{
    for (size_t i = 0; i < s->n; i++)
        if (s->rules[i].meta->id == rule_id) return s->rules[i].fallback;
    return 0;
}

/* Run every rule's confirmation over the hits of the secrets family. */
static void confirm_all(const secrets *s, const scan_hit *h, size_t nh, const unsigned char *data,
                        size_t len, const char *path, mvec *out)
{
    uint32_t maxg = 1;
    for (size_t i = 0; i < s->n; i++)
        if (s->rules[i].ngroups + 1 > maxg) maxg = s->rules[i].ngroups + 1;
    pcre2_match_data *md = pcre2_match_data_create(maxg, NULL);
    size_t i = 0;
    while (i < nh) {
        size_t j = i;
        while (j < nh && h[j].id == h[i].id) j++;
        if (h[i].id < s->n && s->rules[h[i].id].re)
            confirm_rule(s, &s->rules[h[i].id], h + i, j - i, data, len, path, md, out);
        i = j;
    }
    for (size_t r = 0; r < s->n; r++)
        if (s->rules[r].always && s->rules[r].re)
            confirm_whole(s, &s->rules[r], data, len, path, md, out);
    pcre2_match_data_free(md);
    if (out->n > 1) qsort(out->v, out->n, sizeof *out->v, match_cmp);
    /* Drop duplicates and generic matches that a specific rule explains.
     * At most SECRETS_MAX_MATCHES matches, so the quadratic passes stay bounded. */
    char *fb = out->n ? xmalloc(out->n) : NULL;
    for (size_t k = 0; k < out->n; k++) fb[k] = (char)rule_is_fallback(s, out->v[k].rule_id);
    size_t w = 0;
    for (size_t k = 0; k < out->n; k++) {
        secret_match *m = &out->v[k];
        int drop = 0;
        for (size_t q = 0; q < w && !drop; q++) {
            secret_match *p = &out->v[q];
            if (p->rule_id == m->rule_id && p->secret_start == m->secret_start &&
                p->secret_end == m->secret_end)
                drop = 1;
        }
        for (size_t q = 0; fb[k] && q < out->n && !drop; q++) {
            secret_match *p = &out->v[q];
            if (q != k && !fb[q] && p->secret_start < m->secret_end &&
                m->secret_start < p->secret_end)
                drop = 1;
        }
        if (!drop) {
            fb[w] = fb[k];
            out->v[w++] = *m;
        }
    }
    free(fb);
    out->n = w;
}

vg_status secrets_find(const secrets *s, const unsigned char *data, size_t len,
                       const char *path, secret_match **out, size_t *n)
{
    *out = NULL;
    *n = 0;
    secrets *ms = (secrets *)s; /* the lazily built database is guarded by own_lock */
    pthread_mutex_lock(&ms->own_lock);
    if (!ms->own_db) {
        diag_list d = {0};
        scan_db *db = scan_db_new();
        add_patterns(ms, db, &d);
        if (scan_db_compile(db, NULL, &d) != VG_OK) {
            scan_db_free(db);
            diag_free(&d);
            pthread_mutex_unlock(&ms->own_lock);
            return VG_ERR_INTERNAL;
        }
        diag_free(&d);
        mark_dropped(ms, db);
        ms->own_db = db;
    }
    pthread_mutex_unlock(&ms->own_lock);
    scan_scratch *sc = scan_scratch_new(s->own_db);
    if (!sc) return VG_ERR_NOMEM;
    scan_hits h = {0};
    vg_status rc = scan_buffer(s->own_db, sc, data, len, &h);
    if (!rc) {
        size_t nh;
        const scan_hit *hv = scan_hits_family(&h, SCAN_FAM_SECRETS, &nh);
        mvec mv = {0};
        confirm_all(s, hv, nh, data, len, path, &mv);
        *out = mv.v;
        *n = mv.n;
    }
    scan_hits_free(&h);
    scan_scratch_free(sc);
    return rc;
}

/* --- the family inside a scan -------------------------------------------------- */

static vg_status fam_init(const vg_opts *opts, int nthreads, scan_db *db, void **state,
                          diag_list *d)
{
    (void)nthreads;
    secrets *s = NULL;
    vg_status rc = secrets_open(opts, &s, d);
    if (rc) {
        secrets_close(s);
        return rc;
    }
    *state = s;
    s->scan_ref = db;
    return add_patterns(s, db, d);
}

static vg_status fam_file(void *state, const vg_file *f, const scan_hit *hits, size_t n,
                          vg_out *out)
{
    secrets *s = state;
    if (!s || f->kind == FK_BINARY) return VG_OK;
    if (!__atomic_load_n(&s->modes_done, __ATOMIC_ACQUIRE)) { /* first file: the db is compiled */
        pthread_mutex_lock(&s->own_lock);
        if (!s->modes_done) {
            mark_dropped(s, s->scan_ref);
            __atomic_store_n(&s->modes_done, 1, __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(&s->own_lock);
    }
    mvec mv = {0};
    confirm_all(s, hits, n, f->data, f->len, f->path, &mv);
    for (size_t i = 0; i < mv.nbounded; i++)
        diag_add(&out->diags, DIAG_WARNING, f->path, 0, 0,
                 "secrets rule %s reached the regex match limit (%d steps a match, %d times): "
                 "not applied to the rest of this file",
                 mv.bounded[i], SECRETS_MATCH_LIMIT, SECRETS_LIMIT_STRIKES);
    if (mv.n > SECRETS_MAX_FINDINGS) {
        diag_add(&out->diags, DIAG_WARNING, f->path, 0, 0,
                 "%zu%s possible secrets: only the first %d are reported", mv.n,
                 mv.n >= SECRETS_MAX_MATCHES ? " or more" : "", SECRETS_MAX_FINDINGS);
        mv.n = SECRETS_MAX_FINDINGS;
    }
    for (size_t i = 0; i < mv.n; i++) {
        const secret_match *m = &mv.v[i];
        size_t end = m->secret_end > m->start ? m->secret_end : m->end;
        finding *fd = out_add_span(out, f, m->rule_id, m->start, end,
                                   "%s: a secret of %zu characters (entropy %.2f)", m->title,
                                   m->secret_end - m->secret_start, m->entropy);
        finding_mask(fd, f, m->secret_start, m->secret_end);
        /* other secrets shown in the context lines are masked too */
        for (size_t j = 0; j < mv.n && fd->mask_count < 4; j++) {
            const secret_match *o = &mv.v[j];
            if (j == i || o->secret_start == m->secret_start) continue;
            int ol = file_line_of(f, o->secret_start, NULL);
            if (ol >= fd->line - 3 && ol <= fd->end_line + 3)
                finding_mask(fd, f, o->secret_start, o->secret_end);
        }
        finding_set_key(fd, f->data + m->secret_start, m->secret_end - m->secret_start);
        char ent[32];
        snprintf(ent, sizeof ent, "%.2f", m->entropy);
        finding_set_prop(fd, "entropy", ent);
    }
    free(mv.v);
    return VG_OK;
}

static void fam_fini(void *state) { secrets_close(state); }

const text_family secrets_family = {"secrets", SCAN_FAM_SECRETS, fam_init, fam_file, fam_fini};
