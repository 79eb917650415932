/* pii_presidio.c - the Presidio profile of the PII engine: Presidio's own
 * recognizer patterns where they differ from the scan's, its context word
 * lists, and its context rule over a spaCy-like tokenization.
 *
 * `vibeguard pii` and `redact` run this profile so that their results are
 * Presidio's (presidio-analyzer's predefined recognizers, copied verbatim,
 * case-insensitive as its global regex flags make them); the scan keeps
 * the patterns and context rule tuned for code (pii.c).  bench/pii_diff.py
 * measures the agreement.
 */
#include "pii_int.h"

#include "../core/hash.h"
#include "../core/xalloc.h"

#include <ctype.h>
#ifdef __SSE2__
#include <emmintrin.h>
#endif
#include <stdlib.h>
#include <string.h>

#include "scan.h"

#define CI SCAN_CASELESS
#define D1_12 "(?:[1-9]|0[1-9]|1[0-2])"
#define D1_31 "(?:[1-9]|0[1-9]|[1-2][0-9]|3[0-1])"
#define MMM "(?:JAN|FEB|MAR|APR|MAY|JUN|JUL|AUG|SEP|OCT|NOV|DEC)"
#define ISO_D "\\d{4}-(?:0[1-9]|1[0-2])-(?:0[1-9]|[12]\\d|3[01])T[0-2]\\d:[0-5]\\d"
#define URL_BASE "(?:(?:www\\d{0,3}[.])?[a-z0-9.\\-]{1,253}[.](?:@TLDS@)(?:/[^\\s()<>\"']*)?)"
#define EMAIL_CH "[!#$%&'*+\\-/=?^_`{|}~\\w]"

const pii_pat pii_presidio_pats[] = {
    {PII_EMAIL_ADDRESS, "Email (Medium)",
     "\\b(?:" EMAIL_CH "|" EMAIL_CH "[!#$%&'*+\\-/=?^_`{|}~.\\w]{0,}" EMAIL_CH ")"
     "@\\w+(?:-+\\w+)*(?:\\.\\w+(?:-+\\w+)*)+\\b",
     0.5, V_EMAIL, 0, 400, 0, 0, CI},

    {PII_URL, "Standard Url", "(?:https?://)" URL_BASE, 0.6, V_NONE, 0, 1200, 0, 0, CI},
    {PII_URL, "Non schema URL", URL_BASE, 0.5, V_NONE, 0, 1200, 0, 0, CI},
    {PII_URL, "Quoted URL", "[\"'](?:https?://" URL_BASE ")[\"']", 0.6, V_NONE, 0, 1200, 0, 0, CI},
    {PII_URL, "Quoted Non-schema URL", "[\"'](?:" URL_BASE ")[\"']", 0.5, V_NONE, 0, 1200, 0, 0, CI},

    {PII_CREDIT_CARD, "All Credit Cards (weak)",
     "\\b(?!1\\d{12}(?!\\d))(?:4\\d{3}|5[0-5]\\d{2}|6\\d{3}|1\\d{3}|3\\d{3})[- ]?\\d{3,4}[- ]?\\d{3,4}"
     "[- ]?\\d{3,5}\\b",
     0.3, V_CARD, 0, 32, 0, 0, CI},

    {PII_US_PASSPORT, "Passport (very weak)", "\\b[0-9]{9}\\b", 0.05, V_NONE, 0, 12, 0, 0, CI},
    {PII_US_PASSPORT, "Passport Next Generation (very weak)", "\\b[A-Z][0-9]{8}\\b", 0.1, V_NONE, 0,
     12, 0, 0, CI},

    /* verbatim, "A-Z]{2}..." (a missing '[' upstream) included */
    {PII_US_DRIVER_LICENSE, "Driver License - Alphanumeric (weak)",
     "\\b(?:[A-Z][0-9]{3,6}|[A-Z][0-9]{5,9}|[A-Z][0-9]{6,8}|[A-Z][0-9]{4,8}|[A-Z][0-9]{9,11}"
     "|[A-Z]{1,2}[0-9]{5,6}|H[0-9]{8}|V[0-9]{6}|X[0-9]{8}|A-Z\\]{2}[0-9]{2,5}|[A-Z]{2}[0-9]{3,7}"
     "|[0-9]{2}[A-Z]{3}[0-9]{5,6}|[A-Z][0-9]{13,14}|[A-Z][0-9]{18}|[A-Z][0-9]{6}R|[A-Z][0-9]{9}"
     "|[A-Z][0-9]{1,12}|[0-9]{9}[A-Z]|[A-Z]{2}[0-9]{6}[A-Z]|[0-9]{8}[A-Z]{2}|[0-9]{3}[A-Z]{2}[0-9]{4}"
     "|[A-Z][0-9][A-Z][0-9][A-Z]|[0-9]{7,8}[A-Z])\\b",
     0.3, V_NONE, 0, 24, 0, 0, CI},

    /* MAC_COLON_OR_HYPHEN's back reference written out as two patterns */
    {PII_MAC_ADDRESS, "MAC_COLON_OR_HYPHEN", "\\b[0-9A-Fa-f]{2}:(?:[0-9A-Fa-f]{2}:){4}[0-9A-Fa-f]{2}\\b",
     0.6, V_MAC, 0, 20, 0, 0, CI},
    {PII_MAC_ADDRESS, "MAC_COLON_OR_HYPHEN", "\\b[0-9A-Fa-f]{2}-(?:[0-9A-Fa-f]{2}-){4}[0-9A-Fa-f]{2}\\b",
     0.6, V_MAC, 0, 20, 0, 0, CI},
    {PII_MAC_ADDRESS, "MAC_CISCO_DOT", "\\b[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\.[0-9A-Fa-f]{4}\\b", 0.6,
     V_MAC, 0, 16, 0, 0, CI},

    {PII_US_SSN, "SSN3 (very weak)", "\\b[0-9]{3}-[0-9]{2}-[0-9]{4}\\b", 0.05, V_SSN, 0, 12, 0, 0, 0},

    {PII_UK_NHS, "NHS (medium)", "\\b[0-9]{3}[- ]?[0-9]{3}[- ]?[0-9]{4}\\b", 0.5, V_NHS, 0, 16, 0, 0, 0},

    {PII_DATE_TIME, "Datetime (yyyy-mm-ddThh:mm[:ss[.f]] with timezone)",
     "\\b(?:" ISO_D ":[0-5]\\d\\.\\d+(?:[+-][0-2]\\d:[0-5]\\d|Z)|" ISO_D
     ":[0-5]\\d(?:[+-][0-2]\\d:[0-5]\\d|Z)|" ISO_D "(?:[+-][0-2]\\d:[0-5]\\d|Z))\\b",
     0.8, V_NONE, 0, 48, 0, 0, CI},
    {PII_DATE_TIME, "mm/dd/yyyy or mm/dd/yy", "\\b" D1_12 "/" D1_31 "/(?:\\d{4}|\\d{2})\\b", 0.6,
     V_NONE, 0, 12, 0, 0, CI},
    {PII_DATE_TIME, "dd/mm/yyyy or dd/mm/yy", "\\b" D1_31 "/" D1_12 "/(?:\\d{4}|\\d{2})\\b", 0.6,
     V_NONE, 0, 12, 0, 0, CI},
    {PII_DATE_TIME, "yyyy/mm/dd", "\\b\\d{4}/" D1_12 "/" D1_31 "\\b", 0.6, V_NONE, 0, 12, 0, 0, CI},
    {PII_DATE_TIME, "mm-dd-yyyy", "\\b" D1_12 "-" D1_31 "-\\d{4}\\b", 0.6, V_NONE, 0, 12, 0, 0, CI},
    {PII_DATE_TIME, "dd-mm-yyyy", "\\b" D1_31 "-" D1_12 "-\\d{4}\\b", 0.6, V_NONE, 0, 12, 0, 0, CI},
    {PII_DATE_TIME, "yyyy-mm-dd", "\\b\\d{4}-" D1_12 "-" D1_31 "\\b", 0.6, V_NONE, 0, 12, 0, 0, CI},
    {PII_DATE_TIME, "dd.mm.yyyy or dd.mm.yy", "\\b" D1_31 "\\." D1_12 "\\.(?:\\d{4}|\\d{2})\\b", 0.6,
     V_NONE, 0, 12, 0, 0, CI},
    {PII_DATE_TIME, "dd-MMM-yyyy or dd-MMM-yy", "\\b" D1_31 "-" MMM "-(?:\\d{4}|\\d{2})\\b", 0.6,
     V_NONE, 0, 12, 0, 0, CI},
    {PII_DATE_TIME, "MMM-yyyy or MMM-yy", "\\b" MMM "-(?:\\d{4}|\\d{2})\\b", 0.6, V_NONE, 0, 10, 0, 0,
     CI},
    {PII_DATE_TIME, "dd-MMM or dd-MMM", "\\b" D1_31 "-" MMM "\\b", 0.6, V_NONE, 0, 8, 0, 0, CI},
    {PII_DATE_TIME, "mm/yyyy or m/yyyy", "\\b" D1_12 "/\\d{4}\\b", 0.2, V_NONE, 0, 8, 0, 0, CI},
    {PII_DATE_TIME, "mm/yy or m/yy", "\\b" D1_12 "/\\d{2}\\b", 0.1, V_NONE, 0, 6, 0, 0, CI},
};
const size_t pii_presidio_npats = sizeof pii_presidio_pats / sizeof *pii_presidio_pats;

/* Presidio's context words per entity (its recognizers' CONTEXT lists). */
static const char *const pres_ctx[PII_NPUBLIC][12] = {
    [PII_EMAIL_ADDRESS] = {"email", NULL},
    [PII_PHONE_NUMBER] = {"phone", "number", "telephone", "cell", "cellphone", "mobile", "call",
                          NULL},
    [PII_CREDIT_CARD] = {"credit", "card", "visa", "mastercard", "cc", "amex", "discover", "jcb",
                         "diners", "maestro", "instapayment", NULL},
    [PII_IBAN_CODE] = {"iban", "bank", "transaction", NULL},
    [PII_IP_ADDRESS] = {"ip", "ipv4", "ipv6", NULL},
    [PII_MAC_ADDRESS] = {"mac", "mac address", "hardware address", "physical address", "ethernet",
                         NULL},
    [PII_URL] = {"url", "website", "link", NULL},
    [PII_US_SSN] = {"social", "security", "ssn", "ssns", "ssid", NULL},
    [PII_US_ITIN] = {"individual", "taxpayer", "itin", "tax", "payer", "taxid", "tin", NULL},
    [PII_US_PASSPORT] = {"us", "united", "states", "passport", "passport#", "travel", "document",
                         NULL},
    [PII_US_BANK_NUMBER] = {"check", "account", "account#", "acct", "bank", "save", "debit", NULL},
    [PII_US_DRIVER_LICENSE] = {"driver", "license", "permit", "lic", "identification", "dls",
                               "cdls", "lic#", "driving", NULL},
    [PII_UK_NHS] = {"national health service", "nhs", "health services authority",
                    "health authority", NULL},
    [PII_CRYPTO] = {"wallet", "btc", "bitcoin", "crypto", NULL},
    [PII_DATE_TIME] = {"date", "birthday", NULL},
    [PII_PERSON] = {NULL},
};

int pii_words_has(const pii_words *w, const char *s, size_t len)
{
    if (!w->slot || len == 0 || len >= 64) return 0;
    len = strnlen(s, len); /* strcmp's reading of the key */
    if (len == 0) return 0;
    for (size_t i = hash_fnv1a64(s, len) & w->mask; w->slot[i]; i = (i + 1) & w->mask) {
        const char *c = w->v[w->slot[i] - 1];
        if (!strncmp(c, s, len) && !c[len]) return 1;
    }
    return 0;
}

void pii_words_index(pii_words *w)
{
    free(w->slot);
    w->slot = NULL;
    if (!w->n) return;
    size_t cap = 16;
    while (cap < 2 * w->n) cap *= 2;
    w->slot = xcalloc(cap, sizeof *w->slot);
    w->mask = cap - 1;
    for (size_t k = 0; k < w->n; k++) {
        size_t i = hash_fnv1a64(w->v[k], strlen(w->v[k])) & w->mask;
        while (w->slot[i]) i = (i + 1) & w->mask;
        w->slot[i] = (uint32_t)(k + 1);
    }
}

void pii_words_free(pii_words *w)
{
    for (size_t i = 0; i < w->n; i++) free(w->v[i]);
    free(w->v);
    free(w->slot);
    memset(w, 0, sizeof *w);
}

/* ---- spaCy-like tokens ---------------------------------------------------- */

#define CTX_WINDOW 384    /* bytes before a match tokenized */
#define CTX_KEYWORDS 6    /* five words and the match's own token */
#define MAX_TOKS 512

typedef struct tok {
    size_t s, e;
} tok;

static int is_alnum8(unsigned char c) { return isalnum(c) || c >= 0x80; }
static int is_alpha8(unsigned char c) { return isalpha(c) || c >= 0x80; }
static int is_ws(unsigned char c) { return c == ' ' || c == '\n' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

/* Character classes: spaCy splits C_PRE off the start of a word, C_SUF
 * off its end; C_IN1 inside after a letter or digit, before a letter;
 * C_IN2 between digits; C_PUNCT is Unicode's punctuation (P*), which is
 * never a keyword. */
enum { C_PRE = 1, C_SUF = 2, C_IN1 = 4, C_IN2 = 8, C_PUNCT = 16 };
static unsigned char cls[256];

/* first_of[e][c]: some context word of e starts with byte c (either case);
 * first_or[e]: those first bytes | 0x20, each once (nfirst[e] of them) */
static unsigned char first_of[PII_NPUBLIC][256];
static unsigned char first_or[PII_NPUBLIC][12], nfirst[PII_NPUBLIC];
static unsigned char ctx_len[PII_NPUBLIC][12]; /* strlen of each context word */

static void cls_init(void)
{
    for (int e = 0; e < PII_NPUBLIC; e++)
        for (int j = 0; j < 12 && pres_ctx[e][j]; j++) {
            unsigned char c = (unsigned char)pres_ctx[e][j][0], o = c | 0x20;
            first_of[e][tolower(c)] = first_of[e][toupper(c)] = 1;
            if (!memchr(first_or[e], o, nfirst[e])) first_or[e][nfirst[e]++] = o;
            ctx_len[e][j] = (unsigned char)strlen(pres_ctx[e][j]);
        }
    static const struct { const char *chars; unsigned char bit; } t[] = {
        {"=*#&+$%!?,;:_`<>[{(\"'", C_PRE}, {"*#&.!?,;:_`<>[]{}()\"'", C_SUF},
        {"=~-/:<>", C_IN1}, {"*+-^", C_IN2}, {"!\"#%&'()*,-./:;?@[\\]_{}", C_PUNCT}};
    for (size_t i = 0; i < sizeof t / sizeof *t; i++)
        for (const char *c = t[i].chars; *c; c++) cls[(unsigned char)*c] |= t[i].bit;
}

void pii_presidio_init(void)
{
    static int done;
    if (!done) cls_init();
    done = 1;
}

static int is_prefix(unsigned char c) { return cls[c] & C_PRE; }
static int is_suffix(unsigned char c) { return cls[c] & C_SUF; }

/* An infix split point between d[i-1] and d[i+1] at d[i]. */
static int is_infix(const unsigned char *d, size_t i, size_t s, size_t e)
{
    if (i == s || i + 1 >= e) return 0;
    unsigned char a = d[i - 1], c = d[i], b = d[i + 1];
    if ((cls[c] & C_IN1) && is_alnum8(a) && is_alpha8(b)) return 1;
    if (c == ',' && is_alpha8(a) && is_alpha8(b)) return 1;
    if ((cls[c] & C_IN2) && isdigit(a) && (isdigit(b) || b == '-')) return 1;
    return 0;
}

static void push(tok *t, size_t *n, size_t s, size_t e)
{
    if (*n < MAX_TOKS && e > s) t[(*n)++] = (tok){s, e};
    else if (*n == MAX_TOKS) { memmove(t, t + MAX_TOKS / 2, (MAX_TOKS / 2) * sizeof *t); *n = MAX_TOKS / 2; t[(*n)++] = (tok){s, e}; }
}

/* Does d[s..e) match spaCy's URL_MATCH (kept as one token)?  Roughly:
 * [scheme://][userinfo@]host.tld[:port][/?#...], the scheme of word
 * characters, + - and ., the TLD two letters or more. */
static int url_like(const unsigned char *d, size_t s, size_t e)
{
    size_t h = s;
    for (size_t i = s; i + 2 < e; i++) {
        if (d[i] == ':' && d[i + 1] == '/' && d[i + 2] == '/') {
            if (i - s < 2) return 0;
            for (size_t j = s; j < i; j++)
                if (!(is_alnum8(d[j]) || d[j] == '_' || d[j] == '+' || d[j] == '-' || d[j] == '.'))
                return 0;
            h = i + 3;
            break;
        }
        if (!(is_alnum8(d[i]) || d[i] == '_' || d[i] == '+' || d[i] == '-' || d[i] == '.')) break;
    }
    for (size_t i = e; i-- > h;)
        if (d[i] == '@') { h = i + 1; break; }
    size_t i = h, dots = 0, lab = h;
    while (i < e && (is_alnum8(d[i]) || d[i] == '-' || d[i] == '.')) {
        if (d[i] == '.') dots++, lab = i + 1;
        i++;
    }
    if (!dots || i - lab < 2) return 0;
    for (size_t j = lab; j < i; j++)
        if (!is_alpha8(d[j])) return 0;
    if (i < e && d[i] == ':') {
        size_t k = i + 1;
        while (k < e && isdigit(d[k])) k++;
        if (k - i - 1 < 2) return 0;
        i = k;
    }
    return i == e || d[i] == '/' || d[i] == '?' || d[i] == '#';
}

/* Tokens of one whitespace-free word d[s..e). */
static void word_tokens(const unsigned char *d, size_t s, size_t e, tok *t, size_t *n)
{
    while (e - s > 1 && is_prefix(d[s]) && !(d[s] == '+' && isdigit(d[s + 1])))
        push(t, n, s, s + 1), s++;
    size_t se = e;
    while (se - s > 1 && is_suffix(d[se - 1])) se--;
    int urlish = url_like(d, s, se);
    size_t ts = s;
    if (!urlish)
        for (size_t i = s; i < se; i++)
            if (is_infix(d, i, s, se)) {
                push(t, n, ts, i);
                push(t, n, i, i + 1);
                ts = i + 1;
            }
    push(t, n, ts, se);
    for (size_t i = se; i < e; i++) push(t, n, i, i + 1);
}

/* Is token d[s..e) one of Presidio's keywords (not a stop word, not all
 * punctuation, no ':' inside)? */
static int keyword(const pii_words *stop, const unsigned char *d, size_t s, size_t e, char *low,
                   size_t cap)
{
    size_t n = e - s, k = 0;
    int punct = 1;
    for (size_t i = s; i < e; i++) {
        unsigned char c = d[i];
        if (c == ':') return 0;
        if (!(cls[c] & C_PUNCT)) punct = 0;
        if (k + 1 < cap) low[k++] = (char)tolower(c);
    }
    low[k] = 0;
    if (punct) return 0;
    if (n < 64 && pii_words_has(stop, low, k)) return 0;
    if (!strcmp(low, "be") || !strcmp(low, "-pron-")) return 0;
    return 1;
}

/* Does one of e's context words start at d[i] (and end by t)? */
static int ctx_word_at(const unsigned char *d, size_t i, size_t t, pii_entity e)
{
    int c = tolower(d[i]);
    for (int j = 0; j < 12 && pres_ctx[e][j]; j++) {
        const char *w = pres_ctx[e][j]; /* in lower case */
        size_t m = ctx_len[e][j], k = 1;
        if (c != (unsigned char)w[0] || m > t - i) continue;
        while (k < m && tolower(d[i + k]) == (unsigned char)w[k]) k++;
        if (k == m) return 1;
    }
    return 0;
}

/* Does one of e's context words occur in d[s..t), in either case?  A
 * keyword token is a piece of that text, so without one no token holds a
 * context word and the tokens need not be made. */
static int any_ctx_word(const unsigned char *d, size_t s, size_t t, pii_entity e)
{
    size_t i = s;
#ifdef __SSE2__
    /* 16 bytes at a time: a byte | 0x20 that is a first byte's | 0x20 is
     * the only place a word can start (a superset: ctx_word_at decides) */
    __m128i want[12];
    const __m128i lc = _mm_set1_epi8(0x20);
    int nf = nfirst[e];
    for (int j = 0; j < nf; j++) want[j] = _mm_set1_epi8((char)first_or[e][j]);
    for (; i + 16 <= t; i += 16) {
        __m128i v = _mm_or_si128(_mm_loadu_si128((const __m128i *)(const void *)(d + i)), lc);
        __m128i hit = _mm_setzero_si128();
        for (int j = 0; j < nf; j++) hit = _mm_or_si128(hit, _mm_cmpeq_epi8(v, want[j]));
        for (unsigned m = (unsigned)_mm_movemask_epi8(hit); m; m &= m - 1)
            if (ctx_word_at(d, i + (size_t)__builtin_ctz(m), t, e)) return 1;
    }
#endif
    for (; i < t; i++)
        if (first_of[e][d[i]] && ctx_word_at(d, i, t, e)) return 1;
    return 0;
}

int pii_presidio_context(const pii_words *stop, const unsigned char *d, size_t len, size_t start,
                         pii_entity e)
{
    if ((unsigned)e >= PII_NPUBLIC || !pres_ctx[e][0]) return 0;
    size_t from = start > CTX_WINDOW ? start - CTX_WINDOW : 0;
    while (from > 0 && from < start && !is_ws(d[from - 1])) from++;   /* a whole word */
    /* through the match's word and a few after it: the first keyword at or
     * after the match's token counts too (Presidio's forward window of
     * zero words still takes one) */
    size_t to = start;
    while (to < len && !is_ws(d[to])) to++;
    for (int w = 0; w < 4 && to < len; w++) {
        while (to < len && is_ws(d[to])) to++;
        while (to < len && !is_ws(d[to])) to++;
    }
    if (!any_ctx_word(d, from, to, e)) return 0;
    tok t[MAX_TOKS];
    size_t n = 0, i = from;
    while (i < to) {
        if (is_ws(d[i])) {
            size_t ws = i;
            while (i < to && is_ws(d[i])) i++;
            /* one space separates; any other run of whitespace is a token */
            push(t, &n, d[ws] == ' ' ? ws + 1 : ws, i);
            continue;
        }
        size_t ws = i;
        while (i < to && !is_ws(d[i])) i++;
        word_tokens(d, ws, i, t, &n);
    }
    size_t at = n;
    for (size_t k = 0; k < n; k++)
        if (t[k].s == start || start < t[k].e) { at = k; break; }
    if (at == n) return 0;
    int got = 0;
    char low[128];
    for (size_t k = at; k < n; k++) {
        if (!keyword(stop, d, t[k].s, t[k].e, low, sizeof low)) continue;
        for (int j = 0; j < 12 && pres_ctx[e][j]; j++)
            if (strstr(low, pres_ctx[e][j])) return 1;
        break;
    }
    for (size_t k = at + 1; k-- > 0 && got < CTX_KEYWORDS;) {
        if (!keyword(stop, d, t[k].s, t[k].e, low, sizeof low)) continue;
        got++;
        for (int j = 0; j < 12 && pres_ctx[e][j]; j++)
            if (strstr(low, pres_ctx[e][j])) return 1;
    }
    return 0;
}
