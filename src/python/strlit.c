/* strlit.c - Python literal decoding (see strlit.h). */
#include "strlit.h"
#include "../core/limits.h"
#include "../core/utf8.h"
#include "../core/xalloc.h"

#include <stdlib.h>
#include <string.h>

#include "unitab.h"

static int hexval(unsigned c)
{
    if (c >= '0' && c <= '9') return (int)(c - '0');
    c |= 0x20;
    if (c >= 'a' && c <= 'f') return (int)(c - 'a' + 10);
    return -1;
}

int strlit_decode(buf *b, const unsigned char *s, size_t n, int raw, int is_bytes,
                  const char **err, size_t *err_off, int *bad_utf8)
{
    size_t i = 0;
    while (i < n) {
        /* fast path: a run of plain bytes */
        size_t j = i;
        while (j < n && s[j] != '\\' && s[j] != '\r' && s[j] < 0x80)
            j++;
        if (j > i) {
            buf_append(b, s + i, j - i);
            i = j;
            if (i >= n)
                break;
        }
        unsigned c = s[i];
        if (c == '\r') {
            buf_putc(b, '\n');
            i += (i + 1 < n && s[i + 1] == '\n') ? 2 : 1;
            continue;
        }
        if (c >= 0x80) {
            uint32_t cp; /* surrogates (WTF-8) are copied through */
            size_t k = utf8_decode_ex(s + i, n - i, &cp, UTF8_SURROGATES);
            if (k == 0) {
                *bad_utf8 = 1;
                k = 1;
            }
            buf_append(b, s + i, k);
            i += k;
            continue;
        }
        /* backslash */
        if (raw || i + 1 >= n) {
            if (raw && i + 1 < n && s[i + 1] != '\r') {
                /* a raw backslash keeps the next character too (so \" stays) */
                buf_putc(b, '\\');
                i++;
                continue;
            }
            buf_putc(b, '\\');
            i++;
            continue;
        }
        unsigned e = s[i + 1];
        size_t start = i;
        i += 2;
        switch (e) {
        case '\n': break;
        case '\r': if (i < n && s[i] == '\n') i++; break;
        case '\\': buf_putc(b, '\\'); break;
        case '\'': buf_putc(b, '\''); break;
        case '"': buf_putc(b, '"'); break;
        case 'a': buf_putc(b, '\a'); break;
        case 'b': buf_putc(b, '\b'); break;
        case 'f': buf_putc(b, '\f'); break;
        case 'n': buf_putc(b, '\n'); break;
        case 'r': buf_putc(b, '\r'); break;
        case 't': buf_putc(b, '\t'); break;
        case 'v': buf_putc(b, '\v'); break;
        case '0': case '1': case '2': case '3': case '4': case '5': case '6': case '7': {
            uint32_t v = e - '0';
            for (int k = 0; k < 2 && i < n && s[i] >= '0' && s[i] <= '7'; k++)
                v = v * 8 + (s[i++] - '0');
            if (is_bytes)
                buf_putc(b, (char)(v & 0xFF));
            else
                utf8_put(b, v);
            break;
        }
        case 'x': {
            int h1 = i < n ? hexval(s[i]) : -1, h2 = i + 1 < n ? hexval(s[i + 1]) : -1;
            if (h1 < 0 || h2 < 0) {
                *err = is_bytes ? "(value error) invalid \\x escape" : "(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\xXX escape";
                *err_off = start;
                return -1;
            }
            i += 2;
            uint32_t v = (uint32_t)(h1 * 16 + h2);
            if (is_bytes)
                buf_putc(b, (char)v);
            else
                utf8_put(b, v);
            break;
        }
        case 'u':
        case 'U': {
            if (is_bytes) {
                buf_putc(b, '\\');
                buf_putc(b, (char)e);
                break;
            }
            int len = e == 'u' ? 4 : 8;
            uint32_t v = 0;
            for (int k = 0; k < len; k++) {
                int h = i < n ? hexval(s[i]) : -1;
                if (h < 0) {
                    *err = e == 'u' ? "(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\uXXXX escape"
                                    : "(unicode error) 'unicodeescape' codec can't decode bytes: truncated \\UXXXXXXXX escape";
                    *err_off = start;
                    return -1;
                }
                v = v * 16 + (uint32_t)h;
                i++;
            }
            if (v > 0x10FFFF) {
                *err = "(unicode error) 'unicodeescape' codec can't decode bytes: illegal Unicode character";
                *err_off = start;
                return -1;
            }
            utf8_put(b, v);
            break;
        }
        case 'N': {
            if (is_bytes) {
                buf_putc(b, '\\');
                buf_putc(b, (char)e);
                break;
            }
            size_t close = i;
            while (close < n && s[close] != '}' && close - i < STRLIT_MAX_NAME)
                close++;
            if (i >= n || s[i] != '{' || close >= n || s[close] != '}' || close == i + 1) {
                *err = "(unicode error) 'unicodeescape' codec can't decode bytes: malformed \\N character escape";
                *err_off = start;
                return -1;
            }
            uint32_t cp;
            if (!strlit_lookup_name((const char *)s + i + 1, close - i - 1, &cp)) {
                *err = "(unicode error) 'unicodeescape' codec can't decode bytes: unknown Unicode character name";
                *err_off = start;
                return -1;
            }
            utf8_put(b, cp);
            i = close + 1;
            break;
        }
        default:
            buf_putc(b, '\\');
            i--; /* the character after the backslash is plain */
            break;
        }
    }
    return 0;
}

void strlit_number(const char *s, size_t n, py_const_kind *kind, int64_t *ival,
                   int *ival_ok, double *fval)
{
    char tmp[128];
    char *t = n < sizeof tmp ? tmp : xmalloc(n + 1);
    size_t k = 0;
    for (size_t i = 0; i < n; i++)
        if (s[i] != '_')
            t[k++] = s[i];
    t[k] = '\0';
    *ival_ok = 0;
    *ival = 0;
    *fval = 0;
    int base = 10;
    const char *d = t;
    if (k > 1 && t[0] == '0' && ((t[1] | 0x20) == 'x' || (t[1] | 0x20) == 'o' || (t[1] | 0x20) == 'b')) {
        base = (t[1] | 0x20) == 'x' ? 16 : (t[1] | 0x20) == 'o' ? 8 : 2;
        d = t + 2;
    }
    if (k > 0 && (t[k - 1] | 0x20) == 'j') {
        *kind = PY_CONST_COMPLEX;
        t[k - 1] = '\0';
        *fval = strtod(t, NULL);
    } else if (base == 10 && strpbrk(t, ".eE")) {
        *kind = PY_CONST_FLOAT;
        *fval = strtod(t, NULL);
    } else {
        *kind = PY_CONST_INT;
        uint64_t v = 0;
        int ok = 1;
        for (const char *p = d; *p; p++) {
            int h = hexval((unsigned char)*p);
            if (h < 0 || h >= base) { ok = 0; break; }
            if (v > (UINT64_MAX - (uint64_t)h) / (uint64_t)base) { ok = 0; break; }
            v = v * (uint64_t)base + (uint64_t)h;
        }
        if (ok && v <= (uint64_t)INT64_MAX) {
            *ival = (int64_t)v;
            *ival_ok = 1;
        }
        *fval = (double)v;
    }
    if (t != tmp)
        free(t);
}

int is_decimal_leading_zero(const char *s, size_t n)
{
    if (n < 2 || s[0] != '0')
        return 0;
    int nonzero = 0;
    for (size_t i = 1; i < n; i++) {
        if (s[i] >= '1' && s[i] <= '9')
            nonzero = 1;
        else if (s[i] != '0' && s[i] != '_')
            return 0;
    }
    return nonzero;
}

/* ---- Unicode names (\N{...}) ---- */

static const char *const jamo_l[] = {"G", "GG", "N", "D", "DD", "R", "M", "B", "BB", "S", "SS",
                                     "", "J", "JJ", "C", "K", "T", "P", "H"};
static const char *const jamo_v[] = {"A", "AE", "YA", "YAE", "EO", "E", "YEO", "YE", "O", "WA",
                                     "WAE", "OE", "YO", "U", "WEO", "WE", "WI", "YU", "EU", "YI", "I"};
static const char *const jamo_t[] = {"", "G", "GG", "GS", "N", "NJ", "NH", "D", "L", "LG",
                                     "LM", "LB", "LS", "LT", "LP", "LH", "M", "B", "BS", "S",
                                     "SS", "NG", "J", "C", "K", "T", "P", "H"};

/* Longest entry of tab that prefixes s[*p..n); returns its index or -1. */
static int jamo_match(const char *const *tab, int ntab, const char *s, size_t n, size_t *p)
{
    int best = -1;
    size_t blen = 0;
    for (int i = 0; i < ntab; i++) {
        size_t l = strlen(tab[i]);
        if (l <= n - *p && memcmp(s + *p, tab[i], l) == 0 && (best < 0 || l > blen)) {
            best = i;
            blen = l;
        }
    }
    if (best >= 0)
        *p += blen;
    return best;
}

static int hex_cp(const char *s, size_t n, uint32_t *cp)
{
    if (n < 4 || n > 6)
        return 0;
    uint32_t v = 0;
    for (size_t i = 0; i < n; i++) {
        int h = hexval((unsigned char)s[i]);
        if (h < 0 || (s[i] >= 'a' && s[i] <= 'f'))
            return 0;
        v = v * 16 + (uint32_t)h;
    }
    *cp = v;
    return v <= 0x10FFFF;
}

int strlit_lookup_name(const char *name, size_t n, uint32_t *cp)
{
    char up[STRLIT_MAX_NAME];
    if (n == 0 || n >= sizeof up)
        return 0;
    for (size_t i = 0; i < n; i++)
        up[i] = (name[i] >= 'a' && name[i] <= 'z') ? (char)(name[i] - 32) : name[i];
    static const char *const algo[] = {"CJK UNIFIED IDEOGRAPH-", "CJK COMPATIBILITY IDEOGRAPH-",
                                       "TANGUT IDEOGRAPH-", "KHITAN SMALL SCRIPT CHARACTER-",
                                       "NUSHU CHARACTER-"};
    for (size_t a = 0; a < sizeof algo / sizeof algo[0]; a++) {
        size_t l = strlen(algo[a]);
        if (n > l && memcmp(up, algo[a], l) == 0)
            return hex_cp(up + l, n - l, cp);
    }
    if (n > 16 && memcmp(up, "HANGUL SYLLABLE ", 16) == 0) {
        size_t p = 16;
        int l = jamo_match(jamo_l, 19, up, n, &p);
        int v = jamo_match(jamo_v, 21, up, n, &p);
        int t = jamo_match(jamo_t, 28, up, n, &p);
        if (l < 0 || v < 0 || t < 0 || p != n)
            return 0;
        *cp = 0xAC00 + (uint32_t)((l * 21 + v) * 28 + t);
        return 1;
    }
    uint64_t h = 0xcbf29ce484222325ULL;
    for (size_t i = 0; i < n; i++) {
        h ^= (unsigned char)up[i];
        h *= 0x100000001b3ULL;
    }
    h >>= 24;
    size_t lo = 0, hi = sizeof uni_names / sizeof uni_names[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        uint64_t mh = uni_names[mid] >> 24;
        if (mh < h)
            lo = mid + 1;
        else if (mh > h)
            hi = mid;
        else {
            *cp = (uint32_t)(uni_names[mid] & 0xFFFFFF);
            return 1;
        }
    }
    return 0;
}

/* ---- identifiers (PEP 3131 NFKC) ---- */

static const char *nfkc_of(uint32_t cp)
{
    size_t lo = 0, hi = sizeof uni_nfkc / sizeof uni_nfkc[0];
    while (lo < hi) {
        size_t mid = (lo + hi) / 2;
        if (uni_nfkc[mid].cp < cp)
            lo = mid + 1;
        else if (uni_nfkc[mid].cp > cp)
            hi = mid;
        else
            return uni_nfkc[mid].s;
    }
    return NULL;
}

void strlit_nfkc_ident(buf *b, const unsigned char *s, size_t n)
{
    size_t i = 0;
    while (i < n) {
        if (s[i] < 0x80) {
            buf_putc(b, (char)s[i++]);
            continue;
        }
        uint32_t cp;
        size_t k = utf8_decode_ex(s + i, n - i, &cp, UTF8_SURROGATES);
        if (k == 0) {
            buf_putc(b, (char)s[i++]);
            continue;
        }
        const char *m = nfkc_of(cp);
        if (m)
            buf_puts(b, m);
        else
            buf_append(b, s + i, k);
        i += k;
    }
}
