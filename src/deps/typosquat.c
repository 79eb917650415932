/* typosquat.c - popular-name tables and the typosquat signals of DESIGN §6
 * (typomind, pypi-scan): look-alike characters, separator changes, word
 * reordering, added or dropped affixes (py-, python-, -python, -dev),
 * plurals, and Damerau-Levenshtein distance 1 (2 when both names have at
 * least five characters; names under four characters are never compared).
 *
 * The structural signals are hash look-ups of a canonical form built once
 * per popular name; the edit-distance scan walks the list in popularity
 * order behind a length and a letter-set filter, so the first hit is the
 * most popular target.
 */
#include "names.h"
#include "../core/embed.h"
#include "../core/hash.h"
#include "../core/limits.h"
#include "../core/xalloc.h"

#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

EMBED_DECL(pypi_names_txt);
EMBED_DECL(npm_names_txt);

typedef struct htab {
    uint32_t *slot;   /* entry index + 1, 0 empty */
    size_t mask;
} htab;

typedef struct name_list {
    size_t n;
    char **name;      /* normalised */
    char **shadow;    /* NULL or the far more popular neighbour */
    uint64_t *bits;   /* letter set, for the distance filter (lazy) */
    uint16_t *len;    /* name lengths (lazy) */
    uint32_t *bylen;  /* indices grouped by length, popularity order inside (lazy) */
    size_t lenstart[DEP_MAX_NAME + 2]; /* bylen[lenstart[L] .. lenstart[L+1]) have length L */
    char **canon[3];  /* look-alike, no separators, sorted words (lazy) */
    htab exact, tcanon[3];
    char *pool, *cpool;
} name_list;

struct names {
    name_list l[2];
    pthread_once_t canon_once;
};

/* ---- hashing ---------------------------------------------------------------- */

static void ht_init(htab *h, size_t n)
{
    size_t cap = 16;
    while (cap < n * 2) cap *= 2;
    h->slot = xcalloc(cap, sizeof *h->slot);
    h->mask = cap - 1;
}

/* Insert entry i under key unless the key is present (keeps the first:
 * the most popular). */
static void ht_put(htab *h, char **keys, size_t i)
{
    size_t s = hash_fnv1a64(keys[i], strlen(keys[i])) & h->mask;
    while (h->slot[s]) {
        if (!strcmp(keys[h->slot[s] - 1], keys[i])) return;
        s = (s + 1) & h->mask;
    }
    h->slot[s] = (uint32_t)i + 1;
}

static long ht_get(const htab *h, char *const *keys, const char *k)
{
    if (!h->slot) return -1;
    size_t s = hash_fnv1a64(k, strlen(k)) & h->mask;
    while (h->slot[s]) {
        if (!strcmp(keys[h->slot[s] - 1], k)) return (long)h->slot[s] - 1;
        s = (s + 1) & h->mask;
    }
    return -1;
}

/* ---- canonical forms ---------------------------------------------------------- */

static int is_delim(char c) { return c == '-' || c == '_' || c == '.'; }

/* Look-alike characters folded: 1 i l -> l, 0 -> o, rn -> m, vv -> w. */
static void canon_glyph(const char *s, char *d, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; s[i] && k + 1 < n; i++) {
        char c = s[i];
        if (c == '1' || c == 'i' || c == 'l') c = 'l';
        else if (c == '0') c = 'o';
        else if (c == 'r' && s[i + 1] == 'n') c = 'm', i++;
        else if (c == 'v' && s[i + 1] == 'v') c = 'w', i++;
        d[k++] = c;
    }
    d[k] = 0;
}

static void canon_nodelim(const char *s, char *d, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; s[i] && k + 1 < n; i++)
        if (!is_delim(s[i])) d[k++] = s[i];
    d[k] = 0;
}

static void canon_words(const char *s, char *d, size_t n)
{
    const char *w[32];
    size_t wl[32];
    int nw = 0;
    for (const char *p = s; *p && nw < 32;) {
        while (*p && is_delim(*p)) p++;
        if (!*p) break;
        const char *q = p;
        while (*q && !is_delim(*q)) q++;
        w[nw] = p;
        wl[nw++] = (size_t)(q - p);
        p = q;
    }
    d[0] = 0;
    if (nw < 2) return; /* one word: no reordering possible */
    for (int i = 1; i < nw; i++) /* insertion sort, as strcmp would order the words */
        for (int j = i; j > 0; j--) {
            size_t m = wl[j - 1] < wl[j] ? wl[j - 1] : wl[j];
            int c = memcmp(w[j - 1], w[j], m);
            if (c < 0 || (c == 0 && wl[j - 1] <= wl[j])) break;
            const char *tw = w[j]; w[j] = w[j - 1]; w[j - 1] = tw;
            size_t tl = wl[j]; wl[j] = wl[j - 1]; wl[j - 1] = tl;
        }
    size_t k = 0;
    for (int i = 0; i < nw; i++) {
        if (k + wl[i] + 2 > n) break;
        if (i) d[k++] = '-';
        memcpy(d + k, w[i], wl[i]);
        k += wl[i];
    }
    d[k] = 0;
}

static uint64_t letter_bits(const char *s)
{
    uint64_t b = 0;
    for (; *s; s++) {
        unsigned char c = (unsigned char)*s;
        int k = c >= 'a' && c <= 'z' ? c - 'a' : c >= '0' && c <= '9' ? 26 + c - '0' : 36 + (c & 15);
        b |= 1ull << k;
    }
    return b;
}

typedef void (*canon_fn)(const char *, char *, size_t);
static const canon_fn canon_fns[3] = {canon_glyph, canon_nodelim, canon_words};

/* ---- loading ------------------------------------------------------------------ */

/* Names point into one copy of the list (newlines and tabs become NULs);
 * the canonical forms are built on first need (list_canon). */
static void list_load(name_list *l, const char *data, size_t len)
{
    l->pool = xmalloc(len + 1);
    memcpy(l->pool, data, len);
    l->pool[len] = 0;
    size_t cap = 0;
    char *p = l->pool, *end = l->pool + len;
    while (p < end) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) nl = end;
        *nl = 0;
        size_t n = (size_t)(nl - p);
        if (n && n <= DEP_MAX_NAME + 80) {
            char *tab = memchr(p, '\t', n);
            if (l->n == cap) {
                cap = cap ? cap * 2 : 1024;
                l->name = xrealloc_n(l->name, cap, sizeof *l->name);
                l->shadow = xrealloc_n(l->shadow, cap, sizeof *l->shadow);
            }
            if (tab) *tab = 0;
            l->name[l->n] = p;
            l->shadow[l->n] = tab && tab[1] == '>' && tab[2] ? tab + 2 : NULL;
            l->n++;
        }
        p = nl + 1;
    }
    ht_init(&l->exact, l->n);
    for (size_t i = 0; i < l->n; i++) ht_put(&l->exact, l->name, i);
}

static void list_canon(name_list *l)
{
    l->bits = xcalloc(l->n ? l->n : 1, sizeof *l->bits);
    l->len = xcalloc(l->n ? l->n : 1, sizeof *l->len);
    size_t total = 0;
    for (size_t i = 0; i < l->n; i++) total += strlen(l->name[i]) + 1;
    l->cpool = xmalloc(3 * total + 1);
    char *w = l->cpool;
    for (int c = 0; c < 3; c++) {
        l->canon[c] = xcalloc(l->n ? l->n : 1, sizeof *l->canon[c]);
        ht_init(&l->tcanon[c], l->n);
    }
    size_t count[DEP_MAX_NAME + 2] = {0};
    for (size_t i = 0; i < l->n; i++) {
        size_t ln = strlen(l->name[i]);
        count[ln <= DEP_MAX_NAME ? ln : DEP_MAX_NAME]++;
    }
    for (size_t L = 0; L <= DEP_MAX_NAME; L++) l->lenstart[L + 1] = l->lenstart[L] + count[L];
    l->bylen = xcalloc(l->n ? l->n : 1, sizeof *l->bylen);
    size_t fill[DEP_MAX_NAME + 1];
    memcpy(fill, l->lenstart, sizeof fill);
    for (size_t i = 0; i < l->n; i++) {
        size_t room = strlen(l->name[i]) + 1;
        size_t ln = room - 1 <= DEP_MAX_NAME ? room - 1 : DEP_MAX_NAME;
        l->bylen[fill[ln]++] = (uint32_t)i;
        l->len[i] = (uint16_t)(room - 1);
        l->bits[i] = letter_bits(l->name[i]);
        for (int c = 0; c < 3; c++) {
            canon_fns[c](l->name[i], w, room);
            l->canon[c][i] = w;
            if (w[0]) ht_put(&l->tcanon[c], l->canon[c], i);
            w += room;
        }
    }
}

static void list_free(name_list *l)
{
    free(l->name);
    free(l->shadow);
    free(l->bits);
    free(l->len);
    free(l->bylen);
    free(l->pool);
    free(l->cpool);
    free(l->exact.slot);
    for (int c = 0; c < 3; c++) {
        free(l->canon[c]);
        free(l->tcanon[c].slot);
    }
    memset(l, 0, sizeof *l);
}

static names *g_names;
static pthread_once_t g_once = PTHREAD_ONCE_INIT;

static void names_init(void)
{
    names *t = xcalloc(1, sizeof *t);
    pthread_once_t fresh = PTHREAD_ONCE_INIT;
    t->canon_once = fresh;
    list_load(&t->l[NAMES_PYPI], EMBED_DATA(pypi_names_txt), EMBED_SIZE(pypi_names_txt));
    list_load(&t->l[NAMES_NPM], EMBED_DATA(npm_names_txt), EMBED_SIZE(npm_names_txt));
    g_names = t;
}

const names *names_get(void)
{
    pthread_once(&g_once, names_init);
    return g_names;
}

void names_release(void)
{
    if (!g_names) return;
    list_free(&g_names->l[0]);
    list_free(&g_names->l[1]);
    free(g_names);
    g_names = NULL;
    pthread_once_t fresh = PTHREAD_ONCE_INIT;
    g_once = fresh;
}

size_t names_rank(const names *t, name_eco eco, const char *norm)
{
    long i = ht_get(&t->l[eco].exact, t->l[eco].name, norm);
    return i < 0 ? 0 : (size_t)i + 1;
}

size_t names_count(const names *t, name_eco eco) { return t->l[eco].n; }

const char *names_shadow(const names *t, name_eco eco, const char *norm)
{
    long i = ht_get(&t->l[eco].exact, t->l[eco].name, norm);
    return i < 0 ? NULL : t->l[eco].shadow[i];
}

/* ---- distance ------------------------------------------------------------------ */

int names_distance(const char *a, size_t an, const char *b, size_t bn, int max)
{
    if (an > DEP_MAX_NAME || bn > DEP_MAX_NAME) return max + 1;
    if ((an > bn ? an - bn : bn - an) > (size_t)max) return max + 1;
    int row[3][DEP_MAX_NAME + 2];
    int *pp = row[0], *p = row[1], *c = row[2];
    for (size_t j = 0; j <= bn; j++) p[j] = (int)j;
    for (size_t i = 1; i <= an; i++) {
        c[0] = (int)i;
        int best = c[0];
        for (size_t j = 1; j <= bn; j++) {
            int cost = a[i - 1] != b[j - 1];
            int v = p[j] + 1;
            if (c[j - 1] + 1 < v) v = c[j - 1] + 1;
            if (p[j - 1] + cost < v) v = p[j - 1] + cost;
            if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] && pp[j - 2] + 1 < v)
                v = pp[j - 2] + 1;
            c[j] = v;
            if (v < best) best = v;
        }
        if (best > max) return max + 1;
        int *t = pp;
        pp = p;
        p = c;
        c = t;
    }
    return p[bn] > max ? max + 1 : p[bn];
}

/* ---- describing an edit ---------------------------------------------------------- */

static int key_pos(char ch, int *row, int *col)
{
    static const char *const rows[] = {"1234567890", "qwertyuiop", "asdfghjkl", "zxcvbnm"};
    for (int r = 0; r < 4; r++) {
        const char *q = strchr(rows[r], ch);
        if (q && ch) {
            *row = r;
            *col = (int)(q - rows[r]);
            return 1;
        }
    }
    return 0;
}

static int adjacent_keys(char a, char b)
{
    int ra, ca, rb, cb;
    if (!key_pos(a, &ra, &ca) || !key_pos(b, &rb, &cb)) return 0;
    int dr = ra - rb, dc = ca - cb;
    return dr >= -1 && dr <= 1 && dc >= -1 && dc <= 1 && (dr || dc);
}

static void describe_edit(const char *c, const char *t, typo_hit *h)
{
    size_t cn = strlen(c), tn = strlen(t), i = 0;
    while (i < cn && i < tn && c[i] == t[i]) i++;
    if (cn == tn) {
        if (i + 1 < cn && c[i] == t[i + 1] && c[i + 1] == t[i] && !strcmp(c + i + 2, t + i + 2)) {
            snprintf(h->how, sizeof h->how, "two letters swapped ('%c%c' for '%c%c')", c[i],
                     c[i + 1], t[i], t[i + 1]);
            h->strong = 1;
        } else if (!strcmp(c + i + 1, t + i + 1)) {
            snprintf(h->how, sizeof h->how, "one character changed ('%c' for '%c'%s)", c[i], t[i],
                     adjacent_keys(c[i], t[i]) ? ", a neighbouring key" : "");
        } else {
            snprintf(h->how, sizeof h->how, "two characters changed");
        }
    } else if (cn + 1 == tn && !strcmp(c + i, t + i + 1)) {
        snprintf(h->how, sizeof h->how, "one character left out ('%c')", t[i]);
    } else if (cn == tn + 1 && !strcmp(c + i + 1, t + i)) {
        snprintf(h->how, sizeof h->how, "one character added ('%c')", c[i]);
    } else {
        snprintf(h->how, sizeof h->how, "two characters changed");
    }
}

/* ---- the check -------------------------------------------------------------------- */

/* Keep the candidate target i if it is more popular than the best so far. */
static void offer(long i, const char *how, long *best, typo_hit *h)
{
    if (i < 0 || (*best >= 0 && i >= *best)) return;
    *best = i;
    snprintf(h->how, sizeof h->how, "%s", how);
}

static void lookup_affix(const name_list *l, const char *c, long *best, typo_hit *h)
{
    static const char *const pre[] = {"python-", "py-"};
    static const char *const suf[] = {"-python", "-py", "-dev"};
    char buf[DEP_MAX_NAME + 16], how[96];
    size_t n = strlen(c);
    for (size_t k = 0; k < 2; k++) {
        size_t pl = strlen(pre[k]);
        /* prefix added to a popular name */
        if (n > pl + 3 && !strncmp(c, pre[k], pl)) {
            snprintf(how, sizeof how, "'%s' put in front of it", pre[k]);
            offer(ht_get(&l->exact, l->name, c + pl), how, best, h);
        }
        /* prefix dropped from a popular name */
        snprintf(buf, sizeof buf, "%s%s", pre[k], c);
        snprintf(how, sizeof how, "its '%s' prefix dropped", pre[k]);
        offer(ht_get(&l->exact, l->name, buf), how, best, h);
    }
    for (size_t k = 0; k < 3; k++) {
        size_t sl = strlen(suf[k]);
        if (n > sl + 3 && !strcmp(c + n - sl, suf[k])) {
            snprintf(buf, sizeof buf, "%.*s", (int)(n - sl), c);
            snprintf(how, sizeof how, "'%s' added at the end", suf[k]);
            offer(ht_get(&l->exact, l->name, buf), how, best, h);
        }
    }
}

static void canon_init(void)
{
    list_canon(&g_names->l[0]);
    list_canon(&g_names->l[1]);
}

int typosquat_check(const names *t, name_eco eco, const char *norm, typo_hit *hit, int *near)
{
    return typosquat_check_ex(t, eco, norm, 0, hit, near);
}

int typosquat_check_ex(const names *t, name_eco eco, const char *norm, int strong_only,
                       typo_hit *hit, int *near)
{
    const name_list *l = &t->l[eco];
    size_t cn = strlen(norm);
    memset(hit, 0, sizeof *hit);
    if (near) *near = 0;
    if (cn < 4 || cn > DEP_MAX_NAME) return 0;
    char buf[DEP_MAX_NAME + 1];
    long i = ht_get(&l->exact, l->name, norm);
    if (i < 0) pthread_once(&((names *)t)->canon_once, canon_init);
    if (i >= 0) {
        if (!l->shadow[i]) return 0;
        /* listed, but one edit from a name downloaded 500+ times more */
        hit->target = l->shadow[i];
        hit->listed = 1;
        hit->distance = 1;
        describe_edit(norm, hit->target, hit);
        size_t o = strlen(hit->how);
        snprintf(hit->how + o, sizeof hit->how - o,
                 "; it exists, but is downloaded 500 times less often");
        if (near) *near = 1;
        return 1;
    }
    long best = -1;
    char how[96];
    /* look-alike characters */
    canon_glyph(norm, buf, sizeof buf);
    if ((i = ht_get(&l->tcanon[0], l->canon[0], buf)) >= 0 && strlen(l->name[i]) >= 4) {
        size_t k = 0;
        while (norm[k] && norm[k] == l->name[i][k]) k++;
        snprintf(how, sizeof how, "look-alike characters ('%c' for '%c')", norm[k], l->name[i][k]);
        offer(i, how, &best, hit);
        hit->strong = 1;
    }
    /* separators added, dropped or changed */
    canon_nodelim(norm, buf, sizeof buf);
    if ((i = ht_get(&l->tcanon[1], l->canon[1], buf)) >= 0 && strlen(l->name[i]) >= 4)
        offer(i, "the same letters with other separators", &best, hit);
    /* words reordered */
    canon_words(norm, buf, sizeof buf);
    if (buf[0]) offer(ht_get(&l->tcanon[2], l->canon[2], buf), "the same words in another order",
                      &best, hit);
    lookup_affix(l, norm, &best, hit);
    /* plural or singular */
    if (norm[cn - 1] == 's') {
        snprintf(buf, sizeof buf, "%.*s", (int)(cn - 1), norm);
        if (strlen(buf) >= 4) offer(ht_get(&l->exact, l->name, buf), "a plural 's' added", &best, hit);
    } else {
        snprintf(buf, sizeof buf, "%ss", norm);
        offer(ht_get(&l->exact, l->name, buf), "its plural 's' dropped", &best, hit);
    }
    /* edit distance: names of a nearby length, the most popular hit wins */
    uint64_t cb = letter_bits(norm);
    long dbest = -1;
    typo_hit dh;
    memset(&dh, 0, sizeof dh);
    size_t lo = cn > 2 ? cn - 2 : 0, hi = cn + 2 > DEP_MAX_NAME ? DEP_MAX_NAME : cn + 2;
    if (strong_only) lo = hi = cn; /* a swap keeps the length and the letters */
    for (size_t L = lo < 4 ? 4 : lo; L <= hi; L++) {
        int max = (cn >= 5 && L >= 5) ? 2 : 1;
        if (strong_only) max = 1;
        if ((L > cn ? L - cn : cn - L) > (size_t)max) continue;
        for (size_t q = l->lenstart[L]; q < l->lenstart[L + 1]; q++) {
            size_t k = l->bylen[q];
            if ((best >= 0 && (long)k >= best) || (dbest >= 0 && (long)k >= dbest)) break;
            if (strong_only ? cb != l->bits[k] : __builtin_popcountll(cb ^ l->bits[k]) > 2 * max)
                continue;
            int d = names_distance(norm, cn, l->name[k], L, max);
            if (d > max) continue;
            typo_hit t;
            memset(&t, 0, sizeof t);
            t.target = l->name[k];
            t.distance = d;
            describe_edit(norm, l->name[k], &t);
            if (strong_only && !t.strong) continue;
            if (near) *near = 1;
            dbest = (long)k;
            dh = t;
            break; /* the rest of this length is less popular */
        }
    }
    if (dbest >= 0) {
        *hit = dh;
        return 1;
    }
    if (best < 0) return 0;
    if (near) *near = 1;
    hit->target = l->name[best];
    if (strncmp(hit->how, "look-alike", 10)) hit->strong = 0;
    return 1;
}
