/* pii_phone.c - the Presidio profile's phone recognizer: what Presidio's
 * PhoneRecognizer reports, python-phonenumbers' PhoneNumberMatcher run for
 * each of its regions (US, GB, DE, FR, IL, IN, CA, BR) at leniency VALID.
 *
 * The numbering plans and the matcher's own expressions come from Debian's
 * python3-phonenumbers at build time (tools/phonegen.py ->
 * build/gen/pii_phone_meta.c); this file is the matcher's logic over them:
 * candidates (_find), the date, time-stamp and page filters, inner matches,
 * parse (extension, country code after +, IDD or none, national prefix and
 * carrier code) and VALID leniency (a valid number of the region its
 * country code and leading digits select, 'x' only before an extension,
 * the national prefix written where the number's format asks for it).
 * Offsets are bytes of UTF-8; Python's are code points, the same places.
 */
#include "pii_int.h"

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "../core/xalloc.h"
#include "pii_phone_meta.h"

/* Presidio's PhoneRecognizer.DEFAULT_SUPPORTED_REGIONS */
static const char *const presidio_regions[] = {"US", "GB", "DE", "FR", "IL", "IN", "CA", "BR"};
#define NPREGIONS (sizeof presidio_regions / sizeof *presidio_regions)

#define MAX_TRIES 65535    /* PhoneNumberMatcher's max_tries */
#define MAX_CHARS 250      /* _MAX_INPUT_STRING_LENGTH, code points */
#define MIN_NSN 2
#define MAX_NSN 17
#define NUM_CAP 64         /* digits kept of one candidate: more is no number */
#define PHONE_SCORE 0.4    /* PhoneRecognizer.SCORE */
#define PHONE_REACH 0.75   /* raised by a context word */
#define CACHE_SLOTS 8192   /* compiled metadata patterns, by address (~3,000 strings) */

enum { SRC_PLUS = 1, SRC_IDD = 5, SRC_NO_PLUS = 10, SRC_DEFAULT = 20 };
enum { LEN_POSSIBLE, LEN_LOCAL_ONLY, LEN_TOO_SHORT, LEN_INVALID, LEN_TOO_LONG };

struct pii_phone {
    pcre2_code *res[PHONE_RE_N];
    const phone_region *regions[NPREGIONS];
    double threshold;
    pthread_mutex_t mu;                 /* guards the cache */
    const char *keys[CACHE_SLOTS];
    pcre2_code *codes[CACHE_SLOTS];
};

/* One search: the text, the region asked for, the match data, tries left. */
typedef struct run {
    pii_phone *ph;
    const unsigned char *d;
    size_t len;
    const phone_region *reg;
    pcre2_match_data *md;
    long tries;
} run;

/* A parsed number (PhoneNumber with the fields VALID reads). */
typedef struct pnum {
    int cc, source;
    char nsn[NUM_CAP];
    char ext[NUM_CAP];
} pnum;

/* ---- regular expressions ------------------------------------------------- */

static pcre2_code *compile(const char *re, uint32_t opts)
{
    int err;
    PCRE2_SIZE off;
    return pcre2_compile((PCRE2_SPTR)re, PCRE2_ZERO_TERMINATED, opts, &err, &off, NULL);
}

/* The compiled form of a metadata pattern (digits only: no UTF mode). */
static pcre2_code *meta_re(pii_phone *ph, const char *re)
{
    size_t h = ((uintptr_t)re >> 3) % CACHE_SLOTS;
    pcre2_code *c = NULL;
    pthread_mutex_lock(&ph->mu);
    for (size_t i = 0; i < CACHE_SLOTS; i++, h = (h + 1) % CACHE_SLOTS) {
        if (ph->keys[h] == re) { c = ph->codes[h]; break; }
        if (!ph->keys[h]) {
            c = compile(re, 0);
            ph->keys[h] = re;
            ph->codes[h] = c;
            break;
        }
    }
    pthread_mutex_unlock(&ph->mu);
    return c;
}

/* pcre2_match of code on s[0..n) from `from` (valid UTF-8, `from` at a
 * character: see utf8_clean); opts PCRE2_ANCHORED (Python's match) and
 * PCRE2_ENDANCHORED (fullmatch).  The match's ovector or NULL. */
static PCRE2_SIZE *re_run(run *r, pcre2_code *code, const unsigned char *s, size_t n, size_t from,
                          uint32_t opts)
{
    if (!code || from > n) return NULL;
    int rc = pcre2_match(code, s, n, from, opts | PCRE2_NO_UTF_CHECK, r->md, NULL);
    return rc < 0 ? NULL : pcre2_get_ovector_pointer(r->md);
}

static PCRE2_SIZE *mre(run *r, int id, const unsigned char *s, size_t n, size_t from, uint32_t opts)
{
    return re_run(r, r->ph->res[id], s, n, from, opts);
}

#define FULL (PCRE2_ANCHORED | PCRE2_ENDANCHORED)

/* fullmatch of a metadata pattern on a digit string (False when there is
 * no pattern, as _match_national_number) */
static int full_digits(run *r, const char *re, const char *s)
{
    if (!re || !*re) return 0;
    return re_run(r, meta_re(r->ph, re), (const unsigned char *)s, strlen(s), 0, FULL) != NULL;
}

/* ---- characters ---------------------------------------------------------- */

static uint32_t cp_at(const unsigned char *s, size_t n, size_t i)
{
    unsigned c = s[i];
    if (c < 0x80) return c;
    int k = c >= 0xf0 ? 3 : c >= 0xe0 ? 2 : c >= 0xc0 ? 1 : 0;
    uint32_t v = c & (0x3f >> k);
    for (int j = 1; j <= k; j++) {
        if (i + j >= n || (s[i + j] & 0xc0) != 0x80) return 0xfffd;
        v = v << 6 | (s[i + j] & 0x3f);
    }
    return v;
}

static uint32_t cp_before(const unsigned char *s, size_t i)
{
    size_t b = i - 1;
    while (b > 0 && i - b < 4 && (s[b] & 0xc0) == 0x80) b--;
    return cp_at(s, i, b);
}

static size_t cp_count(const unsigned char *s, size_t n)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i++) k += (s[i] & 0xc0) != 0x80;
    return k;
}

/* _is_latin_letter: a letter or combining mark of the Latin blocks. */
static int latin_letter(uint32_t c)
{
    if (c < 0x80) return (c | 0x20) >= 'a' && (c | 0x20) <= 'z';
    if (c == 0xaa || c == 0xb5 || c == 0xba) return 1;
    if (c >= 0xc0 && c <= 0x24f) return c != 0xd7 && c != 0xf7;
    return (c >= 0x300 && c <= 0x36f) || (c >= 0x1e00 && c <= 0x1eff);
}

/* _is_invalid_punctuation_symbol: '%' or a currency symbol (Sc). */
static int bad_punct(uint32_t c)
{
    return c == '%' || c == '$' || (c >= 0xa2 && c <= 0xa5) || c == 0x58f || c == 0x60b ||
           c == 0x9f2 || c == 0x9f3 || c == 0x9fb || c == 0xaf1 || c == 0xbf9 || c == 0xe3f ||
           c == 0x17db || (c >= 0x20a0 && c <= 0x20c0) || c == 0xa838 || c == 0xfdfc ||
           c == 0xfe69 || c == 0xff04 || c == 0xffe0 || c == 0xffe1 || c == 0xffe5 || c == 0xffe6;
}

/* The decimal value of a digit code point (Nd, the common scripts), or -1. */
static int digit_of(uint32_t c)
{
    static const uint32_t zeros[] = {'0', 0x660, 0x6f0, 0x7c0, 0x966, 0x9e6, 0xa66, 0xae6, 0xb66,
                                     0xbe6, 0xc66, 0xce6, 0xd66, 0xe50, 0xed0, 0xf20, 0x1040,
                                     0x17e0, 0x1810, 0xff10};
    for (size_t i = 0; i < sizeof zeros / sizeof *zeros; i++)
        if (c >= zeros[i] && c <= zeros[i] + 9) return (int)(c - zeros[i]);
    return -1;
}

static size_t cp_len(const unsigned char *s, size_t n, size_t i)
{
    size_t k = 1;
    while (i + k < n && (s[i + k] & 0xc0) == 0x80) k++;
    return k;
}

/* normalize_digits_only into out (NUM_CAP); 0 when it does not fit. */
static int digits_only(const unsigned char *s, size_t n, char *out)
{
    size_t k = 0;
    for (size_t i = 0; i < n; i += cp_len(s, n, i)) {
        int v = digit_of(cp_at(s, n, i));
        if (v < 0) continue;
        if (k + 1 >= NUM_CAP) return 0;
        out[k++] = (char)('0' + v);
    }
    out[k] = 0;
    return 1;
}

/* _normalize: a vanity number (three letters or more) maps letters to the
 * keypad and drops the rest; anything else keeps its digits. */
static int normalize(run *r, const unsigned char *s, size_t n, char *out)
{
    if (!mre(r, PHONE_RE_ALPHA, s, n, 0, FULL)) return digits_only(s, n, out);
    static const char keypad[] = "22233344455566677778889999";
    size_t k = 0;
    for (size_t i = 0; i < n; i++) {
        unsigned c = s[i];
        char v = c >= '0' && c <= '9' ? (char)c
               : (c | 0x20) >= 'a' && (c | 0x20) <= 'z' ? keypad[(c | 0x20) - 'a'] : 0;
        if (!v) continue;
        if (k + 1 >= NUM_CAP) return 0;
        out[k++] = v;
    }
    out[k] = 0;
    return 1;
}

/* Length of the valid UTF-8 sequence at s[i] (as PCRE2 checks it: no
 * overlong form, surrogate or code point past U+10FFFF), 0 if invalid. */
static size_t utf8_seq(const unsigned char *s, size_t n, size_t i)
{
    unsigned c = s[i];
    if (c < 0x80) return 1;
    size_t k = c >= 0xc2 && c <= 0xdf ? 2 : c >= 0xe0 && c <= 0xef ? 3 : c >= 0xf0 && c <= 0xf4 ? 4 : 0;
    if (!k || i + k > n) return 0;
    for (size_t j = 1; j < k; j++)
        if ((s[i + j] & 0xc0) != 0x80) return 0;
    unsigned c1 = s[i + 1];
    if ((c == 0xe0 && c1 < 0xa0) || (c == 0xed && c1 > 0x9f) || (c == 0xf0 && c1 < 0x90) ||
        (c == 0xf4 && c1 > 0x8f))
        return 0;
    return k;
}

/* The text as valid UTF-8: d itself, or (when it is not) a copy in *own
 * with each invalid byte a U+001A-like '\x1a', which no expression takes,
 * so offsets stay the same.  pcre2_match then needs no check per call
 * (a check of the whole subject each time made a search quadratic). */
static const unsigned char *utf8_clean(const unsigned char *d, size_t len, unsigned char **own)
{
    *own = NULL;
    for (size_t i = 0; i < len;) {
        size_t k = utf8_seq(d, len, i);
        if (k) { i += k; continue; }
        if (!*own) {
            *own = xmalloc(len ? len : 1);
            memcpy(*own, d, len);
        }
        (*own)[i++] = 0x1a;
    }
    return *own ? *own : d;
}

/* ---- metadata ------------------------------------------------------------ */

static const phone_cc *cc_find(int cc)
{
    size_t lo = 0, hi = phone_nccs;
    while (lo < hi) {
        size_t m = (lo + hi) / 2;
        if (phone_ccs[m].cc == cc) return &phone_ccs[m];
        if (phone_ccs[m].cc < cc) lo = m + 1;
        else hi = m;
    }
    return NULL;
}

static const phone_region *cc_main(int cc)
{
    const phone_cc *c = cc_find(cc);
    return c ? &phone_regions[c->regions[0]] : NULL;
}

static int lowest_bit(unsigned m)
{
    for (int i = 1; i < 32; i++)
        if (m & (1u << i)) return i;
    return 0;
}

static int highest_bit(unsigned m)
{
    for (int i = 31; i > 0; i--)
        if (m & (1u << i)) return i;
    return 0;
}

/* _test_number_length with the general description */
static int test_length(const char *nn, const phone_region *m)
{
    const phone_desc *g = &m->desc[PHONE_D_GENERAL];
    int n = (int)strlen(nn);
    if (n < 32 && (g->local_lens & (1u << n)) && n) return LEN_LOCAL_ONLY;
    int lo = lowest_bit(g->lens), hi = highest_bit(g->lens);
    if (!lo) return LEN_INVALID;
    if (n == lo) return LEN_POSSIBLE;
    if (n < lo) return LEN_TOO_SHORT;
    if (n > hi) return LEN_TOO_LONG;
    return (g->lens & (1u << n)) ? LEN_POSSIBLE : LEN_INVALID;
}

static int matches_desc(run *r, const char *nsn, const phone_desc *d)
{
    if (!d->present) return 0;
    size_t n = strlen(nsn);
    if (d->lens && (n >= 32 || !(d->lens & (1u << n)))) return 0;
    return full_digits(r, d->re, nsn);
}

/* _number_type_helper(...) != UNKNOWN */
static int has_type(run *r, const char *nsn, const phone_region *m)
{
    if (!matches_desc(r, nsn, &m->desc[PHONE_D_GENERAL])) return 0;
    for (int t = PHONE_D_PREMIUM; t <= PHONE_D_FIXED; t++)
        if (matches_desc(r, nsn, &m->desc[t])) return 1;
    return !m->same_mobile_fixed && matches_desc(r, nsn, &m->desc[PHONE_D_MOBILE]);
}

/* _maybe_strip_national_prefix_carrier_code: *out gets the number without
 * its national prefix (transformed where the region says how); returns
 * whether a prefix was stripped. */
static int strip_np(run *r, const char *num, const phone_region *m, char *out)
{
    strcpy(out, num);
    if (!*num || !m->np_parse || !*m->np_parse) return 0;
    pcre2_code *pc = meta_re(r->ph, m->np_parse);
    size_t n = strlen(num);
    PCRE2_SIZE *ov = re_run(r, pc, (const unsigned char *)num, n, 0, PCRE2_ANCHORED);
    if (!ov) return 0;
    uint32_t ng = 0;
    pcre2_pattern_info(pc, PCRE2_INFO_CAPTURECOUNT, &ng);
    PCRE2_SIZE g[2 * 10];       /* the match's groups, before the next match reuses ov */
    uint32_t keep = ng < 9 ? ng : 9;
    memcpy(g, ov, sizeof(PCRE2_SIZE) * 2 * (keep + 1));
    size_t end = g[1];
    int last_set = ng > 0 && ng <= keep && g[2 * ng] != PCRE2_UNSET;
    const char *gen = m->desc[PHONE_D_GENERAL].re;
    int viable = full_digits(r, gen, num);
    char t[NUM_CAP];
    if (!m->np_transform || !*m->np_transform || !last_set) {
        if (viable && !full_digits(r, gen, num + end)) return 0;
        memmove(out, num + end, n - end + 1);
        return 1;
    }
    /* re.sub(pattern, rule, number, count=1): the rule with \N expanded,
     * then the rest after the prefix match */
    size_t k = 0;
    for (const char *p = m->np_transform; *p; p++) {
        if (*p == '\\' && p[1] >= '1' && p[1] <= '9') {
            uint32_t gi = (uint32_t)(p[1] - '0');
            p++;
            if (gi > keep || g[2 * gi] == PCRE2_UNSET) continue;
            for (size_t i = g[2 * gi]; i < g[2 * gi + 1] && k + 1 < NUM_CAP; i++) t[k++] = num[i];
        } else if (k + 1 < NUM_CAP) t[k++] = *p;
    }
    for (size_t i = end; i < n && k + 1 < NUM_CAP; i++) t[k++] = num[i];
    t[k] = 0;
    if (viable && !full_digits(r, gen, t)) return 0;
    strcpy(out, t);
    return 1;
}

/* ---- parse --------------------------------------------------------------- */

static int viable(run *r, const unsigned char *s, size_t n)
{
    return cp_count(s, n) >= MIN_NSN && mre(r, PHONE_RE_VIABLE, s, n, 0, FULL);
}

/* _extract_country_code: the longest known code of 1-3 digits first found */
static int extract_cc(const char *full, const char **rest)
{
    if (!*full || *full == '0') return 0;
    int cc = 0;
    for (int i = 0; i < 3 && full[i]; i++) {
        cc = cc * 10 + (full[i] - '0');
        if (cc_find(cc)) {
            *rest = full + i + 1;
            return cc;
        }
    }
    return 0;
}

/* _maybe_extract_country_code: the country code (0: none), the national
 * number after it in nn; -1 on a parse error, -2 on an unknown code. */
static int extract_country(run *r, const unsigned char *s, size_t n, const phone_region *m,
                           pnum *num, char *nn)
{
    nn[0] = 0;
    if (!n) return 0;
    char full[NUM_CAP];
    PCRE2_SIZE *ov = mre(r, PHONE_RE_PLUS, s, n, 0, PCRE2_ANCHORED);
    if (ov) {
        size_t e = ov[1];
        if (!normalize(r, s + e, n - e, full)) return -1;
        num->source = SRC_PLUS;
    } else {
        if (!normalize(r, s, n, full)) return -1;
        num->source = SRC_DEFAULT;
        if (m && m->intl_prefix) {
            PCRE2_SIZE *io = re_run(r, meta_re(r->ph, m->intl_prefix), (const unsigned char *)full,
                                    strlen(full), 0, PCRE2_ANCHORED);
            /* _parse_prefix_as_idd: not when the next digit is a 0 */
            if (io && full[io[1]] != '0') {
                memmove(full, full + io[1], strlen(full + io[1]) + 1);
                num->source = SRC_IDD;
            }
        }
    }
    if (num->source != SRC_DEFAULT) {
        if (strlen(full) <= MIN_NSN) return -1;
        const char *rest;
        int cc = extract_cc(full, &rest);
        if (!cc) return -2;
        strcpy(nn, rest);
        return cc;
    }
    if (m) {
        char ccs[8];
        int l = snprintf(ccs, sizeof ccs, "%d", m->cc);
        if (!strncmp(full, ccs, (size_t)l)) {
            char pot[NUM_CAP];
            strip_np(r, full + l, m, pot);
            const char *gen = m->desc[PHONE_D_GENERAL].re;
            if ((!full_digits(r, gen, full) && full_digits(r, gen, pot)) ||
                test_length(full, m) == LEN_TOO_LONG) {
                num->source = SRC_NO_PLUS;
                strcpy(nn, pot);
                return m->cc;
            }
        }
    }
    return 0;
}

/* phonenumbers.parse(s, region, keep_raw_input=True) */
static int parse(run *r, const unsigned char *s, size_t n, pnum *num)
{
    memset(num, 0, sizeof *num);
    if (cp_count(s, n) > MAX_CHARS) return 0;
    if (memmem(s, n, ";phone-context=", 15)) return 0;   /* RFC 3966: not in prose */
    /* _extract_possible_number */
    PCRE2_SIZE *ov = mre(r, PHONE_RE_START_CHAR, s, n, 0, 0);
    if (!ov) return 0;
    s += ov[0];
    n -= ov[0];
    if ((ov = mre(r, PHONE_RE_UNWANTED_END, s, n, 0, 0))) n = ov[0];
    if ((ov = mre(r, PHONE_RE_SECOND_NUMBER, s, n, 0, 0))) n = ov[0];
    const unsigned char *isub = memmem(s, n, ";isub=", 6);
    if (isub && isub > s) n = (size_t)(isub - s);
    if (!viable(r, s, n)) return 0;
    /* _maybe_strip_extension */
    if ((ov = mre(r, PHONE_RE_EXTENSION, s, n, 0, 0))) {
        size_t at = ov[0], xs = 0, xe = 0;
        int got = 0;
        uint32_t ng = 0;
        pcre2_pattern_info(r->ph->res[PHONE_RE_EXTENSION], PCRE2_INFO_CAPTURECOUNT, &ng);
        for (uint32_t g = 1; g <= ng && !got; g++)
            if (ov[2 * g] != PCRE2_UNSET) xs = ov[2 * g], xe = ov[2 * g + 1], got = 1;
        if (got && viable(r, s, at)) {
            if (!digits_only(s + xs, xe - xs, num->ext)) return 0;
            n = at;
        }
    }
    const phone_region *m = r->reg;
    char nn[NUM_CAP];
    int cc = extract_country(r, s, n, m, num, nn);
    if (cc == -2 && (ov = mre(r, PHONE_RE_PLUS, s, n, 0, PCRE2_ANCHORED))) {
        size_t e = ov[1];
        cc = extract_country(r, s + e, n - e, m, num, nn);
        if (cc == 0) return 0;
    }
    if (cc < 0) return 0;
    if (cc) {
        const phone_region *nr = cc_main(cc);
        if (nr != m) m = nr;
    } else {
        if (!normalize(r, s, n, nn)) return 0;
        cc = m->cc;
    }
    num->cc = cc;
    if (strlen(nn) < MIN_NSN) return 0;
    if (m) {
        char pot[NUM_CAP];
        strip_np(r, nn, m, pot);
        int v = test_length(pot, m);
        if (v != LEN_TOO_SHORT && v != LEN_LOCAL_ONLY && v != LEN_INVALID) strcpy(nn, pot);
    }
    size_t l = strlen(nn);
    if (l < MIN_NSN || l > MAX_NSN) return 0;
    strcpy(num->nsn, nn);
    return 1;
}

/* ---- VALID leniency ------------------------------------------------------ */

/* is_valid_number: the region of the number (its country code's only
 * region, or the first whose leading digits or number types fit), and a
 * type of that region's plan. */
static int valid_number(run *r, const pnum *num)
{
    const phone_cc *c = cc_find(num->cc);
    if (!c) return 0;
    const phone_region *reg = NULL;
    if (c->n == 1) reg = &phone_regions[c->regions[0]];
    else
        for (int i = 0; i < c->n && !reg; i++) {
            const phone_region *m = &phone_regions[c->regions[i]];
            if (m->leading) {
                if (re_run(r, meta_re(r->ph, m->leading), (const unsigned char *)num->nsn,
                           strlen(num->nsn), 0, PCRE2_ANCHORED))
                    reg = m;
            } else if (has_type(r, num->nsn, m)) reg = m;
        }
    return reg && has_type(r, num->nsn, reg);
}

/* _contains_only_valid_x_chars: an 'x' starts the extension (two in a row,
 * a carrier code, are not followed here: rejected). */
static int x_chars_ok(const unsigned char *s, size_t n, const pnum *num)
{
    for (size_t i = 0; i + 1 < n; i++) {
        if ((s[i] | 0x20) != 'x') continue;
        if ((s[i + 1] | 0x20) == 'x') return 0;
        char dig[NUM_CAP];
        if (!digits_only(s + i, n - i, dig) || strcmp(dig, num->ext)) return 0;
    }
    return 1;
}

/* _is_national_prefix_present_if_required */
static int np_present(run *r, const unsigned char *s, size_t n, const pnum *num)
{
    if (num->source != SRC_DEFAULT) return 1;
    const phone_region *m = cc_main(num->cc);
    if (!m) return 1;
    size_t l = strlen(num->nsn);
    for (int i = 0; i < m->nfmt; i++) {
        const phone_format *f = &m->fmt[i];
        if (f->leading && !re_run(r, meta_re(r->ph, f->leading), (const unsigned char *)num->nsn,
                                  l, 0, PCRE2_ANCHORED))
            continue;
        if (!full_digits(r, f->pattern, num->nsn)) continue;
        if (!f->need_np) return 1;
        char raw[NUM_CAP], rest[NUM_CAP];
        if (!digits_only(s, n, raw)) return 0;
        return strip_np(r, raw, m, rest);
    }
    return 1;
}

/* ---- the matcher --------------------------------------------------------- */

/* _parse_and_verify of d[s..e) */
static int parse_and_verify(run *r, size_t s, size_t e)
{
    const unsigned char *c = r->d + s;
    size_t n = e - s;
    if (!mre(r, PHONE_RE_BRACKETS, c, n, 0, FULL) || mre(r, PHONE_RE_PUB_PAGES, c, n, 0, 0))
        return 0;
    if (s > 0 && !mre(r, PHONE_RE_LEAD, c, n, 0, PCRE2_ANCHORED)) {
        uint32_t p = cp_before(r->d, s);
        if (bad_punct(p) || latin_letter(p)) return 0;
    }
    if (e < r->len) {
        uint32_t x = cp_at(r->d, r->len, e);
        if (bad_punct(x) || latin_letter(x)) return 0;
    }
    pnum num;
    if (!parse(r, c, n, &num)) return 0;
    return valid_number(r, &num) && x_chars_ok(c, n, &num) && np_present(r, c, n, &num);
}

/* d[s..e) with what follows the first match of `id` in it cut off */
static size_t trim_after(run *r, int id, size_t s, size_t e)
{
    PCRE2_SIZE *ov = mre(r, id, r->d + s, e - s, 0, 0);
    return ov ? s + ov[0] : e;
}

/* _extract_inner_match; the match's span in *ms, *me */
static int inner_match(run *r, size_t s, size_t e, size_t *ms, size_t *me)
{
    const unsigned char *c = r->d + s;
    size_t n = e - s;
    for (int i = 0; i < PHONE_NINNER; i++) {
        int first = 1;
        size_t from = 0;
        PCRE2_SIZE *ov;
        while ((ov = mre(r, PHONE_RE_INNER_0 + i, c, n, from, 0)) && r->tries > 0) {
            size_t gs = ov[0], g1s = ov[2], g1e = ov[3];
            if (first) {
                size_t te = trim_after(r, PHONE_RE_UNWANTED_END, s, s + gs);
                if (parse_and_verify(r, s, te)) { *ms = s, *me = te; return 1; }
                r->tries--;
                first = 0;
            }
            if (g1s != PCRE2_UNSET) {
                size_t te = trim_after(r, PHONE_RE_UNWANTED_END, s + g1s, s + g1e);
                if (parse_and_verify(r, s + g1s, te)) { *ms = s + g1s, *me = te; return 1; }
            }
            r->tries--;
            from = gs + cp_len(c, n, gs);
        }
    }
    return 0;
}

typedef struct spans {
    size_t (*v)[2];
    size_t n, cap;
} spans;

/* The candidates of the text, found once for all regions: the chain each
 * region walks while it finds no number inside a candidate. */
typedef struct cand {
    size_t s, e;    /* after the second-number trim */
    int dead;       /* too few digits for any plan, or a date or time-stamp */
} cand;

typedef struct cands {
    cand *v;
    size_t n, cap;
} cands;

static int few_digits(const unsigned char *s, size_t n)
{
    int k = 0;
    for (size_t i = 0; i < n && k < phone_min_nsn; i += cp_len(s, n, i))
        k += digit_of(cp_at(s, n, i)) >= 0;
    return k < phone_min_nsn;
}

/* _find's candidate at or after `at` */
static cand candidate_at(run *r, size_t at, int *found)
{
    cand c = {0, 0, 0};
    PCRE2_SIZE *ov = mre(r, PHONE_RE_CANDIDATE, r->d, r->len, at, 0);
    *found = ov != NULL;
    if (!ov) return c;
    c.s = ov[0];
    c.e = trim_after(r, PHONE_RE_SECOND_NUMBER, ov[0], ov[1]);
    const unsigned char *t = r->d + c.s;
    size_t n = c.e - c.s;
    /* _extract_match's filters: not a number for any region */
    c.dead = few_digits(t, n) || mre(r, PHONE_RE_SLASH_DATES, t, n, 0, 0) ||
             (mre(r, PHONE_RE_TIME_STAMP, t, n, 0, 0) &&
              mre(r, PHONE_RE_TIME_SUFFIX, r->d + c.e, r->len - c.e, 0, PCRE2_ANCHORED));
    return c;
}

/* where _find looks next when candidate c held no number */
static size_t next_at(const run *r, const cand *c)
{
    return c->e > c->s ? c->e : c->s + cp_len(r->d, r->len, c->s);
}

static void candidates(run *r, cands *out)
{
    size_t at = 0;
    int found;
    for (;;) {
        cand c = candidate_at(r, at, &found);
        if (!found) break;
        XGROW(out->v, out->cap, out->n + 1);
        out->v[out->n++] = c;
        at = next_at(r, &c);
    }
}

/* PhoneNumberMatcher(text, region, leniency=VALID): every match.  Its
 * budget of failed tries is per line here, not per text: a candidate never
 * holds a newline, so this only differs on a line of 65,535 failed
 * candidates, and a file of log lines is not cut off where Presidio's
 * records, analyzed one by one, would not be. */
static void find_region(run *r, const cands *cs, spans *out)
{
    size_t at = 0, eol = 0, k = 0;   /* cs->v[k] is the candidate at `at` while in step */
    int found;
    r->tries = MAX_TRIES;
    for (;;) {
        cand c;
        if (k < cs->n && at == (k ? next_at(r, &cs->v[k - 1]) : 0))
            c = cs->v[k++];
        else {
            c = candidate_at(r, at, &found);
            if (!found) break;
            /* back in step when this is one of the chain's */
            size_t lo = 0, hi = cs->n;
            while (lo < hi) {
                size_t m = (lo + hi) / 2;
                if (cs->v[m].s < c.s) lo = m + 1;
                else hi = m;
            }
            k = lo < cs->n && cs->v[lo].s == c.s && cs->v[lo].e == c.e ? lo + 1 : cs->n;
        }
        if (c.s >= eol) {   /* a new line: a new budget */
            const unsigned char *nl = memchr(r->d + c.s, '\n', r->len - c.s);
            eol = nl ? (size_t)(nl - r->d) : r->len;
            r->tries = MAX_TRIES;
        }
        if (r->tries <= 0) {
            at = eol;
            continue;
        }
        size_t ms, me;
        if (!c.dead && (parse_and_verify(r, c.s, c.e) ? (ms = c.s, me = c.e, 1)
                                                       : inner_match(r, c.s, c.e, &ms, &me))) {
            XGROW(out->v, out->cap, out->n + 1);
            out->v[out->n][0] = ms;
            out->v[out->n++][1] = me;
            at = me;   /* in step again when the number is the whole candidate */
            continue;
        }
        at = next_at(r, &c);
        r->tries--;
    }
}

static int cmp_span(const void *a, const void *b)
{
    const size_t *x = a, *y = b;
    if (x[0] != y[0]) return x[0] < y[0] ? -1 : 1;
    if (x[1] != y[1]) return x[1] > y[1] ? -1 : 1;   /* longest first */
    return 0;
}

vg_status pii_phone_open(double threshold, pii_phone **out, diag_list *d)
{
    *out = NULL;
    if (threshold > PHONE_REACH + 1e-9) return VG_OK;
    pii_phone *ph = xcalloc(1, sizeof *ph);
    pthread_mutex_init(&ph->mu, NULL);
    ph->threshold = threshold;
    for (int i = 0; i < PHONE_RE_N; i++) {
        uint32_t o = PCRE2_UTF | PCRE2_UCP | (phone_res[i].caseless ? PCRE2_CASELESS : 0);
        if (!(ph->res[i] = compile(phone_res[i].re, o))) {
            diag_add(d, DIAG_ERROR, NULL, 0, 0, "pii: phonenumbers %s expression %d does not compile",
                     phone_meta_version, i);
            pii_phone_close(ph);
            return VG_ERR_INTERNAL;
        }
    }
    for (size_t i = 0; i < NPREGIONS; i++)
        for (size_t k = 0; k < phone_nregions; k++)
            if (!strcmp(phone_regions[k].id, presidio_regions[i])) ph->regions[i] = &phone_regions[k];
    *out = ph;
    return VG_OK;
}

void pii_phone_close(pii_phone *ph)
{
    if (!ph) return;
    for (int i = 0; i < PHONE_RE_N; i++) pcre2_code_free(ph->res[i]);
    for (size_t i = 0; i < CACHE_SLOTS; i++) pcre2_code_free(ph->codes[i]);
    pthread_mutex_destroy(&ph->mu);
    free(ph);
}

void pii_phone_find(pii_phone *ph, const pii_words *stop, const unsigned char *d, size_t len,
                    pii_match **v, size_t *n, size_t *cap)
{
    spans sp = {0};
    unsigned char *own;
    const unsigned char *t = utf8_clean(d, len, &own);
    run r = {ph, t, len, NULL, pcre2_match_data_create(32, NULL), 0};
    if (!r.md) {
        free(own);
        return;
    }
    cands cs = {0};
    candidates(&r, &cs);
    for (size_t i = 0; i < NPREGIONS; i++) {
        if (!ph->regions[i]) continue;
        r.reg = ph->regions[i];
        find_region(&r, &cs, &sp);
    }
    free(cs.v);
    pcre2_match_data_free(r.md);
    free(own);
    /* remove_duplicates (before the context raises scores): one of each
     * span, none inside another */
    if (sp.n > 1) qsort(sp.v, sp.n, sizeof *sp.v, cmp_span);
    size_t reach = 0;
    for (size_t i = 0; i < sp.n; i++) {
        if (i && sp.v[i][1] <= reach) continue;   /* starts no earlier, inside a kept one */
        reach = sp.v[i][1] > reach ? sp.v[i][1] : reach;
        double score = PHONE_SCORE;
        if (pii_presidio_context(stop, d, len, sp.v[i][0], PII_PHONE_NUMBER)) score = PHONE_REACH;
        if (score + 1e-9 < ph->threshold) continue;
        XGROW(*v, *cap, *n + 1);
        (*v)[(*n)++] = (pii_match){PII_PHONE_NUMBER, score, sp.v[i][0], sp.v[i][1], 0,
                                   "PhoneRecognizer"};
    }
    free(sp.v);
}
