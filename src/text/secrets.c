/* secrets.c - secret rules (loaded by secrets_load.c) matched by the
 * shared Hyperscan pass and confirmed by PCRE2.
 *
 * A hit of rule R ending at byte E means "some match of R ends at E".
 * Confirmation runs R's PCRE2 regex forward from
 * max(covered, E - SECRETS_SPAN_BACK) over a window ending at
 * E + SECRETS_SPAN_FWD, which finds the same leftmost match a whole-buffer
 * PCRE2 scan would; `covered` (the end of the last match of
 * R) makes every byte reach PCRE2 at most about once per rule.
 * A path-only rule (gitleaks' `path` without `regex`, e.g. PKCS#12 files)
 * reports the file itself, binary or not.
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include "../core/limits.h"
#include "pii.h"
#include "secrets.h"
#include "secrets_check.h"

#include <ctype.h>
#include <math.h>
#include <pcre2.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../finding/analyzer.h"
#include "../core/xalloc.h"
#include "../finding/finding.h"
#include "secrets_int.h"

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
 * keywords are looked for across whole files, stop words in each secret.
 * A haystack shorter than the skip table is read byte by byte. */
static int ci_contains(const unsigned char *h, size_t hn, const char *needle)
{
    size_t nn = strlen(needle);
    if (nn == 0) return 1;
    if (nn > hn) return 0;
    unsigned char nd[64];
    if (nn > sizeof nd) nn = sizeof nd; /* a prefix of a long keyword */
    for (size_t i = 0; i < nn; i++) nd[i] = (unsigned char)tolower((unsigned char)needle[i]);
    if (hn < 256) {
        for (size_t pos = 0; pos + nn <= hn; pos++) {
            if ((unsigned char)tolower(h[pos]) != nd[0]) continue;
            size_t j = 1;
            while (j < nn && (unsigned char)tolower(h[pos + j]) == nd[j]) j++;
            if (j == nn) return 1;
        }
        return 0;
    }
    unsigned char skip[256]; /* nn <= 64 */
    memset(skip, (int)nn, sizeof skip);
    for (size_t i = 0; i + 1 < nn; i++) {
        skip[nd[i]] = (unsigned char)(nn - 1 - i);
        skip[toupper(nd[i])] = (unsigned char)(nn - 1 - i);
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

/* PCRE2 search anywhere in s[0..n). */
static int re_search(const pcre2_code *re, const unsigned char *s, size_t n,
                     pcre2_match_context *mctx)
{
    pcre2_match_data *md = pcre2_match_data_create(1, NULL);
    int rc = pcre2_match(re, s, n, 0, 0, md, mctx);
    pcre2_match_data_free(md);
    return rc >= 0;
}


size_t secrets_rule_count(const secrets *s) { return s ? s->n : 0; }

/* Built-in rules in the registry (for `vibeguard rules`), loaded once per
 * process and shared with the engines that use them alone. */
void secrets_rules_register(void)
{
    const secrets *b = secrets__builtin();
    for (size_t i = 0; b && i < b->n; i++) registry_add(b->rules[i].meta);
}

/* --- hyperscan patterns ---------------------------------------------------- */

/* Each rule's regex joins the database under the rule's index.  A regex
 * Hyperscan takes in no mode falls back to its keywords as literal
 * triggers, or to PCRE2 over every file when it has none. */
static vg_status add_patterns(secrets *s, scan_db *db, diag_list *d)
{
    s->nalways = 0;
    s->npathonly = 0;
    s->maxg = 1;
    for (size_t i = 0; i < s->n; i++) {
        rule *r = &s->rules[i];
        if (r->ngroups + 1 > s->maxg) s->maxg = r->ngroups + 1;
        if (!r->re && r->path) {
            if (!s->pathonly) s->pathonly = xcalloc(s->n, sizeof *s->pathonly);
            s->pathonly[s->npathonly++] = i;
        }
        if (!r->re) continue;
        vg_status rc = scan_db_add(db, SCAN_FAM_SECRETS, r->src, SCAN_WIDEN | SCAN_TRIM, (uint32_t)i,
                                   r->meta->id, NULL, d);
        if (rc) return rc;
    }
    return VG_OK;
}

/* After compilation: a rule Hyperscan took in no mode is run by PCRE2 over
 * every file that has one of its keywords (or every file, without). */
static void mark_dropped(secrets *s, const scan_db *db)
{
    s->nalways = 0;
    for (size_t i = 0; i < s->n; i++)
        if (s->rules[i].re && scan_db_mode(db, SCAN_FAM_SECRETS, (uint32_t)i) == -1) {
            if (!s->always) s->always = xcalloc(s->n, sizeof *s->always);
            s->always[s->nalways++] = i;
        }
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

/* The commit of the bytes being confirmed (--history), for allowlists'
 * `commits`; set by fam_file around its confirmation, NULL otherwise. */
static _Thread_local const char *tl_commit;

/* gitleaks' CommitAllowed: the commit SHA equals a listed one (a listed
 * prefix of 7 or more characters counts, as `git` abbreviates). */
static int commit_listed(const allowlist *a, const char *commit)
{
    if (!commit) return 0;
    size_t cl = strlen(commit);
    for (size_t i = 0; i < a->ncommits; i++) {
        size_t l = strlen(a->commits[i]);
        if (l >= 7 && l <= cl && !strncasecmp(commit, a->commits[i], l)) return 1;
    }
    return 0;
}

/* A path-only check of an allowlist (gitleaks' checkCommitOrPathAllowed):
 * paths or commits decide alone under OR, and under AND when the list has
 * no regexes or stopwords. */
static int allowed_file(const allowlist *a, const char *path, pcre2_match_context *mctx)
{
    int p = 0;
    for (size_t i = 0; path && i < a->npaths && !p; i++)
        p = re_search(a->paths[i], (const unsigned char *)path, strlen(path), mctx);
    int c = commit_listed(a, tl_commit);
    if (!a->and_condition) return p || c;
    if (a->nregexes || a->nstopwords || (!a->npaths && !a->ncommits)) return 0;
    return (!a->npaths || p) && (!a->ncommits || c);
}

static int allowed_by(const allowlist *a, const unsigned char *data, size_t len, size_t ms,
                      size_t me, size_t ss, size_t se, const char *path,
                      pcre2_match_context *mctx)
{
    int present = 0, passed = 0;
    if (a->ncommits) {
        present++;
        passed += commit_listed(a, tl_commit);
    }
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

static int any_keyword(const rule *r, const unsigned char *h, size_t n)
{
    for (size_t k = 0; k < r->nkeywords; k++)
        if (ci_contains(h, n, r->keywords[k])) return 1;
    return 0;
}

/* Is one of r's keywords in data (gitleaks: in the file)?  The match
 * [ms, me) is asked first: it holds the keyword nearly always, and then
 * the whole buffer need not be read. */
static int keyword_present(const rule *r, const unsigned char *data, size_t len, size_t ms,
                           size_t me, int *cache)
{
    if (!r->nkeywords) return 1;
    if (*cache < 0 && me > ms && me <= len && any_keyword(r, data + ms, me - ms)) *cache = 1;
    if (*cache < 0) *cache = any_keyword(r, data, len);
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
    if (!keyword_present(r, data, len, ms, me, kwcache)) return;
    double ent = secrets_entropy(data + ss, se - ss);
    if (r->entropy > 0 && ent <= r->entropy) return; /* gitleaks: at the threshold is too low */
    if (r->check && !secrets_check(r->check, data + ss, se - ss)) return;
    if (!r->no_placeholder && !s->recall && secrets_is_placeholder(data + ss, se - ss)) return;
    for (size_t i = 0; i < r->nallow; i++)
        if (allowed_by(&r->allow[i], data, len, ms, me, ss, se, path, s->mctx)) return;
    for (size_t i = 0; i < s->nglobals && !s->recall; i++)
        if (allowed_by(&s->globals[i], data, len, ms, me, ss, se, path, s->mctx)) return;
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

/* JIT-compile r's regex before its first match (once, whichever thread
 * gets there first; the others wait on jit_lock, which is the process's:
 * engines share the built-in rules). */
static pthread_mutex_t jit_lock = PTHREAD_MUTEX_INITIALIZER;

static void rule_ready(const rule *r)
{
    rule *w = (rule *)r;
    if (__atomic_load_n(&w->jitted, __ATOMIC_ACQUIRE)) return;
    pthread_mutex_lock(&jit_lock);
    if (!w->jitted) {
        if (w->re) pcre2_jit_compile(w->re, PCRE2_JIT_COMPLETE);
        __atomic_store_n(&w->jitted, 1, __ATOMIC_RELEASE);
    }
    pthread_mutex_unlock(&jit_lock);
}

/* Confirm the hits (end offsets, ascending) of one rule. */
static void confirm_rule(const secrets *s, const rule *r, const scan_hit *h, size_t nh,
                         const unsigned char *data, size_t len, const char *path,
                         pcre2_match_data *md, mvec *out)
{
    if (r->path && (!path || !re_search(r->path, (const unsigned char *)path, strlen(path),
                                        s->mctx)))
        return;
    rule_ready(r);
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
    if (!keyword_present(r, data, len, 0, 0, &kwcache)) return;
    rule_ready(r);
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
    if (!nh && !s->nalways) return; /* most files: no work per rule */
    pcre2_match_data *md = pcre2_match_data_create(s->maxg, NULL);
    size_t i = 0;
    while (i < nh) {
        size_t j = i;
        while (j < nh && h[j].id == h[i].id) j++;
        if (h[i].id < s->n && s->rules[h[i].id].re)
            confirm_rule(s, &s->rules[h[i].id], h + i, j - i, data, len, path, md, out);
        i = j;
    }
    for (size_t k = 0; k < s->nalways; k++)
        confirm_whole(s, &s->rules[s->always[k]], data, len, path, md, out);
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
    scan_scratch *sc = ms->nspare ? ms->spare[--ms->nspare] : NULL;
    pthread_mutex_unlock(&ms->own_lock);
    if (!sc && !(sc = scan_scratch_new(s->own_db))) return VG_ERR_NOMEM;
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
    pthread_mutex_lock(&ms->own_lock); /* kept for the next call */
    XGROW(ms->spare, ms->capspare, ms->nspare + 1);
    ms->spare[ms->nspare++] = sc;
    pthread_mutex_unlock(&ms->own_lock);
    return rc;
}

vg_status secrets_add_patterns(const secrets *s, scan_db *db, diag_list *d)
{
    secrets *ms = (secrets *)s; /* scan_ref and modes_done are guarded by own_lock */
    ms->scan_ref = db;
    ms->modes_done = 0;
    return add_patterns(ms, db, d);
}

vg_status secrets_confirm(const secrets *s, const unsigned char *data, size_t len,
                          const char *path, const scan_hit *h, size_t nh, secret_match **out,
                          size_t *n)
{
    secrets *ms = (secrets *)s;
    *out = NULL;
    *n = 0;
    if (!ms->scan_ref) return VG_ERR_USAGE;
    if (!__atomic_load_n(&ms->modes_done, __ATOMIC_ACQUIRE)) { /* the db is compiled by now */
        pthread_mutex_lock(&ms->own_lock);
        if (!ms->modes_done) {
            mark_dropped(ms, ms->scan_ref);
            __atomic_store_n(&ms->modes_done, 1, __ATOMIC_RELEASE);
        }
        pthread_mutex_unlock(&ms->own_lock);
    }
    mvec mv = {0};
    confirm_all(s, h, nh, data, len, path, &mv);
    *out = mv.v;
    *n = mv.n;
    return VG_OK;
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

/* Is this the gitleaks config the rules came from?  gitleaks never scans
 * its own config (its allowlists hold example secrets). */
static int is_own_config(const secrets *s, const vg_file *f)
{
    if (!s->skip_path || f->commit) return 0;
    if (s->skip_path[0] != '/') return !strcmp(f->path, s->skip_path);
    const char *a = strrchr(s->skip_path, '/'), *b = strrchr(f->path, '/');
    if (strcmp(a + 1, b ? b + 1 : f->path) || !f->fs_path) return 0;
    char *rp = realpath(f->fs_path, NULL);
    int same = rp && !strcmp(rp, s->skip_path);
    free(rp);
    return same;
}

/* .gitleaksignore: `file:rule:line`, or with --history `commit:file:rule:line`. */
static int ignored(const secrets *s, const vg_file *f, const char *slug, int line)
{
    if (!s->nignore) return 0;
    /* the path as reported, and below the scan root (as `gitleaks dir .` names it) */
    const char *paths[2] = {f->path, NULL};
    size_t rl = s->ignore_root ? strlen(s->ignore_root) : 0;
    if (rl && !strncmp(f->path, s->ignore_root, rl) && f->path[rl] == '/') paths[1] = f->path + rl + 1;
    for (int k = 0; k < 2 && paths[k]; k++) {
        char key[1024], ckey[1100];
        snprintf(key, sizeof key, "%s:%s:%d", paths[k], slug, line);
        if (f->commit) snprintf(ckey, sizeof ckey, "%s:%s", f->commit, key);
        for (size_t i = 0; i < s->nignore; i++)
            if (!strcmp(s->ignore[i], key) || (f->commit && !strcmp(s->ignore[i], ckey)))
                return 1;
    }
    return 0;
}

/* Path-only rules: the file itself is the finding (gitleaks: "file
 * detected"), unless a path or commit allowlist of the rule or a global one
 * lets it be. */
static void path_rules(const secrets *s, const vg_file *f, vg_out *out)
{
    for (size_t k = 0; k < s->npathonly; k++) {
        const rule *r = &s->rules[s->pathonly[k]];
        if (!re_search(r->path, (const unsigned char *)f->path, strlen(f->path), s->mctx))
            continue;
        int allowed = 0;
        for (size_t k = 0; k < r->nallow && !allowed; k++)
            allowed = allowed_file(&r->allow[k], f->path, s->mctx);
        for (size_t k = 0; k < s->nglobals && !allowed; k++)
            allowed = allowed_file(&s->globals[k], f->path, s->mctx);
        if (allowed || ignored(s, f, r->slug, 1)) continue;
        vg_file pf = *f; /* the file's bytes are not the finding: show none */
        pf.data = (const unsigned char *)"";
        pf.len = 0;
        pf.lines = NULL;
        finding *fd = out_add(out, &pf, r->meta->id, 1, 1, 1, 1, "%s: file detected: %s",
                              r->meta->title, f->path);
        finding_set_key(fd, f->path, strlen(f->path));
        file_lines_free(&pf);
    }
}

static vg_status fam_file(void *state, const vg_file *f, const scan_hit *hits, size_t n,
                          vg_out *out)
{
    secrets *s = state;
    if (!s || is_own_config(s, f)) return VG_OK;
    tl_commit = f->commit;
    for (size_t k = 0; k < s->nglobals; k++)
        if (allowed_file(&s->globals[k], f->path, s->mctx)) { /* gitleaks: skip the file */
            tl_commit = NULL;
            return VG_OK;
        }
    path_rules(s, f, out);
    if (f->kind == FK_BINARY || f->len == 0) {
        tl_commit = NULL;
        return VG_OK;
    }
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
    tl_commit = NULL;
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
    /* comments and docstrings of Python code: the policy treats a
     * generic-rule match there as documentation */
    pii_doc_spans_t docs = {0};
    if (f->kind == FK_PYTHON && mv.n) pii_doc_spans(f->data, f->len, &docs);
    for (size_t i = 0; i < mv.n; i++) {
        const secret_match *m = &mv.v[i];
        if (ignored(s, f, m->slug, file_line_of(f, m->start, NULL))) continue;
        size_t end = m->secret_end > m->start ? m->secret_end : m->end;
        finding *fd = out_add_span(out, f, m->rule_id, m->start, end,
                                   "%s: a secret of %zu characters (entropy %.2f)", m->title,
                                   m->secret_end - m->secret_start, m->entropy);
        finding_mask(fd, f, m->secret_start, m->secret_end);
        if (fd && docs.n && pii_in_doc(&docs, m->start)) fd->in_doc = 1;
        /* other secrets shown in the context lines are masked too */
        for (size_t j = 0; j < mv.n && fd->mask_count < 4; j++) {
            const secret_match *o = &mv.v[j];
            if (j == i || o->secret_start == m->secret_start) continue;
            int ol = file_line_of(f, o->secret_start, NULL);
            if (ol >= fd->line - 3 && ol <= fd->end_line + 3)
                finding_mask(fd, f, o->secret_start, o->secret_end);
        }
        /* the fingerprint is the default one, over the masked line: a hash of
         * the secret itself would let a wordlist recover it */
        char ent[32];
        snprintf(ent, sizeof ent, "%.2f", m->entropy);
        finding_set_prop(fd, "entropy", ent);
    }
    free(mv.v);
    free(docs.v);
    return VG_OK;
}

void secrets_set_recall(secrets *s, int on) { s->recall = on; }

static void fam_fini(void *state) { secrets_close(state); }

const text_family secrets_family = {"secrets", SCAN_FAM_SECRETS, fam_init, fam_file, fam_fini};
