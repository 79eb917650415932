/* scan.c - one Hyperscan database for every text pattern family.
 *
 * Patterns are collected at init, compiled once (or loaded from the
 * serialised cache), then shared read-only by every worker; each worker
 * owns a scratch.  Patterns are not checked one by one (that costs as much
 * as loading the cached database): on a cache miss, a pattern that makes
 * the compilation fail is retried with HS_FLAG_PREFILTER, then dropped,
 * and the compilation repeated.  Cache file layout: "VGHS" magic, u32
 * version, u64 key (hash of hs_version and every pattern), u64 payload
 * hash, u64 payload length; payload: u64 pattern count, one mode byte per
 * pattern (exact, prefilter, dropped), then hs_serialize_database's bytes.
 * A file that fails any check is ignored and rewritten through a temporary
 * file and rename.  Before the cache comes the prebuilt set: the
 * databases of the built-in rule sets, compiled at build time by
 * tools/hsgen.c and embedded in the binary (scan_prebuilt_use), so a cold
 * scan deserialises instead of compiling; user rules still go through the
 * cache.
 */
#include "../core/fsutil.h"
#include "../core/limits.h"
#include "scan.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <hs.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../core/buf.h"
#include "../core/hash.h"
#include "../core/xalloc.h"

enum { MODE_EXACT = 0, MODE_PREFILTER = 1, MODE_DROPPED = -1 };

typedef struct pattern {
    char *expr;
    char *what;      /* for messages: the rule id */
    unsigned hs_flags;
    uint32_t id;
    uint8_t family;
    int8_t mode;
} pattern;

struct scan_db {
    pattern *v;
    size_t n, cap;
    hs_database_t *db;
    uint64_t key;
    int from_cache;  /* 1: the disk cache, 2: the prebuilt set */
};

struct scan_scratch {
    hs_scratch_t *s;
};

scan_db *scan_db_new(void) { return xcalloc(1, sizeof(scan_db)); }

void scan_db_free(scan_db *db)
{
    if (!db) return;
    for (size_t i = 0; i < db->n; i++) {
        free(db->v[i].expr);
        free(db->v[i].what);
    }
    free(db->v);
    if (db->db) hs_free_database(db->db);
    free(db);
}

size_t scan_db_count(const scan_db *db) { return db ? db->n : 0; }
int scan_db_from_cache(const scan_db *db) { return db && db->from_cache == 1; }
int scan_db_prebuilt(const scan_db *db) { return db && db->from_cache == 2; }

static unsigned hs_flags_of(unsigned f)
{
    unsigned h = 0;
    if (f & SCAN_CASELESS) h |= HS_FLAG_CASELESS;
    if (f & SCAN_DOTALL) h |= HS_FLAG_DOTALL;
    if (f & SCAN_MULTILINE) h |= HS_FLAG_MULTILINE;
    if (f & SCAN_SINGLEMATCH) h |= HS_FLAG_SINGLEMATCH;
    if (f & SCAN_PREFILTER) h |= HS_FLAG_PREFILTER;
    if (f & SCAN_SOM) h |= HS_FLAG_SOM_LEFTMOST;
    return h;
}

char *scan_widen_repeats(const char *expr, unsigned limit)
{
    size_t n = strlen(expr);
    char *out = xmalloc(2 * n + 16), *o = out; /* "{86}" -> "{24,}" grows */
    int in_class = 0;
    for (size_t i = 0; i < n;) {
        char c = expr[i];
        if (c == '\\' && i + 1 < n) {
            *o++ = expr[i++];
            *o++ = expr[i++];
            continue;
        }
        if (in_class) {
            if (c == ']') in_class = 0;
            *o++ = expr[i++];
            continue;
        }
        if (c == '[') {
            in_class = 1;
            *o++ = expr[i++];
            if (i < n && expr[i] == '^') *o++ = expr[i++];
            if (i < n && expr[i] == ']') *o++ = expr[i++]; /* literal ] first */
            continue;
        }
        if (c == '{') {
            size_t j = i + 1;
            unsigned long m = 0, x = 0;
            int dm = 0, dx = 0, comma = 0;
            while (j < n && expr[j] >= '0' && expr[j] <= '9' && dm < 9) m = m * 10 + (unsigned long)(expr[j++] - '0'), dm++;
            if (j < n && expr[j] == ',') {
                comma = 1;
                j++;
                while (j < n && expr[j] >= '0' && expr[j] <= '9' && dx < 9) x = x * 10 + (unsigned long)(expr[j++] - '0'), dx++;
            }
            if (dm && j < n && expr[j] == '}') {
                unsigned long hi = comma ? (dx ? x : 0) : m;
                int open = comma && !dx;
                if (m > limit || (!open && hi > limit)) {
                    o += sprintf(o, "{%lu,}", m < limit ? m : (unsigned long)limit);
                    i = j + 1;
                    continue;
                }
            }
        }
        *o++ = expr[i++];
    }
    *o = 0;
    return out;
}

/* A POSIX item in a class, [:alpha:] (or [.x.], [=x=]), at e[i]: its
 * end, or i + 1 when the '[' is a literal (a ']' comes first), as PCRE2
 * reads it. */
static size_t posix_end(const char *e, size_t i, size_t n)
{
    char t = e[i + 1];
    for (size_t j = i + 2; j < n; j++) {
        if (e[j] == '\\' && j + 1 < n && (e[j + 1] == ']' || e[j + 1] == '\\')) j++;
        else if ((e[j] == '[' && j + 1 < n && e[j + 1] == t) || e[j] == ']') return i + 1;
        else if (e[j] == t && j + 1 < n && e[j + 1] == ']') return j + 2;
    }
    return i + 1;
}

/* Where the token starting at expr[i] ends: an escape, a class, or one
 * byte (a group's parentheses are tokens of their own). 0: a form this
 * reader does not follow (\Q...\E), so nothing is trimmed. */
static size_t token_end(const char *e, size_t i, size_t n)
{
    if (e[i] == '\\') {
        if (i + 1 >= n || e[i + 1] == 'Q') return 0;
        size_t j = i + 2;
        if (strchr("xpPNo", e[i + 1]) && j < n && e[j] == '{') {
            const char *c = memchr(e + j, '}', n - j);
            return c ? (size_t)(c - e) + 1 : 0;
        }
        if ((e[i + 1] == 'p' || e[i + 1] == 'P') && j < n) return j + 1; /* \pL */
        if (e[i + 1] == 'x')
            while (j < n && j < i + 4 && isxdigit((unsigned char)e[j])) j++;
        if (e[i + 1] == 'c' && j < n) j++;
        return j;
    }
    if (e[i] != '[') return i + 1;
    size_t j = i + 1;
    if (j < n && e[j] == '^') j++;
    if (j < n && e[j] == ']') j++; /* a literal ] first */
    while (j < n && e[j] != ']') {
        if (e[j] == '\\') {
            size_t k = token_end(e, j, n);
            if (!k) return 0;
            j = k;
        } else if (e[j] == '[' && j + 1 < n && strchr(":.=", e[j + 1])) {
            j = posix_end(e, j, n);
        } else {
            j++;
        }
    }
    return j < n ? j + 1 : 0;
}

/* The quantifier at e[i] ({m}, {m,}, {m,n}, *, + or ?, with a lazy or
 * possessive mark): its end, minimum and maximum (-1: none); 0 if there
 * is none. */
static size_t quant_end(const char *e, size_t i, size_t n, long *lo, long *hi)
{
    size_t j = i;
    if (i >= n) return 0;
    if (e[i] == '*') *lo = 0, *hi = -1, j++;
    else if (e[i] == '+') *lo = 1, *hi = -1, j++;
    else if (e[i] == '?') *lo = 0, *hi = 1, j++;
    else if (e[i] == '{') { /* digits only, as PCRE2 reads one: "{ 3}", "{+3}" are text */
        size_t q = i + 1;
        long m = 0, x;
        if (q >= n || !isdigit((unsigned char)e[q])) return 0;
        while (q < n && isdigit((unsigned char)e[q]) && m <= 65535) m = m * 10 + (e[q++] - '0');
        x = m;
        if (q < n && e[q] == ',') {
            x = -1;
            if (++q < n && isdigit((unsigned char)e[q]))
                for (x = 0; q < n && isdigit((unsigned char)e[q]) && x <= 65535; q++)
                    x = x * 10 + (e[q] - '0');
        }
        if (q >= n || e[q] != '}' || m > 65535 || x > 65535) return 0;
        *lo = m, *hi = x;
        j = q + 1;
    } else
        return 0;
    if (j < n && (e[j] == '?' || e[j] == '+')) j++;
    return j;
}

/* The end of the group that opens at e[i] ('('), or 0. */
static size_t group_end(const char *e, size_t i, size_t n)
{
    size_t depth = 0;
    while (i < n) {
        if (e[i] == '(') depth++;
        else if (e[i] == ')' && !--depth) return i + 1;
        size_t t = e[i] == '(' || e[i] == ')' ? i + 1 : token_end(e, i, n);
        if (!t) return 0;
        i = t;
    }
    return 0;
}

/* The head of e that can match nothing: from *h (after leading option
 * settings such as (?i), which stay) to the first atom a match must
 * hold, skipping zero-width assertions (\b, ^, lookarounds) and optional
 * atoms.  Its end, or SIZE_MAX when no atom is required (or the form is
 * not one this reader follows); *opt: an optional repeat ([\w.-]{0,40},
 * not a lone x?) was skipped. */
static size_t head_end(const char *e, size_t *h, int *opt)
{
    size_t n = strlen(e), i = 0;
    *opt = 0;
    while (i + 2 < n && e[i] == '(' && e[i + 1] == '?' && isalpha((unsigned char)e[i + 2])) {
        size_t j = i + 2;
        while (j < n && (isalpha((unsigned char)e[j]) || e[j] == '-')) j++;
        if (j >= n || e[j] != ')') return SIZE_MAX; /* (?i:...) is a group */
        i = j + 1;
    }
    *h = i;
    for (;;) {
        size_t t;
        int zero = 0;
        if (i >= n || e[i] == '|' || e[i] == ')') return SIZE_MAX;
        if (e[i] == '^' || (e[i] == '\\' && e[i + 1] && strchr("bBA", e[i + 1]))) {
            t = i + (e[i] == '^' ? 1 : 2);
            zero = 1;
        } else if (e[i] == '(') {
            if (!(t = group_end(e, i, n))) return SIZE_MAX;
            zero = e[i + 1] == '?' && (e[i + 2] == '=' || e[i + 2] == '!' ||
                                       (e[i + 2] == '<' && (e[i + 3] == '=' || e[i + 3] == '!')));
        } else if (!(t = token_end(e, i, n))) {
            return SIZE_MAX;
        }
        long lo = 1, hi = 1;
        size_t q = quant_end(e, t, n, &lo, &hi);
        if (!zero && lo != 0) return i; /* the first atom a match holds */
        if (!zero && (hi < 0 || hi > 1)) *opt = 1; /* a repeat, not a lone x? */
        i = q ? q : t;
    }
}

/* Drop the head that can match nothing when it has an optional repeat
 * (\b[\w.-]{0,40}? before a keyword: Hyperscan tracks it at every word
 * byte).  Every match of the old pattern ends where one of the new does. */
static void trim_head(char *e)
{
    size_t h;
    int opt;
    size_t i = head_end(e, &h, &opt);
    if (opt && i != SIZE_MAX) memmove(e + h, e + i, strlen(e + i) + 1);
}

/* Is e a pattern this reader leaves whole?  One that refers to a group
 * (\1, \g, \k, (?P=n), (?1), (?&n), (?R): cutting a group could leave
 * the reference naming none), or whose text is not all pattern: comments
 * (?#...), the x flag (spaces and # comments ignored), verbs (*UTF).  The
 * test is crude (\\1 counts too), which only costs the cut. */
static int not_cut(const char *e)
{
    for (const char *p = e; *p; p++) {
        if (p[0] == '\\' && p[1] && strchr("123456789gk", p[1])) return 1;
        if (p[0] == '(' && p[1] == '*') return 1;
        if (p[0] != '(' || p[1] != '?' || !p[2]) continue;
        char c = p[2];
        if (c == '#' || c == '&' || c == 'R' || isdigit((unsigned char)c)) return 1;
        if ((c == '+' || c == '-') && isdigit((unsigned char)p[3])) return 1; /* (?-1) */
        if (c == 'P' && (p[3] == '=' || p[3] == '>')) return 1;              /* (?P=n) */
        for (const char *f = p + 2; isalpha((unsigned char)*f) || *f == '-' || *f == '^'; f++)
            if (*f == 'x') return 1;                                          /* (?x) (?ix: */
    }
    return 0;
}

/* A token at depth 0 of the tail (trim_tail): where it starts, and its
 * quantifier's span (qe 0: none) and bounds. */
typedef struct tail_tok {
    size_t a, qs, qe;
    long lo, hi;
} tail_tok;

/* Cut the tail to its shortest form, as long as something is left that
 * a match must hold (scan_trim): one pass records the depth-0 tokens of
 * the last alternative, then the optional ones are dropped from the end
 * and the last one left, a repeat, becomes its minimum. */
static void trim_tail(char *e)
{
    size_t n = strlen(e), i = 0, depth = 0, stack[64], nt = 0, cap = 0;
    tail_tok *t = NULL;
    while (i < n) {
        size_t a = i, end;
        if (e[i] == '(') {
            if (depth == 64) goto out;
            stack[depth++] = i++;
            continue;
        }
        if (e[i] == ')') {
            if (!depth) goto out;
            a = stack[--depth];
            end = i + 1;
        } else if (e[i] == '|') {
            if (!depth) nt = 0; /* a new alternative: its tokens only */
            i++;
            continue;
        } else if (!(end = token_end(e, i, n))) {
            goto out;
        }
        long lo = 1, hi = 1;
        size_t q = quant_end(e, end, n, &lo, &hi);
        if (!depth) {
            XGROW(t, cap, nt + 1);
            t[nt++] = (tail_tok){a, end, q, lo, hi};
        }
        i = q ? q : end;
    }
    if (depth) goto out;
    size_t h, cut = n;
    int opt;
    size_t req = head_end(e, &h, &opt); /* the first atom a match holds */
    for (; nt && t[nt - 1].qe && t[nt - 1].lo == 0; nt--) { /* an optional tail: */
        size_t last = t[nt - 1].a;                         /* a match without it is one */
        if (last == 0 || e[last - 1] == '|' || e[last - 1] == '(') break;
        if (last >= 2 && e[last - 1] == '?' && e[last - 2] == '(') break;
        if (req == SIZE_MAX || req >= last) break; /* nothing left a match holds */
        cut = last;
    }
    e[cut] = 0;
    const tail_tok *k = nt ? &t[nt - 1] : NULL;
    /* a repeat: its shortest form ends first (it ends the text: "{lo}" fits) */
    if (k && k->qe == cut && k->lo >= 1 && k->hi != k->lo) {
        if (k->lo == 1) e[k->qs] = 0;
        else snprintf(e + k->qs, k->qe - k->qs + 1, "{%ld}", k->lo);
    }
out:
    free(t);
}

void scan_trim(char *e)
{
    if (not_cut(e)) return;
    trim_head(e);
    trim_tail(e);
}

vg_status scan_db_add(scan_db *db, scan_family fam, const char *expr, unsigned flags,
                      uint32_t id, const char *what, int *prefiltered, diag_list *d)
{
    (void)d; /* problems surface in scan_db_compile */
    if (db->db) return VG_ERR_USAGE; /* compiled already */
    XGROW(db->v, db->cap, db->n + 1);
    pattern *p = &db->v[db->n++];
    p->expr = flags & SCAN_WIDEN ? scan_widen_repeats(expr, SCAN_WIDEN_LIMIT) : xstrdup(expr);
    if (flags & SCAN_TRIM) scan_trim(p->expr);
    p->what = xstrdup(what ? what : "pattern");
    p->hs_flags = hs_flags_of(flags) & ~(unsigned)HS_FLAG_PREFILTER;
    p->id = id;
    p->family = (uint8_t)fam;
    p->mode = flags & SCAN_PREFILTER ? MODE_PREFILTER : MODE_EXACT;
    if (prefiltered) *prefiltered = p->mode == MODE_PREFILTER;
    return VG_OK;
}

int scan_db_mode(const scan_db *db, scan_family fam, uint32_t id)
{
    int mode = -2;
    for (size_t i = 0; db && i < db->n; i++) {
        const pattern *p = &db->v[i];
        if (p->family != fam || p->id != id) continue;
        if (p->mode == MODE_DROPPED) return MODE_DROPPED;
        if (p->mode > mode) mode = p->mode;
    }
    return mode;
}

vg_status scan_db_add_literal(scan_db *db, scan_family fam, const char *lit, size_t len,
                              unsigned flags, uint32_t id, diag_list *d)
{
    if (len == 0) return VG_ERR_USAGE;
    char *e = xmalloc(len * 4 + 1), *q = e;
    for (size_t i = 0; i < len; i++) q += sprintf(q, "\\x%02x", (unsigned char)lit[i]);
    *q = 0;
    vg_status rc = scan_db_add(db, fam, e, flags & ~(unsigned)SCAN_PREFILTER, id, "literal", NULL, d);
    free(e);
    return rc;
}

/* --- cache ----------------------------------------------------------------- */

#define CACHE_MAGIC "VGHS"
#define CACHE_VERSION 2u

char *scan_cache_dir(void)
{
    return fs_cache_dir();
}

static uint64_t db_key(const scan_db *db)
{
    const char *v = hs_version();
    uint64_t h = hash_fnv1a64(v, strlen(v) + 1);
    uint32_t ver = CACHE_VERSION;
    h = hash_fnv1a64_more(h, &ver, sizeof ver);
    for (size_t i = 0; i < db->n; i++) {
        const pattern *p = &db->v[i];
        h = hash_fnv1a64_more(h, p->expr, strlen(p->expr) + 1);
        uint32_t meta[4] = {p->hs_flags, p->id, p->family, (uint32_t)(p->mode == MODE_PREFILTER)};
        h = hash_fnv1a64_more(h, meta, sizeof meta);
    }
    return h;
}

static int read_all(const char *path, unsigned char **out, size_t *n)
{
    char *b;
    if (fs_read_all(path, SCAN_CACHE_MAX, &b, n) || !*n) {
        if (!*n) free(b);
        return -1;
    }
    *out = (unsigned char *)b;
    return 0;
}

/* A payload (u64 pattern count, one mode byte per pattern, then
 * hs_serialize_database's bytes) into a database and the patterns' modes;
 * NULL when it does not fit `sdb`. */
static hs_database_t *payload_load(scan_db *sdb, const unsigned char *b, size_t n)
{
    uint64_t np;
    if (n < 8) return NULL;
    memcpy(&np, b, 8);
    if (np != sdb->n || 8 + np >= n) return NULL;
    hs_database_t *db = NULL;
    const unsigned char *modes = b + 8, *ser = b + 8 + np;
    if (hs_deserialize_database((const char *)ser, n - 8 - np, &db) != HS_SUCCESS) return NULL;
    for (size_t i = 0; i < np; i++) sdb->v[i].mode = (int8_t)modes[i];
    return db;
}

/* The payload of a compiled database (malloc'd), or NULL. */
static unsigned char *payload_make(const scan_db *sdb, size_t *plen)
{
    char *bytes = NULL;
    size_t len = 0;
    if (hs_serialize_database(sdb->db, &bytes, &len) != HS_SUCCESS) return NULL;
    *plen = 8 + sdb->n + len;
    unsigned char *pl = xmalloc(*plen);
    uint64_t np = sdb->n;
    memcpy(pl, &np, 8);
    for (size_t i = 0; i < sdb->n; i++) pl[8 + i] = (unsigned char)sdb->v[i].mode;
    memcpy(pl + 8 + sdb->n, bytes, len);
    free(bytes);
    return pl;
}

/* Load the database and the patterns' modes; NULL when absent or bad. */
static hs_database_t *cache_load(const char *file, scan_db *sdb)
{
    unsigned char *b = NULL;
    size_t n = 0;
    if (read_all(file, &b, &n) != 0) return NULL;
    hs_database_t *db = NULL;
    uint32_t ver;
    uint64_t k, ph, plen;
    if (n >= 40 && memcmp(b, CACHE_MAGIC, 4) == 0) {
        memcpy(&ver, b + 4, 4);
        memcpy(&k, b + 8, 8);
        memcpy(&ph, b + 16, 8);
        memcpy(&plen, b + 24, 8);
        if (ver == CACHE_VERSION && k == sdb->key && plen == n - 32 &&
            hash_fnv1a64(b + 32, n - 32) == ph)
            db = payload_load(sdb, b + 32, n - 32);
    }
    free(b);
    return db;
}

static void cache_store(const char *dir, const char *file, const scan_db *sdb)
{
    size_t plen = 0;
    unsigned char *pl = payload_make(sdb, &plen);
    if (!pl) return;
    fs_mkdirs(dir, 0700);
    unsigned char hdr[32];
    uint32_t ver = CACHE_VERSION;
    uint64_t ph = hash_fnv1a64(pl, plen), pl64 = plen;
    memcpy(hdr, CACHE_MAGIC, 4);
    memcpy(hdr + 4, &ver, 4);
    memcpy(hdr + 8, &sdb->key, 8);
    memcpy(hdr + 16, &ph, 8);
    memcpy(hdr + 24, &pl64, 8);
    fs_atomic a; /* a cache is best effort: no diag */
    if (!fs_atomic_open(&a, file, 0600, "cannot write the cache", NULL)) {
        fs_atomic_write(&a, hdr, sizeof hdr);
        fs_atomic_write(&a, pl, plen);
        if (!fs_atomic_commit(&a, NULL)) fs_prune(dir, "hs-", ".db", SCAN_CACHE_KEEP);
    }
    free(pl);
}

/* Compile every pattern not dropped.  A pattern that fails is retried with
 * HS_FLAG_PREFILTER, then dropped (with a warning), and the set compiled
 * again; a failure naming no pattern is an error. */
static vg_status compile_set(scan_db *db, diag_list *d)
{
    const char **exprs = xcalloc(db->n, sizeof *exprs);
    unsigned *flags = xcalloc(db->n, sizeof *flags);
    unsigned *ids = xcalloc(db->n, sizeof *ids);
    vg_status rc = VG_OK;
    for (size_t attempt = 0; attempt <= db->n; attempt++) {
        unsigned m = 0;
        for (size_t i = 0; i < db->n; i++) {
            pattern *p = &db->v[i];
            if (p->mode == MODE_DROPPED) continue;
            exprs[m] = p->expr;
            flags[m] = p->mode == MODE_PREFILTER
                           ? (p->hs_flags | HS_FLAG_PREFILTER) & ~(unsigned)HS_FLAG_SOM_LEFTMOST
                           : p->hs_flags;
            ids[m++] = (unsigned)i;
        }
        if (m == 0) break; /* nothing left: an empty database finds nothing */
        hs_compile_error_t *err = NULL;
        if (hs_compile_multi(exprs, flags, ids, m, HS_MODE_BLOCK, NULL, &db->db, &err) ==
            HS_SUCCESS)
            break;
        db->db = NULL;
        if (!err || err->expression < 0 || (unsigned)err->expression >= m) {
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "Hyperscan cannot compile the pattern set: %s",
                     err && err->message ? err->message : "unknown error");
            hs_free_compile_error(err);
            rc = VG_ERR_INTERNAL;
            break;
        }
        pattern *bad = &db->v[ids[err->expression]];
        if (bad->mode == MODE_EXACT) {
            bad->mode = MODE_PREFILTER;
        } else {
            bad->mode = MODE_DROPPED;
            diag_add(d, DIAG_WARNING, bad->what, 0, 0, "pattern not usable by Hyperscan: %s",
                     err->message ? err->message : "rejected");
        }
        hs_free_compile_error(err);
    }
    free(exprs);
    free(flags);
    free(ids);
    return rc;
}

/* --- prebuilt databases ------------------------------------------------------
 * Blob layout (written by scan_prebuilt_take at build time, read in place):
 * "VGPB" magic, u32 CACHE_VERSION, u32 platform tune, u32 0, u64 platform
 * cpu_features, u32 length L of hs_version(), L bytes, u32 entry count;
 * per entry: u64 key, u64 payload length P, P payload bytes (as in the
 * cache file).  Only the build's own Hyperscan and the same CPU features
 * use it: anything else compiles (and caches) as before. */

#define PB_MAGIC "VGPB"

static struct {
    const unsigned char *blob; /* the registered blob, NULL: none usable */
    size_t len;
    size_t first;              /* offset of the first entry */
    uint32_t count;
} pb;

static struct {
    int on;
    buf out;                   /* entries so far */
    uint32_t count;
    uint64_t *keys;
    size_t nkeys, capkeys;
} rec;

static int rd_u32(const unsigned char *b, size_t len, size_t *at, uint32_t *v)
{
    if (*at > len || len - *at < 4) return -1;
    memcpy(v, b + *at, 4);
    *at += 4;
    return 0;
}

static int rd_u64(const unsigned char *b, size_t len, size_t *at, uint64_t *v)
{
    if (*at > len || len - *at < 8) return -1;
    memcpy(v, b + *at, 8);
    *at += 8;
    return 0;
}

int scan_prebuilt_use(const unsigned char *blob, size_t len)
{
    memset(&pb, 0, sizeof pb);
    size_t at = 4;
    uint32_t ver, tune, pad, hl, count;
    uint64_t feat;
    if (!blob || len < 4 || memcmp(blob, PB_MAGIC, 4) || rd_u32(blob, len, &at, &ver) ||
        rd_u32(blob, len, &at, &tune) || rd_u32(blob, len, &at, &pad) ||
        rd_u64(blob, len, &at, &feat) || rd_u32(blob, len, &at, &hl) || hl > len - at)
        return -1;
    const char *bv = (const char *)blob + at;
    at += hl;
    if (rd_u32(blob, len, &at, &count) || ver != CACHE_VERSION) return -1;
    hs_platform_info_t cur;
    const char *v = hs_version();
    if (hs_populate_platform(&cur) != HS_SUCCESS || cur.cpu_features != feat ||
        strlen(v) != hl || memcmp(v, bv, hl))
        return 0; /* another CPU or another Hyperscan: compile */
    pb.blob = blob;
    pb.len = len;
    pb.first = at;
    pb.count = count;
    return 1;
}

/* The prebuilt database for `db` (its key set), or NULL. */
static hs_database_t *prebuilt_load(scan_db *db)
{
    size_t at = pb.first;
    for (uint32_t i = 0; pb.blob && i < pb.count; i++) {
        uint64_t key, plen;
        if (rd_u64(pb.blob, pb.len, &at, &key) || rd_u64(pb.blob, pb.len, &at, &plen) ||
            plen > pb.len - at)
            return NULL;
        if (key == db->key) return payload_load(db, pb.blob + at, (size_t)plen);
        at += (size_t)plen;
    }
    return NULL;
}

void scan_prebuilt_record(void)
{
    buf_free(&rec.out);
    free(rec.keys);
    memset(&rec, 0, sizeof rec);
    buf_init(&rec.out, 0);
    rec.on = 1;
}

static void record(const scan_db *db)
{
    for (size_t i = 0; i < rec.nkeys; i++)
        if (rec.keys[i] == db->key) return;
    size_t plen = 0;
    unsigned char *pl = payload_make(db, &plen);
    if (!pl) return;
    uint64_t k = db->key, l = plen;
    buf_append(&rec.out, &k, 8);
    buf_append(&rec.out, &l, 8);
    buf_append(&rec.out, pl, plen);
    free(pl);
    XGROW(rec.keys, rec.capkeys, rec.nkeys + 1);
    rec.keys[rec.nkeys++] = db->key;
    rec.count++;
}

vg_status scan_prebuilt_take(unsigned char **blob, size_t *len)
{
    *blob = NULL;
    *len = 0;
    if (!rec.on) return VG_ERR_USAGE;
    hs_platform_info_t cur;
    if (hs_populate_platform(&cur) != HS_SUCCESS) return VG_ERR_INTERNAL;
    buf b;
    buf_init(&b, 0);
    const char *v = hs_version();
    uint32_t ver = CACHE_VERSION, tune = cur.tune, pad = 0, hl = (uint32_t)strlen(v);
    uint64_t feat = cur.cpu_features;
    buf_append(&b, PB_MAGIC, 4);
    buf_append(&b, &ver, 4);
    buf_append(&b, &tune, 4);
    buf_append(&b, &pad, 4);
    buf_append(&b, &feat, 8);
    buf_append(&b, &hl, 4);
    buf_append(&b, v, hl);
    buf_append(&b, &rec.count, 4);
    buf_append(&b, rec.out.data, rec.out.len);
    buf_free(&rec.out);
    free(rec.keys);
    memset(&rec, 0, sizeof rec);
    *len = b.len;
    *blob = (unsigned char *)buf_detach(&b);
    return VG_OK;
}

vg_status scan_db_compile(scan_db *db, const char *cache_dir, diag_list *d)
{
    if (db->db || db->n == 0) return VG_OK;
    db->key = db_key(db);
    if (rec.on) { /* the build step: always compile, keep the result */
        vg_status rc = compile_set(db, d);
        if (!rc && db->db) record(db);
        return rc;
    }
    if ((db->db = prebuilt_load(db))) {
        db->from_cache = 2;
        return VG_OK;
    }
    char *dir = cache_dir ? (*cache_dir ? xstrdup(cache_dir) : NULL) : scan_cache_dir();
    char *file = dir ? xasprintf("%s/hs-%016llx.db", dir, (unsigned long long)db->key) : NULL;
    if (file && (db->db = cache_load(file, db))) {
        db->from_cache = 1;
        utimensat(AT_FDCWD, file, NULL, 0); /* most recently used: kept by cache_prune */
        free(file);
        free(dir);
        return VG_OK;
    }
    vg_status rc = compile_set(db, d);
    if (!rc && db->db && file) cache_store(dir, file, db);
    free(file);
    free(dir);
    return rc;
}

/* --- scanning --------------------------------------------------------------- */

scan_scratch *scan_scratch_new(const scan_db *db)
{
    scan_scratch *sc = xcalloc(1, sizeof *sc);
    if (db && db->db && hs_alloc_scratch(db->db, &sc->s) != HS_SUCCESS) {
        free(sc);
        return NULL;
    }
    return sc;
}

void scan_scratch_free(scan_scratch *sc)
{
    if (!sc) return;
    if (sc->s) hs_free_scratch(sc->s);
    free(sc);
}

typedef struct hit_ctx {
    const scan_db *db;
    scan_hits *h;
} hit_ctx;

static int on_match(unsigned int idx, unsigned long long from, unsigned long long to,
                    unsigned int flags, void *ud)
{
    (void)flags;
    hit_ctx *c = ud;
    scan_hits *h = c->h;
    const pattern *p = &c->db->v[idx];
    /* a cap per family: a flood of one family's hits (3 MB of zero-width
     * characters) never hides another's (the key after them) */
    if (h->fam_n[p->family] >= SCAN_MAX_HITS) {
        h->truncated |= 1u << p->family;
        return 0;
    }
    h->fam_n[p->family]++;
    XGROW(h->v, h->cap, h->n + 1);
    scan_hit *x = &h->v[h->n++];
    x->id = p->id;
    x->family = p->family;
    x->from = (p->hs_flags & HS_FLAG_SOM_LEFTMOST) ? from : 0;
    x->to = to;
    return 0;
}

static int hit_cmp(const void *a, const void *b)
{
    const scan_hit *x = a, *y = b;
    if (x->family != y->family) return x->family < y->family ? -1 : 1;
    if (x->id != y->id) return x->id < y->id ? -1 : 1;
    if (x->to != y->to) return x->to < y->to ? -1 : 1;
    if (x->from != y->from) return x->from < y->from ? -1 : 1;
    return 0;
}

/* Sort v[first..n) by family, id, end: a stable counting sort on (family,
 * id), since Hyperscan reports in end order almost always; a bucket that
 * came out of order is sorted on its own (the result is qsort's, records
 * that compare equal being equal). */
static void hits_sort(scan_hits *h, size_t first)
{
    size_t n = h->n - first;
    if (n < 2) return;
    scan_hit *v = h->v + first;
    uint32_t maxid = 0;
    for (size_t i = 0; i < n; i++)
        if (v[i].id > maxid) maxid = v[i].id;
    size_t nb = (size_t)SCAN_NFAMILIES * ((size_t)maxid + 1);
    if (maxid >= (1u << 16) || nb > n * 4 + 1024) {
        qsort(v, n, sizeof *v, hit_cmp);
        return;
    }
    size_t *at = xcalloc(nb + 1, sizeof *at);
    for (size_t i = 0; i < n; i++) at[(size_t)v[i].family * (maxid + 1) + v[i].id + 1]++;
    for (size_t b = 0; b < nb; b++) at[b + 1] += at[b];
    scan_hit *o = xmalloc(n * sizeof *o);
    for (size_t i = 0; i < n; i++) o[at[(size_t)v[i].family * (maxid + 1) + v[i].id]++] = v[i];
    for (size_t i = 0, b0 = 0; i < n; i = b0) {
        int sorted = 1;
        for (b0 = i + 1; b0 < n && o[b0].family == o[i].family && o[b0].id == o[i].id; b0++)
            if (hit_cmp(&o[b0 - 1], &o[b0]) > 0) sorted = 0;
        if (!sorted) qsort(o + i, b0 - i, sizeof *o, hit_cmp);
    }
    memcpy(v, o, n * sizeof *o);
    free(o);
    free(at);
}

/* Scan data[off, off + len) as one buffer; hit offsets relative to data. */
static vg_status scan_range(const scan_db *db, scan_scratch *sc, const unsigned char *data,
                            size_t off, size_t len, scan_hits *hits, int *stop)
{
    hit_ctx c = {db, hits};
    /* hs_scan takes an unsigned int length: feed huge buffers in blocks
     * (a match across a block edge is lost; blocks are SCAN_BLOCK). */
    size_t end = off + len;
    while (off < end && !*stop) {
        size_t n = end - off > SCAN_BLOCK ? SCAN_BLOCK : end - off;
        size_t before = hits->n;
        hs_error_t e = hs_scan(db->db, (const char *)data + off, (unsigned)n, 0, sc->s,
                               on_match, &c);
        for (size_t i = before; i < hits->n; i++) {
            hits->v[i].to += off;
            if (hits->v[i].from) hits->v[i].from += off;
        }
        if (e != HS_SUCCESS && e != HS_SCAN_TERMINATED) return VG_ERR_INTERNAL;
        if (e == HS_SCAN_TERMINATED) *stop = 1;
        off += n;
    }
    return VG_OK;
}

static void hits_index(scan_hits *hits)
{
    size_t i = 0;
    for (int f = 0; f <= SCAN_NFAMILIES; f++) {
        while (i < hits->n && hits->v[i].family < f) i++;
        hits->fam_start[f] = f == SCAN_NFAMILIES ? hits->n : i;
    }
}

vg_status scan_buffer(const scan_db *db, scan_scratch *sc, const unsigned char *data,
                      size_t len, scan_hits *hits)
{
    size_t r[2] = {0, len};
    return scan_buffer_ranges(db, sc, data, r, 1, hits);
}

vg_status scan_buffer_ranges(const scan_db *db, scan_scratch *sc, const unsigned char *data,
                             const size_t *r, size_t nr, scan_hits *hits)
{
    int stop = 0;
    if (db && db->db && sc && sc->s)
        for (size_t i = 0; i < nr && !stop; i++) {
            if (r[2 * i + 1] <= r[2 * i]) continue;
            vg_status rc = scan_range(db, sc, data, r[2 * i], r[2 * i + 1] - r[2 * i], hits, &stop);
            if (rc) return rc;
        }
    if (!hits->defer) scan_hits_finish(hits);
    return VG_OK;
}

vg_status scan_buffer_gathered(const scan_db *db, scan_scratch *sc, const unsigned char *data,
                               const size_t *r, size_t nr, scan_gather *g, scan_hits *hits)
{
    size_t total = 0;
    XGROW(g->at, g->capat, nr + 1);
    for (size_t i = 0; i < nr; i++) {
        g->at[i] = total;
        if (r[2 * i + 1] > r[2 * i]) total += r[2 * i + 1] - r[2 * i];
    }
    g->at[nr] = total;
    XGROW(g->buf, g->cap, total + 1);
    for (size_t i = 0; i < nr; i++)
        if (g->at[i + 1] > g->at[i]) memcpy(g->buf + g->at[i], data + r[2 * i], g->at[i + 1] - g->at[i]);
    int stop = 0;
    size_t before = hits->n;
    if (total && db && db->db && sc && sc->s) {
        vg_status rc = scan_range(db, sc, g->buf, 0, total, hits, &stop);
        if (rc) return rc;
    }
    /* a match ends in the range holding its last byte: at[i] < to <= at[i + 1] */
    size_t i = 0;
    for (size_t h = before; h < hits->n; h++) {
        scan_hit *x = &hits->v[h];
        if (!(x->to > g->at[i] && x->to <= g->at[i + 1])) { /* out of end order: search */
            size_t lo = 0, hi = nr;
            while (hi - lo > 1) {
                size_t mid = (lo + hi) / 2;
                if (g->at[mid] < x->to) lo = mid;
                else hi = mid;
            }
            i = lo;
        }
        x->to = x->to - g->at[i] + r[2 * i];
        if (x->from) x->from = x->from - g->at[i] + r[2 * i];
    }
    if (!hits->defer) scan_hits_finish(hits);
    return VG_OK;
}

void scan_hits_finish(scan_hits *h)
{
    hits_sort(h, 0);
    hits_index(h);
}

void scan_gather_free(scan_gather *g)
{
    free(g->buf);
    free(g->at);
    memset(g, 0, sizeof *g);
}

const scan_hit *scan_hits_family(const scan_hits *h, scan_family fam, size_t *n)
{
    size_t a = h->fam_start[fam], b = h->fam_start[fam + 1];
    if (b < a || b > h->n) b = a;
    *n = b - a;
    return h->v ? h->v + a : NULL;
}

void scan_hits_clear(scan_hits *h)
{
    h->n = 0;
    h->truncated = 0;
    memset(h->fam_n, 0, sizeof h->fam_n);
    memset(h->fam_start, 0, sizeof h->fam_start);
}

void scan_hits_free(scan_hits *h)
{
    free(h->v);
    memset(h, 0, sizeof *h);
}
