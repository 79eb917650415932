/* pii_re.c - the regex side of the PII patterns: the sources Hyperscan
 * and PCRE2 get (the URL TLD alternation, lookarounds stripped), the bytes
 * a pattern's match can hold (which bound where confirmation starts), and
 * the lines the digit patterns are scanned on.  See pii_int.h.
 */
#include "pii_int.h"

#include <ctype.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
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

/* The set of the class that opens at re[i] ('['), negation applied, into
 * cls; returns the index of its ']'.  *full is set for a construct not
 * read here ([:alpha:], \p, an unclosed class). */
static size_t read_class(const char *re, size_t i, size_t n, unsigned char cls[32], int *full)
{
    memset(cls, 0, 32);
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
            if (isalnum((unsigned char)e)) { *full = 1; break; }
            ch = (unsigned char)e;
        } else if (ch == '-' && prev >= 0 && j + 1 < n && re[j + 1] != ']') {
            int hi = (unsigned char)re[++j];
            if (hi == '\\') { *full = 1; break; }
            for (int x = prev; x <= hi; x++) set_bit(cls, (unsigned)x);
            prev = -1;
            continue;
        } else if (ch == '[') {
            *full = 1; /* [:alpha:] and the like */
            break;
        }
        set_bit(cls, (unsigned)ch);
        prev = ch;
    }
    if (j >= n) *full = 1;
    if (neg)
        for (int x = 0; x < 32; x++) cls[x] = (unsigned char)~cls[x];
    return j;
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
            unsigned char cls[32];
            i = read_class(re, i, n, cls, &full);
            for (int x = 0; x < 32; x++) a[x] |= cls[x];
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

/* ---- the digit gate ------------------------------------------------------
 *
 * A gated pattern's match holds only bytes of its alphabet, so it lies in
 * one maximal run of bytes of the gated patterns' alphabets together; and
 * it holds at least as many digits, capitals, '+' and '.' as its shape
 * says.  Runs that meet no gated pattern's shape cannot hold a match, and
 * Hyperscan is given only the others. */

/* The PII_K_* kind byte c counts as (a capital only where case matters),
 * or -1. */
static int byte_kind(unsigned c, int caseless)
{
    return c >= '0' && c <= '9' ? PII_K_DIGIT : c >= 'A' && c <= 'Z' && !caseless ? PII_K_UPPER
         : c == '+' ? PII_K_PLUS : c == '.' ? PII_K_DOT : c == '@' ? PII_K_AT
         : c == ':' ? PII_K_COLON : c == '-' ? PII_K_HYPHEN : -1;
}

/* The kind of byte every byte of set `cls` is, or -1. */
static int set_kind(const unsigned char cls[32], int caseless)
{
    int kind = -1;
    for (unsigned c = 0; c < 256; c++) {
        if (!pii_in_set(cls, (unsigned char)c)) continue;
        int k = byte_kind(c, caseless);
        if (k < 0 || (kind >= 0 && k != kind)) return -1;
        kind = k;
    }
    return kind;
}

static size_t shape_alt(const char *re, size_t i, size_t n, int ci, pii_shape *out, int *bad);

/* seq: atom quantifier? ...  up to '|' or ')'; adds to *out.  The digit
 * run: digit atoms a match must hold side by side (an optional one breaks
 * no run: without it its neighbours touch); any other atom, a group too,
 * may break it.  Where a run reaches four, or a group's last run of four
 * ends, the digits so far are a bound for PII_K_DIG4. */
static size_t shape_seq(const char *re, size_t i, size_t n, int ci, pii_shape *out, int *bad)
{
    unsigned run = 0, dig4 = 0;
    while (i < n && re[i] != '|' && re[i] != ')' && !*bad) {
        pii_shape atom = {{0}};
        int kind = -1, byte = 1; /* byte: the atom is one byte (not a group) */
        char c = re[i];
        if (c == '(') {
            byte = 0;
            size_t j = i + 1;
            int known = j + 1 < n && re[j] == '?' && re[j + 1] == ':';
            if (known) j += 2;
            else if (j < n && re[j] == '?') *bad = 1; /* flags, names: not read here */
            j = shape_alt(re, j, n, ci, &atom, bad);
            i = j < n ? j + 1 : n;
        } else if (c == '[') {
            unsigned char cls[32];
            int full = 0;
            size_t j = read_class(re, i, n, cls, &full);
            if (full) *bad = 1;
            kind = set_kind(cls, ci);
            i = j + 1;
        } else if (c == '\\') {
            char e = i + 1 < n ? re[i + 1] : 0;
            i += 2;
            if (e == 'b' || e == 'B') continue; /* zero-width */
            if (e == 'd') kind = PII_K_DIGIT;
            else if (!e || (isalnum((unsigned char)e) && !strchr("DwWsS", e))) *bad = 1;
            else if (!isalnum((unsigned char)e)) {
                unsigned char one[32] = {0};
                set_bit(one, (unsigned char)e);
                kind = set_kind(one, ci);
            }
        } else if (c == '^' || c == '$') {
            i++;
            continue;
        } else {
            unsigned char one[32] = {0};
            if (c != '.') set_bit(one, (unsigned char)c);
            kind = c == '.' ? -1 : set_kind(one, ci);
            i++;
        }
        if (kind >= 0) atom.n[kind] = 1;
        if (byte) atom.n[PII_K_LEN] = 1;
        unsigned times = 1;
        int quant = 1;
        if (i < n && (re[i] == '?' || re[i] == '*')) times = 0, i++;
        else if (i < n && re[i] == '+') i++;
        else if (i < n && re[i] == '{' && i + 1 < n && isdigit((unsigned char)re[i + 1])) {
            size_t j = i + 1;
            unsigned m = 0;
            while (j < n && isdigit((unsigned char)re[j])) m = m * 10 + (unsigned)(re[j++] - '0');
            if (j < n && re[j] == ',') j++;
            while (j < n && isdigit((unsigned char)re[j])) j++;
            if (j < n && re[j] == '}') times = m, i = j + 1;
            else quant = 0;
        } else if (i < n && re[i] == '{') {
            *bad = 1; /* "{,n}": read differently by different engines */
            quant = 0;
        } else {
            quant = 0;
        }
        if (quant && i < n && (re[i] == '?' || re[i] == '+')) i++; /* lazy, possessive */
        if (times > 255) times = 255;
        unsigned before = out->n[PII_K_DIGIT]; /* the digits before this atom */
        for (int k = 0; k < PII_NKINDS; k++)
            if (k != PII_K_DRUN && k != PII_K_DIG4) out->n[k] += atom.n[k] * times;
        if (byte && kind == PII_K_DIGIT) run += times;
        else run = 0;
        if (times && atom.n[PII_K_DRUN] > out->n[PII_K_DRUN]) out->n[PII_K_DRUN] = atom.n[PII_K_DRUN];
        if (run > out->n[PII_K_DRUN]) out->n[PII_K_DRUN] = run;
        if (run >= 4) dig4 = out->n[PII_K_DIGIT]; /* a run of four ends with this atom */
        if (!byte && times && atom.n[PII_K_DIG4]) { /* in its last repeat */
            unsigned c = before + (times - 1) * atom.n[PII_K_DIGIT] + atom.n[PII_K_DIG4];
            if (c > dig4) dig4 = c;
        }
        if (dig4 > out->n[PII_K_DIG4]) out->n[PII_K_DIG4] = dig4;
    }
    return i;
}

/* alt: seq ('|' seq)*  up to ')' or the end; the least of each kind. */
static size_t shape_alt(const char *re, size_t i, size_t n, int ci, pii_shape *out, int *bad)
{
    for (int first = 1;; first = 0) {
        pii_shape s = {{0}};
        i = shape_seq(re, i, n, ci, &s, bad);
        for (int k = 0; k < PII_NKINDS; k++)
            if (first || s.n[k] < out->n[k]) out->n[k] = s.n[k];
        if (i < n && re[i] == '|' && !*bad) {
            i++;
            continue;
        }
        return i;
    }
}

/* The offset of the ']' that ends the class opening at re[i]. */
static size_t class_end(const char *re, size_t i, size_t n)
{
    unsigned char cls[32];
    int full = 0;
    return read_class(re, i, n, cls, &full);
}

/* Where the alternative starting at re[i] ends: at the '|' or ')' that
 * closes it at its own depth, or n. */
static size_t alt_end(const char *re, size_t i, size_t n)
{
    for (size_t depth = 0; i < n; i++) {
        if (re[i] == '\\' && i + 1 < n) i++;
        else if (re[i] == '[') i = class_end(re, i, n);
        else if (re[i] == '(') depth++;
        else if (re[i] == ')' && depth) depth--;
        else if ((re[i] == ')' || re[i] == '|') && !depth) return i;
    }
    return n;
}

/* Does every way through re from i (an alternation up to ')' or the end)
 * start with '0', "\\(0" or "\\(?0"? */
static int zero_first(const char *re, size_t i, size_t n)
{
    for (;;) {
        size_t j = i;
        if (re[j] == '\\' && re[j + 1] == '(') j += re[j + 2] == '?' ? 3 : 2;
        if (re[j] != '0') {
            if (j != i || strncmp(re + i, "(?:", 3) || !zero_first(re, i + 3, n)) return 0;
            size_t e = alt_end(re, i + 3, n); /* the group's ')', which must not be optional */
            while (e < n && re[e] == '|') e = alt_end(re, e + 1, n);
            if (e >= n || (re[e + 1] && strchr("?*{", re[e + 1]))) return 0;
        }
        i = alt_end(re, i, n);
        if (i >= n || re[i] == ')') return 1;
        i++;
    }
}

int pii_zero_start(const char *re)
{
    size_t nb = strlen(PII_NB);
    return !strncmp(re, PII_NB, nb) && zero_first(re, nb, strlen(re));
}

void pii_pat_shape(const char *re0, int caseless, pii_shape *out)
{
    char *re = pii_strip_lookaround(re0);
    size_t n = strlen(re);
    int bad = 0;
    memset(out, 0, sizeof *out);
    size_t end = shape_alt(re, 0, n, caseless, out, &bad);
    if (bad || end != n) memset(out, 0, sizeof *out);
    free(re);
}

/* Each gate's trigger: a byte range, its kind, the fewest a match holds. */
static const struct {
    unsigned char lo, hi, pair;
    int kind;
    unsigned min;
} gate_trig[PII_NGATES] = {
    [PII_G_DIGITS] = {'0', '9', 0, PII_K_DIGIT, 2},
    [PII_G_AT] = {'@', '@', 0, PII_K_AT, 1},
    [PII_G_COLON] = {':', ':', PII_COLON_PAIR, PII_K_COLON, 2},
};

void pii_gate_init(pii_gate *g, int gate)
{
    memset(g, 0, sizeof *g);
    if (gate <= PII_G_NONE || gate >= PII_NGATES) gate = PII_G_DIGITS;
    g->id = gate;
    g->lo = gate_trig[gate].lo;
    g->hi = gate_trig[gate].hi;
    g->pair = gate_trig[gate].pair;
    g->trig = gate_trig[gate].kind;
    g->min_trig = gate_trig[gate].min;
    for (int k = 1; k <= PII_NKINDS; k++) { /* 1 + a byte kind, or 1 + PII_K_LEN */
        if (k - 1 < PII_K_DRUN) g->inc8[k][k - 1] = 1;
        g->inc8[k][PII_K_LEN] = 1;
    }
}

int pii_gate_fits(const pii_gate *g, const pii_shape *need)
{
    /* the digit gate's patterns promise their digits (PII_P_DIGITS); the
     * others' shapes hold the fewest triggers the gate counts on */
    return g->id == PII_G_DIGITS || need->n[g->trig] >= g->min_trig;
}

int pii_gate_group(const pii_gate *g, const pii_shape *need)
{
    if (g->id != PII_G_DIGITS || need->n[PII_K_DRUN] >= PII_GATE_SPLIT_RUN) return 0;
    return need->n[PII_K_DOT] >= 3 ? 2 : 1;
}

void pii_gate_add(pii_gate *g, const unsigned char alpha[32], const pii_shape *need, int group)
{
    for (unsigned c = 0; c < 256; c++)
        if (pii_in_set(alpha, (unsigned char)c)) {
            int k = byte_kind(c, 0);
            g->kind[c] = (unsigned char)(k >= 0 ? 1 + k : 1 + PII_K_LEN);
        }
    pii_shape s = *need, *v = g->need[group];
    size_t *nv = &g->nneed[group];
    if (s.n[g->trig] < g->min_trig) s.n[g->trig] = g->min_trig; /* PII_P_DIGITS: two digits */
    for (size_t i = 0; i < *nv; i++) { /* a shape another one covers adds nothing */
        int le = 1, ge = 1;
        for (int k = 0; k < PII_NKINDS; k++) {
            if (v[i].n[k] > s.n[k]) le = 0;
            if (v[i].n[k] < s.n[k]) ge = 0;
        }
        if (le) return;
        if (ge) {
            v[i] = v[--*nv];
            i--;
        }
    }
    if (*nv < PII_GATE_SHAPES) v[(*nv)++] = s;
    else /* no room: the least of each kind */
        for (int k = 0; k < PII_NKINDS; k++)
            if (s.n[k] < v[0].n[k]) v[0].n[k] = s.n[k];
    for (int k = 0; k < PII_NKINDS; k++) { /* need8, and least8 the least of them */
        unsigned char least = 255;
        for (int q = 0; q < PII_GATE_GROUPS; q++)
            for (size_t i = 0; i < g->nneed[q]; i++) {
                unsigned char b = (unsigned char)(g->need[q][i].n[k] > 255 ? 255 : g->need[q][i].n[k]);
                g->need8[q][i][k] = b;
                if (b < least) least = b;
            }
        g->least8[k] = least;
    }
}

/* A run's counts, a byte a kind saturated at 255, added up 16 at once:
 * does it hold what `need` (need8's form) asks? */
#ifdef __SSE2__
typedef __m128i count8;
static count8 c8_zero(void) { return _mm_setzero_si128(); }
static count8 c8_add(count8 a, const unsigned char inc[16])
{
    return _mm_adds_epu8(a, _mm_load_si128((const __m128i *)(const void *)inc));
}
static count8 c8_set(count8 a, int lane, unsigned v)
{
    unsigned char m[16] = {0};
    m[lane] = 0xff;
    __m128i mask = _mm_loadu_si128((const __m128i *)(const void *)m);
    __m128i val = _mm_and_si128(_mm_set1_epi8((char)(v > 255 ? 255 : v)), mask);
    return _mm_or_si128(_mm_andnot_si128(mask, a), val);
}
static int c8_holds(count8 a, const unsigned char need[16])
{
    __m128i n = _mm_load_si128((const __m128i *)(const void *)need);
    return _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_max_epu8(a, n), a)) == 0xffff;
}
#else
typedef struct { unsigned char b[16]; } count8;
static count8 c8_zero(void) { count8 a = {{0}}; return a; }
static count8 c8_add(count8 a, const unsigned char inc[16])
{
    for (int i = 0; i < 16; i++) a.b[i] = (unsigned char)(a.b[i] + inc[i] > 255 ? 255 : a.b[i] + inc[i]);
    return a;
}
static count8 c8_set(count8 a, int lane, unsigned v)
{
    a.b[lane] = (unsigned char)(v > 255 ? 255 : v);
    return a;
}
static int c8_holds(count8 a, const unsigned char need[16])
{
    for (int i = 0; i < 16; i++)
        if (a.b[i] < need[i]) return 0;
    return 1;
}
#endif

size_t pii_next_in(const unsigned char *d, size_t i, size_t len, unsigned char lo,
                   unsigned char hi)
{
#ifdef __SSE2__
    /* d - lo <= hi - lo, unsigned: min(t, span) == t */
    const __m128i base = _mm_set1_epi8((char)lo), span = _mm_set1_epi8((char)(hi - lo));
    for (; i + 16 <= len; i += 16) {
        __m128i t = _mm_sub_epi8(_mm_loadu_si128((const __m128i *)(const void *)(d + i)), base);
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(t, span), t));
        if (m) return i + (size_t)__builtin_ctz(m);
    }
#endif
    while (i < len && (unsigned)(d[i] - lo) > (unsigned)(hi - lo)) i++;
    return i;
}

size_t pii_next_pair(const unsigned char *d, size_t i, size_t len, unsigned char c,
                     unsigned dist)
{
#ifdef __SSE2__
    const __m128i cc = _mm_set1_epi8((char)c);
    for (; i + 16 + dist <= len; i += 16) {
        __m128i m0 = _mm_cmpeq_epi8(_mm_loadu_si128((const __m128i *)(const void *)(d + i)), cc);
        if (!_mm_movemask_epi8(m0)) continue;
        __m128i on = _mm_setzero_si128();
        for (unsigned k = 1; k <= dist; k++)
            on = _mm_or_si128(on, _mm_cmpeq_epi8(
                                      _mm_loadu_si128((const __m128i *)(const void *)(d + i + k)), cc));
        unsigned m = (unsigned)_mm_movemask_epi8(_mm_and_si128(m0, on));
        if (m) return i + (size_t)__builtin_ctz(m);
    }
#endif
    for (; i < len; i++)
        if (d[i] == c)
            for (size_t k = 1; k <= dist && i + k < len; k++)
                if (d[i + k] == c) return i;
    return len;
}

/* Add [a, b) to r, joined to the last range when PII_GATE_JOIN apart. */
static void add_range(pii_ranges *r, size_t a, size_t b)
{
    if (r->n && a <= r->v[2 * r->n - 1] + PII_GATE_JOIN) {
        r->v[2 * r->n - 1] = b;
        return;
    }
    XGROW(r->v, r->cap, 2 * r->n + 2);
    r->v[2 * r->n] = a;
    r->v[2 * r->n + 1] = b;
    r->n++;
}

/* Can a number start at d[j] as PII_NB reads it? */
static int zero_can_start(const unsigned char *d, size_t j)
{
    if (j > 0 && (isalnum(d[j - 1]) || d[j - 1] == '_' || d[j - 1] == '+')) return 0;
    return !(j > 1 && isdigit(d[j - 2]) && strchr(" .-/", d[j - 1]) && d[j - 1]);
}

void pii_gate_ranges(const pii_gate *g, const unsigned char *d, size_t len,
                     pii_ranges out[PII_GATE_GROUPS])
{
    for (int q = 0; q < PII_GATE_GROUPS; q++) out[q].n = 0;
    size_t i = 0;
    while ((i = g->pair ? pii_next_pair(d, i, len, g->lo, g->pair)
                        : pii_next_in(d, i, len, g->lo, g->hi)) < len) {
        if (!g->kind[d[i]]) { /* not in the alphabet: no run */
            i++;
            continue;
        }
        size_t rs = i;
        while (rs > 0 && g->kind[d[rs - 1]]) rs--;
        size_t re = rs;
        unsigned run = 0, most = 0, digits = 0, dig4 = 0, zeros = 0, k;
        count8 cnt = c8_zero();
        while (re < len && (k = g->kind[d[re]])) {
            cnt = c8_add(cnt, g->inc8[k]);
            if (k == 1 + PII_K_DIGIT) {
                digits++;
                if (++run >= 4) dig4 = digits;
                if (d[re] == '0' && zero_can_start(d, re)) zeros++;
            } else {
                run = 0;
            }
            most = run > most ? run : most;
            re++;
        }
        i = re + 1;
        cnt = c8_set(cnt, PII_K_DRUN, most);
        cnt = c8_set(cnt, PII_K_DIG4, dig4);
        cnt = c8_set(cnt, PII_K_ZERO, zeros);
        if (!c8_holds(cnt, g->least8)) continue; /* what every shape holds: most runs fail */
        /* one byte outside the alphabet on each side: \b reads as in d */
        size_t a = rs ? rs - 1 : 0, b = re < len ? re + 1 : len;
        for (int q = 0; q < PII_GATE_GROUPS; q++)
            for (size_t s = 0; s < g->nneed[q]; s++)
                if (c8_holds(cnt, g->need8[q][s])) {
                    add_range(&out[q], a, b);
                    break;
                }
    }
}

/* A pattern that opens with (?<![C]), C a class of \w, \d and single
 * bytes, whose every byte (alpha) is in C: a match can start only where
 * a run of its bytes starts and the byte before is not in C (inside the
 * run the byte before is in C).  lead gets C then, else stays empty. */
void pii_lead_class(const char *re, int caseless, const unsigned char alpha[32],
                    unsigned char lead[32])
{
    unsigned char c[32] = {0};
    if (strncmp(re, "(?<![", 5)) return;
    const char *q = re + 5;
    for (; *q && *q != ']'; q++) {
        unsigned char x = (unsigned char)*q;
        if (x == '\\') {
            x = (unsigned char)*++q;
            if (!x || !strchr("wd.-:+/", x)) return;
            set_escape(c, (char)x); /* \w and \d hold both cases */
            continue;
        }
        if (!(isalnum(x) || strchr(".:+/_", x))) return; /* a range, a negation, a nested class */
        set_bit(c, x);
        if (caseless && isalpha(x)) set_bit(c, (unsigned)(islower(x) ? toupper(x) : tolower(x)));
    }
    if (q[0] != ']' || q[1] != ')') return;
    for (unsigned b = 0; b < 256; b++)
        if (pii_in_set(alpha, (unsigned char)b) && !pii_in_set(c, (unsigned char)b)) return;
    memcpy(lead, c, 32);
}

size_t pii_alpha_start(const unsigned char a[32], const unsigned char *d, size_t from, size_t to)
{
    size_t s = to;
    while (s > from && pii_in_set(a, d[s - 1])) s--;
    return s;
}
