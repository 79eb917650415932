/* placeholder.c - value <-> placeholder map (see placeholder.h).
 *
 * Two open-addressing hash tables of 32-bit slots index the entries: by
 * value bytes and by lower-cased replacement text.  Entries sit in fixed
 * blocks of PH_BLOCK, and every value and replacement is copied into
 * string chunks of PH_CHUNK bytes (one allocation for many strings; a
 * string too big for a chunk gets one of its own), so growing the map
 * moves nothing.  Per-label counters live in a small linear list (there
 * are a few dozen labels at most); entries point at its label copy.
 */
#include "placeholder.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/hash.h"
#include "../core/xalloc.h"

#define PH_BLOCK 1024            /* entries in one block */
#define PH_CHUNK ((size_t)64 << 10) /* bytes of one string chunk */

typedef struct label_count {
    char *label;
    unsigned n;
} label_count;

typedef struct str_chunk {
    char *p;
    size_t size;
} str_chunk;

struct ph_map {
    ph_entry **blocks;
    size_t nblocks, bcap;
    size_t n;
    uint64_t *by_value, *by_ph; /* the hash's high half << 32 | index + 1; 0 = empty slot */
    size_t nph;                 /* entries [0, nph) are in by_ph (index_ph) */
    size_t tcap;                /* table size (power of two) */
    str_chunk *chunks;          /* strings; the last one is being filled */
    size_t nchunks, ccap, used; /* `used`: bytes of the last chunk taken */
    label_count *labels;
    size_t nlabels, labcap;
    uint8_t label_at[64];       /* a label's hash -> index + 1 in labels (0: look) */
    struct {                    /* a name as ph_map_get was given it -> its label */
        const char *at;         /* where the name was */
        char name[PH_MAX_LABEL];
        size_t idx;             /* in labels */
    } named[16];
    unsigned nnamed;            /* names kept (the next to go: nnamed % 16) */
    size_t foreign;             /* entries whose placeholder no counter made: loaded
                                 * ones, shapes (a new <LABEL_N> can equal only these) */
    buf scratch;                /* a replacement being built */
};

ph_map *ph_map_new(void) { return xcalloc(1, sizeof(ph_map)); }

void ph_map_free(ph_map *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->nchunks; i++) {
        memset(m->chunks[i].p, 0, m->chunks[i].size); /* the values */
        free(m->chunks[i].p);
    }
    for (size_t i = 0; i < m->nblocks; i++) free(m->blocks[i]);
    for (size_t i = 0; i < m->nlabels; i++) free(m->labels[i].label);
    free(m->chunks);
    free(m->blocks);
    free(m->labels);
    free(m->by_value);
    free(m->by_ph);
    buf_free(&m->scratch);
    free(m);
}

size_t ph_map_count(const ph_map *m) { return m->n; }

static ph_entry *entry(const ph_map *m, size_t i) { return &m->blocks[i / PH_BLOCK][i % PH_BLOCK]; }

const ph_entry *ph_map_at(const ph_map *m, size_t i) { return i < m->n ? entry(m, i) : NULL; }

/* A copy of s[0..n) and a NUL in the string chunks. */
static char *str_copy(ph_map *m, const void *s, size_t n)
{
    size_t need = n + 1;
    if (need > PH_CHUNK / 4) { /* big: a chunk of its own, kept before the current one */
        XGROW(m->chunks, m->ccap, m->nchunks + 1);
        str_chunk c = {xmalloc(need), need};
        if (m->nchunks) {
            m->chunks[m->nchunks] = m->chunks[m->nchunks - 1];
            m->chunks[m->nchunks - 1] = c;
        } else {
            m->chunks[0] = c;
            m->used = need;
        }
        m->nchunks++;
        if (n) memcpy(c.p, s, n);
        c.p[n] = 0;
        return c.p;
    }
    if (!m->nchunks || m->used + need > m->chunks[m->nchunks - 1].size) {
        XGROW(m->chunks, m->ccap, m->nchunks + 1);
        m->chunks[m->nchunks++] = (str_chunk){xmalloc(PH_CHUNK), PH_CHUNK};
        m->used = 0;
    }
    char *p = m->chunks[m->nchunks - 1].p + m->used;
    m->used += need;
    if (n) memcpy(p, s, n);
    p[n] = 0;
    return p;
}

/* FNV-1a with a final mix, so that the low bits (the slot) use them all */
static uint64_t mix(uint64_t h)
{
    h ^= h >> 33;
    h *= 0xff51afd7ed558ccdULL;
    h ^= h >> 33;
    return h;
}

uint64_t ph_value_hash(const unsigned char *v, size_t n) { return mix(hash_fnv1a64(v, n)); }

/* FNV-1a of s lowered as the C locale's tolower lowers it (A-Z only) */
static uint64_t hash_lower(const char *s, size_t n)
{
    uint64_t h = HASH_FNV_INIT;
    for (size_t i = 0; i < n; i++) {
        unsigned c = (unsigned char)s[i];
        h = (h ^ (c - 'A' < 26u ? c + 32u : c)) * 0x100000001b3ULL;
    }
    return mix(h);
}

/* A slot carries the high half of its entry's hash: a probe reads the
 * entry (a cache miss in a big map) only when that half agrees. */
static uint64_t slot_of(uint64_t h, size_t idx) { return (h >> 32 << 32) | (uint64_t)(idx + 1); }
static int slot_tag_is(uint64_t s, uint64_t h) { return (s >> 32) == (h >> 32); }
static size_t slot_index(uint64_t s) { return (size_t)(uint32_t)s - 1; }

static void table_put(uint64_t *t, size_t tcap, uint64_t h, size_t idx)
{
    size_t mask = tcap - 1, i = (size_t)h & mask;
    while (t[i]) i = (i + 1) & mask;
    t[i] = slot_of(h, idx);
}

/* Double the tables, one at a time (the old one goes before the next);
 * from the hashes kept in the entries, so no string is read. */
static void rehash(ph_map *m)
{
    size_t ncap = m->tcap ? m->tcap * 2 : 64;
    free(m->by_value);
    m->by_value = xcalloc(ncap, sizeof *m->by_value);
    for (size_t i = 0; i < m->n; i++) table_put(m->by_value, ncap, entry(m, i)->vhash, i);
    free(m->by_ph);
    m->by_ph = xcalloc(ncap, sizeof *m->by_ph);
    for (size_t i = 0; i < m->nph; i++) table_put(m->by_ph, ncap, entry(m, i)->phhash, i);
    m->tcap = ncap;
}

/* Put the entries added since the last call into the by-placeholder
 * table: only ph_map_find reads it, and redact, which adds 100,000s of
 * entries, seldom or never asks (a cache miss and a hash an entry). */
static void index_ph(ph_map *m)
{
    for (; m->nph < m->n; m->nph++) {
        ph_entry *e = entry(m, m->nph);
        e->phhash = hash_lower(e->ph, e->phlen);
        table_put(m->by_ph, m->tcap, e->phhash, m->nph);
    }
}

static ph_entry *find_value(const ph_map *m, const unsigned char *v, size_t n, uint64_t h)
{
    if (!m->tcap) return NULL;
    size_t mask = m->tcap - 1, i = (size_t)h & mask;
    for (uint64_t s; (s = m->by_value[i]); i = (i + 1) & mask) {
        if (!slot_tag_is(s, h)) continue;
        ph_entry *e = entry(m, slot_index(s));
        if (e->vlen == n && (n == 0 || !memcmp(e->value, v, n))) return e;
    }
    return NULL;
}

void ph_map_prefetch(const ph_map *m, uint64_t h, int level)
{
    if (!m->tcap) return;
    size_t mask = m->tcap - 1, i = (size_t)h & mask;
    if (level == 0) {
        __builtin_prefetch(&m->by_value[i]);
        return;
    }
    for (uint64_t s; (s = m->by_value[i]); i = (i + 1) & mask) {
        if (!slot_tag_is(s, h)) continue;
        const ph_entry *e = entry(m, slot_index(s));
        __builtin_prefetch(level == 1 ? (const void *)e : (const void *)e->value);
        return;
    }
}

const ph_entry *ph_map_find(const ph_map *m, const char *p, size_t n)
{
    if (!m->tcap) return NULL;
    index_ph((ph_map *)m); /* the map is not const but for this index: see placeholder.h */
    uint64_t h = hash_lower(p, n);
    size_t mask = m->tcap - 1, i = (size_t)h & mask;
    const ph_entry *ci = NULL;
    for (uint64_t s; (s = m->by_ph[i]); i = (i + 1) & mask) {
        if (!slot_tag_is(s, h)) continue;
        const ph_entry *e = entry(m, slot_index(s));
        if (e->phlen == n) {
            if (!memcmp(e->ph, p, n)) return e;
            if (!ci && !strncasecmp(e->ph, p, n)) ci = e;
        }
    }
    return ci;
}

/* The counter of a label: label_at remembers where a hash of it was
 * last found (a new value's label was a walk of every label's strcmp). */
static label_count *label_slot(ph_map *m, const char *label)
{
    size_t k = (size_t)hash_fnv1a64(label, strlen(label)) % sizeof m->label_at;
    size_t at = m->label_at[k];
    if (at && !strcmp(m->labels[at - 1].label, label)) return &m->labels[at - 1];
    size_t i = 0;
    while (i < m->nlabels && strcmp(m->labels[i].label, label)) i++;
    if (i == m->nlabels) {
        XGROW(m->labels, m->labcap, m->nlabels + 1);
        m->labels[m->nlabels++] = (label_count){xstrdup(label), 0};
    }
    if (i < UINT8_MAX) m->label_at[k] = (uint8_t)(i + 1);
    return &m->labels[i];
}

/* `label` is the label_count's copy (it outlives the entry). */
static vg_status add_entry(ph_map *m, const char *label, unsigned num, ph_style style,
                           const unsigned char *v, size_t vn, uint64_t vh, const char *ph,
                           size_t phn)
{
    if (m->n >= PH_MAX_ENTRIES || vn > UINT32_MAX || phn > UINT32_MAX) return VG_ERR_LIMIT;
    /* at most 3/4 full: the two tables are 16 to 32 bytes an entry */
    if ((m->n + 1) * 4 > m->tcap * 3) rehash(m);
    if (m->n / PH_BLOCK >= m->nblocks) {
        XGROW(m->blocks, m->bcap, m->nblocks + 1);
        m->blocks[m->nblocks++] = xmalloc(PH_BLOCK * sizeof(ph_entry));
    }
    ph_entry *e = entry(m, m->n);
    e->label = label;
    e->num = num;
    e->style = style;
    e->value = str_copy(m, v, vn);
    e->vlen = (uint32_t)vn;
    e->ph = str_copy(m, ph, phn);
    e->phlen = (uint32_t)phn;
    e->vhash = vh;
    e->phhash = 0; /* index_ph */
    table_put(m->by_value, m->tcap, vh, m->n);
    m->n++;
    return VG_OK;
}

void ph_label_from(char *out, size_t cap, const char *name)
{
    size_t k = 0;
    for (const char *p = name; *p && k + 1 < cap && k + 1 < PH_MAX_LABEL; p++) {
        unsigned char c = (unsigned char)*p;
        if (isalnum(c)) out[k++] = (char)toupper(c);
        else if (k && out[k - 1] != '_') out[k++] = '_';
    }
    while (k && out[k - 1] == '_') k--;
    if (!k && cap > 6) {
        memcpy(out, "SECRET", 6);
        k = 6;
    }
    out[k] = 0;
}

/* Mask letters and digits, keep punctuation; the number goes into the
 * last masked positions so different values of one shape stay apart. */
static void shape_mask(buf *out, const unsigned char *v, size_t n, unsigned num)
{
    size_t start = out->len;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = v[i];
        if (isdigit(c)) buf_putc(out, '0');
        else if (isalpha(c) || c >= 0x80) buf_putc(out, 'X');
        else buf_putc(out, (char)c);
    }
    if (num > 1) {
        char d[16];
        int dl = snprintf(d, sizeof d, "%u", num);
        for (size_t i = out->len; i-- > start && dl > 0;) {
            if (out->data[i] == '0' || out->data[i] == 'X') out->data[i] = d[--dl];
        }
    }
}

void ph_shape(buf *out, const char *label, const unsigned char *v, size_t n, unsigned num)
{
    char ns[16] = "";
    if (num > 1) snprintf(ns, sizeof ns, "%u", num);
    if (!strcmp(label, "EMAIL_ADDRESS")) {
        buf_printf(out, "user%s@example.com", ns);
        return;
    }
    /* a bare card number stays a valid integer literal of its length:
     * 9, zeros, the number (no leading zero, so Python still parses it) */
    size_t nd = 0;
    while (nd < n && isdigit(v[nd])) nd++;
    if (!strcmp(label, "CREDIT_CARD") && n >= 4 && nd == n) {
        char d[16];
        int dl = snprintf(d, sizeof d, "%u", num ? num : 1);
        buf_putc(out, '9');
        for (size_t i = 1; i + (size_t)dl < n; i++) buf_putc(out, '0');
        buf_append(out, d, (size_t)dl);
        return;
    }
    if (!strcmp(label, "CONNECTION_STRING")) {
        const unsigned char *sep = memmem(v, n, "://", 3);
        size_t sl = sep ? (size_t)(sep - v) : 0;
        buf_append(out, v, sl);
        buf_printf(out, "://user:password@hostname%s", ns);
        const unsigned char *at = memchr(v, '@', n);
        if (at) {
            const unsigned char *h = at + 1, *e = v + n;
            const unsigned char *slash = memchr(h, '/', (size_t)(e - h));
            const unsigned char *colon = memchr(h, ':', (size_t)((slash ? slash : e) - h));
            if (colon) {
                const unsigned char *q = colon + 1;
                while (q < e && isdigit(*q)) q++;
                buf_append(out, colon, (size_t)(q - colon));
            }
            if (slash) buf_puts(out, "/dbname");
        }
        return;
    }
    if (!strcmp(label, "INTERNAL_HOST")) {
        const unsigned char *dot = NULL;
        for (size_t i = n; i-- > 0;)
            if (v[i] == '.') { dot = v + i; break; }
        buf_printf(out, "host%s", num > 1 ? ns : "1");
        if (dot) buf_append(out, dot, (size_t)(v + n - dot));
        return;
    }
    if (!strcmp(label, "IP_ADDRESS") || !strcmp(label, "PRIVATE_IP")) {
        int v6 = memchr(v, ':', n) != NULL;
        if (v6) buf_printf(out, "%s::%x", label[0] == 'P' ? "fd00" : "2001:db8", num);
        else if (label[0] == 'P') buf_printf(out, "10.%u.%u.%u", (num >> 16) & 255, (num >> 8) & 255, num & 255);
        else if (num <= 762) /* the documentation networks (RFC 5737), then ... */
            buf_printf(out, "%s.%u", num <= 254 ? "192.0.2" : num <= 508 ? "198.51.100" : "203.0.113",
                       num <= 254 ? num : num <= 508 ? num - 254 : num - 508);
        else if (num - 763 < (1u << 17)) { /* ... the benchmarking /15 (RFC 2544) ... */
            unsigned k = num - 763;
            buf_printf(out, "198.%u.%u.%u", 18 + (k >> 16), (k >> 8) & 255, k & 255);
        } else { /* ... and 240.0.0.0/4, reserved: no value's shape is ever a real host */
            unsigned k = num - 763 - (1u << 17);
            buf_printf(out, "%u.%u.%u.%u", 240 + ((k >> 24) & 15), (k >> 16) & 255, (k >> 8) & 255,
                       k & 255);
        }
        return;
    }
    /* generic: keep a prefix of letters ending in '_' or '-' (sk_live_, ghp_, xoxb-) */
    size_t pre = 0;
    for (size_t i = 0; i < n && i < 16; i++) {
        if (v[i] == '_' || v[i] == '-') pre = i + 1;
        else if (!isalpha(v[i])) break;
    }
    static const char *const known[] = {"AKIA", "ASIA", "AIza", "ya29.", NULL};
    for (int k = 0; known[k]; k++)
        if (!pre && n > strlen(known[k]) && !memcmp(v, known[k], strlen(known[k])))
            pre = strlen(known[k]);
    if (pre >= n) pre = 0;
    buf_append(out, v, pre);
    shape_mask(out, v + pre, n - pre, num);
}

/* The decimal digits of v written backwards from end; their start.  By
 * hand: printf cost ~2,000 instructions a call, once for each value. */
static char *dec_before(char *end, unsigned v)
{
    do *--end = (char)('0' + v % 10); while ((v /= 10));
    return end;
}

/* "<LABEL_N>" */
static void placeholder_text(buf *b, const char *label, unsigned num)
{
    char t[16], *q = t + sizeof t;
    *--q = '>';
    q = dec_before(q, num);
    *--q = '_';
    buf_putc(b, '<');
    buf_puts(b, label);
    buf_append(b, q, (size_t)(t + sizeof t - q));
}

/* The counter of the label ph_label_from makes of `name`: names come back
 * (an entity's, a rule's slug), so the last few are kept, by where they
 * are in memory and checked by what they say. */
static label_count *label_named(ph_map *m, const char *name)
{
    const size_t cap = sizeof m->named / sizeof *m->named;
    for (size_t k = 0; k < m->nnamed && k < cap; k++)
        if (m->named[k].at == name && !strcmp(m->named[k].name, name))
            return &m->labels[m->named[k].idx];
    char lab[PH_MAX_LABEL];
    ph_label_from(lab, sizeof lab, name);
    label_count *lc = label_slot(m, lab);
    if (strlen(name) < sizeof m->named[0].name) {
        size_t k = m->nnamed++ % cap;
        m->named[k].at = name;
        strcpy(m->named[k].name, name);
        m->named[k].idx = (size_t)(lc - m->labels);
    }
    return lc;
}

vg_status ph_map_get(ph_map *m, const char *label, const unsigned char *v, size_t n,
                     ph_style style, const ph_entry **out)
{
    return ph_map_get_hashed(m, label, v, n, ph_value_hash(v, n), style, out);
}

vg_status ph_map_get_hashed(ph_map *m, const char *label, const unsigned char *v, size_t n,
                            uint64_t h, ph_style style, const ph_entry **out)
{
    ph_entry *e = find_value(m, v, n, h);
    if (e) {
        *out = e;
        return VG_OK;
    }
    label_count *lc = label_named(m, label);
    const char *lab = lc->label;
    buf *b = &m->scratch;
    for (;;) {
        unsigned num = ++lc->n;
        buf_clear(b);
        if (style == PH_SHAPE) ph_shape(b, lab, v, n, num);
        else placeholder_text(b, lab, num);
        /* a replacement must not collide with another entry's: <LABEL_N>
         * with a counter past every N of its label is new unless an
         * entry the counters did not make has it */
        if (b->len && ((style != PH_SHAPE && !m->foreign) || !ph_map_find(m, b->data, b->len)))
            break;
        if (lc->n > PH_MAX_ENTRIES) return VG_ERR_LIMIT;
    }
    vg_status rc = add_entry(m, lc->label, lc->n, style, v, n, h, b->data, b->len);
    if (rc) return rc;
    if (style == PH_SHAPE) m->foreign++;
    *out = entry(m, m->n - 1);
    return VG_OK;
}

vg_status ph_map_load(ph_map *m, const char *label, unsigned num, ph_style style,
                      const unsigned char *v, size_t vn, const char *ph, size_t phn)
{
    uint64_t h = ph_value_hash(v, vn);
    if (find_value(m, v, vn, h)) return VG_OK;
    label_count *lc = label_slot(m, label);
    if (num > lc->n) lc->n = num;
    m->foreign++;
    return add_entry(m, lc->label, num, style, v, vn, h, ph, phn);
}

/* Hex of s[0..n), appended a stack buffer at a time (a vault of 100,000s
 * of values is written twice: a byte at a time was most of its cost). */
static void put_hex(buf *b, const char *s, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    char tmp[256];
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        tmp[k++] = hx[(unsigned char)s[i] >> 4];
        tmp[k++] = hx[(unsigned char)s[i] & 15];
        if (k == sizeof tmp) {
            buf_append(b, tmp, k);
            k = 0;
        }
    }
    if (k) buf_append(b, tmp, k);
}

/* One line per entry: label TAB number TAB style TAB hex(replacement) TAB hex(value). */
void ph_map_dump_head(buf *out) { buf_puts(out, "vibeguard-vault 1\n"); }

void ph_map_dump_entry(const ph_map *m, size_t i, buf *out)
{
    const ph_entry *e = entry(m, i);
    char num[24], *q = num + sizeof num;
    *--q = '\t';
    *--q = (char)('0' + (int)e->style);
    *--q = '\t';
    q = dec_before(q, e->num);
    *--q = '\t';
    buf_puts(out, e->label);
    buf_append(out, q, (size_t)(num + sizeof num - q));
    put_hex(out, e->ph, e->phlen);
    buf_putc(out, '\t');
    put_hex(out, e->value, e->vlen);
    buf_putc(out, '\n');
}

void ph_map_dump(const ph_map *m, buf *out)
{
    ph_map_dump_head(out);
    for (size_t i = 0; i < m->n; i++) ph_map_dump_entry(m, i, out);
}

static int unhex(const char *s, size_t n, buf *out)
{
    if (n & 1) return -1;
    buf_clear(out);
    for (size_t i = 0; i < n; i += 2) {
        int v = 0;
        for (int k = 0; k < 2; k++) {
            char c = s[i + (size_t)k];
            int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
            if (d < 0) return -1;
            v = v * 16 + d;
        }
        buf_putc(out, (char)v);
    }
    return 0;
}

/* One line (no '\n'); ph and val are scratch. */
static vg_status undump_line(ph_map *m, const char *p, const char *nl, buf *ph, buf *val)
{
    const char *f[5];
    size_t fl[5];
    const char *q = p;
    int k = 0;
    for (; k < 5; k++) {
        const char *t = memchr(q, '\t', (size_t)(nl - q));
        if (!t || k == 4) t = nl;
        f[k] = q;
        fl[k] = (size_t)(t - q);
        q = t + 1;
        if (t == nl) { k++; break; }
    }
    if (k != 5 || fl[0] == 0 || fl[0] >= PH_MAX_LABEL) return VG_ERR_PARSE;
    char label[PH_MAX_LABEL];
    memcpy(label, f[0], fl[0]);
    label[fl[0]] = 0;
    unsigned num = (unsigned)strtoul(f[1], NULL, 10);
    int style = f[2][0] == '1' ? PH_SHAPE : PH_PLACEHOLDER;
    if (unhex(f[3], fl[3], ph) || unhex(f[4], fl[4], val) || !ph->len || !val->len)
        return VG_ERR_PARSE;
    return ph_map_load(m, label, num, (ph_style)style, (const unsigned char *)val->data, val->len,
                       ph->data, ph->len);
}

vg_status ph_map_undump_part(ph_map *m, const char *s, size_t n, int first, size_t *used)
{
    static const char head[] = "vibeguard-vault 1\n";
    *used = 0;
    const char *p = s, *end = s + n;
    if (first) {
        if (n < sizeof head - 1 || memcmp(s, head, sizeof head - 1)) return VG_ERR_PARSE;
        p += sizeof head - 1;
    }
    buf ph, val;
    buf_init(&ph, 0);
    buf_init(&val, 0);
    vg_status rc = VG_OK;
    const char *nl;
    while (p < end && (nl = memchr(p, '\n', (size_t)(end - p))) && !(rc = undump_line(m, p, nl, &ph, &val)))
        p = nl + 1;
    *used = (size_t)(p - s);
    if (val.data) memset(val.data, 0, val.len);
    buf_free(&ph);
    buf_free(&val);
    return rc;
}

vg_status ph_map_undump(ph_map *m, const char *s, size_t n)
{
    size_t used;
    vg_status rc = ph_map_undump_part(m, s, n, 1, &used);
    return rc ? rc : used != n ? VG_ERR_PARSE : VG_OK;
}

void ph_map_swap(ph_map *a, ph_map *b)
{
    ph_map t = *a;
    *a = *b;
    *b = t;
}
