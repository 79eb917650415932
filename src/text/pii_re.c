/* pii_re.c - the regex side of the PII patterns: the sources Hyperscan
 * and PCRE2 get (the URL TLD alternation, lookarounds stripped), the bytes
 * a pattern's match can hold (which bound where confirmation starts), and
 * the lines the digit patterns are scanned on.  See pii_int.h.
 */
#include "pii_int.h"

#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "../core/buf.h"
#include "../core/embed.h"
#include "../core/limits.h"
#include "../core/xalloc.h"

EMBED_DECL(pii_url_tlds_txt);

/* Presidio's URL TLD alternation, in its order ("com|edu|...|zw"). */
char *pii_tld_alternation(void)
{
    buf b;
    buf_init(&b, 0);
    const char *s = EMBED_DATA(pii_url_tlds_txt), *end = s + EMBED_SIZE(pii_url_tlds_txt);
    while (s < end) {
        const char *e = memchr(s, '\n', (size_t)(end - s));
        if (!e) e = end;
        if (e > s && *s != '#') {
            if (b.len) buf_putc(&b, '|');
            buf_append(&b, s, (size_t)(e - s));
        }
        s = e + 1;
    }
    return buf_detach(&b);
}

/* re with every "@TLDS@" replaced by alt (malloc'd). */
char *pii_expand_tlds(const char *re, const char *alt)
{
    buf b;
    buf_init(&b, 0);
    for (const char *q; (q = strstr(re, "@TLDS@")); re = q + 6) {
        buf_append(&b, re, (size_t)(q - re));
        buf_puts(&b, alt);
    }
    buf_puts(&b, re);
    return buf_detach(&b);
}

/* A copy of a regex without its (?=..) (?!..) (?<=..) (?<!..) groups. */
char *pii_strip_lookaround(const char *re)
{
    size_t n = strlen(re);
    char *out = xmalloc(n + 1), *o = out;
    for (size_t i = 0; i < n;) {
        if (re[i] == '\\' && i + 1 < n) {
            *o++ = re[i++];
            *o++ = re[i++];
            continue;
        }
        if (re[i] == '(' && re[i + 1] == '?' &&
            (re[i + 2] == '=' || re[i + 2] == '!' ||
             (re[i + 2] == '<' && (re[i + 3] == '=' || re[i + 3] == '!')))) {
            int depth = 0, cls = 0;
            size_t j = i;
            for (; j < n; j++) {
                if (re[j] == '\\') { j++; continue; }
                if (cls) { if (re[j] == ']') cls = 0; continue; }
                if (re[j] == '[') { cls = 1; if (re[j + 1] == '^') j++; if (re[j + 1] == ']') j++; continue; }
                if (re[j] == '(') depth++;
                else if (re[j] == ')' && --depth == 0) break;
            }
            i = j + 1;
            continue;
        }
        *o++ = re[i++];
    }
    *o = 0;
    return out;
}

/* The bytes a match of `re` can hold, as a 256-bit set (a superset: every
 * class, escape and literal of the pattern, both cases when caseless;
 * lookarounds hold no bytes of the match).  Confirmation starts PCRE2 no
 * earlier than the run of such bytes that ends at a hit: a match cannot
 * begin before a byte it cannot hold.  A construct not read here makes
 * the set full, which bounds nothing. */
static void set_bit(unsigned char *a, unsigned c) { a[c >> 3] |= (unsigned char)(1u << (c & 7)); }

static void set_escape(unsigned char *a, char e)
{
    unsigned char tmp[32] = {0};
    int neg = e == 'D' || e == 'W' || e == 'S';
    switch (e) {
    case 'd': case 'D':
        for (unsigned c = '0'; c <= '9'; c++) set_bit(tmp, c);
        break;
    case 'w': case 'W':
        for (unsigned c = 0; c < 256; c++)
            if (isalnum((int)c) || c == '_') set_bit(tmp, c);
        break;
    case 's': case 'S':
        for (const char *q = " \t\n\v\f\r"; *q; q++) set_bit(tmp, (unsigned char)*q);
        break;
    default:
        set_bit(tmp, (unsigned char)e);
        break;
    }
    for (int i = 0; i < 32; i++) a[i] |= neg ? (unsigned char)~tmp[i] : tmp[i];
}

void pii_pat_alphabet(const char *re0, int caseless, unsigned char a[32])
{
    char *re = pii_strip_lookaround(re0);
    size_t n = strlen(re);
    memset(a, 0, 32);
    int full = 0;
    for (size_t i = 0; i < n && !full; i++) {
        char c = re[i];
        if (c == '\\') {
            if (++i >= n) { full = 1; break; }
            char e = re[i];
            if (e == 'b' || e == 'B') continue;                 /* zero-width */
            if (e == 'x' || isdigit((unsigned char)e) || isalpha((unsigned char)e)) {
                if (!strchr("dDwWsS", e)) { full = 1; break; }  /* \x.., \p.., back references */
            }
            set_escape(a, e);
        } else if (c == '[') {
            unsigned char cls[32] = {0};
            size_t j = i + 1;
            int neg = j < n && re[j] == '^';
            if (neg) j++;
            int first = 1, prev = -1;
            for (; j < n && (re[j] != ']' || first); j++) {
                first = 0;
                int ch = (unsigned char)re[j];
                if (ch == '\\') {
                    if (++j >= n) break;
                    char e = re[j];
                    if (strchr("dDwWsS", e)) { set_escape(cls, e); prev = -1; continue; }
                    if (isalnum((unsigned char)e)) { full = 1; break; }
                    ch = (unsigned char)e;
                } else if (ch == '-' && prev >= 0 && j + 1 < n && re[j + 1] != ']') {
                    int hi = (unsigned char)re[++j];
                    if (hi == '\\') { full = 1; break; }
                    for (int x = prev; x <= hi; x++) set_bit(cls, (unsigned)x);
                    prev = -1;
                    continue;
                } else if (ch == '[') {
                    full = 1; /* [:alpha:] and the like */
                    break;
                }
                set_bit(cls, (unsigned)ch);
                prev = ch;
            }
            if (j >= n) full = 1;
            for (int x = 0; x < 32; x++) a[x] |= neg ? (unsigned char)~cls[x] : cls[x];
            i = j;
        } else if (c == '(') {
            if (i + 1 < n && re[i + 1] == '?') {
                if (i + 2 < n && re[i + 2] == ':') i += 2;
                else full = 1; /* inline flags, named groups */
            }
        } else if (c == '{') {
            size_t j = i + 1;
            while (j < n && (isdigit((unsigned char)re[j]) || re[j] == ',')) j++;
            if (j < n && re[j] == '}' && j > i + 1) i = j;
            else set_bit(a, '{');
        } else if (c == '.') {
            full = 1;
        } else if (!strchr(")|?*+^$", c)) {
            set_bit(a, (unsigned char)c);
        }
    }
    free(re);
    if (full) memset(a, 0xff, 32);
    else if (caseless)
        for (unsigned c = 'A'; c <= 'Z'; c++) {
            unsigned l = c + 32;
            if (a[c >> 3] & (1u << (c & 7)) || a[l >> 3] & (1u << (l & 7))) {
                set_bit(a, c);
                set_bit(a, l);
            }
        }
}

/* The lines of data that hold two digits or more, as ranges, adjacent
 * ones (or ones a few bytes apart) joined: the only places a PII_P_DIGITS
 * pattern can match, since its matches hold no line end.  A range ends at
 * a line end and starts after one, where \b reads as in the whole
 * buffer. */
void pii_digit_lines(const unsigned char *d, size_t len, size_t **v, size_t *nv, size_t *cap)
{
    *nv = 0;
    size_t ls = 0;
    while (ls < len) {
        const unsigned char *nl = memchr(d + ls, '\n', len - ls);
        size_t le = nl ? (size_t)(nl - d) : len;
        int nd = 0;
        for (size_t i = ls; i < le && nd < 2; i++) nd += (unsigned)(d[i] - '0') < 10;
        if (nd >= 2) {
            if (*nv && ls - (*v)[2 * *nv - 1] <= PII_GATE_JOIN) {
                (*v)[2 * *nv - 1] = le;
            } else {
                XGROW((*v), *cap, 2 * *nv + 2);
                (*v)[2 * *nv] = ls;
                (*v)[2 * *nv + 1] = le;
                (*nv)++;
            }
        }
        ls = le + 1;
    }
}


size_t pii_alpha_start(const unsigned char a[32], const unsigned char *d, size_t from, size_t to)
{
    size_t s = to;
    while (s > from && (a[d[s - 1] >> 3] >> (d[s - 1] & 7) & 1)) s--;
    return s;
}
