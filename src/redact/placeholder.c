/* placeholder.c - value <-> placeholder map (see placeholder.h).
 *
 * Two open-addressing hash tables index the entry array: by value bytes
 * and by lower-cased replacement text.  Per-label counters live in a small
 * linear list (there are a few dozen labels at most).
 */
#include "placeholder.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "../core/hash.h"
#include "../core/xalloc.h"

typedef struct label_count {
    char *label;
    unsigned n;
} label_count;

struct ph_map {
    ph_entry *v;
    size_t n, cap;
    size_t *by_value, *by_ph;   /* index + 1; 0 = empty slot */
    size_t tcap;                /* table size (power of two) */
    label_count *labels;
    size_t nlabels, labcap;
};

ph_map *ph_map_new(void) { return xcalloc(1, sizeof(ph_map)); }

void ph_map_free(ph_map *m)
{
    if (!m) return;
    for (size_t i = 0; i < m->n; i++) {
        free(m->v[i].label);
        if (m->v[i].value) memset(m->v[i].value, 0, m->v[i].vlen);
        free(m->v[i].value);
        free(m->v[i].ph);
    }
    for (size_t i = 0; i < m->nlabels; i++) free(m->labels[i].label);
    free(m->labels);
    free(m->v);
    free(m->by_value);
    free(m->by_ph);
    free(m);
}

size_t ph_map_count(const ph_map *m) { return m->n; }
const ph_entry *ph_map_at(const ph_map *m, size_t i) { return i < m->n ? &m->v[i] : NULL; }

static uint64_t hash_lower(const char *s, size_t n)
{
    uint64_t h = HASH_FNV_INIT;
    for (size_t i = 0; i < n; i++) {
        unsigned char c = (unsigned char)tolower((unsigned char)s[i]);
        h = hash_fnv1a64_more(h, &c, 1);
    }
    return h;
}

static void table_put(ph_map *m, size_t *t, uint64_t h, size_t idx)
{
    size_t mask = m->tcap - 1, i = (size_t)h & mask;
    while (t[i]) i = (i + 1) & mask;
    t[i] = idx + 1;
}

static void rehash(ph_map *m)
{
    size_t ncap = m->tcap ? m->tcap * 2 : 64;
    free(m->by_value);
    free(m->by_ph);
    m->tcap = ncap;
    m->by_value = xcalloc(ncap, sizeof *m->by_value);
    m->by_ph = xcalloc(ncap, sizeof *m->by_ph);
    for (size_t i = 0; i < m->n; i++) {
        table_put(m, m->by_value, hash_fnv1a64(m->v[i].value, m->v[i].vlen), i);
        table_put(m, m->by_ph, hash_lower(m->v[i].ph, m->v[i].phlen), i);
    }
}

static ph_entry *find_value(const ph_map *m, const unsigned char *v, size_t n)
{
    if (!m->tcap) return NULL;
    size_t mask = m->tcap - 1, i = (size_t)hash_fnv1a64(v, n) & mask;
    while (m->by_value[i]) {
        ph_entry *e = &m->v[m->by_value[i] - 1];
        if (e->vlen == n && (n == 0 || !memcmp(e->value, v, n))) return e;
        i = (i + 1) & mask;
    }
    return NULL;
}

const ph_entry *ph_map_find(const ph_map *m, const char *p, size_t n)
{
    if (!m->tcap) return NULL;
    size_t mask = m->tcap - 1, i = (size_t)hash_lower(p, n) & mask;
    const ph_entry *ci = NULL;
    while (m->by_ph[i]) {
        const ph_entry *e = &m->v[m->by_ph[i] - 1];
        if (e->phlen == n) {
            if (!memcmp(e->ph, p, n)) return e;
            if (!ci && !strncasecmp(e->ph, p, n)) ci = e;
        }
        i = (i + 1) & mask;
    }
    return ci;
}

static label_count *label_slot(ph_map *m, const char *label)
{
    for (size_t i = 0; i < m->nlabels; i++)
        if (!strcmp(m->labels[i].label, label)) return &m->labels[i];
    XGROW(m->labels, m->labcap, m->nlabels + 1);
    m->labels[m->nlabels] = (label_count){xstrdup(label), 0};
    return &m->labels[m->nlabels++];
}

static vg_status add_entry(ph_map *m, const char *label, unsigned num, ph_style style,
                           const unsigned char *v, size_t vn, char *ph, size_t phn)
{
    if (m->n >= PH_MAX_ENTRIES) {
        free(ph);
        return VG_ERR_LIMIT;
    }
    if ((m->n + 1) * 2 > m->tcap) rehash(m);
    XGROW(m->v, m->cap, m->n + 1);
    ph_entry *e = &m->v[m->n];
    e->label = xstrdup(label);
    e->num = num;
    e->style = style;
    e->value = xmalloc(vn + 1);
    if (vn) memcpy(e->value, v, vn);
    e->value[vn] = 0;
    e->vlen = vn;
    e->ph = ph;
    e->phlen = phn;
    table_put(m, m->by_value, hash_fnv1a64(v, vn), m->n);
    table_put(m, m->by_ph, hash_lower(ph, phn), m->n);
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
        else buf_printf(out, "%s.%u", num <= 254 ? "192.0.2" : num <= 508 ? "198.51.100" : "203.0.113",
                        num <= 254 ? num : num <= 508 ? num - 254 : (num - 508) % 255);
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

vg_status ph_map_get(ph_map *m, const char *label, const unsigned char *v, size_t n,
                     ph_style style, const ph_entry **out)
{
    ph_entry *e = find_value(m, v, n);
    if (e) {
        *out = e;
        return VG_OK;
    }
    char lab[PH_MAX_LABEL];
    ph_label_from(lab, sizeof lab, label);
    label_count *lc = label_slot(m, lab);
    buf b;
    buf_init(&b, 0);
    for (;;) {
        unsigned num = ++lc->n;
        buf_clear(&b);
        if (style == PH_SHAPE) ph_shape(&b, lab, v, n, num);
        else buf_printf(&b, "<%s_%u>", lab, num);
        /* a replacement must not collide with another entry's */
        if (!ph_map_find(m, b.data, b.len) && b.len) break;
        if (lc->n > PH_MAX_ENTRIES) {
            buf_free(&b);
            return VG_ERR_LIMIT;
        }
    }
    size_t len = b.len;
    unsigned num = lc->n;
    vg_status rc = add_entry(m, lab, num, style, v, n, buf_detach(&b), len);
    if (rc) return rc;
    *out = &m->v[m->n - 1];
    return VG_OK;
}

vg_status ph_map_load(ph_map *m, const char *label, unsigned num, ph_style style,
                      const unsigned char *v, size_t vn, const char *ph, size_t phn)
{
    if (find_value(m, v, vn)) return VG_OK;
    label_count *lc = label_slot(m, label);
    if (num > lc->n) lc->n = num;
    return add_entry(m, label, num, style, v, vn, xstrndup(ph, phn), phn);
}

static void put_hex(buf *b, const char *s, size_t n)
{
    static const char hx[] = "0123456789abcdef";
    for (size_t i = 0; i < n; i++) {
        buf_putc(b, hx[(unsigned char)s[i] >> 4]);
        buf_putc(b, hx[(unsigned char)s[i] & 15]);
    }
}

/* One line per entry: label TAB number TAB style TAB hex(replacement) TAB hex(value). */
void ph_map_dump(const ph_map *m, buf *out)
{
    buf_puts(out, "vibeguard-vault 1\n");
    for (size_t i = 0; i < m->n; i++) {
        const ph_entry *e = &m->v[i];
        buf_printf(out, "%s\t%u\t%d\t", e->label, e->num, (int)e->style);
        put_hex(out, e->ph, e->phlen);
        buf_putc(out, '\t');
        put_hex(out, e->value, e->vlen);
        buf_putc(out, '\n');
    }
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

vg_status ph_map_undump(ph_map *m, const char *s, size_t n)
{
    static const char head[] = "vibeguard-vault 1\n";
    if (n < sizeof head - 1 || memcmp(s, head, sizeof head - 1)) return VG_ERR_PARSE;
    const char *p = s + sizeof head - 1, *end = s + n;
    buf ph, val;
    buf_init(&ph, 0);
    buf_init(&val, 0);
    vg_status rc = VG_OK;
    while (p < end && !rc) {
        const char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl) { rc = VG_ERR_PARSE; break; }
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
        if (k != 5 || fl[0] == 0 || fl[0] >= PH_MAX_LABEL) { rc = VG_ERR_PARSE; break; }
        char label[PH_MAX_LABEL];
        memcpy(label, f[0], fl[0]);
        label[fl[0]] = 0;
        unsigned num = (unsigned)strtoul(f[1], NULL, 10);
        int style = f[2][0] == '1' ? PH_SHAPE : PH_PLACEHOLDER;
        if (unhex(f[3], fl[3], &ph) || unhex(f[4], fl[4], &val) || !ph.len || !val.len) {
            rc = VG_ERR_PARSE;
            break;
        }
        rc = ph_map_load(m, label, num, (ph_style)style, (const unsigned char *)val.data, val.len,
                         ph.data, ph.len);
        p = nl + 1;
    }
    if (val.data) memset(val.data, 0, val.len);
    buf_free(&ph);
    buf_free(&val);
    return rc;
}
