/* mask.c - the masking policy, a file's hidden runs, and the per-path set
 * of secret values that scrubs every other text (see mask.h).
 *
 * The set keeps one Aho-Corasick automaton per path, built when it is
 * sealed.  A scrub records, for every end position, the start of the
 * longest value ending there, then sweeps right to left to mark every byte
 * inside some value: overlapping and nested values cost no more than the
 * text itself.
 */
#include "mask.h"
#include "../core/utf8.h"
#include "../core/xalloc.h"

#include <ctype.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

static size_t work_bytes;

static void count_work(size_t n) { __atomic_fetch_add(&work_bytes, n, __ATOMIC_RELAXED); }

size_t mask_work(void) { return __atomic_load_n(&work_bytes, __ATOMIC_RELAXED); }

size_t mask_keep(const unsigned char *s, size_t n)
{
    size_t cps = utf8_count(s, n);
    count_work(n);
    if (cps < MASK_SHOW_MIN) return 0;
    size_t k = cps / 4;
    if (k > MASK_KEEP_MAX) k = MASK_KEEP_MAX;
    return utf8_skip(s, n, k);
}

void mask_put(buf *b, const unsigned char *s, size_t n)
{
    buf_append(b, s, mask_keep(s, n));
    buf_puts(b, MASK_TOKEN);
}

/* ---- hidden runs ---------------------------------------------------------- */

typedef struct span { size_t s, e; } span;

static int cmp_span(const void *a, const void *b)
{
    const span *x = a, *y = b;
    return x->s < y->s ? -1 : x->s > y->s ? 1 : (x->e > y->e) - (x->e < y->e);
}

void mask_runs_build(mask_runs *r, const unsigned char *data, const size_t *ms, const size_t *me,
                     size_t n)
{
    memset(r, 0, sizeof *r);
    if (!n) return;
    span *v = xmalloc_n(n, sizeof *v);
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        if (me[i] <= ms[i]) continue;
        size_t keep = ms[i] + mask_keep(data + ms[i], me[i] - ms[i]);
        if (keep < me[i]) v[k++] = (span){keep, me[i]};
    }
    if (k > 1) qsort(v, k, sizeof *v, cmp_span);
    count_work(k);
    r->start = xmalloc_n(k ? k : 1, sizeof *r->start);
    r->end = xmalloc_n(k ? k : 1, sizeof *r->end);
    for (size_t i = 0; i < k; i++) {
        if (r->n && v[i].s <= r->end[r->n - 1]) {
            if (v[i].e > r->end[r->n - 1]) r->end[r->n - 1] = v[i].e;
            continue;
        }
        r->start[r->n] = v[i].s;
        r->end[r->n++] = v[i].e;
    }
    free(v);
}

void mask_runs_free(mask_runs *r)
{
    free(r->start);
    free(r->end);
    memset(r, 0, sizeof *r);
}

void mask_runs_put(const mask_runs *r, buf *b, const unsigned char *data, size_t s, size_t e)
{
    count_work(e > s ? e - s : 0);
    size_t lo = 0, hi = r ? r->n : 0;
    while (lo < hi) { /* the first run that ends after s */
        size_t mid = lo + (hi - lo) / 2;
        if (r->end[mid] <= s) lo = mid + 1;
        else hi = mid;
    }
    size_t i = s, k = lo;
    while (i < e) {
        if (r && k < r->n && r->start[k] <= i) {
            buf_puts(b, MASK_TOKEN);
            i = r->end[k] < e ? r->end[k] : e;
            k++;
            continue;
        }
        size_t stop = r && k < r->n && r->start[k] < e ? r->start[k] : e;
        buf_append(b, data + i, stop - i);
        i = stop;
    }
}

/* ---- the set of values ------------------------------------------------------ */

typedef struct ac_node {
    int32_t child, sibling, fail;  /* -1: none */
    uint32_t depth, out;           /* out: length of the longest value ending here */
    unsigned char byte;
} ac_node;

typedef struct mask_group {
    char *path;
    ac_node *node;
    size_t n, cap;
} mask_group;

typedef struct mask_value {
    char *path;
    unsigned char *v;
    size_t n;
} mask_value;

struct mask_set {
    mask_value *v;
    size_t n, cap;
    mask_group *g;
    size_t ng;
    int sealed;
};

mask_set *mask_set_new(void) { return xcalloc(1, sizeof(mask_set)); }

void mask_set_free(mask_set *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].path);
        free(m->v[i].v);
    }
    free(m->v);
    for (size_t i = 0; i < m->ng; i++) {
        free(m->g[i].path);
        free(m->g[i].node);
    }
    free(m->g);
    free(m);
}

void mask_set_add(mask_set *m, const char *path, const unsigned char *v, size_t n)
{
    if (!m || m->sealed || n < MASK_SCRUB_MIN) return;
    XGROW(m->v, m->cap, m->n + 1);
    m->v[m->n].path = xstrdup(path ? path : "");
    m->v[m->n].v = xmalloc(n);
    memcpy(m->v[m->n].v, v, n);
    m->v[m->n++].n = n;
    count_work(n);
}

void mask_set_move(mask_set *dst, mask_set *src)
{
    if (!dst || !src || dst->sealed) return;
    XGROW(dst->v, dst->cap, dst->n + src->n);
    if (src->n) memcpy(dst->v + dst->n, src->v, src->n * sizeof *src->v);
    dst->n += src->n;
    src->n = 0;
}

static int cmp_value(const void *a, const void *b)
{
    const mask_value *x = a, *y = b;
    int c = strcmp(x->path, y->path);
    if (c) return c;
    size_t n = x->n < y->n ? x->n : y->n;
    if ((c = memcmp(x->v, y->v, n))) return c;
    return (x->n > y->n) - (x->n < y->n);
}

static int32_t ac_next(const mask_group *g, int32_t at, unsigned char c)
{
    for (int32_t k = g->node[at].child; k >= 0; k = g->node[k].sibling)
        if (g->node[k].byte == c) return k;
    return -1;
}

static int32_t ac_new(mask_group *g, unsigned char c, uint32_t depth)
{
    XGROW(g->node, g->cap, g->n + 1);
    g->node[g->n] = (ac_node){-1, -1, 0, depth, 0, c};
    return (int32_t)g->n++;
}

static void ac_insert(mask_group *g, const unsigned char *v, size_t n)
{
    int32_t at = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t k = ac_next(g, at, v[i]);
        if (k < 0) {
            k = ac_new(g, v[i], (uint32_t)(i + 1));
            /* values arrive sorted: a new child has the largest byte, so it
             * goes last and the sibling lists stay in order */
            int32_t *link = &g->node[at].child;
            while (*link >= 0) link = &g->node[*link].sibling;
            *link = k;
        }
        at = k;
    }
    g->node[at].out = (uint32_t)n;
}

static void ac_links(mask_group *g)
{
    int32_t *queue = xmalloc_n(g->n, sizeof *queue);
    size_t qh = 0, qt = 0;
    for (int32_t k = g->node[0].child; k >= 0; k = g->node[k].sibling) {
        g->node[k].fail = 0;
        queue[qt++] = k;
    }
    while (qh < qt) {
        int32_t u = queue[qh++];
        for (int32_t v = g->node[u].child; v >= 0; v = g->node[v].sibling) {
            int32_t f = g->node[u].fail, t;
            while ((t = ac_next(g, f, g->node[v].byte)) < 0 && f) f = g->node[f].fail;
            g->node[v].fail = t >= 0 && t != v ? t : 0;
            if (!g->node[v].out) g->node[v].out = g->node[g->node[v].fail].out;
            queue[qt++] = v;
        }
    }
    free(queue);
}

void mask_set_seal(mask_set *m)
{
    if (!m || m->sealed) return;
    m->sealed = 1;
    if (m->n > 1) qsort(m->v, m->n, sizeof *m->v, cmp_value);
    for (size_t i = 0; i < m->n; i++) {
        if (!m->ng || strcmp(m->g[m->ng - 1].path, m->v[i].path)) {
            m->g = xrealloc_n(m->g, m->ng + 1, sizeof *m->g);
            mask_group *g = &m->g[m->ng++];
            memset(g, 0, sizeof *g);
            g->path = xstrdup(m->v[i].path);
            ac_new(g, 0, 0);
        }
        ac_insert(&m->g[m->ng - 1], m->v[i].v, m->v[i].n);
    }
    for (size_t i = 0; i < m->ng; i++) ac_links(&m->g[i]);
}

static const mask_group *group_of(const mask_set *m, const char *path)
{
    if (!m || !m->sealed || !path) return NULL;
    size_t lo = 0, hi = m->ng;
    while (lo < hi) {
        size_t mid = lo + (hi - lo) / 2;
        int c = strcmp(m->g[mid].path, path);
        if (!c) return &m->g[mid];
        if (c < 0) lo = mid + 1;
        else hi = mid;
    }
    return NULL;
}

int mask_set_has(const mask_set *m, const char *path) { return group_of(m, path) != NULL; }

char *mask_set_scrub(const mask_set *m, const char *path, const char *s, size_t n,
                     size_t *outlen)
{
    const mask_group *g = group_of(m, path);
    if (!g || !s) return NULL;
    count_work(n);
    const unsigned char *t = (const unsigned char *)s;
    size_t *from = NULL; /* from[e]: start of the longest value ending at byte e */
    int32_t at = 0;
    for (size_t i = 0; i < n; i++) {
        int32_t k;
        while ((k = ac_next(g, at, t[i])) < 0 && at) at = g->node[at].fail;
        at = k >= 0 ? k : 0;
        if (g->node[at].out) {
            if (!from) {
                from = xmalloc_n(n + 1, sizeof *from);
                for (size_t j = 0; j <= n; j++) from[j] = SIZE_MAX;
            }
            from[i + 1] = i + 1 - g->node[at].out;
        }
    }
    if (!from) return NULL;
    /* right to left: byte j is secret when a value ending after j starts at or before it */
    unsigned char *hid = xcalloc(n ? n : 1, 1);
    size_t low = SIZE_MAX;
    for (size_t j = n; j-- > 0;) {
        if (from[j + 1] < low) low = from[j + 1];
        hid[j] = low <= j;
    }
    buf b;
    buf_init(&b, 0);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && hid[j] == hid[i]) j++;
        if (hid[i]) {
            /* the visible prefix must not hold a whole value of its own (a
             * three-character password at the start of a longer secret) */
            size_t keep = mask_keep(t + i, j - i);
            for (size_t e = i + 1; e <= i + keep; e++)
                if (from[e] != SIZE_MAX) {
                    keep = e - 1 - i;
                    while (keep && (t[i + keep] & 0xC0) == 0x80) keep--;
                    break;
                }
            buf_append(&b, t + i, keep);
            buf_puts(&b, MASK_TOKEN);
        } else {
            buf_append(&b, t + i, j - i);
        }
        i = j;
    }
    free(from);
    free(hid);
    if (outlen) *outlen = b.len;
    return buf_detach(&b);
}

int mask_set_scrub_str(const mask_set *m, const char *path, char **s)
{
    if (!s || !*s) return 0;
    char *r = mask_set_scrub(m, path, *s, strlen(*s), NULL);
    if (!r) return 0;
    free(*s);
    *s = r;
    return 1;
}

/* ---- text that was never in a file as written ---------------------------- */

static int token_byte(unsigned char c)
{
    return isalnum(c) || c == '_' || c == '-' || c == '+' || c == '=' || c == '.' || c == '/';
}

/* A run of token bytes that reads as a credential rather than a word: long,
 * or of some length with letters and digits mixed. */
static int secretlike(const unsigned char *s, size_t n)
{
    if (n >= MASK_LIKE_LONG) return 1;
    if (n < MASK_LIKE_MIN) return 0;
    int alpha = 0, digit = 0;
    for (size_t i = 0; i < n; i++) {
        alpha |= isalpha(s[i]) != 0;
        digit |= isdigit(s[i]) != 0;
    }
    return alpha && digit;
}

size_t mask_secretlike(buf *b, const char *text, size_t n)
{
    const unsigned char *s = (const unsigned char *)text;
    size_t masked = 0;
    count_work(n);
    for (size_t i = 0; i < n;) {
        size_t j = i;
        while (j < n && token_byte(s[j])) j++;
        if (j > i && secretlike(s + i, j - i)) {
            mask_put(b, s + i, j - i);
            masked++;
        } else if (j > i) {
            buf_append(b, s + i, j - i);
        }
        if (j < n) buf_putc(b, (char)s[j++]);
        i = j;
    }
    return masked;
}

int mask_name_secretlike(const char *n)
{
    for (const char *p = n; p && *p;) {
        const char *q = p;
        int alpha = 0, digit = 0;
        while (*q && isalnum((unsigned char)*q)) {
            alpha |= isalpha((unsigned char)*q) != 0;
            digit |= isdigit((unsigned char)*q) != 0;
            q++;
        }
        if (q - p >= 16 && alpha && digit) return 1;
        p = *q ? q + 1 : q;
    }
    return 0;
}
